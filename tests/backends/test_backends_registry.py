"""Backend registry: availability probes never crash, "auto" resolution, clear refusals."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from checkout_app.backends.registry import (
    BACKEND_ENV,
    BackendError,
    BackendStatus,
    available_backends,
    engines_dir,
    onnx_model_path,
    resolve_backend,
)

SOURCE = Path("models/products_yolov8n.pt")


def statuses(**available: bool) -> dict:
    result = {}
    for name in ("torch", "onnxruntime", "tensorrt"):
        ok = available.get(name, True)
        result[name] = BackendStatus(name, ok, None if ok else f"{name} missing")
    return result


def test_available_backends_reports_a_missing_runtime_with_its_reason():
    found = available_backends()
    assert set(found) == {"torch", "onnxruntime", "tensorrt"}
    assert found["torch"].available
    for status in found.values():
        assert status.available or status.reason  # never unavailable without a reason


def test_a_runtime_that_fails_to_import_is_reported_not_raised(monkeypatch):
    real_import = importlib.import_module

    def broken(name, *args):
        if name == "onnxruntime":
            raise OSError("libonnxruntime.so: cannot open shared object file")
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", broken)
    status = available_backends()["onnxruntime"]
    assert not status.available and "cannot open shared object" in status.reason


def make_exports(home: Path, engines: bool = False) -> None:
    onnx = onnx_model_path(home, SOURCE)
    onnx.parent.mkdir(parents=True)
    onnx.write_bytes(b"onnx")
    if engines:
        engines_dir(home).mkdir()
        (engines_dir(home) / "abc_trt8.2_fp16.engine").write_bytes(b"plan")


@pytest.mark.parametrize(
    ("exports", "engines", "available", "expected"),
    [
        (False, False, {}, "torch"),
        (True, False, {}, "onnxruntime"),
        (True, True, {}, "tensorrt"),
        (True, True, {"tensorrt": False}, "onnxruntime"),
        (True, False, {"onnxruntime": False, "tensorrt": False}, "torch"),
    ],
)
def test_auto_picks_the_fastest_backend_that_can_run(
    tmp_path, exports, engines, available, expected
):
    if exports:
        make_exports(tmp_path, engines)
    assert resolve_backend("auto", tmp_path, SOURCE, statuses(**available)) == expected


def test_no_name_reads_the_environment_then_auto(tmp_path, monkeypatch):
    make_exports(tmp_path)
    assert resolve_backend(None, tmp_path, SOURCE, statuses()) == "onnxruntime"
    monkeypatch.setenv(BACKEND_ENV, "torch")
    assert resolve_backend(None, tmp_path, SOURCE, statuses()) == "torch"


@pytest.mark.parametrize(
    ("name", "available", "message"),
    [
        ("tensorrt", {"tensorrt": False}, "tensorrt is not available: tensorrt missing"),
        ("openvino", {}, "unknown backend 'openvino'"),
    ],
)
def test_a_backend_that_cannot_run_is_refused(tmp_path, name, available, message):
    with pytest.raises(BackendError, match=message):
        resolve_backend(name, tmp_path, SOURCE, statuses(**available))


def test_named_onnxruntime_without_an_export_says_how_to_make_one(app_home):
    from checkout_app.app import load_product_detector

    with pytest.raises(BackendError, match="Export it with: checkout-app export"):
        load_product_detector(None, app_home, backend="onnxruntime")


def test_cli_reports_a_missing_export_in_one_line(app_home, capsys):
    from checkout_app.cli import main
    from checkout_app.cli.errors import EXIT_MODEL_FAILED

    code = main(["bench", "--out", str(app_home / "b.json"), "--backend", "onnxruntime"])
    assert code == EXIT_MODEL_FAILED
    assert "checkout-app export" in capsys.readouterr().err


def test_raw_detector_converts_any_runtime_output_to_detections():
    from checkout_app.backends.raw_models import RawYoloProductDetector

    calls = []

    def fake_runtime(tensor: np.ndarray) -> np.ndarray:
        calls.append(tensor.shape)
        out = np.zeros((1, 6, 10), np.float32)
        out[0, :, 0] = [160, 160, 40, 20, 0.1, 0.9]  # one box, class 1
        return out

    meta = {"class_names": ["a", "b"], "input_size": [320, 320], "nms_iou": 0.5}
    detector = RawYoloProductDetector(
        fake_runtime, meta, Path("m.onnx"), min_confidence=0.4, backend="fake"
    )
    found = detector.detect(np.zeros((480, 640, 3), np.uint8))
    assert calls == [(1, 3, 320, 320)] * 2  # warm-up + this frame
    np.testing.assert_allclose(found.xyxy, [[280, 220, 360, 260]])
    assert found.class_id.tolist() == [1]
    assert set(detector.last_timings_ms) == {"preprocess", "inference", "postprocess"}
