"""The cart the shopper sees: a row per product with minus / plus / remove, and the total."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from checkout_app.ui.theme import MINUS, PLUS, REMOVE
from checkout_app.ui.view_models import CartRow


def _button(text: str, role: str, name: str) -> QPushButton:
    button = QPushButton(text)
    if role:
        button.setProperty("role", role)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class CartPanel(QFrame):
    """Shows ``CartRow``s; emits what the shopper asked for, never changes the cart itself."""

    quantity_requested = Signal(str, int)  # sku, new quantity (0 removes the line)
    undo_requested = Signal(str)  # sku: let the camera decide again
    pay_requested = Signal()
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self._rows: list[CartRow] = []
        self._title = QLabel()
        self._title.setProperty("role", "title")
        self._empty = QLabel()
        self._empty.setProperty("role", "hint")
        self._empty.setWordWrap(True)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        # Rows wrap long names instead of scrolling sideways: every button stays in reach.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        self._total_caption = QLabel()
        self._total_caption.setProperty("role", "subtitle")
        self._total = QLabel()
        self._total.setProperty("role", "total")
        self._total.setObjectName("cart_total")
        self._total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._pay = _button("", "pay", "pay_button")
        self._pay.setMinimumHeight(72)
        self._pay.clicked.connect(self.pay_requested)
        self._help = _button("", "", "help_button")
        self._help.clicked.connect(self.help_requested)
        self._face_pay_available = True
        self._face_pay_off = QLabel()
        self._face_pay_off.setObjectName("face_pay_unavailable")
        self._face_pay_off.setProperty("role", "hint")
        self._face_pay_off.setWordWrap(True)
        self._face_pay_off.setVisible(False)

        total_row = QHBoxLayout()
        total_row.addWidget(self._total_caption)
        total_row.addStretch(1)
        total_row.addWidget(self._total)
        buttons = QHBoxLayout()
        buttons.addWidget(self._help, 1)
        buttons.addWidget(self._pay, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._empty)
        layout.addWidget(scroll, 1)
        layout.addLayout(total_row)
        layout.addWidget(self._face_pay_off)
        layout.addLayout(buttons)
        self.retranslate()
        self.set_rows([], "")

    def set_face_pay_available(self, available: bool) -> None:
        """Without face pay the pay button stays off and the shopper is sent to staff."""
        self._face_pay_available = available
        self._face_pay_off.setVisible(not available)
        self._pay.setEnabled(available and bool(self._rows))

    def set_rows(self, rows: list[CartRow], total: str) -> None:
        self._total.setText(total)
        self._pay.setEnabled(self._face_pay_available and bool(rows))
        self._empty.setVisible(not rows)
        if rows == self._rows:
            return
        self._rows = list(rows)
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for i, row in enumerate(self._rows):
            self._add_row(i, row)
        self._grid.setRowStretch(len(self._rows), 1)

    def _add_row(self, i: int, row: CartRow) -> None:
        name = QLabel(row.name)
        name.setWordWrap(True)
        name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        price = QLabel(self.tr("{price} each").format(price=row.unit_price))
        price.setProperty("role", "hint")
        name_box = QVBoxLayout()
        name_box.addWidget(name)
        name_box.addWidget(price)
        if row.corrected:
            undo = _button(self.tr("Changed by hand · undo"), "link", f"undo_{row.sku}")
            undo.clicked.connect(lambda _=False, sku=row.sku: self.undo_requested.emit(sku))
            name_box.addWidget(undo, 0, Qt.AlignmentFlag.AlignLeft)
        holder = QWidget()
        holder.setLayout(name_box)
        minus = _button(MINUS, "round", f"minus_{row.sku}")
        plus = _button(PLUS, "round", f"plus_{row.sku}")
        remove = _button(REMOVE, "round-danger", f"remove_{row.sku}")
        remove.setToolTip(self.tr("Remove this product"))
        qty = QLabel(str(row.qty))
        qty.setProperty("role", "qty")
        qty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        qty.setObjectName(f"qty_{row.sku}")
        line_total = QLabel(row.line_total)
        line_total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        minus.clicked.connect(
            lambda _=False, r=row: self.quantity_requested.emit(r.sku, max(0, r.qty - 1))
        )
        plus.clicked.connect(lambda _=False, r=row: self.quantity_requested.emit(r.sku, r.qty + 1))
        remove.clicked.connect(lambda _=False, r=row: self.quantity_requested.emit(r.sku, 0))
        for column, widget in enumerate((holder, minus, qty, plus, line_total, remove)):
            self._grid.addWidget(widget, i, column)
        self._grid.setColumnStretch(0, 1)
        self._grid.setColumnMinimumWidth(2, 48)
        self._grid.setColumnMinimumWidth(4, 110)

    def retranslate(self) -> None:
        self._title.setText(self.tr("Your cart"))
        self._empty.setText(self.tr("Put your products on the counter. They appear here."))
        self._total_caption.setText(self.tr("Total"))
        self._pay.setText(self.tr("Pay with face"))
        self._help.setText(self.tr("Call staff"))
        self._face_pay_off.setText(
            self.tr("Face pay is not available at this kiosk right now. Call staff to pay.")
        )
        rows, self._rows = self._rows, []
        self.set_rows(rows, self._total.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
