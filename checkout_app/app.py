"""The one place that picks concrete implementations (model runtime, database) for the app."""

from __future__ import annotations

from pathlib import Path

from checkout_app.core.catalog import Catalog
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


def open_catalog(home: Path, database_url: str | None = None) -> Catalog:
    """The store catalog from the database; a new database starts with the demo catalog."""
    from checkout_app.core.catalog_csv import load_catalog_csv
    from checkout_app.paths import DEMO_CATALOG_PATH
    from checkout_app.storage.catalog_repository import CatalogRepository
    from checkout_app.storage.db import default_database_url, open_database

    repository = CatalogRepository(open_database(database_url or default_database_url(home)))
    repository.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH))
    return repository.load()
