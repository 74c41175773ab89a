"""checkout_edge.facenet: the same standardisation as the torch embedder, and normalisation."""

from __future__ import annotations

import numpy as np
import pytest
from checkout_edge.facenet import l2_normalize, standardize

from checkout_app.backends.facenet_torch import standardize_crops


def test_standardize_matches_the_torch_backend():
    rng = np.random.default_rng(0)
    crops = [rng.integers(0, 256, (160, 160, 3), dtype=np.uint8) for _ in range(3)]
    ours = standardize(crops)
    assert ours.shape == (3, 3, 160, 160) and ours.dtype == np.float32
    np.testing.assert_array_equal(ours, standardize_crops(crops))
    assert standardize([np.full((160, 160, 3), 255, np.uint8)]).max() == pytest.approx(127.5 / 128)


def test_standardize_rejects_a_wrong_crop_size():
    with pytest.raises(ValueError, match="160"):
        standardize([np.zeros((100, 100, 3), np.uint8)])


def test_l2_normalize_gives_unit_rows_and_keeps_zero_rows():
    out = l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])
