"""Product detector on raw-tensor runtimes (onnxruntime, TensorRT), converting to ``Detections``.

The model graph ends at YOLOv8's raw head output; letterbox, decoding and class-agnostic NMS
run in numpy (``checkout_edge.yolo``), the very code the Jetson runtime uses. So the runtime is
only a function from an input tensor to an output tensor, and the cart is the same whichever
runtime computes it (the parity tests compare against the ultralytics detector).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

import numpy as np
from checkout_edge.yolo import decode_yolov8, letterbox

from checkout_app.backends.registry import (
    EXPORT_HINT,
    ONNXRUNTIME,
    ONNXRUNTIME_INT8,
    BackendError,
    int8_model_path,
    verified_int8_sidecar,
    verified_onnx_sidecar,
)
from checkout_app.models_meta import ModelFileError
from checkout_app.vision.detections import Detections

log = logging.getLogger(__name__)

RawRunner = Callable[[np.ndarray], np.ndarray]  # (1, 3, S, S) float32 -> (1, 4 + nc, anchors)


class RawYoloProductDetector:
    """``ProductDetector`` over any runtime that maps the input tensor to the raw head output.

    ``meta`` is the ONNX sidecar (class names, input size, NMS IoU). ``last_timings_ms`` holds
    preprocess / inference / postprocess of the last call, as the ultralytics detector reports.
    """

    def __init__(
        self,
        run_raw: RawRunner,
        meta: dict,
        model_path: Path,
        *,
        min_confidence: float,
        backend: str,
    ) -> None:
        self._run_raw = run_raw
        self.class_names: list[str] = list(meta["class_names"])
        self.imgsz = int(meta["input_size"][0])
        self.nms_iou = float(meta["nms_iou"])
        self.min_confidence = min_confidence
        self.model_path = model_path
        self.meta = meta
        self.backend = backend
        self.last_timings_ms: dict[str, float] = {}
        # Warm up once so the first shopper's frame is not the slow one.
        self.detect(np.zeros((480, 640, 3), np.uint8))

    def detect(self, image: np.ndarray) -> Detections:
        started = time.perf_counter()
        tensor, scale, pad = letterbox(image, self.imgsz)
        prepared = time.perf_counter()
        raw = self._run_raw(tensor)
        inferred = time.perf_counter()
        xyxy, confidence, class_id = decode_yolov8(
            raw, self.min_confidence, self.nms_iou, scale, pad, image_shape=image.shape[:2]
        )
        done = time.perf_counter()
        self.last_timings_ms = {
            "preprocess": (prepared - started) * 1000,
            "inference": (inferred - prepared) * 1000,
            "postprocess": (done - inferred) * 1000,
        }
        return Detections(xyxy, confidence, class_id)


def onnxruntime_session(onnx_path: Path, threads: int | None = None):
    """A CPU onnxruntime session; a file it cannot parse is a ``ModelFileError``."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    # Idle worker threads must sleep, not spin: the camera, the GUI and the other model share
    # the cores. On 2 busy cores spinning doubled the detector's latency (36 vs 18 ms) and the
    # demo renderer's (49 vs 25 ms per frame), measured.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(
            str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own exception types for a bad graph
        raise ModelFileError(
            f"onnxruntime cannot load {onnx_path} ({exc}). Export it again with: {EXPORT_HINT}"
        ) from None


def load_onnx_detector(
    onnx_path: Path,
    source_model: Path | None,
    *,
    min_confidence: float,
    threads: int | None = None,
) -> RawYoloProductDetector:
    """The detector on onnxruntime. Refuses an ONNX file whose sha256 does not match its
    sidecar, or (with ``source_model``) one exported from another version of that model."""
    meta = verified_onnx_sidecar(onnx_path, source_model)
    return _onnxruntime_detector(onnx_path, meta, min_confidence, threads, ONNXRUNTIME)


def load_int8_detector(
    onnx_path: Path,
    source_model: Path | None,
    *,
    min_confidence: float,
    threads: int | None = None,
    require_selectable: bool = True,
) -> RawYoloProductDetector:
    """The INT8 model of the FP32 export ``onnx_path`` on onnxruntime, checked like the FP32
    one and refused (``BackendError``) unless its measured cAcc drop is below one point.
    ``require_selectable=False`` only for the evaluation that measures that drop."""
    meta = verified_int8_sidecar(onnx_path, source_model, require_selectable)
    path = int8_model_path(onnx_path)
    return _onnxruntime_detector(path, meta, min_confidence, threads, ONNXRUNTIME_INT8)


def _onnxruntime_detector(
    path: Path, meta: dict, min_confidence: float, threads: int | None, backend: str
) -> RawYoloProductDetector:
    session = onnxruntime_session(path, threads)
    input_name, output_name = meta["input_name"], meta["output_name"]

    def run_raw(tensor: np.ndarray) -> np.ndarray:
        return session.run([output_name], {input_name: tensor})[0]

    log.info("product detector on %s: %s", backend, path)
    return RawYoloProductDetector(
        run_raw, meta, path, min_confidence=min_confidence, backend=backend
    )


def tensorrt_runner(onnx_path: Path):
    """A ``checkout_edge`` TensorRT runner for the engine built from ``onnx_path``.

    The engine must exist in ``engines/`` beside the ONNX file, built for this TensorRT version
    and GPU; a missing, stale or foreign engine is a ``BackendError`` at start-up, with the
    command that rebuilds it, never a failure mid-checkout.
    """
    from checkout_edge.engines import EngineError, engine_for_model, runtime_identity
    from checkout_edge.trt_runner import TrtRunner

    try:
        engine = engine_for_model(str(onnx_path), runtime_identity(), str(onnx_path.parent))
        return TrtRunner(engine)
    except EngineError as exc:
        raise BackendError(str(exc)) from None


def load_tensorrt_detector(
    onnx_path: Path, source_model: Path | None, *, min_confidence: float
) -> RawYoloProductDetector:
    """The detector on a TensorRT engine built from ``onnx_path`` (checked like the ONNX)."""
    meta = verified_onnx_sidecar(onnx_path, source_model)
    runner = tensorrt_runner(onnx_path)
    output_name = meta["output_name"]
    return RawYoloProductDetector(
        lambda tensor: runner.run(tensor)[output_name],
        meta,
        onnx_path,
        min_confidence=min_confidence,
        backend="tensorrt",
    )
