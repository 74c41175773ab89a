"""Stable per-class item counts from per-frame detections, for the headless Nano runtime.

A Python 3.6 port of the desktop ``checkout_app.vision.tracker.CartTracker`` (that package needs
Python 3.8): the same rules and the same defaults, so the Nano prints the cart the desktop
would. ``tests/edge/test_edge_tracker.py`` feeds both the same detections and requires the same
counts on every frame, which keeps the two from drifting apart. In short: detections are matched
to tracks by IoU (greedy, best first, class ignored); a track's class is the confidence-weighted
vote of its recent hits; a new track counts after ``confirm_after_frames`` hits within
``confirm_window_frames``; a counted track leaves after ``lost_after_frames`` misses in a row.
"""

import math
from collections import deque
from typing import Dict, List, Optional, Tuple

import numpy as np

from checkout_edge.yolo import box_iou_matrix

_REFERENCE_FPS = 15.0


class TrackerConfig:
    """The desktop tracker's settings (same names and defaults; see its docstring for why)."""

    def __init__(
        self,
        min_confidence: float = 0.4,
        confirm_after_frames: int = 3,
        confirm_window_frames: int = 5,
        lost_after_frames: int = 10,
        match_iou: float = 0.3,
        duplicate_iou: float = 0.6,
        class_vote_frames: int = 15,
    ) -> None:
        if not 1 <= confirm_after_frames <= confirm_window_frames:
            raise ValueError("need 1 <= confirm_after_frames <= confirm_window_frames")
        if lost_after_frames < 1 or class_vote_frames < 1:
            raise ValueError("lost_after_frames and class_vote_frames must be >= 1")
        if not 0.0 < match_iou <= duplicate_iou <= 1.0:
            raise ValueError("need 0 < match_iou <= duplicate_iou <= 1")
        self.min_confidence = min_confidence
        self.confirm_after_frames = confirm_after_frames
        self.confirm_window_frames = confirm_window_frames
        self.lost_after_frames = lost_after_frames
        self.match_iou = match_iou
        self.duplicate_iou = duplicate_iou
        self.class_vote_frames = class_vote_frames

    @classmethod
    def for_fps(cls, fps: float) -> "TrackerConfig":
        """The defaults rescaled from 15 fps to ``fps`` (the desktop's ``for_fps``)."""
        if not fps > 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        base = cls()
        scale = fps / _REFERENCE_FPS

        def frames(n: int, minimum: int = 1) -> int:
            return max(minimum, math.ceil(n * scale - 1e-9))

        window = frames(base.confirm_window_frames, minimum=2)
        return cls(
            min_confidence=base.min_confidence,
            confirm_after_frames=min(window, frames(base.confirm_after_frames, minimum=2)),
            confirm_window_frames=window,
            lost_after_frames=frames(base.lost_after_frames),
            match_iou=base.match_iou,
            duplicate_iou=base.duplicate_iou,
            class_vote_frames=frames(base.class_vote_frames),
        )


class _Track:
    __slots__ = ("class_id", "confirmed", "hits", "misses", "votes", "xyxy")

    def __init__(self, config: TrackerConfig) -> None:
        self.xyxy = np.zeros(4, np.float32)
        self.confirmed = False
        self.misses = 0
        self.hits = deque(maxlen=config.confirm_window_frames)
        self.votes = deque(maxlen=config.class_vote_frames)
        self.class_id = -1

    def hit(self, xyxy: np.ndarray, class_id: int, confidence: float) -> None:
        self.xyxy = xyxy
        self.misses = 0
        self.hits.append(True)
        self.votes.append((class_id, confidence))
        weight = {}  # type: Dict[int, float]
        last_index = {}  # type: Dict[int, int]
        for index, (cls, conf) in enumerate(self.votes):
            weight[cls] = weight.get(cls, 0.0) + conf
            last_index[cls] = index
        self.class_id = max(weight, key=lambda c: (weight[c], last_index[c]))

    def miss(self) -> None:
        self.misses += 1
        self.hits.append(False)


def greedy_match(iou: np.ndarray, min_iou: float) -> List[Tuple[int, int]]:
    """Pairs (row, column) from the highest IoU down, each row and column used once."""
    rows, cols = np.nonzero(iou >= min_iou)
    order = np.argsort(-iou[rows, cols], kind="mergesort")  # stable, numpy 1.13 has no "stable"
    used_rows, used_cols, pairs = set(), set(), []
    for k in order:
        r, c = int(rows[k]), int(cols[k])
        if r not in used_rows and c not in used_cols:
            used_rows.add(r)
            used_cols.add(c)
            pairs.append((r, c))
    return pairs


class CountTracker:
    """``update(xyxy, confidence, class_id)`` once per frame -> stable count per class id."""

    def __init__(self, config: Optional[TrackerConfig] = None) -> None:
        self.config = config if config is not None else TrackerConfig()
        self._tracks = []  # type: List[_Track]

    def update(self, xyxy: np.ndarray, confidence: np.ndarray, class_id: np.ndarray) -> Dict:
        config = self.config
        keep = np.asarray(confidence) >= config.min_confidence
        boxes = np.asarray(xyxy, np.float32).reshape(-1, 4)[keep]
        confidence = np.asarray(confidence, np.float32)[keep]
        class_id = np.asarray(class_id, np.int64)[keep]
        track_boxes = np.array([t.xyxy for t in self._tracks], np.float32).reshape(-1, 4)
        iou = box_iou_matrix(track_boxes, boxes)
        matched_tracks, matched_dets = set(), set()
        for t, d in greedy_match(iou, config.match_iou):
            self._tracks[t].hit(boxes[d].copy(), int(class_id[d]), float(confidence[d]))
            matched_tracks.add(t)
            matched_dets.add(d)
        for t, track in enumerate(self._tracks):
            if t not in matched_tracks:
                track.miss()
        self._start_tracks(boxes, confidence, class_id, iou, matched_dets)
        self._confirm_and_drop()
        return self.counts

    def _start_tracks(self, boxes, confidence, class_id, iou_with_tracks, matched_dets) -> None:
        config = self.config
        unmatched = [d for d in range(len(boxes)) if d not in matched_dets]
        unmatched.sort(key=lambda d: -float(confidence[d]))
        started = []  # type: List[int]
        for d in unmatched:
            if iou_with_tracks.shape[0] and iou_with_tracks[:, d].max() >= config.duplicate_iou:
                continue
            if started and box_iou_matrix(boxes[d], boxes[started]).max() >= config.duplicate_iou:
                continue
            track = _Track(config)
            track.hit(boxes[d].copy(), int(class_id[d]), float(confidence[d]))
            self._tracks.append(track)
            started.append(d)

    def _confirm_and_drop(self) -> None:
        config = self.config
        tentative_patience = config.confirm_window_frames - config.confirm_after_frames + 1
        kept = []
        for track in self._tracks:
            if not track.confirmed and sum(track.hits) >= config.confirm_after_frames:
                track.confirmed = True
            patience = config.lost_after_frames if track.confirmed else tentative_patience
            if track.misses < patience:
                kept.append(track)
        self._tracks = kept

    @property
    def counts(self) -> Dict[int, int]:
        """Confirmed items per class id, only classes present, sorted by class id."""
        counts = {}  # type: Dict[int, int]
        for track in self._tracks:
            if track.confirmed:
                counts[track.class_id] = counts.get(track.class_id, 0) + 1
        return dict(sorted(counts.items()))

    def reset(self) -> None:
        self._tracks = []
