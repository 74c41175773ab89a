"""Cut the product out of a counter-camera shot, given a shot of the empty counter.

The counter camera does not move, so what differs from the empty counter is what was put on
it. The difference is cleaned up (small specks opened away, a product's own gaps closed), and
its connected regions are the objects: none means nothing is there, two of comparable size mean
several objects (teach one product at a time); one gives the crop, with a margin, that teaching
stores instead of the whole counter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from checkout_app.products.photo_quality import NOTHING_THERE, SEVERAL_OBJECTS

# Grey-level difference that counts as changed (camera noise and JPEG stay well below it).
CHANGED_LEVEL = 30
# Regions smaller than this share of the frame are noise, shadows or a fingertip.
MIN_OBJECT_SHARE = 0.005
# A second region at least this share of the largest one is another object, not a speck.
SECOND_OBJECT_SHARE = 0.3
MARGIN_SHARE = 0.08


@dataclass(frozen=True)
class CutOut:
    """The product's crop and its box in the shot, or the problem that stops a cut-out."""

    crop: np.ndarray | None
    box: tuple[int, int, int, int] | None  # x1, y1, x2, y2 in the shot
    problem: str | None  # NOTHING_THERE or SEVERAL_OBJECTS


def cut_out(shot: np.ndarray, empty_counter: np.ndarray) -> CutOut:
    """The one object in ``shot`` that is not on ``empty_counter`` (both BGR, same size)."""
    import cv2

    if shot.shape != empty_counter.shape:
        raise ValueError(
            f"the empty-counter shot is {empty_counter.shape[1]}×{empty_counter.shape[0]} and this "
            f"one {shot.shape[1]}×{shot.shape[0]}: take both with the same camera"
        )
    a = cv2.GaussianBlur(shot, (5, 5), 0).astype(np.int16)
    b = cv2.GaussianBlur(empty_counter, (5, 5), 0).astype(np.int16)
    changed = (np.abs(a - b).max(axis=2) > CHANGED_LEVEL).astype(np.uint8)
    side = max(shot.shape[:2])
    small = max(3, side // 160) | 1
    large = max(7, side // 32) | 1
    changed = cv2.morphologyEx(changed, cv2.MORPH_OPEN, np.ones((small, small), np.uint8))
    changed = cv2.morphologyEx(changed, cv2.MORPH_CLOSE, np.ones((large, large), np.uint8))
    _count, _labels, stats, _centres = cv2.connectedComponentsWithStats(changed)
    areas = stats[1:, cv2.CC_STAT_AREA]
    min_area = MIN_OBJECT_SHARE * shot.shape[0] * shot.shape[1]
    objects = [i + 1 for i in np.argsort(-areas) if areas[i] >= min_area]
    if not objects:
        return CutOut(None, None, NOTHING_THERE)
    largest = stats[objects[0], cv2.CC_STAT_AREA]
    if len(objects) > 1 and stats[objects[1], cv2.CC_STAT_AREA] >= SECOND_OBJECT_SHARE * largest:
        return CutOut(None, None, SEVERAL_OBJECTS)
    x, y, w, h = (int(v) for v in stats[objects[0], :4])
    margin = int(MARGIN_SHARE * max(w, h))
    x1, y1 = max(0, x - margin), max(0, y - margin)
    x2, y2 = min(shot.shape[1], x + w + margin), min(shot.shape[0], y + h + margin)
    return CutOut(shot[y1:y2, x1:x2].copy(), (x1, y1, x2, y2), None)
