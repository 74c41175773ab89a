"""Where the name tags of product boxes go, so that no tag covers another.

Pure geometry (no Qt), so it is tested in milliseconds. A tag goes above its box where it can;
when that spot is taken or off the picture it tries inside the box's top edge, below the box,
and inside its bottom edge, then moves down a tag's height at a time.
"""

from __future__ import annotations

from typing import Sequence, Tuple

# typing.Tuple: these aliases are evaluated at import, and the app must import on Python 3.8.
Box = Tuple[float, float, float, float]  # x1, y1, x2, y2
Size = Tuple[float, float]  # width, height
Point = Tuple[float, float]  # the tag's top-left corner


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_tags(boxes: Sequence[Box], sizes: Sequence[Size], bounds: Box) -> list[Point]:
    """Top-left corners for the tags of ``boxes`` (tag ``i`` is ``sizes[i]``), inside ``bounds``
    and not overlapping each other wherever the picture has room."""
    corners: list[Point] = [(0.0, 0.0)] * len(boxes)
    taken: list[Box] = []
    # Top to bottom, left to right: the natural reading order keeps tags near their boxes.
    for i in sorted(range(len(boxes)), key=lambda i: (boxes[i][1], boxes[i][0])):
        x1, y1, _, y2 = boxes[i]
        width, height = sizes[i]
        x = max(bounds[0], min(x1, bounds[2] - width))
        starts = (y1 - height, y1, y2, y2 - height)
        candidates = [s + k * height for k in range(len(boxes) + 1) for s in starts]
        inside = [y for y in candidates if bounds[1] <= y and y + height <= bounds[3]]
        free = [
            y for y in inside if not any(_overlaps((x, y, x + width, y + height), t) for t in taken)
        ]
        if free:
            y = free[0]
        else:  # no free spot: the usual place, overlapping, rather than none
            y = inside[0] if inside else bounds[1]
        corners[i] = (x, y)
        taken.append((x, y, x + width, y + height))
    return corners
