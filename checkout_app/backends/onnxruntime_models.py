"""The product detector and FaceNet on onnxruntime (CPU), FP32 exports and their INT8 models.

Every file is checked against its sidecar before it loads: an ONNX whose sha256 does not match,
or one exported from other weights than the app's, is refused; an INT8 model also needs the
accuracy gate its export measured (``registry.verified_int8_sidecar``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from checkout_app.backends.raw_models import RawFaceEmbedder, RawYoloProductDetector
from checkout_app.backends.registry import (
    EXPORT_HINT,
    ONNXRUNTIME,
    ONNXRUNTIME_INT8,
    int8_model_path,
    verified_int8_sidecar,
    verified_onnx_sidecar,
)
from checkout_app.models_meta import ModelFileError

log = logging.getLogger(__name__)


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
