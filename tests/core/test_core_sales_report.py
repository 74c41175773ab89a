"""The sales report's arithmetic and CSV: one row per kiosk and product, nothing counted twice."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from checkout_app.core.sales_report import (
    COLUMNS,
    SoldLine,
    local_day_range,
    report_csv,
    summarize,
)

LINES = [
    SoldLine(1, "till-1", "A1", "Hot Cup Ramen", 2, 2600),
    SoldLine(1, "till-1", "B2", "Cola Can", 1, 1500),
    SoldLine(2, "till-1", "A1", "Hot Cup Ramen (new)", 1, 1300),
    SoldLine(3, "till-2", "A1", "Hot Cup Ramen", 3, 3900),
    SoldLine(4, None, "B2", "Cola Can", 2, 3000),
]


def test_rows_per_kiosk_and_product_with_the_latest_name():
    rows = summarize(LINES)
    assert [(r.kiosk, r.sku, r.name, r.quantity, r.revenue, r.sales) for r in rows] == [
        ("", "B2", "Cola Can", 2, 3000, 1),
        ("till-1", "A1", "Hot Cup Ramen (new)", 3, 3900, 2),
        ("till-1", "B2", "Cola Can", 1, 1500, 1),
        ("till-2", "A1", "Hot Cup Ramen", 3, 3900, 1),
    ]
    assert sum(r.revenue for r in rows) == sum(line.line_total for line in LINES)
    assert summarize([]) == []


def test_csv_has_the_columns_and_neutralises_formulas():
    rows = summarize([SoldLine(1, "till-1", "=cmd|' /C calc'!A0", "=HYPERLINK()", 1, 100)])
    text = report_csv(rows)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == list(COLUMNS)
    assert table[1] == ["till-1", "'=cmd|' /C calc'!A0", "'=HYPERLINK()", "1", "100", "1"]


def test_local_day_range_covers_whole_days_both_included():
    start, end = local_day_range(date(2026, 12, 1), date(2026, 12, 3))
    assert start.tzinfo is not None and end.tzinfo is not None
    assert (start.hour, start.minute, end.hour) == (0, 0, 0)
    assert end.date() == date(2026, 12, 4)
    assert timedelta(days=3, hours=-1) <= end - start <= timedelta(days=3, hours=1)  # DST
    assert start == datetime(2026, 12, 1).astimezone()
    with pytest.raises(ValueError, match="before the first"):
        local_day_range(date(2026, 12, 3), date(2026, 12, 1))
