"""What staff decide at the counter is kept for the Review page: approved counts and named
unknown items, each with the counter frame, read back newest first across both."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy.exc import IntegrityError

from checkout_app.core.catalog import Product, taught_class_name
from checkout_app.products.appearance import COLOUR_DIM, Appearance
from checkout_app.services.count_review import (
    learn_and_record_named,
    recent_reviews,
    record_named,
)
from checkout_app.services.product_teaching import NotLearned
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.override_repository import NamedItemRepository, OverrideRepository
from checkout_app.storage.product_photo_repository import ProductPhotoRepository
from checkout_app.storage.tables import NamedItemRow


def test_a_named_item_keeps_where_its_product_stood_among_those_offered(session_factory):
    named = NamedItemRepository(session_factory)
    frame = np.full((480, 1280, 3), 90, np.uint8)
    offered = ("APPLE", "PEAR", "LEMON")
    record_named(named, offered, "PEAR", "Pear", None, frame)
    record_named(named, offered, "BANANA", "Banana", None, None)  # found by search, no frame
    banana, pear = named.recent()
    assert (pear.sku, pear.name, pear.suggestion_rank, pear.learned) == ("PEAR", "Pear", 2, False)
    assert pear.frame_jpeg[:2] == b"\xff\xd8", "the counter frame is kept as a JPEG"
    assert (banana.sku, banana.suggestion_rank, banana.learned, banana.frame_jpeg) == (
        "BANANA",
        None,
        False,
        None,
    )


class Teacher:
    """ProductTeacher.learn's answers, without models: the id of a product photo stored in
    ``session_factory``'s database, or NotLearned(problem)."""

    def __init__(self, session_factory, problem=None) -> None:
        self.photos = _pear_photos(session_factory)
        self.problem = problem
        self.learned: list = []

    def learn(self, sku, picture):
        self.learned.append((sku, picture.shape))
        if self.problem is not None:
            raise NotLearned(self.problem)
        return self.photos.add_photo(sku, b"jpeg", "colour", _appearance(), limit=30)


def _pear_photos(session_factory) -> ProductPhotoRepository:
    catalog = CatalogRepository(session_factory)
    if "PEAR" not in catalog.load():
        catalog.upsert(Product("PEAR", "배", "Pear", 900, taught_class_name("PEAR")))
    return ProductPhotoRepository(session_factory)


def _appearance() -> Appearance:
    return Appearance(np.ones(COLOUR_DIM, np.float32), np.ones(8, np.float32))


def test_the_kiosk_learns_the_one_unknown_item_named_and_records_whether_it_did(
    session_factory,
):
    named = NamedItemRepository(session_factory)
    picture = np.zeros((150, 120, 3), np.uint8)
    teacher = Teacher(session_factory)
    assert learn_and_record_named(teacher, named, ("PEAR",), "PEAR", "Pear", picture, None)
    assert teacher.learned == [("PEAR", (150, 120, 3))]
    # No picture: several unknown items lay there and staff did not tap the one they named.
    assert not learn_and_record_named(teacher, named, ("PEAR",), "PEAR", "Pear", None, None)
    assert len(teacher.learned) == 1
    blurred = Teacher(session_factory, "blurred")
    assert not learn_and_record_named(blurred, named, (), "PEAR", "Pear", picture, None)
    recent = named.recent()
    assert [n.learned for n in recent] == [False, False, True]
    assert [n.photo_id for n in recent] == [None, None, teacher.photos.active_photos()[0].id]


def test_undoing_a_learning_keeps_the_naming_and_says_it_was_undone(session_factory):
    """Deleting the learned photo (ProductTeacher.unlearn) clears the naming's photo_id (the
    database's ON DELETE SET NULL), so the Review page offers no second undo."""
    named = NamedItemRepository(session_factory)
    teacher = Teacher(session_factory)
    picture = np.zeros((150, 120, 3), np.uint8)
    learn_and_record_named(teacher, named, ("PEAR",), "PEAR", "Pear", picture, None)
    (entry,) = recent_reviews(OverrideRepository(session_factory), named, 10)
    assert entry.learned and entry.learned_photo_id is not None
    assert teacher.photos.delete_photo(entry.learned_photo_id)
    (entry,) = recent_reviews(OverrideRepository(session_factory), named, 10)
    assert entry.learned and entry.learned_photo_id is None
    assert (named.recent()[0].sku, teacher.photos.photo_counts()) == ("PEAR", {})


def test_a_suggestion_rank_counts_from_one(session_factory):
    with pytest.raises(ValueError, match="counts from 1"):
        NamedItemRepository(session_factory).record("PEAR", "Pear", 0, None, None)
    with pytest.raises(IntegrityError), session_factory.begin() as session:
        session.add(NamedItemRow(sku="PEAR", name="Pear", suggestion_rank=0, learned=False))
    assert NamedItemRepository(session_factory).recent() == []


def test_the_review_lists_approved_counts_and_named_items_together_newest_first(
    session_factory,
):
    overrides, named = OverrideRepository(session_factory), NamedItemRepository(session_factory)
    overrides.record("COLA", "Cola", 1, 2, None)
    named.record("PEAR", "Pear", 1, None, None)
    overrides.record("CHIPS", "Chips", 0, 1, None)

    entries = recent_reviews(overrides, named, 10)
    assert [e.name for e in entries] == ["Chips", "Pear", "Cola"]
    chips, pear, _ = entries
    assert (chips.charged_qty, chips.camera_qty, chips.suggestion_rank) == (0, 1, None)
    assert (pear.charged_qty, pear.camera_qty, pear.suggestion_rank, pear.learned) == (
        1,
        None,
        1,
        False,
    )
    assert [e.name for e in recent_reviews(overrides, named, 2)] == ["Chips", "Pear"]
    # Counts and namings are numbered apart: the key says which table a row comes from.
    assert len({e.key for e in entries}) == 3
    assert [e.key[0] for e in entries] == ["override", "named", "override"]
    assert [e.key for e in recent_reviews(overrides, named, 10)] == [e.key for e in entries]
