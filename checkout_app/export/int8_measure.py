"""One run that measures the INT8 models against FP32 and torch, and records the accuracy gate.

``measure_int8`` takes the exports in ``HOME/models/onnx`` (FP32 and ``*_int8.onnx``) and, in one
process on one machine state: file sizes; per-model latency on one thread for torch, onnxruntime
FP32 and onnxruntime INT8, interleaved round by round so a busy neighbour (a training run on the
same cores) slows all three alike; cAcc on the standard held-out evaluation (the very code and
settings of ``checkout-app eval products``) for the three; face identification accuracy and
false accepts (``faces eval``'s scoring on the shared photos) with FP32, with INT8, and with
templates enrolled by FP32 identified by INT8 (a kiosk that switches to INT8 keeps its
registry). The accuracy drops go into the INT8 sidecars, which gate ``--backend onnxruntime-int8``.
"""

from __future__ import annotations

import hashlib
import logging
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from checkout_app.backends.registry import (
    INT8_MEASURE_HINT,
    MAX_INT8_DROP_POINTS,
    ONNXRUNTIME,
    ONNXRUNTIME_INT8,
    TORCH,
    int8_model_path,
)
from checkout_app.export.quantize import accuracy_record, record_accuracy
from checkout_app.training.evaluate_products import DEFAULT_EVAL_SEED

log = logging.getLogger(__name__)

THREADS = 1  # every runtime on one thread: comparable, and what a shared kiosk CPU gives a model
LATENCY_ROUNDS = 40
LATENCY_FRAMES = 12
EVAL_PER_COUNT = 50  # the standard held-out evaluation: 50 scenes per item count 1..12
BACKENDS = (TORCH, ONNXRUNTIME, ONNXRUNTIME_INT8)
FACE_SCENARIOS = ("fp32", "int8", "fp32_templates_int8_identifies")
ProgressFn = Callable[[str], None]


def measure_int8(
    home: Path,
    model_path: Path,
    detector_onnx: Path,
    facenet_onnx: Path,
    faces_dir: Path,
    *,
    per_count: int = EVAL_PER_COUNT,
    rounds: int = LATENCY_ROUNDS,
    progress: ProgressFn | None = None,
) -> dict:
    """Measure both INT8 models, store their accuracy in the INT8 sidecars, return the report.

    ``model_path``: the product model (.pt) the detector exports come from; ``faces_dir``: the
    shared photos (``train/<person>/``, ``labels.csv``).
    """
    import onnxruntime
    import torch

    from checkout_app.backends.facenet_convert import prepared_weights_path

    started = time.perf_counter()
    say = progress or (lambda _message: None)
    torch.set_num_threads(THREADS)
    weights = prepared_weights_path(home)
    detectors = _latency_detectors(home, model_path, detector_onnx)
    embedders = _embedders(home, weights, facenet_onnx)
    scenes = _latency_frames(detectors[TORCH].class_names)
    crops = _face_crops(faces_dir / "test")
    say(f"latency: {rounds} interleaved rounds per model")
    detector_latency = _detector_latency(detectors, scenes, rounds)
    facenet_latency = _facenet_latency(embedders, crops, rounds)

    cacc = {}
    for backend in BACKENDS:
        say(f"cAcc on {per_count * 12} held-out scenes: {backend}")
        cacc[backend] = _cacc(home, model_path, backend, per_count)
    say("faces eval: FP32, INT8, FP32 templates identified by INT8")
    faces = _faces_eval(embedders, faces_dir)

    evaluation = (
        f"eval products: {per_count * 12} held-out rendered scenes (seed {DEFAULT_EVAL_SEED}, "
        f"{per_count} per item count 1..12), confidence {cacc[ONNXRUNTIME]['min_confidence']}"
    )
    detector_accuracy = accuracy_record(
        [
            {
                "name": "cAcc",
                "fp32": cacc[ONNXRUNTIME]["cAcc"],
                "int8": cacc[ONNXRUNTIME_INT8]["cAcc"],
            }
        ],
        evaluation,
    )
    face_accuracy = accuracy_record(_face_metrics(faces), _faces_evaluation(faces, faces_dir))
    record_accuracy(int8_model_path(detector_onnx), detector_accuracy)
    record_accuracy(int8_model_path(facenet_onnx), face_accuracy)
    return {
        "what": "post-training static INT8 (onnxruntime QDQ) vs FP32 onnxruntime vs torch, "
        "measured in one run",
        "command": INT8_MEASURE_HINT,
        "machine": {
            "cpu": _cpu_name(),
            "python": platform.python_version(),
            "onnxruntime": onnxruntime.__version__,
            "torch": torch.__version__,
            "threads_per_model": THREADS,
            "note": "CPU shared with other work during the run; every latency is a median of "
            "interleaved rounds, so a busy neighbour slows the runtimes alike",
        },
        "measure_seconds": round(time.perf_counter() - started),
        "max_drop_points": MAX_INT8_DROP_POINTS,
        "product_detector": {
            "files": _files(detector_onnx),
            "latency": detector_latency,
            "cAcc": cacc,
            "accuracy_gate": detector_accuracy,
            "int8_selectable": detector_accuracy["selectable"],
        },
        "facenet": {
            "files": _files(facenet_onnx),
            "latency": facenet_latency,
            "faces_eval": faces,
            "embedding_cosine_int8_vs_fp32": _cosines(embedders, crops),
            "accuracy_gate": face_accuracy,
            "int8_selectable": face_accuracy["selectable"],
        },
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _files(fp32_path: Path) -> dict:
    int8_path = int8_model_path(fp32_path)
    fp32_mb, int8_mb = fp32_path.stat().st_size / 1e6, int8_path.stat().st_size / 1e6
    return {
        "fp32": fp32_path.name,
        "int8": int8_path.name,
        "fp32_MB": round(fp32_mb, 2),
        "int8_MB": round(int8_mb, 2),
        "size_ratio_int8_to_fp32": round(int8_mb / fp32_mb, 3),
    }


# --- latency --------------------------------------------------------------------------------


def _latency_detectors(home: Path, model_path: Path, detector_onnx: Path) -> dict:
    from checkout_edge.defaults import MIN_CONFIDENCE

    from checkout_app.app import load_product_detector
    from checkout_app.backends.onnxruntime_models import load_int8_detector, load_onnx_detector

    kiosk = MIN_CONFIDENCE
    return {
        TORCH: load_product_detector(model_path, home, min_confidence=kiosk, backend=TORCH),
        ONNXRUNTIME: load_onnx_detector(
            detector_onnx, model_path, min_confidence=kiosk, threads=THREADS
        ),
        ONNXRUNTIME_INT8: load_int8_detector(
            detector_onnx,
            model_path,
            min_confidence=kiosk,
            threads=THREADS,
            require_selectable=False,  # this run is what measures it
        ),
    }


def _embedders(home: Path, weights: Path, facenet_onnx: Path) -> dict:
    from checkout_app.backends.facenet_torch import load_torch_embedder
    from checkout_app.backends.onnxruntime_models import load_int8_embedder, load_onnx_embedder

    return {
        TORCH: load_torch_embedder(home),
        ONNXRUNTIME: load_onnx_embedder(facenet_onnx, weights, threads=THREADS),
        ONNXRUNTIME_INT8: load_int8_embedder(
            facenet_onnx, weights, threads=THREADS, require_selectable=False
        ),
    }


def _latency_frames(class_names: Sequence[str]) -> list[np.ndarray]:
    from checkout_app.training.dataset import eval_scenes

    # Any rendered counter will do for timing; 1 item per scene up to 12, as at a till.
    scenes = eval_scenes(class_names, per_count=1, seed=DEFAULT_EVAL_SEED + 1)
    return [scene.image for scene in scenes][:LATENCY_FRAMES]


def _face_crops(folder: Path) -> list[np.ndarray]:
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.vision.image_files import image_files, load_image_bgr

    detector = MtcnnFaceDetector()
    return [
        face.crop for path in image_files(folder) for face in detector.detect(load_image_bgr(path))
    ]


def _summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "samples": len(ordered),
    }


def _ratios(medians: dict) -> dict:
    int8, fp32, torch_ms = medians[ONNXRUNTIME_INT8], medians[ONNXRUNTIME], medians[TORCH]
    return {
        "int8_to_fp32_onnxruntime": round(int8 / fp32, 3),
        "int8_to_torch": round(int8 / torch_ms, 3),
        "fp32_onnxruntime_to_torch": round(fp32 / torch_ms, 3),
    }


def _detector_latency(detectors: dict, frames: list[np.ndarray], rounds: int) -> dict:
    """Per backend: model inference (the runtime call on the prepared tensor) and the whole
    ``detect`` (letterbox + inference + decode/NMS) per 640x480 frame."""
    inference = {name: [] for name in detectors}
    detect = {name: [] for name in detectors}
    for detector in detectors.values():
        detector.detect(frames[0])  # warm-up outside the timed rounds
    for index in range(rounds):
        frame = frames[index % len(frames)]
        for name, detector in detectors.items():
            started = time.perf_counter()
            detector.detect(frame)
            detect[name].append((time.perf_counter() - started) * 1000)
            inference[name].append(detector.last_timings_ms["inference"])
    result = {"frame": "640x480 rendered counter scenes, 1-12 items"}
    for label, samples in (("inference", inference), ("detect", detect)):
        result[label] = _stats_with_ratios(samples)
    result["detect_fps"] = {
        name: round(1000 / result["detect"][name]["median_ms"], 1) for name in detectors
    }
    return result


def _stats_with_ratios(samples: dict) -> dict:
    stats = {name: _summary(values) for name, values in samples.items()}
    medians = {name: s["median_ms"] for name, s in stats.items()}
    return {**stats, "ratios": _ratios(medians)}


def _facenet_latency(embedders: dict, crops: list[np.ndarray], rounds: int) -> dict:
    """Per backend: ``embed`` of one 160x160 crop (standardise + network), as per shopper."""
    times = {name: [] for name in embedders}
    for embedder in embedders.values():
        embedder.embed(crops[:1])
    for index in range(rounds):
        crop = [crops[index % len(crops)]]
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.embed(crop)
            times[name].append((time.perf_counter() - started) * 1000)
    return {"input": "one face crop per call", "embed": _stats_with_ratios(times)}


def _cosines(embedders: dict, crops: list[np.ndarray]) -> dict:
    want = embedders[ONNXRUNTIME].embed(crops)
    got = embedders[ONNXRUNTIME_INT8].embed(crops)
    cosine = np.sum(want * got, axis=1)
    return {
        "crops": len(crops),
        "min": round(float(cosine.min()), 5),
        "mean": round(float(cosine.mean()), 5),
    }


# --- accuracy -------------------------------------------------------------------------------


def _cacc(home: Path, model_path: Path, backend: str, per_count: int) -> dict:
    """cAcc exactly as ``checkout-app eval products --backend`` measures it."""
    from checkout_edge.defaults import MIN_CONFIDENCE

    from checkout_app.training.evaluate_products import evaluate_products, load_eval_detector

    detector = load_eval_detector(model_path, home, backend)
    with tempfile.TemporaryDirectory() as plots:
        report = evaluate_products(
            detector,
            detector.class_names,
            per_count=per_count,
            seed=DEFAULT_EVAL_SEED,
            min_confidence=MIN_CONFIDENCE,
            out_dir=Path(plots),
        )
    return {
        key: report[key]
        for key in ("images", "cAcc", "ACD", "mAP50", "mAP50_95", "failed_images", "min_confidence")
    }


class _CachedFaceDetector:
    """MTCNN once per image for all the face evaluations (deterministic, and the slow part)."""

    def __init__(self, detector) -> None:
        self._detector = detector
        self._faces: dict = {}

    def detect(self, image: np.ndarray):
        key = hashlib.sha1(image.tobytes()).hexdigest()
        if key not in self._faces:
            self._faces[key] = self._detector.detect(image)
        return self._faces[key]


class _EnrollWithIdentifyWith:
    """What ``run_eval`` drives: enrolls with one pipeline and identifies with another."""

    def __init__(self, enroll, identify) -> None:
        self._enroll, self._identify = enroll, identify

    def templates_from_images(self, paths):
        return self._enroll.templates_from_images(paths)

    def identify(self, image, registry):
        return self._identify.identify(image, registry)


def _faces_eval(embedders: dict, faces_dir: Path) -> dict:
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.faces.evaluation import run_eval
    from checkout_app.faces.matcher import RecognitionPolicy
    from checkout_app.faces.pipeline import FacePipeline
    from checkout_app.faces.registry import FaceRegistry
    from checkout_app.storage.face_repository import FaceRepository

    detector = _CachedFaceDetector(MtcnnFaceDetector())
    fp32 = FacePipeline(detector, embedders[ONNXRUNTIME])
    int8 = FacePipeline(detector, embedders[ONNXRUNTIME_INT8])
    pipelines = {
        "fp32": fp32,
        "int8": int8,
        "fp32_templates_int8_identifies": _EnrollWithIdentifyWith(fp32, int8),
    }
    results = {}
    for scenario, pipeline in pipelines.items():
        registry = FaceRegistry(
            FaceRepository.in_memory(), embedders[ONNXRUNTIME].name, RecognitionPolicy()
        )
        report = run_eval(pipeline, registry, faces_dir / "train", faces_dir / "labels.csv")
        results[scenario] = {"policy": report["policy"], **report["summary"]}
    return results


def _face_metrics(faces: dict) -> list[dict]:
    base = faces["fp32"]
    metrics = []
    for scenario in FACE_SCENARIOS[1:]:
        for key, higher_is_better in (
            ("identification_accuracy", True),
            ("false_accept_rate", False),
        ):
            metrics.append(
                {
                    "name": f"{key} ({scenario})",
                    "fp32": base[key],
                    "int8": faces[scenario][key],
                    "higher_is_better": higher_is_better,
                }
            )
    return metrics


def _faces_evaluation(faces: dict, faces_dir: Path) -> str:
    base = faces["fp32"]
    return (
        f"faces eval on {faces_dir.name}/: {base['registered_faces']} registered and "
        f"{base['unknown_faces']} unknown faces (one face is "
        f"{100 / max(base['registered_faces'], 1):.1f} points of identification accuracy)"
    )
