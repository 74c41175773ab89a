"""Barcode checksums and the canonical GTIN form (pure, milliseconds)."""

from __future__ import annotations

import pytest

from checkout_app.core.barcode import BarcodeError, normalize_barcode, with_check_digit


@pytest.mark.parametrize(
    ("text", "gtin"),
    [
        ("8801234567893", "8801234567893"),  # EAN-13
        ("036000291452", "0036000291452"),  # UPC-A: the same package as EAN-13 0036000291452
        ("0036000291452", "0036000291452"),
        ("96385074", "96385074"),  # EAN-8
        (" 880-1234 567893 ", "8801234567893"),  # as typed into a spreadsheet
    ],
)
def test_valid_codes_become_their_gtin(text, gtin):
    assert normalize_barcode(text) == gtin


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("8801234567890", "wrong check digit 0"),
        ("036000291453", "ends in 2"),
        ("12345", "5 digits"),
        ("88012345678x3", "only digits"),
        ("", "empty"),
        ("８８０１２３４５６７８９３", "only digits"),  # full-width digits are not barcode digits
    ],
)
def test_invalid_codes_say_what_is_wrong(text, why):
    with pytest.raises(BarcodeError, match=why):
        normalize_barcode(text)


def test_check_digits_are_appended():
    assert with_check_digit("880123456789") == "8801234567893"
    assert with_check_digit("9638507") == "96385074"
