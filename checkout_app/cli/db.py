"""``checkout-app db status|upgrade``: the database schema's version, and its migrations.

Every kiosk and command refuses a database at another schema version than its release's (see
``storage/schema.py``); these two commands are how staff see why and fix it. ``upgrade`` copies
an SQLite file beside itself first; for PostgreSQL it reminds to take a ``pg_dump``.
"""

from __future__ import annotations

import argparse
import json
import sys

from checkout_app.cli.args import database_url
from checkout_app.storage.db import schema_status, upgrade_database
from checkout_app.storage.schema_state import AHEAD, BEHIND, CURRENT, EMPTY, UNVERSIONED

# What each schema state means to the person running the command.
STATUS_TEXT = {
    EMPTY: "a new, empty database: any command or the kiosk creates its tables",
    UNVERSIONED: "made by a release before schema versions: run checkout-app db upgrade",
    BEHIND: "older than this release: run checkout-app db upgrade",
    CURRENT: "up to date",
    AHEAD: "made by a newer release: run that release, or restore a backup",
}


def add_db_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``db`` and its sub-commands on the top-level CLI's sub-parsers."""
    db = subparsers.add_parser("db", help="the database's schema version and its upgrade")
    actions = db.add_subparsers(dest="db_action", required=True)

    status = actions.add_parser(
        "status", help="show the schema version; exit code 1 when the app cannot use it as it is"
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(func=_cmd_status)

    upgrade = actions.add_parser(
        "upgrade",
        help="bring the database to this release's schema, keeping every row "
        "(an SQLite file is copied beside itself first)",
    )
    upgrade.set_defaults(func=_cmd_upgrade)


def _cmd_status(args: argparse.Namespace) -> int:
    report = schema_status(database_url(args))
    state = report.after
    usable = state.status in (EMPTY, CURRENT)
    if args.json:
        print(
            json.dumps(
                {
                    "database": report.where,
                    "status": state.status,
                    "revision": state.revision,
                    "head": state.head,
                    "usable": usable,
                }
            )
        )
    else:
        print(f"database: {report.where}")
        print(f"schema:   {state.revision or '-'} (this release: {state.head})")
        print(f"status:   {STATUS_TEXT[state.status]}")
    return 0 if usable else 1


def _cmd_upgrade(args: argparse.Namespace) -> int:
    url = database_url(args)
    if url.startswith("postgresql"):
        print("take a backup first if you have none: pg_dump --format=custom …", file=sys.stderr)
    report = upgrade_database(url)
    before, after = report.before, report.after
    if report.backup is not None:
        print(f"copied {report.where} to {report.backup} before upgrading")
    if before.status == AHEAD:
        print(f"error: {STATUS_TEXT[AHEAD]} (schema {before.revision})", file=sys.stderr)
        return 1
    if before.status == CURRENT:
        print(f"{report.where}: already at {after.revision}, nothing to do")
    elif before.status == EMPTY:
        print(f"{report.where}: created at {after.revision}")
    else:
        print(
            f"{report.where}: upgraded from {before.revision or 'before schema versions'} "
            f"to {after.revision}"
        )
    return 0
