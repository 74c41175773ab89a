"""Per-frame checkout: detections -> stable counts -> the shopper's cart, with stage timings.

No Qt and no model runtime here: the detector and the frame source come in from outside, so
the headless CLI, the benchmark and (later) the kiosk window all drive the same code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from checkout_app.camera.source import Frame, FrameSource
from checkout_app.core.cart import Cart
from checkout_app.core.catalog import UNKNOWN_ITEM_CLASS, Catalog
from checkout_app.vision.detections import Detections, ProductDetector
from checkout_app.vision.tracker import CartTracker

STAGES = ("read", "preprocess", "inference", "postprocess", "tracking")


@dataclass
class FrameResult:
    frame: Frame
    detections: Detections
    cart_changed: bool
    timings_ms: dict[str, float] = field(default_factory=dict)


class CheckoutPipeline:
    """Feeds frames through detector and tracker into a ``Cart``."""

    def __init__(self, detector: ProductDetector, tracker: CartTracker, catalog: Catalog) -> None:
        self.detector = detector
        self.tracker = tracker
        self.cart = Cart(catalog)
        # Detector class id -> SKU; None where the store does not sell that class.
        self._sku_for_class = []
        for name in detector.class_names:
            product = catalog.for_class(name)
            self._sku_for_class.append(product.sku if product else None)
        self._unknown_class = (
            detector.class_names.index(UNKNOWN_ITEM_CLASS)
            if UNKNOWN_ITEM_CLASS in detector.class_names
            else None
        )

    def skus(self, class_counts: Mapping[int, int]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for class_id, n in class_counts.items():
            sku = self._sku_for_class[class_id]
            if sku is not None:
                counts[sku] = counts.get(sku, 0) + n
        return counts

    def detect(self, frame: Frame) -> tuple[Detections, dict[str, float]]:
        """Run the detector on one frame; returns its detections and stage timings (ms)."""
        started = time.perf_counter()
        detections = self.detector.detect(frame.image)
        timings = {"detect": (time.perf_counter() - started) * 1000}
        timings.update(self.detector.last_timings_ms)
        return detections, timings

    def apply(self, detections: Detections, timestamp: float) -> tuple[bool, float]:
        """Feed detections to the tracker and the cart; returns (cart changed, tracking ms).

        Separate from ``detect`` so a kiosk can hold its cart lock only for this short step.
        """
        started = time.perf_counter()
        class_counts = self.tracker.update(detections, timestamp)
        unknown = (
            []
            if self._unknown_class is None
            else [
                track.track_id
                for track in self.tracker.tracks
                if track.confirmed and track.class_id == self._unknown_class
            ]
        )
        changed = self.cart.set_detected(self.skus(class_counts), unknown)
        return changed, (time.perf_counter() - started) * 1000

    def process(self, frame: Frame, read_ms: float = 0.0) -> FrameResult:
        detections, timings = self.detect(frame)
        changed, tracking_ms = self.apply(detections, frame.timestamp)
        timings.update({"read": read_ms, "tracking": tracking_ms})
        return FrameResult(frame, detections, changed, timings)

    def run(self, source: FrameSource) -> Iterator[FrameResult]:
        """Process frames until the source ends. A dying source raises ``SourceError``."""
        while True:
            started = time.perf_counter()
            frame = source.read()
            read_ms = (time.perf_counter() - started) * 1000
            if frame is None:
                return
            yield self.process(frame, read_ms)
