"""Session fixtures for the export tests: one home with FaceNet weights, the ONNX exports made
once, and real face crops from the shared photos (skipped where they are absent)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def one_torch_thread():
    """Torch on one thread: on 2 shared cores its spinning workers made FaceNet 30x slower."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def export_home(weights_home) -> Path:
    """The session's home with converted FaceNet weights; the exports are written into it."""
    return weights_home


@pytest.fixture(scope="session")
def detector_onnx(export_home, one_torch_thread) -> Path:
    from checkout_app.backends.registry import onnx_dir
    from checkout_app.export.onnx_export import export_product_detector
    from checkout_app.paths import DEFAULT_PRODUCT_MODEL

    return export_product_detector(DEFAULT_PRODUCT_MODEL, onnx_dir(export_home), export_home)


@pytest.fixture(scope="session")
def facenet_onnx(export_home, one_torch_thread) -> Path:
    from checkout_app.backends.facenet_convert import prepared_weights_path
    from checkout_app.backends.registry import onnx_dir
    from checkout_app.export.onnx_export import export_facenet

    return export_facenet(prepared_weights_path(export_home), onnx_dir(export_home))


@pytest.fixture(scope="session")
def face_crops(one_torch_thread, faces_dir) -> tuple[list[str], list]:
    """(person per crop, RGB 160×160 crops) from the shared training photos, one face each."""
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.vision.image_files import image_files, load_image_bgr

    detector = MtcnnFaceDetector()
    labels, crops = [], []
    for person in sorted(p for p in (faces_dir / "train").iterdir() if p.is_dir()):
        for path in image_files(person):
            faces = detector.detect(load_image_bgr(path))
            if len(faces) == 1:
                labels.append(person.name)
                crops.append(faces[0].crop)
    return labels, crops


@pytest.fixture(scope="session")
def torch_embedder(export_home, one_torch_thread):
    from checkout_app.backends.facenet_torch import load_torch_embedder

    return load_torch_embedder(export_home)
