"""CatalogRepository on a real SQLite file: seeding, CSV import (good and bad), export."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from checkout_app.core.catalog import Catalog, CatalogStoreError, Product
from checkout_app.core.catalog_csv import COLUMNS, CatalogCsvError, load_catalog_csv
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, default_database_url, open_database

HEADER = ",".join(COLUMNS)


@pytest.fixture
def repo(session_factory):
    return CatalogRepository(session_factory)


@pytest.fixture
def demo():
    return load_catalog_csv(DEMO_CATALOG_PATH)


def csv_text(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def test_seed_if_empty_loads_once(repo, demo):
    assert repo.seed_if_empty(demo) is True
    assert list(repo.load()) == list(demo)
    changed = Catalog([Product("1", "가", "A", 10, "a")])
    assert repo.seed_if_empty(changed) is False
    assert list(repo.load()) == list(demo)


def test_import_into_empty_catalog_adds_everything(repo, demo):
    summary = repo.replace_from_csv(DEMO_CATALOG_PATH.read_text(encoding="utf-8"))
    assert sorted(summary.added) == sorted(p.sku for p in demo)
    assert summary.updated == summary.deactivated == summary.removed == ()
    assert list(repo.load()) == list(demo)


def test_import_updates_adds_and_deactivates_missing(repo):
    repo.replace_from_csv(
        csv_text(
            "A1,라면,Ramen,1300,ramen,1", "B2,콜라,Cola,1500,cola,1", "C3,물,Water,900,water,1"
        )
    )
    summary = repo.replace_from_csv(
        csv_text("A1,라면,Ramen,1400,ramen,1", "B2,콜라,Cola,1500,cola,1", "D4,껌,Gum,1000,gum,1")
    )
    assert summary.added == ("D4",)
    assert summary.updated == ("A1",)
    assert summary.unchanged == ("B2",)
    assert summary.deactivated == ("C3",)
    assert summary.removed == ()
    catalog = repo.load()
    assert catalog.get("A1").price == 1400
    # Kept, not deleted: staff can switch it back on if the file was wrong.
    assert catalog.get("C3").active is False
    assert [p.sku for p in catalog.active()] == ["A1", "B2", "D4"]


def test_import_can_swap_detector_classes_and_reassign_a_missing_products_class(repo):
    repo.replace_from_csv(
        csv_text(
            "A1,라면,Ramen,1300,ramen,1", "B2,콜라,Cola,1500,cola,1", "C3,물,Water,900,water,1"
        )
    )
    summary = repo.replace_from_csv(
        csv_text(
            "A1,라면,Ramen,1300,cola,1", "B2,콜라,Cola,1500,ramen,1", "E5,새 물,Water 2,950,water,1"
        )
    )
    assert sorted(summary.updated) == ["A1", "B2"]
    assert summary.added == ("E5",)
    assert summary.removed == ("C3",)  # its class now belongs to E5
    catalog = repo.load()
    assert catalog.for_class("cola").sku == "A1"
    assert catalog.for_class("ramen").sku == "B2"
    assert catalog.for_class("water").sku == "E5"
    assert "C3" not in catalog


@pytest.mark.parametrize(
    ("bad_row", "known_classes", "message"),
    [
        ("X9,,No Korean name,100,new_thing,1", None, "missing name_ko"),
        ("X9,이름,Name,-100,new_thing,1", None, "price '-100'"),
        ("X9,이름,Name,12.5,new_thing,1", None, "price '12.5'"),
        ("8800001000011,이름,Name,100,new_thing,1", None, "duplicate SKU '8800001000011'"),
        ("X9,이름,Name,100,new_thing,1", {"ramen_cup", "cola_can"}, "unknown detector class"),
    ],
)
def test_bad_csv_names_the_line_and_changes_nothing(repo, demo, bad_row, known_classes, message):
    repo.seed_if_empty(demo)
    before = repo.export_csv()
    rows = ["8800001000011,얼큰 컵라면,Hot Cup Ramen,9999,ramen_cup,1", "Z1,콜라,Cola,1,cola_can,1"]
    # The bad row is on line 4 (header is line 1); the good rows would change the catalog.
    text_ = csv_text(*rows, bad_row)
    with pytest.raises(CatalogCsvError) as caught:
        repo.replace_from_csv(text_, known_classes=known_classes)
    assert [e.line for e in caught.value.errors] == [4]
    assert message in str(caught.value)
    assert repo.export_csv() == before


def test_every_bad_line_is_reported(repo):
    with pytest.raises(CatalogCsvError) as caught:
        repo.replace_from_csv(
            csv_text(
                "A1,,Ramen,1300,ramen,1", "B2,콜라,Cola,1500,cola,1", "B2,콜라,Cola,abc,cola2,1"
            )
        )
    assert sorted({e.line for e in caught.value.errors}) == [2, 4]
    assert len(repo.load()) == 0


def test_export_round_trip(repo, demo, session_factory):
    repo.seed_if_empty(demo)
    repo.set_active("8800001000028", False)
    exported = repo.export_csv()
    other = CatalogRepository(session_factory)
    summary = other.replace_from_csv(exported)
    assert summary.added == summary.updated == summary.deactivated == ()
    assert len(summary.unchanged) == len(demo)
    assert other.export_csv() == exported
    assert repo.load().get("8800001000028").active is False


def test_upsert_and_set_active(repo, demo):
    repo.seed_if_empty(demo)
    new = Product("9900000000001", "새 과자", "New Snack", 2000, "new_snack")
    assert repo.upsert(new) is True
    assert repo.upsert(Product(new.sku, new.name_ko, new.name_en, 2100, new.class_name)) is False
    assert repo.load().get(new.sku).price == 2100
    with pytest.raises(ValueError, match="already used by SKU 8800001000011"):
        repo.upsert(Product("9900000000002", "가", "A", 1, "ramen_cup"))
    repo.set_active(new.sku, False)
    assert repo.load().get(new.sku).active is False
    with pytest.raises(KeyError):
        repo.set_active("no-such-sku", True)


def test_sqlite_runs_in_wal_mode(tmp_path):
    sessions = open_database(default_database_url(tmp_path))
    with sessions() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    close_database(sessions)


def test_a_database_failure_is_a_catalog_store_error_not_sqlalchemys(tmp_path):
    sessions = open_database(default_database_url(tmp_path))
    repository = CatalogRepository(sessions)
    repository.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH))
    with sessions.begin() as session:
        session.execute(text("DROP TABLE product_photos"))
        session.execute(text("DROP TABLE product_barcodes"))
        session.execute(text("DROP TABLE products"))
    try:
        for call in (repository.load, lambda: repository.set_active("X", False)):
            with pytest.raises(CatalogStoreError, match="the database failed"):
                call()
    finally:
        close_database(sessions)
