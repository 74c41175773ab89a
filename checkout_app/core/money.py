"""Money as integer minor units of the store currency (KRW: whole won). Never a float."""

from __future__ import annotations


def validate_amount(amount: object, what: str = "amount") -> int:
    """Return ``amount`` if it is a non-negative integer number of won, else raise ValueError."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"{what} must be a whole number of won, got {amount!r}")
    if amount < 0:
        raise ValueError(f"{what} must not be negative, got {amount}")
    return amount


# No single price reaches this; anything longer is a typo (and a 23-digit number overflows the
# database's 64-bit integers).
MAX_PRICE_WON = 10**10


def parse_price_input(text: str) -> int:
    """A price typed by staff: ``1500``, ``1,500``, ``₩1,500`` or ``1,500원``. ValueError if not."""
    return parse_won(text.strip().lstrip("₩").rstrip("원"))


def parse_won(text: str) -> int:
    """Parse a price as written in a catalog file: ASCII digits, optional thousands commas.

    "1,500" -> 1500. Rejects decimals, signs, currency words, other scripts' digits, empty
    text, and prices of ``MAX_PRICE_WON`` and more.
    """
    cleaned = text.strip().replace(",", "")
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValueError(f"price {text!r} is not a whole, non-negative number of won")
    if len(cleaned.lstrip("0")) > len(str(MAX_PRICE_WON)) - 1:
        raise ValueError(f"price {text!r} is too large (at most {MAX_PRICE_WON - 1:,} won)")
    return int(cleaned)


def format_won(amount: int, lang: str = "en") -> str:
    """Format won for people: ``₩1,500`` in English, ``1,500원`` in Korean."""
    validate_amount(amount)
    return f"{amount:,}원" if lang == "ko" else f"₩{amount:,}"
