"""ONNX exports: valid graphs, TensorRT 8.2 lint, onnxruntime vs torch parity, tamper refusal."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from checkout_app.models_meta import ModelFileError, file_sha256
from checkout_app.paths import DEFAULT_PRODUCT_MODEL

pytestmark = pytest.mark.integration

PARITY_MIN_IOU = 0.99
PARITY_MIN_COSINE = 0.9999
# The shipped model's square input; YOLOv8 predicts at strides 8, 16 and 32.
INPUT_SIZE = json.loads(DEFAULT_PRODUCT_MODEL.with_suffix(".json").read_text())["input_size"][0]
ANCHORS = sum((INPUT_SIZE // stride) ** 2 for stride in (8, 16, 32))


def test_exports_pass_the_onnx_checker_and_the_trt_lint(detector_onnx, facenet_onnx):
    import onnx

    from checkout_app.export.trt_lint import trt_lint

    for path in (detector_onnx, facenet_onnx):
        model = onnx.load(str(path))
        onnx.checker.check_model(model, full_check=True)
        assert trt_lint(path) == []
        meta = json.loads(path.with_suffix(".json").read_text())
        assert meta["sha256"] == file_sha256(path) and meta["opset"] == 13
        assert len(meta["source_model"]["sha256"]) == 64
    det = json.loads(detector_onnx.with_suffix(".json").read_text())
    assert det["input_shape"] == [1, 3, INPUT_SIZE, INPUT_SIZE]
    assert det["output_shape"] == [1, 4 + 12, ANCHORS]
    face = json.loads(facenet_onnx.with_suffix(".json").read_text())
    assert face["input_shape"][0] == "batch"


def _detect_square(model, image):
    """The torch model through ultralytics on the square letterbox the ONNX graph takes."""
    result = model.predict(
        image, imgsz=INPUT_SIZE, conf=0.4, iou=0.5, agnostic_nms=True, rect=False, verbose=False
    )[0]
    boxes = result.boxes
    return boxes.xyxy.numpy(), boxes.conf.numpy(), boxes.cls.numpy().astype(np.int64)


def test_detector_parity_with_torch_on_rendered_scenes(detector_onnx, export_home):
    """Same input tensor -> same classes and boxes; the shipped torch detector -> same cart."""
    from ultralytics import YOLO

    from checkout_app.app import load_product_detector
    from checkout_app.backends.onnxruntime_models import load_onnx_detector
    from checkout_app.training.dataset import eval_scenes
    from checkout_app.vision.detections import box_iou

    onnx_detector = load_onnx_detector(
        detector_onnx, DEFAULT_PRODUCT_MODEL, min_confidence=0.4, threads=1
    )
    torch_detector = load_product_detector(None, export_home)  # ultralytics' own letterbox
    square = YOLO(str(DEFAULT_PRODUCT_MODEL), task="detect")
    min_iou, boxes_seen = 1.0, 0
    for scene in eval_scenes(onnx_detector.class_names, per_count=1, seed=20240):
        got = onnx_detector.detect(scene.image)
        xyxy, conf, cls = _detect_square(square, scene.image)
        assert sorted(got.class_id.tolist()) == sorted(cls.tolist())
        if len(cls):
            iou = box_iou(xyxy, got.xyxy)
            matched = iou.argmax(axis=1)
            assert got.class_id[matched].tolist() == cls.tolist()
            np.testing.assert_allclose(got.confidence[matched], conf, atol=1e-3)
            min_iou = min(min_iou, float(iou.max(axis=1).min()))
            boxes_seen += len(cls)
        shipped = torch_detector.detect(scene.image)
        assert (
            np.bincount(shipped.class_id, minlength=12).tolist()
            == np.bincount(got.class_id, minlength=12).tolist()
        )
    assert boxes_seen >= 60
    assert min_iou >= PARITY_MIN_IOU
    assert set(onnx_detector.last_timings_ms) == {"preprocess", "inference", "postprocess"}


def test_facenet_parity_with_torch_on_real_crops(facenet_onnx, export_home, face_crops):
    from checkout_app.app import load_face_embedder

    _labels, crops = face_crops
    assert len(crops) >= 6
    torch_embedder = load_face_embedder(export_home, "torch")
    onnx_embedder = load_face_embedder(export_home, "onnxruntime")
    assert onnx_embedder.name == torch_embedder.name  # enrolled templates stay valid
    want, got = torch_embedder.embed(crops), onnx_embedder.embed(crops)
    cosine = np.sum(want * got, axis=1)
    assert cosine.min() >= PARITY_MIN_COSINE
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # The dynamic batch: one crop at a time gives the same embeddings.
    np.testing.assert_allclose(onnx_embedder.embed(crops[:1]), got[:1], atol=1e-5)


def test_a_tampered_onnx_is_refused(detector_onnx, tmp_path):
    from checkout_app.backends.onnxruntime_models import load_onnx_detector

    copy = tmp_path / detector_onnx.name
    shutil.copy(detector_onnx, copy)
    shutil.copy(detector_onnx.with_suffix(".json"), copy.with_suffix(".json"))
    with open(copy, "r+b") as f:
        f.seek(-100, 2)
        f.write(b"\0" * 10)
    with pytest.raises(ModelFileError, match=r"does not match the sha256.*checkout-app export"):
        load_onnx_detector(copy, None, min_confidence=0.4)


def test_an_export_of_another_model_version_is_refused(detector_onnx, tmp_path):
    from checkout_app.backends.onnxruntime_models import load_onnx_detector

    source = tmp_path / "products_yolov8n.pt"
    source.write_bytes(b"retrained weights")
    meta = json.loads(DEFAULT_PRODUCT_MODEL.with_suffix(".json").read_text())
    meta["sha256"] = file_sha256(source)
    source.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match=r"another version.*checkout-app export"):
        load_onnx_detector(detector_onnx, source, min_confidence=0.4)


def test_trt_lint_flags_a_new_opset_an_unknown_op_and_a_plugin(detector_onnx):
    import onnx
    from onnx import helper

    from checkout_app.export.trt_lint import lint_model

    model = onnx.load(str(detector_onnx))
    assert lint_model(model) == []
    model.opset_import[0].version = 17
    model.graph.node.append(helper.make_node("NonMaxSuppression", ["a", "b"], ["c"]))
    model.graph.node.append(helper.make_node("EfficientNMS_TRT", ["x"], ["y"], domain="trt"))
    problems = " | ".join(lint_model(model))
    assert "opset 17" in problems
    assert "NonMaxSuppression" in problems
    assert "custom domain 'trt'" in problems
