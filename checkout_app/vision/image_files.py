"""Image files from disk: the suffixes the app reads, and one reader with one clear error.

Shared by face enrollment and product teaching; images are BGR uint8, as OpenCV gives them.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


class ImageError(ValueError):
    """An image file that cannot be read, or holds nothing usable (no face, no product)."""


def load_image_bgr(path: Path) -> np.ndarray:
    """A BGR uint8 image from ``path`` (also non-ASCII paths), or ImageError."""
    try:
        data = np.fromfile(str(path), np.uint8)
    except OSError as exc:
        raise ImageError(f"cannot read {path}: {exc.strerror or exc}") from None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise ImageError(f"{path} is not a readable image (corrupt or unsupported format)")
    return image


def image_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
