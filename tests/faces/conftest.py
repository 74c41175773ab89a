"""Face fixtures: a registry in a temporary database and, for the integration tests, FaceNet
weights converted once per session and the shared real photos."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_registry(tmp_path):
    """Build a FaceRegistry over an SQLite file in tmp_path (home = tmp_path / "reg")."""
    from checkout_app.faces.registry import FaceRegistry
    from checkout_app.storage.db import open_database
    from checkout_app.storage.face_repository import FaceRepository

    home = tmp_path / "reg"
    home.mkdir(exist_ok=True)

    def build(embedder_name: str = "test-embedder", policy=None) -> FaceRegistry:
        sessions = open_database(f"sqlite:///{home / 'faces.db'}")
        return FaceRegistry(FaceRepository.for_home(sessions, home), embedder_name, policy)

    build.home = home
    return build


@pytest.fixture(scope="session")
def face_pipeline(weights_home):
    from checkout_app.backends.facenet_torch import load_torch_embedder
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.faces.pipeline import FacePipeline

    return FacePipeline(MtcnnFaceDetector(), load_torch_embedder(weights_home))
