"""The simple shopper screens: welcome, payment complete, and "something went wrong"."""

from __future__ import annotations

import html
import time
from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextEdit, QVBoxLayout, QWidget

from checkout_app.core.receipt import RECEIPT_WIDTH, receipt_columns
from checkout_app.ui.countdown import Countdown

RECEIPT_FONT_PT = 13


def _label(role: str, name: str = "") -> QLabel:
    label = QLabel()
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if name:
        label.setObjectName(name)
    return label


def _button(role: str, name: str) -> QPushButton:
    button = QPushButton()
    if role:
        button.setProperty("role", role)
    button.setObjectName(name)
    button.setMinimumHeight(72)
    return button


def receipt_html(receipt: str) -> str:
    """The receipt as a two-column table: amounts right-aligned whatever width the font gives
    Hangul (a "monospace" font rarely makes it exactly two columns)."""
    rows = []
    for left, right in receipt_columns(receipt):
        left_html = html.escape(left).replace(" ", "&nbsp;") or "&nbsp;"
        if right:
            rows.append(f'<tr><td>{left_html}</td><td align="right">{html.escape(right)}</td></tr>')
        else:
            rows.append(f'<tr><td colspan="2">{left_html}</td></tr>')
    return f'<table width="100%" cellspacing="0" cellpadding="0">{"".join(rows)}</table>'


class TranslatedWidget(QWidget):
    """A widget that re-sets its texts when the language changes at run time."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AttractScreen(TranslatedWidget):
    """What a passer-by sees: put your products down, or tap to start."""

    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = _label("display", "attract_title")
        self._subtitle = _label("subtitle")
        self._steps = _label("hint")
        self._start = _button("primary", "start_button")
        self._start.setMinimumWidth(360)
        self._start.clicked.connect(self.start_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addSpacing(24)
        layout.addWidget(self._steps)
        layout.addSpacing(36)
        layout.addWidget(self._start, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Welcome!"))
        self._subtitle.setText(self.tr("Put your products on the counter to start."))
        self._steps.setText(
            self.tr("1  Put products down    2  Check your cart    3  Pay with your face")
        )
        self._start.setText(self.tr("Start"))


class CompleteScreen(TranslatedWidget):
    """Payment done: total, receipt, thank-you, and a countdown back to the welcome screen."""

    finished = Signal()

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._title = _label("display", "complete_title")
        self._total = _label("total", "complete_total")
        self._thanks = _label("subtitle")
        self._receipt = QTextEdit()
        self._receipt.setObjectName("receipt")
        self._receipt.setReadOnly(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(RECEIPT_FONT_PT)
        self._receipt.setFont(mono)
        # Wide enough for a whole receipt line, so the printed layout is what the shopper sees.
        columns = QFontMetrics(mono).horizontalAdvance("0" * (RECEIPT_WIDTH + 2))
        self._receipt.setFixedWidth(columns + 48)
        self._countdown = _label("hint", "complete_countdown")
        self._done = _button("primary", "done_button")
        self._done.clicked.connect(self._finish)
        self.countdown = Countdown(self, clock)
        self.countdown.ticked.connect(lambda _left: self._update_countdown())
        self.countdown.expired.connect(self.finished)
        self._name = ""

        left = QVBoxLayout()
        left.addStretch(1)
        left.addWidget(self._title)
        left.addWidget(self._total)
        left.addWidget(self._thanks)
        left.addSpacing(24)
        left.addWidget(self._done, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addWidget(self._countdown)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self._receipt, 2)
        self.retranslate()

    def show_payment(self, total_text: str, receipt: str, name: str, reset_after_s: int) -> None:
        self._name = name
        self._total.setText(total_text)
        self._receipt.setHtml(receipt_html(receipt))
        self.countdown.start(reset_after_s)
        self.retranslate()

    def _finish(self) -> None:
        if self.countdown.running:
            self.countdown.stop()
            self.finished.emit()

    def _update_countdown(self) -> None:
        self._countdown.setText(
            self.tr("Next shopper in %n second(s)", "", self.countdown.seconds_left())
        )

    def retranslate(self) -> None:
        self._title.setText(self.tr("Payment complete"))
        self._thanks.setText(
            self.tr("Thank you, {name}! Take your products.").format(name=self._name)
        )
        self._done.setText(self.tr("Done"))
        self._update_countdown()


class FailureScreen(TranslatedWidget):
    """A payment that did not go through: what happened and what to do next. Nobody choosing
    within the countdown (the shopper walked away) emits ``expired``: the visit is over."""

    retry_requested = Signal()
    back_requested = Signal()
    staff_requested = Signal()
    expired = Signal()

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._title = _label("display", "failure_title")
        self._advice = _label("subtitle", "failure_advice")
        self._countdown = _label("hint", "failure_countdown")
        self._retry = _button("primary", "retry_button")
        self._back = _button("", "back_button")
        self._staff = _button("", "staff_help_button")
        self.countdown = Countdown(self, clock)
        self.countdown.ticked.connect(lambda _left: self._update_countdown())
        self.countdown.expired.connect(self.expired)
        for button, chosen in (
            (self._retry, self.retry_requested),
            (self._back, self.back_requested),
            (self._staff, self.staff_requested),
        ):
            button.clicked.connect(self.countdown.stop)
            button.clicked.connect(chosen)
        self._title_text = ""
        self._advice_text = ""
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self._back, self._staff, self._retry):
            button.setMinimumWidth(240)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self._title)
        layout.addWidget(self._advice)
        layout.addSpacing(36)
        layout.addLayout(buttons)
        layout.addWidget(self._countdown)
        layout.addStretch(3)
        self.retranslate()

    def show_failure(
        self, title: str, advice: str, can_retry: bool = True, reset_after_s: float = 30.0
    ) -> None:
        """``title`` and ``advice`` come already translated from the caller."""
        self._title.setText(title)
        self._advice.setText(advice)
        self._retry.setVisible(can_retry)
        self.countdown.start(reset_after_s)

    def _update_countdown(self) -> None:
        self._countdown.setText(
            self.tr("Back to the start in %n second(s)", "", self.countdown.seconds_left())
        )

    def retranslate(self) -> None:
        self._update_countdown()
        self._retry.setText(self.tr("Try again"))
        self._back.setText(self.tr("Back to cart"))
        self._staff.setText(self.tr("Call staff"))
