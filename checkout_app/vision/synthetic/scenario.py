"""The built-in demo: a shopper's visit to the counter, frame by frame, with the true cart.

The shopper first holds a canned coffee's barcode up to the camera (the kiosk reads it and adds
the coffee), then puts items down one at a time (a hand brings each one in): identical items
pile up, two look-alike flavours arrive, two items are taken away again, and the scanned coffee
joins them on the counter at the end. Every frame comes with the ground-truth counter (what lies
on it, so not the coffee held up), so the tracker and the whole pipeline can be scored on it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from checkout_app.vision.synthetic.scene import (
    FRAME_SIZE,
    HAND_CENTRE_TO_TIP_CM,
    CounterLook,
    Placed,
    Scene,
)

DEMO_FPS = 15.0
HAND_BEFORE_S = 0.35  # the hand is in view this long before an item lands or leaves
HAND_AFTER_S = 0.2

# (time in seconds, "put" | "take" | "show", class name, grid cell (column, row) on a 4×3
# counter grid). "show": the product's barcode side is held up over the cell for SHOW_S.
DEMO_SCRIPT: tuple[tuple[float, str, str, tuple[int, int]], ...] = (
    (0.2, "show", "canned_coffee", (2, 1)),
    (1.0, "put", "cola_can", (0, 0)),
    (2.5, "put", "chips_original", (1, 0)),
    (4.0, "put", "ramen_cup", (2, 0)),
    (5.5, "put", "cola_can", (3, 0)),
    (7.0, "put", "banana_milk", (0, 1)),
    (9.0, "put", "chips_onion", (1, 1)),
    (10.5, "put", "water_bottle", (2, 1)),
    (12.0, "put", "cola_can", (3, 1)),
    (14.0, "take", "chips_original", (1, 0)),
    (16.0, "put", "strawberry_milk", (0, 2)),
    (17.5, "put", "mint_gum", (1, 2)),
    (19.0, "put", "choco_bar", (2, 2)),
    (21.0, "take", "cola_can", (3, 0)),
    (22.5, "put", "instant_rice", (3, 2)),
    (24.0, "put", "canned_coffee", (1, 0)),
)
DEMO_DURATION_S = 27.0
SHOW_S = 1.5
# Held up close to the camera: 4.5 times the counter's scale puts the barcode's bars about
# 170 px wide in the frame (BarcodeReader reads every such code in ``eval barcodes``).
HELD_SCALE = 4.5
HELD_HAND_SCALE = 2.0  # smaller than true: the hand is mostly below the frame, not hiding it

DEMO_LOOK = CounterLook(
    seed=2020,
    px_per_cm=6.0,
    surface=2,
    light_angle_deg=60.0,
    light_strength=0.2,
    vignette=0.15,
    white_balance=(1.0, 1.0, 1.02),
    corner_shift=(6.0, 4.0, -8.0, 5.0, -6.0, -4.0, 7.0, -6.0),
    blur_sigma=0.4,
    noise_sigma=3.0,
    shadow_strength=0.35,
)


@dataclass(frozen=True)
class ScenarioFrame:
    index: int
    timestamp: float
    scene: Scene
    truth: dict[str, int]  # class name -> count on the counter


def _cell_centre(cell: tuple[int, int]) -> tuple[float, float]:
    w, h = FRAME_SIZE
    return (cell[0] + 0.5) * w / 4, (cell[1] + 0.5) * h / 3


def _cell_pose(cell: tuple[int, int], rng: np.random.Generator) -> tuple[float, float, float]:
    """A jittered pose inside a grid cell, so items rarely overlap."""
    w, h = FRAME_SIZE
    x, y = _cell_centre(cell)
    x += rng.uniform(-0.08, 0.08) * w / 4
    y += rng.uniform(-0.08, 0.08) * h / 3
    return float(x), float(y), float(rng.uniform(-35, 35))


def _hand_at(x: float, y: float, angle: float, variant: int, scale: float = 1.0) -> Placed:
    """A hand whose fingertips rest on (x, y), its fingers pointing ``angle`` degrees (0: right,
    90: up), so that it reaches in from the opposite side."""
    dx, dy = np.cos(np.deg2rad(angle)), -np.sin(np.deg2rad(angle))
    back = HAND_CENTRE_TO_TIP_CM * DEMO_LOOK.px_per_cm * scale
    return Placed(
        "hand", float(x - dx * back), float(y - dy * back), angle, scale, variant, is_product=False
    )


def _reach_angle(cell: tuple[int, int]) -> float:
    """The direction of a hand reaching into ``cell`` from the edge nearest it."""
    column, row = cell
    if row == 0:
        return -90.0  # from the top edge, fingers pointing down
    if row == 2:
        return 90.0  # from the bottom edge
    return 0.0 if column < 2 else 180.0  # from the left / right edge


def demo_frames(fps: float = DEMO_FPS, seed: int = 7) -> Iterator[ScenarioFrame]:
    """Every frame of the demo, in order."""
    rng = np.random.default_rng(seed)
    events = []
    for t, action, name, cell in DEMO_SCRIPT:
        if action == "show":  # held still over the cell's middle, barcode facing the camera
            x, y = _cell_centre(cell)
            obj = Placed(name, x, y, -4.0, HELD_SCALE, is_product=False, side="barcode")
        else:
            x, y, angle = _cell_pose(cell, rng)
            obj = Placed(name, x, y, angle, 1.0, int(rng.integers(0, 5)))
        events.append((t, action, cell, obj))
    on_counter: dict[tuple[int, int], Placed] = {}
    pending = list(events)
    for index in range(int(DEMO_DURATION_S * fps)):
        t = index / fps
        while pending and pending[0][0] <= t:
            _, action, cell, obj = pending.pop(0)
            if action == "put":
                on_counter[cell] = obj
            elif action == "take":
                on_counter.pop(cell, None)
        objects = list(on_counter.values())
        for event_t, action, cell, obj in events:
            if action == "show":
                if event_t <= t < event_t + SHOW_S:  # a hand holds it from below, behind it
                    objects += [_hand_at(obj.x, obj.y, 90.0, 1, HELD_HAND_SCALE), obj]
            elif event_t - HAND_BEFORE_S <= t < event_t + HAND_AFTER_S:
                objects.append(_hand_at(obj.x, obj.y, _reach_angle(cell), variant=1))
        truth = Counter(o.name for o in on_counter.values())
        yield ScenarioFrame(index, t, Scene(DEMO_LOOK, objects), dict(truth))
