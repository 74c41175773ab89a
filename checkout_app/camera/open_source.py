"""Turns a ``--source`` string into a :class:`FrameSource`: the one place that parses it."""

from __future__ import annotations

from pathlib import Path

from checkout_app.camera.image_folder import IMAGE_SUFFIXES, ImageFolderSource
from checkout_app.camera.opencv_source import OpenCVSource
from checkout_app.camera.source import FrameSource, SourceError

SOURCE_HELP = (
    "demo (built-in scenario, no camera), a camera index such as 0, a video file, "
    "an image folder or image file, or an rtsp:// / http(s):// stream URL"
)


def open_source(spec: str, *, demo_fps: float = 15.0, realtime: bool = False) -> FrameSource:
    """Open the source ``spec`` names (see :data:`SOURCE_HELP`); ``realtime`` plays the demo, a
    video file or an image folder at its frame rate, for people watching (a camera or a stream
    is live anyway).

    Checked in this order: ``demo``; all digits → camera index (so a file literally named "0"
    needs a path such as ``./0``); anything with ``://`` → stream; an existing folder or image
    file → :class:`ImageFolderSource`; any other existing file → video. Raises
    :class:`SourceError` naming the path when nothing exists there.
    """
    text = spec.strip()
    if not text:
        raise SourceError(f"empty --source; expected {SOURCE_HELP}")
    if text.lower() == "demo":
        # Imported here: the demo renders synthetic scenes and needs nothing else from camera/.
        from checkout_app.camera.demo_source import DemoScenarioSource

        return DemoScenarioSource(fps=demo_fps, realtime=realtime)
    if text.isascii() and text.isdigit():
        return OpenCVSource(int(text))
    if "://" in text:
        return OpenCVSource(text)
    path = Path(text).expanduser()
    if path.is_dir() or (path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES):
        return ImageFolderSource(path, realtime=realtime)
    if path.is_file():
        return OpenCVSource(path, realtime=realtime)
    raise SourceError(f"no such file or folder: {path} (--source takes {SOURCE_HELP})")
