"""The built-in demo: a shopper's visit to the counter, frame by frame, with the true cart.

Items are put down one at a time (a hand brings each one in), identical items pile up, two
look-alike flavours arrive, and two items are taken away again. Every frame comes with the
ground-truth cart, so the tracker and the whole pipeline can be scored on it.
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

# (time in seconds, "put" | "take", class name, grid cell (column, row) on a 4×3 counter grid)
DEMO_SCRIPT: tuple[tuple[float, str, str, tuple[int, int]], ...] = (
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
)
DEMO_DURATION_S = 25.0

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


def _cell_pose(cell: tuple[int, int], rng: np.random.Generator) -> tuple[float, float, float]:
    """A jittered pose inside a grid cell, so items rarely overlap."""
    w, h = FRAME_SIZE
    cw, ch = w / 4, h / 3
    x = (cell[0] + 0.5) * cw + rng.uniform(-0.08, 0.08) * cw
    y = (cell[1] + 0.5) * ch + rng.uniform(-0.08, 0.08) * ch
    return float(x), float(y), float(rng.uniform(-35, 35))


def _hand_at(x: float, y: float, cell: tuple[int, int], variant: int) -> Placed:
    """A hand whose fingertips rest on (x, y), reaching in from the edge nearest the cell."""
    column, row = cell
    if row == 0:
        angle = -90.0  # from the top edge, fingers pointing down
    elif row == 2:
        angle = 90.0  # from the bottom edge
    else:
        angle = 0.0 if column < 2 else 180.0  # from the left / right edge
    dx, dy = np.cos(np.deg2rad(angle)), -np.sin(np.deg2rad(angle))
    back = HAND_CENTRE_TO_TIP_CM * DEMO_LOOK.px_per_cm
    return Placed(
        "hand", float(x - dx * back), float(y - dy * back), angle, 1.0, variant, is_product=False
    )


def demo_frames(fps: float = DEMO_FPS, seed: int = 7) -> Iterator[ScenarioFrame]:
    """Every frame of the demo, in order."""
    rng = np.random.default_rng(seed)
    events = []
    for t, action, name, cell in DEMO_SCRIPT:
        x, y, angle = _cell_pose(cell, rng)
        events.append((t, action, cell, Placed(name, x, y, angle, 1.0, int(rng.integers(0, 5)))))
    on_counter: dict[tuple[int, int], Placed] = {}
    pending = list(events)
    for index in range(int(DEMO_DURATION_S * fps)):
        t = index / fps
        while pending and pending[0][0] <= t:
            _, action, cell, obj = pending.pop(0)
            if action == "put":
                on_counter[cell] = obj
            else:
                on_counter.pop(cell, None)
        objects = list(on_counter.values())
        for event_t, _action, cell, obj in events:
            if event_t - HAND_BEFORE_S <= t < event_t + HAND_AFTER_S:
                objects.append(_hand_at(obj.x, obj.y, cell, variant=1))
        truth = Counter(o.name for o in on_counter.values())
        yield ScenarioFrame(index, t, Scene(DEMO_LOOK, objects), dict(truth))
