"""A countdown in whole seconds for the screens that end a visit, driven by a clock.

A QTimer only wakes the countdown once a second; the seconds left are read from ``clock``, so a
busy GUI thread that misses ticks still ends on time, and tests step a fake clock and call
``tick`` instead of waiting.
"""

from __future__ import annotations

import math
import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class Countdown(QObject):
    ticked = Signal(int)  # whole seconds left
    expired = Signal()

    def __init__(self, parent: QObject | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self._clock = clock
        self._deadline: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)

    @property
    def running(self) -> bool:
        return self._deadline is not None

    def seconds_left(self) -> int:
        if self._deadline is None:
            return 0
        return max(0, math.ceil(self._deadline - self._clock()))

    def start(self, seconds: float) -> None:
        self._deadline = self._clock() + seconds
        self._timer.start()
        self.ticked.emit(self.seconds_left())

    def stop(self) -> None:
        """Stop without expiring (the person chose something)."""
        self._deadline = None
        self._timer.stop()

    def tick(self) -> None:
        if self._deadline is None:
            return
        left = self.seconds_left()
        if left > 0:
            self.ticked.emit(left)
            return
        self.stop()
        self.expired.emit()
