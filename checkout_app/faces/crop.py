"""Cut the embedder's face crop out of an image: box + margin, optional roll alignment.

The crop follows how FaceNet was trained (MTCNN box plus a margin, stretched to a square) so the
embeddings match the model's training. Alignment here only levels the eyes (rotation about the
box centre); it does not move or rescale the box. Parts of the box outside the image are filled
with black instead of being clipped, so a face cut by the border keeps its proportions.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from checkout_app.faces.types import CROP_SIZE

# Margin around the MTCNN box, in pixels of the final crop (facenet-pytorch's convention).
DEFAULT_MARGIN_PX = 32


def margin_region(box: tuple, margin_px: int = DEFAULT_MARGIN_PX, size: int = CROP_SIZE) -> tuple:
    """The box grown so that ``margin_px`` of the ``size`` crop is margin (x1, y1, x2, y2)."""
    x1, y1, x2, y2 = box
    mx = margin_px * (x2 - x1) / (size - margin_px)
    my = margin_px * (y2 - y1) / (size - margin_px)
    return (x1 - mx / 2, y1 - my / 2, x2 + mx / 2, y2 + my / 2)


def eye_roll_degrees(landmarks: np.ndarray) -> float:
    """Angle of the line from the image-left eye to the image-right eye (0 = level)."""
    (lx, ly), (rx, ry) = landmarks[0], landmarks[1]
    return math.degrees(math.atan2(ry - ly, rx - lx))


def _padded_slice(image: np.ndarray, x1: int, y1: int, x2: int, y2: int) -> np.ndarray:
    """image[y1:y2, x1:x2] where the part outside the image is black."""
    h, w = image.shape[:2]
    inner = image[max(y1, 0) : max(min(y2, h), 0), max(x1, 0) : max(min(x2, w), 0)]
    top, bottom = max(0, -y1), max(0, y2 - h)
    left, right = max(0, -x1), max(0, x2 - w)
    return cv2.copyMakeBorder(
        np.ascontiguousarray(inner), top, bottom, left, right, cv2.BORDER_CONSTANT, value=0
    )


def extract_crop(
    image: np.ndarray,
    box: tuple,
    roll_degrees: float = 0.0,
    margin_px: int = DEFAULT_MARGIN_PX,
    size: int = CROP_SIZE,
) -> np.ndarray:
    """The ``size``×``size`` crop of ``box`` (+ margin) from ``image``.

    ``roll_degrees`` (``eye_roll_degrees`` of the landmarks) rotates the crop so the eyes are level.
    """
    x1, y1, x2, y2 = margin_region(box, margin_px, size)
    if abs(roll_degrees) < 1e-3:
        region = _padded_slice(image, *(round(v) for v in (x1, y1, x2, y2)))
    else:
        # Rotate a patch large enough for any rotation of the region, at full resolution, then
        # cut the region from its centre: resizing last keeps INTER_AREA's anti-aliasing.
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        half = math.hypot(x2 - x1, y2 - y1) / 2 + 1
        px1, py1 = round(cx - half), round(cy - half)
        patch = _padded_slice(image, px1, py1, round(cx + half), round(cy + half))
        centre = (cx - px1, cy - py1)
        rotation = cv2.getRotationMatrix2D(centre, roll_degrees, 1.0)
        rotated = cv2.warpAffine(
            patch, rotation, (patch.shape[1], patch.shape[0]), flags=cv2.INTER_LINEAR
        )
        rx1, ry1 = round(centre[0] - (x2 - x1) / 2), round(centre[1] - (y2 - y1) / 2)
        region = rotated[ry1 : ry1 + round(y2 - y1), rx1 : rx1 + round(x2 - x1)]
    if region.size == 0:
        raise ValueError(f"empty face region for box {box}")
    return cv2.resize(region, (size, size), interpolation=cv2.INTER_AREA)
