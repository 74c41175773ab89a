"""TransactionRepository: a completed checkout is stored exactly once and survives a restart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from checkout_app.core.cart import CartLine
from checkout_app.storage.db import close_database, default_database_url, open_database
from checkout_app.storage.transaction_repository import (
    TransactionConflictError,
    TransactionRepository,
)

LINES = [CartLine("A1", "Hot Cup Ramen", 2, 1300), CartLine("B2", "Cola Can", 1, 1500)]
TOTAL = 4100


@pytest.fixture
def repo(session_factory):
    return TransactionRepository(session_factory)


def test_record_and_read_back(repo):
    record = repo.record(
        "co-1", LINES, TOTAL, paid_by_person_id="p-7", paid_by_name="Kim", receipt_text="RECEIPT"
    )
    assert record.total == TOTAL
    assert record.currency == "KRW"
    assert record.status == "completed"
    assert record.lines == tuple(LINES)
    assert record.created_at.tzinfo is not None
    assert repo.get("co-1") == record
    assert repo.get("co-unknown") is None


def test_same_checkout_id_is_recorded_once(repo):
    first = repo.record("co-1", LINES, TOTAL)
    again = repo.record("co-1", LINES, TOTAL)
    assert again == first
    assert repo.count() == 1


def test_insert_race_returns_the_winners_record(repo, monkeypatch):
    winner = repo.record("co-1", LINES, TOTAL)
    real_find = TransactionRepository._find
    calls = []

    def find_missing_first_time(session, checkout_id):
        # As if another kiosk committed between our look-up and our insert.
        calls.append(checkout_id)
        return None if len(calls) == 1 else real_find(session, checkout_id)

    monkeypatch.setattr(TransactionRepository, "_find", staticmethod(find_missing_first_time))
    assert repo.record("co-1", LINES, TOTAL) == winner
    assert len(calls) == 2
    assert repo.count() == 1


def test_same_checkout_id_with_another_cart_is_refused(repo):
    repo.record("co-1", LINES, TOTAL)
    with pytest.raises(TransactionConflictError):
        repo.record("co-1", LINES[:1], 2600)
    assert repo.count() == 1


@pytest.mark.parametrize(
    ("lines", "total", "message"),
    [
        ([], 0, "empty cart"),
        (LINES, TOTAL + 1, "does not match"),
        ([CartLine("A1", "Ramen", 0, 1300)], 0, "quantity"),
        ([CartLine("A1", "Ramen", 1, -5)], -5, "must not be negative"),
    ],
)
def test_invalid_sales_are_refused(repo, lines, total, message):
    with pytest.raises(ValueError, match=message):
        repo.record("co-bad", lines, total)
    assert repo.count() == 0


def test_transaction_survives_reopening_the_database(tmp_path):
    url = default_database_url(tmp_path)
    first = open_database(url)
    recorded = TransactionRepository(first).record("co-1", LINES, TOTAL, receipt_text="R")
    close_database(first)

    reopened = open_database(url)
    try:
        assert TransactionRepository(reopened).get("co-1") == recorded
    finally:
        close_database(reopened)


def test_recent_is_newest_first_and_keeps_utc(repo):
    kst = timezone(timedelta(hours=9))
    base = datetime(2024, 5, 1, 18, 0, tzinfo=kst)
    for i in range(3):
        repo.record(f"co-{i}", LINES, TOTAL, created_at=base + timedelta(minutes=i))
    recent = repo.recent(2)
    assert [r.checkout_id for r in recent] == ["co-2", "co-1"]
    assert recent[0].created_at == base + timedelta(minutes=2)
    assert recent[0].created_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        repo.record("co-naive", LINES, TOTAL, created_at=datetime(2024, 5, 1))


def test_a_payment_the_kiosk_showed_leaves_nothing_for_staff(repo):
    repo.record_payment("co-1", LINES, TOTAL, paid_by_person_id="7", paid_by_name="Kim")
    repo.end_payment("co-1")
    assert repo.interrupted_payments() == []
    assert repo.count() == 1


def test_interrupted_payments_say_whether_they_were_charged(repo, session_factory):
    repo.record_payment("charged", LINES, TOTAL, paid_by_name="Kim")  # crash before the screen
    repo.begin_payment("not-charged", LINES, TOTAL, "Lee")  # crash before the sale's commit
    restarted = TransactionRepository(session_factory)
    found = {p.checkout_id: p for p in restarted.interrupted_payments()}
    assert set(found) == {"charged", "not-charged"}
    assert found["charged"].charged and not found["not-charged"].charged
    assert found["charged"].summary == "Hot Cup Ramen x2, Cola Can x1"
    assert found["not-charged"].paid_by_name == "Lee" and found["not-charged"].total == TOTAL
    for checkout_id in found:
        restarted.end_payment(checkout_id)
    assert restarted.interrupted_payments() == [] and restarted.count() == 1


def test_a_kiosk_lists_its_own_interrupted_payments_not_another_kiosks_under_way(repo):
    repo.record_payment("till-1-paying", LINES, TOTAL, paid_by_name="Kim", kiosk_id="till-1")
    repo.begin_payment("till-2-crashed", LINES, TOTAL, "Lee", kiosk_id="till-2")
    repo.begin_payment("from-before-kiosk-ids", LINES, TOTAL, "Park")
    mine = {p.checkout_id for p in repo.interrupted_payments("till-2")}
    assert mine == {"till-2-crashed", "from-before-kiosk-ids"}
    everyone = {p.checkout_id for p in repo.interrupted_payments()}
    assert everyone == mine | {"till-1-paying"}


def test_sold_lines_in_a_time_range_and_of_one_kiosk(repo):
    base = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    repo.record("co-1", LINES, TOTAL, created_at=base, kiosk_id="till-1")
    repo.record("co-2", LINES[:1], 2600, created_at=base + timedelta(hours=1), kiosk_id="till-2")
    repo.record("co-3", LINES, TOTAL, created_at=base + timedelta(days=1))  # before kiosk ids
    assert repo.get("co-1").kiosk_id == "till-1" and repo.get("co-3").kiosk_id is None

    day = repo.sold_lines(base, base + timedelta(days=1))
    assert [(line.kiosk_id, line.sku, line.qty) for line in day] == [
        ("till-1", "A1", 2),
        ("till-1", "B2", 1),
        ("till-2", "A1", 2),
    ]
    assert day[0].transaction_id == day[1].transaction_id != day[2].transaction_id
    assert [line.sku for line in repo.sold_lines(base, base.replace(year=2027), "till-2")] == ["A1"]
    assert len(repo.sold_lines(base, base + timedelta(days=2))) == 5
    assert repo.sold_lines(base + timedelta(days=3), base + timedelta(days=4)) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        repo.sold_lines(datetime(2026, 12, 1), base)


def test_noting_a_payment_again_keeps_one_entry_and_its_start(repo):
    repo.begin_payment("co-1", LINES, TOTAL, "Kim")
    [first] = repo.interrupted_payments()
    repo.begin_payment("co-1", LINES[:1], 2600, "Lee")  # the retry after a lost answer
    [again] = repo.interrupted_payments()
    assert again.started_at == first.started_at
    assert (again.total, again.paid_by_name, again.summary) == (2600, "Lee", "Hot Cup Ramen x2")
