"""Staff approve a cart that charges fewer than the counter camera sees: keep the evidence.

Each approved product becomes one ``count_overrides`` row with the counter frame of that moment
(JPEG, downscaled), listed on the staff Review page. No Qt here.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from checkout_app.services.counter_session import CounterSnapshot
from checkout_app.storage.override_repository import CountOverride, OverrideRepository

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
