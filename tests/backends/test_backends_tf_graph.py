"""The protobuf GraphDef reader: constants, inputs, and files that are not a graph."""

from __future__ import annotations

import numpy as np
import pytest

from checkout_app.backends.tf_graph import (
    GraphFormatError,
    const_array,
    consumers,
    graph_def_class,
    read_graph,
)

DT_FLOAT, DT_INT32, DT_STRING = 1, 3, 7


def write_graph(path, build) -> None:
    graph = graph_def_class()()
    build(graph)
    path.write_bytes(graph.SerializeToString())


def add_const(graph, name: str, dtype: int, shape: tuple, content=None, values=None):
    node = graph.node.add(name=name, op="Const")
    tensor = node.attr["value"].tensor
    tensor.dtype = dtype
    for size in shape:
        tensor.tensor_shape.dim.add(size=size)
    if content is not None:
        tensor.tensor_content = content
    if values is not None:
        (tensor.float_val if dtype == DT_FLOAT else tensor.int_val).extend(values)
    return node


def test_constants_inputs_and_consumers(tmp_path):
    weights = np.arange(24, dtype=np.float32).reshape(2, 3, 1, 4)

    def build(graph):
        graph.node.add(name="input", op="Placeholder")
        add_const(graph, "w", DT_FLOAT, weights.shape, content=weights.astype("<f4").tobytes())
        add_const(graph, "ones", DT_FLOAT, (5,), values=[1.0])  # a splat: one value for all
        add_const(graph, "axis", DT_INT32, (), values=[3])
        conv = graph.node.add(name="conv/Conv2D", op="Conv2D")
        conv.input.extend(["input:0", "w", "^axis"])  # a control input is not data

    path = tmp_path / "g.pb"
    write_graph(path, build)
    nodes = read_graph(path)

    assert list(nodes) == ["input", "w", "ones", "axis", "conv/Conv2D"]
    assert nodes["conv/Conv2D"].inputs == ("input", "w")
    np.testing.assert_array_equal(const_array(nodes["w"]), weights)
    np.testing.assert_array_equal(const_array(nodes["ones"]), np.ones(5, np.float32))
    assert const_array(nodes["axis"]) == 3 and const_array(nodes["axis"]).dtype == np.int32
    assert [n.name for n in consumers(nodes)["w"]] == ["conv/Conv2D"]
    with pytest.raises(GraphFormatError, match="not a constant"):
        const_array(nodes["conv/Conv2D"])


@pytest.mark.parametrize(
    ("dtype", "shape", "content", "message"),
    [
        (DT_FLOAT, (2, 2), np.zeros(3, "<f4").tobytes(), "3 values for shape"),
        (DT_STRING, (1,), b"x", "unsupported tensor type 7"),
    ],
)
def test_a_constant_that_does_not_add_up_is_refused(tmp_path, dtype, shape, content, message):
    path = tmp_path / "g.pb"
    write_graph(path, lambda graph: add_const(graph, "c", dtype, shape, content=content))
    with pytest.raises(GraphFormatError, match=message):
        const_array(read_graph(path)["c"])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x0a\xff\xff\xff\x0f",  # a node longer than the file
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"PK\x03\x04 a zip file, e.g. a torch checkpoint",
    ],
    ids=["empty", "truncated", "png", "zip"],
)
def test_a_file_that_is_not_a_graph_is_refused(tmp_path, data):
    path = tmp_path / "not_a_graph.pb"
    path.write_bytes(data)
    with pytest.raises(GraphFormatError, match="not a TensorFlow graph"):
        read_graph(path)
