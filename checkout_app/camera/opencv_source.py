"""``OpenCVSource``: a webcam by index, a video file, or an RTSP/HTTP stream via cv2.VideoCapture.

How a dead source is bounded (``stall_timeout_s``, default 3 s):

- Opening passes ``CAP_PROP_OPEN_TIMEOUT_MSEC`` and ``CAP_PROP_READ_TIMEOUT_MSEC``. OpenCV's
  FFmpeg and GStreamer backends (files, RTSP/HTTP) honour them; others ignore them.
- Linux webcams (V4L2) ignore both and wait in ``select()`` for up to
  ``$OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT`` seconds per frame (OpenCV's default: 10). OpenCV reads
  that variable once, at the first V4L2 read of the process, so opening a device index sets it
  to the stall timeout unless the user already set it.
- ``read`` on a live source retries failed reads until ``stall_timeout_s`` has passed, then
  raises :class:`SourceError`. One read that blocks inside a driver cannot be interrupted from
  Python; the limits above keep each such read short, but a backend that honours none of them
  (Windows MSMF/DirectShow with a hung driver) can still block that one worker thread.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import threading
import time
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from checkout_app.camera.source import Frame, FrameSourceBase, Pacer, SourceError

log = logging.getLogger(__name__)

V4L_SELECT_TIMEOUT_ENV = "OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT"
# Pause between failed reads of a live source: long enough not to spin a core, short enough
# that a camera which recovers loses at most one frame.
_RETRY_PAUSE_S = 0.01
# OpenCV's log level is process-wide; this keeps concurrent opens from restoring it wrongly.
_OPENCV_LOG_LOCK = threading.Lock()

_CAMERA_HINT = (
    "is it connected and not used by another program? Use --source demo to run without a camera"
)
_STREAM_HINT = "check the URL, the network, and the camera's user name and password"
_VIDEO_HINT = "is it a video OpenCV can decode (mp4, avi, mkv)? Use --source demo to run the demo"


class OpenCVSource(FrameSourceBase):
    """Frames from ``cv2.VideoCapture``.

    ``target`` is a device index (int), a URL containing ``://`` (treated as a live stream), or
    a video file path. Files give reproducible timestamps (frame index / the file's fps) and end
    with None; live sources are stamped with ``time.monotonic()`` and never end normally: a live
    source that delivers nothing for ``stall_timeout_s`` raises :class:`SourceError`.
    ``realtime`` (files only) paces frames at the file's fps, for people watching.
    """

    def __init__(
        self,
        target: int | str | os.PathLike,
        *,
        stall_timeout_s: float = 3.0,
        realtime: bool = False,
    ) -> None:
        if stall_timeout_s <= 0:
            raise ValueError(f"stall_timeout_s must be positive, got {stall_timeout_s}")
        self.stall_timeout_s = stall_timeout_s
        self.realtime = realtime
        self._index = 0
        self._pacer = Pacer()
        open_target: int | str
        if isinstance(target, int):
            self.is_live = True
            self.name = f"camera {target}"
            self._hint = _CAMERA_HINT
            os.environ.setdefault(V4L_SELECT_TIMEOUT_ENV, str(max(1, math.ceil(stall_timeout_s))))
            open_target = target
        elif "://" in str(target):
            self.is_live = True
            self.name = f"stream {redact_url(str(target))}"
            self._hint = _STREAM_HINT
            open_target = str(target)
        else:
            path = Path(target)
            if not path.is_file():
                raise SourceError(f"video file not found: {path}")
            self.is_live = False
            self.name = f"video {path}"
            self._hint = _VIDEO_HINT
            open_target = str(path)

        capture = _open_capture(open_target, stall_timeout_s)
        if capture is None:
            raise SourceError(f"{self.name} could not be opened: {self._hint}")
        self._capture: cv2.VideoCapture | None = capture
        fps = capture.get(cv2.CAP_PROP_FPS)
        self.fps: float | None = fps if math.isfinite(fps) and fps > 0 else None
        log.info("opened %s (%s backend, fps %s)", self.name, capture.getBackendName(), self.fps)

    def read(self) -> Frame | None:
        if self._capture is None:
            raise SourceError(f"{self.name} is closed")
        return self._read_live(self._capture) if self.is_live else self._read_file(self._capture)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def _read_live(self, capture: cv2.VideoCapture) -> Frame:
        deadline = time.monotonic() + self.stall_timeout_s
        while True:
            ok, image = capture.read()
            if ok and image is not None:
                return self._frame(image, time.monotonic())
            if time.monotonic() >= deadline:
                self.close()
                raise SourceError(
                    f"{self.name} sent no frame for {self.stall_timeout_s:g} s: {self._hint}"
                )
            time.sleep(_RETRY_PAUSE_S)

    def _read_file(self, capture: cv2.VideoCapture) -> Frame | None:
        ok, image = capture.read()
        if not ok or image is None:
            if self._index == 0:
                self.close()
                raise SourceError(f"{self.name} has no frame OpenCV can decode: {_VIDEO_HINT}")
            return None
        if self.fps is not None:
            timestamp = self._index / self.fps
        else:  # a container without a frame rate: trust its presentation time instead
            timestamp = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
        if self.realtime:
            self._pacer.wait(timestamp)
        return self._frame(image, timestamp)

    def _frame(self, image: np.ndarray, timestamp: float) -> Frame:
        frame = Frame(image=image, timestamp=timestamp, index=self._index)
        self._index += 1
        return frame


def redact_url(url: str) -> str:
    """``url`` without its user name and password, for names and log lines."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if "@" not in authority:
        return url
    return f"{scheme}{sep}***@{authority.rsplit('@', 1)[1]}{slash}{path}"


def _open_capture(target: int | str, timeout_s: float) -> cv2.VideoCapture | None:
    """An opened capture, or None. Never raises: failure is reported by the caller."""
    timeout_ms = round(timeout_s * 1000)
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        timeout_ms,
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        timeout_ms,
    ]
    try:
        with _quiet_opencv():
            capture = cv2.VideoCapture(target, cv2.CAP_ANY, params)
    except cv2.error as exc:
        log.debug("cv2.VideoCapture(%r) raised: %s", target, exc)
        return None
    if capture.isOpened():
        return capture
    capture.release()
    return None


@contextlib.contextmanager
def _quiet_opencv() -> Iterator[None]:
    """Silence OpenCV's own log while opening.

    A failed open logs a warning or an exception dump from every backend OpenCV tries; the
    SourceError that follows says the same once, clearly. With debug logging on they stay.
    """
    if log.isEnabledFor(logging.DEBUG):
        yield
        return
    with _OPENCV_LOG_LOCK:
        previous = cv2.utils.logging.getLogLevel()
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
        try:
            yield
        finally:
            cv2.utils.logging.setLogLevel(previous)
