"""The product catalog in the database: load it, edit it, and replace it from a CSV file.

A CSV import is all or nothing: the whole file is validated before the database is touched, and
the changes are applied in one transaction, so a bad file or a crash halfway leaves the catalog as
it was.

Products that are missing from an imported CSV are *deactivated*, not deleted: a store that drops a
product from its list usually means "stop selling it", and an inactive row keeps its names and
price for staff to look up, can be switched back on with one command if the file was wrong, and
keeps its SKU from being silently reused. Past sales never depend on it either way (a transaction
line keeps its own copy of name and price). The one exception: a missing product whose detector
class the CSV gives to another SKU is deleted, because one class can only stand for one product.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Collection, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from checkout_app.core.barcode import BarcodeError, normalize_barcode
from checkout_app.core.catalog import Catalog, CatalogStoreError, Product
from checkout_app.core.catalog_csv import catalog_to_csv, parse_catalog_csv
from checkout_app.storage.tables import ProductBarcodeRow, ProductRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportSummary:
    """What a CSV import changed, as SKU lists.

    ``deactivated``: active products missing from the file, now inactive. ``removed``: products
    missing from the file whose detector class the file gave to another SKU. Products that were
    already inactive and are missing from the file are left alone and not listed.
    """

    added: Sequence[str]
    updated: Sequence[str]
    unchanged: Sequence[str]
    deactivated: Sequence[str]
    removed: Sequence[str]

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.deactivated)} deactivated, "
            f"{len(self.removed)} removed"
        )


def _to_product(row: ProductRow) -> Product:
    """A stored row as a Product; ``CatalogStoreError`` (with the fix) for a stored value that
    today's rules refuse, e.g. one written by an older release."""
    try:
        return Product(
            sku=row.sku,
            name_ko=row.name_ko,
            name_en=row.name_en,
            price=row.price,
            class_name=row.class_name,
            active=row.active,
            barcodes=_usable_barcodes(row),
        )
    except ValueError as exc:
        raise CatalogStoreError(
            f"product {row.sku!r} in the database cannot be used: {exc}; correct it by importing "
            "a catalog CSV that lists it (checkout-app catalog import FILE)"
        ) from None


def _usable_barcodes(row: ProductRow) -> tuple:
    """The row's codes in canonical form. A stored code with a wrong check digit (possible in a
    database written before codes were checked) is left out with a warning: no scan can match
    it, and one bad code must not keep the kiosk from selling."""
    codes: list[str] = []
    for stored in row.barcodes:
        try:
            code = normalize_barcode(stored.barcode)
        except BarcodeError as exc:
            log.warning(
                "product %s: stored barcode left out (%s); fix it in staff > Products or by a "
                "catalog import",
                row.sku,
                exc,
            )
            continue
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _stored_as(row: ProductRow, product: Product) -> bool:
    """Whether the row already holds ``product`` (a row that cannot be read does not)."""
    try:
        return _to_product(row) == product
    except CatalogStoreError:
        return False


def _copy_into(row: ProductRow, product: Product) -> None:
    row.name_ko = product.name_ko
    row.name_en = product.name_en
    row.price = product.price
    row.class_name = product.class_name
    row.active = product.active
    if tuple(b.barcode for b in row.barcodes) != product.barcodes:
        row.barcodes = [
            ProductBarcodeRow(barcode=code, sku=product.sku, position=i)
            for i, code in enumerate(product.barcodes)
        ]


@contextmanager
def _store_errors() -> Iterator[None]:
    """SQLAlchemy's errors as ``CatalogStoreError``, so callers (the staff catalog page) need
    to know nothing of the database library."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise CatalogStoreError(f"the database failed: {exc}") from exc


def new_product_row(product: Product) -> ProductRow:
    """A row for a product not stored yet, to add in the caller's transaction."""
    row = ProductRow(sku=product.sku)
    _copy_into(row, product)
    return row


class CatalogRepository:
    """Products in the ``products`` table, read and written as ``core.catalog`` objects."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory

    def load(self) -> Catalog:
        """Every product, inactive ones included (a Cart ignores them), ordered by SKU."""
        with _store_errors(), self._session_factory() as session:
            rows = session.scalars(select(ProductRow).order_by(ProductRow.sku)).all()
            return Catalog(_to_product(row) for row in rows)

    def export_csv(self) -> str:
        """The catalog as CSV text that ``replace_from_csv`` reads back unchanged."""
        return catalog_to_csv(self.load())

    def replace_from_csv(
        self, text: str, known_classes: Collection[str] | None = None
    ) -> ImportSummary:
        """Make the catalog match a CSV file; raises ``CatalogCsvError`` before touching the DB.

        ``known_classes``: the product detector's classes, when every row must use one of them.
        """
        incoming = parse_catalog_csv(text, known_classes)
        with _store_errors(), self._session_factory.begin() as session:
            summary = self._apply(session, incoming)
        log.info("catalog import: %s", summary)
        return summary

    def upsert(self, product: Product) -> bool:
        """Add a product or overwrite the one with its SKU. Returns True if it was new.

        Raises ValueError if another SKU already uses its detector class.
        """
        with _store_errors(), self._session_factory.begin() as session:
            owner = session.scalar(
                select(ProductRow.sku).where(ProductRow.class_name == product.class_name)
            )
            if owner is not None and owner != product.sku:
                raise ValueError(f"class {product.class_name!r} is already used by SKU {owner}")
            for code in product.barcodes:
                holder = session.scalar(
                    select(ProductBarcodeRow.sku).where(ProductBarcodeRow.barcode == code)
                )
                if holder is not None and holder != product.sku:
                    raise ValueError(f"barcode {code} is already used by SKU {holder}")
            row = session.get(ProductRow, product.sku)
            is_new = row is None
            if row is None:
                row = ProductRow(sku=product.sku)
                session.add(row)
            elif tuple(b.barcode for b in row.barcodes) != product.barcodes:
                row.barcodes = []  # deleted before the new list goes in: codes are primary keys
                session.flush()
            _copy_into(row, product)
        log.info("product %s %s", product.sku, "added" if is_new else "updated")
        return is_new

    def set_active(self, sku: str, active: bool) -> None:
        """Start or stop selling a product. Raises KeyError for an unknown SKU."""
        with _store_errors(), self._session_factory.begin() as session:
            row = session.get(ProductRow, sku)
            if row is None:
                raise KeyError(f"unknown SKU {sku!r}")
            row.active = active
        log.info("product %s %s", sku, "activated" if active else "deactivated")

    def seed_if_empty(self, catalog: Catalog) -> bool:
        """Fill an empty products table (first run). Returns True if it seeded.

        Two kiosks starting together on one shared database may both find it empty; the loser's
        insert fails on the primary key and it simply uses the winner's catalog.
        """
        try:
            with self._session_factory.begin() as session:
                if session.scalar(select(ProductRow.sku).limit(1)) is not None:
                    return False
                for product in catalog:
                    session.add(new_product_row(product))
        except IntegrityError:
            log.info("catalog was seeded concurrently by another process")
            return False
        log.info("seeded the catalog with %d products", len(catalog))
        return True

    @staticmethod
    def _apply(session: Session, incoming: Catalog) -> ImportSummary:
        rows = {row.sku: row for row in session.scalars(select(ProductRow))}
        incoming_classes = {p.class_name for p in incoming}
        added, updated, unchanged, deactivated, removed = [], [], [], [], []

        for sku, row in rows.items():
            if sku in incoming:
                continue
            if row.class_name in incoming_classes:
                session.delete(row)
                removed.append(sku)
            elif row.active:
                row.active = False
                deactivated.append(sku)

        # Products may trade detector classes (A takes B's, B takes C's...). The unique index is
        # checked per statement, so first park every moving row on a class no parsed row can hold
        # (the parser strips spaces). The flush also runs the deletes above before any row takes
        # over a deleted row's class.
        moving = {
            p.sku for p in incoming if p.sku in rows and rows[p.sku].class_name != p.class_name
        }
        for sku in moving:
            rows[sku].class_name = f" moving {sku}"
        # Barcodes may move between products too (the primary key is the code): drop every
        # list that changes, and a code the file gives to another product from a product it
        # leaves out, before any product takes up its new codes.
        claimed = {code for product in incoming for code in product.barcodes}
        for sku, row in rows.items():
            if sku in incoming:
                if tuple(b.barcode for b in row.barcodes) != incoming.get(sku).barcodes:
                    row.barcodes = []
            elif any(b.barcode in claimed for b in row.barcodes):
                row.barcodes = [b for b in row.barcodes if b.barcode not in claimed]
        session.flush()

        for product in incoming:
            row = rows.get(product.sku)
            if row is None:
                row = ProductRow(sku=product.sku)
                _copy_into(row, product)
                session.add(row)
                added.append(product.sku)
            elif product.sku in moving or not _stored_as(row, product):
                _copy_into(row, product)
                updated.append(product.sku)
            else:
                unchanged.append(product.sku)
        return ImportSummary(
            added=tuple(added),
            updated=tuple(updated),
            unchanged=tuple(unchanged),
            deactivated=tuple(deactivated),
            removed=tuple(removed),
        )
