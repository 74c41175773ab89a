"""TensorRT 8.2 compatibility lint for an ONNX file, run before it goes to a Jetson Nano.

JetPack 4.6 ships TensorRT 8.2, whose ONNX parser reads opsets up to 13 and a fixed set of
operators. Finding an unsupported graph on the desktop beats a failed ``trtexec`` on the Nano.
The allow-list is deliberately explicit: the operators the detector and FaceNet exports use, plus
close relatives a re-export might produce, each one listed as supported in onnx-tensorrt's
``operators.md`` for release 8.2. A new operator fails the lint until someone checks it there.
"""

from __future__ import annotations

from pathlib import Path

MAX_OPSET = 13
DEFAULT_DOMAINS = ("", "ai.onnx")
TRT82_OPS = frozenset(
    {
        "Add",
        "AveragePool",
        "BatchNormalization",
        "Clip",
        "Concat",
        "Constant",
        "Conv",
        "Div",
        "Expand",
        "Flatten",
        "Gather",
        "Gemm",
        "GlobalAveragePool",
        "Identity",
        "MatMul",
        "Max",
        "MaxPool",
        "Mul",
        "ReduceL2",
        "Relu",
        "Reshape",
        "Resize",
        "Shape",
        "Sigmoid",
        "Slice",
        "Softmax",
        "Split",
        "Squeeze",
        "Sub",
        "Transpose",
        "Unsqueeze",
    }
)
# Resize modes TensorRT 8.2 implements (no "cubic").
TRT82_RESIZE_MODES = ("nearest", "linear")


def trt_lint(onnx_path: Path) -> list[str]:
    """Problems that would stop TensorRT 8.2 from building an engine; empty when none."""
    import onnx

    model = onnx.load(str(onnx_path))
    return lint_model(model)


def lint_model(model) -> list[str]:
    """``trt_lint`` on an ``onnx.ModelProto``."""
    from onnx import TensorProto, helper

    problems = []
    for opset in model.opset_import:
        if opset.domain in DEFAULT_DOMAINS:
            if opset.version > MAX_OPSET:
                problems.append(f"opset {opset.version} > {MAX_OPSET} (TensorRT 8.2 reads <= 13)")
        else:
            problems.append(f"custom operator domain {opset.domain!r} (plugins are not built)")
    unsupported: dict[str, int] = {}
    for node in model.graph.node:
        if node.domain not in DEFAULT_DOMAINS:
            problems.append(f"node {node.name or node.op_type}: custom domain {node.domain!r}")
        elif node.op_type not in TRT82_OPS:
            unsupported[node.op_type] = unsupported.get(node.op_type, 0) + 1
        elif node.op_type == "Resize":
            attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            mode = attributes.get("mode", b"nearest").decode()
            if mode not in TRT82_RESIZE_MODES:
                problems.append(f"Resize {node.name}: mode {mode!r} is not supported")
    for op_type, count in sorted(unsupported.items()):
        problems.append(f"operator {op_type} ({count}x) is not on the TensorRT 8.2 allow-list")
    for tensor in model.graph.input:
        dims = tensor.type.tensor_type.shape.dim
        if tensor.type.tensor_type.elem_type != TensorProto.FLOAT:
            problems.append(f"input {tensor.name} is not float32")
        if any(not d.HasField("dim_value") for d in dims[1:]):
            problems.append(f"input {tensor.name}: only the batch dimension may be dynamic")
    for initializer in model.graph.initializer:
        if initializer.data_type == TensorProto.DOUBLE:
            problems.append(f"initializer {initializer.name} is float64 (TensorRT has none)")
    return problems
