"""The scanning screen: the live counter view with product boxes beside the cart."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from checkout_app.ui.frame_view import FrameView
from checkout_app.ui.shopper.cart_panel import CartPanel


class ScanningScreen(QWidget):
    """Counter camera on the left, cart on the right; an optional stats line for presenters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter_view = FrameView()
        self.counter_view.setObjectName("counter_view")
        self.cart = CartPanel()
        self.cart.setMinimumWidth(560)
        self._hint = QLabel()
        self._hint.setProperty("role", "hint")
        self._hint.setWordWrap(True)
        self.stats = QLabel()
        self.stats.setObjectName("stats_overlay")
        self.stats.setProperty("role", "hint")
        self.stats.setVisible(False)
        left = QVBoxLayout()
        left.addWidget(self.counter_view, 1)
        left.addWidget(self._hint)
        left.addWidget(self.stats, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.cart, 2)
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
