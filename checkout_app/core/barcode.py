"""Retail barcodes (EAN-13, UPC-A, EAN-8): checksum validation and one canonical form.

A UPC-A code is an EAN-13 with a leading 0, and scanners report the same package either way,
so a code is stored and looked up as its GTIN: 13 digits for EAN-13 and UPC-A, 8 for EAN-8.
No third-party code here; the camera decoder lives in ``vision.barcode_reader``.
"""

from __future__ import annotations

LENGTHS = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13"}


class BarcodeError(ValueError):
    """Not a valid EAN-13, UPC-A or EAN-8 code; the message says what is wrong."""


def check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3, 1, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalize_barcode(text: str) -> str:
    """The canonical GTIN of ``text`` (spaces and dashes allowed), or ``BarcodeError``."""
    code = "".join(ch for ch in text.strip() if ch not in " -")
    if not code:
        raise BarcodeError("barcode is empty")
    if not code.isdigit() or not code.isascii():
        raise BarcodeError(f"barcode {text!r}: only digits are allowed")
    if len(code) not in LENGTHS:
        raise BarcodeError(
            f"barcode {text!r}: {len(code)} digits; EAN-13 has 13, UPC-A 12 and EAN-8 8"
        )
    expected = check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise BarcodeError(
            f"barcode {text!r}: wrong check digit {code[-1]} (a {LENGTHS[len(code)]} code with "
            f"these digits ends in {expected}); was it typed or scanned wrong?"
        )
    return "0" + code if len(code) == 12 else code


def with_check_digit(body: str) -> str:
    """``body`` (7, 11 or 12 digits) with its check digit appended."""
    return body + str(check_digit(body))
