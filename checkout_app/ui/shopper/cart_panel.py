"""The cart the shopper sees: a line per product with minus / plus / remove, and the total.

Lines keep their place under the shopper's finger: a line's widgets are made once and updated in
place, new lines go at the bottom, and a line the camera stopped seeing stays where it is until
the shopper has not touched the cart for ``TOUCH_HOLD_S``, so a tap lands on the line it was
aimed at. Columns have fixed widths (the widest total fits), so a line never pushes its
buttons out of view.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
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

from checkout_app.core.money import format_won
from checkout_app.ui.theme import (
    MINUS,
    PLUS,
    REMOVE,
    ROLE_ERROR,
    ROLE_HINT,
    ROLE_SUCCESS,
    TITLE_FONT_PT,
    TRANSPARENT_SCROLL,
    set_role,
)
from checkout_app.ui.view_models import CartRow

# A line that left the cart stays in place this long after the shopper's last tap on the cart.
TOUCH_HOLD_S = 2.0
SCAN_NOTICE_S = 4.0  # how long "Added Cola by barcode" stays
# A cart panel shorter than this (a 1024×600 screen) shows its title only while it is empty: the
# lines need the room.
TITLE_ALWAYS_FROM_PX = 560
# The widest line total the columns are sized for (about a million won).
WIDEST_AMOUNTS = (format_won(9_999_999, "en"), format_won(9_999_999, "ko"))


def _button(text: str, role: str, name: str) -> QPushButton:
    button = QPushButton(text)
    if role:
        button.setProperty("role", role)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class CartLine(QFrame):
    """One product's line: name and line total over − qty + × and the unit price, then its
    state ("Changed by hand", "Added by its barcode", "Removed", "Take 1 off the counter")
    with an undo."""

    quantity_requested = Signal(str, int)
    undo_requested = Signal(str)
    touched = Signal()

    def __init__(self, row: CartRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"line_{row.sku}")
        self.row = row
        self._name = QLabel()
        self._name.setWordWrap(True)
        self._name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._total = QLabel()
        self._total.setObjectName(f"total_{row.sku}")
        self._total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        widest = max(self._total.fontMetrics().horizontalAdvance(a) for a in WIDEST_AMOUNTS)
        self._total.setFixedWidth(widest + 8)
        self._price = QLabel()
        self._price.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        set_role(self._price, ROLE_HINT)
        self._minus = _button(MINUS, "round", f"minus_{row.sku}")
        self._plus = _button(PLUS, "round", f"plus_{row.sku}")
        self._remove = _button(REMOVE, "round-danger", f"remove_{row.sku}")
        self._qty = QLabel()
        self._qty.setProperty("role", "qty")
        self._qty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._qty.setObjectName(f"qty_{row.sku}")
        # The stylesheet's qty font applies only once shown: measure with it now.
        qty_font = QFont(self._qty.font())
        qty_font.setPointSize(TITLE_FONT_PT)
        qty_font.setBold(True)
        self._qty.setFixedWidth(QFontMetrics(qty_font).horizontalAdvance("00") + 12)
        self._state = QLabel()
        self._state.setObjectName(f"state_{row.sku}")
        self._state.setWordWrap(True)
        self._state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._undo = _button("", "link", f"undo_{row.sku}")
        for button in (self._minus, self._plus, self._remove, self._undo):
            button.pressed.connect(self.touched)
        # The quantity is read when the tap lands: the number on screen is what the shopper saw.
        self._minus.clicked.connect(
            lambda: self.quantity_requested.emit(self.row.sku, max(0, self.row.qty - 1))
        )
        self._plus.clicked.connect(
            lambda: self.quantity_requested.emit(self.row.sku, self.row.qty + 1)
        )
        self._remove.clicked.connect(lambda: self.quantity_requested.emit(self.row.sku, 0))
        self._undo.clicked.connect(lambda: self.undo_requested.emit(self.row.sku))

        controls = QHBoxLayout()
        controls.setSpacing(6)
        for widget in (self._minus, self._qty, self._plus):
            controls.addWidget(widget)
        controls.addSpacing(12)
        controls.addWidget(self._remove)
        controls.addStretch(1)
        state = QHBoxLayout()
        state.addWidget(self._state, 1)
        state.addWidget(self._undo)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self._name, 0, 0)
        grid.addWidget(self._total, 0, 1)
        grid.addLayout(controls, 1, 0)
        grid.addWidget(self._price, 1, 1)
        grid.addLayout(state, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        self.set_row(row)

    def set_row(self, row: CartRow) -> None:
        self.row = row
        self._name.setText(row.name)
        self._total.setText(row.line_total if not row.removed else "")
        self._price.setText(self.tr("{price} each").format(price=row.unit_price))
        self._qty.setText(str(row.qty))
        self._minus.setEnabled(row.qty > 0)
        self._remove.setEnabled(row.qty > 0)
        self._remove.setToolTip(self.tr("Remove this product"))
        if row.take_off:
            text = self.tr("Take %n off the counter", "", row.take_off)
            role = ROLE_ERROR
        elif row.removed:
            text, role = self.tr("Removed"), ROLE_HINT
        elif row.scanned:
            text, role = self.tr("Added by its barcode"), ROLE_HINT
        elif row.corrected:
            text, role = self.tr("Changed by hand"), ROLE_HINT
        else:
            text, role = "", ROLE_HINT
        self._state.setText(text)
        set_role(self._state, role)
        self._state.setVisible(bool(text))
        self._undo.setText(self.tr("Undo"))
        self._undo.setVisible(row.corrected)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.set_row(self.row)
        super().changeEvent(event)


class CartPanel(QFrame):
    """Shows ``CartRow``s; emits what the shopper asked for, never changes the cart itself."""

    quantity_requested = Signal(str, int)  # sku, new quantity (0 removes the line)
    undo_requested = Signal(str)  # sku: let the camera decide again
    pay_requested = Signal()
    help_requested = Signal()
    approval_requested = Signal()  # staff are asked to accept counts below the camera's
    name_unknown_requested = Signal()  # staff are asked to say what an unknown item is
    retake_requested = Signal()  # staff are asked to take the empty counter again

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self._clock = clock
        self._rows: list[CartRow] = []  # what the cart says now
        self._lines: dict[str, CartLine] = {}  # on screen, in order (may hold a leaving line)
        self._held_until = 0.0
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.timeout.connect(lambda: self._show_lines(self._rows))
        self._title = QLabel()
        self._title.setObjectName("cart_title")
        self._title.setProperty("role", "title")
        self._empty = QLabel()
        self._empty.setObjectName("empty_cart_hint")
        self._empty.setProperty("role", "hint")
        self._empty.setWordWrap(True)
        self._lines_host = QWidget()
        self._lines_layout = QVBoxLayout(self._lines_host)
        self._lines_layout.setContentsMargins(0, 0, 8, 0)
        self._lines_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._lines_host)
        # Lines wrap long names instead of scrolling sideways: every button stays in reach.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet(TRANSPARENT_SCROLL)
        self._scroll = scroll
        self._total_caption = QLabel()
        self._total_caption.setProperty("role", "subtitle")
        self._total = QLabel()
        self._total.setProperty("role", "total")
        self._total.setObjectName("cart_total")
        self._total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._take_off = QLabel()
        self._take_off.setObjectName("take_off_notice")
        self._take_off.setWordWrap(True)
        set_role(self._take_off, ROLE_ERROR)
        self._unknown_items = 0
        self._touching_items = 0
        self._unknown = QLabel()
        self._unknown.setObjectName("unknown_item_notice")
        self._unknown.setWordWrap(True)
        set_role(self._unknown, ROLE_ERROR)
        self._stale = False
        self._full = False
        self._stale_notice = QLabel()
        self._stale_notice.setObjectName("stale_counter_notice")
        self._stale_notice.setWordWrap(True)
        set_role(self._stale_notice, ROLE_ERROR)
        self._scan_notice = QLabel()
        self._scan_notice.setObjectName("scan_notice")
        self._scan_notice.setWordWrap(True)
        self._scan_notice.setVisible(False)
        self._scan_timer = QTimer(self)
        self._scan_timer.setSingleShot(True)
        self._scan_timer.timeout.connect(lambda: self._scan_notice.setVisible(False))
        self._approve = _button("", "", "approve_button")
        self._approve.clicked.connect(self.approval_requested)
        self._name_unknown = _button("", "", "name_unknown_button")
        self._name_unknown.clicked.connect(self.name_unknown_requested)
        self._retake = _button("", "", "retake_empty_counter_button")
        self._retake.clicked.connect(self.retake_requested)
        self._pay = _button("", "pay", "pay_button")
        self._pay.setMinimumHeight(64)
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
        take_off_row = QHBoxLayout()
        take_off_row.addWidget(self._take_off, 1)
        take_off_row.addWidget(self._approve)
        buttons = QHBoxLayout()
        buttons.addWidget(self._help, 1)
        buttons.addWidget(self._pay, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self._scan_notice)
        unknown_row = QHBoxLayout()
        unknown_row.addWidget(self._unknown, 1)
        unknown_row.addWidget(self._name_unknown)
        layout.addLayout(unknown_row)
        stale_row = QHBoxLayout()
        stale_row.addWidget(self._stale_notice, 1)
        stale_row.addWidget(self._retake)
        layout.addLayout(stale_row)
        layout.addLayout(take_off_row)
        layout.addLayout(total_row)
        layout.addWidget(self._face_pay_off)
        layout.addLayout(buttons)
        self.retranslate()
        self.set_rows([], "")

    def set_face_pay_available(self, available: bool) -> None:
        """Without face pay the pay button stays off and the shopper is sent to staff."""
        self._face_pay_available = available
        self._face_pay_off.setVisible(not available)
        self._update_actions()

    def set_rows(
        self,
        rows: list[CartRow],
        total: str,
        *,
        unknown_items: int = 0,
        touching_items: int = 0,
        empty_counter_stale: bool = False,
        counter_full: bool = False,
    ) -> None:
        """The cart's lines and total; ``unknown_items`` and ``touching_items`` (several items
        laid against each other) on the counter hold the payment, and so does a counter that
        looks unlike its empty-counter shot (``empty_counter_stale``; ``counter_full``: most
        likely too many products on it, not the light or the camera)."""
        self._total.setText(total)
        self._unknown_items = unknown_items
        self._touching_items = touching_items
        self._stale = empty_counter_stale
        self._full = counter_full
        self._rows = list(rows)
        self._show_lines(self._rows)
        self._update_actions()

    def show_scan(self, text: str, ok: bool) -> None:
        """What a barcode scan did, for a few seconds (text already translated)."""
        self._scan_notice.setText(text)
        set_role(self._scan_notice, ROLE_SUCCESS if ok else ROLE_ERROR)
        self._scan_notice.setVisible(True)
        self._scan_timer.start(round(SCAN_NOTICE_S * 1000))

    def line(self, sku: str) -> CartLine | None:
        return self._lines.get(sku)

    def _update_actions(self) -> None:
        charged = any(r.qty > 0 for r in self._rows)
        take_off = sum(r.take_off for r in self._rows)
        # Lying on the counter uncharged (or maybe, while the counter cannot be seen as it was).
        uncharged = bool(self._unknown_items or self._touching_items or self._stale)
        # Not while such things hold the payment: the shopper has put products down, and the
        # notice says what to do with them.
        self._empty.setVisible(not self._rows and not uncharged)
        self._show_title()
        self._take_off.setVisible(bool(take_off))
        self._approve.setVisible(bool(take_off))
        self._take_off.setText(
            self.tr(
                "%n product(s) you removed are still on the counter. Take them off, or ask staff "
                "to approve.",
                "",
                take_off,
            )
        )
        # One thing to do at a time (and room for one notice on a 1024x600 screen): products
        # touching are moved apart first, then each is identified; an unknown item left is
        # asked about after that.
        self._unknown.setVisible(bool(self._touching_items or self._unknown_items))
        self._name_unknown.setVisible(bool(self._unknown_items and not self._touching_items))
        if self._touching_items:
            self._unknown.setText(self.tr("Products lie against each other: move them apart."))
        else:
            self._unknown.setText(
                self.tr(
                    "Unknown item × %n: no price. Take it off the counter, or ask staff.",
                    "",
                    self._unknown_items,
                )
            )
        self._stale_notice.setVisible(self._stale)
        if self._full:
            self._stale_notice.setText(
                self.tr("Too many products at once: take some off, and pay for them afterwards.")
            )
        else:
            self._stale_notice.setText(
                self.tr(
                    "The camera cannot see the counter as it was (light or camera moved). "
                    "Ask staff."
                )
            )
        self._retake.setVisible(self._stale)
        self._pay.setEnabled(
            self._face_pay_available and charged and not take_off and not uncharged
        )

    def _touched(self) -> None:
        self._held_until = self._clock() + TOUCH_HOLD_S

    def _show_lines(self, rows: list[CartRow]) -> None:
        """Update lines in place; add new ones at the bottom; drop the ones that left once
        the shopper's hand is off the cart."""
        wanted = {row.sku: row for row in rows}
        holding = self._clock() < self._held_until
        for sku in list(self._lines):
            if sku in wanted:
                if self._lines[sku].row != wanted[sku]:
                    self._lines[sku].set_row(wanted[sku])
            elif holding:
                self._release.start(round((self._held_until - self._clock()) * 1000) + 50)
            else:
                line = self._lines.pop(sku)
                self._lines_layout.removeWidget(line)
                line.deleteLater()
        for row in rows:
            if row.sku not in self._lines:
                line = CartLine(row)
                line.quantity_requested.connect(self.quantity_requested)
                line.undo_requested.connect(self.undo_requested)
                line.touched.connect(self._touched)
                self._lines_layout.insertWidget(self._lines_layout.count() - 1, line)
                self._lines[row.sku] = line

    def retranslate(self) -> None:
        self._title.setText(self.tr("Your cart"))
        self._empty.setText(self.tr("Put your products on the counter. They appear here."))
        self._total_caption.setText(self.tr("Total"))
        self._pay.setText(self.tr("Pay with face"))
        self._help.setText(self.tr("Call staff"))
        self._approve.setText(self.tr("Staff approval"))
        self._name_unknown.setText(self.tr("Staff: add it"))
        self._retake.setText(self.tr("Staff: retake"))
        self._face_pay_off.setText(
            self.tr("Face pay is not available at this kiosk right now. Call staff to pay.")
        )
        self._update_actions()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_title()

    def _show_title(self) -> None:
        self._title.setVisible(self.height() >= TITLE_ALWAYS_FROM_PX or not self._rows)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
