"""The staff PIN prompt: set a PIN on first run, then check it, with lock-out after wrong tries.

Touch-first: a large on-screen keypad types into the masked field, and a keyboard works too.
``accept()`` happens only on a PIN that ``StaffPin`` verified (or one it just stored), so a caller
can treat ``exec() == Accepted`` as "staff may enter".
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from checkout_app.services.staff_auth import (
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    InvalidPinError,
    StaffPin,
    StaffPinError,
    validate_pin,
)
from checkout_app.ui.theme import ROLE_ERROR, ROLE_HINT, ROLE_PRIMARY, ROLE_TITLE, set_role

log = logging.getLogger(__name__)

_KEY_SIZE_PX = 60  # with everything else, the set-up dialog fits a 600 px high screen
_KEY_FONT_PT = 28
_BACKSPACE = "←"


def format_countdown(seconds: float) -> str:
    """``M:SS`` for a lock-out that still has ``seconds`` to run (rounded up, never negative)."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class PinDialog(QDialog):
    """Asks for the staff PIN, or asks staff to choose one when none is set yet.

    The lock-out countdown asks ``StaffPin.status()`` on every tick, so the time shown is the
    stored deadline (a lock-out from before a restart shows as soon as the dialog opens).
    """

    def __init__(self, staff_pin: StaffPin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pin = staff_pin
        self._locked_for_s = 0.0
        self._error: str | None = None  # a StaffPinError: access stays denied
        try:
            self._setup_mode = not staff_pin.is_set()
            if not self._setup_mode:
                self._locked_for_s = staff_pin.status().locked_for_s
        except StaffPinError as exc:
            log.error("staff PIN file unusable: %s", exc)
            self._setup_mode = False
            self._error = str(exc)

        self.setModal(True)
        self.setObjectName("pinDialog")
        self.countdown = QTimer(self)
        self.countdown.setInterval(500)
        self.countdown.timeout.connect(self._on_countdown_tick)

        self.title_label = QLabel()
        set_role(self.title_label, ROLE_TITLE)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label = QLabel()
        set_role(self.hint_label, ROLE_HINT)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label = QLabel()
        set_role(self.message_label, ROLE_ERROR)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(28)

        self.pin_edit = self._make_pin_edit()
        self.repeat_edit = self._make_pin_edit()
        self.repeat_edit.setVisible(self._setup_mode)
        self._active_edit = self.pin_edit  # where the keypad types

        self.keypad_buttons: dict[str, QPushButton] = {}
        self.keypad = QWidget()
        keypad = QGridLayout(self.keypad)
        keypad.setContentsMargins(0, 0, 0, 0)
        keypad.setSpacing(8)
        # The theme's 56 px minimum plus padding makes 72 px keys: too tall for a 600 px screen.
        self.keypad.setStyleSheet(
            f"QPushButton {{ min-height: {_KEY_SIZE_PX - 8}px; padding: 0px; }}"
        )
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"]
        for index, key in enumerate(keys):
            button = QPushButton(_BACKSPACE if key == "back" else key)
            font = button.font()
            font.setPointSize(_KEY_FONT_PT)
            button.setFont(font)
            if key == "ok":
                set_role(button, ROLE_PRIMARY)
            # The keypad must not steal focus from the field it types into.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(_KEY_SIZE_PX, _KEY_SIZE_PX)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _checked=False, k=key: self._on_key(k))
            keypad.addWidget(button, index // 3, index % 3)
            self.keypad_buttons[key] = button

        self.cancel_button = QPushButton()
        self.cancel_button.setMinimumHeight(56)
        self.cancel_button.clicked.connect(self.reject)
        heading = QHBoxLayout()  # Cancel beside the title: a row saved for short screens
        heading.addWidget(self.title_label, 1)
        heading.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.pin_edit)
        layout.addWidget(self.repeat_edit)
        layout.addWidget(self.message_label)
        layout.addWidget(self.keypad, 1)
        self.retranslate()
        if self._error is not None:
            self._deny(self._error)
        elif self._locked_for_s > 0:
            self._start_lockout(self._locked_for_s)
        self.pin_edit.setFocus()

    # ----- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        if self._setup_mode:
            self.setWindowTitle(self.tr("Set a staff PIN"))
            self.title_label.setText(self.tr("Set a staff PIN"))
            self.hint_label.setText(
                self.tr("Choose {min}–{max} digits, then enter them again.").format(
                    min=PIN_MIN_DIGITS, max=PIN_MAX_DIGITS
                )
            )
        else:
            self.setWindowTitle(self.tr("Staff PIN"))
            self.title_label.setText(self.tr("Staff PIN"))
            self.hint_label.setText(self.tr("Staff only. Enter your PIN."))
        self.pin_edit.setPlaceholderText(self.tr("PIN"))
        self.repeat_edit.setPlaceholderText(self.tr("Repeat PIN"))
        self.keypad_buttons["ok"].setText(self.tr("OK"))
        self.keypad_buttons["back"].setToolTip(self.tr("Delete the last digit"))
        self.cancel_button.setText(self.tr("Cancel"))
        if self._locked_for_s > 0:
            self._show_lock_message()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ----- input -------------------------------------------------------------------------------

    def _make_pin_edit(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName("pinEdit")
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(PIN_MAX_DIGITS)
        edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(f"[0-9]{{0,{PIN_MAX_DIGITS}}}"), edit)
        )
        font = edit.font()
        font.setPointSize(_KEY_FONT_PT)
        edit.setFont(font)
        edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        edit.setMinimumHeight(56)
        edit.returnPressed.connect(self._on_submit)
        edit.installEventFilter(self)
        return edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A tap into either field makes it the one the keypad types into.
        if event.type() == QEvent.Type.FocusIn and watched in (self.pin_edit, self.repeat_edit):
            self._active_edit = watched
        return super().eventFilter(watched, event)

    def _activate(self, edit: QLineEdit) -> None:
        self._active_edit = edit
        edit.setFocus()

    def _on_key(self, key: str) -> None:
        if key == "ok":
            self._on_submit()
            return
        edit = self._active_edit
        if key == "back":
            edit.backspace()
        elif len(edit.text()) < PIN_MAX_DIGITS:
            edit.insert(key)

    def _on_submit(self) -> None:
        if self._error is not None or self._locked_for_s > 0:
            return
        if self._setup_mode:
            self._submit_new_pin()
        else:
            self._submit_pin()

    def _submit_new_pin(self) -> None:
        pin = self.pin_edit.text()
        try:
            validate_pin(pin)
        except InvalidPinError:
            self._show_message(
                self.tr("A PIN has {min}–{max} digits.").format(
                    min=PIN_MIN_DIGITS, max=PIN_MAX_DIGITS
                )
            )
            self._activate(self.pin_edit)
            return
        if not self.repeat_edit.text():
            self._show_message("")
            self._activate(self.repeat_edit)
            return
        if self.repeat_edit.text() != pin:
            self._show_message(self.tr("The PINs do not match. Try again."))
            self.pin_edit.clear()
            self.repeat_edit.clear()
            self._activate(self.pin_edit)
            return
        try:
            self._pin.set_pin(pin)
        except (StaffPinError, ValueError, OSError) as exc:
            # ValueError: another kiosk process set a PIN meanwhile; OSError: HOME not writable.
            log.error("could not store the staff PIN: %s", exc)
            self._deny(str(exc))
            return
        log.info("staff PIN set")
        self.accept()

    def _submit_pin(self) -> None:
        pin = self.pin_edit.text()
        if not pin:
            return
        try:
            check = self._pin.verify(pin)
        except StaffPinError as exc:
            log.error("staff PIN file unusable: %s", exc)
            self._deny(str(exc))
            return
        self.pin_edit.clear()
        if check.ok:
            self.accept()
        elif check.locked_for_s > 0:
            self._start_lockout(check.locked_for_s)
        else:
            self._show_message(
                self.tr("Wrong PIN — %n tries left", "", check.attempts_left),
            )

    # ----- lock-out and errors -----------------------------------------------------------------

    def _start_lockout(self, seconds: float) -> None:
        self._locked_for_s = seconds
        self._set_input_enabled(False)
        self._show_lock_message()
        self.countdown.start()

    def _on_countdown_tick(self) -> None:
        try:
            self._locked_for_s = self._pin.status().locked_for_s
        except StaffPinError as exc:
            self.countdown.stop()
            self._locked_for_s = 0.0
            self._deny(str(exc))
            return
        if self._locked_for_s > 0:
            self._show_lock_message()
            return
        self.countdown.stop()
        self._set_input_enabled(True)
        self._show_message(self.tr("Try again."))
        self.pin_edit.setFocus()

    def _show_lock_message(self) -> None:
        self._show_message(
            self.tr("Locked for {time}").format(time=format_countdown(self._locked_for_s))
        )

    def _deny(self, reason: str) -> None:
        """The PIN store is unusable: say why and keep access closed (Cancel still works)."""
        self._error = reason
        self._set_input_enabled(False)
        # Nothing typed here can open the staff area now; only the reason and Cancel remain.
        for widget in (self.keypad, self.pin_edit, self.repeat_edit, self.hint_label):
            widget.hide()
        self._show_message(self.tr("Staff access is unavailable: {reason}").format(reason=reason))

    def _set_input_enabled(self, enabled: bool) -> None:
        for button in self.keypad_buttons.values():
            button.setEnabled(enabled)
        self.pin_edit.setEnabled(enabled)
        self.repeat_edit.setEnabled(enabled)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)

    @property
    def is_locked(self) -> bool:
        return self._locked_for_s > 0
