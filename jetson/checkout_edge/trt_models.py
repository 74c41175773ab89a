"""The product detector and FaceNet on TensorRT: the shared numpy pre/post-processing around a
:class:`~checkout_edge.trt_runner.TrtRunner`.

``TrtProductDetector.detect(image_bgr)`` -> (xyxy, confidence, class_id) in image pixels, with
``last_timings_ms`` (preprocess / inference / postprocess) like the desktop detectors;
``TrtFaceEmbedder.embed(crops_rgb)`` -> (n, 512) unit vectors, splitting a large batch into
chunks the engine's optimisation profile allows. :func:`open_bundle_models` finds both in an
exported bundle and refuses stale engines before the first frame. Python 3.6-compatible.
"""

import logging
import os
import time
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from checkout_edge import engines, facenet, yolo
from checkout_edge.defaults import MIN_CONFIDENCE, NMS_IOU
from checkout_edge.engines import EngineError, Identity
from checkout_edge.trt_runner import TrtRunner

logger = logging.getLogger(__name__)


def _stage_ms(t0: float, t1: float, t2: float, t3: float) -> Dict[str, float]:
    """Milliseconds of the three stages between four perf_counter readings."""

    def ms(start: float, end: float) -> float:
        return round((end - start) * 1000.0, 3)

    return {"preprocess": ms(t0, t1), "inference": ms(t1, t2), "postprocess": ms(t2, t3)}


class TrtProductDetector:
    """YOLOv8 engine with a static 1x3xSxS input and the raw (1, 4 + classes, N) head output."""

    def __init__(
        self,
        runner: TrtRunner,
        sidecar: Dict,
        min_confidence: float = MIN_CONFIDENCE,
    ) -> None:
        self.class_names = list(sidecar["class_names"])
        self.input_size = int(sidecar["input_size"][0])
        self.nms_iou = float(sidecar.get("nms_iou", NMS_IOU))
        self.min_confidence = min_confidence
        expected = (1, 3, self.input_size, self.input_size)
        if len(runner.inputs) != 1 or runner.inputs[0].shape != expected:
            raise EngineError(
                f"{os.path.basename(runner.engine_path)}: engine input "
                f"{[s.shape for s in runner.inputs]} is not the sidecar's {expected}; "
                "rebuild it from this bundle"
            )
        rows = runner.outputs[0].shape[1] if runner.outputs else None
        if len(runner.outputs) != 1 or rows != 4 + len(self.class_names):
            raise EngineError(
                f"{os.path.basename(runner.engine_path)}: engine output "
                f"{[s.shape for s in runner.outputs]} does not fit {len(self.class_names)} "
                "classes; rebuild it from this bundle"
            )
        self.engine_path = runner.engine_path
        self._runner = runner
        self._output = runner.outputs[0].name
        self.last_timings_ms = {}  # type: Dict[str, float]

    def detect(self, image_bgr: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        t0 = time.perf_counter()
        tensor, scale, pad = yolo.letterbox(image_bgr, self.input_size)
        t1 = time.perf_counter()
        raw = self._runner.run(tensor)[self._output]
        t2 = time.perf_counter()
        result = yolo.decode_yolov8(
            raw, self.min_confidence, self.nms_iou, scale, pad, image_shape=image_bgr.shape[:2]
        )
        t3 = time.perf_counter()
        self.last_timings_ms = _stage_ms(t0, t1, t2, t3)
        return result

    def close(self) -> None:
        self._runner.close()


class TrtFaceEmbedder:
    """FaceNet engine with a dynamic batch: RGB 160x160 crops -> 512-d unit embeddings."""

    def __init__(self, runner: TrtRunner, sidecar: Optional[Dict] = None) -> None:
        if len(runner.inputs) != 1 or runner.inputs[0].shape[1:] != (
            3,
            facenet.CROP_SIZE,
            facenet.CROP_SIZE,
        ):
            raise EngineError(
                f"{os.path.basename(runner.engine_path)}: not a FaceNet engine "
                f"(inputs {[s.shape for s in runner.inputs]})"
            )
        self.name = (sidecar or {}).get("embedder_name", "facenet")
        self.max_batch = runner.inputs[0].max_shape[0]
        self.engine_path = runner.engine_path
        self._runner = runner
        self._output = runner.outputs[0].name
        self.last_timings_ms = {}  # type: Dict[str, float]

    def embed(self, crops_rgb: Sequence[np.ndarray]) -> np.ndarray:
        if len(crops_rgb) == 0:
            return np.zeros((0, facenet.EMBEDDING_SIZE), np.float32)
        t0 = time.perf_counter()
        batch = facenet.standardize(crops_rgb)
        t1 = time.perf_counter()
        chunks = [
            self._runner.run(batch[start : start + self.max_batch])[self._output]
            for start in range(0, len(batch), self.max_batch)
        ]
        t2 = time.perf_counter()
        # The graph normalises already; again here because FP16 rounding leaves norms of
        # 1 +- 1e-3, and the matcher's distances assume unit vectors.
        vectors = facenet.l2_normalize(np.concatenate(chunks, axis=0))
        t3 = time.perf_counter()
        self.last_timings_ms = _stage_ms(t0, t1, t2, t3)
        return vectors

    def close(self) -> None:
        self._runner.close()


def model_role(sidecar: Dict) -> Optional[str]:
    """``"detect"`` for the product detector, ``"embed"`` for FaceNet, else None."""
    task = sidecar.get("task")
    if task in ("detect", "embed"):
        return task
    if "embedder_name" in sidecar or sidecar.get("output_name") == "embeddings":
        return "embed"
    return None


def find_bundle_models(bundle: str) -> Dict[str, str]:
    """role -> ONNX path for the models of an exported bundle."""
    found = {}  # type: Dict[str, str]
    for path in engines.find_models(bundle):
        try:
            role = model_role(engines.read_json(engines.sidecar_path(path)))
        except (OSError, ValueError):
            continue  # describe_model reports the missing sidecar when the model is needed
        if role is not None and role not in found:
            found[role] = path
    return found


def open_bundle_models(
    bundle: str,
    identity: Optional[Identity] = None,
    want_embedder: bool = True,
    min_confidence: float = MIN_CONFIDENCE,
    rebuild_hint: Optional[str] = None,
) -> Tuple[TrtProductDetector, Optional[TrtFaceEmbedder]]:
    """The detector (and FaceNet) of ``bundle`` on its engines, after checking that each engine
    was built here from that very ONNX; EngineError (one line, with the fix) otherwise."""
    identity = identity or engines.runtime_identity()
    hint = rebuild_hint or engines.REBUILD_HINT.format(bundle=bundle)
    models = find_bundle_models(bundle)
    if "detect" not in models:
        raise EngineError(f"{bundle}: no product detector (sidecar task 'detect') in the bundle")
    detector_onnx = models["detect"]
    engine = engines.engine_for_model(detector_onnx, identity, bundle)
    sidecar = engines.read_json(engines.sidecar_path(detector_onnx))
    detector = TrtProductDetector(TrtRunner(engine, hint), sidecar, min_confidence)
    embedder = None
    if want_embedder and "embed" in models:
        face_onnx = models["embed"]
        engine = engines.engine_for_model(face_onnx, identity, bundle)
        embedder = TrtFaceEmbedder(
            TrtRunner(engine, hint), engines.read_json(engines.sidecar_path(face_onnx))
        )
    elif want_embedder:
        logger.warning("%s has no FaceNet model: face timings are skipped", bundle)
    return detector, embedder
