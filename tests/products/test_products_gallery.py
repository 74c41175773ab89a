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


def test_an_unknown_item_like_a_look_staff_set_aside_is_not_a_product(taught, rng):
    tray = [_appearance(6, 12, rng) for _ in range(3)]
    gallery = ProductGallery(taught, not_products=tray)
    match = gallery.match(_appearance(6, 12, rng))
    assert (match.sku, match.reason) == (None, "not_a_product")
    # Something else still unknown is still asked about.
    assert gallery.match(_appearance(5, 9, rng)).reason in ("too_far", "ambiguous")


def test_a_look_set_aside_never_makes_a_recognised_product_free(taught, rng):
    """Even a look learned from a product's own photo: only what would be unknown is ignored."""
    gallery = ProductGallery(taught, not_products=[_appearance(1, 1, rng)])
    match = gallery.match(_appearance(1, 1, rng))
    assert (match.sku, match.reason) == ("green", "accepted")


def test_an_unknown_item_as_near_a_product_as_a_look_set_aside_stays_unknown(rng):
    """A look must be clearly nearer than every product's photo: an unknown item between a
    look and a product is asked about, not let go."""
    red = [_appearance(0, 0, rng) for _ in range(3)]
    look = _appearance(0, 0, rng)
    gallery = ProductGallery({"red": red}, MatchPolicy(min_similarity=0.9999), not_products=[look])
    match = gallery.match(_appearance(0, 0, rng))
    assert (match.sku, match.reason) == (None, "too_far")
    # With the look alone near it, the same item is ignored.
    far = {"red": [_appearance(3, 3, rng) for _ in range(3)]}
    assert ProductGallery(far, not_products=[look]).match(_appearance(0, 0, rng)).reason == (
        "not_a_product"
    )


def test_a_look_set_aside_lying_turned_is_still_not_a_product(taught, rng):
    """Its turned views count: a tray lies any way round."""
    upright = _appearance(6, 12, rng)
    turned = _appearance(7, 13, rng)
    gallery = ProductGallery(taught, not_products=[replace(upright, views=(turned,))])
    assert gallery.match(_appearance(7, 13, rng)).reason == "not_a_product"


def test_the_not_a_product_policy_is_checked():
    with pytest.raises(ValueError, match="min_not_product_similarity"):
        MatchPolicy(min_not_product_similarity=1.5)
    with pytest.raises(ValueError, match="not_product_margin"):
        MatchPolicy(not_product_margin=-0.1)
