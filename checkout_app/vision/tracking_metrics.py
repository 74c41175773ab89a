"""How well a stream of predicted carts follows the true cart: accuracy and settle times.

Pure functions over per-frame carts (mappings of class id or name -> count; both sides must use
the same keys). A cart never matches the truth in the frames right after an item is put down or
taken away, because a tracker needs a few frames to be sure; those frames are scored separately:

- ``frame_cart_accuracy``: the share of frames whose predicted cart equals the truth exactly,
  leaving out a settling window of ``settle_window_frames`` frames from each truth change.
- settle time of a change: frames from the change until the prediction equals the new truth and
  stays equal up to the next change (or the end). A change whose last frame is still wrong
  never settled.
- ``predicted_changes``: how often the predicted cart changed at all. Compared with ``changes``
  it shows flicker (a shopper sees every predicted change).

The cart before the first frame is empty, as a freshly reset tracker's is, so a non-empty truth
on frame 0 is a change too.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass
from typing import Any, Hashable, Mapping, Sequence


@dataclass(frozen=True)
class TrackingReport:
    frames: int
    scored_frames: int  # frames outside every settling window
    correct_frames: int  # scored frames whose predicted cart equals the truth
    frame_cart_accuracy: float | None  # None when no frame was scored
    changes: int  # truth changes (including a non-empty first frame)
    predicted_changes: int  # frames on which the predicted cart differs from the frame before
    settle_frames: tuple[int, ...]  # one per settled change, in order
    unsettled_changes: int
    median_settle_frames: float | None  # None when no change settled
    median_settle_s: float | None
    max_settle_frames: int | None
    fps: float

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["settle_frames"] = list(self.settle_frames)
        return out


def _normalise(cart: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """Drop zero counts, so ``{"cola": 0}`` and ``{}`` are the same cart."""
    out = {}
    for key, count in cart.items():
        if count < 0:
            raise ValueError(f"negative count {count} for {key!r}")
        if count:
            out[key] = int(count)
    return out


def truth_changes(truth: Sequence[Mapping[Hashable, int]]) -> list[int]:
    """Frame indices where the true cart differs from the frame before (empty before frame 0)."""
    changes = []
    previous: dict[Hashable, int] = {}
    for index, cart in enumerate(truth):
        current = _normalise(cart)
        if current != previous:
            changes.append(index)
        previous = current
    return changes


def evaluate_tracking(
    predicted: Sequence[Mapping[Hashable, int]],
    truth: Sequence[Mapping[Hashable, int]],
    fps: float,
    settle_window_frames: int,
) -> TrackingReport:
    """Score predicted carts against true carts, frame by frame (see the module docstring)."""
    if len(predicted) != len(truth):
        raise ValueError(f"{len(predicted)} predicted carts for {len(truth)} true carts")
    if not fps > 0:
        raise ValueError(f"fps must be > 0, got {fps}")
    if settle_window_frames < 0:
        raise ValueError(f"settle_window_frames must be >= 0, got {settle_window_frames}")

    pred = [_normalise(cart) for cart in predicted]
    true = [_normalise(cart) for cart in truth]
    right = [p == t for p, t in zip(pred, true)]
    n = len(true)
    changes = truth_changes(true)

    settling = [False] * n
    for change in changes:
        for index in range(change, min(n, change + settle_window_frames)):
            settling[index] = True
    scored = [index for index in range(n) if not settling[index]]
    correct = sum(right[index] for index in scored)

    settle_frames = []
    unsettled = 0
    for change, end in zip(changes, [*changes[1:], n]):
        # Walk back from the segment's last frame while the prediction is right.
        first_right_run = end
        while first_right_run > change and right[first_right_run - 1]:
            first_right_run -= 1
        if first_right_run == end:
            unsettled += 1
        else:
            settle_frames.append(first_right_run - change)

    predicted_changes = sum(1 for a, b in zip([{}, *pred], pred) if a != b)
    median = float(statistics.median(settle_frames)) if settle_frames else None
    return TrackingReport(
        frames=n,
        scored_frames=len(scored),
        correct_frames=correct,
        frame_cart_accuracy=correct / len(scored) if scored else None,
        changes=len(changes),
        predicted_changes=predicted_changes,
        settle_frames=tuple(settle_frames),
        unsettled_changes=unsettled,
        median_settle_frames=median,
        median_settle_s=None if median is None else median / fps,
        max_settle_frames=max(settle_frames) if settle_frames else None,
        fps=float(fps),
    )
