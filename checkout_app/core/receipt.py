"""Plain-text receipts, printable on a narrow thermal printer or shown on screen."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Sequence

from checkout_app.core.cart import CartLine
from checkout_app.core.money import format_won

RECEIPT_WIDTH = 40

_LABELS = {
    "en": {"total": "TOTAL", "paid_by": "Paid by", "receipt": "Receipt", "items": "items"},
    "ko": {"total": "합계", "paid_by": "결제", "receipt": "영수증", "items": "개"},
}


def display_width(text: str) -> int:
    """Terminal/printer columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _two_columns(left: str, right: str, width: int) -> str:
    gap = width - display_width(left) - display_width(right)
    if gap < 1:
        # Too long for one line: the name on its own line, the amount right-aligned below.
        return left + "\n" + " " * max(0, width - display_width(right)) + right
    return left + " " * gap + right


def render_receipt(
    lines: Sequence[CartLine],
    total: int,
    *,
    store_name: str,
    when: datetime,
    receipt_id: str,
    paid_by: str | None = None,
    lang: str = "en",
) -> str:
    labels = _LABELS["ko" if lang == "ko" else "en"]
    rule = "-" * RECEIPT_WIDTH
    out = [store_name, f"{labels['receipt']} {receipt_id}", when.strftime("%Y-%m-%d %H:%M"), rule]
    for line in lines:
        out.append(line.name)
        detail = f"  {line.qty} x {format_won(line.unit_price, lang)}"
        out.append(_two_columns(detail, format_won(line.line_total, lang), RECEIPT_WIDTH))
    out.append(rule)
    count = sum(line.qty for line in lines)
    out.append(
        _two_columns(
            f"{labels['total']} ({count} {labels['items']})", format_won(total, lang), RECEIPT_WIDTH
        )
    )
    if paid_by:
        out.append(f"{labels['paid_by']}: {paid_by}")
    return "\n".join(out) + "\n"


def receipt_columns(text: str) -> list[tuple[str, str]]:
    """The receipt's lines as (left, right) for a screen whose font does not give Hangul two
    columns: a line ``render_receipt`` right-aligned to the full width splits at its last space
    (the amount goes right); any other line is (line, "")."""
    rows = []
    for line in text.splitlines():
        cut = line.rfind(" ")
        if display_width(line) == RECEIPT_WIDTH and line.strip() and cut > 0 and line[-1] != " ":
            rows.append((line[:cut].rstrip(), line[cut + 1 :]))
        else:
            rows.append((line, ""))
    return rows
