"""Product detector and FaceNet over any runtime that maps an input tensor to an output tensor.

The ONNX exports end at YOLOv8's raw head output and at FaceNet's embeddings; letterbox, decoding
and class-agnostic NMS (``checkout_edge.yolo``) and face standardisation
(``checkout_edge.facenet``) run in numpy, the very code the Jetson runtime uses. So a runtime
(``onnxruntime_models``, ``tensorrt_models``) only supplies a function from tensor to tensor, and
the cart and the embeddings are the same whichever runtime computes them (the parity tests
compare against the ultralytics detector and the torch embedder).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from checkout_edge.facenet import EMBEDDING_SIZE, l2_normalize, standardize
from checkout_edge.yolo import decode_yolov8, letterbox

from checkout_app.vision.detections import Detections

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


class RawFaceEmbedder:
    """``FaceEmbedder`` over a runtime mapping an N×3×160×160 batch to N×512 embeddings."""

    def __init__(
        self,
        run_batch: Callable[[np.ndarray], np.ndarray],
        meta: dict,
        model_path: Path,
        batch_size: int,
    ) -> None:
        self._run_batch = run_batch
        self._batch_size = batch_size
        self.name = meta["embedder_name"]
        self.weights_path = model_path
        self.meta = meta

    def embed(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        if len(crops) == 0:
            return np.zeros((0, EMBEDDING_SIZE), np.float32)
        batch = standardize(crops)
        out = [
            self._run_batch(batch[i : i + self._batch_size])
            for i in range(0, len(batch), self._batch_size)
        ]
        # The graph normalises already; again here because a TensorRT FP16 engine leaves norms
        # of 1 +- 1e-3, and the registry's cosine distances assume unit vectors.
        return l2_normalize(np.concatenate(out))
