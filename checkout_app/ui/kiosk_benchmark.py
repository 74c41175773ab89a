"""Measure the kiosk window while detection runs flat out: does the view keep the camera's rate?

Opens the real window on the built-in demo (the counter camera paced at its 15 fps), lets it run
for a while, and reports how often the counter view painted a new frame next to the capture and
detection rates. The target: paint rate = camera rate, whatever the detection rate.
"""

from __future__ import annotations

import platform
import statistics
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer

from checkout_app.app import KioskServices


def _summary(values: list[float]) -> dict:
    if not values:
        return {"median": None, "p95": None, "max": None, "n": 0}
    return {
        "median": round(statistics.median(values), 2),
        "p95": round(float(np.percentile(values, 95)), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def measure_kiosk(services: KioskServices, seconds: float, warmup_s: float = 3.0) -> dict:
    """Run the kiosk window for ``seconds`` after ``warmup_s``; the QApplication must exist.

    The paint intervals are the counter view's last paints (its history holds a few seconds).
    """
    from checkout_app.ui.i18n import LanguageSwitcher
    from checkout_app.ui.kiosk_window import KioskWindow
    from checkout_app.ui.launch import source_opener

    app = QCoreApplication.instance()
    languages = LanguageSwitcher(app)
    languages.set_language("en")
    window = KioskWindow(
        services,
        languages,
        source_opener("demo", face=False),
        source_opener("demo", face=True),
    )
    window.resize(1280, 800)
    window.show()
    window.stack.setCurrentWidget(window.scanning)
    window.start()
    _spin(warmup_s)
    view = window.scanning.counter_view
    stats_before = window.counter_camera.stats()
    _spin(seconds)
    intervals = view.paint_intervals_ms()
    stats = window._stats()
    pipeline = window.counter_camera.stats()
    window.close()
    processed = pipeline.processed_frames - stats_before.processed_frames
    ui_fps = 1000.0 / statistics.median(intervals) if intervals else None
    return {
        "seconds": seconds,
        "qt_platform": app.platformName(),
        "machine": platform.machine(),
        "camera_fps": round(pipeline.capture_fps, 2),
        "detection_fps": round(pipeline.processing_fps, 2),
        "ui_fps": None if ui_fps is None else round(ui_fps, 2),
        "ui_frame_interval_ms": _summary(intervals),
        "frames_detected_while_measuring": processed,
        "dropped_frames": pipeline.dropped_frames,
        "stage_latency_ms": {k: round(v, 2) for k, v in stats.stage_latency_ms.items()},
        "ui_fps_over_camera_fps": (
            None
            if not ui_fps or not pipeline.capture_fps
            else round(ui_fps / pipeline.capture_fps, 3)
        ),
    }


def _spin(seconds: float) -> None:
    """Process GUI events for ``seconds`` (the window's own timers and paints run meanwhile)."""
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < seconds * 1000:
        QCoreApplication.processEvents()
        time.sleep(0.002)
