"""The database schema: products, completed checkouts and their lines.

Money columns are integers (whole won), never floats. The same tables serve an SQLite file on one
kiosk and a PostgreSQL database shared by several, so only portable column types are used. Text
columns have no length limit, so no length check is needed on top of the CSV validation.

Column annotations use ``Optional``/``List`` rather than ``X | None``/``list[X]`` (hence the
``noqa``): SQLAlchemy evaluates them at import time, and the package must import on Python 3.8.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkout_app.storage.base import Base


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    SQLite keeps no time zone and hands back naive datetimes; this stores UTC and reads it back
    as UTC-aware, so callers never compare naive with aware times.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class ProductRow(Base):
    """One catalog product; ``class_name`` is the product detector's class for it."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("price >= 0", name="ck_products_price_not_negative"),)

    sku: Mapped[str] = mapped_column(String, primary_key=True)
    name_ko: Mapped[str] = mapped_column(String)
    name_en: Mapped[str] = mapped_column(String)
    price: Mapped[int] = mapped_column(Integer)
    class_name: Mapped[str] = mapped_column(String, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    barcodes: Mapped[List[ProductBarcodeRow]] = relationship(  # noqa: UP006
        order_by="ProductBarcodeRow.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class ProductBarcodeRow(Base):
    """One barcode of a product (canonical GTIN): a code belongs to one product at most.

    A table of its own, created beside an existing database's tables at the next start: products
    stored before barcodes existed simply have none until a CSV import or staff give them some.
    """

    __tablename__ = "product_barcodes"

    barcode: Mapped[str] = mapped_column(String, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order staff listed them in


class TransactionRow(Base):
    """One completed checkout.

    ``checkout_id`` is the caller's idempotency key: a save retried after a crash finds the row
    already there instead of recording the sale twice.
    """

    __tablename__ = "transactions"
    __table_args__ = (CheckConstraint("total >= 0", name="ck_transactions_total_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checkout_id: Mapped[str] = mapped_column(String, unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    total: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    paid_by_person_id: Mapped[Optional[str]] = mapped_column(String)  # noqa: UP045
    paid_by_name: Mapped[Optional[str]] = mapped_column(String)  # noqa: UP045
    # Which kiosk made the sale (KioskSettings.kiosk_id); NULL for sales made before it was kept.
    kiosk_id: Mapped[Optional[str]] = mapped_column(String(40))  # noqa: UP045
    status: Mapped[str] = mapped_column(String(20))
    receipt_text: Mapped[str] = mapped_column(Text)
    lines: Mapped[List[TransactionLineRow]] = relationship(  # noqa: UP006
        order_by="TransactionLineRow.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class TransactionLineRow(Base):
    """One line of a completed checkout.

    Name and prices are copied at sale time and ``sku`` is deliberately not a foreign key to
    ``products``: a later price change, rename or removal must not rewrite a past sale.
    """

    __tablename__ = "transaction_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="ck_transaction_lines_qty_positive"),
        CheckConstraint("unit_price >= 0", name="ck_transaction_lines_price_not_negative"),
        CheckConstraint("line_total = qty * unit_price", name="ck_transaction_lines_total"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # the line's place on the receipt
    sku: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[int] = mapped_column(Integer)


class PendingPaymentRow(Base):
    """A payment between the shopper's "Yes, that's me" and the screen that says how it ended.

    Written before the sale is recorded and removed once the kiosk has shown the outcome, so a
    row found at start-up is a payment a crash interrupted: whether it was charged is read from
    ``transactions`` (``TransactionRepository.interrupted_payments``).
    """

    __tablename__ = "pending_payments"

    checkout_id: Mapped[str] = mapped_column(String, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    total: Mapped[int] = mapped_column(Integer)
    paid_by_name: Mapped[str] = mapped_column(String)
    summary: Mapped[str] = mapped_column(Text)  # "Cola x2, Chips x1", for staff
    # The kiosk making the payment; NULL for entries written before it was kept.
    kiosk_id: Mapped[Optional[str]] = mapped_column(String(40))  # noqa: UP045


class CountOverrideRow(Base):
    """Staff let a shopper pay for fewer of a product than the counter camera saw.

    Kept with the counter frame of that moment, so a store can review each one later (the Review
    page): a camera that counts one can twice, or a shopper talking staff out of a product.
    """

    __tablename__ = "count_overrides"
    __table_args__ = (
        CheckConstraint("charged_qty >= 0", name="ck_count_overrides_charged_not_negative"),
        CheckConstraint("camera_qty > charged_qty", name="ck_count_overrides_camera_saw_more"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    sku: Mapped[str] = mapped_column(String)  # copied, like a sale line: no foreign key
    name: Mapped[str] = mapped_column(String)
    charged_qty: Mapped[int] = mapped_column(Integer)
    camera_qty: Mapped[int] = mapped_column(Integer)
    frame_jpeg: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # noqa: UP045


class NamedItemRow(Base):
    """Staff said what an item the kiosk did not know was (``Cart.name_unknown_item``), or that
    it is no product (``Cart.set_aside``: ``sku`` and ``name`` NULL).

    Kept with the counter frame of that moment for the Review page: what staff let go at which
    price, and what the kiosk learned from it. ``suggestion_rank``: where the product stood among
    the products the item looked most like (1 = the first offered); NULL when staff searched.
    """

    __tablename__ = "named_items"
    __table_args__ = (
        CheckConstraint(
            "suggestion_rank IS NULL OR suggestion_rank >= 1",
            name="ck_named_items_rank_from_one",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    # Copied, like a sale line: no foreign key. Both NULL: staff said it is not a product.
    sku: Mapped[Optional[str]] = mapped_column(String)  # noqa: UP045
    name: Mapped[Optional[str]] = mapped_column(String)  # noqa: UP045
    suggestion_rank: Mapped[Optional[int]] = mapped_column(Integer)  # noqa: UP045
    # Whether the kiosk learned the item's look from it (the product's gallery got its picture).
    learned: Mapped[bool] = mapped_column(Boolean, default=False)
    # The photo learned, while the gallery keeps it: NULL once staff undid the learning (or the
    # product's photos were forgotten), and for namings before revision 0008.
    photo_id: Mapped[Optional[int]] = mapped_column(  # noqa: UP045
        ForeignKey("product_photos.id", ondelete="SET NULL", name="fk_named_items_photo_id")
    )
    frame_jpeg: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # noqa: UP045


class ProductPhotoRow(Base):
    """A photo staff taught a product from, with what the appearance encoder saw in it.

    The photo itself is kept (JPEG) so that appearances can be encoded again when the encoder
    changes (``encoder`` names the one that made the cues). A table of its own, created beside
    an existing database's tables at the next start.
    """

    __tablename__ = "product_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # NULL: a look staff said is no product (the kiosk ignores an item like it).
    sku: Mapped[Optional[str]] = mapped_column(  # noqa: UP045
        ForeignKey("products.sku", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    photo_jpeg: Mapped[bytes] = mapped_column(LargeBinary)
    encoder: Mapped[str] = mapped_column(String)
    colour: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    trunk: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    words: Mapped[str] = mapped_column(Text)  # JSON list of upper-case words
    # The photo's keypoints (products.local_features bytes); NULL before revision 0006.
    local_features: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # noqa: UP045
