"""Counts that staff approved below what the counter camera saw, with the frame, for review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from checkout_app.storage.tables import CountOverrideRow


@dataclass(frozen=True)
class CountOverride:
    id: int
    created_at: datetime
    sku: str
    name: str
    charged_qty: int
    camera_qty: int
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
        with self._session_factory.begin() as session:
            row = CountOverrideRow(
                sku=sku,
                name=name,
                charged_qty=charged_qty,
                camera_qty=camera_qty,
                frame_jpeg=frame_jpeg,
            )
            session.add(row)
            session.flush()
            return _to_override(row)

    def recent(self, limit: int = 50) -> list[CountOverride]:
        """The latest ``limit`` overrides, newest first."""
        with self._session_factory() as session:
            rows = session.scalars(
                select(CountOverrideRow)
                .order_by(CountOverrideRow.created_at.desc(), CountOverrideRow.id.desc())
                .limit(limit)
            ).all()
            return [_to_override(row) for row in rows]


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
