"""Staff page for the kiosk settings: cameras, language, recognition thresholds, timings, display.

A form over ``KioskSettings``. Save builds a new settings object (which validates itself),
writes it with ``save_settings`` and emits ``settings_saved`` so the main window can apply it; a
problem is shown next to the field it concerns and nothing is written.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from checkout_app.services.kiosk_settings import (
    NUMBER_RANGES,
    KioskSettings,
    SettingsError,
    save_settings,
)
from checkout_app.ui import file_picker
from checkout_app.ui.theme import (
    MINUS,
    PLUS,
    ROLE_ERROR,
    ROLE_HINT,
    ROLE_PRIMARY,
    ROLE_ROUND,
    ROLE_TITLE,
    set_role,
)

log = logging.getLogger(__name__)

DEMO_SOURCE = "demo"
CAMERA_INDEXES = ("0", "1", "2", "3")
# Languages are listed in their own language, so anyone can find theirs whatever is showing.
LANGUAGES = (("ko", "한국어"), ("en", "English"))


class CameraSourceEditor(QWidget):
    """Demo, a camera index 0–3, or a video file / stream URL typed (or browsed) by staff."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.addItem("", DEMO_SOURCE)
        for index in CAMERA_INDEXES:
            self.combo.addItem("", index)
        self.combo.addItem("", None)  # file or URL: the text field holds it
        self.path_edit = QLineEdit()
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self._on_browse)
        self.combo.currentIndexChanged.connect(self._on_choice_changed)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addLayout(path_row)
        self.retranslate()
        self._on_choice_changed()

    def retranslate(self) -> None:
        self.combo.setItemText(0, self.tr("Demo (no camera)"))
        for offset, index in enumerate(CAMERA_INDEXES, start=1):
            self.combo.setItemText(offset, self.tr("Camera {index}").format(index=index))
        self.combo.setItemText(self.combo.count() - 1, self.tr("Video file or stream URL"))
        self.path_edit.setPlaceholderText(self.tr("/path/to/video.mp4 or rtsp://…"))
        self.browse_button.setText(self.tr("Browse…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_value(self, spec: str) -> None:
        position = self.combo.findData(spec)
        if position < 0:
            self.combo.setCurrentIndex(self.combo.count() - 1)
            self.path_edit.setText(spec)
        else:
            self.combo.setCurrentIndex(position)
            self.path_edit.clear()

    def value(self) -> str:
        """The source spec as ``camera.open_source`` takes it; "" for an empty file/URL field."""
        data = self.combo.currentData()
        return self.path_edit.text().strip() if data is None else str(data)

    def _on_choice_changed(self) -> None:
        custom = self.combo.currentData() is None
        self.path_edit.setVisible(custom)
        self.browse_button.setVisible(custom)

    def _on_browse(self) -> None:
        chosen = file_picker.choose(
            self,
            self.tr("Choose a video file"),
            self.tr("Videos (*.mp4 *.avi *.mkv *.mov);;All files (*)"),
            file_picker.MOVIES,
        )
        if chosen:
            self.path_edit.setText(chosen[0])


def with_steppers(box: QAbstractSpinBox) -> QWidget:
    """``box`` between finger-sized − and + buttons (a spin box's own arrows are too small)."""
    # Hide the arrows by zero width: with setButtonSymbols(NoButtons) the app stylesheet's
    # padding leaves the spin box's text area empty (seen with PySide6 6.12).
    box.setStyleSheet("*::up-button, *::down-button { width: 0px; border: none; }")
    box.setAlignment(Qt.AlignmentFlag.AlignCenter)
    minus = QPushButton(MINUS)
    plus = QPushButton(PLUS)
    for button, step in ((minus, box.stepDown), (plus, box.stepUp)):
        set_role(button, ROLE_ROUND)  # square and finger-sized, as in the cart
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(step)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(minus)
    layout.addWidget(box, 1)
    layout.addWidget(plus)
    return row


def _spin(field: str, decimals: int, step: float) -> QDoubleSpinBox:
    low, high = NUMBER_RANGES[field]
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    return box


def _seconds_spin(field: str) -> QSpinBox:
    low, high = NUMBER_RANGES[field]
    box = QSpinBox()
    box.setRange(int(low), int(high))
    return box


class SettingsPage(QWidget):
    """The settings form; ``settings_saved(KioskSettings)`` after a successful save."""

    settings_saved = Signal(object)

    def __init__(self, home: Path, settings: KioskSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._home = Path(home)
        self._settings = settings

        self.counter_source = CameraSourceEditor()
        self.face_source = CameraSourceEditor()
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.kiosk_id = QLineEdit()
        self.kiosk_id.setMaxLength(40)
        self.min_confidence = _spin("min_confidence", 2, 0.05)
        self.face_distance_threshold = _spin("face_distance_threshold", 2, 0.01)
        self.face_min_margin = _spin("face_min_margin", 2, 0.05)
        self.payment_timeout_s = _seconds_spin("payment_timeout_s")
        self.complete_reset_s = _seconds_spin("complete_reset_s")
        self.fullscreen = QCheckBox()
        self.show_stats = QCheckBox()

        # Field name -> (caption label, editor, error label); the order is the form's order.
        editors: dict[str, QWidget] = {
            "counter_source": self.counter_source,
            "face_source": self.face_source,
            "language": self.language,
            "kiosk_id": self.kiosk_id,
            "min_confidence": with_steppers(self.min_confidence),
            "face_distance_threshold": with_steppers(self.face_distance_threshold),
            "face_min_margin": with_steppers(self.face_min_margin),
            "payment_timeout_s": with_steppers(self.payment_timeout_s),
            "complete_reset_s": with_steppers(self.complete_reset_s),
            "fullscreen": self.fullscreen,
            "show_stats": self.show_stats,
        }
        self._rows: dict[str, tuple[QLabel, QLabel]] = {}
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(24)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for field, editor in editors.items():
            caption = QLabel()
            error = QLabel()
            set_role(error, ROLE_ERROR)
            error.setWordWrap(True)
            error.hide()
            error.setObjectName(f"{field}_error")
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor)
            cell_layout.addWidget(error)
            form.addRow(caption, cell)
            self._rows[field] = (caption, error)

        self.title_label = QLabel()
        set_role(self.title_label, ROLE_TITLE)
        self.status_label = QLabel()
        set_role(self.status_label, ROLE_HINT)
        self.save_button = QPushButton()
        set_role(self.save_button, ROLE_PRIMARY)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton()
        self.revert_button.clicked.connect(lambda: self.set_settings(self._settings))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.restart_note = QLabel()
        set_role(self.restart_note, ROLE_HINT)
        self.restart_note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(form)
        layout.addWidget(self.restart_note)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.retranslate()
        self.set_settings(settings)

    # ----- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Kiosk settings"))
        self.restart_note.setText(
            self.tr(
                "Cameras, language, time limits, full screen and the overlay change at once; "
                "the detection and face thresholds from the next start of the kiosk."
            )
        )
        captions = {
            "counter_source": self.tr("Counter camera"),
            "face_source": self.tr("Face camera"),
            "language": self.tr("Language"),
            "kiosk_id": self.tr("Kiosk name (recorded with every sale)"),
            "min_confidence": self.tr("Product detection confidence"),
            "face_distance_threshold": self.tr("Face match distance (lower is stricter)"),
            "face_min_margin": self.tr("Face match margin (higher is stricter)"),
            "payment_timeout_s": self.tr("Payment time limit"),
            "complete_reset_s": self.tr("Receipt screen shown for"),
            "fullscreen": self.tr("Full screen"),
            "show_stats": self.tr("Show live stats on the shopper screen"),
        }
        for field, text in captions.items():
            self._rows[field][0].setText(text)
        self.fullscreen.setText(self.tr("Fill the whole screen (kiosk mode)"))
        self.show_stats.setText(self.tr("FPS and latency overlay"))
        self.save_button.setText(self.tr("Save settings"))
        self.revert_button.setText(self.tr("Discard changes"))
        for box in (self.payment_timeout_s, self.complete_reset_s):
            box.setSuffix(self.tr(" s", "seconds after a number"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ----- values ------------------------------------------------------------------------------

    @property
    def settings(self) -> KioskSettings:
        """The settings last loaded or saved (not the unsaved form)."""
        return self._settings

    def set_settings(self, settings: KioskSettings) -> None:
        """Show ``settings`` in the form, dropping unsaved edits."""
        self._settings = settings
        self.counter_source.set_value(settings.counter_source)
        self.face_source.set_value(settings.face_source)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.kiosk_id.setText(settings.kiosk_id)
        self.min_confidence.setValue(settings.min_confidence)
        self.face_distance_threshold.setValue(settings.face_distance_threshold)
        self.face_min_margin.setValue(settings.face_min_margin)
        self.payment_timeout_s.setValue(round(settings.payment_timeout_s))
        self.complete_reset_s.setValue(round(settings.complete_reset_s))
        self.fullscreen.setChecked(settings.fullscreen)
        self.show_stats.setChecked(settings.show_stats)
        self._clear_errors()

    def form_values(self) -> dict[str, object]:
        return {
            "counter_source": self.counter_source.value(),
            "face_source": self.face_source.value(),
            "language": self.language.currentData(),
            "kiosk_id": self.kiosk_id.text().strip(),
            "min_confidence": self.min_confidence.value(),
            "face_distance_threshold": self.face_distance_threshold.value(),
            "face_min_margin": self.face_min_margin.value(),
            "payment_timeout_s": float(self.payment_timeout_s.value()),
            "complete_reset_s": float(self.complete_reset_s.value()),
            "fullscreen": self.fullscreen.isChecked(),
            "show_stats": self.show_stats.isChecked(),
        }

    def save(self) -> bool:
        """Validate and store the form; True when saved."""
        self._clear_errors()
        values = self.form_values()
        for field in ("counter_source", "face_source"):
            if not values[field]:
                self._show_error(field, self.tr("Enter a video file path or a stream URL."))
                return False
        try:
            settings = dataclasses.replace(self._settings, **values)
        except SettingsError as exc:
            self._show_error(exc.field, str(exc))
            return False
        try:
            path = save_settings(self._home, settings)
        except OSError as exc:
            log.error("cannot save settings in %s: %s", self._home, exc)
            QMessageBox.warning(self, self.tr("Settings not saved"), str(exc))
            return False
        log.info("settings saved to %s", path)
        self._settings = settings
        self.status_label.setText(self.tr("Saved."))
        self.settings_saved.emit(settings)
        return True

    def _show_error(self, field: str, text: str) -> None:
        if field in self._rows:
            error = self._rows[field][1]
            error.setText(text)
            error.show()
        else:
            QMessageBox.warning(self, self.tr("Settings not saved"), text)

    def _clear_errors(self) -> None:
        self.status_label.clear()
        for _caption, error in self._rows.values():
            error.clear()
            error.hide()
