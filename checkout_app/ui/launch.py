"""Start the kiosk: theme, language, a loading screen while models load, then the window.

Models load in a background thread behind a progress bar (the first start also converts the
FaceNet weights). A missing or broken model file ends on a screen that names the file and the
command that rebuilds it, instead of a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkout_app.camera.source import FrameSource
from checkout_app.services.kiosk_settings import KioskSettings, load_settings
from checkout_app.ui import theme
from checkout_app.ui.i18n import LanguageSwitcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KioskOptions:
    """Command-line overrides of the saved settings (None: keep the saved value)."""

    home: Path
    database_url: str | None = None
    model_path: Path | None = None
    backend: str | None = None  # None: $CHECKOUT_APP_BACKEND, else auto
    counter_source: str | None = None
    face_source: str | None = None
    language: str | None = None
    fullscreen: bool | None = None
    show_stats: bool | None = None
    min_confidence: float | None = None


def source_opener(spec: str, face: bool) -> Callable[[], FrameSource]:
    """A function that opens the camera ``spec`` names; "demo" gives the built-in demo. A video
    file or an image folder plays at its frame rate, as a camera would: read as fast as it
    decodes, a recorded counter would flash past the people watching and end in seconds."""

    def open_counter() -> FrameSource:
        if spec == "demo":
            from checkout_app.camera.demo_source import DemoScenarioSource

            return DemoScenarioSource(realtime=True, loop=True)
        from checkout_app.camera.open_source import open_source

        return open_source(spec, realtime=True)

    def open_face() -> FrameSource:
        if spec == "demo":
            from checkout_app.camera.demo_face_source import DemoFaceSource

            return DemoFaceSource(realtime=True)
        from checkout_app.camera.open_source import open_source

        return open_source(spec, realtime=True)

    return open_face if face else open_counter


class ServicesLoader(QObject):
    """Builds the kiosk services in a thread; reports progress and the outcome as signals."""

    progress = Signal(str, int, int)
    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, options: KioskOptions, settings: KioskSettings) -> None:
        super().__init__()
        self._options = options
        self._settings = settings

    def start(self) -> None:
        threading.Thread(target=self._run, name="kiosk-loader", daemon=True).start()

    def _run(self) -> None:
        from checkout_app.app import build_kiosk_services

        try:
            services = build_kiosk_services(
                self._options.home,
                self._settings,
                database_url=self._options.database_url,
                model_path=self._options.model_path,
                progress=self.progress.emit,
                backend=self._options.backend,
            )
        except Exception as exc:  # shown to the person at the kiosk; the traceback goes to the log
            log.exception("kiosk start-up failed")
            self.failed.emit(str(exc))
        else:
            self.loaded.emit(services)


class LoadingScreen(QWidget):
    """Progress while the models load; turns into the error screen when loading fails."""

    quit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("loading_screen")
        self.setProperty("role", "screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._title = QLabel()
        self._title.setProperty("role", "title")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._step = QLabel()
        self._step.setObjectName("loading_step")
        self._step.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._step.setWordWrap(True)
        self._step.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._bar = QProgressBar()
        self._bar.setRange(0, 0)
        self._quit = QPushButton()
        self._quit.setVisible(False)
        self._quit.clicked.connect(self.quit_requested)
        self._error = False
        self._step_code = "start"
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self._title)
        layout.addWidget(self._step)
        layout.addWidget(self._bar)
        layout.addWidget(self._quit, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.resize(900, 420)
        self.retranslate()

    def show_progress(self, step: str, done: int, total: int) -> None:
        self._step_code = step
        if total > 0:
            self._bar.setRange(0, total)
            self._bar.setValue(done)
        else:
            self._bar.setRange(0, 0)
        self.retranslate()

    def show_error(self, message: str) -> None:
        self._error = True
        self._bar.setVisible(False)
        self._quit.setVisible(True)
        self._step.setText(message)
        self._step.setProperty("role", "error")
        self.retranslate()

    def step_text(self, step: str) -> str:
        texts = {
            "start": self.tr("Starting…"),
            "database": self.tr("Opening the store database…"),
            "product_model": self.tr("Loading the product recognition model…"),
            "taught_products": self.tr("Loading the products staff taught…"),
            "face_models": self.tr("Loading the face recognition models…"),
            "face_weights": self.tr("Preparing the face recognition weights (first start only)…"),
            "demo_shopper": self.tr("Registering the demo shopper…"),
        }
        return texts.get(step, step)

    def retranslate(self) -> None:
        if self._error:
            self._title.setText(self.tr("The kiosk cannot start"))
        else:
            self._title.setText(self.tr("Self-checkout is starting"))
            self._step.setText(self.step_text(self._step_code))
        self._quit.setText(self.tr("Quit"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def effective_settings(saved: KioskSettings, options: KioskOptions) -> KioskSettings:
    overrides = {
        "counter_source": options.counter_source,
        "face_source": options.face_source,
        "language": options.language,
        "fullscreen": options.fullscreen,
        "show_stats": options.show_stats,
        "min_confidence": options.min_confidence,
    }
    return replace(saved, **{k: v for k, v in overrides.items() if v is not None})


def forget_opencv_qt_paths() -> None:
    """Drop the Qt plugin and font folders that ``import cv2`` (opencv-python) puts in the
    environment: they point at OpenCV's own Qt build, and PySide6 would then fail to load its
    platform plugin ("Could not load the Qt platform plugin xcb") on a desktop."""
    for name in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):
        value = os.environ.get(name, "")
        if f"{os.sep}cv2{os.sep}" in value:
            del os.environ[name]


def run_kiosk(options: KioskOptions) -> int:
    """Run the kiosk until its window closes; returns the process exit code."""
    forget_opencv_qt_paths()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("checkout_app")
    theme.apply_theme(app)
    loaded = load_settings(options.home)
    settings = effective_settings(loaded.settings, options)
    languages = LanguageSwitcher(app)
    languages.set_language(settings.language)
    loading = LoadingScreen()
    loading.quit_requested.connect(app.quit)
    loading.show()
    loader = ServicesLoader(options, settings)
    windows: list = []

    def on_loaded(services) -> None:
        from checkout_app.ui.kiosk_window import KioskWindow

        window = KioskWindow(
            services,
            languages,
            source_opener(settings.counter_source, face=False),
            source_opener(settings.face_source, face=True),
            opener_for=source_opener,
        )
        windows.append(window)
        window.show_on_screen()
        loading.close()
        window.start()
        for warning in loaded.warnings:
            QMessageBox.warning(
                window, QCoreApplication.translate("KioskWindow", "Settings"), warning.detail
            )

    loader.progress.connect(loading.show_progress)
    loader.loaded.connect(on_loaded)
    loader.failed.connect(loading.show_error)
    loader.start()
    code = app.exec()
    for window in windows:
        window.services.close()
    return code
