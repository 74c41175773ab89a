"""``checkout-app report sales``: what the store sold, per kiosk and product, as CSV.

Days are whole days in this machine's time zone, both ends included. Every sale records the
kiosk that made it (the ``kiosk_id`` kiosk setting); sales recorded before release 0.2 have
none and are reported under an empty kiosk.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from checkout_app.cli.args import database_url
from checkout_app.cli.errors import CliError
from checkout_app.core.money import format_won
from checkout_app.core.sales_report import local_day_range, report_csv, summarize
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.transaction_repository import TransactionRepository


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: YYYY-MM-DD") from None


def add_report_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``report`` and its sub-commands on the top-level CLI's sub-parsers."""
    report = subparsers.add_parser("report", help="store reports from the sales database")
    kinds = report.add_subparsers(dest="report_kind", required=True)
    sales = kinds.add_parser(
        "sales", help="units and revenue per kiosk and product over a range of days, as CSV"
    )
    sales.add_argument(
        "--from", dest="first", type=_day, required=True, help="first day (YYYY-MM-DD)"
    )
    sales.add_argument("--to", dest="last", type=_day, required=True, help="last day, included")
    sales.add_argument("--kiosk", help="only the sales of this kiosk (its kiosk_id setting)")
    sales.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    sales.set_defaults(func=_cmd_sales)


def _cmd_sales(args: argparse.Namespace) -> int:
    try:
        start, end = local_day_range(args.first, args.last)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    sessions = open_database(database_url(args))
    try:
        lines = TransactionRepository(sessions).sold_lines(start, end, kiosk_id=args.kiosk)
    finally:
        close_database(sessions)
    rows = summarize(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report_csv(rows), encoding="utf-8")
    sales = len({line.transaction_id for line in lines})
    revenue = sum(row.revenue for row in rows)
    kiosks = sorted({row.kiosk or "no kiosk recorded" for row in rows})
    print(
        f"{args.first} to {args.last}: {sales} sales, {format_won(revenue)}, "
        f"{len(rows)} rows for {len(kiosks)} kiosk(s) ({', '.join(kiosks) or 'none'}) "
        f"-> {args.out}"
    )
    return 0
