"""Exactly once under contention: 4 processes × 200 payment attempts with retaps, shared checkout
ids, repeated carts and random delays, on SQLite and on PostgreSQL: 0 sales duplicated, 0 lost,
every sale with exactly its lines, no payment left pending."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
from sqlalchemy import text

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT
from checkout_app.services.payment_load import LoadPlan, cart_for, run_payment_load
from checkout_app.storage.db import close_database, connect, open_database

PLAN = LoadPlan(writers=4, attempts_per_writer=200, max_delay_s=0.004, seed=16)


def stored_sales(url: str) -> tuple[list[tuple], list[tuple], int]:
    """Every transaction, every line and the pending-payment count, read with plain SQL."""
    engine = connect(url)
    try:
        with engine.connect() as connection:
            sales = connection.execute(
                text("SELECT id, checkout_id, total FROM transactions")
            ).all()
            lines = connection.execute(
                text(
                    "SELECT transaction_id, position, sku, qty, unit_price, line_total "
                    "FROM transaction_lines ORDER BY transaction_id, position"
                )
            ).all()
            pending = connection.execute(text("SELECT count(*) FROM pending_payments")).scalar()
    finally:
        engine.dispose()
    return sales, lines, pending


def test_four_writers_record_every_sale_exactly_once(database_url):
    close_database(open_database(database_url))  # the schema, before the writers race
    report = run_payment_load(database_url, PLAN)

    assert report.failed == []
    # The plan really raced: retaps and shared ids make far fewer sales than attempts.
    assert report.attempts == 800
    assert 500 < len(report.expected) < 750
    sales, lines, pending = stored_sales(database_url)

    per_checkout = Counter(checkout_id for _, checkout_id, _ in sales)
    duplicated = [checkout_id for checkout_id, n in per_checkout.items() if n > 1]
    lost = set(report.expected) - set(per_checkout)
    unexpected = set(per_checkout) - set(report.expected)
    assert (duplicated, lost, unexpected) == ([], set(), set())

    lines_of: dict[int, list[tuple]] = {}
    for transaction_id, _position, sku, qty, unit_price, line_total in lines:
        assert line_total == qty * unit_price
        lines_of.setdefault(transaction_id, []).append((sku, qty, unit_price))
    assert set(lines_of) <= {sale_id for sale_id, _, _ in sales}, "lines of no sale"
    for sale_id, checkout_id, total in sales:
        cart = cart_for(report.expected[checkout_id])
        assert lines_of.get(sale_id) == [(ln.sku, ln.qty, ln.unit_price) for ln in cart]
        assert total == sum(ln.line_total for ln in cart)
    assert pending == 0
    print(f"{database_url.split(':')[0]}: {report.summary()}")


def test_payments_bench_writes_json_and_refuses_a_database_in_use(tmp_path, postgres_url, capsys):
    out = tmp_path / "bench.json"
    argv = ["--home", str(tmp_path), "--database-url", postgres_url, "bench", "--payments"]
    assert main([*argv, "--writers", "2", "--attempts", "20", "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["database"] == "postgresql"
    assert (report["writers"], report["attempts"], report["failed"]) == (2, 40, 0)
    assert report["payments_per_s"] > 0 and report["latency_ms"]["median"] > 0
    assert "payments/s" in capsys.readouterr().out

    # Now it holds the bench's sales: a second run would mix them with real ones, so it stops.
    assert main([*argv, "--out", str(tmp_path / "again.json")]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert f"{postgres_url} is not empty" in error and "createdb" in error
    assert not (tmp_path / "again.json").exists()


def test_a_writer_that_cannot_start_fails_the_run_with_its_reason(tmp_path):
    url = f"sqlite:///{tmp_path / 'checkout.db'}"
    close_database(open_database(url))
    with sqlite3.connect(tmp_path / "checkout.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.close()
    with pytest.raises(RuntimeError, match="a payment writer failed") as failed:
        run_payment_load(url, LoadPlan(writers=2, attempts_per_writer=5))
    assert "made by a newer release" in str(failed.value)
