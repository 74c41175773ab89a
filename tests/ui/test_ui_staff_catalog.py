"""CatalogPage on a real SQLite catalog seeded with the demo products."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from checkout_app.core.catalog import CatalogStoreError
from checkout_app.core.catalog_csv import COLUMNS, load_catalog_csv
from checkout_app.core.money import parse_price_input
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, default_database_url, open_database
from checkout_app.ui import file_picker
from checkout_app.ui.staff.catalog_page import (
    COL_ACTIVE,
    COL_BARCODES,
    COL_NAME_EN,
    COL_PRICE,
    CatalogPage,
)

EXTRA_CLASSES = ["mystery_box", "gift_card"]


@pytest.fixture
def repo(tmp_path):
    sessions = open_database(default_database_url(tmp_path))
    repository = CatalogRepository(sessions)
    repository.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH))
    yield repository
    close_database(sessions)


@pytest.fixture
def class_names(repo) -> list[str]:
    return [p.class_name for p in repo.load()] + EXTRA_CLASSES


@pytest.fixture
def warnings(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, text, *a: shown.append((title, text))
    )
    return shown


@pytest.fixture
def page(qtbot, repo, class_names, warnings, themed):
    widget = CatalogPage(repo, class_names)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    return widget


def row_of(page: CatalogPage, sku: str) -> int:
    return page.model.row_of(sku)


@pytest.mark.parametrize(
    ("text", "won"), [("1500", 1500), ("1,500", 1500), ("₩1,500", 1500), (" 1,500원 ", 1500)]
)
def test_parse_price_input_accepts_what_staff_type(text, won):
    assert parse_price_input(text) == won


@pytest.mark.parametrize("text", ["", "-5", "1.5", "abc", "₩"])
def test_parse_price_input_rejects_non_won(text):
    with pytest.raises(ValueError):
        parse_price_input(text)


def test_table_shows_the_stored_catalog(page, repo):
    assert page.model.rowCount() == len(repo.load())
    row = row_of(page, "8800001000028")
    assert page.model.index(row, COL_PRICE).data() == "₩1,500"
    assert page.model.index(row, COL_NAME_EN).data() == "Cola Can 355ml"
    page.set_language("ko")
    assert page.model.index(row, COL_PRICE).data() == "1,500원"
    assert not page.save_button.isEnabled()


def test_edit_price_is_stored_after_save(page, repo, qtbot, themed, screenshot):
    changed = []
    page.catalog_changed.connect(lambda: changed.append(True))
    row = row_of(page, "8800001000028")
    assert page.model.setData(page.model.index(row, COL_PRICE), "1,800")
    assert page.model.setData(
        page.model.index(row, COL_ACTIVE), Qt.CheckState.Unchecked.value, Qt.CheckStateRole
    )
    assert repo.load().get("8800001000028").price == 1500  # nothing stored before Save
    assert page.save_button.isEnabled()
    assert "1 unsaved change" in page.status_label.text()
    screenshot(page, "staff_catalog_pending.png")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    stored = repo.load().get("8800001000028")
    assert (stored.price, stored.active) == (1800, False)
    assert changed == [True]
    assert page.model.index(row, COL_PRICE).data() == "₩1,800"
    assert not page.has_pending_changes()


def test_active_only_change_goes_through_set_active(page, repo, monkeypatch):
    calls = []
    monkeypatch.setattr(repo, "upsert", lambda p: calls.append(("upsert", p.sku)))
    real_set_active = repo.set_active
    monkeypatch.setattr(
        repo,
        "set_active",
        lambda sku, on: (calls.append(("set_active", sku)), real_set_active(sku, on)),
    )
    row = row_of(page, "8800001000011")
    page.model.setData(
        page.model.index(row, COL_ACTIVE), Qt.CheckState.Unchecked.value, Qt.CheckStateRole
    )
    page.save()
    assert calls == [("set_active", "8800001000011")]
    assert not repo.load().get("8800001000011").active


@pytest.mark.parametrize(
    ("column", "value"), [(COL_PRICE, "-100"), (COL_PRICE, "12.5"), (COL_NAME_EN, "  ")]
)
def test_invalid_edits_are_refused_with_a_message(page, column, value):
    row = row_of(page, "8800001000028")
    assert not page.model.setData(page.model.index(row, column), value)
    assert page.status_label.text()
    assert not page.has_pending_changes()


def test_a_failed_save_warns_and_shows_what_is_stored(page, repo, warnings, monkeypatch):
    def fail(_product):
        raise ValueError("database said no")

    monkeypatch.setattr(repo, "upsert", fail)
    row = row_of(page, "8800001000028")
    page.model.setData(page.model.index(row, COL_PRICE), "9999")
    page.save()
    assert len(warnings) == 1 and "database said no" in warnings[0][1]
    assert page.model.index(row, COL_PRICE).data() == "₩1,500"
    assert not page.has_pending_changes()


def test_add_product_uses_a_free_detector_class(page, repo, qtbot, themed, screenshot):
    changed = []
    page.catalog_changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.add_dialog
    assert dialog is not None
    combo_items = [dialog.class_combo.itemText(i) for i in range(dialog.class_combo.count())]
    assert combo_items == EXTRA_CLASSES
    dialog.sku_edit.setText("8800001000011")  # taken
    dialog.name_ko_edit.setText("미스터리 박스")
    dialog.name_en_edit.setText("Mystery Box")
    dialog.price_edit.setText("5,000")
    dialog.buttons.accepted.emit()
    assert "already in the catalog" in dialog.error_label.text()
    dialog.sku_edit.setText("8800009999999")
    dialog.adjustSize()
    screenshot(dialog, "staff_catalog_add.png")
    dialog.buttons.accepted.emit()

    product = repo.load().get("8800009999999")
    assert (product.name_ko, product.price, product.class_name) == (
        "미스터리 박스",
        5000,
        "mystery_box",
    )
    assert changed == [True]
    assert page.free_classes() == ["gift_card"]


def test_add_is_disabled_when_every_class_has_a_product(qtbot, repo, warnings):
    page = CatalogPage(repo, [p.class_name for p in repo.load()])
    qtbot.addWidget(page)
    page.show()
    assert not page.add_button.isEnabled()
    assert page.add_reason.isVisible() and "Train" in page.add_reason.text()


def test_bad_csv_import_lists_line_numbers_and_changes_nothing(
    page, repo, tmp_path, monkeypatch, themed, screenshot
):
    before = repo.export_csv()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        ",".join(COLUMNS)
        + "\n8800001000011,라면,Ramen,1300,ramen_cup,1\n"
        + "8800001000028,콜라,Cola,free,cola_can,1\n"
        + "8800001000035,물,Water,900,unknown_thing,1\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: [str(bad)])
    changed = []
    page.catalog_changed.connect(lambda: changed.append(True))
    page.import_button.click()

    dialog = page.csv_errors_dialog
    assert dialog is not None
    text = dialog.errors_view.toPlainText()
    assert "Line 3: price 'free'" in text
    assert "Line 4: unknown detector class 'unknown_thing'" in text
    assert "Line 2" not in text
    assert repo.export_csv() == before
    assert changed == []
    dialog.resize(720, 360)
    screenshot(dialog, "staff_catalog_csv_errors.png")


def test_good_csv_import_and_export_round_trip(page, repo, tmp_path, monkeypatch):
    out = tmp_path / "out.csv"
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: [str(out)])
    page.export_button.click()
    exported = out.read_text(encoding="utf-8-sig")
    assert exported == repo.export_csv()

    edited = out.read_text(encoding="utf-8-sig").replace(",1500,cola_can,", ",1600,cola_can,")
    out.write_text(edited, encoding="utf-8-sig")
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: [str(out)])
    changed = []
    page.catalog_changed.connect(lambda: changed.append(True))
    page.import_button.click()
    assert page.csv_errors_dialog is None
    assert repo.load().get("8800001000028").price == 1600
    assert page.model.index(row_of(page, "8800001000028"), COL_PRICE).data() == "₩1,600"
    assert "1 updated" in page.status_label.text()
    assert changed == [True]


def test_import_with_unsaved_edits_asks_first(page, repo, monkeypatch):
    row = row_of(page, "8800001000028")
    page.model.setData(page.model.index(row, COL_PRICE), "2000")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    opened = []
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: opened.append(1) or [])
    page.import_button.click()
    assert opened == []
    assert page.has_pending_changes()


def test_staff_give_a_product_barcodes_checked_before_saving(page, repo, warnings, qtbot):
    row = row_of(page, "8800001000028")  # the demo cola, barcode 8800001000021
    assert page.model.index(row, COL_BARCODES).data() == "8800001000021"
    rejected = []
    page.model.edit_rejected.connect(rejected.append)
    assert not page.model.setData(page.model.index(row, COL_BARCODES), "8800001000020")
    assert "check digit" in rejected[-1]
    ramen_code = repo.load().get("8800001000011").barcodes[0]
    assert not page.model.setData(page.model.index(row, COL_BARCODES), ramen_code)
    assert "already belongs to 8800001000011" in rejected[-1]
    # A scanned UPC-A and the old code, comma-separated as a scanner might type them.
    assert page.model.setData(page.model.index(row, COL_BARCODES), "036000291452, 8800001000021")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert repo.load().get("8800001000028").barcodes == ("0036000291452", "8800001000021")
    assert repo.load().for_barcode("036000291452").sku == "8800001000028"


def test_a_scanned_barcode_finds_its_product(page, qtbot):
    find = page.find_edit
    qtbot.keyClicks(find, "8800001000021")  # a USB scanner types the code, then Enter
    qtbot.keyClick(find, Qt.Key.Key_Return)
    assert page.table.selectionModel().selectedRows()[0].row() == row_of(page, "8800001000028")
    assert "Cola Can 355ml" in page.status_label.text() and find.text() == ""
    assert not page.find_barcode("5901234123457")
    assert "No product has barcode 5901234123457" in page.status_label.text()
    assert not page.find_barcode("not a code")


def test_a_database_failure_is_a_warning_and_the_table_keeps_what_it_showed(
    page, repo, warnings, monkeypatch
):
    shown = page.model.rowCount()

    def broken(*args, **kwargs):
        raise CatalogStoreError("the database failed: disk I/O error")

    monkeypatch.setattr(repo, "load", broken)
    page.reload()
    assert warnings == [("Cannot read the catalog", "the database failed: disk I/O error")]
    assert page.model.rowCount() == shown
