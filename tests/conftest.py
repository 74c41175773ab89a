"""Shared fixtures: every test runs with its own temporary app home, never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def app_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CHECKOUT_APP_HOME", str(home))
    monkeypatch.setenv("YOLO_CONFIG_DIR", str(home / "ultralytics"))
    monkeypatch.delenv("CHECKOUT_APP_DATABASE_URL", raising=False)
    return home
