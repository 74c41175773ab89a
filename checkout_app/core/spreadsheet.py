"""CSV cells that are safe to open in a spreadsheet.

Spreadsheets run a cell that starts with ``= + - @`` as a formula (``=cmd|…`` can start a
program). Files the app writes for staff put a ``'`` before such a cell: shown as text, never run.
A cell that itself starts with ``'`` gets one more, so reading a file back (``unquoted``) gives
every cell exactly as it was.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@")
SPREADSHEET_QUOTE = "'"


def spreadsheet_safe(value: object) -> object:
    """``value``, or its text behind a quote when a spreadsheet would run it as a formula (or
    when it starts with the quote itself)."""
    text = str(value)
    quoted = text.startswith(FORMULA_START) or text.startswith(SPREADSHEET_QUOTE)
    return SPREADSHEET_QUOTE + text if quoted else value


def unquoted(text: str) -> str:
    """A cell as it was before ``spreadsheet_safe``; a quote typed by hand before anything else
    (``'note``) stays."""
    if text.startswith(SPREADSHEET_QUOTE) and text[1:2] in FORMULA_START + (SPREADSHEET_QUOTE,):
        return text[1:]
    return text
