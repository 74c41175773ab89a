"""Export the product detector and FaceNet to ONNX (opset 13), each with a JSON sidecar.

Both go through ``torch.onnx.export`` with the TorchScript exporter (ultralytics' own exporter
would try to pip-install onnxslim offline; the torch.export-based exporter needs onnxscript and
emits newer opsets than TensorRT 8.2 reads). The detector graph is static 1×3×S×S and stops at
the raw head output (1, 4 + classes, anchors): letterbox, decoding and NMS run in numpy
(``checkout_edge.yolo``), the same code on every backend. FaceNet has a dynamic batch and ends
with the L2 normalisation, as the torch model does.

A sidecar records what a runtime needs without torch (tensor names and shapes, class names,
preprocessing), the ONNX file's sha256 and the sha256 of the model it was exported from, so a
runtime can tell a damaged file or a stale export.
"""

from __future__ import annotations

import copy
import logging
import warnings
from pathlib import Path

from checkout_edge.defaults import NMS_IOU

from checkout_app.models_meta import file_sha256, read_verified_sidecar, write_sidecar

log = logging.getLogger(__name__)

OPSET = 13  # the newest opset TensorRT 8.2 (JetPack 4.6) parses completely
DETECTOR_INPUT = "images"
DETECTOR_OUTPUT = "output0"
FACENET_INPUT = "faces"
FACENET_OUTPUT = "embeddings"


def _torch_onnx_export(model, example, path: Path, input_name: str, output_name: str, **kw):
    import torch

    tmp = path.with_suffix(".tmp")
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated in favour of the torch.export one; see the
        # module docstring for why it is still the right one for TensorRT 8.2.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            model,
            (example,),
            str(tmp),
            dynamo=False,
            opset_version=OPSET,
            input_names=[input_name],
            output_names=[output_name],
            do_constant_folding=True,
            **kw,
        )
    _check_onnx(tmp)
    tmp.replace(path)  # never leave a half-written model behind


def _check_onnx(path: Path) -> None:
    import onnx

    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)


def export_product_detector(model_path: Path, out_dir: Path, home: Path) -> Path:
    """``model_path`` (ultralytics .pt with sidecar) -> ``out_dir/<stem>.onnx`` + sidecar."""
    import torch

    from checkout_app.backends.ultralytics_env import prepare_ultralytics

    meta = read_verified_sidecar(model_path, f"checkout-app train products --out {model_path}")
    prepare_ultralytics(home)
    from ultralytics import YOLO
    from ultralytics.nn.modules import Detect

    size = int(meta["input_size"][0])
    # Fused conv + batch-norm: the graph the ultralytics predictor runs, and a smaller ONNX.
    model = copy.deepcopy(YOLO(str(model_path), task="detect").model).float().eval().fuse()
    for module in model.modules():
        if isinstance(module, Detect):
            # Export mode: the head returns only the decoded (1, 4 + nc, anchors) tensor.
            module.export, module.format, module.dynamic = True, "onnx", False
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    example = torch.zeros(1, 3, size, size)
    with torch.inference_mode():
        output_shape = list(model(example).shape)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{model_path.stem}.onnx"
    _torch_onnx_export(model, example, path, DETECTOR_INPUT, DETECTOR_OUTPUT)
    write_sidecar(
        path,
        {
            "task": "detect",
            "architecture": meta.get("architecture"),
            "class_names": list(meta["class_names"]),
            "input_name": DETECTOR_INPUT,
            "input_shape": [1, 3, size, size],
            "input_size": [size, size],
            "output_name": DETECTOR_OUTPUT,
            "output_shape": output_shape,
            "output_layout": "cx, cy, w, h in input pixels, then one sigmoid score per class; "
            "no NMS in the graph",
            "preprocessing": "checkout_edge.yolo.letterbox: letterbox to input_size (grey 114 "
            "border), BGR->RGB, /255, NCHW float32",
            "postprocessing": "checkout_edge.yolo.decode_yolov8: best class per box, "
            f"class-agnostic NMS IoU {NMS_IOU}",
            "nms_iou": NMS_IOU,
            "opset": OPSET,
            "exporter": f"torch.onnx (TorchScript) {torch.__version__}",
            "source_model": {"file": model_path.name, "sha256": meta["sha256"]},
            "sha256": file_sha256(path),
        },
    )
    log.info("wrote %s", path)
    return path


def export_facenet(weights_path: Path, out_dir: Path) -> Path:
    """Prepared FaceNet weights (``facenet_convert``) -> ``out_dir/<stem>.onnx`` + sidecar."""
    import torch
    from facenet_pytorch import InceptionResnetV1

    from checkout_app.backends.facenet_convert import INPUT_SIZE, PREPARE_HINT, STANDARDIZATION

    meta = read_verified_sidecar(weights_path, PREPARE_HINT)
    model = InceptionResnetV1()
    model.load_state_dict(torch.load(weights_path, map_location="cpu", weights_only=True))
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{weights_path.stem}.onnx"
    # Batch 2 while tracing, so nothing gets specialised to a batch of one.
    example = torch.zeros(2, 3, INPUT_SIZE, INPUT_SIZE)
    _torch_onnx_export(
        model,
        example,
        path,
        FACENET_INPUT,
        FACENET_OUTPUT,
        dynamic_axes={FACENET_INPUT: {0: "batch"}, FACENET_OUTPUT: {0: "batch"}},
    )
    write_sidecar(
        path,
        {
            "name": meta.get("name"),
            # The registry accepts templates only from this embedder name: the same weights
            # give the same embeddings on every backend, so it is the torch embedder's name.
            "embedder_name": f"{meta.get('name', weights_path.stem)}:{meta['sha256'][:12]}",
            "architecture": meta.get("architecture"),
            "input_name": FACENET_INPUT,
            "input_shape": ["batch", 3, INPUT_SIZE, INPUT_SIZE],
            "output_name": FACENET_OUTPUT,
            "output_shape": ["batch", 512],
            "preprocessing": f"checkout_edge.facenet.standardize: RGB 160×160 crop, "
            f"{STANDARDIZATION}, NCHW float32",
            "output": "512-d L2-normalised embedding (normalisation inside the graph)",
            "opset": OPSET,
            "exporter": f"torch.onnx (TorchScript) {torch.__version__}",
            "licence": meta.get("licence"),
            "source_model": {"file": weights_path.name, "sha256": meta["sha256"]},
            "sha256": file_sha256(path),
        },
    )
    log.info("wrote %s", path)
    return path
