"""Preparing FaceNet weights: vggface2 from the torch cache is preferred, logits dropped; a
graph file that is not FaceNet is refused by name and leaves nothing under HOME/models."""

from __future__ import annotations

import json

import pytest

from checkout_app.backends.facenet_convert import (
    VGGFACE2_CACHE_NAME,
    locate_facenet_graph,
    prepare_facenet_weights,
    prepared_weights_path,
)
from checkout_app.backends.tf_graph import graph_def_class
from checkout_app.models_meta import ModelFileError

pytestmark = pytest.mark.integration


def test_cached_vggface2_weights_are_preferred(tmp_path, monkeypatch):
    import torch
    from facenet_pytorch import InceptionResnetV1

    torch_home = tmp_path / "torch"
    (torch_home / "checkpoints").mkdir(parents=True)
    state = InceptionResnetV1().state_dict()
    state["logits.weight"] = torch.zeros(8631, 512)
    state["logits.bias"] = torch.zeros(8631)
    torch.save(state, torch_home / "checkpoints" / VGGFACE2_CACHE_NAME)
    monkeypatch.setenv("TORCH_HOME", str(torch_home))

    home = tmp_path / "home"
    assert prepared_weights_path(home) is None
    steps = []
    path = prepare_facenet_weights(home, progress=lambda done, total: steps.append((done, total)))
    assert path.name == "facenet_vggface2.pt" and prepared_weights_path(home) == path
    assert steps[-1] == (1, 1)
    assert not any(k.startswith("logits.") for k in torch.load(path, weights_only=True))
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["name"] == "facenet-vggface2" and len(meta["sha256"]) == 64
    assert prepare_facenet_weights(home) == path  # kept, not rebuilt


def _facenet_graph():
    graph = graph_def_class()()
    graph.ParseFromString(locate_facenet_graph().read_bytes())
    return graph


def _truncated(path):
    path.write_bytes(locate_facenet_graph().read_bytes()[:1_000_000])


def _foreign(path):
    graph = graph_def_class()()
    graph.node.add(name="input", op="Placeholder")
    graph.node.add(name="output", op="Identity").input.append("input")
    path.write_bytes(graph.SerializeToString())


def _narrower_first_convolution(path):
    """The real graph with 16 instead of 32 filters in its first convolution."""
    import numpy as np

    graph = _facenet_graph()
    for node in graph.node:
        if node.name.startswith("InceptionResnetV1/Conv2d_1a_3x3/") and node.op == "Const":
            tensor = node.attr["value"].tensor
            tensor.tensor_shape.dim[-1].size = 16
            shape = [d.size for d in tensor.tensor_shape.dim]
            tensor.tensor_content = np.zeros(shape, "<f4").tobytes()
    path.write_bytes(graph.SerializeToString())


def _one_convolution_missing(path):
    graph = _facenet_graph()
    keep = [n for n in graph.node if n.name != "InceptionResnetV1/Block8/Conv2d_1x1/Conv2D"]
    del graph.node[:]
    graph.node.extend(keep)
    path.write_bytes(graph.SerializeToString())


@pytest.mark.parametrize(
    ("make_graph", "reason"),
    [
        (_truncated, "not a TensorFlow graph"),
        (_foreign, "0 convolutions, expected 132"),
        (_narrower_first_convolution, "does not fit FaceNet"),
        (_one_convolution_missing, "131 convolutions"),
    ],
    ids=["truncated", "foreign", "wrong_shape", "missing_layer"],
)
def test_a_graph_that_is_not_facenet_is_refused_and_nothing_is_written(
    tmp_path, monkeypatch, make_graph, reason
):
    bad = tmp_path / "graph_final.pb"
    make_graph(bad)
    monkeypatch.setattr("checkout_app.backends.facenet_convert.locate_facenet_graph", lambda: bad)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty_torch_cache"))
    home = tmp_path / "empty_home"
    home.mkdir()

    with pytest.raises(ModelFileError, match=reason) as error:
        prepare_facenet_weights(home)
    assert str(bad) in str(error.value)
    assert list(home.iterdir()) == []
