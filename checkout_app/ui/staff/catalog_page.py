"""Staff page for the product catalog: edit names, prices and "on sale", add products, teach
products from photos, CSV files.

Edits are kept as pending changes (highlighted) until Save writes them through
``CatalogRepository``; after every save attempt the table is reloaded from the database, so what
staff see is what is stored, even when a write failed halfway. A CSV import is validated whole by
the repository: a bad file shows every problem with its line number and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checkout_app.core.barcode import BarcodeError, normalize_barcode
from checkout_app.core.catalog import Catalog, CatalogStoreError, Product
from checkout_app.core.catalog_csv import CatalogCsvError, RowError
from checkout_app.core.money import format_won, parse_price_input
from checkout_app.ui import file_picker
from checkout_app.ui.staff.teach_dialog import TeachDialog
from checkout_app.ui.theme import (
    ROLE_ERROR,
    ROLE_HINT,
    ROLE_LINK,
    ROLE_PRIMARY,
    ROLE_TITLE,
    set_role,
)

if TYPE_CHECKING:  # the page is handed a repository; it never opens the database itself
    from checkout_app.services.product_teaching import ProductTeacher
    from checkout_app.storage.catalog_repository import CatalogRepository

log = logging.getLogger(__name__)

COL_SKU, COL_NAME_KO, COL_NAME_EN, COL_PRICE, COL_CLASS, COL_ACTIVE, COL_BARCODES = range(7)
_EDITABLE_TEXT = {COL_NAME_KO: "name_ko", COL_NAME_EN: "name_en"}
_PENDING_BRUSH = QBrush(QColor("#fff4c2"))


def parse_barcodes_input(text: str) -> tuple:
    """Barcodes typed or scanned by staff, separated by spaces or commas, as canonical GTINs
    (each once). ``BarcodeError`` names the first bad one."""
    codes: list[str] = []
    for part in text.replace(",", " ").split():
        code = normalize_barcode(part)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


class CatalogTableModel(QAbstractTableModel):
    """The stored products plus the staff's unsaved edits, one row per product."""

    edit_rejected = Signal(str)
    pending_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stored: list[Product] = []
        self._edited: dict[str, Product] = {}
        self.lang = "en"

    # ----- content -----------------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog) -> None:
        """Show what is stored; drops every unsaved edit."""
        self.beginResetModel()
        self._stored = list(catalog)
        self._edited = {}
        self.endResetModel()
        self.pending_changed.emit()

    def product(self, row: int) -> Product:
        stored = self._stored[row]
        return self._edited.get(stored.sku, stored)

    def stored_product(self, row: int) -> Product:
        return self._stored[row]

    def pending(self) -> list[tuple[Product, Product]]:
        """(stored, edited) for every product with an unsaved change."""
        return [(p, self._edited[p.sku]) for p in self._stored if p.sku in self._edited]

    def row_of(self, sku: str) -> int:
        return next(i for i, p in enumerate(self._stored) if p.sku == sku)

    # ----- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._stored)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("SKU"),
            self.tr("Korean name"),
            self.tr("English name"),
            self.tr("Price"),
            self.tr("Detector class"),
            self.tr("On sale"),
            self.tr("Barcodes"),
        )[section]

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = index.column()
        if column in _EDITABLE_TEXT or column in (COL_PRICE, COL_BARCODES):
            return base | Qt.ItemFlag.ItemIsEditable
        if column == COL_ACTIVE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        product = self.product(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(product, column)
        if role == Qt.ItemDataRole.EditRole:
            if column == COL_PRICE:
                return str(product.price)
            return self._display(product, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_ACTIVE:
            return Qt.CheckState.Checked if product.active else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and product.sku in self._edited:
            return _PENDING_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_PRICE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, product: Product, column: int) -> str | None:
        if column == COL_SKU:
            return product.sku
        if column == COL_NAME_KO:
            return product.name_ko
        if column == COL_NAME_EN:
            return product.name_en
        if column == COL_PRICE:
            return format_won(product.price, self.lang)
        if column == COL_CLASS:
            return product.class_name
        if column == COL_BARCODES:
            return " ".join(product.barcodes)
        return None

    def setData(
        self, index: QModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid():
            return False
        product = self.product(index.row())
        column = index.column()
        try:
            if column in _EDITABLE_TEXT and role == Qt.ItemDataRole.EditRole:
                text = str(value).strip()
                if not text:
                    raise ValueError(self.tr("A product name cannot be empty."))
                edited = replace(product, **{_EDITABLE_TEXT[column]: text})
            elif column == COL_PRICE and role == Qt.ItemDataRole.EditRole:
                try:
                    price = parse_price_input(str(value))
                except ValueError:
                    raise ValueError(
                        self.tr("A price is a whole, non-negative number of won, e.g. 1500.")
                    ) from None
                edited = replace(product, price=price)
            elif column == COL_BARCODES and role == Qt.ItemDataRole.EditRole:
                edited = replace(product, barcodes=self._barcodes_for(product.sku, str(value)))
            elif column == COL_ACTIVE and role == Qt.ItemDataRole.CheckStateRole:
                checked = Qt.CheckState(value) == Qt.CheckState.Checked
                edited = replace(product, active=checked)
            else:
                return False
        except ValueError as exc:
            self.edit_rejected.emit(str(exc))
            return False
        self.stage_edit(index.row(), edited)
        return True

    def _barcodes_for(self, sku: str, text: str) -> tuple:
        """Parsed codes for ``sku``; ValueError for a bad code or one another product has."""
        try:
            codes = parse_barcodes_input(text)
        except BarcodeError as exc:
            raise ValueError(str(exc)) from None
        for row in range(self.rowCount()):
            other = self.product(row)
            taken = set(codes) & set(other.barcodes)
            if other.sku != sku and taken:
                raise ValueError(
                    self.tr("Barcode {code} already belongs to {sku}.").format(
                        code=min(taken), sku=other.sku
                    )
                )
        return codes

    def stage_edit(self, row: int, edited: Product) -> None:
        """Keep ``edited`` as the unsaved version of the product in ``row``."""
        stored = self._stored[row]
        if edited == stored:
            self._edited.pop(stored.sku, None)
        else:
            self._edited[stored.sku] = edited
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.pending_changed.emit()


class AddProductDialog(QDialog):
    """Asks for a new product; its detector class is one the model knows and no product uses."""

    def __init__(
        self,
        free_classes: Sequence[str],
        taken_skus: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._taken_skus = set(taken_skus)
        self.product: Product | None = None
        self.sku_edit = QLineEdit()
        self.name_ko_edit = QLineEdit()
        self.name_en_edit = QLineEdit()
        self.price_edit = QLineEdit()
        self.class_combo = QComboBox()
        self.class_combo.addItems(list(free_classes))
        self.error_label = QLabel()
        set_role(self.error_label, ROLE_ERROR)
        self.error_label.setWordWrap(True)
        for widget in (self.sku_edit, self.name_ko_edit, self.name_en_edit, self.price_edit):
            widget.setMinimumHeight(44)
        self.class_combo.setMinimumHeight(44)

        self._labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        for label, field in zip(
            self._labels,
            (
                self.sku_edit,
                self.name_ko_edit,
                self.name_en_edit,
                self.price_edit,
                self.class_combo,
            ),
        ):
            form.addRow(label, field)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Add product"))
        labels = (
            self.tr("SKU / barcode"),
            self.tr("Korean name"),
            self.tr("English name"),
            self.tr("Price (won)"),
            self.tr("Detector class"),
        )
        for label, text in zip(self._labels, labels):
            label.setText(text)
        self.price_edit.setPlaceholderText("1500")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_ok(self) -> None:
        sku = self.sku_edit.text().strip()
        if sku in self._taken_skus:
            message = self.tr("SKU {sku} is already in the catalog.")
            self.error_label.setText(message.format(sku=sku))
            return
        if not all(e.text().strip() for e in (self.sku_edit, self.name_ko_edit, self.name_en_edit)):
            self.error_label.setText(self.tr("SKU and both names are required."))
            return
        try:
            price = parse_price_input(self.price_edit.text())
        except ValueError:
            self.error_label.setText(
                self.tr("A price is a whole, non-negative number of won, e.g. 1500.")
            )
            return
        if not self.class_combo.currentText():
            self.error_label.setText(self.tr("No free detector class."))
            return
        self.product = Product(
            sku=sku,
            name_ko=self.name_ko_edit.text().strip(),
            name_en=self.name_en_edit.text().strip(),
            price=price,
            class_name=self.class_combo.currentText(),
        )
        self.accept()


class CsvErrorsDialog(QDialog):
    """Every problem of a rejected CSV file, one per line, with its line number."""

    def __init__(self, errors: Sequence[RowError], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._errors = list(errors)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.errors_view = QPlainTextEdit()
        self.errors_view.setReadOnly(True)
        self.errors_view.setMinimumSize(560, 220)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.errors_view, 1)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("CSV file rejected"))
        self.summary_label.setText(
            self.tr(
                "The file was not imported; the catalog is unchanged. "
                "Fix these problems and import it again:"
            )
        )
        self.errors_view.setPlainText(
            "\n".join(
                self.tr("Line {line}: {message}").format(line=e.line, message=e.message)
                for e in self._errors
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class CatalogPage(QWidget):
    """The catalog table with Save / Revert / Add product / Import CSV… / Export CSV….

    ``class_names``: the product detector's classes. New products take one nobody uses, and an
    imported CSV may only use these (an unknown class could never be detected, so never sold).
    """

    catalog_changed = Signal()
    empty_counter_taken = Signal(object)  # by the teaching wizard (TeachDialog)

    def __init__(
        self,
        repository: CatalogRepository,
        class_names: Sequence[str],
        parent: QWidget | None = None,
        *,
        lang: str = "en",
        teacher: ProductTeacher | None = None,
        counter_frame: Callable[[], np.ndarray | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._class_names = list(class_names)
        self._teacher = teacher
        self._counter_frame = counter_frame
        self.add_dialog: AddProductDialog | None = None
        self.teach_dialog: TeachDialog | None = None
        self.csv_errors_dialog: CsvErrorsDialog | None = None

        self.model = CatalogTableModel(self)
        self.model.lang = lang
        self.model.edit_rejected.connect(self._on_edit_rejected)
        self.model.pending_changed.connect(self._on_pending_changed)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(52)
        # A finger-sized "on sale" box; the theme sizes QCheckBox but not item indicators.
        self.table.setStyleSheet("QTableView::indicator { width: 30px; height: 30px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME_KO, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_NAME_EN, QHeaderView.ResizeMode.Stretch)
        # Several codes make a long cell: it shares the room with the names, never takes theirs.
        header.setSectionResizeMode(COL_BARCODES, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.SelectedClicked
            | QTableView.EditTrigger.EditKeyPressed
        )

        self.title_label = QLabel()
        set_role(self.title_label, ROLE_TITLE)
        # A USB barcode scanner types the code and Enter: scan a package to find its product.
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("find_barcode")
        self.find_edit.returnPressed.connect(lambda: self.find_barcode(self.find_edit.text()))
        self.status_label = QLabel()
        set_role(self.status_label, ROLE_HINT)
        self.status_label.setWordWrap(True)
        self.add_reason = QLabel()
        self.add_reason.setObjectName("add_product_reason")
        set_role(self.add_reason, ROLE_HINT)
        self.add_reason.setWordWrap(True)
        self.save_button = QPushButton()
        self.revert_button = QPushButton()
        self.add_button = QPushButton()
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        # Products the detector was not trained on are taught from photos (with a teacher).
        self.teach_button = QPushButton()
        self.teach_button.setVisible(teacher is not None)
        self.teach_button.clicked.connect(lambda: self.open_teach_dialog())
        # After a scan of a code no product has: teach the product it is on.
        self.teach_barcode_button = QPushButton()
        set_role(self.teach_barcode_button, ROLE_LINK)
        self.teach_barcode_button.hide()
        self.teach_barcode_button.clicked.connect(
            lambda: self.open_teach_dialog(self.teach_barcode_button.property("barcode"))
        )
        # Once real products are taught: the detector's own (the demo's) off sale, in one tap.
        self.detector_products_off_button = QPushButton()
        self.detector_products_off_button.setObjectName("detector_products_off_button")
        set_role(self.detector_products_off_button, ROLE_LINK)
        self.detector_products_off_button.hide()
        self.detector_products_off_button.clicked.connect(self.stage_detector_products_off)
        set_role(self.save_button, ROLE_PRIMARY)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.reload)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        # Two rows: five buttons side by side do not fit a 1024 px screen.
        edits = QHBoxLayout()
        files = QHBoxLayout()
        for row, row_buttons in (
            (edits, (self.save_button, self.revert_button)),
            (
                files,
                (self.teach_button, self.add_button, self.import_button, self.export_button),
            ),
        ):
            for button in row_buttons:
                row.addWidget(button)
            row.addStretch(1)

        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        heading.addWidget(self.title_label, 1)
        heading.addWidget(self.find_edit)
        layout.addLayout(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.teach_barcode_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.detector_products_off_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(edits)
        layout.addLayout(files)
        layout.addWidget(self.add_reason)
        self.retranslate()
        self.reload()

    # ----- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Products and prices"))
        self.find_edit.setPlaceholderText(self.tr("Scan or type a barcode"))
        placeholder = self.find_edit.fontMetrics().horizontalAdvance(
            self.find_edit.placeholderText()
        )
        self.find_edit.setMinimumWidth(placeholder + 40)
        self.save_button.setText(self.tr("Save changes"))
        self.revert_button.setText(self.tr("Discard changes"))
        self.add_button.setText(self.tr("Add product…"))
        self.teach_button.setText(self.tr("Teach a product…"))
        self.teach_barcode_button.setText(self.tr("Teach it as a new product…"))
        self.detector_products_off_button.setText(self.tr("Take them off sale"))
        self.import_button.setText(self.tr("Import CSV…"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COL_BARCODES)
        self._update_add_button()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, lang: str) -> None:
        """ "ko" or "en": how prices are written (1,500원 or ₩1,500)."""
        self.model.lang = lang
        self.model.dataChanged.emit(
            self.model.index(0, COL_PRICE), self.model.index(self.model.rowCount() - 1, COL_PRICE)
        )

    # ----- load and save -----------------------------------------------------------------------

    def reload(self) -> None:
        """Show what the database holds, dropping unsaved edits."""
        try:
            catalog = self._repository.load()
        except CatalogStoreError as exc:
            log.error("cannot load the catalog: %s", exc)
            self._warn(self.tr("Cannot read the catalog"), str(exc))
            return
        self.model.set_catalog(catalog)
        self._update_add_button()

    def has_pending_changes(self) -> bool:
        return bool(self.model.pending())

    def save(self) -> None:
        """Write every pending edit; on any failure say so. Then show what is really stored."""
        stored_any = False
        failure: str | None = None
        for before, after in self.model.pending():
            try:
                if replace(before, active=after.active) == after:
                    self._repository.set_active(after.sku, after.active)
                else:
                    self._repository.upsert(after)
            except (ValueError, KeyError, CatalogStoreError) as exc:
                log.error("saving product %s failed: %s", after.sku, exc)
                failure = self.tr("Product {sku}: {error}").format(sku=after.sku, error=exc)
                break
            stored_any = True
        self.reload()
        if stored_any:
            self.catalog_changed.emit()
        if failure is not None:
            self._warn(self.tr("Not all changes were saved"), failure)
        elif stored_any:
            self.status_label.setText(self.tr("Saved."))

    def find_barcode(self, text: str) -> bool:
        """Select the product with this barcode (typed or scanned); say so when none has it."""
        code = text.strip()
        if not code:
            return False
        shown = Catalog(self.model.product(row) for row in range(self.model.rowCount()))
        product = shown.for_barcode(code)
        self.teach_barcode_button.setVisible(product is None and self._teacher is not None)
        if product is None:
            self.status_label.setText(self.tr("No product has barcode {code}.").format(code=code))
            self.teach_barcode_button.setProperty("barcode", code)
            return False
        row = self.model.row_of(product.sku)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        name = product.name(self.model.lang)
        self.status_label.setText(self.tr("Barcode {code}: {name}.").format(code=code, name=name))
        self.find_edit.clear()
        return True

    # ----- teach -------------------------------------------------------------------------------

    def open_teach_dialog(self, barcode: str = "") -> TeachDialog:
        """The "Teach a product" wizard, the barcode filled in when one was scanned."""
        assert self._teacher is not None
        self.teach_dialog = TeachDialog(self._teacher, self._counter_frame, self, barcode=barcode)
        self.teach_dialog.taught.connect(self.product_taught)
        self.teach_dialog.empty_counter_taken.connect(self.empty_counter_taken)
        self.teach_dialog.open()
        return self.teach_dialog

    def product_taught(self, product: Product) -> None:
        """A product was taught (here, or at the checkout from an unknown item): listed, the
        edits not yet saved kept, and the kiosk told (``catalog_changed``)."""
        pending = self.model.pending()
        self.reload()
        for _before, after in pending:
            self.model.stage_edit(self.model.row_of(after.sku), after)
        self.teach_barcode_button.hide()
        self.find_edit.clear()
        text = self.tr("Taught {name} ({sku}).").format(name=product.name_en, sku=product.sku)
        if self._teacher is not None and self._teacher.empty_counter is None:
            # Taught from image files alone: nothing at the counter would find it, silently.
            text += " " + self.tr(
                "Checkout finds it once the empty counter is taken: Teach a product… → "
                "Take empty counter."
            )
        on_sale = bool(self._detector_products_on_sale())
        if on_sale:
            # The demo detector reports its own products on real ones (in 780 of 781 real
            # photos): while they are on sale, those mistakes are charged.
            text += " " + self.tr(
                "The detector's own products are on sale too: it may take real products for them."
            )
        self.detector_products_off_button.setVisible(on_sale)
        self.status_label.setText(text)
        self.catalog_changed.emit()

    def _detector_products_on_sale(self) -> list[int]:
        """Rows of the products the detector recognises (not taught) that are on sale."""
        return [
            row
            for row in range(self.model.rowCount())
            if self.model.product(row).active
            and self.model.product(row).class_name in self._class_names
        ]

    def stage_detector_products_off(self) -> None:
        """Mark every product the detector recognises off sale, unsaved: saving keeps it,
        discarding undoes it. A store of taught products keeps the demo's out of its carts."""
        for row in self._detector_products_on_sale():
            self.model.stage_edit(row, replace(self.model.product(row), active=False))
        self.detector_products_off_button.hide()
        self.status_label.setText(
            self.tr(
                "The detector's products are marked off sale: Save changes keeps it, Discard "
                "changes undoes it."
            )
        )

    # ----- add ---------------------------------------------------------------------------------

    def free_classes(self) -> list[str]:
        used = {self.model.stored_product(r).class_name for r in range(self.model.rowCount())}
        return [name for name in self._class_names if name not in used]

    def _update_add_button(self) -> None:
        """A greyed-out button says why on the page itself (a touch screen has no tooltips)."""
        free = bool(self.free_classes())
        self.add_button.setEnabled(free)
        self.add_reason.setText(
            ""
            if free
            else self.tr(
                "Add product… is off: every detector class already has a product. "
                "Train the product model with the new product first."
            )
        )
        self.add_reason.setVisible(not free)

    def _on_add_clicked(self) -> None:
        skus = [self.model.stored_product(r).sku for r in range(self.model.rowCount())]
        self.add_dialog = AddProductDialog(self.free_classes(), skus, self)
        self.add_dialog.accepted.connect(self._on_add_accepted)
        self.add_dialog.open()

    def _on_add_accepted(self) -> None:
        assert self.add_dialog is not None and self.add_dialog.product is not None
        product = self.add_dialog.product
        try:
            self._repository.upsert(product)
        except (ValueError, CatalogStoreError) as exc:
            log.error("adding product %s failed: %s", product.sku, exc)
            self._warn(self.tr("The product was not added"), str(exc))
            self.reload()
            return
        # Unsaved edits of other rows survive an add: reload only if there are none.
        pending = self.model.pending()
        self.reload()
        for _before, after in pending:
            self.model.stage_edit(self.model.row_of(after.sku), after)
        self.status_label.setText(self.tr("Added {sku}.").format(sku=product.sku))
        self.catalog_changed.emit()

    # ----- CSV ---------------------------------------------------------------------------------

    def _on_import_clicked(self) -> None:
        if self.has_pending_changes():
            answer = QMessageBox.question(
                self,
                self.tr("Import CSV"),
                self.tr("Importing discards your unsaved changes. Continue?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        chosen = file_picker.choose(
            self,
            self.tr("Import catalog CSV"),
            self.tr("CSV files (*.csv);;All files (*)"),
            file_picker.DOCUMENTS,
        )
        if chosen:
            self.import_csv(Path(chosen[0]))

    def import_csv(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self._warn(self.tr("Cannot read the file"), str(exc))
            return
        try:
            summary = self._repository.replace_from_csv(text, self._class_names or None)
        except CatalogCsvError as exc:
            log.info("catalog CSV %s rejected with %d problem(s)", path, len(exc.errors))
            self.csv_errors_dialog = CsvErrorsDialog(exc.errors, self)
            self.csv_errors_dialog.open()
            return
        except CatalogStoreError as exc:
            log.error("catalog import from %s failed: %s", path, exc)
            self._warn(self.tr("The import failed"), str(exc))
            self.reload()
            return
        self.reload()
        self.catalog_changed.emit()
        self.status_label.setText(
            self.tr(
                "Imported: {added} added, {updated} updated, {deactivated} taken off sale, "
                "{removed} removed."
            ).format(
                added=len(summary.added),
                updated=len(summary.updated),
                deactivated=len(summary.deactivated),
                removed=len(summary.removed),
            )
        )

    def _on_export_clicked(self) -> None:
        chosen = file_picker.choose(
            self,
            self.tr("Export catalog CSV"),
            self.tr("CSV files (*.csv);;All files (*)"),
            file_picker.DOCUMENTS,
            save_as="catalog.csv",
        )
        if chosen:
            self.export_csv(Path(chosen[0]))

    def export_csv(self, path: Path) -> None:
        try:
            # utf-8-sig: spreadsheet programs need the BOM to read the Korean names right; the
            # importer skips it.
            path.write_text(self._repository.export_csv(), encoding="utf-8-sig")
        except (OSError, CatalogStoreError) as exc:
            log.error("catalog export to %s failed: %s", path, exc)
            self._warn(self.tr("The export failed"), str(exc))
            return
        self.status_label.setText(self.tr("Exported to {path}.").format(path=path))

    # ----- feedback ----------------------------------------------------------------------------

    def _on_edit_rejected(self, message: str) -> None:
        self.status_label.setText(message)

    def _on_pending_changed(self) -> None:
        count = len(self.model.pending())
        self.save_button.setEnabled(count > 0)
        self.revert_button.setEnabled(count > 0)
        self.status_label.setText(self.tr("%n unsaved change(s).", "", count) if count else "")

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
