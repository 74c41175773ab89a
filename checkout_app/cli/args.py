"""Argument types shared by the ``checkout-app`` commands: numbers that must be positive are
refused by argparse with a one-line message, before any model loads; and the database the
global options name."""

from __future__ import annotations

import argparse

from checkout_edge.defaults import MIN_CONFIDENCE_RANGE

from checkout_app.storage.db import default_database_url


def database_url(args: argparse.Namespace) -> str:
    """The store database: ``--database-url`` (or its environment variable), else the SQLite
    file in the app home."""
    return args.database_url or default_database_url(args.home)


def positive_int(text: str) -> int:
    """An int of at least 1 (frames, threads, epochs, images …)."""
    return _int_at_least(text, 1)


def non_negative_int(text: str) -> int:
    """An int of at least 0 (a price in won, products held out)."""
    return _int_at_least(text, 0)


def _int_at_least(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}, got {value}")
    return value


def positive_float(text: str) -> float:
    """A finite float above 0 (seconds, hours)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def confidence_threshold(text: str) -> float:
    """A detection confidence threshold in the range the kiosk settings allow."""

    low, high = MIN_CONFIDENCE_RANGE
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {text}")
    return value
