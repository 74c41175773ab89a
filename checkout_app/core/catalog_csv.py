"""Catalog CSV: parse and validate every row before anything is applied.

Columns: ``sku,name_ko,name_en,price,class_name,active`` and, optionally, ``barcodes`` (EAN-13,
UPC-A or EAN-8 codes separated by spaces, check digits verified). The file is the whole truth: a
file without the column (written before barcodes existed) leaves every product without one.
A file with any bad row is rejected whole, with one message per problem naming its line number,
so staff can fix them all at once.
A file without a single product is refused too: importing it would stop selling everything.

Staff open these files in spreadsheets, which run a cell starting with ``= + - @`` as a formula.
Export writes such a cell with a leading ``'`` (shown as text, never run), and import removes
that one quote again, so a file round-trips unchanged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable

from checkout_app.core.barcode import BarcodeError, normalize_barcode
from checkout_app.core.catalog import TEXT_FIELDS, Catalog, Product, text_problem
from checkout_app.core.money import parse_won
from checkout_app.core.spreadsheet import spreadsheet_safe, unquoted

COLUMNS = ("sku", "name_ko", "name_en", "price", "class_name", "active")
BARCODES = "barcodes"  # optional on import, always written on export
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


def _cell(text: str | None) -> str:
    """A cell as written: stripped, and without the quote ``spreadsheet_safe`` added."""
    return unquoted((text or "").strip())


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line number in the file (the header is line 1)
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CatalogCsvError(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("catalog CSV rejected:\n" + "\n".join(f"  {e}" for e in errors))


def parse_catalog_csv(text: str, known_classes: Collection[str] | None = None) -> Catalog:
    """Parse catalog CSV text. ``known_classes``: the detector's classes, if it must match."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _parse_rows(reader, known_classes)
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 kB field limit
        raise CatalogCsvError([RowError(reader.line_num + 1, f"unreadable CSV: {exc}")]) from None


def _parse_rows(reader: csv.DictReader, known_classes: Collection[str] | None) -> Catalog:
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogCsvError([RowError(1, f"missing column(s): {', '.join(missing)}")])
    products: list[Product] = []
    errors: list[RowError] = []
    seen_sku: dict[str, int] = {}
    seen_class: dict[str, int] = {}
    seen_barcode: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        row = {k: (v if k is None else _cell(v)) for k, v in raw.items()}
        row_errors = _row_problems(row, known_classes)
        sku, class_name = row.get("sku") or "", row.get("class_name") or ""
        if sku and sku in seen_sku:
            row_errors.append(f"duplicate SKU {sku!r} (first on line {seen_sku[sku]})")
        if class_name and class_name in seen_class:
            row_errors.append(f"class {class_name!r} already used on line {seen_class[class_name]}")
        seen_sku.setdefault(sku, line)
        seen_class.setdefault(class_name, line)
        barcodes, barcode_errors = _barcodes(row.get(BARCODES) or "")
        row_errors += barcode_errors
        for code in barcodes:
            if code in seen_barcode:
                row_errors.append(f"barcode {code} already used on line {seen_barcode[code]}")
            seen_barcode.setdefault(code, line)
        if row_errors:
            errors.extend(RowError(line, msg) for msg in row_errors)
            continue
        products.append(
            Product(
                sku=sku,
                name_ko=row["name_ko"],
                name_en=row["name_en"],
                price=parse_won(row["price"]),
                class_name=class_name,
                active=row["active"].lower() in _TRUE,
                barcodes=barcodes,
            )
        )
    if errors:
        raise CatalogCsvError(errors)
    if not products:
        raise CatalogCsvError(
            [RowError(2, "no products: importing this file would stop selling every product")]
        )
    return Catalog(products)


def _barcodes(cell: str) -> tuple[tuple, list[str]]:
    """The cell's codes as canonical GTINs (each once), and a message per bad code."""
    codes: list[str] = []
    problems = []
    for text in cell.split():
        try:
            code = normalize_barcode(text)
        except BarcodeError as exc:
            problems.append(str(exc))
            continue
        if code in codes:
            problems.append(f"barcode {code} is listed twice")
        else:
            codes.append(code)
    return tuple(codes), problems


def _row_problems(row: dict, known_classes: Collection[str] | None) -> list[str]:
    problems = []
    if None in row:  # csv puts surplus cells under the key None
        problems.append("too many cells")
    for column in TEXT_FIELDS:
        problem = text_problem(column, row.get(column) or "")
        if problem:
            problems.append(problem)
    price = row.get("price") or ""
    try:
        parse_won(price)
    except ValueError as exc:
        problems.append(str(exc))
    active = (row.get("active") or "").lower()
    if active not in _TRUE | _FALSE:
        problems.append(f"active must be 1/0 or true/false, got {active!r}")
    class_name = row.get("class_name") or ""
    if known_classes is not None and class_name and class_name not in known_classes:
        problems.append(f"unknown detector class {class_name!r}")
    return problems


def load_catalog_csv(path: Path, known_classes: Collection[str] | None = None) -> Catalog:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogCsvError([RowError(0, f"cannot read {path}: {exc}")]) from None
    return parse_catalog_csv(text, known_classes)


def catalog_to_csv(products: Iterable[Product]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, BARCODES))
    for p in products:
        barcodes = " ".join(p.barcodes)
        cells = (p.sku, p.name_ko, p.name_en, p.price, p.class_name, int(p.active), barcodes)
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return out.getvalue()
