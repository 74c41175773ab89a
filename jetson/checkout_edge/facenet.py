"""FaceNet input and output handling in numpy: crop standardisation and L2 normalisation."""

from typing import Sequence

import numpy as np

CROP_SIZE = 160
EMBEDDING_SIZE = 512


def standardize(crops: Sequence[np.ndarray]) -> np.ndarray:
    """RGB uint8 160×160×3 crops -> N×3×160×160 float32, ``(x - 127.5) / 128``.

    facenet-pytorch's ``fixed_image_standardization``, which the weights were evaluated with.
    """
    batch = np.stack([np.asarray(c, np.float32) for c in crops])
    if batch.shape[1:] != (CROP_SIZE, CROP_SIZE, 3):
        raise ValueError(f"face crops must be {CROP_SIZE}×{CROP_SIZE}×3, got {batch.shape[1:]}")
    return np.ascontiguousarray(((batch - 127.5) / 128.0).transpose(0, 3, 1, 2))


def l2_normalize(vectors: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as ``torch.nn.functional.normalize``."""
    vectors = np.asarray(vectors, np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, eps)
