"""FaceNet embeddings on raw-tensor runtimes (onnxruntime, TensorRT) from the ONNX export.

Same weights as the torch embedder (the export records their sha256), so it carries the same
embedder name and the face registry accepts its embeddings as comparable templates.
Standardisation comes from ``checkout_edge.facenet``, shared with the Jetson runtime.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from checkout_edge.facenet import EMBEDDING_SIZE, l2_normalize, standardize

from checkout_app.backends.onnx_detector import onnxruntime_session, tensorrt_runner
from checkout_app.backends.registry import (
    int8_model_path,
    verified_int8_sidecar,
    verified_onnx_sidecar,
)

log = logging.getLogger(__name__)

# The TensorRT optimisation profile's largest batch (checkout_edge.engines.PROFILE_MAX_BATCH).
TENSORRT_MAX_BATCH = 8


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


def load_onnx_embedder(
    onnx_path: Path,
    source_weights: Path | None = None,
    batch_size: int = 16,
    threads: int | None = None,
) -> RawFaceEmbedder:
    """FaceNet on onnxruntime (CPU). ``source_weights``: the prepared torch weights the app
    uses; an ONNX exported from other weights is refused (its embeddings would not match the
    enrolled templates)."""
    meta = verified_onnx_sidecar(onnx_path, source_weights)
    return _onnxruntime_embedder(onnx_path, meta, batch_size, threads)


def load_int8_embedder(
    onnx_path: Path,
    source_weights: Path | None = None,
    batch_size: int = 16,
    threads: int | None = None,
    require_selectable: bool = True,
) -> RawFaceEmbedder:
    """The INT8 model of the FP32 export ``onnx_path`` on onnxruntime, refused
    (``BackendError``) unless the face identification accuracy and false accepts it measured
    moved by less than one point. Same embedder name as FP32: the gate measures it against
    templates enrolled with FP32 too. ``require_selectable=False`` only for that measurement."""
    meta = verified_int8_sidecar(onnx_path, source_weights, require_selectable)
    return _onnxruntime_embedder(int8_model_path(onnx_path), meta, batch_size, threads)


def _onnxruntime_embedder(
    path: Path, meta: dict, batch_size: int, threads: int | None
) -> RawFaceEmbedder:
    session = onnxruntime_session(path, threads)
    names = [meta["output_name"]]
    input_name = meta["input_name"]
    log.info("FaceNet on onnxruntime: %s", path)
    return RawFaceEmbedder(
        lambda batch: session.run(names, {input_name: batch})[0], meta, path, batch_size
    )


def load_tensorrt_embedder(onnx_path: Path, source_weights: Path | None = None) -> RawFaceEmbedder:
    """FaceNet on the TensorRT engine built from ``onnx_path``."""
    meta = verified_onnx_sidecar(onnx_path, source_weights)
    runner = tensorrt_runner(onnx_path)
    output_name = meta["output_name"]
    return RawFaceEmbedder(
        lambda batch: runner.run(batch)[output_name], meta, onnx_path, TENSORRT_MAX_BATCH
    )
