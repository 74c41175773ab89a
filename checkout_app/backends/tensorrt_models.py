"""The product detector and FaceNet on TensorRT engines built from the ONNX exports.

The engines come from ``checkout_edge`` (the Jetson runtime's own builder and runner), so a
desktop GPU and the Nano load them the same way.
"""

from __future__ import annotations

from pathlib import Path

from checkout_app.backends.raw_models import RawFaceEmbedder, RawYoloProductDetector
from checkout_app.backends.registry import BackendError, verified_onnx_sidecar

# The TensorRT optimisation profile's largest batch (checkout_edge.engines.PROFILE_MAX_BATCH).
TENSORRT_MAX_BATCH = 8


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


def load_tensorrt_embedder(onnx_path: Path, source_weights: Path | None = None) -> RawFaceEmbedder:
    """FaceNet on the TensorRT engine built from ``onnx_path``."""
    meta = verified_onnx_sidecar(onnx_path, source_weights)
    runner = tensorrt_runner(onnx_path)
    output_name = meta["output_name"]
    return RawFaceEmbedder(
        lambda batch: runner.run(batch)[output_name], meta, onnx_path, TENSORRT_MAX_BATCH
    )
