"""CSV cells that are safe to open in a spreadsheet.

Spreadsheets run a cell that starts with ``= + - @`` as a formula (``=cmd|…`` can start a
program). Files the app writes for staff put a ``'`` before such a cell: shown as text, never run.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@")
SPREADSHEET_QUOTE = "'"


def spreadsheet_safe(value: object) -> object:
    """``value``, or its text behind a quote when a spreadsheet would run it as a formula."""
    text = str(value)
    return SPREADSHEET_QUOTE + text if text.startswith(FORMULA_START) else value
