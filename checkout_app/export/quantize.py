"""Post-training static INT8 quantization of the ONNX exports with onnxruntime (CPU kiosks).

QDQ format, weights int8 per output channel, activations uint8 (u8s8: the fast path of
onnxruntime's CPU kernels with VNNI), MinMax calibration. Calibration data:

- product detector: rendered counter scenes (``eval_scenes`` with ``CALIBRATION_SEED``, never the
  held-out evaluation seed), letterboxed exactly as at run time;
- FaceNet: real face crops (MTCNN) of the people in a training photo folder, and their mirror
  images.

Some nodes stay in float because one uint8 scale per tensor would wreck them: the YOLOv8 head's
decode (it concatenates box pixels 0..320 with class scores 0..1 into one tensor, so the scores
would round to 0 or 1.25) and FaceNet's L2 normalisation (every embedding component would round
to steps of 1/255 of the largest).

The INT8 file ``<stem>_int8.onnx`` sits next to the FP32 export with a sidecar copied from the
FP32 one plus its own sha256, the FP32 file's sha256, the quantization settings, the calibration
set, and ``accuracy`` (None until ``record_accuracy`` stores a measurement): the backend registry
lets the INT8 model run only when that measured drop is below one point.
"""

from __future__ import annotations

import datetime
import json
import logging
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
from onnxruntime.quantization import CalibrationDataReader

from checkout_app.backends.registry import MAX_INT8_DROP_POINTS, int8_model_path
from checkout_app.models_meta import file_sha256, sidecar_path, write_sidecar
from checkout_app.training.evaluate_products import DEFAULT_EVAL_SEED

log = logging.getLogger(__name__)

CALIBRATION_SEED = 7  # neither the training seed (0) nor the held-out evaluation seed (1000)
DETECTOR_CALIBRATION_PER_COUNT = 4  # 48 scenes, 1..12 items; 0.33-point cAcc drop measured
_YOLO_HEAD_PREFIX = "/model.22/"  # the Detect module's node names in the torch.onnx export
_YOLO_HEAD_CONVS = "/model.22/cv"  # its box / class convolutions: quantized like the others


class TensorCalibrationReader(CalibrationDataReader):
    """Feeds prepared input tensors (one model input) to onnxruntime's calibrator."""

    def __init__(self, input_name: str, tensors: Iterable[np.ndarray]) -> None:
        self._input_name = input_name
        self._tensors = iter(tensors)

    def get_next(self) -> dict | None:
        tensor = next(self._tensors, None)
        return None if tensor is None else {self._input_name: tensor}


def detector_calibration(
    meta: dict, per_count: int = DETECTOR_CALIBRATION_PER_COUNT, seed: int = CALIBRATION_SEED
) -> tuple[list[np.ndarray], dict]:
    """Letterboxed rendered scenes (``per_count`` per item count) and their description."""
    from checkout_edge.yolo import letterbox

    from checkout_app.training.dataset import MAX_ITEMS, eval_scenes

    if seed == DEFAULT_EVAL_SEED:
        raise ValueError(f"seed {seed} renders the held-out evaluation scenes: calibrate on others")
    size = int(meta["input_size"][0])
    scenes = eval_scenes(meta["class_names"], per_count=per_count, seed=seed)
    tensors = [letterbox(scene.image, size)[0] for scene in scenes]
    description = {
        "data": "rendered counter scenes (checkout_app.training.dataset.eval_scenes), "
        f"{per_count} per item count 1..{MAX_ITEMS}, letterboxed to {size}",
        "samples": len(tensors),
        "seed": seed,
        "held_out_eval_seed_excluded": DEFAULT_EVAL_SEED,
    }
    return tensors, description


def facenet_calibration(train_dir: Path) -> tuple[list[np.ndarray], dict]:
    """Standardised MTCNN face crops of every photo in ``train_dir/<person>/``, plus mirrors."""
    from checkout_edge.facenet import standardize

    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.vision.image_files import image_files, load_image_bgr

    if not train_dir.is_dir():
        raise ValueError(f"face photos for calibration not found: {train_dir} is not a folder")
    detector = MtcnnFaceDetector()
    crops = [
        face.crop
        for person in sorted(p for p in train_dir.iterdir() if p.is_dir())
        for path in image_files(person)
        for face in detector.detect(load_image_bgr(path))
    ]
    if not crops:
        raise ValueError(f"no face found in the photos under {train_dir}")
    # Mirrors double a small set without inventing statistics a real face would not have.
    crops += [np.ascontiguousarray(crop[:, ::-1]) for crop in crops]
    description = {
        "data": f"MTCNN 160x160 face crops of the photos in {train_dir.name}/<person>/ "
        "and their mirror images",
        "samples": len(crops),
    }
    return [standardize([crop]) for crop in crops], description


def detector_nodes_to_exclude(model) -> list[str]:
    """The YOLOv8 head's decode (DFL, anchors, box/score concat), kept in float."""
    return [
        node.name
        for node in model.graph.node
        if node.name.startswith(_YOLO_HEAD_PREFIX) and not node.name.startswith(_YOLO_HEAD_CONVS)
    ]


def facenet_nodes_to_exclude(model) -> list[str]:
    """Every node downstream of the embedding layer (the last Gemm/MatMul): L2 normalisation."""
    nodes = list(model.graph.node)
    last = max(i for i, node in enumerate(nodes) if node.op_type in ("Gemm", "MatMul"))
    tainted = set(nodes[last].output)
    excluded = []
    for node in nodes[last + 1 :]:  # topologically sorted, as onnx requires
        if tainted.intersection(node.input):
            tainted.update(node.output)
            excluded.append(node.name)
    return excluded


def quantize_onnx(
    fp32_path: Path,
    tensors: Sequence[np.ndarray],
    calibration: dict,
    nodes_to_exclude: Callable[[object], list[str]],
) -> Path:
    """``fp32_path`` -> ``<stem>_int8.onnx`` (+ sidecar, accuracy not yet measured)."""
    import onnx
    import onnxruntime
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    fp32_meta = json.loads(sidecar_path(fp32_path).read_text())
    out = int8_model_path(fp32_path)
    with tempfile.TemporaryDirectory() as tmp:
        # Shape inference + graph optimisation first, as onnxruntime recommends: it fuses
        # FaceNet's last MatMul + BatchNorm into one Gemm, so one quantized op, not two.
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(fp32_path), str(prepared))
        excluded = nodes_to_exclude(onnx.load(str(prepared)))
        partial = Path(tmp) / out.name
        quantize_static(
            str(prepared),
            str(partial),
            TensorCalibrationReader(fp32_meta["input_name"], tensors),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=excluded,
            calibrate_method=CalibrationMethod.MinMax,
        )
        onnx.checker.check_model(onnx.load(str(partial)), full_check=True)
        partial.replace(out)  # never leave a half-written model behind
    meta = {key: value for key, value in fp32_meta.items() if key != "sha256"}
    meta.update(
        {
            "precision": "int8",
            "runtime": "onnxruntime CPU only (QDQ graph; not for the TensorRT 8.2 engines)",
            "quantization": {
                "tool": f"onnxruntime.quantization.quantize_static {onnxruntime.__version__}",
                "format": "QDQ",
                "weights": "int8, symmetric, per output channel",
                "activations": "uint8, asymmetric, per tensor",
                "calibration_method": "MinMax",
                "kept_in_float": excluded,
            },
            "calibration": calibration,
            "fp32_model": {"file": fp32_path.name, "sha256": file_sha256(fp32_path)},
            "accuracy": None,
            "sha256": file_sha256(out),
        }
    )
    write_sidecar(out, meta)
    log.info("wrote %s (%d calibration samples)", out, len(tensors))
    return out


def accuracy_record(metrics: Sequence[dict], evaluation: str) -> dict:
    """The ``accuracy`` sidecar entry from ``{name, fp32, int8, higher_is_better}`` metrics.

    A metric's drop is in percentage points, positive when INT8 is worse; ``drop_points`` is
    the worst of them, and the one the backend registry's gate reads.
    """
    rows = []
    for metric in metrics:
        change = (metric["int8"] - metric["fp32"]) * 100
        drop = -change if metric.get("higher_is_better", True) else change
        rows.append(
            {
                "name": metric["name"],
                "fp32": metric["fp32"],
                "int8": metric["int8"],
                "drop_points": round(drop, 3) + 0.0,  # no "-0.0" in the JSON
            }
        )
    worst = max(row["drop_points"] for row in rows)
    return {
        "drop_points": worst,
        "max_drop_points": MAX_INT8_DROP_POINTS,
        "selectable": worst < MAX_INT8_DROP_POINTS,
        "metrics": rows,
        "evaluation": evaluation,
        "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def record_accuracy(int8_path: Path, accuracy: dict) -> None:
    """Store a measured ``accuracy_record`` in the INT8 model's sidecar (the file is unchanged,
    so its sha256 still matches)."""
    meta = json.loads(sidecar_path(int8_path).read_text())
    if meta.get("sha256") != file_sha256(int8_path):
        raise ValueError(f"{int8_path} does not match its sidecar: quantize it again")
    meta["accuracy"] = accuracy
    write_sidecar(int8_path, meta)
