"""Frames for the Nano runtime and benchmark: a USB camera, the CSI camera, a video or an image.

``--source 0`` is a V4L2 camera index; ``csi`` (or ``csi:1``) the Nano's MIPI-CSI camera
through the ``nvarguscamerasrc`` GStreamer pipeline that JetPack's OpenCV 4.1.1 is built with;
anything else a video file, an image file (repeated) or a GStreamer/RTSP URL OpenCV can open.
Python 3.6-compatible; OpenCV is imported when a source opens.
"""

import logging
import os
import time

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")


def csi_pipeline(sensor_id: int = 0, width: int = 1280, height: int = 720, fps: int = 30) -> str:
    """GStreamer pipeline for a CSI camera (e.g. IMX219) delivering BGR frames to OpenCV."""
    return (
        f"nvarguscamerasrc sensor-id={sensor_id} ! "
        f"video/x-raw(memory:NVMM), width={width}, height={height}, framerate={fps}/1 ! "
        "nvvidconv ! video/x-raw, format=BGRx ! videoconvert ! video/x-raw, format=BGR ! "
        "appsink drop=true max-buffers=1"
    )


class FrameSource:
    """``read()`` -> (BGR image, seconds since the source opened) or None when it has ended."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._image = None  # type: Optional[np.ndarray]
        self._capture = None
        self._video_file = False
        self._opened_at = time.monotonic()
        import cv2

        if spec.lower().endswith(IMAGE_SUFFIXES) and os.path.isfile(spec):
            self._image = cv2.imread(spec)
            if self._image is None:
                raise OSError(f"cannot read image {spec}")
            return
        if spec.isdigit():
            capture = cv2.VideoCapture(int(spec))
        elif spec == "csi" or spec.startswith("csi:"):
            sensor = int(spec.split(":", 1)[1]) if ":" in spec else 0
            capture = cv2.VideoCapture(csi_pipeline(sensor), cv2.CAP_GSTREAMER)
        else:
            capture = cv2.VideoCapture(spec)
        if not capture.isOpened():
            raise OSError(f"cannot open source {spec!r}")
        self._capture = capture
        self._video_file = os.path.isfile(spec)
        self._pos_msec = cv2.CAP_PROP_POS_MSEC

    def read(self):
        if self._image is not None:
            return self._image, time.monotonic() - self._opened_at
        ok, frame = self._capture.read()
        if not ok or frame is None:
            return None
        if self._video_file:  # the video's own clock: the same file prints the same times
            return frame, self._capture.get(self._pos_msec) / 1000.0
        return frame, time.monotonic() - self._opened_at

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
