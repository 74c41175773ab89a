"""Hand-made 512-d unit vectors standing in for face embeddings in the fast tests."""

from __future__ import annotations

import numpy as np


def unit(seed: int, near: np.ndarray | None = None, spread: float = 0.0) -> np.ndarray:
    """A 512-d unit vector: random from ``seed``, or ``near`` plus ``spread`` of noise."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=512)
    if near is not None:
        v = near / np.linalg.norm(near) + spread * v / np.linalg.norm(v)
    return (v / np.linalg.norm(v)).astype(np.float32)
