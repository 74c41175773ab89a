"""The pay screen on its own: which words and which turn arrow each payment status shows."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from checkout_app.services.payment_flow import PayStatus, PayStep
from checkout_app.ui.pose_indicator import PoseIndicator
from checkout_app.ui.shopper.pay import PayScreen


def _status(
    step: PayStep, hint: str = "", challenge: str | None = None, turn: int | None = None
) -> PayStatus:
    return PayStatus(
        step=step,
        hint=hint,
        person_name="Eileen" if step == PayStep.CONFIRM else None,
        challenge=challenge,
        failure=None,
        face_box=None,
        record=None,
        seconds_left=20.0,
        turn=turn,
    )


@pytest.fixture
def pay_screen(qtbot, themed):
    screen = PayScreen()
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.start("₩4,300", [])
    screen.face_view.set_frame(np.full((480, 640, 3), 90, np.uint8))
    screen.face_view.set_message(None)  # as the kiosk does once frames arrive
    screen.show()
    return screen


@pytest.mark.parametrize("challenge", ["left", "right"])
def test_liveness_shows_an_arrow_for_the_asked_turn(pay_screen, screenshot, challenge):
    pay_screen.show_status(_status(PayStep.LIVENESS, "turn", challenge))
    arrow = pay_screen.findChild(PoseIndicator, "pay_turn")
    assert arrow.isVisible() and arrow.pose() == challenge
    instruction = pay_screen.findChild(QLabel, "pay_instruction").text()
    assert challenge.upper() in instruction
    screenshot(pay_screen, f"pay_liveness_{challenge}")


def test_the_second_turn_says_once_more(pay_screen, screenshot):
    """Two turns the same way: the shopper must see that a second one is asked."""
    pay_screen.show_status(_status(PayStep.LIVENESS, "turn_left", "left", turn=1))
    instruction = pay_screen.findChild(QLabel, "pay_instruction")
    first = instruction.text()
    pay_screen.show_status(_status(PayStep.LIVENESS, "turn_left", "left", turn=2))
    assert instruction.text() != first and instruction.text().startswith("Once more")
    assert "LEFT" in instruction.text()
    screenshot(pay_screen, "pay_liveness_second_turn")


@pytest.mark.parametrize(
    "status",
    [
        _status(PayStep.LOOKING, "no_face"),
        _status(PayStep.LIVENESS, "face_camera", "left"),  # turned: now look back
        _status(PayStep.CONFIRM),
    ],
    ids=["looking", "look-back", "confirm"],
)
def test_no_arrow_when_no_turn_is_asked(pay_screen, status):
    pay_screen.show_status(status)
    assert not pay_screen.findChild(PoseIndicator, "pay_turn").isVisible()


@pytest.mark.parametrize(
    ("hint", "words"),
    [
        ("recording", "Recording your payment"),
        ("store_retrying", "Nothing has been charged yet"),
        ("store_checking", "you pay exactly once"),
    ],
)
def test_while_the_sale_is_written_there_is_nothing_to_cancel(pay_screen, screenshot, hint, words):
    pay_screen.show_status(_status(PayStep.RECORDING, hint))
    shown = [pay_screen.findChild(QLabel, name) for name in ("pay_instruction", "pay_detail")]
    assert words in " ".join(label.text() for label in shown if label.isVisible())
    for name in ("confirm_button", "not_me_button", "cancel_pay_button"):
        assert not pay_screen.findChild(QPushButton, name).isVisible(), name
    assert pay_screen.findChild(QLabel, "pay_countdown").text() == ""
    screenshot(pay_screen, f"pay_recording_{hint}")
