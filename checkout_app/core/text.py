"""Checks for text that people type and the app shows, prints and stores (names, SKUs)."""

from __future__ import annotations

import unicodedata


def has_control_characters(text: str) -> bool:
    """NUL, escape sequences, line breaks, tabs…: never part of a name or a SKU (they would
    reach terminals, receipts and other programs as commands or broken lines)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), for a terminal:
    a name stored before names were checked cannot move the cursor or clear the screen."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if has_control_characters(ch) else ch
        for ch in text
    )
