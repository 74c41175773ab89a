"""The photo revision other kiosks watch: every photo taught, learned, undone or forgotten
changes it, on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np

from checkout_app.core.catalog import Product, taught_class_name
from checkout_app.products.appearance import COLOUR_DIM, Appearance
from checkout_app.storage.catalog_repository import CatalogRepository
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
