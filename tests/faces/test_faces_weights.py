"""Preparing FaceNet weights: vggface2 from the torch cache is preferred, logits dropped."""

from __future__ import annotations

import json

import pytest

from checkout_app.backends.facenet_convert import (
    VGGFACE2_CACHE_NAME,
    prepare_facenet_weights,
    prepared_weights_path,
)

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
