"""``checkout-app eval tracking``: the whole detector + tracker over the demo scenario.

The raw detector's per-frame counts are scored the same way, so the report shows what the
tracker adds (no flicker while a hand covers an item) and what it costs (time to settle).
"""

from __future__ import annotations

from checkout_app.camera.demo_source import DemoScenarioSource
from checkout_app.vision.detections import ProductDetector
from checkout_app.vision.tracker import CartTracker, TrackerConfig
from checkout_app.vision.tracking_metrics import evaluate_tracking

# At least the tracker's removal delay (10 frames at 15 fps), so a removal is judged once the
# configured delay has passed.
DEFAULT_SETTLE_WINDOW_FRAMES = 12


def _named(counts: dict[int, int], class_names: list[str]) -> dict[str, int]:
    return {class_names[c]: n for c, n in counts.items() if n > 0}


def evaluate_demo_tracking(
    detector: ProductDetector,
    *,
    tracker_config: TrackerConfig | None = None,
    settle_window_frames: int = DEFAULT_SETTLE_WINDOW_FRAMES,
) -> dict:
    source = DemoScenarioSource()
    config = tracker_config or TrackerConfig.for_fps(source.fps)
    tracker = CartTracker(config)
    names = detector.class_names
    tracked, raw, truth = [], [], []
    for frame in source:
        detections = detector.detect(frame.image)
        tracked.append(_named(tracker.update(detections, frame.timestamp), names))
        kept = detections.above(config.min_confidence)
        raw_counts: dict[int, int] = {}
        for class_id in kept.class_id.tolist():
            raw_counts[class_id] = raw_counts.get(class_id, 0) + 1
        raw.append(_named(raw_counts, names))
        truth.append(dict(source.truth))
    report = evaluate_tracking(tracked, truth, source.fps, settle_window_frames).to_dict()
    raw_report = evaluate_tracking(raw, truth, source.fps, settle_window_frames).to_dict()
    report["raw_detector_frame_cart_accuracy"] = raw_report["frame_cart_accuracy"]
    report["raw_detector_cart_changes"] = raw_report["predicted_changes"]
    report["tracker_config"] = {k: getattr(config, k) for k in config.__dataclass_fields__}
    report["final_cart_matches_truth"] = tracked[-1] == truth[-1] if truth else None
    return report
