"""Product barcodes in the database and in catalog CSV files: validated, unique, round-tripped."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from checkout_app.core.catalog import CatalogStoreError
from checkout_app.core.catalog_csv import CatalogCsvError, catalog_to_csv, parse_catalog_csv
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import open_database

HEADER = "sku,name_ko,name_en,price,class_name,active,barcodes\n"


@pytest.fixture
def repo(tmp_path):
    return CatalogRepository(open_database(f"sqlite:///{tmp_path / 'db.sqlite'}"))


def csv_text(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def test_barcodes_import_export_and_lookup(repo):
    repo.replace_from_csv(
        csv_text(
            "A,콜라,Cola,1500,cola,1,8801234567893 036000291452",
            "B,물,Water,900,water,1,96385074",
        )
    )
    catalog = repo.load()
    assert catalog.get("A").barcodes == ("8801234567893", "0036000291452")
    assert catalog.for_barcode("036000291452").sku == "A"  # UPC-A finds its GTIN
    assert catalog.for_barcode("96385074").sku == "B"
    assert catalog.for_barcode("4006381333931") is None
    assert parse_catalog_csv(repo.export_csv()).get("A").barcodes == catalog.get("A").barcodes


def test_a_bad_or_duplicate_barcode_rejects_the_file_with_line_numbers(repo):
    with pytest.raises(CatalogCsvError) as error:
        repo.replace_from_csv(
            csv_text(
                "A,콜라,Cola,1500,cola,1,8801234567890",
                "B,물,Water,900,water,1,96385074",
                "C,빵,Bread,2000,bread,1,96385074",
            )
        )
    text = str(error.value)
    assert "line 2" in text and "wrong check digit 0" in text
    assert "line 4" in text and "already used on line 3" in text
    assert len(repo.load()) == 0, "nothing applied"


def test_barcodes_move_between_products_in_one_import(repo):
    repo.replace_from_csv(
        csv_text("A,콜라,Cola,1500,cola,1,8801234567893", "B,물,Water,900,water,1,96385074")
    )
    repo.replace_from_csv(
        csv_text("A,콜라,Cola,1500,cola,1,96385074", "B,물,Water,900,water,1,8801234567893")
    )
    catalog = repo.load()
    assert catalog.for_barcode("96385074").sku == "A"
    assert catalog.for_barcode("8801234567893").sku == "B"
    # A product left out of the file is deactivated; a code the file gives away leaves it.
    repo.replace_from_csv(csv_text("C,빵,Bread,2000,bread,1,96385074"))
    catalog = repo.load()
    assert catalog.for_barcode("96385074").sku == "C"
    assert not catalog.get("A").active and catalog.get("A").barcodes == ()


def test_a_file_without_the_barcodes_column_still_imports(repo):
    repo.replace_from_csv("sku,name_ko,name_en,price,class_name,active\nA,콜라,Cola,1500,cola,1\n")
    assert repo.load().get("A").barcodes == ()


def test_upsert_refuses_a_barcode_another_product_has(repo):
    repo.replace_from_csv(
        csv_text("A,콜라,Cola,1500,cola,1,8801234567893", "B,물,Water,900,water,1,")
    )
    water = repo.load().get("B")
    with pytest.raises(ValueError, match="already used by SKU A"):
        repo.upsert(dataclasses.replace(water, barcodes=("8801234567893",)))
    cola = repo.load().get("A")
    repo.upsert(dataclasses.replace(cola, barcodes=("96385074", "8801234567893")))
    assert repo.load().get("A").barcodes == ("96385074", "8801234567893")


def test_export_writes_an_empty_barcode_cell_for_a_product_without_one(repo):
    repo.replace_from_csv(csv_text("A,콜라,Cola,1500,cola,1,"))
    assert catalog_to_csv(repo.load()).splitlines()[1].endswith(",1,")


def _store_raw(tmp_path, sql: str) -> None:
    """Write past the app's checks, as an older release or a hand edit could have."""
    with sqlite3.connect(tmp_path / "db.sqlite") as connection:
        connection.execute(sql)


def test_a_stored_barcode_with_a_wrong_check_digit_is_left_out_with_a_warning(
    repo, tmp_path, caplog
):
    repo.replace_from_csv(csv_text("A,콜라,Cola,1500,cola,1,8801234567893"))
    _store_raw(
        tmp_path,
        "INSERT INTO product_barcodes (barcode, sku, position) VALUES ('8801234567890', 'A', 1)",
    )
    catalog = repo.load()
    assert catalog.get("A").barcodes == ("8801234567893",)
    assert "stored barcode left out" in caplog.text and "8801234567890" in caplog.text
    # Importing the product again stores only its valid codes.
    repo.replace_from_csv(csv_text("A,콜라,Cola,1500,cola,1,8801234567893"))
    with sqlite3.connect(tmp_path / "db.sqlite") as connection:
        stored = connection.execute("SELECT barcode FROM product_barcodes").fetchall()
    assert stored == [("8801234567893",)]


def test_a_stored_product_that_breaks_the_rules_is_one_clear_error_and_an_import_fixes_it(
    repo, tmp_path
):
    repo.replace_from_csv(csv_text("A,콜라,Cola,1500,cola,1,"))
    _store_raw(
        tmp_path, "UPDATE products SET name_en = 'Co' || char(27) || '[31mla' WHERE sku = 'A'"
    )
    with pytest.raises(
        CatalogStoreError, match=r"product 'A' in the database cannot be used.*catalog import"
    ):
        repo.load()
    summary = repo.replace_from_csv(csv_text("A,콜라,Cola,1500,cola,1,"))
    assert summary.updated == ("A",) and repo.load().get("A").name_en == "Cola"
