"""The Nano side of the tracker and the cart.

The tracking rules themselves live once, in ``checkout_edge.tracker``, and are tested through
the desktop adapter in tests/vision/test_vision_tracker.py. Here: the desktop config really is
the edge config, the Nano feeds the tracker its detector's raw arrays and frame times, and the
Nano's small catalog/cart (it cannot import ``checkout_app``) reads what the desktop exports and
prints the cart the desktop prints.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import logging

import numpy as np
import pytest
from checkout_edge import cart as edge_cart
from checkout_edge import tracker as edge_tracker
from checkout_edge.cart import EdgeCart, format_won, parse_catalog
from checkout_edge.run import run_checkout
from checkout_edge.tracker import CountTracker
from checkout_edge.yolo import decode_yolov8

from checkout_app.core import catalog_csv
from checkout_app.core.cart import Cart
from checkout_app.core.catalog_csv import catalog_to_csv, load_catalog_csv
from checkout_app.core.money import format_won as desktop_format_won
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.services.headless import describe_cart
from checkout_app.vision import tracker as desktop_tracker
from checkout_app.vision.detections import Detections

CATALOG = """sku,name_ko,name_en,price,class_name,active
100,컵라면,Cup Ramen,1300,ramen_cup,1
200,콜라,Cola,1500,cola_can,1
300,생수,Water,900,water_bottle,0
"""


def test_desktop_config_declares_exactly_the_edge_fields_and_defaults():
    """The one thing written twice: the dataclass field list. ``for_fps`` and ``validate``
    are inherited, so a field added on one side only would break them; this says where."""
    edge_defaults = {
        name: p.default
        for name, p in inspect.signature(edge_tracker.TrackerConfig).parameters.items()
    }
    desktop = desktop_tracker.TrackerConfig
    assert issubclass(desktop, edge_tracker.TrackerConfig)
    assert {f.name: f.default for f in dataclasses.fields(desktop)} == edge_defaults
    for fps in (2.0, 6.0, 15.0, 25.0, 60.0):
        expected = vars(edge_tracker.TrackerConfig.for_fps(fps))
        assert dataclasses.asdict(desktop.for_fps(fps)) == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"confirm_after_frames": 2.5}, "confirm_after_frames"),
        ({"confirm_after_frames": 6, "confirm_window_frames": 5}, "cannot exceed"),
        ({"lost_after_frames": 0}, "lost_after_frames"),
        ({"duplicate_iou": 0.2, "match_iou": 0.3}, "duplicate_iou"),
    ],
)
def test_edge_config_validates_on_construction(fields, message):
    with pytest.raises(ValueError, match=message):
        edge_tracker.TrackerConfig(**fields)


def test_edge_config_for_fps_rejects_a_bad_rate_and_takes_overrides():
    # run.py's --fps goes straight in here
    with pytest.raises(ValueError, match="fps"):
        edge_tracker.TrackerConfig.for_fps(0.0)
    config = edge_tracker.TrackerConfig.for_fps(6.0, min_confidence=0.5)
    assert (config.min_confidence, config.lost_after_frames) == (0.5, 4)
    assert type(config) is edge_tracker.TrackerConfig


def yolo_output(items, classes: int = 3) -> np.ndarray:
    """A raw (1, 4 + classes, N) YOLOv8 head: one column per (cx, cy, w, h, class, score)."""
    out = np.zeros((1, 4 + classes, max(len(items), 1)), np.float32)
    for n, (cx, cy, w, h, class_id, score) in enumerate(items):
        out[0, :4, n] = (cx, cy, w, h)
        out[0, 4 + class_id, n] = score
    return out


def test_count_tracker_takes_the_decoded_detector_arrays_as_they_come():
    """The Nano path: TensorRT head -> decode_yolov8 -> CountTracker, empty frames included."""
    tracker = CountTracker()
    seen = [(100, 100, 60, 60, 1, 0.9), (300, 100, 60, 60, 2, 0.8), (200, 250, 60, 60, 0, 0.3)]
    carts = []
    for frame in range(6):
        items = seen if frame in (0, 1, 3) else []  # a hand covers everything on frames 2, 4, 5
        detections = decode_yolov8(yolo_output(items), 0.25, 0.5, 1.0, (0, 0))
        carts.append(tracker.update(*detections, timestamp=frame / 15.0))
    # 3 hits within the 5-frame window on frame 3; 0.3 is below the tracker's 0.4
    assert carts == [{}, {}, {}, {1: 1, 2: 1}, {1: 1, 2: 1}, {1: 1, 2: 1}]
    first = tracker.tracks[0]
    assert (first.track_id, first.class_id, first.confirmed, first.missed_frames) == (1, 1, True, 2)
    assert first.xyxy == (70.0, 70.0, 130.0, 130.0)
    assert (first.first_seen, first.last_seen) == (0.0, 0.2)


def test_count_tracker_accepts_plain_lists_and_other_dtypes():
    tracker = CountTracker(edge_tracker.TrackerConfig(confirm_after_frames=1))
    assert tracker.update([[0, 0, 10, 10]], [0.9], [2]) == {2: 1}
    assert tracker.update(np.zeros(0), np.zeros(0), np.zeros(0, np.int32)) == {2: 1}
    tracker.reset()
    assert tracker.counts == {} and tracker.tracks == []
    assert tracker.update(np.array([[0, 0, 10, 10]], np.float64), [0.9], [7])
    assert tracker.tracks[0].track_id == 1 and tracker.tracks[0].first_seen is None


def scenario(seed: int, frames: int = 80):
    """Per frame (xyxy, confidence, class_id): items come and go, boxes jitter, some frames
    miss an item or flip its class, some add a second box or a one-frame false positive."""
    rng = np.random.default_rng(seed)
    items = []  # (x, y, class, enter, leave)
    for _ in range(rng.integers(3, 7)):
        enter = int(rng.integers(0, frames - 20))
        x, y = float(rng.uniform(0, 500)), float(rng.uniform(0, 340))
        items.append((x, y, int(rng.integers(0, 3)), enter, int(rng.integers(enter + 5, frames))))
    for frame in range(frames):
        boxes, conf, cls = [], [], []
        for x, y, c, enter, leave in items:
            if not enter <= frame < leave or rng.random() < 0.2:
                continue
            jitter = rng.normal(0, 3, 4)
            boxes.append([x + jitter[0], y + jitter[1], x + 120 + jitter[2], y + 120 + jitter[3]])
            conf.append(float(rng.uniform(0.3, 0.95)))
            cls.append(c if rng.random() > 0.15 else (c + 1) % 3)
            if rng.random() < 0.05:
                boxes.append([b + 5 for b in boxes[-1]])
                conf.append(0.5)
                cls.append((c + 2) % 3)
        if rng.random() < 0.1:
            x, y = rng.uniform(0, 600), rng.uniform(0, 400)
            boxes.append([x, y, x + 60, y + 60])
            conf.append(0.6)
            cls.append(0)
        yield np.array(boxes, np.float64).reshape(-1, 4), np.array(conf), np.array(cls)


@pytest.mark.parametrize("seed", range(3))
def test_desktop_adapter_adds_nothing_to_the_shared_rules(seed):
    """Same detections -> the same cart and the same tracks from ``CartTracker(Detections)``
    and from the Nano's ``CountTracker(arrays)`` (float64 boxes, track ids to be ignored)."""
    config = desktop_tracker.TrackerConfig.for_fps(6.0)
    desktop, edge = desktop_tracker.CartTracker(config), CountTracker(config)
    nonzero = 0
    for frame, (xyxy, conf, cls) in enumerate(scenario(seed)):
        bogus_ids = np.arange(len(xyxy))[::-1]
        expected = desktop.update(Detections(xyxy, conf, cls, bogus_ids), frame / 6.0)
        assert edge.update(xyxy, conf, cls, frame / 6.0) == expected
        assert [tuple(vars(view).values()) for view in desktop.tracks] == edge.tracks
        nonzero += bool(expected)
    assert nonzero > 10  # the scenario did put things in the cart


class OneCanDetector:
    """Sees one can for ``frames`` frames, then nothing."""

    def __init__(self, frames: int) -> None:
        self.left = frames

    def detect(self, image):
        self.left -= 1
        if self.left >= 0:
            return np.array([[10.0, 10.0, 90.0, 90.0]]), np.array([0.9]), np.array([1])
        return np.zeros((0, 4)), np.zeros(0), np.zeros(0, np.int64)


def test_run_loop_gives_the_tracker_frame_times_for_its_log(caplog):
    queue = [(np.zeros((8, 8, 3), np.uint8), 2.0 + i / 15.0) for i in range(16)]
    caplog.set_level(logging.DEBUG, logger="checkout_edge.tracker")
    run_checkout(
        OneCanDetector(5),
        EdgeCart(parse_catalog(CATALOG), ["ramen_cup", "cola_can"]),
        CountTracker(),
        lambda: queue.pop(0) if queue else None,
        io.StringIO(),
    )
    messages = [r.getMessage() for r in caplog.records if r.name == "checkout_edge.tracker"]
    assert messages == [
        f"track 1 (class 1) enters the cart at t={2.0 + 2 / 15.0}",
        "track 1 (class 1) leaves the cart after 10 missed frames",
    ]


def test_cart_lines_order_total_and_text():
    products = parse_catalog(CATALOG)
    cart = EdgeCart(products, ["ramen_cup", "cola_can", "water_bottle", "unsold_class"])
    assert cart.describe() == "cart empty"
    assert cart.set_detected({1: 2}) is True
    assert cart.set_detected({1: 2}) is False
    # ramen enters after cola; inactive water and an unknown class are not sold
    assert cart.set_detected({0: 1, 1: 2, 2: 1, 3: 4}) is True
    assert cart.describe() == "Cola x2, Cup Ramen x1 | total ₩4,300"
    assert cart.describe("ko") == "콜라 x2, 컵라면 x1 | total 4,300원"
    assert cart.to_dict()["lines"][0] == {
        "sku": "200",
        "name": "Cola",
        "qty": 2,
        "unit_price": 1500,
        "line_total": 3000,
    }
    assert cart.total == 4300
    assert cart.set_detected({}) is True and cart.describe() == "cart empty"


def test_edge_catalog_reads_the_desktop_export_and_prints_the_desktop_cart():
    """The bundle's catalog.csv is ``catalog_to_csv`` of the store catalog; the Nano prints
    the cart as ``checkout-app run`` does (services/headless.describe_cart)."""
    assert edge_cart.COLUMNS == catalog_csv.COLUMNS
    catalog = load_catalog_csv(DEMO_CATALOG_PATH)
    products = parse_catalog(catalog_to_csv(catalog))
    assert [(p.sku, p.name_ko, p.name_en, p.price, p.class_name, p.active) for p in products] == [
        (p.sku, p.name_ko, p.name_en, p.price, p.class_name, p.active) for p in catalog
    ]
    class_names = [p.class_name for p in catalog][::-1] + ["not_in_the_catalog"]
    edge, desktop = EdgeCart(products, class_names), Cart(catalog)
    for counts in ({3: 1}, {0: 2, 3: 1, len(class_names) - 1: 1}, {0: 1}, {}, {5: 4, 1: 1}):
        skus: dict[str, int] = {}
        for class_id in sorted(counts):
            product = catalog.for_class(class_names[class_id])
            if product is not None:
                skus[product.sku] = skus.get(product.sku, 0) + counts[class_id]
        assert edge.set_detected(counts) == desktop.set_detected(skus)
        for lang in ("en", "ko"):
            assert edge.describe(lang) == describe_cart(desktop, lang)
            assert edge.to_dict(lang) == desktop.to_dict(lang)


@pytest.mark.parametrize("amount", [0, 900, 1500, 1234567])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_format_won_like_desktop(amount, lang):
    assert format_won(amount, lang) == desktop_format_won(amount, lang)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("sku,name_en\n1,x\n", "missing column"),
        (CATALOG.replace("1300", "13.00"), "line 2"),
        (CATALOG.replace(",1\n200", ",maybe\n200"), "active"),
    ],
)
def test_bad_catalog_is_refused(text, error):
    with pytest.raises(ValueError, match=error):
        parse_catalog(text)
