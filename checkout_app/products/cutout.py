"""What is on the counter, given a shot of the empty counter: the regions that differ from it,
and the cut-out of the one product a teaching shot shows.

The counter camera does not move, so what differs from the empty counter is what was put on
it (once the camera's exposure is matched: ``exposure_gain``). The difference is cleaned up
(small specks opened away, a product's own gaps closed), and its connected regions are the
objects (``changed_regions``, about 3 ms a 640×480 frame: checkout runs it on every frame). For
teaching (``cut_out``) none means nothing is there, two of comparable size mean several objects
(teach one product at a time), and one gives the crop, with a margin, that is stored instead of
the whole counter.
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
# The exposure gains looked for (a quarter to four times as bright), in 2 % bins; the bare
# counter's ratios lie within 8 % of its gain under camera noise (sigma 3 grey levels, on the
# rendered counter's darkest channel, about 60).
GAIN_LOG_RANGE = (-1.4, 1.4)
GAIN_BIN = 0.02
GAIN_PEAK_HALF_WIDTH = 0.08
WORK_SIDE_PX = 320


@dataclass(frozen=True)
class CutOut:
    """The product's crop and its box in the shot, or the problem that stops a cut-out."""

    crop: np.ndarray | None
    box: tuple[int, int, int, int] | None  # x1, y1, x2, y2 in the shot
    problem: str | None  # NOTHING_THERE or SEVERAL_OBJECTS


def changed_regions(shot: np.ndarray, empty_counter: np.ndarray) -> list[tuple]:
    """What is on ``shot`` but not on ``empty_counter`` (both BGR, same size): the boxes
    ``(x1, y1, x2, y2)`` of the changed regions big enough to be an object, largest first, each
    with its area in pixels."""
    import cv2

    if shot.shape != empty_counter.shape:
        raise ValueError(
            f"the empty-counter shot is {empty_counter.shape[1]}×{empty_counter.shape[0]} and this "
            f"one {shot.shape[1]}×{shot.shape[0]}: take both with the same camera"
        )
    # Half a VGA frame is detail enough to find a product, and four times less work per frame.
    scale = min(1.0, WORK_SIDE_PX / max(shot.shape[:2]))
    small_shot, small_empty = (
        (shot, empty_counter)
        if scale == 1.0
        else (cv2.resize(im, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
              for im in (shot, empty_counter))
    )  # fmt: skip
    # At the empty counter's exposure; saturating at white, as the camera would have.
    gain = tuple(float(g) for g in exposure_gain(small_shot, small_empty))
    small_shot = cv2.multiply(small_shot, (*gain, 0.0))
    a = cv2.GaussianBlur(small_shot, (5, 5), 0).astype(np.int16)
    b = cv2.GaussianBlur(small_empty, (5, 5), 0).astype(np.int16)
    changed = (np.abs(a - b).max(axis=2) > CHANGED_LEVEL).astype(np.uint8)
    side = max(changed.shape)
    small = max(3, side // 160) | 1
    large = max(7, side // 32) | 1
    changed = cv2.morphologyEx(changed, cv2.MORPH_OPEN, np.ones((small, small), np.uint8))
    changed = cv2.morphologyEx(changed, cv2.MORPH_CLOSE, np.ones((large, large), np.uint8))
    _count, _labels, stats, _centres = cv2.connectedComponentsWithStats(changed)
    min_area = MIN_OBJECT_SHARE * changed.shape[0] * changed.shape[1]
    regions = []
    for x, y, w, h, area in stats[1:]:
        if area >= min_area:
            box = tuple(round(float(v) / scale) for v in (x, y, x + w, y + h))
            regions.append((box, round(float(area) / scale**2)))
    return sorted(regions, key=lambda region: -region[1])


def exposure_gain(shot: np.ndarray, empty_counter: np.ndarray) -> np.ndarray:
    """Per colour channel, what ``shot`` must be multiplied by to be as bright as
    ``empty_counter``: a webcam's automatic exposure brightens the whole picture when something
    dark is put down (20 % brighter or darker, a product photo on the rendered counter came with
    two to four phantom regions of bare counter without this).

    The bare counter's pixels all share one ratio to the empty counter; an item's spread over
    many, its colours over the counter's pattern. So the most common ratio is the counter's as
    long as more of the counter shows than of anything sharing one ratio: a full counter too,
    where the median ratio (the counter's only while items cover less than half of it) took
    the items for the counter and found the bare counter changed."""
    import cv2

    # Camera noise spreads the bare counter's ratios over several bins: a 3x3 mean gathers them
    # (a wider one smooths the counter's pattern away, and gathers an item's ratios too).
    shot, empty_counter = cv2.blur(shot, (3, 3)), cv2.blur(empty_counter, (3, 3))
    step = max(1, shot.shape[0] // 60)  # a sparse grid of pixels is enough
    ours = np.maximum(shot[::step, ::step].reshape(-1, 3), 1).astype(np.float32)
    # A black pixel of the counter gives no ratio.
    theirs = np.maximum(empty_counter[::step, ::step].reshape(-1, 3), 8).astype(np.float32)
    log_ratios = np.log(ours / theirs).T  # a row per channel
    low, high = GAIN_LOG_RANGE
    gains = []
    for channel in log_ratios:
        channel = channel[(channel >= low) & (channel < high)]
        if channel.size == 0:  # nothing within a quarter to four times as bright: as it was
            gains.append(1.0)
            continue
        counts = np.bincount(((channel - low) / GAIN_BIN).astype(np.int32))
        centre = low + (int(np.argmax(counts)) + 0.5) * GAIN_BIN
        # Finer than a bin: the median of the ratios around the peak, taken twice (the noisiest
        # channel's peak bin can sit a bin or two off the counter's ratio).
        for _ in range(2):
            centre = np.median(channel[np.abs(channel - centre) <= GAIN_PEAK_HALF_WIDTH])
        gains.append(np.exp(-centre))
    return np.array(gains, np.float32)


def cut_out(shot: np.ndarray, empty_counter: np.ndarray) -> CutOut:
    """The one object in ``shot`` that is not on ``empty_counter`` (both BGR, same size)."""
    regions = changed_regions(shot, empty_counter)
    if not regions:
        return CutOut(None, None, NOTHING_THERE)
    if len(regions) > 1 and regions[1][1] >= SECOND_OBJECT_SHARE * regions[0][1]:
        return CutOut(None, None, SEVERAL_OBJECTS)
    x1, y1, x2, y2 = with_margin(regions[0][0], shot.shape)
    return CutOut(shot[y1:y2, x1:x2].copy(), (x1, y1, x2, y2), None)


def with_margin(box: tuple, shape: tuple) -> tuple[int, int, int, int]:
    """``box`` grown by ``MARGIN_SHARE`` of its longer side, inside an image of ``shape``."""
    x1, y1, x2, y2 = box
    margin = int(MARGIN_SHARE * max(x2 - x1, y2 - y1))
    return (
        max(0, x1 - margin),
        max(0, y1 - margin),
        min(shape[1], x2 + margin),
        min(shape[0], y2 + margin),
    )
