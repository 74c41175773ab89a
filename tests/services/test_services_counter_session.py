"""CounterSession: detections become the cart, corrections are locked in and logged."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from checkout_app.camera.source import Frame
from checkout_app.core.catalog import Catalog, Product
from checkout_app.services.counter_session import CounterSession
from checkout_app.ui.view_models import (
    NOT_FOR_SALE_COLOUR,
    BoxTexts,
    box_views,
    cart_rows,
    total_text,
)
from checkout_app.vision.detections import Detections
from checkout_app.vision.tracker import TrackerConfig

CATALOG = Catalog(
    [
        Product("A1", "콜라", "Cola", 1500, "cola_can"),
        Product("B2", "생수", "Water", 900, "water_bottle"),
    ]
)


class ScriptedDetector:
    """Returns the boxes it is told to, one list per call (class ids into ``class_names``)."""

    class_names = ("cola_can", "water_bottle", "gum")
    model_path = Path("scripted.pt")

    def __init__(self) -> None:
        self.meta: dict = {}
        self.backend = "fake"
        self.boxes: list[tuple] = []
        self.last_timings_ms = {"inference": 1.0}

    def detect(self, image: np.ndarray) -> Detections:
        if not self.boxes:
            return Detections.empty()
        xyxy = np.array([b[0] for b in self.boxes], np.float32)
        return Detections(
            xyxy=xyxy,
            confidence=np.full(len(self.boxes), 0.9, np.float32),
            class_id=np.array([b[1] for b in self.boxes], np.int64),
        )


def _frames(n: int, start: int = 0):
    image = np.zeros((48, 64, 3), np.uint8)
    return [Frame(image, (start + i) / 15.0, start + i) for i in range(n)]


def _session(detector: ScriptedDetector, corrections: list | None = None) -> CounterSession:
    config = TrackerConfig(confirm_after_frames=2, confirm_window_frames=3, lost_after_frames=2)
    log = corrections.append if corrections is not None else None
    return CounterSession(detector, CATALOG, config, on_correction=log)


def test_detections_fill_the_cart_and_label_boxes() -> None:
    detector = ScriptedDetector()
    detector.boxes = [((0, 0, 10, 10), 0), ((20, 0, 30, 10), 0), ((40, 0, 50, 10), 2)]
    session = _session(detector)
    for frame in _frames(3):
        snapshot = session.process(frame)
    assert snapshot.quantities == {"A1": 2}
    assert snapshot.total == 3000
    assert snapshot.frame_index == 2
    rows = cart_rows(snapshot, "ko")
    assert [(r.name, r.qty, r.unit_price, r.line_total) for r in rows] == [
        ("콜라", 2, "1,500원", "3,000원")
    ]
    assert total_text(snapshot, "en") == "₩3,000"
    texts = BoxTexts("not for sale", "Unknown item", "Not a product", "Move apart")
    views = box_views(snapshot, detector.class_names, "en", texts)
    assert sorted(v.text for v in views) == ["Cola", "Cola", "not for sale"]
    assert [v.colour for v in views if v.text == "not for sale"] == [NOT_FOR_SALE_COLOUR]


def test_a_correction_pins_the_quantity_until_undone_and_is_logged() -> None:
    detector = ScriptedDetector()
    detector.boxes = [((0, 0, 10, 10), 1)]
    corrections: list = []
    session = _session(detector, corrections)
    for frame in _frames(3):
        session.process(frame)
    snapshot = session.add("B2")
    assert snapshot.quantities == {"B2": 2}
    assert snapshot.pinned == frozenset({"B2"})
    assert cart_rows(snapshot, "en")[0].corrected
    for frame in _frames(3, start=3):
        snapshot = session.process(frame)
    assert snapshot.quantities == {"B2": 2}, "the camera must not undo a shopper's correction"
    snapshot = session.undo_correction("B2")
    assert snapshot.quantities == {"B2": 1}
    assert [(c.sku, c.old_qty, c.new_qty) for c in corrections] == [("B2", 1, 2), ("B2", 2, 1)]
    session.remove("B2")
    assert session.snapshot().quantities == {}


def test_reset_starts_an_empty_visit_with_new_prices() -> None:
    detector = ScriptedDetector()
    detector.boxes = [((0, 0, 10, 10), 0)]
    session = _session(detector)
    for frame in _frames(3):
        session.process(frame)
    cheaper = Catalog([Product("A1", "콜라", "Cola", 1000, "cola_can")])
    snapshot = session.reset(cheaper)
    assert snapshot.quantities == {} and snapshot.boxes == ()
    for frame in _frames(3, start=3):
        snapshot = session.process(frame)
    assert snapshot.total == 1000


def test_a_frame_of_the_next_visit_starts_an_empty_cart() -> None:
    """The demo source numbers its visits: what one demo shopper added is not the next one's."""
    detector = ScriptedDetector()
    detector.boxes = [((0, 0, 10, 10), 0)]
    session = _session(detector)
    for frame in _frames(3):
        session.process(frame)
    session.add("B2")
    assert session.snapshot().quantities == {"A1": 1, "B2": 1}
    detector.boxes = []
    image = np.zeros((48, 64, 3), np.uint8)
    snapshot = session.process(Frame(image, 3 / 15.0, 3, visit=1))
    assert snapshot.quantities == {} and snapshot.pinned == frozenset()
    detector.boxes = [((0, 0, 10, 10), 0)]
    for i in range(4, 7):  # later frames of the same visit change nothing but the counts
        snapshot = session.process(Frame(image, i / 15.0, i, visit=1))
    assert snapshot.quantities == {"A1": 1}


def test_a_tap_does_not_wait_for_a_slow_detection() -> None:
    release = threading.Event()

    class SlowDetector(ScriptedDetector):
        def detect(self, image):
            release.wait(5)
            return super().detect(image)

    detector = SlowDetector()
    session = _session(detector)
    worker = threading.Thread(target=session.process, args=(_frames(1)[0],))
    worker.start()
    try:
        # The processing thread is inside detect(); a correction must go through at once.
        assert session.add("A1").quantities == {"A1": 1}
    finally:
        release.set()
        worker.join(5)


def test_a_box_is_drawn_only_while_its_item_is_seen() -> None:
    """The cart waits before dropping an item (a hand may hide it); its box does not."""
    from checkout_app.services.counter_session import BOX_HOLD_S

    detector = ScriptedDetector()
    detector.boxes = [((0, 0, 10, 10), 0)]
    config = TrackerConfig(confirm_after_frames=2, confirm_window_frames=3, lost_after_frames=30)
    session = CounterSession(detector, CATALOG, config)
    for frame in _frames(4):
        snapshot = session.process(frame)
    assert len(snapshot.boxes) == 1 and snapshot.quantities == {"A1": 1}
    detector.boxes = []
    gone = _frames(15, start=4)  # one second at 15 fps without the item
    drawn = [len(session.process(frame).boxes) for frame in gone]
    last_seen = 3 / 15.0
    assert all(n == 1 for f, n in zip(gone, drawn) if f.timestamp - last_seen <= BOX_HOLD_S)
    assert all(n == 0 for f, n in zip(gone, drawn) if f.timestamp - last_seen > BOX_HOLD_S)
    assert session.snapshot().quantities == {"A1": 1}  # the cart still holds it


def test_a_barcode_held_up_adds_its_product_once_and_an_unknown_one_says_so() -> None:
    """The real zxing-cpp reader on frames with a drawn EAN-13, as the processing thread runs."""
    from checkout_app.vision.barcode_image import ean13_image
    from checkout_app.vision.barcode_reader import BarcodeReader

    catalog = Catalog(
        [
            Product("A1", "콜라", "Cola", 1500, "cola_can", barcodes=("8801234567893",)),
            Product("B2", "생수", "Water", 900, "water_bottle", False, ("4006381333931",)),
        ]
    )
    added = []
    session = CounterSession(
        ScriptedDetector(), catalog, on_correction=added.append, barcode_reader=BarcodeReader()
    )

    def frames(code: str | None, n: int, start: int):
        image = np.full((480, 640, 3), 160, np.uint8)
        if code is not None:
            bars = ean13_image(code, module_px=3)
            image[100 : 100 + bars.shape[0], 100 : 100 + bars.shape[1]] = bars[..., None]
        return [Frame(image.copy(), (start + i) / 10.0, start + i) for i in range(n)]

    events = []
    for frame in frames("8801234567893", 20, 0) + frames(None, 15, 20):
        snapshot = session.process(frame)
        events += snapshot.scans
        assert "barcodes" in snapshot.timings_ms
    assert [(e.sku, e.outcome) for e in events] == [("A1", "added")]
    assert snapshot.quantities == {"A1": 1} and len(added) == 1
    for frame in frames("8801234567893", 3, 35) + frames("5901234123457", 3, 38):
        events += session.process(frame).scans
    for frame in frames("4006381333931", 3, 41):
        events += session.process(frame).scans
    assert [(e.code, e.sku, e.outcome) for e in events[1:]] == [
        ("8801234567893", "A1", "added"),
        ("5901234123457", None, "unknown"),
        ("4006381333931", "B2", "inactive"),
    ]
    assert session.snapshot().quantities == {"A1": 2}
