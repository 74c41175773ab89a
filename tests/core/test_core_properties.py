"""Property-based tests (hypothesis) for what staff type and what money adds up to: the catalog
CSV parser and the money functions, on inputs nobody would think of writing by hand."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkout_app.core.catalog import MAX_TEXT_CHARS, Catalog, Product
from checkout_app.core.catalog_csv import CatalogCsvError, catalog_to_csv, parse_catalog_csv
from checkout_app.core.money import MAX_PRICE_WON, format_won, parse_won, validate_amount
from checkout_app.core.text import has_control_characters

# Text a product can have: any printable character, formula starters and quotes included.
_TEXT = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))


def _field(name: str):
    limit = MAX_TEXT_CHARS[name]
    return st.text(_TEXT, min_size=1, max_size=limit).filter(lambda t: t.strip() == t and t)


@st.composite
def catalogs(draw):
    size = draw(st.integers(1, 6))
    skus = draw(st.lists(_field("sku"), min_size=size, max_size=size, unique=True))
    classes = draw(st.lists(_field("class_name"), min_size=size, max_size=size, unique=True))
    return Catalog(
        Product(
            sku=sku,
            name_ko=draw(_field("name_ko")),
            name_en=draw(_field("name_en")),
            price=draw(st.integers(0, MAX_PRICE_WON - 1)),
            class_name=class_name,
            active=draw(st.booleans()),
        )
        for sku, class_name in zip(skus, classes)
    )


@settings(max_examples=200, deadline=None)
@given(catalogs())
def test_any_valid_catalog_survives_export_and_import(catalog):
    text = catalog_to_csv(catalog)
    assert list(parse_catalog_csv(text)) == list(catalog)
    # Nothing a spreadsheet would run: every cell starting a formula is quoted.
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_a_catalog_or_a_catalog_error(text):
    try:
        catalog = parse_catalog_csv("sku,name_ko,name_en,price,class_name,active\n" + text)
    except CatalogCsvError as exc:
        assert exc.errors and all(error.line >= 0 for error in exc.errors)
        return
    for product in catalog:
        assert 0 <= product.price < MAX_PRICE_WON
        assert not any(has_control_characters(t) for t in (product.sku, product.name_en))


@given(st.integers(0, MAX_PRICE_WON - 1))
def test_prices_round_trip_through_their_written_forms(amount):
    assert parse_won(f"{amount:,}") == parse_won(str(amount)) == amount
    assert format_won(amount).replace("₩", "").replace(",", "") == str(amount)
    assert format_won(amount, "ko") == f"{amount:,}원"


@given(st.lists(st.integers(0, 10**6), max_size=30))
def test_sums_of_amounts_stay_whole_won(amounts):
    total = sum(validate_amount(a) for a in amounts)
    assert validate_amount(total) == total and isinstance(total, int)


@given(st.one_of(st.integers(max_value=-1), st.floats(), st.booleans(), st.text()))
def test_anything_but_a_whole_non_negative_int_is_refused_as_money(value):
    with pytest.raises(ValueError):
        validate_amount(value)
