"""Service fixtures for the integration tests: the shared face photos, the real face models
and a registry for them in a temporary database."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def real_pipeline(faces_dir, weights_home):
    """MTCNN + FaceNet (the converted weights), once per module."""
    import torch

    from checkout_app.backends.facenet_torch import load_torch_embedder
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.faces.pipeline import FacePipeline

    # One torch thread: on a small machine shared with a busy process, spinning torch workers
    # made MTCNN many times slower (see tests/faces/test_faces_integration.py).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield FacePipeline(MtcnnFaceDetector(), load_torch_embedder(weights_home))
    torch.set_num_threads(threads)


@pytest.fixture
def real_registry(real_pipeline, tmp_path):
    """An empty FaceRegistry for the real embedder, on SQLite in tmp_path."""
    from cryptography.fernet import Fernet

    from checkout_app.faces.embedding_cipher import EmbeddingCipher
    from checkout_app.faces.registry import FaceRegistry
    from checkout_app.storage.db import close_database, open_database
    from checkout_app.storage.face_repository import FaceRepository

    sessions = open_database(f"sqlite:///{tmp_path / 'real_faces.db'}")
    yield FaceRegistry(
        FaceRepository(sessions, EmbeddingCipher(Fernet.generate_key())),
        real_pipeline.embedder.name,
    )
    close_database(sessions)
