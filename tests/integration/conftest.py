"""Fixtures for tests that run the real shipped product model."""

from __future__ import annotations

import pytest

from checkout_app.paths import DEFAULT_PRODUCT_MODEL


@pytest.fixture(scope="session")
def product_detector(tmp_path_factory):
    """The shipped YOLO model, loaded once per test session."""
    if not DEFAULT_PRODUCT_MODEL.is_file():
        pytest.fail(f"shipped model {DEFAULT_PRODUCT_MODEL} is missing")
    from checkout_app.app import load_product_detector

    return load_product_detector(None, tmp_path_factory.mktemp("detector_home"))
