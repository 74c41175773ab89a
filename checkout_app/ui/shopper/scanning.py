"""The scanning screen: the live counter view with product boxes beside the cart."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from checkout_app.ui.frame_view import FrameView
from checkout_app.ui.shopper.cart_panel import CartPanel

CART_MIN_WIDTH_PX = 490


class ScanningScreen(QWidget):
    """Counter camera on the left, cart on the right; an optional stats line for presenters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter_view = FrameView()
        self.counter_view.setObjectName("counter_view")
        self.cart = CartPanel()
        # Room for − qty + × and the widest total beside a wrapped name, even at 1024 px.
        self.cart.setMinimumWidth(CART_MIN_WIDTH_PX)
        self._hint = QLabel()
        self._hint.setProperty("role", "hint")
        self._hint.setWordWrap(True)
        self.stats = QLabel()
        self.stats.setObjectName("stats_overlay")
        self.stats.setProperty("role", "hint")
        self.stats.setWordWrap(True)  # a long stats line wraps instead of widening the window
        self.stats.setVisible(False)
        left = QVBoxLayout()
        left.addWidget(self.counter_view, 1)
        left.addWidget(self._hint)
        left.addWidget(self.stats)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 5)
        layout.addWidget(self.cart, 4)
        self.retranslate()

    def retranslate(self) -> None:
        self._hint.setText(
            self.tr(
                "Spread your products out so the camera sees each one. Wrong count? Use － and ＋."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
