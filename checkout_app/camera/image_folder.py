"""``ImageFolderSource``: still images played as frames (recorded test baskets, a single photo)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import cv2
import numpy as np

from checkout_app.camera.source import Frame, FrameSourceBase, Pacer, SourceError

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp"})


class ImageFolderSource(FrameSourceBase):
    """The images of a folder in file-name order, or one image file, then None.

    A corrupt image among readable ones is skipped with a warning; a folder with no readable
    image at all raises :class:`SourceError` on construction (the first readable image is
    decoded there, so a bad source fails before the pipeline starts). Timestamps are
    ``index / fps``, so runs are reproducible. ``realtime`` paces frames at ``fps``, for people
    watching; off, they come as fast as they are read.
    """

    def __init__(
        self, path: str | os.PathLike, fps: float = 15.0, *, realtime: bool = False
    ) -> None:
        if fps <= 0:
            raise ValueError(f"fps must be positive, got {fps}")
        path = Path(path)
        self.fps = fps
        self.realtime = realtime
        self._pacer = Pacer()
        self.name = f"images {path}"
        if path.is_dir():
            self._files = sorted(
                p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
            )
            if not self._files:
                raise SourceError(
                    f"image folder {path} has no {'/'.join(sorted(IMAGE_SUFFIXES))} files"
                )
        elif path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
            self._files = [path]
        else:
            raise SourceError(f"no image folder or image file at {path}")
        self._next_file = 0
        self._index = 0
        self._pending: np.ndarray | None = self._next_image()
        if self._pending is None:
            raise SourceError(f"none of the images in {path} could be read (corrupt or not images)")

    def read(self) -> Frame | None:
        image = self._pending if self._pending is not None else self._next_image()
        self._pending = None
        if image is None:
            return None
        frame = Frame(image=image, timestamp=self._index / self.fps, index=self._index)
        if self.realtime:
            self._pacer.wait(frame.timestamp)
        self._index += 1
        return frame

    def close(self) -> None:
        self._next_file = len(self._files)
        self._pending = None

    def _next_image(self) -> np.ndarray | None:
        """Decode the next readable file, warning about each unreadable one; None at the end."""
        while self._next_file < len(self._files):
            path = self._files[self._next_file]
            self._next_file += 1
            image = read_image(path)
            if image is not None:
                return image
            log.warning("skipping %s: not a readable image", path)
        return None


def read_image(path: Path) -> np.ndarray | None:
    """A BGR uint8 image, or None if the file cannot be read or decoded.

    ``cv2.imread`` cannot open non-ASCII paths on Windows (Korean file names are likely here),
    so the bytes are read by Python and decoded by OpenCV.
    """
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        log.debug("cannot read %s: %s", path, exc)
        return None
    if data.size == 0:  # cv2.imdecode asserts on an empty buffer
        return None
    return cv2.imdecode(data, cv2.IMREAD_COLOR)
