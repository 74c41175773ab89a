"""FaceNet embeddings with facenet-pytorch's InceptionResnetV1 and weights prepared offline.

The weights come from ``facenet_convert`` (never from facenet-pytorch's run-time download). The
first use prepares them when they are missing, so a fresh install works without a separate step.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.backends.facenet_convert import (
    PREPARE_HINT,
    ProgressCallback,
    prepare_facenet_weights,
    prepared_weights_path,
)
from checkout_app.faces.types import CROP_SIZE
from checkout_app.models_meta import ModelFileError, read_verified_sidecar

log = logging.getLogger(__name__)


def standardize_crops(crops: Sequence[np.ndarray]) -> np.ndarray:
    """RGB uint8 crops -> NCHW float32 with facenet-pytorch's ``fixed_image_standardization``."""
    batch = np.stack([np.asarray(c, np.float32) for c in crops])
    if batch.shape[1:] != (CROP_SIZE, CROP_SIZE, 3):
        raise ValueError(f"face crops must be {CROP_SIZE}×{CROP_SIZE}×3, got {batch.shape[1:]}")
    return np.ascontiguousarray(((batch - 127.5) / 128.0).transpose(0, 3, 1, 2))


def load_facenet_model(weights_path: Path):
    """(``InceptionResnetV1`` in eval mode on the CPU, its verified sidecar) from prepared
    weights; ModelFileError with the command that rebuilds them when they are unusable."""
    import torch
    from facenet_pytorch import InceptionResnetV1

    meta = read_verified_sidecar(weights_path, PREPARE_HINT)
    model = InceptionResnetV1()
    try:
        state = torch.load(weights_path, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except Exception as exc:  # any unpickling/shape error means an unusable file
        raise ModelFileError(
            f"cannot load FaceNet weights {weights_path} ({exc}). Rebuild with: "
            f"{PREPARE_HINT} --force"
        ) from None
    return model.eval(), meta


class TorchFaceEmbedder:
    """``FaceEmbedder`` on CPU (or a CUDA device) with a prepared state dict."""

    def __init__(self, weights_path: Path, device: str = "cpu", batch_size: int = 16) -> None:
        import torch

        model, meta = load_facenet_model(weights_path)
        self._torch = torch
        self._model = model.to(device)
        self._device = device
        self._batch_size = batch_size
        # Templates made with other weights are not comparable: the registry checks this name.
        self.name = f"{meta.get('name', weights_path.stem)}:{meta['sha256'][:12]}"
        self.weights_path = weights_path
        self.meta = meta

    def embed(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        if len(crops) == 0:
            return np.zeros((0, 512), np.float32)
        batch = standardize_crops(crops)
        out = []
        with self._torch.inference_mode():
            for start in range(0, len(batch), self._batch_size):
                chunk = self._torch.from_numpy(batch[start : start + self._batch_size])
                out.append(self._model(chunk.to(self._device)).cpu().numpy())
        return np.concatenate(out).astype(np.float32)


def load_torch_embedder(
    home: Path, progress: ProgressCallback | None = None, device: str = "cpu"
) -> TorchFaceEmbedder:
    """The embedder for ``home``, preparing the weights first if this is the first use."""
    path = prepared_weights_path(home)
    if path is None:
        log.info("FaceNet weights not prepared yet in %s: preparing them now", home)
        path = prepare_facenet_weights(home, progress)
    return TorchFaceEmbedder(path, device=device)
