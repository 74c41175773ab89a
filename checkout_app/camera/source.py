"""The ``FrameSource`` contract: what every camera, file or demo source hands to the pipeline."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol, TypeVar

import numpy as np


@dataclass(frozen=True)
class Frame:
    """One captured image.

    ``image`` is BGR uint8 H×W×3 (OpenCV's order). ``timestamp`` is in seconds: derived from the
    frame position for files and folders (so runs are reproducible), ``time.monotonic()`` for
    live cameras and streams. ``index`` counts the frames this source has returned, from 0.
    ``visit`` numbers the shoppers' visits where the source knows when one ends and the next
    begins (the demo, at each loop); a camera never knows, and its frames all say 0.
    """

    image: np.ndarray
    timestamp: float
    index: int
    visit: int = 0

    def __post_init__(self) -> None:
        image = self.image
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(
                f"frame image must be uint8 H×W×3 BGR, got {image.dtype} {image.shape}"
            )


class SourceError(RuntimeError):
    """A source could not be opened, or died while running.

    The message says what failed and what to try; the CLI prints it as one line.
    """


class FrameSource(Protocol):
    """Where frames come from.

    ``read`` returns the next frame, or None when the source ended normally (end of a video
    file or image folder). A source that cannot deliver (camera unplugged, stream gone) raises
    :class:`SourceError` within a bounded time instead of blocking forever.
    ``fps`` is the nominal rate when known.
    """

    name: str
    fps: float | None

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


class Pacer:
    """Holds frames back to their timestamps, for people watching a file or the demo as if it
    were live: the first frame at once, each later one ``timestamp`` seconds after it."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._offset: float | None = None  # the clock's time of timestamp 0

    def wait(self, timestamp: float) -> None:
        now = self._clock()
        if self._offset is None:
            self._offset = now - timestamp
        self._sleep(max(0.0, self._offset + timestamp - now))


_SourceT = TypeVar("_SourceT", bound="FrameSourceBase")


class FrameSourceBase:
    """Context-manager and iteration support for sources; subclasses define read and close."""

    def read(self) -> Frame | None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _SourceT) -> _SourceT:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Frame]:
        """Frames until the source ends (a :class:`SourceError` propagates)."""
        while (frame := self.read()) is not None:
            yield frame
