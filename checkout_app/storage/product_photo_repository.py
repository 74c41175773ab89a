"""The photos staff taught products from, and their appearances, for the product gallery; and
the looks staff said are no product (photos without a SKU), which the gallery ignores."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from checkout_app.core.catalog import Product
from checkout_app.products.appearance import COLOUR_DIM, Appearance
from checkout_app.products.local_features import LocalFeatures
from checkout_app.storage.catalog_repository import new_product_row
from checkout_app.storage.tables import ProductPhotoRow, ProductRow


@dataclass(frozen=True)
class TaughtPhoto:
    """One stored photo: its JPEG bytes and the appearance ``encoder`` saw in it; ``sku`` is
    None for a look staff said is no product."""

    id: int
    sku: str | None
    photo_jpeg: bytes
    encoder: str
    appearance: Appearance


class ProductPhotoRepository:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory

    def add_product(self, product: Product, photos: Sequence[tuple], encoder: str) -> None:
        """Add ``product`` to the catalog with its ``(jpeg, appearance)`` photos, all at once.

        A failure leaves neither the product nor any photo behind. Raises ValueError when the
        SKU or its class name is taken (another kiosk may have added it a moment ago).
        """
        if not photos:
            raise ValueError("no photos to teach from")
        try:
            with self._session_factory.begin() as session:
                session.add(new_product_row(product))
                session.flush()  # the photos' foreign key needs the product row first
                for jpeg, appearance in photos:
                    session.add(_to_row(product.sku, jpeg, encoder, appearance))
        except IntegrityError:
            raise ValueError(f"SKU {product.sku} is already in the catalog") from None

    def add_photo(
        self, sku: str | None, jpeg: bytes, encoder: str, appearance: Appearance, limit: int
    ) -> int | None:
        """One more photo of the catalog product ``sku`` (None: one more look that is no
        product): its id, or None (nothing stored) when there are ``limit`` such photos
        already. ValueError when ``sku`` is not in the catalog."""
        with self._session_factory.begin() as session:
            if sku is not None and session.get(ProductRow, sku) is None:
                raise ValueError(f"SKU {sku} is not in the catalog")
            if _count(session, sku) >= limit:
                return None
            row = _to_row(sku, jpeg, encoder, appearance)
            session.add(row)
            session.flush()
            return row.id

    def add_not_product_looks(self, photos: Sequence[tuple], encoder: str, limit: int) -> None:
        """Store ``(jpeg, appearance)`` looks that are no product, all at once: ValueError
        (nothing stored) when there would be more than ``limit`` of them."""
        with self._session_factory.begin() as session:
            count = _count(session, None)
            if count + len(photos) > limit:
                raise ValueError(
                    f"{count} looks that are no product are kept already, at most {limit}: "
                    "forget them first"
                )
            for jpeg, appearance in photos:
                session.add(_to_row(None, jpeg, encoder, appearance))

    def revision(self) -> tuple:
        """(photos, highest id, newest time stored): any photo taught, learned, forgotten or
        undone anywhere changes it (SQLite may give a deleted highest id again, but not with
        the same time). One small query."""
        with self._session_factory() as session:
            return tuple(
                session.execute(
                    select(
                        func.count(ProductPhotoRow.id),
                        func.coalesce(func.max(ProductPhotoRow.id), 0),
                        func.max(ProductPhotoRow.created_at),
                    )
                ).one()
            )

    def photo_counts(self) -> dict[str, int]:
        """SKU -> number of taught photos, for products that have any."""
        with self._session_factory() as session:
            rows = session.execute(
                select(ProductPhotoRow.sku, func.count())
                .where(ProductPhotoRow.sku.is_not(None))
                .group_by(ProductPhotoRow.sku)
            ).all()
            return {sku: int(n) for sku, n in rows}

    def active_photos(self) -> list[TaughtPhoto]:
        """Every photo of an active product, oldest first."""
        with self._session_factory() as session:
            rows = session.scalars(
                select(ProductPhotoRow)
                .join(ProductRow, ProductRow.sku == ProductPhotoRow.sku)
                .where(ProductRow.active.is_(True))
                .order_by(ProductPhotoRow.id)
            ).all()
            return [_to_photo(row) for row in rows]

    def not_product_looks(self) -> list[TaughtPhoto]:
        """Every look staff said is no product, oldest first."""
        with self._session_factory() as session:
            rows = session.scalars(
                select(ProductPhotoRow)
                .where(ProductPhotoRow.sku.is_(None))
                .order_by(ProductPhotoRow.id)
            ).all()
            return [_to_photo(row) for row in rows]

    def replace_appearances(self, updated: Sequence[TaughtPhoto]) -> None:
        """Store appearances encoded again (by a newer encoder) for existing photos."""
        with self._session_factory.begin() as session:
            for photo in updated:
                row = session.get(ProductPhotoRow, photo.id)
                if row is not None:  # deleted meanwhile: nothing to update
                    new = _to_row(photo.sku, photo.photo_jpeg, photo.encoder, photo.appearance)
                    for column in ("encoder", "colour", "trunk", "words", "local_features"):
                        setattr(row, column, getattr(new, column))

    def delete_photo(self, photo_id: int) -> bool:
        """Delete one photo; False when there is no such photo (deleted already)."""
        with self._session_factory.begin() as session:
            result = session.execute(delete(ProductPhotoRow).where(ProductPhotoRow.id == photo_id))
            return bool(result.rowcount)

    def forget(self, sku: str | None) -> int:
        """Delete every taught photo of ``sku`` (None: every look that is no product); returns
        how many there were."""
        with self._session_factory.begin() as session:
            result = session.execute(delete(ProductPhotoRow).where(_of_product(sku)))
            return int(result.rowcount or 0)


def _of_product(sku: str | None):
    """The photos of ``sku`` (None: the looks that are no product)."""
    return ProductPhotoRow.sku.is_(None) if sku is None else ProductPhotoRow.sku == sku


def _count(session, sku: str | None) -> int:
    """How many photos ``sku`` has (None: how many looks that are no product)."""
    return session.scalar(select(func.count()).select_from(ProductPhotoRow).where(_of_product(sku)))


def _to_row(sku: str | None, jpeg: bytes, encoder: str, appearance: Appearance) -> ProductPhotoRow:
    """The photo's cues and its views' after them, in one colour and one trunk column."""
    every = (appearance, *appearance.views)
    return ProductPhotoRow(
        sku=sku,
        photo_jpeg=jpeg,
        encoder=encoder,
        colour=np.concatenate([np.asarray(a.colour, "<f4") for a in every]).tobytes(),
        trunk=np.concatenate([np.asarray(a.trunk, "<f4") for a in every]).tobytes(),
        words=json.dumps(list(appearance.words), ensure_ascii=False),
        local_features=appearance.local.to_bytes() if appearance.local is not None else None,
    )


def _to_photo(row: ProductPhotoRow) -> TaughtPhoto:
    colour = np.frombuffer(row.colour, "<f4")
    # The photo and its views (one row each); a colour of another size is an older encoder's,
    # one appearance, which the gallery encodes again before using it.
    count = colour.size // COLOUR_DIM if colour.size % COLOUR_DIM == 0 else 1
    colours = colour.reshape(count, -1)
    trunks = np.frombuffer(row.trunk, "<f4").reshape(count, -1)
    views = tuple(Appearance(c.copy(), t.copy()) for c, t in zip(colours[1:], trunks[1:]))
    appearance = Appearance(
        colour=colours[0].copy(),
        trunk=trunks[0].copy(),
        words=tuple(json.loads(row.words)),
        views=views,
        local=(
            LocalFeatures.from_bytes(row.local_features) if row.local_features is not None else None
        ),
    )
    return TaughtPhoto(row.id, row.sku, row.photo_jpeg, row.encoder, appearance)
