"""Quality gates and crop extraction on synthetic images."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkout_app.faces.crop import extract_crop, eye_roll_degrees, margin_region
from checkout_app.faces.quality import (
    MANY_FACES,
    NO_FACE,
    TOO_BLURRY,
    TOO_BRIGHT,
    TOO_DARK,
    TOO_SMALL,
    face_issues,
    single_face_issues,
)
from checkout_app.faces.types import Face

LANDMARKS = np.array([[40, 40], [80, 40], [60, 60], [45, 80], [75, 80]], np.float32)


def textured(level: int = 128, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.integers(-40, 41, (160, 160, 1))
    return np.clip(level + noise, 0, 255).repeat(3, axis=2).astype(np.uint8)


def face(crop: np.ndarray, size: float = 120.0) -> Face:
    return Face((10, 10, 10 + size, 10 + size), LANDMARKS, 0.99, crop)


@pytest.mark.parametrize(
    "crop, size, codes",
    [
        (textured(), 120, []),
        (textured(), 30, [TOO_SMALL]),
        (cv2.GaussianBlur(textured(), (0, 0), 6), 120, [TOO_BLURRY]),
        (textured(level=20), 120, [TOO_DARK]),
        (textured(level=240), 120, [TOO_BRIGHT]),
    ],
)
def test_face_gates(crop, size, codes):
    assert [i.code for i in face_issues(face(crop, size))] == codes


def test_enrollment_needs_exactly_one_face():
    good = face(textured())
    assert [i.code for i in single_face_issues([])] == [NO_FACE]
    assert [i.code for i in single_face_issues([good, good])] == [MANY_FACES]
    assert single_face_issues([good]) == []


def test_face_rejects_a_wrong_crop_or_box():
    with pytest.raises(ValueError, match="crop"):
        Face((0, 0, 10, 10), LANDMARKS, 0.9, np.zeros((112, 112, 3), np.uint8))
    with pytest.raises(ValueError, match="box"):
        Face((10, 0, 0, 10), LANDMARKS, 0.9, textured())


def test_margin_region_follows_facenet_pytorch():
    # 32 px of a 160 px crop are margin: a 128 px box grows by 32 px in total.
    assert margin_region((100, 100, 228, 228)) == (84, 84, 244, 244)


def test_crop_outside_the_image_is_padded_black_not_stretched():
    image = np.full((200, 200, 3), 200, np.uint8)
    crop = extract_crop(image, (-100, 20, 60, 180), margin_px=0)  # 100 of 160 px outside
    assert crop.shape == (160, 160, 3)
    assert crop[:, :95].max() == 0 and crop[:, 105:].min() == 200


def test_roll_alignment_levels_the_eyes():
    image = np.zeros((400, 400, 3), np.uint8)
    eyes = np.array([[170, 190], [230, 210]], float)  # right eye lower: head rolled
    for x, y in eyes:
        cv2.circle(image, (int(x), int(y)), 6, (255, 255, 255), -1)
    roll = eye_roll_degrees(np.vstack([eyes, np.zeros((3, 2))]))
    assert roll == pytest.approx(18.43, abs=0.01)
    crop = extract_crop(image, (140, 140, 260, 260), roll_degrees=roll, margin_px=0)
    ys, xs = np.nonzero(crop[:, :, 0] > 128)
    left, right = ys[xs < 80].mean(), ys[xs >= 80].mean()
    assert abs(left - right) < 2.0
