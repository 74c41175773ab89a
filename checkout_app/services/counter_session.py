"""One shopper's visit at the counter, shared by the processing thread and the kiosk window.

The processing thread calls ``process`` for every frame it gets to; the window calls the
correction methods when the shopper taps − / + / remove. Detection (the slow part) runs outside
the lock, so a tap never waits for the model; only the short tracker + cart step is locked.
Every call returns a ``CounterSnapshot``: an immutable picture of the cart and the boxes that the
window can paint without touching shared state. No Qt here.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from checkout_app.camera.source import Frame
from checkout_app.core.cart import Cart, CartLine, Correction
from checkout_app.core.catalog import ITEMS_TOUCHING_CLASS, Catalog, Product
from checkout_app.services.barcode_scans import BarcodeScans
from checkout_app.services.checkout_pipeline import CheckoutPipeline
from checkout_app.services.counter_items import CounterItemDetector, WithCounterItems
from checkout_app.vision.barcode_reader import BarcodeReader
from checkout_app.vision.detections import ProductDetector
from checkout_app.vision.tracker import CartTracker, TrackerConfig

log = logging.getLogger(__name__)

# A box stays drawn this long after its item was last detected: through a flicker of the
# detector, but not over an empty counter while the cart waits to be sure the item is gone.
BOX_HOLD_S = 0.5


@dataclass(frozen=True)
class ItemBox:
    """One tracked item to draw: ``sku`` is None for a class the store does not sell;
    ``item`` is the tracker's id for it (the one a naming of an unknown item refers to)."""

    xyxy: tuple
    class_name: str
    sku: str | None
    confirmed: bool
    item: int


@dataclass(frozen=True)
class ScanEvent:
    """A barcode scan at the counter: ``outcome`` is "added", "resolved" (added, and it said what
    an unknown item on the counter is), "unknown" (not in the catalog) or "inactive" (the
    product is not for sale); ``sku`` is None for an unknown code."""

    code: str
    sku: str | None
    outcome: str


@dataclass(frozen=True)
class CounterSnapshot:
    catalog: Catalog
    quantities: dict  # SKU -> quantity, in cart order
    pinned: frozenset  # SKUs whose quantity a correction fixed
    corrections: tuple  # Correction, oldest first
    shown: tuple = ()  # SKUs the cart lists, in order: ``quantities`` plus removed lines
    camera: dict = field(default_factory=dict)  # SKU -> count the camera sees, for ``shown``
    shortfalls: dict = field(default_factory=dict)  # SKU -> seen but not charged (Cart)
    # Ids of the items on the counter that are no product the kiosk knows and that nobody has
    # named (Cart.unnamed_items): no price, no payment.
    unnamed: tuple = ()
    # For staff naming an unknown item: the products on sale it looked most like, best first.
    unknown_suggestions: tuple = ()
    named: dict = field(default_factory=dict)  # unknown item id -> SKU named (Cart.named)
    guessed: frozenset = frozenset()  # of ``named``, which item it was is a guess (Cart.guessed)
    set_aside: frozenset = frozenset()  # unknown item ids staff said are no product
    scans: tuple = ()  # ScanEvent of the frame just processed
    boxes: tuple = ()  # ItemBox of the last processed frame
    frame_index: int = -1
    timings_ms: dict = field(default_factory=dict)
    cart_changed: bool = False
    scanned: frozenset = frozenset()  # of ``pinned``, those a barcode scan set last
    # The counter looks unlike its empty-counter shot (CounterItemDetector.empty_counter_stale):
    # taught products and unknown items cannot be found, so nothing can be paid for.
    empty_counter_stale: bool = False
    # Of a stale counter: most likely too full, not lit differently (.counter_full).
    counter_full: bool = False

    def lines(self, lang: str = "en") -> list[CartLine]:
        return [
            CartLine(sku, self.catalog.get(sku).name(lang), qty, self.catalog.get(sku).price)
            for sku, qty in self.quantities.items()
        ]

    @property
    def total(self) -> int:
        return sum(line.line_total for line in self.lines())

    @property
    def unknown_items(self) -> int:
        return len(self.unnamed)

    @property
    def touching_items(self) -> int:
        """Regions of several items laid against each other (``ITEMS_TOUCHING_CLASS``): nothing
        is charged for them and payment waits until they lie apart."""
        return sum(
            1 for box in self.boxes if box.confirmed and box.class_name == ITEMS_TOUCHING_CLASS
        )

    @property
    def occupied(self) -> bool:
        """Something of the shopper's on the counter: charged, unknown or items touching."""
        return bool(self.item_count or self.unknown_items or self.touching_items)

    @property
    def nameable(self) -> frozenset:
        """Ids of the unknown items staff may name: those nobody named, and those a scan was
        only guessed to be."""
        return frozenset(self.unnamed) | self.guessed

    @property
    def item_count(self) -> int:
        return sum(self.quantities.values())

    @property
    def can_pay(self) -> bool:
        """Something to pay for, and nothing on the counter that the cart does not charge (or
        might not: items touching, or while the counter cannot be compared with its
        empty-counter shot)."""
        return (
            self.item_count > 0
            and not self.shortfalls
            and not self.unknown_items
            and not self.touching_items
            and not self.empty_counter_stale
        )


class CounterSession:
    """Detector + tracker + cart for the kiosk, safe to drive from two threads."""

    def __init__(
        self,
        detector: ProductDetector,
        catalog: Catalog,
        tracker_config: TrackerConfig | None = None,
        on_correction: Callable[[Correction], None] | None = None,
        barcode_reader: BarcodeReader | None = None,
        counter_items: Callable[[], CounterItemDetector | None] | None = None,
    ) -> None:
        """``barcode_reader``: also read barcodes held up to the counter camera (None: off).
        ``counter_items()``: the detector of taught products and unknown items for the next
        visit (None while there is nothing to find them with), asked at every reset."""
        self._lock = threading.Lock()
        self._detector = detector
        self._counter_items = counter_items
        self._items: CounterItemDetector | None = None  # this visit's, when taught products
        self._tracker_config = tracker_config or TrackerConfig.for_fps(15.0)
        self._on_correction = on_correction
        self._barcode_reader = barcode_reader
        self._scans = BarcodeScans()
        self._pipeline = self._new_pipeline(catalog)
        self._boxes: tuple = ()
        self._frame_index = -1
        self._visit = 0
        self._timings: dict = {}

    def _new_pipeline(self, catalog: Catalog) -> CheckoutPipeline:
        detector: ProductDetector = self._detector
        items = self._counter_items() if self._counter_items else None
        self._items = items
        if items is not None:
            sold = {
                i
                for i, name in enumerate(detector.class_names)
                if (product := catalog.for_class(name)) is not None and product.active
            }
            detector = WithCounterItems(detector, items, sold)
        return CheckoutPipeline(detector, CartTracker(self._tracker_config), catalog)

    @property
    def catalog(self) -> Catalog:
        return self._pipeline.cart.catalog

    @property
    def class_names(self) -> list[str]:
        return list(self._detector.class_names)

    def process(self, frame: Frame) -> CounterSnapshot:
        """Detect on ``frame`` and update the cart (processing thread)."""
        if frame.visit != self._visit:
            # The source says the shopper left and the next one came (the demo's loop): what
            # the last one scanned or corrected is not the next one's.
            self._visit = frame.visit
            self.reset()
        detecting = self._pipeline
        detections, timings = detecting.detect(frame)
        codes = set()
        if self._barcode_reader is not None:
            started = time.perf_counter()
            codes = {b.gtin for b in self._barcode_reader.read(frame.image)}
            timings["barcodes"] = (time.perf_counter() - started) * 1000
        with self._lock:
            pipeline = self._pipeline
            if pipeline is not detecting:
                # A new visit began while this frame was being detected, maybe with other
                # classes (newly taught products): its detections belong to the old visit.
                return self._snapshot(False)
            changed, timings["tracking"] = pipeline.apply(detections, frame.timestamp)
            cart = pipeline.cart
            before = len(cart.corrections)
            scanned = self._scans.update(codes, frame.timestamp)
            events = tuple(self._scan(cart, code) for code in scanned)
            made = cart.corrections[before:]
            self._boxes = tuple(self._item_boxes(pipeline, frame.timestamp))
            self._frame_index = frame.index
            self._timings = timings
            snapshot = self._snapshot(changed or bool(made), events)
        self._report(made)
        return snapshot

    @staticmethod
    def _scan(cart: Cart, code: str) -> ScanEvent:
        """One confirmed scan: add the product (a correction, like a tap on +) or say why not."""
        product = cart.catalog.for_barcode(code)
        if product is None:
            log.info("barcode %s is not in the catalog", code)
            return ScanEvent(code, None, "unknown")
        if not product.active:
            log.info("barcode %s: %s is not for sale", code, product.sku)
            return ScanEvent(code, product.sku, "inactive")
        if cart.unknown_items:  # most likely the unknown item's own barcode
            cart.name_unknown_item(product.sku)
            log.info("barcode %s says an unknown item is %s", code, product.sku)
            return ScanEvent(code, product.sku, "resolved")
        cart.scan(product.sku)
        log.info("barcode %s added %s", code, product.sku)
        return ScanEvent(code, product.sku, "added")

    def set_quantity(self, sku: str, qty: int) -> CounterSnapshot:
        return self._correct(lambda cart: cart.set_quantity(sku, qty))

    def add(self, sku: str, qty: int = 1) -> CounterSnapshot:
        return self._correct(lambda cart: cart.add(sku, qty))

    def remove(self, sku: str) -> CounterSnapshot:
        return self._correct(lambda cart: cart.remove(sku))

    def undo_correction(self, sku: str) -> CounterSnapshot:
        return self._correct(lambda cart: cart.undo_correction(sku))

    def name_unknown_item(self, sku: str, item: int | None = None) -> CounterSnapshot:
        """Staff say what unknown item ``item`` (``ItemBox.item``; None: one of them) is
        (``Cart.name_unknown_item``)."""
        snapshot = self._staff_says(lambda cart: cart.name_unknown_item(sku, item))
        log.info("staff said unknown item %s is %s", "?" if item is None else item, sku)
        return snapshot

    def name_unknown_item_as_new(self, product: Product, item: int | None) -> CounterSnapshot:
        """Staff taught unknown item ``item`` as a new ``product``: sold from now on, and that
        item counts as it (``Cart.sell_new_product``, ``Cart.name_unknown_item``)."""

        def sell_and_name(cart: Cart) -> None:
            cart.sell_new_product(product)
            cart.name_unknown_item(product.sku, item)

        snapshot = self._staff_says(sell_and_name)
        log.info("staff taught unknown item %s as %s", "?" if item is None else item, product.sku)
        return snapshot

    def set_aside(self, item: int | None) -> CounterSnapshot:
        """Staff say unknown item ``item`` is no product (``Cart.set_aside``)."""
        snapshot = self._staff_says(lambda cart: cart.set_aside(item))
        log.info("staff said unknown item %s is no product", "?" if item is None else item)
        return snapshot

    def set_empty_counter(self, image) -> CounterSnapshot:
        """Staff took the empty counter again: this visit's items are found against ``image``
        from the next frame on (the next visits' come from ``counter_items()``)."""
        with self._lock:
            if self._items is not None:
                self._items.set_empty_counter(image)
            return self._snapshot(True)

    def approve_shortfalls(self) -> tuple[CounterSnapshot, dict]:
        """Staff accept the lowered counts; returns the snapshot and what was approved."""
        with self._lock:
            approved = self._pipeline.cart.approve_shortfalls()
            snapshot = self._snapshot(bool(approved))
        for sku, extra in approved.items():
            log.info("staff approved %s: %d more on the counter than charged", sku, extra)
        return snapshot, approved

    def reset(self, catalog: Catalog | None = None) -> CounterSnapshot:
        """Start a new visit (optionally with new prices): empty cart, no tracks."""
        with self._lock:
            self._pipeline = self._new_pipeline(catalog or self.catalog)
            self._scans = BarcodeScans()
            self._boxes = ()
            return self._snapshot(True)

    def snapshot(self) -> CounterSnapshot:
        with self._lock:
            return self._snapshot(False)

    def _staff_says(self, change: Callable[[Cart], None]) -> CounterSnapshot:
        """Staff say what an unknown item is (or that it is no product): ``change`` the cart."""
        with self._lock:
            change(self._pipeline.cart)
            return self._snapshot(True)

    def _correct(self, change: Callable[[Cart], None]) -> CounterSnapshot:
        with self._lock:
            cart = self._pipeline.cart
            before = len(cart.corrections)
            change(cart)
            made = cart.corrections[before:]
            snapshot = self._snapshot(bool(made))
        self._report(made)
        return snapshot

    def _report(self, made) -> None:
        """Log corrections and hand them on (outside the lock: the callback may write)."""
        for correction in made:
            log.info(
                "cart correction: %s %d -> %d",
                correction.sku,
                correction.old_qty,
                correction.new_qty,
            )
            if self._on_correction:
                self._on_correction(correction)

    def _item_boxes(self, pipeline: CheckoutPipeline, now: float):
        """Boxes of the items seen within ``BOX_HOLD_S``: a track the cart still holds on to
        (an item hidden for a moment) is not drawn over a counter it has left."""
        names = pipeline.detector.class_names
        for track in pipeline.tracker.tracks:
            if track.class_id < 0:
                continue
            if track.last_seen is None or now - track.last_seen > BOX_HOLD_S:
                continue
            class_name = names[track.class_id]
            product = pipeline.cart.catalog.for_class(class_name)
            sku = product.sku if product is not None and product.active else None
            yield ItemBox(track.xyxy, class_name, sku, track.confirmed, track.track_id)

    def _unknown_suggestions(self, cart: Cart) -> tuple:
        if self._items is None:
            return ()
        catalog = cart.catalog
        return tuple(
            sku
            for sku in self._items.unknown_suggestions
            if sku in catalog and catalog.get(sku).active
        )

    def _snapshot(self, changed: bool, scans: tuple = ()) -> CounterSnapshot:
        cart = self._pipeline.cart
        quantities = cart.quantities()
        shown = tuple(cart.shown())
        return CounterSnapshot(
            catalog=cart.catalog,
            quantities=quantities,
            pinned=frozenset(sku for sku in shown if cart.is_pinned(sku)),
            scanned=frozenset(sku for sku in shown if cart.is_scanned(sku)),
            corrections=tuple(cart.corrections),
            shown=shown,
            camera={sku: cart.camera_quantity(sku) for sku in shown},
            shortfalls=cart.shortfalls(),
            unnamed=cart.unnamed_items(),
            unknown_suggestions=self._unknown_suggestions(cart) if cart.unknown_items else (),
            named=cart.named(),
            guessed=cart.guessed(),
            set_aside=cart.set_aside_items(),
            scans=scans,
            boxes=self._boxes,
            frame_index=self._frame_index,
            timings_ms=dict(self._timings),
            cart_changed=changed,
            empty_counter_stale=self._items is not None and self._items.empty_counter_stale,
            counter_full=self._items is not None and self._items.counter_full,
        )
