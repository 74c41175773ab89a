"""Gallery matching and the open-set gate, on small hand-made appearances (no models)."""

from dataclasses import replace

import numpy as np
import pytest

from checkout_app.products.appearance import Appearance
from checkout_app.products.gallery import MatchPolicy, ProductGallery


def _appearance(colour_axis, trunk_axis, rng, noise=0.05, words=()):
    colour = np.zeros(8)
    colour[colour_axis] = 1.0
    colour = np.abs(colour + rng.normal(0, noise, 8))
    trunk = np.zeros(16)
    trunk[trunk_axis] = 5.0
    trunk = trunk + rng.normal(0, noise * 5, 16)
    return Appearance(colour / np.linalg.norm(colour), trunk, tuple(words))


@pytest.fixture
def rng():
    return np.random.default_rng(7)


@pytest.fixture
def taught(rng):
    return {
        "red": [_appearance(0, 0, rng) for _ in range(4)],
        "green": [_appearance(1, 1, rng) for _ in range(4)],
        "blue": [_appearance(2, 2, rng) for _ in range(4)],
    }


def test_a_photo_like_a_taught_product_is_that_product(taught, rng):
    gallery = ProductGallery(taught)
    match = gallery.match(_appearance(1, 1, rng))
    assert (match.sku, match.reason) == ("green", "accepted")
    assert match.margin > 0.5 and match.similarity > 0.5
    scores = gallery.scores(_appearance(1, 1, rng))
    assert max(scores, key=scores.get) == "green"


def test_a_photo_unlike_every_taught_product_is_unknown_not_the_nearest(taught, rng):
    gallery = ProductGallery(taught)
    match = gallery.match(_appearance(6, 12, rng))
    assert match.sku is None
    assert match.reason in ("too_far", "ambiguous")
    assert match.candidate in taught


def test_a_photo_between_two_products_is_ambiguous(taught, rng):
    half = [_appearance(0, 0, rng), _appearance(1, 1, rng)]
    colour = (half[0].colour + half[1].colour) / 2
    between = Appearance(colour / np.linalg.norm(colour), (half[0].trunk + half[1].trunk) / 2)
    match = ProductGallery(taught, MatchPolicy(min_similarity=-1.0)).match(between)
    assert (match.sku, match.reason) == (None, "ambiguous")
    assert match.candidate in ("red", "green")
    # Staff are offered the likeliest products first: the two it lies between, then the third.
    assert set(match.suggestions[:2]) == {"red", "green"} and match.suggestions[2] == "blue"
    assert match.suggestions[0] == match.candidate


def test_views_of_the_teaching_photos_train_the_classifier_not_the_gate(rng):
    """One photo per product, each with views that lie towards what the test photo shows:
    the views decide the candidate; the similarity still compares with the photos as taught."""
    taught = {
        "red": [_appearance(0, 0, rng)],
        "green": [_appearance(1, 1, rng)],
    }
    query = _appearance(1, 3, rng)
    plain = ProductGallery(taught, MatchPolicy(min_similarity=-1.0, min_margin=0.0))
    views = (_appearance(1, 3, rng), _appearance(1, 3, rng))
    taught["green"] = [replace(taught["green"][0], views=views)]
    with_views = ProductGallery(taught, MatchPolicy(min_similarity=-1.0, min_margin=0.0))
    assert with_views.scores(query)["green"] > plain.scores(query)["green"]
    assert with_views.match(query).similarity == pytest.approx(plain.match(query).similarity)


def test_with_one_product_taught_only_similarity_decides(rng):
    gallery = ProductGallery({"red": [_appearance(0, 0, rng) for _ in range(3)]})
    assert gallery.match(_appearance(0, 0, rng)).sku == "red"
    far = gallery.match(_appearance(5, 9, rng))
    assert (far.sku, far.candidate, far.reason) == (None, "red", "too_far")


def test_printed_words_decide_between_lookalikes(rng):
    """Two cartons of one brand that look the same: only the flavour printed on them differs."""

    def carton(*words):
        return _appearance(0, 0, rng, noise=0.0, words=words)

    gallery = ProductGallery(
        {"apple": [carton("BRAVO", "APPLE")] * 3, "orange": [carton("BRAVO", "APELSIN")] * 3}
    )
    assert gallery.match(carton("BRAVO", "APELSIN", "SHELF")).sku == "orange"
    assert gallery.match(carton("APPLE", "BRAVO")).sku == "apple"
    brand_only = gallery.match(carton("BRAVO"))
    assert (brand_only.sku, brand_only.reason) == (None, "ambiguous")


def test_print_that_is_not_the_candidates_makes_a_lookalike_unknown(rng):
    """The orange juice of a brand is taught, its apple juice is not: the apple carton looks the
    same, but the word in its middle was never seen on any taught product; a word printed on
    another taught product (and never on the candidate) says no as well."""

    def carton(*words, middle=()):
        photo = _appearance(0, 0, rng, noise=0.02, words=words)
        return replace(photo, middle_words=tuple(middle))

    gallery = ProductGallery(
        {
            "orange": [carton("BRAVO", "APELSIN", "JUICE")] * 3,
            "tomato": [_appearance(3, 3, rng, words=("TOMAT",)) for _ in range(3)],
        }
    )
    assert gallery.match(carton("BRAVO", "JUICE", middle=("JUICE",))).sku == "orange"
    apple = gallery.match(carton("BRAVO", "APPLE", "JUICE", middle=("APPLE", "JUICE")))
    assert (apple.sku, apple.candidate, apple.reason) == (None, "orange", "other_print")
    # Part of its own word says nothing against the candidate; another product's does.
    assert gallery.match(carton("BRAVO", middle=("APELS",))).sku == "orange"
    tomato = gallery.match(carton("BRAVO", middle=("TOMAT", "APELS")))
    assert (tomato.sku, tomato.reason) == (None, "other_print")
    # Words away from the middle (a neighbour on the shelf) are not held against it either.
    assert gallery.match(carton("BRAVO", "APELSIN", "APPLE", middle=("APELSIN",))).sku == "orange"


def test_nothing_taught_is_unknown(rng):
    match = ProductGallery({}).match(_appearance(0, 0, rng))
    assert (match.sku, match.candidate, match.reason) == (None, None, "nothing_taught")
    assert len(ProductGallery({"empty": []})) == 0


@pytest.mark.parametrize(
    "bad", [{"min_similarity": 1.5}, {"min_margin": -0.1}, {"text_weight": -1}, {"classifier_c": 0}]
)
def test_policy_values_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        MatchPolicy(**bad)
