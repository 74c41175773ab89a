import pytest

from checkout_app.core.catalog import Catalog, Product
from checkout_app.core.catalog_csv import (
    CatalogCsvError,
    catalog_to_csv,
    load_catalog_csv,
    parse_catalog_csv,
)
from checkout_app.paths import DEMO_CATALOG_PATH

HEADER = "sku,name_ko,name_en,price,class_name,active\n"


def product(sku="1", cls="a", price=1000, active=True):
    return Product(sku, "상품", "Product", price, cls, active)


def test_catalog_lookup_by_sku_and_class():
    catalog = Catalog([product("1", "a"), product("2", "b", active=False)])
    assert catalog.get("1").class_name == "a"
    assert catalog.for_class("b").sku == "2"
    assert catalog.for_class("zzz") is None
    assert [p.sku for p in catalog.active()] == ["1"]
    with pytest.raises(KeyError, match="unknown SKU"):
        catalog.get("9")


@pytest.mark.parametrize(
    ("products", "message"),
    [
        ([product("1", "a"), product("1", "b")], "duplicate SKU"),
        ([product("1", "a"), product("2", "a")], "class 'a' is used by both"),
    ],
)
def test_catalog_rejects_clashes(products, message):
    with pytest.raises(ValueError, match=message):
        Catalog(products)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"price": -1}, "negative"), ({"price": 1.5}, "whole number"), ({"sku": " "}, "sku")],
)
def test_product_validates(kwargs, message):
    fields = {"sku": "1", "name_ko": "가", "name_en": "A", "price": 100, "class_name": "a"}
    fields.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Product(**fields)


def test_demo_catalog_is_valid_and_has_similar_pairs():
    catalog = load_catalog_csv(DEMO_CATALOG_PATH)
    assert 10 <= len(catalog) <= 12
    classes = {p.class_name for p in catalog}
    assert {"chips_original", "chips_onion", "banana_milk", "strawberry_milk"} <= classes
    assert all(isinstance(p.price, int) and p.price > 0 for p in catalog)


def test_csv_round_trip():
    catalog = load_catalog_csv(DEMO_CATALOG_PATH)
    again = parse_catalog_csv(catalog_to_csv(catalog))
    assert list(again) == list(catalog)


def test_csv_reports_every_bad_row_with_its_line_number():
    text = HEADER + (
        "1,가,A,1000,a,1\n"  # line 2: fine
        "2,,B,1000,b,1\n"  # line 3: missing name_ko
        "3,다,C,-5,c,1\n"  # line 4: negative price
        "4,라,D,12.5,d,1\n"  # line 5: non-integer price
        "1,마,E,100,e,1\n"  # line 6: duplicate SKU
        "6,바,F,100,zzz,1\n"  # line 7: unknown class
    )
    with pytest.raises(CatalogCsvError) as info:
        parse_catalog_csv(text, known_classes={"a", "b", "c", "d", "e"})
    found = {(e.line, e.message.split(" ")[0]) for e in info.value.errors}
    assert found == {(3, "missing"), (4, "price"), (5, "price"), (6, "duplicate"), (7, "unknown")}
    assert "line 4" in str(info.value)


def test_csv_missing_column_is_reported():
    with pytest.raises(CatalogCsvError, match="missing column"):
        parse_catalog_csv("sku,name_ko\n1,가\n")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1\x00,가,A,1000,a,1", "sku holds control characters"),
        ("1,가,\x1b[31mRED\x1b[0m,1000,a,1", "name_en holds control characters"),
        ('1,가,"two\nlines",1000,a,1', "name_en holds control characters"),
        ("1,가," + "N" * 500 + ",1000,a,1", "name_en is longer than 80 characters"),
        ("1,가,A,12345678901234567890123,a,1", "too large"),
        ("1,가,A,١٢٣,a,1", "not a whole, non-negative number"),
        ("1,가," + "x" * 200_000 + ",1000,a,1", "unreadable CSV"),
    ],
    ids=[
        "nul_sku",
        "ansi_name",
        "newline_name",
        "long_name",
        "huge_price",
        "arabic_digits",
        "200kB_cell",
    ],
)
def test_csv_refuses_cells_that_would_break_the_store(row, message):
    with pytest.raises(CatalogCsvError, match=message) as info:
        parse_catalog_csv(HEADER + row + "\n")
    # The row starts on line 2 (a quoted line break makes it end on line 3).
    assert [e.line for e in info.value.errors] in ([2], [3])


def test_a_file_without_products_is_refused():
    with pytest.raises(CatalogCsvError, match="would stop selling every product"):
        parse_catalog_csv(HEADER)


def test_formula_cells_are_exported_as_text_and_read_back_unchanged():
    catalog = Catalog([Product("=1+1", "상품", '=cmd|"/c calc"!A1', 1000, "@a", True)])
    text = catalog_to_csv(catalog)
    cells = text.splitlines()[1]
    assert cells.startswith("'=1+1,") and "'=cmd" in cells and ",'@a," in cells
    assert list(parse_catalog_csv(text)) == list(catalog)


@pytest.mark.parametrize("name", ["'@", "''", "'=x", "'note", "'"])
def test_a_name_that_starts_with_a_quote_reads_back_unchanged(name):
    """The quote that keeps a formula from running must not eat a quote that was there (a
    name "'@" once came back as "@": found by the property test)."""
    catalog = Catalog([Product("A1", "상품", name, 1000, "a", True)])
    (product,) = parse_catalog_csv(catalog_to_csv(catalog))
    assert product.name_en == name
