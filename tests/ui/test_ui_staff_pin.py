"""PinDialog against a real StaffPin file: first-run set-up, right and wrong PINs, lock-out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from checkout_app.services.staff_auth import Pbkdf2Params, StaffPin
from checkout_app.ui.staff.pin_dialog import PinDialog, format_countdown


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def staff_pin(tmp_path, clock) -> StaffPin:
    # A cheap KDF: these tests are about the dialog, not the hash's cost.
    return StaffPin(tmp_path / "staff_pin.json", clock=clock, kdf=Pbkdf2Params(iterations=1000))


def press(qtbot, dialog: PinDialog, keys: str) -> None:
    for key in keys:
        qtbot.mouseClick(dialog.keypad_buttons[key], Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(
    ("seconds", "text"), [(60, "1:00"), (59.2, "1:00"), (5, "0:05"), (0.1, "0:01"), (-3, "0:00")]
)
def test_format_countdown(seconds, text):
    assert format_countdown(seconds) == text


def test_first_run_sets_the_pin_with_the_keypad(qtbot, staff_pin, themed, screenshot):
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    dialog.resize(460, 720)
    assert dialog.title_label.text() == "Set a staff PIN"
    assert dialog.repeat_edit.isVisibleTo(dialog)

    press(qtbot, dialog, "12345")
    qtbot.mouseClick(dialog.keypad_buttons["back"], Qt.MouseButton.LeftButton)
    assert dialog.pin_edit.text() == "1234"
    assert dialog.pin_edit.echoMode() == dialog.pin_edit.EchoMode.Password
    screenshot(dialog, "staff_pin_setup.png")

    qtbot.mouseClick(dialog.keypad_buttons["ok"], Qt.MouseButton.LeftButton)
    # OK with the first field filled moves on to the repeat field; the keypad now types there.
    press(qtbot, dialog, "1234")
    assert dialog.repeat_edit.text() == "1234"
    qtbot.mouseClick(dialog.keypad_buttons["ok"], Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert staff_pin.is_set()
    assert staff_pin.verify("1234").ok


def test_first_run_rejects_a_mismatch_and_a_short_pin(qtbot, staff_pin):
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.pin_edit, "12")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    assert "4–8 digits" in dialog.message_label.text()

    dialog.pin_edit.setText("1234")
    dialog.repeat_edit.setText("4321")
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    assert "do not match" in dialog.message_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not staff_pin.is_set()


def test_right_pin_accepts_from_the_keyboard(qtbot, staff_pin):
    staff_pin.set_pin("2468")
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    assert dialog.title_label.text() == "Staff PIN"
    assert not dialog.repeat_edit.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.pin_edit, "2468")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_wrong_pin_counts_down_the_tries(qtbot, staff_pin, themed, screenshot):
    staff_pin.set_pin("2468")
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    dialog.resize(460, 720)
    press(qtbot, dialog, "1111")
    qtbot.mouseClick(dialog.keypad_buttons["ok"], Qt.MouseButton.LeftButton)
    assert dialog.message_label.text() == "Wrong PIN — 4 tries left"
    assert dialog.pin_edit.text() == ""
    assert dialog.result() != QDialog.DialogCode.Accepted
    screenshot(dialog, "staff_pin_wrong.png")


def test_five_wrong_pins_lock_the_keypad_with_a_live_countdown(
    qtbot, staff_pin, clock, themed, screenshot
):
    staff_pin.set_pin("2468")
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    dialog.resize(460, 720)
    for _ in range(5):
        dialog.pin_edit.setText("0000")
        qtbot.mouseClick(dialog.keypad_buttons["ok"], Qt.MouseButton.LeftButton)

    assert dialog.is_locked
    assert dialog.message_label.text() == "Locked for 1:00"
    assert not any(b.isEnabled() for b in dialog.keypad_buttons.values())
    assert not dialog.pin_edit.isEnabled()
    screenshot(dialog, "staff_pin_locked.png")

    # Even the right PIN typed on the keyboard does nothing while locked.
    dialog.pin_edit.setText("2468")
    dialog.pin_edit.returnPressed.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted

    clock.now += 35
    dialog.countdown.timeout.emit()
    assert dialog.message_label.text() == "Locked for 0:25"

    clock.now += 25
    dialog.countdown.timeout.emit()
    assert not dialog.is_locked
    assert all(b.isEnabled() for b in dialog.keypad_buttons.values())
    dialog.pin_edit.setText("2468")
    qtbot.mouseClick(dialog.keypad_buttons["ok"], Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_lockout_from_before_a_restart_shows_when_the_dialog_opens(qtbot, staff_pin):
    staff_pin.set_pin("2468")
    for _ in range(5):
        staff_pin.verify("0000")
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    assert dialog.is_locked
    assert dialog.message_label.text() == "Locked for 1:00"
    assert not dialog.keypad_buttons["5"].isEnabled()


def test_a_damaged_pin_file_denies_access_and_says_why(qtbot, staff_pin, themed, screenshot):
    staff_pin.path.write_text("{not json")
    dialog = PinDialog(staff_pin)
    qtbot.addWidget(dialog)
    dialog.resize(460, 720)
    assert "cannot be used" in dialog.message_label.text()
    assert str(staff_pin.path) in dialog.message_label.text()
    assert not dialog.keypad_buttons["ok"].isEnabled()
    assert not dialog.keypad.isVisibleTo(dialog)
    dialog.pin_edit.setText("2468")
    dialog.pin_edit.returnPressed.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.cancel_button.isEnabled()
    screenshot(dialog, "staff_pin_damaged.png")
