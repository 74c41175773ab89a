"""A dependency-free progress bar for long command-line work (to stderr)."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    def __init__(self, label: str, width: int = 30, stream=None) -> None:
        self.label = label
        self.width = width
        self.stream = stream or sys.stderr
        self._last = 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.2:  # redraw at most 5 times a second
            return
        self._last = now
        filled = int(self.width * done / max(1, total))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def line_progress(label: str):
    """A ``(done, total)`` callback for a bar that ends its line once done (nothing if unused)."""
    bar = ProgressBar(label)

    def update(done: int, total: int) -> None:
        bar.update(done, total)
        if done >= total:
            bar.close()

    return update
