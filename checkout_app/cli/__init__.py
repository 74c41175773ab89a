"""The ``checkout-app`` command line: one module per command group, each a thin layer over
services; this module assembles them into one parser and runs ``main`` (the console script's
entry point). ``errors.py`` holds the exit codes they share.

Expected failures (bad input, missing camera, broken model file) end with a one-line message on
stderr and a non-zero exit code, never a traceback. Nothing outside this package imports it (an
import-linter contract in pyproject.toml). What is slow to import (``app.py`` with its models,
Qt, onnxruntime's quantization) is imported inside the handlers that need it, so ``--help`` and
a bad argument answer at once.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Callable, Sequence

from checkout_app.camera.source import SourceError
from checkout_app.cli.bench import add_bench_command
from checkout_app.cli.catalog import add_catalog_commands
from checkout_app.cli.db import add_db_commands
from checkout_app.cli.errors import EXIT_BAD_INPUT, EXIT_MODEL_FAILED, EXIT_SOURCE_FAILED, CliError
from checkout_app.cli.evaluate import add_eval_commands
from checkout_app.cli.export import add_export_command
from checkout_app.cli.faces import add_faces_commands, add_models_commands
from checkout_app.cli.kiosk import add_kiosk_commands, run_kiosk_command
from checkout_app.cli.products import add_products_commands
from checkout_app.cli.report import add_report_commands
from checkout_app.cli.train import add_train_command
from checkout_app.core.catalog import CatalogStoreError
from checkout_app.core.catalog_csv import CatalogCsvError
from checkout_app.models_meta import ModelFileError
from checkout_app.paths import HomeError, resolve_home
from checkout_app.storage.db import DATABASE_URL_ENV, DatabaseError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checkout-app",
        description="Self-checkout kiosk: product recognition, stable cart, face pay.",
    )
    parser.add_argument(
        "--home",
        help="folder for everything the app writes "
        "(default: $CHECKOUT_APP_HOME or ~/.local/share/checkout_app)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(DATABASE_URL_ENV),
        help="SQLAlchemy URL of the store database, e.g. postgresql://kiosk@db/store to share "
        f"one between kiosks (default: ${DATABASE_URL_ENV}, else HOME/checkout.db)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")
    add_train_command(sub)
    add_catalog_commands(sub)
    add_db_commands(sub)
    add_report_commands(sub)
    add_products_commands(sub)
    add_faces_commands(sub)
    add_models_commands(sub)
    add_export_command(sub)
    add_kiosk_commands(sub)
    add_bench_command(sub)
    add_eval_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Alembic tells its set-up at INFO each time a database is opened; `db upgrade` prints
    # what changed itself.
    logging.getLogger("alembic").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    args.argv = argv
    # No command: the kiosk, as a shopper or a presenter expects when starting the app.
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", run_kiosk_command)
    try:
        args.home = resolve_home(args.home)
        return func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except (CatalogCsvError, CatalogStoreError, DatabaseError, HomeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    except ModelFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MODEL_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
