"""The cart tracker: per-frame detections -> the stable per-class item counts a shopper sees.

This is the one implementation of the tracking rules. The headless Nano runtime
(``checkout_edge.run``) uses ``CountTracker`` directly; the desktop app uses it through
``checkout_app.vision.tracker.CartTracker``, a thin adapter for its ``Detections`` and the UI's
``TrackView``. It lives here, Python 3.6-compatible and numpy-only, because stock JetPack 4.6's
Python 3.6 cannot import ``checkout_app`` (Python 3.8+), while the desktop can import this.

The counter camera is still and looks straight down, so an item that lies on the counter keeps
(nearly) the same box from frame to frame. The tracker therefore follows *boxes*, not classes:

- Each detection is matched to an existing track by IoU, greedily from the best overlap down,
  regardless of class. A one-frame class flip between two look-alike products (two chips
  flavours) thus updates the same track instead of starting a new one, and a box that jitters
  or is nudged a little stays one track.
- A track's class is the confidence-weighted vote of its last ``class_vote_frames`` hits, so a
  single wrong frame is outvoted, while a real swap of the product on the same spot wins the
  vote after about half that window.
- A new track enters the cart only when it has been seen in ``confirm_after_frames`` of the last
  ``confirm_window_frames`` frames: a one-frame false positive never shows up.
- A confirmed track leaves the cart only after ``lost_after_frames`` consecutive misses: a hand
  covering an item, or a low-confidence frame, does not make the cart flicker, and an item
  lifted away is gone after exactly that delay.
- Identical items side by side have boxes that barely overlap, so each gets its own track and
  the count per class is simply the number of confirmed tracks of that class.

Matching is greedy rather than optimal (Hungarian): on a still counter boxes of different items
overlap little, so the best-IoU-first choice is the optimal one in practice, costs O(n·m) numpy
work for a few dozen boxes, and needs no scipy. Any track id the detector supplies is ignored:
this tracker does its own association.
"""

import logging
import math
from collections import deque, namedtuple
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import numpy as np

from checkout_edge.defaults import MIN_CONFIDENCE
from checkout_edge.yolo import box_iou_matrix

logger = logging.getLogger(__name__)

REFERENCE_FPS = 15.0  # the frame rate the default frame counts are defined at

_FRAME_COUNTS = (
    "confirm_after_frames",
    "confirm_window_frames",
    "lost_after_frames",
    "class_vote_frames",
)


class TrackerConfig:
    """How eager or patient the tracker is. Frame counts assume the detector's frame rate.

    Defaults are for ~15 detections per second (see ``for_fps`` for other rates):

    - ``min_confidence`` 0.4 (``defaults.MIN_CONFIDENCE``): detections below it are treated as
      not seen. The detectors' own threshold, so by default the tracker drops nothing a detector
      kept; raise it to make the tracker stricter than the detector.
    - ``confirm_after_frames`` 3 of ``confirm_window_frames`` 5: a new item shows up 0.2 s after
      it lands if every frame sees it, and even if one frame in two misses it (3 of 5); a false
      positive must persist for three of five frames to fool it.
    - ``lost_after_frames`` 10 (0.67 s): longer than a hand usually covers an item while putting
      another one down (about 0.55 s in the demo scenario), short enough that a lifted item
      leaves the cart before the shopper looks for it.
    - ``match_iou`` 0.3: a box may shift by about half its width between frames and still be the
      same item; neighbouring items overlap far less than that.
    - ``duplicate_iou`` 0.6: an unmatched detection overlapping a tracked item this much is a
      second box on the same item (e.g. two classes for one package), not a new item. Only
      items stacked on top of each other could overlap that much, and a camera looking down
      cannot see those anyway.
    - ``class_vote_frames`` 15 (1 s): enough history to outvote several wrong frames of a
      look-alike flavour; a real swap on the same spot is recognised after ~8 frames.

    The desktop's ``checkout_app.vision.tracker.TrackerConfig`` is a frozen dataclass subclass
    of this one: it declares the same fields with these defaults and shares ``validate`` and
    ``for_fps``.
    """

    def __init__(
        self,
        min_confidence: float = MIN_CONFIDENCE,
        confirm_after_frames: int = 3,
        confirm_window_frames: int = 5,
        lost_after_frames: int = 10,
        match_iou: float = 0.3,
        duplicate_iou: float = 0.6,
        class_vote_frames: int = 15,
    ) -> None:
        self.min_confidence = min_confidence
        self.confirm_after_frames = confirm_after_frames
        self.confirm_window_frames = confirm_window_frames
        self.lost_after_frames = lost_after_frames
        self.match_iou = match_iou
        self.duplicate_iou = duplicate_iou
        self.class_vote_frames = class_vote_frames
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the first setting that makes no sense."""
        if not 0.0 <= self.min_confidence <= 1.0:  # also refuses NaN
            raise ValueError(f"min_confidence must be in [0, 1], got {self.min_confidence}")
        for name in _FRAME_COUNTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        if self.confirm_after_frames > self.confirm_window_frames:
            raise ValueError(
                f"confirm_after_frames ({self.confirm_after_frames}) cannot exceed "
                f"confirm_window_frames ({self.confirm_window_frames})"
            )
        if not 0.0 < self.match_iou <= 1.0:
            raise ValueError(f"match_iou must be in (0, 1], got {self.match_iou}")
        if not self.match_iou <= self.duplicate_iou <= 1.0:
            raise ValueError(
                f"duplicate_iou must be in [match_iou, 1], got {self.duplicate_iou} "
                f"with match_iou {self.match_iou}"
            )

    @classmethod
    def for_fps(cls, fps: float, **overrides: Any) -> "TrackerConfig":
        """The defaults rescaled to a detector running at ``fps`` (e.g. a Jetson at 6 fps).

        The frame counts are defined at 15 fps; a slower detector would otherwise stretch the
        delays (10 frames at 5 fps is 2 s). Counts are rounded up and kept >= 1, and the
        confirmation stays at least 2 frames so that a one-frame false positive never counts.
        ``overrides`` replace any field after scaling.
        """
        if not fps > 0:
            raise ValueError(f"fps must be > 0, got {fps}")
        base = cls()
        scale = fps / REFERENCE_FPS

        def frames(n: int, minimum: int = 1) -> int:
            return max(minimum, math.ceil(n * scale - 1e-9))

        window = frames(base.confirm_window_frames, minimum=2)
        scaled = {
            "min_confidence": base.min_confidence,
            "confirm_after_frames": min(window, frames(base.confirm_after_frames, minimum=2)),
            "confirm_window_frames": window,
            "lost_after_frames": frames(base.lost_after_frames),
            "match_iou": base.match_iou,
            "duplicate_iou": base.duplicate_iou,
            "class_vote_frames": frames(base.class_vote_frames),
        }  # type: Dict[str, Any]
        scaled.update(overrides)
        return cls(**scaled)


# A read-only snapshot of one track, for drawing and logs. ``xyxy``: the box last seen, in
# pixels (an occluded item keeps it); ``first_seen``/``last_seen``: the timestamps given to
# ``update`` (None when none were).
TrackState = namedtuple(
    "TrackState",
    "track_id class_id xyxy confirmed missed_frames first_seen last_seen",
)


class _Track:
    """Mutable state of one item on the counter."""

    __slots__ = (
        "class_id",
        "confirmed",
        "first_seen",
        "hits",
        "last_seen",
        "misses",
        "track_id",
        "votes",
        "xyxy",
    )

    def __init__(self, track_id: int, config: TrackerConfig) -> None:
        self.track_id = track_id
        self.xyxy = np.zeros(4, np.float32)
        self.confirmed = False
        self.misses = 0
        self.hits = deque(maxlen=config.confirm_window_frames)  # hit (True) or miss per frame
        self.votes = deque(maxlen=config.class_vote_frames)  # (class id, confidence) per hit
        self.class_id = -1
        self.first_seen = None  # type: Optional[float]
        self.last_seen = None  # type: Optional[float]

    def hit(
        self, xyxy: np.ndarray, class_id: int, confidence: float, timestamp: Optional[float]
    ) -> None:
        self.xyxy = xyxy
        self.misses = 0
        self.hits.append(True)
        self.votes.append((class_id, confidence))
        self.class_id = _vote(self.votes)
        if self.first_seen is None:
            self.first_seen = timestamp
        self.last_seen = timestamp

    def miss(self) -> None:
        self.misses += 1
        self.hits.append(False)

    def state(self) -> TrackState:
        return TrackState(
            self.track_id,
            self.class_id,
            tuple(float(v) for v in self.xyxy),
            self.confirmed,
            self.misses,
            self.first_seen,
            self.last_seen,
        )


def _vote(votes: Iterable[Tuple[int, float]]) -> int:
    """The class with the largest summed confidence; a tie goes to the most recent of them."""
    weight = {}  # type: Dict[int, float]
    last_index = {}  # type: Dict[int, int]
    for index, (class_id, confidence) in enumerate(votes):
        weight[class_id] = weight.get(class_id, 0.0) + confidence
        last_index[class_id] = index
    return max(weight, key=lambda c: (weight[c], last_index[c]))


def greedy_match(iou: np.ndarray, min_iou: float) -> List[Tuple[int, int]]:
    """Pairs (row, column) taken from the highest IoU down, each row and column used once."""
    rows, cols = np.nonzero(iou >= min_iou)
    # Stable sort so equal IoUs resolve by (row, column) order: runs are reproducible.
    # "mergesort" is stable and, unlike kind="stable", known to JetPack's numpy 1.13.
    order = np.argsort(-iou[rows, cols], kind="mergesort")
    used_rows, used_cols = set(), set()  # type: Set[int], Set[int]
    pairs = []  # type: List[Tuple[int, int]]
    for k in order:
        r, c = int(rows[k]), int(cols[k])
        if r not in used_rows and c not in used_cols:
            used_rows.add(r)
            used_cols.add(c)
            pairs.append((r, c))
    return pairs


class CountTracker:
    """Stable per-class item counts from a stream of detections (one ``update`` per frame).

    ``config`` is a ``TrackerConfig`` (or the desktop's dataclass subclass of it).
    """

    def __init__(self, config: Optional[TrackerConfig] = None) -> None:
        self.config = config if config is not None else TrackerConfig()
        self._tracks = []  # type: List[_Track]
        self._next_id = 1

    def update(
        self,
        xyxy: np.ndarray,
        confidence: np.ndarray,
        class_id: np.ndarray,
        timestamp: Optional[float] = None,
    ) -> Dict[int, int]:
        """Feed one frame's detections (n×4 boxes in pixels, n confidences, n class ids);
        returns the stable count per class id (counts > 0).

        ``timestamp`` (seconds) is only recorded as the tracks' first/last sighting for the UI
        and logs; the delays are counted in frames (see ``TrackerConfig.for_fps``).
        """
        config = self.config
        confidence = np.asarray(confidence, np.float32).ravel()
        keep = confidence >= config.min_confidence
        boxes = np.asarray(xyxy, np.float32).reshape(-1, 4)[keep]
        confidence = confidence[keep]
        class_id = np.asarray(class_id, np.int64).ravel()[keep]
        track_boxes = np.array([t.xyxy for t in self._tracks], np.float32).reshape(-1, 4)
        iou = box_iou_matrix(track_boxes, boxes)

        matched_tracks, matched_dets = set(), set()  # type: Set[int], Set[int]
        for t, d in greedy_match(iou, config.match_iou):
            self._tracks[t].hit(boxes[d].copy(), int(class_id[d]), float(confidence[d]), timestamp)
            matched_tracks.add(t)
            matched_dets.add(d)
        for t, track in enumerate(self._tracks):
            if t not in matched_tracks:
                track.miss()

        self._start_tracks(boxes, confidence, class_id, iou, matched_dets, timestamp)
        self._confirm_and_drop()
        return self.counts

    def _start_tracks(
        self,
        boxes: np.ndarray,
        confidence: np.ndarray,
        class_id: np.ndarray,
        iou_with_tracks: np.ndarray,
        matched_dets: Set[int],
        timestamp: Optional[float],
    ) -> None:
        """New tentative tracks for unmatched detections that are not second boxes on an item."""
        config = self.config
        unmatched = [d for d in range(len(boxes)) if d not in matched_dets]
        # Most confident first, so of two boxes on one new item the better one starts the track.
        unmatched.sort(key=lambda d: -float(confidence[d]))
        started = []  # type: List[int]
        for d in unmatched:
            if iou_with_tracks.shape[0] and iou_with_tracks[:, d].max() >= config.duplicate_iou:
                continue
            if started and box_iou_matrix(boxes[d], boxes[started]).max() >= config.duplicate_iou:
                continue
            track = _Track(self._next_id, config)
            self._next_id += 1
            track.hit(boxes[d].copy(), int(class_id[d]), float(confidence[d]), timestamp)
            self._tracks.append(track)
            started.append(d)

    def _confirm_and_drop(self) -> None:
        config = self.config
        # After this many misses in a row a tentative track's old hits can no longer help it
        # reach confirm_after_frames within any window: it is no better than a fresh track.
        tentative_patience = config.confirm_window_frames - config.confirm_after_frames + 1
        kept = []
        for track in self._tracks:
            if not track.confirmed and sum(track.hits) >= config.confirm_after_frames:
                track.confirmed = True
                logger.debug(
                    "track %s (class %s) enters the cart at t=%s",
                    track.track_id,
                    track.class_id,
                    track.last_seen,
                )
            patience = config.lost_after_frames if track.confirmed else tentative_patience
            if track.misses >= patience:
                if track.confirmed:
                    logger.debug(
                        "track %s (class %s) leaves the cart after %s missed frames",
                        track.track_id,
                        track.class_id,
                        track.misses,
                    )
                continue
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

    @property
    def tracks(self) -> List[TrackState]:
        """Every live track (tentative ones too, ``confirmed=False``), oldest first."""
        return [track.state() for track in self._tracks]

    def reset(self) -> None:
        """Forget everything, e.g. when a checkout ends and the counter is cleared."""
        self._tracks = []
        self._next_id = 1
