"""``checkout-app report sales`` end to end, on SQLite and PostgreSQL: sales of two kiosks and
an older sale without a kiosk, reported per kiosk and product over whole local days."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT
from checkout_app.core.cart import CartLine
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.transaction_repository import TransactionRepository

RAMEN = CartLine("A1", "Hot Cup Ramen", 2, 1300)
COLA = CartLine("B2", "Cola Can", 1, 1500)


@pytest.fixture
def store(database_url):
    """Sales on 1 and 2 December (local time) at two kiosks, and one on 5 December."""
    day = datetime(2026, 12, 1, 12, 0).astimezone()
    sessions = open_database(database_url)
    sales = TransactionRepository(sessions)
    sales.record("s1", [RAMEN, COLA], 4100, created_at=day, kiosk_id="till-1")
    sales.record("s2", [RAMEN], 2600, created_at=day + timedelta(hours=1), kiosk_id="till-2")
    sales.record("s3", [COLA], 1500, created_at=day + timedelta(days=1), kiosk_id="till-1")
    sales.record("s4", [COLA], 1500, created_at=day + timedelta(days=4), kiosk_id="till-1")
    close_database(sessions)
    return database_url


def report(tmp_path, url, *options) -> tuple[int, list[list[str]]]:
    out = tmp_path / "sales.csv"
    argv = ["--home", str(tmp_path), "--database-url", url, "report", "sales"]
    code = main([*argv, *options, "--out", str(out)])
    return code, list(csv.reader(out.open(encoding="utf-8"))) if out.exists() else []


def test_sales_per_kiosk_and_product_over_days(tmp_path, store, capsys):
    code, rows = report(tmp_path, store, "--from", "2026-12-01", "--to", "2026-12-02")
    assert code == 0
    assert rows == [
        ["kiosk", "sku", "name", "quantity", "revenue_won", "sales"],
        ["till-1", "A1", "Hot Cup Ramen", "2", "2600", "1"],
        ["till-1", "B2", "Cola Can", "2", "3000", "2"],
        ["till-2", "A1", "Hot Cup Ramen", "2", "2600", "1"],
    ]
    out = capsys.readouterr().out
    assert "3 sales" in out and "8,200" in out and "2 kiosk(s) (till-1, till-2)" in out


def test_one_kiosk_and_one_day(tmp_path, store):
    code, rows = report(
        tmp_path, store, "--from", "2026-12-01", "--to", "2026-12-01", "--kiosk", "till-2"
    )
    assert (code, rows[1:]) == (0, [["till-2", "A1", "Hot Cup Ramen", "2", "2600", "1"]])


def test_bad_days_are_one_line_errors(tmp_path, store, capsys):
    code, rows = report(tmp_path, store, "--from", "2026-12-05", "--to", "2026-12-01")
    assert (code, rows) == (EXIT_BAD_INPUT, [])
    assert "before the first" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        report(tmp_path, store, "--from", "1 Dec", "--to", "2026-12-01")
    assert "is not a date: YYYY-MM-DD" in capsys.readouterr().err
