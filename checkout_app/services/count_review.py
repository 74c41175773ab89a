"""What staff decide at the counter is kept with the evidence, for the staff Review page.

Each product staff approve below what the counter camera sees becomes one ``count_overrides``
row, each unknown item staff name one ``named_items`` row, with the counter frame of that moment
(JPEG, downscaled). No Qt here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import cv2
import numpy as np

from checkout_app.services.counter_session import CounterSnapshot
from checkout_app.services.product_teaching import NotLearned
from checkout_app.storage.override_repository import (
    CountOverride,
    NamedItem,
    NamedItemRepository,
    OverrideRepository,
)

log = logging.getLogger(__name__)

# Enough to see which products lay on the counter, small enough to keep thousands.
REVIEW_FRAME_WIDTH = 640
REVIEW_JPEG_QUALITY = 80


def review_jpeg(frame: np.ndarray | None) -> bytes | None:
    """The counter frame (BGR) as a JPEG at most ``REVIEW_FRAME_WIDTH`` wide; None without one."""
    if frame is None or frame.size == 0:
        return None
    height, width = frame.shape[:2]
    if width > REVIEW_FRAME_WIDTH:
        size = (REVIEW_FRAME_WIDTH, round(height * REVIEW_FRAME_WIDTH / width))
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, REVIEW_JPEG_QUALITY])
    return jpeg.tobytes() if ok else None


def record_approved(
    overrides: OverrideRepository,
    snapshot: CounterSnapshot,
    approved: dict,
    frame: np.ndarray | None,
    lang: str = "en",
) -> list[CountOverride]:
    """One row per approved SKU of ``approved`` (SKU -> extra items), as the cart stands in
    ``snapshot``, all with the same frame."""
    jpeg = review_jpeg(frame)
    recorded = []
    for sku in approved:
        charged = snapshot.quantities.get(sku, 0)
        camera = snapshot.camera.get(sku, charged + approved[sku])
        name = snapshot.catalog.get(sku).name(lang)
        recorded.append(overrides.record(sku, name, charged, camera, jpeg))
        log.info("override recorded: %s charged %d, camera saw %d", sku, charged, camera)
    return recorded


def record_named(
    named_items: NamedItemRepository,
    offered: tuple,
    sku: str | None,
    name: str | None,
    photo_id: int | None,
    frame: np.ndarray | None,
) -> NamedItem:
    """Staff named an unknown item ``sku`` after being ``offered`` these suggestions (SKUs,
    best first): where it stood among them is kept (None: staff searched for it), and the
    product photo the kiosk learned from it (``photo_id``; None: not learned). ``sku`` and
    ``name`` None: staff said it is no product."""
    rank = offered.index(sku) + 1 if sku in offered else None
    named = named_items.record(sku, name, rank, photo_id, review_jpeg(frame))
    log.info(
        "unknown item named by staff: %s (suggestion %s, learned photo %s)",
        sku,
        rank or "none",
        photo_id,
    )
    return named


@dataclass(frozen=True)
class ReviewEntry:
    """One row of the staff Review page: an approved count or a named unknown item.

    ``name`` is None for an item staff said is no product (nothing charged);
    ``camera_qty`` is None for a named item (the camera saw an item it did not know);
    ``suggestion_rank`` is where a named item's product stood among those offered (None: staff
    searched for it, or an approved count); ``learned``: the kiosk learned the named item's look;
    ``learned_photo_id``: the photo it learned, while it keeps it (``ProductTeacher.unlearn``);
    ``key``: which row it is, the same from one load to the next (("override" or "named", id)).
    """

    key: tuple
    created_at: datetime
    name: str | None
    charged_qty: int
    camera_qty: int | None
    suggestion_rank: int | None
    learned: bool
    frame_jpeg: bytes | None
    learned_photo_id: int | None = None


def learn_and_record_named(
    teacher,
    named_items: NamedItemRepository,
    offered: tuple,
    sku: str | None,
    name: str | None,
    picture: np.ndarray | None,
    frame: np.ndarray | None,
) -> bool:
    """Staff named an unknown item ``sku`` (None: said it is no product): the kiosk learns its
    look from ``picture`` (the item cut from the counter; None when several unknown items lay
    there and staff did not say which one they named) through ``teacher``
    (``ProductTeacher.learn``), then the naming is recorded (``record_named``). Seconds: run off
    the GUI thread. Returns whether it learned."""
    photo_id = None
    if picture is None:
        log.info("not learned from the unknown item named %s: no picture of it", sku)
    else:
        try:
            photo_id = teacher.learn(sku, picture)
        except NotLearned as exc:
            log.info("not learned from the unknown item named %s: %s", sku, exc.code)
    record_named(named_items, offered, sku, name, photo_id, frame)
    return photo_id is not None


def recent_reviews(
    overrides: OverrideRepository, named_items: NamedItemRepository, limit: int
) -> list[ReviewEntry]:
    """The latest ``limit`` approved counts and named items together, newest first."""
    entries = [
        ReviewEntry(
            ("override", o.id),
            o.created_at,
            o.name,
            o.charged_qty,
            o.camera_qty,
            None,
            False,
            o.frame_jpeg,
        )
        for o in overrides.recent(limit)
    ]
    entries += [
        ReviewEntry(
            ("named", n.id),
            n.created_at,
            n.name,
            0 if n.sku is None else 1,
            None,
            n.suggestion_rank,
            n.learned,
            n.frame_jpeg,
            n.photo_id,
        )
        for n in named_items.recent(limit)
    ]
    entries.sort(key=lambda entry: entry.created_at, reverse=True)
    return entries[:limit]
