"""Face photo variants for calibration: seeded, the photo's size, and really different."""

from __future__ import annotations

import numpy as np

from checkout_app.faces.augment import photo_variants


def _photo() -> np.ndarray:
    rng = np.random.default_rng(3)
    image = np.full((120, 160, 3), 128, np.uint8)
    image[30:90, 50:110] = rng.integers(40, 220, (60, 60, 3), dtype=np.uint8)
    return image


def test_variants_are_seeded_and_keep_the_photo_size():
    image = _photo()
    first, again = photo_variants(image, 4, seed=7), photo_variants(image, 4, seed=7)
    assert len(first) == 4
    assert all(v.shape == image.shape and v.dtype == np.uint8 for v in first)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    other = photo_variants(image, 4, seed=8)
    assert not any(np.array_equal(a, b) for a, b in zip(first, other))


def test_variants_differ_from_the_photo_and_from_each_other():
    image = _photo().astype(np.float32)
    variants = [v.astype(np.float32) for v in photo_variants(_photo(), 12, seed=0)]
    assert all(np.abs(v - image).mean() > 2 for v in variants)
    assert len({round(float(v.mean()), 1) for v in variants}) == len(variants)
    # Some come in grey (an infrared or cheap camera), most in colour.
    grey = [v for v in variants if np.array_equal(v[..., 0], v[..., 1])]
    assert 0 < len(grey) < len(variants)


def test_no_variants_asked_none_made():
    assert photo_variants(_photo(), 0, seed=0) == []
