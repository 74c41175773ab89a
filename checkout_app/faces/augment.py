"""Variants of a face photo as another camera, light or moment could have taken it.

``faces calibrate --augment`` measures its false-accept rate on far more impostor pairs than a
store's few photos give: each photo also yields variants with other lighting (darker, brighter,
light from one side), in grey (an infrared or cheap camera), blurred, noisy, JPEG-compressed,
slightly turned. Variants of one photo are the same moment of the same person, so the
calibration never pairs them with each other; they vary how a face looks, not who it is.
"""

from __future__ import annotations

import numpy as np

# Ranges a kiosk camera meets; a variant whose face then fails the quality gates (too dark, too
# blurred) is dropped by the caller, as the kiosk would never embed it.
GAMMA_RANGE = (0.6, 1.7)
SIDE_LIGHT_RANGE = (0.45, 1.0)  # the darker side's share of the lit side's brightness
GREY_SHARE = 0.3
BLUR_SIGMA_RANGE = (0.0, 1.5)
NOISE_SIGMA_RANGE = (0.0, 6.0)
JPEG_QUALITY_RANGE = (35, 95)
TURN_DEGREES = 8.0


def photo_variants(image: np.ndarray, count: int, seed: int) -> list[np.ndarray]:
    """``count`` BGR variants of ``image``, the same for the same ``seed``."""
    rng = np.random.default_rng(seed)
    return [_variant(image, rng) for _ in range(count)]


def _variant(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-TURN_DEGREES, TURN_DEGREES), 1.0)
    out = cv2.warpAffine(image, turn, (w, h), borderMode=cv2.BORDER_REFLECT).astype(np.float32)
    out = 255.0 * (out / 255.0) ** rng.uniform(*GAMMA_RANGE)
    # Light from one side: brightness falls off linearly across the photo.
    ramp = np.linspace(1.0, rng.uniform(*SIDE_LIGHT_RANGE), w, dtype=np.float32)
    out *= (ramp if rng.random() < 0.5 else ramp[::-1])[None, :, None]
    if rng.random() < GREY_SHARE:
        grey = cv2.cvtColor(np.clip(out, 0, 255).astype(np.uint8), cv2.COLOR_BGR2GRAY)
        out = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR).astype(np.float32)
    sigma = rng.uniform(*BLUR_SIGMA_RANGE)
    if sigma > 0.3:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    out += rng.normal(0.0, rng.uniform(*NOISE_SIGMA_RANGE), out.shape).astype(np.float32)
    quality = int(rng.integers(JPEG_QUALITY_RANGE[0], JPEG_QUALITY_RANGE[1] + 1))
    pixels = np.clip(out, 0, 255).astype(np.uint8)
    _, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(encoded, cv2.IMREAD_COLOR)
