"""``CartTracker``: turns per-frame ``Detections`` into the stable cart the shopper sees.

The tracking rules (IoU matching regardless of class, class voting, confirmation window,
removal delay) and their settings live once, in ``checkout_edge.tracker``, which the Python 3.6
Nano runtime runs as well; read that module for how and why the tracker decides. This module
adapts it to the desktop's types: ``Detections`` in, frozen-dataclass ``TrackerConfig`` and
``TrackView`` out, so the rest of the app and the UI do not see the edge package.
"""

from __future__ import annotations

from dataclasses import dataclass

from checkout_edge import tracker as _core
from checkout_edge.tracker import greedy_match

from checkout_app.vision.detections import Detections

__all__ = ["CartTracker", "TrackView", "TrackerConfig", "greedy_match"]

_DEFAULTS = _core.TrackerConfig()


@dataclass(frozen=True)
class TrackerConfig(_core.TrackerConfig):
    """How eager or patient the tracker is: ``checkout_edge.tracker.TrackerConfig`` (which
    documents each setting and its default) as a frozen, comparable dataclass.

    ``for_fps`` and the validation are inherited; the defaults are read from the edge class, so
    only the field names are declared here (tests/edge checks that the two agree).
    """

    min_confidence: float = _DEFAULTS.min_confidence
    confirm_after_frames: int = _DEFAULTS.confirm_after_frames
    confirm_window_frames: int = _DEFAULTS.confirm_window_frames
    lost_after_frames: int = _DEFAULTS.lost_after_frames
    match_iou: float = _DEFAULTS.match_iou
    duplicate_iou: float = _DEFAULTS.duplicate_iou
    class_vote_frames: int = _DEFAULTS.class_vote_frames

    def __post_init__(self) -> None:
        self.validate()


@dataclass(frozen=True)
class TrackView:
    """What a UI needs to draw one tracked item. ``xyxy`` is the box last seen, in pixels."""

    track_id: int
    class_id: int
    xyxy: tuple[float, float, float, float]
    confirmed: bool
    missed_frames: int
    first_seen: float | None
    last_seen: float | None


class CartTracker:
    """Stable per-class item counts from a stream of ``Detections`` (one ``update`` per frame)."""

    def __init__(self, config: TrackerConfig | None = None) -> None:
        self._tracker = _core.CountTracker(config if config is not None else TrackerConfig())

    @property
    def config(self) -> TrackerConfig:
        return self._tracker.config

    def update(self, detections: Detections, timestamp: float | None = None) -> dict[int, int]:
        """Feed one frame's detections; returns the stable count per class id (counts > 0).

        ``timestamp`` (seconds) is only recorded as the tracks' first/last sighting for the UI
        and logs; the delays are counted in frames (see ``TrackerConfig.for_fps``). Any
        ``track_id`` in ``detections`` is ignored: the tracker does its own association.
        """
        return self._tracker.update(
            detections.xyxy, detections.confidence, detections.class_id, timestamp
        )

    @property
    def counts(self) -> dict[int, int]:
        """Confirmed items per class id, only classes present, sorted by class id."""
        return self._tracker.counts

    @property
    def tracks(self) -> list[TrackView]:
        """Every live track (tentative ones too, ``confirmed=False``), oldest first."""
        return [TrackView(**state._asdict()) for state in self._tracker.tracks]

    def reset(self) -> None:
        """Forget everything, e.g. when a checkout ends and the counter is cleared."""
        self._tracker.reset()
