"""Teaching products and building the gallery from the database, with a stand-in encoder (no
models): the checks before anything is stored, all-or-nothing storage, re-encoding, learning an
unknown item staff named."""

from __future__ import annotations

import time
from dataclasses import replace

import cv2
import numpy as np
import pytest

from checkout_app.core.catalog import Catalog, Product, taught_class_name
from checkout_app.products.appearance import Appearance, colour_histogram, teaching_views
from checkout_app.products.local_features import extract
from checkout_app.products.photo_quality import NOTHING_THERE, TOO_SMALL
from checkout_app.services.product_teaching import (
    DETECTOR_PRODUCT,
    GALLERY_FULL,
    NewProduct,
    NotLearned,
    ProductTeacher,
    TeachError,
    encode_jpeg,
    learn_not_products,
    load_gallery,
    teach_product,
)
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.product_photo_repository import ProductPhotoRepository


class ColourEncoder:
    """Appearance from colour only (the trunk is the mean BGR): enough to tell flat colours."""

    def __init__(self, name="colour-v1"):
        self.name = name
        self.encoded = 0

    def encode(self, images):
        self.encoded += len(images)
        return [
            Appearance(colour_histogram(im), im.reshape(-1, 3).mean(0).astype(np.float32), ("RED",))
            for im in images
        ]

    encode_taught = encode  # no extra views: flat colours need none


def _photo(bgr, seed):
    """A sharp, busy photo of one dominant colour (passes every teaching-photo gate)."""
    rng = np.random.default_rng(seed)
    image = np.full((200, 200, 3), bgr, np.uint8)
    for _ in range(12):
        x, y = (int(v) for v in rng.integers(0, 180, 2))
        cv2.rectangle(image, (x, y), (x + 15, y + 15), (255, 255, 255), -1)
    return image


@pytest.fixture
def repos(tmp_path):
    sessions = open_database(f"sqlite:///{tmp_path / 'store.db'}")
    yield CatalogRepository(sessions), ProductPhotoRepository(sessions)
    close_database(sessions)


def _teach(repos, encoder, sku, colour, count=3, **kwargs):
    images = [(f"{sku}-{i}.jpg", _photo(colour, i)) for i in range(count)]
    return teach_product(*repos, encoder, NewProduct(sku, f"{sku} name", 1200), images, **kwargs)


def test_a_taught_product_is_in_the_catalog_and_recognised(repos):
    encoder = ColourEncoder()
    steps = []
    result = _teach(repos, encoder, "RED-1", (0, 0, 220), progress=lambda d, t: steps.append(d))
    _teach(repos, encoder, "GREEN-1", (0, 200, 0))
    assert steps == [1, 2, 3] and result.photos == 3
    product = repos[0].load().get("RED-1")
    assert (product.name_en, product.price, product.class_name) == (
        "RED-1 name",
        1200,
        taught_class_name("RED-1"),
    )
    assert repos[1].photo_counts() == {"RED-1": 3, "GREEN-1": 3}
    gallery = load_gallery(repos[1], encoder)
    assert gallery.skus == ["GREEN-1", "RED-1"]
    assert gallery.match(encoder.encode([_photo((0, 0, 220), 9)])[0]).sku == "RED-1"


def test_refusals_store_nothing(repos):
    encoder = ColourEncoder()
    _teach(repos, encoder, "RED-1", (0, 0, 220))
    with pytest.raises(TeachError, match="already in the catalog"):
        _teach(repos, encoder, "RED-1", (0, 0, 220))
    with pytest.raises(TeachError, match="2 photos given: teach a product from 3 to 10"):
        _teach(repos, encoder, "BLUE-1", (220, 0, 0), count=2)
    with pytest.raises(TeachError, match="11 photos given"):
        _teach(repos, encoder, "BLUE-1", (220, 0, 0), count=11)
    flat = [("a.jpg", _photo((220, 0, 0), 1)), ("b.jpg", _photo((220, 0, 0), 2))]
    flat.append(("wall.jpg", np.full((200, 200, 3), 128, np.uint8)))
    with pytest.raises(TeachError, match=r"wall\.jpg: nothing there"):
        teach_product(*repos, encoder, NewProduct("BLUE-1", "Blue", 900), flat)
    with pytest.raises(TeachError, match="price"):
        negative_price = NewProduct("BLUE-1", "Blue", -5)
        teach_product(
            *repos, encoder, negative_price, flat[:2] + [("c.jpg", _photo((220, 0, 0), 3))]
        )
    assert [p.sku for p in repos[0].load()] == ["RED-1"]
    assert repos[1].photo_counts() == {"RED-1": 3}


def test_a_failure_while_storing_leaves_neither_product_nor_photos(repos, monkeypatch):
    def broken_insert(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("checkout_app.storage.product_photo_repository._to_row", broken_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        _teach(repos, ColourEncoder(), "RED-1", (0, 0, 220))
    assert len(repos[0].load()) == 0 and repos[1].photo_counts() == {}


class ViewsEncoder(ColourEncoder):
    """Like ColourEncoder, with each teaching photo's views (``teaching_views``)."""

    def encode_taught(self, images):
        return [
            replace(a, views=tuple(self.encode(teaching_views(im))))
            for a, im in zip(self.encode(images), images)
        ]


def test_a_teaching_photo_is_stored_with_its_views(repos):
    encoder = ViewsEncoder("colour-views")
    _teach(repos, encoder, "RED-1", (0, 0, 220))
    first = repos[1].active_photos()[0]
    expected = encoder.encode_taught([_photo((0, 0, 220), 0)])[0]  # what _teach taught first
    assert len(first.appearance.views) == len(expected.views) == 5
    for stored, made in zip(first.appearance.views, expected.views):
        assert np.allclose(stored.colour, made.colour, atol=1e-6)
        assert np.allclose(stored.trunk, made.trunk, atol=1e-3)
    assert first.appearance.words == ("RED",)
    gallery = load_gallery(repos[1], encoder)
    assert gallery.match(encoder.encode([_photo((0, 0, 220), 9)])[0]).sku == "RED-1"


def test_a_photo_stored_with_cues_of_another_size_is_encoded_again(repos):
    """An older encoder's colour histogram of another size: one appearance, no views, and the
    gallery encodes the photo again instead of failing to read it."""
    old = Appearance(np.full(10, 0.3, np.float32), np.ones(3, np.float32))
    jpeg = encode_jpeg(_photo((0, 0, 220), 0))
    repos[1].add_product(NewProduct("RED-1", "red", 900).product(), [(jpeg, old)], "older")
    (stored,) = repos[1].active_photos()
    assert stored.appearance.colour.shape == (10,) and stored.appearance.views == ()
    encoder = ViewsEncoder("colour-views")
    gallery = load_gallery(repos[1], encoder)
    assert gallery.match(encoder.encode([_photo((0, 0, 220), 9)])[0]).sku == "RED-1"
    assert len(repos[1].active_photos()[0].appearance.views) == 5


def test_photos_of_an_older_encoder_are_encoded_again_once(repos):
    _teach(repos, ColourEncoder("colour-v1"), "RED-1", (0, 0, 220))
    newer = ColourEncoder("colour-v2")
    assert load_gallery(repos[1], newer).skus == ["RED-1"]
    assert newer.encoded == 3
    assert {p.encoder for p in repos[1].active_photos()} == {"colour-v2"}
    load_gallery(repos[1], newer)
    assert newer.encoded == 3


def test_an_inactive_or_forgotten_product_is_not_in_the_gallery(repos):
    encoder = ColourEncoder()
    _teach(repos, encoder, "RED-1", (0, 0, 220))
    _teach(repos, encoder, "GREEN-1", (0, 200, 0))
    repos[0].set_active("GREEN-1", False)
    assert load_gallery(repos[1], encoder).skus == ["RED-1"]
    assert repos[1].forget("RED-1") == 3
    assert repos[1].forget("RED-1") == 0
    assert len(load_gallery(repos[1], encoder)) == 0


def test_a_sku_another_kiosk_added_meanwhile_is_refused_cleanly(repos, monkeypatch):
    encoder = ColourEncoder()
    _teach(repos, encoder, "RED-1", (0, 0, 220))
    # The other kiosk's insert lands between this kiosk's check and its own insert.
    monkeypatch.setattr(repos[0], "load", lambda: Catalog([]))
    with pytest.raises(TeachError, match="SKU RED-1 is already in the catalog"):
        _teach(repos, encoder, "RED-1", (0, 200, 0))
    assert repos[1].photo_counts() == {"RED-1": 3}


class KeypointEncoder(ColourEncoder):
    """Like ColourEncoder, with each photo's local features (OpenCV's real SIFT)."""

    def encode(self, images):
        return [replace(a, local=extract(im)) for a, im in zip(super().encode(images), images)]

    encode_taught = encode


def test_a_teaching_photo_is_stored_with_its_keypoints_and_older_photos_get_them(repos):
    _teach(repos, ColourEncoder("colour-v1"), "RED-1", (0, 0, 220))
    assert all(p.appearance.local is None for p in repos[1].active_photos())
    encoder = KeypointEncoder("colour-keypoints")
    load_gallery(repos[1], encoder)  # encodes the older photos again, keypoints included
    first = repos[1].active_photos()[0]
    made = extract(cv2.imdecode(np.frombuffer(first.photo_jpeg, np.uint8), cv2.IMREAD_COLOR))
    assert len(made) > 0
    assert np.array_equal(first.appearance.local.points, made.points)
    assert np.array_equal(first.appearance.local.descriptors, made.descriptors)


def test_the_kiosk_learns_an_unknown_item_staff_named_for_the_next_shopper(repos, monkeypatch):
    """ProductTeacher.learn: the picture joins the product's photos and the gallery is rebuilt;
    a picture it cannot use, a product the detector finds and a full gallery store nothing."""
    catalog, photos = repos
    encoder = ColourEncoder()
    teacher = ProductTeacher(catalog, photos, lambda: encoder)
    teacher.teach(
        NewProduct("RED-1", "Red", 1200), [(f"{i}", _photo((0, 0, 220), i)) for i in range(3)]
    )
    # On sale, never taught (staff found it by search when an item was unknown).
    catalog.upsert(Product("GREEN-1", "초록", "Green", 900, taught_class_name("GREEN-1")))
    catalog.upsert(Product("COLA", "콜라", "Cola", 1500, "cola_can"))  # the detector's class

    green = _photo((0, 200, 0), 7)
    photo_id = teacher.learn("GREEN-1", green)
    assert photos.photo_counts() == {"RED-1": 3, "GREEN-1": 1}
    assert teacher._gallery.skus == ["GREEN-1", "RED-1"], "rebuilt: the next visit finds it"
    assert teacher._gallery.match(encoder.encode([_photo((0, 200, 0), 8)])[0]).sku == "GREEN-1"

    for picture, why in (
        (np.full((200, 200, 3), 90, np.uint8), NOTHING_THERE),
        (green[:40, :40], TOO_SMALL),
    ):
        with pytest.raises(NotLearned) as refused:
            teacher.learn("GREEN-1", picture)
        assert refused.value.code == why
    with pytest.raises(NotLearned) as refused:
        teacher.learn("COLA", _photo((30, 30, 30), 1))
    assert refused.value.code == DETECTOR_PRODUCT
    monkeypatch.setattr("checkout_app.services.product_teaching.MAX_PHOTOS_PER_PRODUCT", 3)
    with pytest.raises(NotLearned) as refused:
        teacher.learn("RED-1", _photo((0, 0, 220), 9))
    assert refused.value.code == GALLERY_FULL
    assert photos.photo_counts() == {"RED-1": 3, "GREEN-1": 1}

    # Staff named it wrongly: undoing deletes that photo only, and the next visit forgets it.
    assert teacher.unlearn(photo_id)
    assert photos.photo_counts() == {"RED-1": 3}
    assert teacher._gallery.skus == ["RED-1"]
    assert not teacher.unlearn(photo_id), "gone already"


def test_a_photo_is_added_only_to_a_product_in_the_catalog_and_below_the_limit(repos):
    photos = repos[1]
    encoder = ColourEncoder()
    _teach(repos, encoder, "RED-1", (0, 0, 220))
    image = _photo((0, 0, 220), 5)
    appearance = encoder.encode([image])[0]
    photo_id = photos.add_photo("RED-1", encode_jpeg(image), encoder.name, appearance, limit=4)
    assert photo_id == max(p.id for p in photos.active_photos())
    assert photos.add_photo("RED-1", encode_jpeg(image), encoder.name, appearance, limit=4) is None
    with pytest.raises(ValueError, match="SKU NOPE is not in the catalog"):
        photos.add_photo("NOPE", encode_jpeg(image), encoder.name, appearance, limit=4)
    assert photos.photo_counts() == {"RED-1": 4}


def test_photos_taught_or_learned_on_another_kiosk_reach_this_one(repos):
    """Two kiosks on one database: what kiosk A teaches, learns and undoes, kiosk B's gallery
    has after its next ``refresh_if_changed`` (the store refresher's round)."""
    catalog, photos = repos
    encoder_a, encoder_b = ColourEncoder(), ColourEncoder()
    kiosk_a = ProductTeacher(catalog, photos, lambda: encoder_a)
    kiosk_b = ProductTeacher(catalog, photos, lambda: encoder_b)
    assert not kiosk_b.refresh_if_changed() and not kiosk_b.models_loaded, "nothing taught"

    kiosk_a.teach(
        NewProduct("RED-1", "Red", 1200), [(f"{i}", _photo((0, 0, 220), i)) for i in range(3)]
    )
    assert not kiosk_a.refresh_if_changed(), "kiosk A built its gallery when it taught"
    assert kiosk_b.refresh_if_changed() and kiosk_b._gallery.skus == ["RED-1"]
    assert not kiosk_b.refresh_if_changed(), "nothing new"

    catalog.upsert(Product("GREEN-1", "초록", "Green", 900, taught_class_name("GREEN-1")))
    photo_id = kiosk_a.learn("GREEN-1", _photo((0, 200, 0), 7))
    assert kiosk_b.refresh_if_changed() and kiosk_b._gallery.skus == ["GREEN-1", "RED-1"]
    kiosk_a.unlearn(photo_id)
    assert kiosk_b.refresh_if_changed() and kiosk_b._gallery.skus == ["RED-1"]


def test_unknown_items_are_found_only_while_a_taught_product_is_on_sale(repos):
    """With every taught product forgotten the kiosk is back to the demo store it was at
    install (and after a restart): nothing on the counter is an unknown item."""
    catalog, photos = repos
    teacher = ProductTeacher(catalog, photos, ColourEncoder)
    teacher.set_empty_counter(np.full((120, 160, 3), 90, np.uint8))
    assert teacher.counter_items() is None, "nothing taught"
    teacher.teach(
        NewProduct("RED-1", "Red", 1200), [(f"{i}", _photo((0, 0, 220), i)) for i in range(3)]
    )
    assert teacher.counter_items() is not None
    photos.forget("RED-1")  # checkout-app products forget, from a shell
    assert teacher.refresh_if_changed() and teacher._gallery.skus == []
    assert teacher.counter_items() is None


def test_a_gallery_that_cannot_be_rebuilt_is_tried_again_only_after_the_next_change(repos):
    catalog, photos = repos
    kiosk_a = ProductTeacher(catalog, photos, ColourEncoder)
    loads = []

    def broken_encoder():
        loads.append(1)
        raise OSError("model file is truncated")

    kiosk_b = ProductTeacher(catalog, photos, broken_encoder)
    kiosk_a.teach(
        NewProduct("RED-1", "Red", 1200), [(f"{i}", _photo((0, 0, 220), i)) for i in range(3)]
    )
    with pytest.raises(OSError, match="truncated"):
        kiosk_b.refresh_if_changed()
    assert not kiosk_b.refresh_if_changed() and len(loads) == 1, "not every round"
    kiosk_a.learn("RED-1", _photo((0, 0, 220), 8))
    with pytest.raises(OSError):
        kiosk_b.refresh_if_changed()
    assert len(loads) == 2


def test_items_named_during_a_gallery_build_wait_for_one_more_build_together(repos, monkeypatch):
    """Staff name three items in a row: the second and third pictures are stored while the
    first one's gallery is being built, and one more build takes both (not one build each)."""
    import threading

    import checkout_app.services.product_teaching as teaching

    catalog, photos = repos
    teacher = ProductTeacher(catalog, photos, ColourEncoder)
    teacher.teach(
        NewProduct("RED-1", "Red", 1200), [(f"{i}", _photo((0, 0, 220), i)) for i in range(3)]
    )
    catalog.upsert(Product("GREEN-1", "초록", "Green", 900, taught_class_name("GREEN-1")))
    building, release, builds = threading.Event(), threading.Event(), []

    def slow_load_gallery(*args):
        builds.append(photos.photo_counts().get("GREEN-1", 0))
        building.set()
        assert release.wait(10)
        return load_gallery(*args)

    monkeypatch.setattr(teaching, "load_gallery", slow_load_gallery)
    learners = [
        threading.Thread(target=teacher.learn, args=("GREEN-1", _photo((0, 200, 0), seed)))
        for seed in (7, 8, 9)
    ]
    learners[0].start()
    assert building.wait(10)
    for learner in learners[1:]:
        learner.start()
    deadline = time.monotonic() + 10
    while photos.photo_counts().get("GREEN-1") != 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for learner in learners:
        learner.join(10)
    assert builds == [1, 3], "the first picture's build, then one for the other two"
    assert teacher._gallery.skus == ["GREEN-1", "RED-1"]
    assert not teacher.refresh_if_changed(), "the gallery has every stored photo"


def test_an_item_staff_set_aside_is_learned_and_the_next_one_like_it_ignored(repos, monkeypatch):
    """ProductTeacher.learn(None, picture): a look with no product; the rebuilt gallery calls an
    item like it "not a product", still asks about anything else, and undoing forgets it."""
    catalog, photos = repos
    encoder = ColourEncoder()
    teacher = ProductTeacher(catalog, photos, lambda: encoder)
    for sku, colour in (("RED-1", (0, 0, 220)), ("GREEN-1", (0, 200, 0))):
        teacher.teach(NewProduct(sku, sku, 1200), [(f"{i}", _photo(colour, i)) for i in range(3)])
    tray = encoder.encode([_photo((220, 0, 0), 20)])[0]
    assert teacher._gallery.match(tray).reason != "not_a_product"

    look = teacher.learn(None, _photo((220, 0, 0), 7))
    assert photos.photo_counts() == {"RED-1": 3, "GREEN-1": 3}, "no product got a photo"
    assert teacher._gallery.skus == ["GREEN-1", "RED-1"]
    assert teacher._gallery.match(tray).reason == "not_a_product"
    assert teacher._gallery.match(encoder.encode([_photo((0, 200, 220), 3)])[0]).sku is None
    assert teacher._gallery.match(encoder.encode([_photo((0, 200, 0), 9)])[0]).sku == "GREEN-1"
    # A fresh gallery from the database (another kiosk, a restart) ignores it too.
    assert load_gallery(photos, encoder).match(tray).reason == "not_a_product"

    monkeypatch.setattr("checkout_app.services.product_teaching.MAX_NOT_PRODUCT_LOOKS", 1)
    with pytest.raises(NotLearned) as refused:
        teacher.learn(None, _photo((220, 0, 0), 8))
    assert refused.value.code == GALLERY_FULL

    assert teacher.unlearn(look)
    assert teacher._gallery.match(tray).reason != "not_a_product", "asked about again"


def test_looks_that_are_no_product_are_learned_from_photos_all_or_none(repos, monkeypatch):
    """learn_not_products: every photo checked first, all stored or none, within the limit."""
    photos = repos[1]
    encoder = ColourEncoder()
    trays = [(f"tray-{i}.jpg", _photo((220, 0, 0), i)) for i in range(3)]
    bad = [*trays, ("blank.jpg", np.full((200, 200, 3), 90, np.uint8))]
    with pytest.raises(TeachError, match=r"blank\.jpg: nothing there"):
        learn_not_products(photos, encoder, bad)
    with pytest.raises(TeachError, match="no photos given"):
        learn_not_products(photos, encoder, [])
    monkeypatch.setattr("checkout_app.services.product_teaching.MAX_NOT_PRODUCT_LOOKS", 4)
    steps = []
    assert learn_not_products(photos, encoder, trays, lambda d, t: steps.append(d)) == 3
    assert steps == [1, 2, 3] and len(photos.not_product_looks()) == 3
    with pytest.raises(TeachError, match="at most 4: forget them first; nothing was learned"):
        learn_not_products(photos, encoder, trays[:2])
    assert len(photos.not_product_looks()) == 3, "not one of the two stored"
    assert photos.forget(None) == 3 and photos.not_product_looks() == []
