"""The Nano's tracker and cart against the desktop's: same detections, same cart."""

from __future__ import annotations

import numpy as np
import pytest
from checkout_edge.cart import EdgeCart, format_won, parse_catalog
from checkout_edge.tracker import CountTracker
from checkout_edge.tracker import TrackerConfig as EdgeTrackerConfig

from checkout_app.core.money import format_won as desktop_format_won
from checkout_app.vision.detections import Detections
from checkout_app.vision.tracker import CartTracker, TrackerConfig

CATALOG = """sku,name_ko,name_en,price,class_name,active
100,컵라면,Cup Ramen,1300,ramen_cup,1
200,콜라,Cola,1500,cola_can,1
300,생수,Water,900,water_bottle,0
"""


def scenario(seed: int, frames: int = 120):
    """Per frame (xyxy, confidence, class_id): items come and go, boxes jitter, some frames
    miss an item, some flip its class, some add a false positive or a second box."""
    rng = np.random.default_rng(seed)
    items = []  # (x, y, class, enter, leave)
    for _ in range(rng.integers(3, 8)):
        enter = int(rng.integers(0, frames - 20))
        items.append(
            (
                float(rng.uniform(0, 500)),
                float(rng.uniform(0, 340)),
                int(rng.integers(0, 3)),
                enter,
                int(rng.integers(enter + 5, frames + 30)),
            )
        )
    for frame in range(frames):
        boxes, conf, cls = [], [], []
        for x, y, c, enter, leave in items:
            if not enter <= frame < leave or rng.random() < 0.2:
                continue
            jitter = rng.normal(0, 3, 4)
            boxes.append([x + jitter[0], y + jitter[1], x + 120 + jitter[2], y + 120 + jitter[3]])
            conf.append(float(rng.uniform(0.3, 0.95)))
            cls.append(c if rng.random() > 0.15 else (c + 1) % 3)
            if rng.random() < 0.05:  # a second box on the same item
                boxes.append([b + 5 for b in boxes[-1]])
                conf.append(0.5)
                cls.append((c + 2) % 3)
        if rng.random() < 0.1:  # a one-frame false positive
            x, y = rng.uniform(0, 600), rng.uniform(0, 400)
            boxes.append([x, y, x + 60, y + 60])
            conf.append(0.6)
            cls.append(0)
        yield np.array(boxes, np.float32).reshape(-1, 4), np.array(conf), np.array(cls)


@pytest.mark.parametrize("fps", [15.0, 6.0, 30.0])
@pytest.mark.parametrize("seed", range(6))
def test_edge_tracker_counts_like_the_desktop_tracker(seed, fps):
    desktop = CartTracker(TrackerConfig.for_fps(fps))
    edge = CountTracker(EdgeTrackerConfig.for_fps(fps))
    nonzero = 0
    for xyxy, conf, cls in scenario(seed):
        expected = desktop.update(Detections(xyxy, conf, cls))
        assert edge.update(xyxy, conf, cls) == expected
        nonzero += bool(expected)
    assert nonzero > 10  # the scenario did put things in the cart


def test_edge_config_matches_desktop_for_fps():
    for fps in (2.0, 6.0, 15.0, 25.0, 60.0):
        desktop, edge = TrackerConfig.for_fps(fps), EdgeTrackerConfig.for_fps(fps)
        assert vars(edge) == {k: getattr(desktop, k) for k in vars(edge)}


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
