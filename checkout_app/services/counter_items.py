"""Taught products and unknown items on the counter: what differs from the empty counter,
identified by the gallery of taught products.

The product detector knows only the classes it was trained on. Anything else put on the counter
shows up as a difference from a shot of the empty counter (``products.cutout``); one that
touches the picture's edge is an arm reaching in, not an item (an item under its hand is still
there). Each item is identified once by the taught-product gallery (colour, FaceNet's trunk,
printed words) and then followed by its box, so the slow identification runs once per item,
not every frame. A region whose area changed by more than an outline's jitter, or whose look
changed (another item put down where one was taken away), is identified again; one that grew out
of an item already there is something laid against it, which the gallery would take for that
item alone: "items touching" until they lie apart (payment waits; the shopper moves them).
A region the gallery does not accept is an "unknown item": the cart lists it without a price and
payment waits until it is taken away, or staff say what it is (offered the products it looked
most like first: ``unknown_suggestions``) or teach it; unless it looks like something staff said
is no product before (a store's tray): then it is "not a product", and ignored. Regions the
product detector already counts (a product it knows and the store sells) are left to it.

``CounterItemDetector`` and ``WithCounterItems`` follow the ``ProductDetector`` contract, so the
tracker and the cart treat taught products like any other class.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Sequence

import numpy as np

from checkout_app.core.catalog import (
    ITEMS_TOUCHING_CLASS,
    NOT_A_PRODUCT_CLASS,
    UNKNOWN_ITEM_CLASS,
    taught_class_name,
)
from checkout_app.products.cutout import MIN_OBJECT_SHARE, changed_regions, with_margin
from checkout_app.products.gallery import ProductGallery, ProductMatch
from checkout_app.vision.detections import Detections, ProductDetector, box_iou

log = logging.getLogger(__name__)

# A region is the item identified before when their boxes overlap this much (it was nudged).
SAME_ITEM_IOU = 0.5
# More than this share of the frame changed: the light or the camera moved, not an item came.
STALE_REFERENCE_SHARE = 0.6
# A region mostly inside a box the product detector counts is that product, not another item.
EXPLAINED_SHARE = 0.6
# A region this close to the picture's edge (share of its longer side) comes in from outside
# the view: an arm reaching in, with whatever its hand holds. An item lies wholly on the counter.
EDGE_SHARE = 0.005
# An item whose box lies this much inside an arm's region is under the hand: still there.
COVERED_SHARE = 0.6
# A region whose area changed by this share of the item's (and at least an object's area) is no
# longer just that item: something was laid against it or taken from it. Far above the frame-to-
# frame jitter of a still item's outline (at most 2.5 %: 14 real product photos on the rendered
# counter, 40 frames each with camera noise, a 2 % exposure wobble and JPEG), below a second
# carton or a candy bar beside a litre carton.
AREA_CHANGE_SHARE = 0.15
# A new region holding this much of an item's box, and grown as above, grew out of it.
GREW_FROM_SHARE = 0.8
# An item whose look (``_look``) changed this much since the last frame is another one: one put
# down where another was taken away, under the hand, scores 0.31 or more; a still item under
# camera noise, exposure wobble and JPEG 0.05 at most (21 real product photos on the rendered
# counter). A candy bar laid on a carton scores 0.05-0.15: mostly not seen.
LOOK_CHANGE = 0.15
LOOK_SIDE_PX = 12
# The counter must look unlike its empty-counter shot this long before checkout waits for staff
# to take it again: an arm close to the camera covers most of the view for a moment.
STALE_AFTER_S = 2.0
# The items found just before the counter stopped looking like its shot covered this share of
# the picture: it is most likely full (one or two more products reach STALE_REFERENCE_SHARE),
# not lit differently or moved. A litre carton lying flat covers about a tenth of a counter
# camera's view; a cloth or a moved camera comes when the counter holds little.
FULL_COUNTER_SHARE = 0.35


@dataclass
class _Known:
    box: tuple
    area: float  # of its changed region, in pixels
    class_id: int
    seen: float
    suggestions: tuple = ()  # the taught SKUs it looked most like, best first
    look: np.ndarray | None = None  # when last seen on its own (``_look``)


class CounterItemDetector:
    """Regions that differ from ``empty_counter``, each labelled with a taught product's class
    (``taught:SKU``), ``UNKNOWN_ITEM_CLASS``, ``NOT_A_PRODUCT_CLASS`` or
    ``ITEMS_TOUCHING_CLASS``. ``encoder`` turns BGR crops into appearances."""

    def __init__(
        self,
        empty_counter: np.ndarray,
        gallery: ProductGallery,
        encoder,
        *,
        forget_after_s: float = 3.0,
        clock=time.monotonic,
    ) -> None:
        self._empty = empty_counter
        # Smaller than this is not an object (``changed_regions``), nor a change of one.
        self._object_area = MIN_OBJECT_SHARE * empty_counter.shape[0] * empty_counter.shape[1]
        self._gallery = gallery
        self._encoder = encoder
        self._forget_after_s = forget_after_s
        self._clock = clock
        self._known: list[_Known] = []
        self._unlike_since: float | None = None  # when the counter stopped matching its shot
        # The counter has looked unlike its empty-counter shot for STALE_AFTER_S (the light or
        # the camera moved): no item can be found, so payment waits until staff take it again.
        self.empty_counter_stale = False
        # Of a stale counter: the items covered FULL_COUNTER_SHARE of it when it stopped
        # matching (too many products at once, most likely, rather than the light or camera).
        self.counter_full = False
        self._items_share = 0.0  # of the picture, covered by the items of the last frame
        self.class_names = [taught_class_name(sku) for sku in gallery.skus] + [
            UNKNOWN_ITEM_CLASS,
            NOT_A_PRODUCT_CLASS,
            ITEMS_TOUCHING_CLASS,
        ]
        self.model_path = Path("taught-products")
        self.meta = {"taught_products": len(gallery.skus), "encoder": encoder.name}
        self.backend = "gallery"
        self.last_timings_ms: dict[str, float] = {}
        # The unknown items of the last frame: the taught SKUs they looked most like (each
        # item's best first, then each one's second, ...). Replaced whole: safe to read from
        # another thread.
        self.unknown_suggestions: tuple[str, ...] = ()

    @property
    def unknown_class_id(self) -> int:
        return len(self.class_names) - 3

    @property
    def not_a_product_class_id(self) -> int:
        return len(self.class_names) - 2

    @property
    def touching_class_id(self) -> int:
        return len(self.class_names) - 1

    def detect(self, image: np.ndarray, explained: Sequence[tuple] = ()) -> Detections:
        """The items on the counter; regions mostly inside an ``explained`` box are left out."""
        started = time.perf_counter()
        now = self._clock()
        try:
            regions, arms = counter_regions(image, self._empty)
        except ValueError as exc:
            return self._none(started, now, str(exc))
        self._matches_its_shot()
        self._items_share = sum(area for _box, area in regions) / (image.shape[0] * image.shape[1])
        self._known = [k for k in self._known if now - k.seen <= self._forget_after_s]
        found: list[_Known] = []
        identified = 0
        for box, area in regions:
            if any(_inside_share(box, other) >= EXPLAINED_SHARE for other in explained):
                continue
            look = _look(image, box)
            known = self._same_item(box, area, look)
            if known is None:
                known = self._new_item(image, box, area, now)
                self._known.append(known)
                identified += 1
            known.box, known.area, known.look, known.seen = box, area, look, now
            found.append(known)
        # An item a hand lies on merges with the arm into one region at the edge: it is still
        # there, under the hand, as long as the arm covers where it was.
        for known in self._known:
            if all(k is not known for k in found) and any(
                _inside_share(known.box, arm) >= COVERED_SHARE for arm in arms
            ):
                known.seen = now
                found.append(known)
        boxes = [known.box for known in found]
        classes = [known.class_id for known in found]
        unknown = [k.suggestions for k in found if k.class_id == self.unknown_class_id]
        self.unknown_suggestions = merge_suggestions(unknown)
        self.last_timings_ms = {"items": (time.perf_counter() - started) * 1000}
        if identified:
            log.debug("identified %d new counter items", identified)
        return Detections(
            np.array(boxes, np.float32).reshape(-1, 4),
            np.ones(len(boxes), np.float32),
            np.array(classes, np.int64),
        )

    def _same_item(self, box: tuple, area: float, look: np.ndarray) -> _Known | None:
        """The item identified before that this region is (nudged: the boxes overlap, the area
        and the look are the same), or None."""
        overlap, known = max(
            ((_iou(k.box, box), k) for k in self._known),
            key=lambda pair: pair[0],
            default=(0.0, None),
        )
        if known is None or overlap < SAME_ITEM_IOU:
            return None
        if _change(area, known, self._object_area):
            return None
        if known.look is not None and float(np.abs(look - known.look).mean()) >= LOOK_CHANGE:
            return None
        return known

    def _new_item(self, image: np.ndarray, box: tuple, area: float, now: float) -> _Known:
        grew_from = [k for k in self._known if self._grew_out_of(k, box, area)]
        if grew_from:
            return self._touching(box, area, now, grew_from)
        return self._identify(image, box, area, now)

    def _touching(self, box: tuple, area: float, now: float, grew_from: list) -> _Known:
        """Something was laid against the item(s) ``grew_from``: one region, whose crop the
        gallery would take for the item alone (the second carton of a pair, a small thing
        beside a big one would go unpaid). Items touching until they lie apart, each then
        identified."""
        log.info(
            "counter item at %s: items touching, something lies against the item(s) at %s",
            box,
            [k.box for k in grew_from],
        )
        return _Known(box, area, self.touching_class_id, now)

    def _grew_out_of(self, known: _Known, box: tuple, area: float) -> bool:
        """Whether a new region is ``known`` with something laid against it: it holds the item's
        box, and its area grew; or, where several items were found touching, did not shrink
        (they were rearranged under the hand: not quite the same region, still not one item)."""
        if _inside_share(known.box, box) < GREW_FROM_SHARE:
            return False
        change = _change(area, known, self._object_area)
        return change >= 0 if known.class_id == self.touching_class_id else change > 0

    def _identify(self, image: np.ndarray, box: tuple, area: float, now: float) -> _Known:
        match = identify_item(image, box, self._gallery, self._encoder)
        log.info(
            "counter item at %s: %s (%s, margin %.2f)",
            box,
            match.sku or "unknown",
            match.reason,
            match.margin,
        )
        if match.reason == "not_a_product":
            return _Known(box, area, self.not_a_product_class_id, now)
        if match.sku is None:
            return _Known(box, area, self.unknown_class_id, now, match.suggestions)
        return _Known(box, area, self._gallery.skus.index(match.sku), now)

    def set_empty_counter(self, image: np.ndarray) -> None:
        """Staff took the empty counter again (the light or the camera moved): items are found
        against ``image`` from the next frame on."""
        self._empty = image
        self._object_area = MIN_OBJECT_SHARE * image.shape[0] * image.shape[1]
        self._matches_its_shot()
        self._items_share = 0.0

    def _matches_its_shot(self) -> None:
        """The counter can be compared with its empty-counter shot (again)."""
        self._unlike_since, self.empty_counter_stale, self.counter_full = None, False, False

    def _none(self, started: float, now: float, why: str) -> Detections:
        self.unknown_suggestions = ()
        if self._unlike_since is None:
            log.warning("counter items are off until it matches again: %s", why)
            self._unlike_since = now
            self.counter_full = self._items_share >= FULL_COUNTER_SHARE
        self.empty_counter_stale = now - self._unlike_since >= STALE_AFTER_S
        self.last_timings_ms = {"items": (time.perf_counter() - started) * 1000}
        return Detections.empty()


def counter_regions(image: np.ndarray, empty_counter: np.ndarray) -> tuple[list, list]:
    """The regions of ``image`` that differ from ``empty_counter``, largest first, as (items,
    arms): an item ``(box, area)`` lies wholly in view; a region (its box) that touches the
    picture's edge is an arm reaching in (a hand, and what it holds or covers), not an item put
    down. Raises ValueError, with the reason, when the two pictures differ in size or most of
    the counter differs: then the light or the camera moved, and the empty-counter shot must be
    taken again."""
    regions = changed_regions(image, empty_counter)
    changed = sum(area for _box, area in regions)
    height, width = image.shape[:2]
    if changed > STALE_REFERENCE_SHARE * height * width:
        raise ValueError(
            "most of the counter differs from the empty-counter shot: take it again if the "
            "light or the camera moved"
        )
    edge = EDGE_SHARE * max(height, width)
    items, arms = [], []
    for (x1, y1, x2, y2), area in regions:
        if x1 > edge and y1 > edge and x2 < width - edge and y2 < height - edge:
            items.append(((x1, y1, x2, y2), area))
        else:
            arms.append((x1, y1, x2, y2))
    return items, arms


def identify_item(image: np.ndarray, box: tuple, gallery: ProductGallery, encoder) -> ProductMatch:
    """Which taught product the item in ``box`` of ``image`` is, if any: its crop (with a
    margin) encoded and matched by the gallery. About 0.4 s on two CPU cores."""
    x1, y1, x2, y2 = with_margin(box, image.shape)
    return gallery.match(encoder.encode([image[y1:y2, x1:x2]])[0])


class WithCounterItems:
    """The product detector plus the counter items it does not count: one ``ProductDetector``
    whose classes are the detector's followed by the items' (``CounterItemDetector.class_names``).

    ``counted``: the detector's class ids that the store sells; a detection of any other class
    (a demo product on a real store's counter) does not explain a region away, and is dropped
    when it lies inside a counter item (the item says what is there).
    """

    def __init__(
        self, products: ProductDetector, items: CounterItemDetector, counted: set[int]
    ) -> None:
        self._products = products
        self._items = items
        self._counted = counted
        self.class_names = list(products.class_names) + list(items.class_names)
        self.model_path = products.model_path
        self.meta = products.meta
        self.backend = products.backend
        self.last_timings_ms: dict[str, float] = {}

    def detect(self, image: np.ndarray) -> Detections:
        found = self._products.detect(image)
        explained = [
            tuple(box) for box, cls in zip(found.xyxy, found.class_id) if int(cls) in self._counted
        ]
        items = self._items.detect(image, explained)
        self.last_timings_ms = {**self._products.last_timings_ms, **self._items.last_timings_ms}
        item_boxes = [tuple(item) for item in items.xyxy]
        keep = [
            int(cls) in self._counted
            or not any(_inside_share(tuple(box), item) >= EXPLAINED_SHARE for item in item_boxes)
            for box, cls in zip(found.xyxy, found.class_id)
        ]
        found = Detections(found.xyxy[keep], found.confidence[keep], found.class_id[keep])
        offset = len(self._products.class_names)
        return Detections(
            np.concatenate([found.xyxy, items.xyxy]).astype(np.float32),
            np.concatenate([found.confidence, items.confidence]).astype(np.float32),
            np.concatenate([found.class_id, items.class_id + offset]).astype(np.int64),
        )


def unknown_item_pictures(
    image: np.ndarray, boxes: Sequence, items: Collection[int]
) -> list[tuple[int, np.ndarray]]:
    """(item id, picture) of the unknown items among ``boxes`` (``ItemBox``) with an id in
    ``items`` (those staff may name), each cut from the counter ``image`` as it was identified
    (with a margin of counter), left to right."""
    unknown = sorted(
        (
            (box.item, tuple(int(v) for v in box.xyxy))
            for box in boxes
            if box.class_name == UNKNOWN_ITEM_CLASS and box.item in items
        ),
        key=lambda item_box: item_box[1][0],
    )
    pictures = []
    for item, xyxy in unknown:
        x1, y1, x2, y2 = with_margin(xyxy, image.shape)
        pictures.append((item, np.ascontiguousarray(image[y1:y2, x1:x2])))
    return pictures


def merge_suggestions(suggestions: Sequence[tuple]) -> tuple:
    """Several items' suggestions as one list: every item's first, then every second, ...;
    each SKU once."""
    merged: list = []
    for rank in range(max((len(s) for s in suggestions), default=0)):
        for item in suggestions:
            if rank < len(item) and item[rank] not in merged:
                merged.append(item[rank])
    return tuple(merged)


def _look(image: np.ndarray, box: tuple) -> np.ndarray:
    """What the item in ``box`` looks like, coarsely: its colours on a 12×12 grid, divided by
    their mean (the camera's exposure wobbles)."""
    import cv2

    x1, y1, x2, y2 = (int(v) for v in box)
    side = (LOOK_SIDE_PX, LOOK_SIDE_PX)
    grid = cv2.resize(image[y1:y2, x1:x2], side, interpolation=cv2.INTER_AREA).astype(np.float32)
    return grid / max(float(grid.mean()), 1.0)


def _change(area: float, known: _Known, object_area: float) -> float:
    """How much a region's ``area`` exceeds ``known``'s (< 0: it is smaller), or 0 when the
    difference is within the jitter of one item's outline: the same item."""
    change = area - known.area
    return change if abs(change) >= max(object_area, AREA_CHANGE_SHARE * known.area) else 0.0


def _iou(a: tuple, b: tuple) -> float:
    return float(box_iou(np.array([a], np.float32), np.array([b], np.float32))[0, 0])


def _inside_share(box: tuple, other: tuple) -> float:
    """How much of ``box`` lies inside ``other``."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    return _intersection(box, other) / area if area > 0 else 0.0


def _intersection(a: tuple, b: tuple) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return float(max(0.0, w) * max(0.0, h))
