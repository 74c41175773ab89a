"""``checkout-app catalog import|export|list``: staff commands over the catalog in the database.

The database is ``--database-url`` when given, else the SQLite file in the app home. ``export``
and ``list`` on an empty database first load the demo catalog (the first-run state of a kiosk);
``import`` does not, so a store's own catalog never ends up next to inactive demo products.
"""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy.engine import make_url

from checkout_app.cli.args import database_url
from checkout_app.core.catalog_csv import CatalogCsvError, RowError, load_catalog_csv
from checkout_app.core.money import format_won
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, open_database

log = logging.getLogger(__name__)


def add_catalog_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``catalog`` and its sub-commands on the top-level CLI's sub-parsers."""
    catalog = subparsers.add_parser("catalog", help="import, export or list the product catalog")
    actions = catalog.add_subparsers(dest="catalog_action", required=True)

    imp = actions.add_parser(
        "import",
        help="replace the catalog with a CSV file (all rows checked first; "
        "products missing from the file are deactivated)",
    )
    imp.add_argument("file", type=Path, help="CSV: sku,name_ko,name_en,price,class_name,active")
    imp.set_defaults(func=_cmd_import)

    exp = actions.add_parser("export", help="write the catalog as CSV")
    exp.add_argument("file", nargs="?", type=Path, help="output file (default: stdout)")
    exp.set_defaults(func=_cmd_export)

    lst = actions.add_parser("list", help="show every product, inactive ones included")
    lst.set_defaults(func=_cmd_list)


@contextmanager
def _open_catalog(args: argparse.Namespace, seed_demo: bool) -> Iterator[CatalogRepository]:
    url = database_url(args)
    log.debug("catalog database: %s", make_url(url).render_as_string(hide_password=True))
    session_factory = open_database(url)
    try:
        repository = CatalogRepository(session_factory)
        if seed_demo and repository.seed_if_empty(load_catalog_csv(DEMO_CATALOG_PATH)):
            print(
                f"empty catalog: loaded the demo catalog ({DEMO_CATALOG_PATH.name})",
                file=sys.stderr,
            )
        yield repository
    finally:
        # Close the connection pool now: a command is short, and an open SQLite file would
        # outlive it in tests (and stay locked on Windows).
        close_database(session_factory)


def _cmd_import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogCsvError([RowError(0, f"cannot read {args.file}: {exc}")]) from None
    with _open_catalog(args, seed_demo=False) as repository:
        summary = repository.replace_from_csv(text)
    print(f"imported {args.file}: {summary}")
    for label, skus in (("deactivated", summary.deactivated), ("removed", summary.removed)):
        if skus:
            print(f"  {label}: {', '.join(skus)}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    with _open_catalog(args, seed_demo=True) as repository:
        text = repository.export_csv()
    if args.file is None:
        sys.stdout.write(text)
    else:
        args.file.write_text(text, encoding="utf-8")
        print(f"wrote {args.file}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    with _open_catalog(args, seed_demo=True) as repository:
        catalog = repository.load()
    for p in catalog:
        status = "" if p.active else "  (inactive)"
        print(
            f"{p.sku:<14} {format_won(p.price):>9}  {p.class_name:<18} "
            f"{p.name_en} / {p.name_ko}{status}"
        )
    print(f"{len(catalog)} products, {len(catalog.active())} active")
    return 0
