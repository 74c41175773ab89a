"""What staff decided at the counter, with the counter frame, for review: counts approved below
what the camera saw (``OverrideRepository``) and unknown items staff named
(``NamedItemRepository``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from checkout_app.storage.tables import CountOverrideRow, NamedItemRow


@dataclass(frozen=True)
class CountOverride:
    id: int
    created_at: datetime
    sku: str
    name: str
    charged_qty: int
    camera_qty: int
    frame_jpeg: bytes | None


@dataclass(frozen=True)
class NamedItem:
    """``sku`` and ``name`` are None where staff said the item is no product;
    ``suggestion_rank``: 1 for the product offered first, None when staff searched for it;
    ``learned``: the product's gallery got the item's picture; ``photo_id``: that picture, while
    the gallery keeps it (None once the learning was undone)."""

    id: int
    created_at: datetime
    sku: str | None
    name: str | None
    suggestion_rank: int | None
    learned: bool
    photo_id: int | None
    frame_jpeg: bytes | None


class OverrideRepository:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory

    def record(
        self, sku: str, name: str, charged_qty: int, camera_qty: int, frame_jpeg: bytes | None
    ) -> CountOverride:
        if not 0 <= charged_qty < camera_qty:
            raise ValueError(
                f"an override charges fewer than the camera saw, got {charged_qty} of {camera_qty}"
            )
        row = CountOverrideRow(
            sku=sku,
            name=name,
            charged_qty=charged_qty,
            camera_qty=camera_qty,
            frame_jpeg=frame_jpeg,
        )
        return _to_override(_add(self._session_factory, row))

    def recent(self, limit: int = 50) -> list[CountOverride]:
        """The latest ``limit`` overrides, newest first."""
        return [_to_override(r) for r in _recent(self._session_factory, CountOverrideRow, limit)]


class NamedItemRepository:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory

    def record(
        self,
        sku: str | None,
        name: str | None,
        suggestion_rank: int | None,
        photo_id: int | None,
        frame_jpeg: bytes | None,
    ) -> NamedItem:
        """``photo_id``: the product photo the kiosk learned from the item (None: not learned);
        ``sku`` and ``name`` None: staff said it is no product."""
        if (sku is None) != (name is None):
            raise ValueError("a named item has both a SKU and a name, or neither (no product)")
        if suggestion_rank is not None and suggestion_rank < 1:
            raise ValueError(f"a suggestion rank counts from 1, got {suggestion_rank}")
        row = NamedItemRow(
            sku=sku,
            name=name,
            suggestion_rank=suggestion_rank,
            learned=photo_id is not None,
            photo_id=photo_id,
            frame_jpeg=frame_jpeg,
        )
        return _to_named_item(_add(self._session_factory, row))

    def recent(self, limit: int = 50) -> list[NamedItem]:
        """The latest ``limit`` named items, newest first."""
        return [_to_named_item(r) for r in _recent(self._session_factory, NamedItemRow, limit)]


def _add(session_factory: sessionmaker, row):
    with session_factory.begin() as session:
        session.add(row)
        session.flush()
        return row


def _recent(session_factory: sessionmaker, table, limit: int) -> list:
    with session_factory() as session:
        return list(
            session.scalars(
                select(table).order_by(table.created_at.desc(), table.id.desc()).limit(limit)
            ).all()
        )


def _to_override(row: CountOverrideRow) -> CountOverride:
    return CountOverride(
        id=row.id,
        created_at=row.created_at,
        sku=row.sku,
        name=row.name,
        charged_qty=row.charged_qty,
        camera_qty=row.camera_qty,
        frame_jpeg=row.frame_jpeg,
    )


def _to_named_item(row: NamedItemRow) -> NamedItem:
    return NamedItem(
        id=row.id,
        created_at=row.created_at,
        sku=row.sku,
        name=row.name,
        suggestion_rank=row.suggestion_rank,
        learned=row.learned,
        photo_id=row.photo_id,
        frame_jpeg=row.frame_jpeg,
    )
