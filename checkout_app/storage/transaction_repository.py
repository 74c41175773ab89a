"""Completed checkouts, recorded exactly once.

The payment flow makes a ``checkout_id`` before it charges and records the sale under it. If the
kiosk crashes between paying and seeing the save confirmed, the retry uses the same id and gets
the sale that is already stored: a sale is never recorded twice, and never silently swapped for a
different cart under the same id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from checkout_app.core.cart import CartLine
from checkout_app.core.money import validate_amount
from checkout_app.core.sales_report import SoldLine
from checkout_app.storage.tables import (
    PendingPaymentRow,
    TransactionLineRow,
    TransactionRow,
    utc_now,
)

log = logging.getLogger(__name__)

# INSERT … ON CONFLICT for each database the app supports (storage/db.py).
_UPSERT = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}

CURRENCY = "KRW"
STATUS_COMPLETED = "completed"


class TransactionConflictError(ValueError):
    """A ``checkout_id`` already holds a different sale: a caller bug, never to be papered over."""


class StoreUnavailable(RuntimeError):
    """The database did not answer (a stopped server, a dropped connection, a locked file): the
    same payment may be tried again under the same checkout id.

    ``sale_may_be_recorded`` is False when the failure came before the sale was sent (its journal
    entry could not be written), so nothing can have been charged; True when the sale itself was
    under way and may have been committed before the answer was lost.
    """

    def __init__(self, message: str, *, sale_may_be_recorded: bool) -> None:
        super().__init__(message)
        self.sale_may_be_recorded = sale_may_be_recorded


# What a database that went away raises: a refused or dropped connection, a server shutting down,
# a locked SQLite file. Anything else (a conflict, a bug) is not helped by trying again.
_CONNECTION_ERRORS = (OperationalError, InterfaceError)


def _first_line(exc: Exception) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


@dataclass(frozen=True)
class TransactionRecord:
    id: int
    checkout_id: str
    created_at: datetime  # timezone-aware UTC
    total: int
    currency: str
    status: str
    lines: tuple[CartLine, ...]
    paid_by_person_id: str | None
    paid_by_name: str | None
    receipt_text: str
    kiosk_id: str | None = None  # None: made before sales recorded their kiosk


def _to_record(row: TransactionRow) -> TransactionRecord:
    return TransactionRecord(
        id=row.id,
        checkout_id=row.checkout_id,
        created_at=row.created_at,
        total=row.total,
        currency=row.currency,
        status=row.status,
        lines=tuple(CartLine(ln.sku, ln.name, ln.qty, ln.unit_price) for ln in row.lines),
        paid_by_person_id=row.paid_by_person_id,
        paid_by_name=row.paid_by_name,
        receipt_text=row.receipt_text,
        kiosk_id=row.kiosk_id,
    )


def _validate_sale(checkout_id: str, lines: Sequence[CartLine], total: int) -> None:
    if not isinstance(checkout_id, str) or not checkout_id.strip():
        raise ValueError("checkout_id must be a non-empty string")
    if not lines:
        raise ValueError("refusing to record a checkout with an empty cart")
    for line in lines:
        if isinstance(line.qty, bool) or not isinstance(line.qty, int) or line.qty <= 0:
            raise ValueError(f"line {line.sku}: quantity must be a whole number > 0")
        validate_amount(line.unit_price, f"line {line.sku} unit price")
    validate_amount(total, "total")
    expected = sum(line.line_total for line in lines)
    if total != expected:
        raise ValueError(f"total {total} does not match the sum of the lines ({expected})")


def _same_sale(record: TransactionRecord, lines: Sequence[CartLine], total: int) -> bool:
    def key(items: Sequence[CartLine]) -> list[tuple[str, int, int]]:
        return [(line.sku, line.qty, line.unit_price) for line in items]

    # Names are left out: a retry in the other UI language is still the same sale.
    return record.total == total and key(record.lines) == key(lines)


@dataclass(frozen=True)
class InterruptedPayment:
    """A payment a crash interrupted. ``charged``: its sale is recorded (the shopper may not
    have seen the confirmation); else nothing was charged."""

    checkout_id: str
    started_at: datetime
    total: int
    paid_by_name: str
    summary: str
    charged: bool


class TransactionRepository:
    """The ``transactions`` and ``transaction_lines`` tables, and the journal of payments in
    progress (``pending_payments``)."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory

    def record(
        self,
        checkout_id: str,
        lines: Sequence[CartLine],
        total: int,
        paid_by_person_id: str | None = None,
        paid_by_name: str | None = None,
        receipt_text: str = "",
        created_at: datetime | None = None,
        kiosk_id: str | None = None,
    ) -> TransactionRecord:
        """Store a completed checkout once; a repeat with the same ``checkout_id`` returns it.

        ``created_at`` (timezone-aware; default now) lets the stored time match the printed
        receipt; ``kiosk_id`` names the kiosk that made the sale, for store reports. Raises
        ValueError for an empty cart or a total that is not the sum of the lines, and
        TransactionConflictError if the id already holds a different sale.
        """
        _validate_sale(checkout_id, lines, total)
        if created_at is None:
            created_at = utc_now()
        elif created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        with self._session_factory() as session:
            existing = self._find(session, checkout_id)
            if existing is None:
                row = TransactionRow(
                    checkout_id=checkout_id,
                    created_at=created_at.astimezone(timezone.utc),
                    total=total,
                    currency=CURRENCY,
                    paid_by_person_id=paid_by_person_id,
                    paid_by_name=paid_by_name,
                    kiosk_id=kiosk_id,
                    status=STATUS_COMPLETED,
                    receipt_text=receipt_text,
                    lines=[
                        TransactionLineRow(
                            position=i,
                            sku=line.sku,
                            name=line.name,
                            qty=line.qty,
                            unit_price=line.unit_price,
                            line_total=line.line_total,
                        )
                        for i, line in enumerate(lines)
                    ],
                )
                session.add(row)
                try:
                    session.commit()
                except IntegrityError:
                    # Another process (a second kiosk, or this one's earlier attempt that was
                    # thought lost) committed the same checkout_id between our look-up and insert.
                    session.rollback()
                    existing = self._find(session, checkout_id)
                    if existing is None:
                        raise
                else:
                    record = _to_record(row)
                    log.info("recorded checkout %s: %d won", checkout_id, total)
                    return record
        if not _same_sale(existing, lines, total):
            raise TransactionConflictError(
                f"checkout {checkout_id} is already recorded with a different cart "
                f"(total {existing.total})"
            )
        log.info("checkout %s was already recorded; not recording it again", checkout_id)
        return existing

    def begin_payment(
        self,
        checkout_id: str,
        lines: Sequence[CartLine],
        total: int,
        paid_by_name: str,
        kiosk_id: str | None = None,
    ) -> None:
        """Note a payment about to be recorded (committed before the sale is written), by the
        kiosk ``kiosk_id``; noting it again (a retry) keeps the first start time."""
        details = {
            "total": total,
            "paid_by_name": paid_by_name,
            "summary": ", ".join(f"{line.name} x{line.qty}" for line in lines),
            "kiosk_id": kiosk_id,
        }
        with self._session_factory.begin() as session:
            # One statement, not a look-up then an insert: two attempts at once cannot both
            # find nothing and then collide on the key.
            insert = _UPSERT[session.get_bind().dialect.name](PendingPaymentRow)
            session.execute(
                insert.values(checkout_id=checkout_id, **details).on_conflict_do_update(
                    index_elements=[PendingPaymentRow.checkout_id], set_=details
                )
            )

    def record_payment(
        self, checkout_id: str, lines: Sequence[CartLine], total: int, **details
    ) -> TransactionRecord:
        """``record`` (same arguments) behind a journal entry (``begin_payment``): a crash from
        here until the kiosk calls ``end_payment`` is found at the next start
        (``interrupted_payments``). A database that does not answer raises ``StoreUnavailable``
        (try again with the same ``checkout_id``)."""
        try:
            self.begin_payment(
                checkout_id,
                lines,
                total,
                details.get("paid_by_name") or "",
                details.get("kiosk_id"),
            )
        except _CONNECTION_ERRORS as exc:
            # record() was not called: this attempt cannot have charged anything.
            raise StoreUnavailable(_first_line(exc), sale_may_be_recorded=False) from exc
        try:
            return self.record(checkout_id, lines, total, **details)
        except _CONNECTION_ERRORS as exc:
            raise StoreUnavailable(_first_line(exc), sale_may_be_recorded=True) from exc

    def end_payment(self, checkout_id: str) -> None:
        """The shopper has seen how the payment ended: nothing is left to tell staff."""
        with self._session_factory.begin() as session:
            session.execute(
                delete(PendingPaymentRow).where(PendingPaymentRow.checkout_id == checkout_id)
            )

    def interrupted_payments(self, kiosk_id: str | None = None) -> list[InterruptedPayment]:
        """Payments begun and never ended, oldest first, each with whether it was charged; with
        ``kiosk_id``, only that kiosk's (and those from before kiosks were kept): another kiosk
        of the store may be in the middle of one of its own."""
        query = select(PendingPaymentRow).order_by(PendingPaymentRow.started_at)
        if kiosk_id is not None:
            query = query.where(
                or_(PendingPaymentRow.kiosk_id == kiosk_id, PendingPaymentRow.kiosk_id.is_(None))
            )
        with self._session_factory() as session:
            rows = session.scalars(query).all()
            return [
                InterruptedPayment(
                    checkout_id=row.checkout_id,
                    started_at=row.started_at,
                    total=row.total,
                    paid_by_name=row.paid_by_name,
                    summary=row.summary,
                    charged=self._find(session, row.checkout_id) is not None,
                )
                for row in rows
            ]

    def get(self, checkout_id: str) -> TransactionRecord | None:
        with self._session_factory() as session:
            return self._find(session, checkout_id)

    def recent(self, limit: int = 20) -> list[TransactionRecord]:
        """The latest ``limit`` transactions, newest first."""
        with self._session_factory() as session:
            rows = session.scalars(
                select(TransactionRow)
                .order_by(TransactionRow.created_at.desc(), TransactionRow.id.desc())
                .limit(limit)
            ).all()
            return [_to_record(row) for row in rows]

    def sold_lines(
        self, start: datetime, end: datetime, kiosk_id: str | None = None
    ) -> list[SoldLine]:
        """Every line sold from ``start`` (included) to ``end`` (excluded), both timezone-aware;
        only those of kiosk ``kiosk_id`` when given."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        query = (
            select(
                TransactionRow.id,
                TransactionRow.kiosk_id,
                TransactionLineRow.sku,
                TransactionLineRow.name,
                TransactionLineRow.qty,
                TransactionLineRow.line_total,
            )
            .join(TransactionRow.lines)
            .where(TransactionRow.created_at >= start.astimezone(timezone.utc))
            .where(TransactionRow.created_at < end.astimezone(timezone.utc))
            .order_by(TransactionRow.created_at, TransactionRow.id, TransactionLineRow.position)
        )
        if kiosk_id is not None:
            query = query.where(TransactionRow.kiosk_id == kiosk_id)
        with self._session_factory() as session:
            return [SoldLine(*row) for row in session.execute(query)]

    def count(self) -> int:
        with self._session_factory() as session:
            return session.scalar(select(func.count()).select_from(TransactionRow)) or 0

    @staticmethod
    def _find(session: Session, checkout_id: str) -> TransactionRecord | None:
        query = select(TransactionRow).where(TransactionRow.checkout_id == checkout_id)
        row = session.scalar(query)
        return None if row is None else _to_record(row)
