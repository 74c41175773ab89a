"""Taught products and unknown items at the counter, with a made-up counter and a stand-in
gallery (no models): what differs from the empty counter is identified once per item, followed by
its box, left to the product detector where it counts it, and turned into cart lines or unknown
items that hold the payment."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from checkout_app.camera.source import Frame
from checkout_app.core.catalog import Catalog, Product, taught_class_name
from checkout_app.products.gallery import ProductMatch
from checkout_app.services.counter_items import (
    STALE_AFTER_S,
    CounterItemDetector,
    WithCounterItems,
    merge_suggestions,
    unknown_item_pictures,
)
from checkout_app.services.counter_items_benchmark import empty_counter
from checkout_app.services.counter_session import CounterSession
from checkout_app.ui.view_models import (
    BOX_COLOURS,
    NOT_FOR_SALE_COLOUR,
    UNKNOWN_ITEM_COLOUR,
    BoxTexts,
    box_views,
)
from checkout_app.vision.detections import Detections
from checkout_app.vision.tracker import TrackerConfig

GREEN, RED = (40, 170, 40), (40, 40, 200)
TEXTS = BoxTexts("not for sale", "Unknown item", "Not a product", "Move apart")


def with_items(*items) -> np.ndarray:
    """The counter with flat-coloured cartons: (x, y, BGR colour), 120×180 px each."""
    shot = empty_counter()
    for x, y, colour in items:
        cv2.rectangle(shot, (x, y), (x + 120, y + 180), colour, -1)
    return shot


class ColourGallery:
    """Accepts green cartons as the taught juice; a yellow one is like a look staff said is no
    product (a store's tray); anything else is unknown."""

    skus = ("JUICE-1",)

    def match(self, appearance) -> ProductMatch:
        if appearance == "green":
            return ProductMatch("JUICE-1", "JUICE-1", 1.0, 1.0, 0.9, "accepted")
        if appearance == "yellow":
            return ProductMatch(None, "JUICE-1", 0.2, 0.2, 0.1, "not_a_product")
        return ProductMatch(None, "JUICE-1", 0.2, 0.2, 0.1, "too_far", suggestions=("JUICE-1",))


class TakesAllForJuice(ColourGallery):
    """Takes any item for the taught juice, whatever its colours."""

    def match(self, appearance) -> ProductMatch:
        return super().match("green")


class ColourEncoder:
    """'green' for a mostly green crop; counts how often it ran (it is the slow part)."""

    name = "colour"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, crops):
        self.calls += len(crops)
        return [_colour_name(c) for c in crops]


def _colour_name(crop) -> str:
    blue, green, red = (crop[..., i].mean() for i in range(3))
    if green > red + 30:
        return "green"
    if min(green, red) > blue + 30:
        return "yellow"
    return "other"


class NoProducts:
    """A product detector that finds nothing (a real store's counter: no demo products)."""

    class_names = ("cola_can",)
    model_path = Path("none.pt")
    backend = "fake"

    def __init__(self, boxes=()) -> None:
        self.boxes = list(boxes)
        self.meta: dict = {}
        self.last_timings_ms: dict = {}

    def detect(self, image):
        if not self.boxes:
            return Detections.empty()
        return Detections(np.array(self.boxes, np.float32), np.full(len(self.boxes), 0.9), [0])


def cola_and_juice(cola_barcodes: tuple = ()) -> Catalog:
    """A demo product the detector knows and a product staff taught."""
    return Catalog(
        [
            Product("A1", "콜라", "Cola", 1500, "cola_can", barcodes=cola_barcodes),
            Product("JUICE-1", "브라보 사과", "Bravo Apple", 2500, taught_class_name("JUICE-1")),
        ]
    )


def colour_session(catalog: Catalog, barcode_reader=None) -> CounterSession:
    """A counter session that finds items with the colour gallery, confirming in two frames."""
    config = TrackerConfig(confirm_after_frames=2, confirm_window_frames=3, lost_after_frames=2)
    gallery, encoder = ColourGallery(), ColourEncoder()
    return CounterSession(
        NoProducts(),
        catalog,
        config,
        barcode_reader=barcode_reader,
        counter_items=lambda: CounterItemDetector(empty_counter(), gallery, encoder),
    )


def test_each_item_is_identified_once_and_followed_by_its_box():
    encoder = ColourEncoder()
    items = CounterItemDetector(empty_counter(), ColourGallery(), encoder)
    juice, unknown = taught_class_name("JUICE-1"), "unknown_item"
    found = items.detect(with_items((100, 120, GREEN), (400, 140, RED)))
    assert sorted(items.class_names[c] for c in found.class_id) == [juice, unknown]
    for dx in (2, 4, 6):  # nudged a little each frame: the same items, not identified again
        found = items.detect(with_items((100 + dx, 120, GREEN), (400, 140 + dx, RED)))
        assert len(found) == 2
    assert encoder.calls == 2
    assert len(items.detect(empty_counter())) == 0  # taken away


def test_an_arm_reaching_in_from_the_edge_is_no_item_and_hides_none():
    """An arm comes into the view from its edge; an item lies wholly on the counter. The arm,
    with whatever its hand holds, is no item: no unknown item flickers into the cart while a
    shopper puts things down. An item the hand lies on stays counted while the arm covers it
    (a hand over a carton does not take it off the bill), and leaves once it is gone."""
    skin = (150, 180, 230)
    session = colour_session(cola_and_juice())  # a track is lost after two missed frames
    carton = with_items((300, 120, GREEN))
    for i in range(3):
        snapshot = session.process(Frame(carton, i / 15, i))
    assert snapshot.quantities == {"JUICE-1": 1}
    reaching = carton.copy()
    cv2.rectangle(reaching, (0, 200), (340, 260), skin, -1)  # from the left edge onto the carton
    cv2.rectangle(reaching, (200, 330), (260, 479), (40, 40, 200), -1)  # another from below
    for i in range(3, 8):  # longer than the tracker's patience
        snapshot = session.process(Frame(reaching, i / 15, i))
        assert snapshot.quantities == {"JUICE-1": 1} and not snapshot.unknown_items
        assert [box.class_name for box in snapshot.boxes] == [taught_class_name("JUICE-1")]
    for i in range(8, 11):  # the hand took the carton away
        snapshot = session.process(Frame(empty_counter(), i / 15, i))
    assert snapshot.quantities == {}
    for i in range(11, 14):  # a red carton put down near the left edge: that one is an item
        snapshot = session.process(Frame(with_items((40, 280, RED)), i / 15, i))
    assert snapshot.unknown_items == 1
    near = with_items((16, 16, RED))  # put down near the edge, but wholly in view: an item
    assert len(CounterItemDetector(empty_counter(), ColourGallery(), ColourEncoder()).detect(near))


def test_regions_the_product_detector_counts_are_left_to_it():
    items = CounterItemDetector(empty_counter(), ColourGallery(), ColourEncoder())
    shot = with_items((100, 120, GREEN), (400, 140, RED))
    found = items.detect(shot, explained=[(390, 130, 530, 330)])
    assert [items.class_names[c] for c in found.class_id] == [taught_class_name("JUICE-1")]
    combined = WithCounterItems(NoProducts([(390, 130, 530, 330)]), items, counted={0})
    detections = combined.detect(shot)
    names = [combined.class_names[c] for c in detections.class_id]
    assert sorted(names) == ["cola_can", taught_class_name("JUICE-1")]
    # Not sold here: the detection explains nothing, and inside an item it is not drawn either.
    not_sold = WithCounterItems(NoProducts([(390, 130, 530, 330)]), items, counted=set())
    names = [not_sold.class_names[c] for c in not_sold.detect(shot).class_id]
    assert sorted(names) == [taught_class_name("JUICE-1"), "unknown_item"]


def patterned_mat() -> np.ndarray:
    """A cloth of coloured patches laid over the whole counter (or the camera turned away)."""
    patches = np.random.default_rng(7).integers(0, 256, (6, 8, 3)).astype(np.uint8)
    return cv2.resize(patches, (640, 480), interpolation=cv2.INTER_NEAREST)


def test_the_camera_s_exposure_or_a_changed_counter_is_not_an_item(caplog):
    """A webcam brightens or darkens the whole picture by itself: matched, not an item. A
    counter that changed altogether (a mat, the camera moved) is no item either, and said."""
    items = CounterItemDetector(empty_counter(), ColourGallery(), ColourEncoder())
    for gain in (0.6, 0.8, 1.2, 1.4):
        exposed = np.clip(with_items((100, 120, GREEN)) * gain, 0, 255).astype(np.uint8)
        found = items.detect(exposed)
        assert [items.class_names[c] for c in found.class_id] == [taught_class_name("JUICE-1")]
    assert "differs from the empty-counter shot" not in caplog.text
    assert len(items.detect(patterned_mat())) == 0
    assert "differs from the empty-counter shot" in caplog.text


def test_a_counter_unlike_its_empty_shot_holds_the_payment_until_staff_take_it_again():
    """A mat laid over the counter: nothing on it can be found, so a taught product there would
    go unpaid. After STALE_AFTER_S (not for an arm's moment) payment waits; taking the empty
    counter again finds the items at once, in this visit."""
    now = [0.0]
    gallery, encoder = ColourGallery(), ColourEncoder()
    session = CounterSession(
        NoProducts([(400, 140, 520, 320)]),  # a cola the product detector finds in any light
        cola_and_juice(),
        TrackerConfig(confirm_after_frames=2, confirm_window_frames=3, lost_after_frames=2),
        counter_items=lambda: CounterItemDetector(
            empty_counter(), gallery, encoder, clock=lambda: now[0]
        ),
    )
    frame = iter(range(100))

    def show(shot, seconds: float):
        end = now[0] + seconds
        while now[0] < end:
            now[0] += 0.25
            i = next(frame)
            snapshot = session.process(Frame(shot, now[0], i))
        return snapshot

    assert show(with_items((100, 120, GREEN)), 1).quantities == {"A1": 1, "JUICE-1": 1}
    mat = patterned_mat()
    on_mat = mat.copy()
    cv2.rectangle(on_mat, (100, 120), (220, 300), GREEN, -1)
    snapshot = show(on_mat, 1.5)
    assert not snapshot.empty_counter_stale, "a moment: an arm close to the camera, say"
    snapshot = show(on_mat, 1.0)
    assert snapshot.quantities == {"A1": 1}, "the juice is not seen: it would go unpaid"
    assert snapshot.empty_counter_stale and not snapshot.can_pay
    assert not snapshot.counter_full, "the counter held one carton: the mat, not too many"
    snapshot = session.set_empty_counter(mat)  # staff cleared the counter and took it
    assert not snapshot.empty_counter_stale
    snapshot = show(on_mat, 1.0)
    assert snapshot.quantities == {"A1": 1, "JUICE-1": 1} and snapshot.can_pay


def test_a_counter_too_full_to_tell_apart_is_said_so_not_blamed_on_the_light():
    """Products put down one after another until most of the counter differs from its shot:
    payment waits as for a moved camera, but the shopper is told the counter is too full
    (retaking the empty counter would not help). A cloth over a bare counter is the light or
    the camera."""
    now = [0.0]
    items = CounterItemDetector(
        empty_counter(), ColourGallery(), ColourEncoder(), clock=lambda: now[0]
    )
    spots = [(x, y) for y in (25, 255) for x in (25, 175, 325, 475)]

    def with_cartons(count: int) -> np.ndarray:
        shot = empty_counter()
        for x, y in spots[:count]:
            cv2.rectangle(shot, (x, y), (x + 140, y + 200), GREEN, -1)  # 9 % of the picture
        return shot

    def show(shot, seconds: float) -> None:
        end = now[0] + seconds
        while now[0] < end:
            now[0] += 0.25
            items.detect(shot)

    for count in range(1, 6):  # up to 51 % of the picture: each one found
        show(with_cartons(count), 0.5)
        assert not items.empty_counter_stale and len(items.detect(with_cartons(count))) >= 1
    show(with_cartons(7), STALE_AFTER_S + 0.5)
    assert items.empty_counter_stale and items.counter_full
    show(with_cartons(5), 0.5)  # some taken off
    assert not items.empty_counter_stale and not items.counter_full

    show(empty_counter(), 0.5)
    show(patterned_mat(), STALE_AFTER_S + 0.5)
    assert items.empty_counter_stale and not items.counter_full


def test_the_cart_lists_the_taught_product_and_holds_payment_for_an_unknown_item():
    session = colour_session(cola_and_juice())
    for i in range(3):
        snapshot = session.process(Frame(with_items((100, 120, GREEN)), i / 15, i))
    assert snapshot.quantities == {"JUICE-1": 1} and snapshot.total == 2500
    assert snapshot.unknown_items == 0 and snapshot.can_pay
    for i in range(3, 6):
        snapshot = session.process(Frame(with_items((100, 120, GREEN), (400, 140, RED)), i, i))
    assert snapshot.quantities == {"JUICE-1": 1} and snapshot.unknown_items == 1
    assert not snapshot.can_pay
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    assert sorted(v.text for v in views) == ["Bravo Apple", "Unknown item"]
    assert [v.colour for v in views if v.text == "Unknown item"] == [UNKNOWN_ITEM_COLOUR]
    (taught_colour,) = [v.colour for v in views if v.text == "Bravo Apple"]
    assert taught_colour in BOX_COLOURS[1:]  # never the first one, close to the unknown red
    for i in range(6, 10):
        snapshot = session.process(Frame(with_items((100, 120, GREEN)), i, i))
    assert snapshot.unknown_items == 0 and snapshot.can_pay  # taken off: payment may go on


def test_something_laid_against_an_item_holds_the_payment_until_they_lie_apart():
    """The merged region's crop would pass for the item alone: the second carton of a pair, or
    a small thing beside a big one, would go unpaid. It is "items touching" instead, labelled
    for the shopper to move them apart; no unknown item (named or scanned as one product, the
    other would go unpaid); apart, each one is identified and charged."""
    session = colour_session(cola_and_juice())
    frame = iter(range(100))

    def show(shot, times=4):
        for _ in range(times):
            i = next(frame)
            snapshot = session.process(Frame(shot, i / 15, i))
        return snapshot

    assert show(with_items((100, 120, GREEN))).quantities == {"JUICE-1": 1}
    beside = with_items((100, 120, GREEN))
    cv2.rectangle(beside, (220, 200), (270, 290), RED, -1)  # a candy bar against its side
    snapshot = show(beside)
    assert snapshot.touching_items == 1 and not snapshot.can_pay
    assert snapshot.unknown_items == 0 and snapshot.quantities == {}, "neither is charged"
    assert snapshot.occupied, "a visit under way: not the moment for a new catalog"
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    assert [(v.text, v.colour) for v in views] == [("Move apart", UNKNOWN_ITEM_COLOUR)]
    assert show(with_items((100, 120, GREEN))).can_pay, "taken away again"
    pair = with_items((100, 120, GREEN), (220, 120, GREEN))  # a second carton, flush
    snapshot = show(pair)
    assert snapshot.touching_items == 1 and not snapshot.can_pay
    snapshot = show(with_items((100, 120, GREEN), (300, 120, GREEN)), 6)
    assert snapshot.quantities == {"JUICE-1": 2} and snapshot.unknown_items == 0
    assert snapshot.can_pay


def test_an_item_whose_region_changed_is_identified_again():
    """Nudged, an item keeps its area, its look and its identity (identified once). Identified
    again: a region that lost an object's area (one of two touching cartons taken away), and one
    that looks different in the same place (another carton put down where one was taken away,
    under the hand: charged as the first one, it would be the wrong product's price)."""
    encoder, now = ColourEncoder(), [0.0]
    items = CounterItemDetector(empty_counter(), ColourGallery(), encoder, clock=lambda: now[0])
    juice = taught_class_name("JUICE-1")
    items.detect(with_items((100, 120, GREEN)))
    for dx in (2, 4):
        assert [
            items.class_names[c] for c in items.detect(with_items((100 + dx, 120, GREEN))).class_id
        ] == [juice]
    assert encoder.calls == 1
    for now[0] in (1.0, 3.0, 5.0):  # long enough to forget the carton alone
        items.detect(with_items((100, 120, GREEN), (220, 120, GREEN)))  # one region: touching
    assert encoder.calls == 1, "nothing to identify: it grew out of the carton"
    pushed = items.detect(with_items((100, 120, GREEN), (220, 160, GREEN)))  # one pushed along
    assert [items.class_names[c] for c in pushed.class_id] == ["items_touching"]
    assert encoder.calls == 1, "looks different, still two cartons touching: not one juice"
    found = items.detect(with_items((100, 120, GREEN)))  # the second one taken away
    assert [items.class_names[c] for c in found.class_id] == [juice]
    assert encoder.calls == 2
    found = items.detect(with_items((100, 120, RED)))  # swapped for a red one of its size
    assert [items.class_names[c] for c in found.class_id] == ["unknown_item"]
    assert encoder.calls == 3


def test_a_still_real_item_under_camera_noise_is_identified_once(grocery_dir):
    """The margins of the area and look rules: a real photo's outline and colours jitter from
    frame to frame (camera noise, the exposure wobbling or jumping, JPEG) far less than what makes
    an item identified again; another product's photo put down in its place is identified again."""
    rng = np.random.default_rng(0)
    folders = (
        "Fruit/Banana",
        "Fruit/Kiwi",
        "Vegetables/Garlic",
        "Packages/Juice/God-Morgon-Apple-Juice",
    )

    def laid_down(folder: str) -> np.ndarray:
        """The counter with the folder's first photo on it, its outline round, not a frame."""
        photo = cv2.imread(str(sorted((grocery_dir / "test" / folder).glob("*.jpg"))[0]))
        item = cv2.resize(photo, (200, 200))
        shot = empty_counter()
        outline = np.zeros(item.shape[:2], np.uint8)
        cv2.ellipse(outline, (100, 100), (98, 98), 0, 0, 360, 1, -1)
        shot[140:340, 220:420][outline > 0] = item[outline > 0]
        return shot

    def camera(shot: np.ndarray) -> np.ndarray:
        frame = shot * (1 + rng.normal(0, 0.02)) + rng.normal(0, 3, shot.shape)
        frame = np.clip(frame, 0, 255).astype(np.uint8)
        return cv2.imdecode(cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 80])[1], 1)

    for folder, other in zip(folders, folders[1:] + folders[:1]):
        encoder = ColourEncoder()
        items = CounterItemDetector(empty_counter(), TakesAllForJuice(), encoder)
        shot = laid_down(folder)
        for _ in range(30):
            found = items.detect(camera(shot))
            assert [items.class_names[c] for c in found.class_id] == [taught_class_name("JUICE-1")]
        brighter = np.clip(shot * 1.25, 0, 255).astype(np.uint8)  # the webcam's auto exposure
        assert len(items.detect(camera(brighter))) == 1
        assert encoder.calls == 1, folder
        items.detect(camera(laid_down(other)))
        assert encoder.calls == 2, f"{other} put down where {folder} lay"


def test_without_counter_items_the_session_is_as_before():
    catalog = Catalog([Product("A1", "콜라", "Cola", 1500, "cola_can")])
    session = CounterSession(NoProducts(), catalog, counter_items=lambda: None)
    snapshot = session.process(Frame(with_items((100, 120, GREEN)), 0.0, 0))
    assert snapshot.quantities == {} and snapshot.unknown_items == 0


@pytest.mark.integration
def test_real_models_find_a_taught_juice_on_the_counter_and_call_a_banana_unknown(
    tmp_path, grocery_dir, weights_home
):
    """Two juices taught from 5 shared photos each (real FaceNet trunk + OCR); a test photo of
    one, then a banana, placed on a counter: the juice is charged, the banana holds payment. A
    second carton laid against the first holds it too, until they lie apart: then two juices."""
    from checkout_app.app import load_appearance_encoder
    from checkout_app.services.product_teaching import NewProduct, ProductTeacher
    from checkout_app.storage.catalog_repository import CatalogRepository
    from checkout_app.storage.db import open_database
    from checkout_app.storage.product_photo_repository import ProductPhotoRepository

    sessions = open_database(f"sqlite:///{tmp_path / 'store.db'}")
    catalog = CatalogRepository(sessions)
    teacher = ProductTeacher(
        catalog, ProductPhotoRepository(sessions), lambda: load_appearance_encoder(weights_home)
    )
    juices = grocery_dir / "train" / "Packages" / "Juice"
    for folder, sku in (("Tropicana-Mandarin-Morning", "TROP-1"), ("Bravo-Apple-Juice", "BRAVO-1")):
        photos = sorted((juices / folder).glob("*.jpg"))[:5]
        teacher.teach(NewProduct(sku, folder, 2000), [(p.name, cv2.imread(str(p))) for p in photos])
    teacher.set_empty_counter(empty_counter())

    def on_counter(photo) -> np.ndarray:
        shot = empty_counter()
        shot[130:350, 210:430] = cv2.resize(cv2.imread(str(photo)), (220, 220))
        return shot

    def visit(photo):
        config = TrackerConfig.for_fps(15.0)
        items = teacher.counter_items
        session = CounterSession(NoProducts(), catalog.load(), config, counter_items=items)
        for i in range(12):
            snapshot = session.process(Frame(on_counter(photo), i / 15, i))
        return snapshot

    tropicana = grocery_dir / "test" / "Packages" / "Juice" / "Tropicana-Mandarin-Morning"
    tropicana_photos = sorted(tropicana.glob("*.jpg"))
    snapshot = visit(tropicana_photos[0])
    assert snapshot.quantities == {"TROP-1": 1} and snapshot.can_pay
    snapshot = visit(sorted((grocery_dir / "test" / "Fruit" / "Banana").glob("*.jpg"))[0])
    assert snapshot.quantities == {} and snapshot.unknown_items == 1 and not snapshot.can_pay

    # A second carton laid against the first: the pair would pass for one juice.
    first, second = (cv2.resize(cv2.imread(str(p)), (200, 200)) for p in tropicana_photos[:2])

    def cartons(second_x: int | None) -> np.ndarray:
        shot = empty_counter()
        shot[140:340, 100:300] = first
        if second_x is not None:
            shot[140:340, second_x : second_x + 200] = second
        return shot

    session = CounterSession(
        NoProducts(),
        catalog.load(),
        TrackerConfig.for_fps(15.0),
        counter_items=teacher.counter_items,
    )
    frames = iter(range(1000))

    def show(shot, count: int = 12):
        for _ in range(count):
            i = next(frames)
            snapshot = session.process(Frame(shot, i / 15, i))
        return snapshot

    assert show(cartons(None)).quantities == {"TROP-1": 1}
    snapshot = show(cartons(300))
    assert snapshot.touching_items == 1 and not snapshot.can_pay
    snapshot = show(cartons(380), 20)  # apart
    assert snapshot.quantities == {"TROP-1": 2} and snapshot.can_pay


def test_a_barcode_scan_says_what_an_unknown_item_is():
    """The shopper holds up the unknown carton's barcode: its product is added and the item no
    longer holds the payment (it stays on the counter, now paid for)."""
    from checkout_app.vision.barcode_image import ean13_image
    from checkout_app.vision.barcode_reader import BarcodeReader

    catalog = cola_and_juice(cola_barcodes=("4006381333931",))
    session = colour_session(catalog, barcode_reader=BarcodeReader())
    carton = with_items((300, 100, RED))
    for i in range(3):
        snapshot = session.process(Frame(carton, i / 15, i))
    assert snapshot.unknown_items == 1 and not snapshot.can_pay
    held_up = carton.copy()
    bars = ean13_image("4006381333931", module_px=3)
    # In a hand reaching in from the picture's edge: an arm, no item.
    held_up[-bars.shape[0] :, 60 : 60 + bars.shape[1]] = bars[..., None]
    scans = []
    for i in range(3, 6):
        snapshot = session.process(Frame(held_up, i / 15, i))
        scans += snapshot.scans
    assert [s.outcome for s in scans] == ["resolved"]
    assert snapshot.quantities == {"A1": 1} and snapshot.unknown_items == 0 and snapshot.can_pay


def test_staff_name_an_unknown_item_offered_what_it_looked_like_first():
    session = colour_session(cola_and_juice())
    for i in range(3):
        snapshot = session.process(Frame(with_items((400, 140, RED)), i / 15, i))
    assert snapshot.unknown_items == 1 and snapshot.unknown_suggestions == ("JUICE-1",)
    named = session.name_unknown_item("A1")  # staff know better than the suggestion
    assert named.quantities == {"A1": 1} and named.unknown_items == 0 and named.can_pay
    assert named.unknown_suggestions == ()  # nothing left to name
    with pytest.raises(ValueError, match="no unknown item"):
        session.name_unknown_item("A1")
    for i in range(3, 6):  # still on the counter: still paid for as cola, drawn as cola
        snapshot = session.process(Frame(with_items((400, 140, RED)), i / 15, i))
    assert snapshot.quantities == {"A1": 1} and snapshot.can_pay
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    assert [(v.text, v.colour) for v in views] == [("Cola", BOX_COLOURS[0])]
    # A second one, tapped and named as something else: each box shows what it was named.
    two = with_items((400, 140, RED), (100, 120, (200, 40, 40)))
    for i in range(6, 9):
        snapshot = session.process(Frame(two, i / 15, i))
    ((blue, _picture),) = unknown_item_pictures(two, snapshot.boxes, snapshot.nameable)
    session.name_unknown_item("JUICE-1", blue)
    snapshot = session.snapshot()
    assert sorted(snapshot.named.values()) == ["A1", "JUICE-1"] and snapshot.can_pay
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    left_to_right = [v.text for v in sorted(views, key=lambda v: v.xyxy[0])]
    assert left_to_right == ["Bravo Apple", "Cola"]


def test_a_scan_among_several_unknown_items_is_not_drawn_on_a_guessed_box():
    session = colour_session(cola_and_juice())
    two = with_items((400, 140, RED), (100, 120, (200, 40, 40)))
    for i in range(3):
        snapshot = session.process(Frame(two, i / 15, i))
    snapshot = session.name_unknown_item("A1")  # as a barcode scan does: which one, unsaid
    assert snapshot.unknown_items == 1 and snapshot.quantities == {"A1": 1}
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    assert [v.text for v in views] == ["Unknown item"] * 2
    offered = unknown_item_pictures(two, snapshot.boxes, snapshot.nameable)
    assert len(offered) == 2, "staff may still say which one the scan was"
    snapshot = session.name_unknown_item("A1")  # the other one's scan: both are colas
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    assert [v.text for v in views] == ["Cola"] * 2 and snapshot.can_pay


def test_an_unknown_item_staff_set_aside_is_drawn_as_no_product_and_holds_nothing():
    session = colour_session(cola_and_juice())
    two = with_items((400, 140, RED), (100, 120, (200, 40, 40)))
    for i in range(3):
        snapshot = session.process(Frame(two, i / 15, i))
    (phone, _picture), (red, _) = unknown_item_pictures(two, snapshot.boxes, snapshot.nameable)
    snapshot = session.set_aside(phone)
    assert snapshot.unknown_items == 1 and snapshot.set_aside == {phone}
    ((offered, _picture),) = unknown_item_pictures(two, snapshot.boxes, snapshot.nameable)
    assert offered == red, "set aside: not offered for naming again"
    snapshot = session.name_unknown_item("A1", red)
    assert snapshot.quantities == {"A1": 1} and snapshot.can_pay
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    left_to_right = [(v.text, v.colour) for v in sorted(views, key=lambda v: v.xyxy[0])]
    assert left_to_right == [("Not a product", NOT_FOR_SALE_COLOUR), ("Cola", BOX_COLOURS[0])]


def test_an_item_like_a_look_staff_said_is_no_product_is_ignored_without_asking():
    session = colour_session(cola_and_juice())
    counter = with_items((100, 120, GREEN), (400, 140, (40, 200, 200)))
    for i in range(3):
        snapshot = session.process(Frame(counter, i / 15, i))
    assert snapshot.quantities == {"JUICE-1": 1}
    assert snapshot.unknown_items == 0 and snapshot.can_pay, "nothing holds the payment"
    assert unknown_item_pictures(counter, snapshot.boxes, snapshot.nameable) == []
    views = box_views(snapshot, ["cola_can"], "en", TEXTS)
    left_to_right = [(v.text, v.colour) for v in sorted(views, key=lambda v: v.xyxy[0])]
    assert left_to_right[1] == ("Not a product", NOT_FOR_SALE_COLOUR)
    assert left_to_right[0][0] == "Bravo Apple"


def test_suggestions_for_several_unknown_items_go_by_rank():
    merged = merge_suggestions([("A", "B", "C"), ("D", "A"), ()])
    assert merged == ("A", "D", "B", "C")
    assert merge_suggestions([]) == ()


def test_the_unknown_items_pictures_are_cut_as_they_were_identified():
    """What the kiosk learns from when staff name an unknown item (with several, staff tap the
    one they name): each unknown item with a margin of counter, left to right; a taught product
    beside them is not one of them."""
    session = colour_session(cola_and_juice())
    counter = with_items((400, 140, RED), (100, 120, GREEN))
    for i in range(3):
        snapshot = session.process(Frame(counter, i / 15, i))
    assert snapshot.quantities == {"JUICE-1": 1} and snapshot.unknown_items == 1
    ((_item, picture),) = unknown_item_pictures(counter, snapshot.boxes, snapshot.nameable)
    assert picture.shape[0] >= 180 and picture.shape[1] >= 120
    red = (picture == np.array(RED, np.uint8)).all(axis=2).mean()
    assert red > 0.5, "the red carton, with a margin of counter around it"

    session = colour_session(cola_and_juice())
    blue = (200, 40, 40)
    two = with_items((400, 140, RED), (100, 120, blue))
    for i in range(3):
        snapshot = session.process(Frame(two, i / 15, i))
    assert snapshot.unknown_items == 2
    (left_item, left), (right_item, right) = unknown_item_pictures(
        two, snapshot.boxes, snapshot.nameable
    )
    assert (left == np.array(blue, np.uint8)).all(axis=2).mean() > 0.5
    assert (right == np.array(RED, np.uint8)).all(axis=2).mean() > 0.5
    snapshot = session.name_unknown_item("A1", right_item)  # named: no longer offered
    ((offered, _picture),) = unknown_item_pictures(two, snapshot.boxes, snapshot.nameable)
    assert offered == left_item
    assert unknown_item_pictures(empty_counter(), (), ()) == []
