"""The store's sales report: what was sold, per kiosk and product, over a range of days.

``checkout-app report sales`` reads the sold lines from the database and hands them here; this
module only adds them up and writes the CSV (one row per kiosk and product, so a spreadsheet
can pivot either way without counting a total twice).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, NamedTuple

from checkout_app.core.spreadsheet import spreadsheet_safe

COLUMNS = ("kiosk", "sku", "name", "quantity", "revenue_won", "sales")


class SoldLine(NamedTuple):
    """One line of one recorded sale."""

    transaction_id: int
    kiosk_id: str | None  # None: recorded before sales kept their kiosk
    sku: str
    name: str
    qty: int
    line_total: int


@dataclass(frozen=True)
class ReportRow:
    kiosk: str  # "" for sales that recorded no kiosk
    sku: str
    name: str  # the name on the latest sale of the range
    quantity: int
    revenue: int  # won
    sales: int  # transactions with this product


def local_day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last`` (both included) in this machine's
    time zone, as timezone-aware times; ValueError when ``last`` is before ``first``."""
    if last < first:
        raise ValueError(f"the last day ({last}) is before the first ({first})")
    start = datetime(first.year, first.month, first.day).astimezone()
    after = last + timedelta(days=1)
    return start, datetime(after.year, after.month, after.day).astimezone()


def summarize(lines: Iterable[SoldLine]) -> list[ReportRow]:
    """One row per kiosk and product, sorted by kiosk then SKU (lines come oldest first)."""
    names: dict[tuple[str, str], str] = {}
    quantity: Counter = Counter()
    revenue: Counter = Counter()
    sales: defaultdict = defaultdict(set)
    for line in lines:
        key = (line.kiosk_id or "", line.sku)
        names[key] = line.name
        quantity[key] += line.qty
        revenue[key] += line.line_total
        sales[key].add(line.transaction_id)
    return [
        ReportRow(*key, names[key], quantity[key], revenue[key], len(sales[key]))
        for key in sorted(names)
    ]


def report_csv(rows: Iterable[ReportRow]) -> str:
    """The report as CSV text, every text cell safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                spreadsheet_safe(row.kiosk),
                spreadsheet_safe(row.sku),
                spreadsheet_safe(row.name),
                row.quantity,
                row.revenue,
                row.sales,
            ]
        )
    return out.getvalue()
