"""Staff say what an unknown item on the counter is: one product of the catalog, chosen from a
list with the products the item looked most like first (loose fruit has no barcode to scan).

The kiosk opens it after the staff PIN; the item then counts as the chosen product while it stays
on the counter and no longer holds the payment (``CounterSession.name_unknown_item``), and the
kiosk learns its look from the counter camera (``count_review.learn_and_record_named``). With
several unknown items on the counter, staff tap the picture of the one they name: the kiosk
cannot tell otherwise which one it was, and learns nothing without it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from checkout_app.core.catalog import Catalog
from checkout_app.core.money import format_won
from checkout_app.ui.frame_view import bgr_thumbnail
from checkout_app.ui.theme import (
    ROLE_HINT,
    ROLE_LINK,
    ROLE_PICTURE,
    ROLE_PRIMARY,
    ROLE_TITLE,
    set_role,
)

_SKU_ROLE = Qt.ItemDataRole.UserRole
# The unknown items' pictures to tap, when there are several: large enough to tell them apart,
# small enough that the product list keeps room on a 1024×600 screen.
PICTURE_PX = 72


class NameItemDialog(QDialog):
    """The active products, ``suggestions`` (SKUs, best first) at the top and marked; a filter
    by name or SKU; ``chosen_sku`` once accepted. ``pictures``: the unknown items on the counter
    (BGR, ``counter_items.unknown_item_pictures``); ``chosen_index`` is the number of the one
    named — the only one, or the one staff tapped among several (None: none tapped, or no
    picture) — and ``chosen_picture`` that picture. With ``can_teach``, "Teach it as a new
    product…" accepts with ``teach_requested`` instead of a SKU; "Not a product" accepts with
    ``set_aside_requested`` (among several, once one is tapped)."""

    def __init__(
        self,
        catalog: Catalog,
        suggestions: Sequence[str],
        lang: str = "en",
        parent: QWidget | None = None,
        pictures: Sequence[np.ndarray] = (),
        can_teach: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.setObjectName("name_item_dialog")
        self.setWindowTitle(self.tr("Unknown item"))
        self.setMinimumSize(640, 440)  # fits the smallest kiosk screen, 1024×600
        self.chosen_sku: str | None = None
        self.chosen_index: int | None = None
        self.teach_requested = False  # staff chose to teach it as a new product instead
        self.set_aside_requested = False  # staff said it is no product (a phone, a bag)
        self._pictures = list(pictures)
        several = len(self._pictures) > 1  # then staff tap the one they name
        self.picture_buttons = QButtonGroup(self)  # exclusive: one item is named at a time
        by_sku = {p.sku: p for p in catalog.active()}
        suggested = [sku for sku in suggestions if sku in by_sku]
        others = sorted(
            (p for sku, p in by_sku.items() if sku not in suggested),
            key=lambda p: p.name(lang).lower(),
        )

        title = QLabel(self.tr("What is the unknown item?"))
        set_role(title, ROLE_TITLE)
        if several:
            added = self.tr(
                "It is added to the cart at its price. Tap the one it is, and the kiosk learns "
                "its look for the next shopper."
            )
        else:
            added = self.tr(
                "It is added to the cart at its price, and the kiosk learns its look for the next "
                "shopper."
            )
        hint = QLabel(
            self.tr("★ the products it looks most like.") + " " + added if suggested else added
        )
        set_role(hint, ROLE_HINT)
        hint.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("name_item_search")
        self.search.setPlaceholderText(self.tr("Search by name or SKU"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.products = QListWidget()
        self.products.setObjectName("name_item_products")
        self.products.setStyleSheet("QListWidget::item { min-height: 44px; }")  # a fingertip
        # A long SKU is cut short (…), never a sideways scroll.
        self.products.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for sku in suggested:
            self._add_row(by_sku[sku], lang, suggested=True)
        for product in others:
            self._add_row(product, lang, suggested=False)
        self.products.currentItemChanged.connect(self._update_buttons)
        self.products.itemDoubleClicked.connect(lambda _item: self._add())
        self.add_button = QPushButton(self.tr("Add to the cart"))
        self.add_button.setObjectName("name_item_add")
        set_role(self.add_button, ROLE_PRIMARY)
        self.add_button.clicked.connect(self._add)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.setObjectName("name_item_cancel")
        cancel.clicked.connect(self.reject)
        # Not in the list at all: a product the store has not entered yet.
        self.teach_button = QPushButton(self.tr("Teach it as a new product…"))
        self.teach_button.setObjectName("name_item_teach")
        set_role(self.teach_button, ROLE_LINK)
        self.teach_button.setVisible(can_teach)
        self.teach_button.clicked.connect(self._teach)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.teach_button)

        # A shopper's phone or bag, a store's tray: neither charged nor holding the payment.
        self.not_product_button = QPushButton(self.tr("Not a product"))
        self.not_product_button.setObjectName("name_item_not_product")
        self.not_product_button.clicked.connect(self._set_aside)
        self.picture_buttons.idToggled.connect(self._update_buttons)

        buttons = QHBoxLayout()
        buttons.addWidget(cancel, 1)
        buttons.addWidget(self.not_product_button, 1)
        buttons.addWidget(self.add_button, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(hint)
        if several:
            layout.addLayout(self._picture_row())
        layout.addLayout(search_row)
        layout.addWidget(self.products, 1)
        layout.addLayout(buttons)
        if self.products.count():
            self.products.setCurrentRow(0)  # the likeliest product, one tap from the cart
        self._update_buttons()

    def _picture_row(self) -> QHBoxLayout:
        """One button per unknown item's picture, none tapped yet; a tap picks that one."""
        row = QHBoxLayout()
        for number, picture in enumerate(self._pictures):
            button = QToolButton()
            button.setObjectName(f"name_item_picture_{number}")
            button.setCheckable(True)
            set_role(button, ROLE_PICTURE)
            button.setIcon(QIcon(bgr_thumbnail(picture, PICTURE_PX)))
            button.setIconSize(QSize(PICTURE_PX, PICTURE_PX))
            button.setToolTip(self.tr("Unknown item {number}").format(number=number + 1))
            self.picture_buttons.addButton(button, number)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def _add_row(self, product, lang: str, suggested: bool) -> None:
        mark = "★ " if suggested else ""
        text = f"{mark}{product.name(lang)} · {format_won(product.price, lang)}  ({product.sku})"
        item = QListWidgetItem(text)
        item.setData(_SKU_ROLE, product.sku)
        self.products.addItem(item)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        first_shown = None
        for row in range(self.products.count()):
            item = self.products.item(row)
            hidden = bool(needle) and needle not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first_shown is None:
                first_shown = item
        current = self.products.currentItem()
        if current is None or current.isHidden():
            self.products.setCurrentItem(first_shown)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        current = self.products.currentItem()
        self.add_button.setEnabled(current is not None and not current.isHidden())
        # Which of several items is no product, staff must say: it is never guessed.
        one = len(self._pictures) <= 1 or self.picture_buttons.checkedId() >= 0
        self.not_product_button.setEnabled(one)

    def _add(self) -> None:
        current = self.products.currentItem()
        if current is None or current.isHidden():
            return
        self.chosen_sku = current.data(_SKU_ROLE)
        self._choose_picture()
        self.accept()

    def _teach(self) -> None:
        self.teach_requested = True
        self._choose_picture()
        self.accept()

    def _set_aside(self) -> None:
        self.set_aside_requested = True
        self._choose_picture()
        self.accept()

    def _choose_picture(self) -> None:
        tapped = self.picture_buttons.checkedId()  # -1: none tapped, or only one picture
        if len(self._pictures) == 1:
            self.chosen_index = 0
        elif tapped >= 0:
            self.chosen_index = tapped

    @property
    def chosen_picture(self) -> np.ndarray | None:
        return None if self.chosen_index is None else self._pictures[self.chosen_index]
