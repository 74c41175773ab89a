"""The one place that picks concrete implementations (model runtime, database) for the app."""

from __future__ import annotations

from pathlib import Path

from checkout_app.paths import DEFAULT_PRODUCT_MODEL
from checkout_app.vision.detections import ProductDetector

DEFAULT_MODEL_REBUILD = "checkout-app train products --out models/products_yolov8n.pt"


def load_product_detector(
    model_path: Path | None, home: Path, *, min_confidence: float | None = None
) -> ProductDetector:
    """The product detector from ``model_path`` (default: the shipped model)."""
    from checkout_app.backends.ultralytics_detector import (
        DEFAULT_MIN_CONFIDENCE,
        UltralyticsProductDetector,
    )

    path = model_path or DEFAULT_PRODUCT_MODEL
    hint = (
        DEFAULT_MODEL_REBUILD
        if model_path is None
        else (f"checkout-app train products --out {path}")
    )
    return UltralyticsProductDetector(
        path,
        home,
        rebuild_hint=hint,
        min_confidence=DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence,
    )
