"""The countdown that ends a visit, and the failure screen that uses it (fake clock)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from checkout_app.ui.countdown import Countdown
from checkout_app.ui.shopper.screens import FailureScreen


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_counts_whole_seconds_from_the_clock_and_expires_once(qtbot):
    clock = FakeClock()
    countdown = Countdown(clock=clock)
    seen, expired = [], []
    countdown.ticked.connect(seen.append)
    countdown.expired.connect(lambda: expired.append(True))
    countdown.start(10)
    clock.now += 4.2  # a busy GUI thread missed four ticks: the time left is still right
    countdown.tick()
    clock.now += 6.0
    countdown.tick()
    countdown.tick()
    assert seen == [10, 6] and expired == [True] and not countdown.running


def test_a_stopped_countdown_never_expires(qtbot):
    clock = FakeClock()
    countdown = Countdown(clock=clock)
    with qtbot.assertNotEmitted(countdown.expired):
        countdown.start(5)
        countdown.stop()
        clock.now += 60
        countdown.tick()


def test_the_failure_screen_ends_the_visit_unless_the_shopper_chooses(qtbot):
    clock = FakeClock()
    screen = FailureScreen(clock=clock)
    qtbot.addWidget(screen)
    screen.show_failure("Payment timed out", "Nothing was charged.", reset_after_s=30)
    label = screen.findChild(QLabel, "failure_countdown")
    assert label.text() == "Back to the start in 30 second(s)"
    clock.now += 29.5
    screen.countdown.tick()
    assert label.text() == "Back to the start in 1 second(s)"
    clock.now += 1
    with qtbot.waitSignal(screen.expired, timeout=1000):
        screen.countdown.tick()

    screen.show_failure("Payment cancelled", "Your cart is still here.", reset_after_s=30)
    with qtbot.assertNotEmitted(screen.expired):
        screen.findChild(QPushButton, "back_button").click()
        clock.now += 60
        screen.countdown.tick()
