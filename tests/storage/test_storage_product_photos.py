"""The photo revision other kiosks watch: every photo taught, learned, undone or forgotten
changes it; the looks that are no product beside the products' photos. On SQLite and
PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest

from checkout_app.core.catalog import Product, taught_class_name
from checkout_app.products.appearance import COLOUR_DIM, Appearance
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.override_repository import NamedItemRepository
from checkout_app.storage.product_photo_repository import ProductPhotoRepository

APPEARANCE = Appearance(np.ones(COLOUR_DIM, np.float32), np.ones(8, np.float32))


def test_every_change_of_the_photos_changes_the_revision(session_factory):
    CatalogRepository(session_factory).upsert(
        Product("PEAR", "배", "Pear", 900, taught_class_name("PEAR"))
    )
    photos = ProductPhotoRepository(session_factory)
    seen = [photos.revision()]
    assert seen[0][:2] == (0, 0)

    def changed() -> bool:
        now = photos.revision()
        new = now != seen[-1]
        seen.append(now)
        return new

    first = photos.add_photo("PEAR", b"jpeg", "colour", APPEARANCE, limit=30)
    assert changed()
    assert photos.revision() == seen[-1], "nothing changed: the same revision"
    latest = photos.add_photo("PEAR", b"jpeg", "colour", APPEARANCE, limit=30)
    assert changed()
    # The newest photo undone and another learned: SQLite may give the same id again.
    assert photos.delete_photo(latest)
    assert changed()
    photos.add_photo("PEAR", b"jpeg", "colour", APPEARANCE, limit=30)
    assert changed() and seen[-1] != seen[2], "two photos again, but not the same two"
    assert photos.delete_photo(first)
    assert changed()
    assert photos.forget("PEAR") == 1
    assert changed()


def test_looks_that_are_no_product_are_kept_apart_from_the_products_photos(session_factory):
    """A photo without a SKU (staff said the item is no product), and the named item that
    records it, on SQLite and PostgreSQL."""
    CatalogRepository(session_factory).upsert(
        Product("PEAR", "배", "Pear", 900, taught_class_name("PEAR"))
    )
    photos = ProductPhotoRepository(session_factory)
    photos.add_photo("PEAR", b"pear", "colour", APPEARANCE, limit=30)
    before = photos.revision()
    look = photos.add_photo(None, b"tray", "colour", APPEARANCE, limit=2)
    assert photos.revision() != before, "other kiosks rebuild their gallery with it"
    photos.add_photo(None, b"tray", "colour", APPEARANCE, limit=2)
    assert photos.add_photo(None, b"tray", "colour", APPEARANCE, limit=2) is None, "at the limit"
    assert next((p.id, p.sku, p.photo_jpeg) for p in photos.not_product_looks()) == (
        look,
        None,
        b"tray",
    )
    assert [p.sku for p in photos.active_photos()] == ["PEAR"]
    assert photos.photo_counts() == {"PEAR": 1}

    named = NamedItemRepository(session_factory)
    recorded = named.record(None, None, None, look, b"frame")
    assert (recorded.sku, recorded.name, recorded.photo_id) == (None, None, look)
    with pytest.raises(ValueError, match="both a SKU and a name, or neither"):
        named.record("PEAR", None, None, None, None)
    assert photos.delete_photo(look)
    assert named.recent()[0].photo_id is None, "undone: the record stays, its photo gone"
