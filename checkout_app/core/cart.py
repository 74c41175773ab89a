"""The shopper's cart: what the camera sees, plus the corrections a shopper or staff made.

The detector side feeds whole counts per SKU (``set_detected``). A correction pins the
quantity of one SKU so that later detections no longer change it, until it is undone.

A correction can charge more than the camera sees (it missed one) but not silently less: a line
lowered below the camera's count has a *shortfall* ("take 1 off the counter") that holds the
payment until the product leaves the counter or staff approve the lower count. A removed line
stays listed (with its undo) so a tap on ✕ is never lost. Unknown items (on the counter, but no
product the kiosk knows) have no price and hold the payment too, until they leave the counter or
a barcode scan or staff say what one of them is (``name_unknown_item``): from then on that item
counts as its product, as if the camera saw that product, until it leaves the counter. Each
unknown item is known by the tracker's id for it, so a naming stays with the item it was for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from checkout_app.core.catalog import Catalog, Product


@dataclass(frozen=True)
class CartLine:
    sku: str
    name: str
    qty: int
    unit_price: int

    @property
    def line_total(self) -> int:
        return self.qty * self.unit_price

    def to_dict(self) -> dict:
        return {
            "sku": self.sku,
            "name": self.name,
            "qty": self.qty,
            "unit_price": self.unit_price,
            "line_total": self.line_total,
        }


@dataclass(frozen=True)
class Correction:
    """One manual change, kept so it can be logged and shown to staff."""

    sku: str
    old_qty: int
    new_qty: int


@dataclass
class Cart:
    catalog: Catalog
    _detected: dict[str, int] = field(default_factory=dict)
    _pinned: dict[str, int] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)
    _approved: dict[str, int] = field(default_factory=dict)  # SKU -> extra items staff allowed
    corrections: list[Correction] = field(default_factory=list)
    # Ids of the objects on the counter that are no product the kiosk knows, oldest first.
    _unknown_seen: tuple = ()
    _named: dict = field(default_factory=dict)  # unknown item id -> SKU a scan or staff said
    _guessed: set = field(default_factory=set)  # of ``_named``: which item it was, nobody said
    _set_aside: set = field(default_factory=set)  # unknown item ids staff said are no product
    _scanned: set = field(default_factory=set)  # SKUs whose last correction was a barcode scan

    def set_detected(self, counts: Mapping[str, int], unknown_items: Sequence[int] = ()) -> bool:
        """Replace what the camera sees: SKU -> count, and the ids of the unknown items on the
        counter (the tracker's: an item keeps its id while it stays). Returns True if the cart
        changed.

        SKUs not in the catalog or not active are ignored: the store does not sell them.
        """
        before = self.quantities(), self.unknown_items
        self._detected = {
            sku: int(n)
            for sku, n in counts.items()
            if n > 0 and sku in self.catalog and self.catalog.get(sku).active
        }
        self._unknown_seen = tuple(unknown_items)
        # An item that left the counter takes its name along.
        self._named = {item: sku for item, sku in self._named.items() if item in self._unknown_seen}
        self._guessed &= self._named.keys()
        self._set_aside &= set(self._unknown_seen)
        self._settle_guesses()
        self._remember_order(self._detected)
        return (self.quantities(), self.unknown_items) != before

    @property
    def unknown_items(self) -> int:
        """Unknown items on the counter that nobody has said what they are: payment waits."""
        return len(self.unnamed_items())

    def unnamed_items(self) -> tuple:
        """Ids of the unknown items on the counter that nobody has named or set aside, oldest
        first."""
        return tuple(
            item
            for item in self._unknown_seen
            if item not in self._named and item not in self._set_aside
        )

    def named(self) -> dict:
        """Unknown item id -> the SKU a scan or staff said it is, for those on the counter."""
        return dict(self._named)

    def set_aside_items(self) -> frozenset:
        """Ids of the unknown items on the counter that staff said are no product."""
        return frozenset(self._set_aside)

    def guessed(self) -> frozenset:
        """Of ``named``, the items whose naming did not say which item it was (a scan, or staff
        not tapping one, while several were unknown): the count is right, the item a guess. Staff
        may still name them (``name_unknown_item``)."""
        return frozenset(self._guessed)

    def name_unknown_item(self, sku: str, item: int | None = None) -> None:
        """A barcode scan or staff say what unknown item ``item`` is (an id from
        ``unnamed_items``, or from ``guessed``: then the guess moves to another item); None: one
        of them, not saying which. It counts as one ``sku`` seen by the camera (lowering the
        line below it is a shortfall for staff to approve)."""
        product = self.catalog.get(sku)
        if not product.active:
            raise ValueError(f"{product.name_en} is not for sale")
        unnamed = self.unnamed_items()
        if not unnamed:
            raise ValueError("there is no unknown item on the counter")
        if item is None:
            item = unnamed[0]
            if len(unnamed) > 1:
                self._guessed.add(item)
        else:
            self._claim(item, sku)
        self._named[item] = sku
        self._settle_guesses()
        self._remember_order({sku: 1})

    def set_aside(self, item: int | None = None) -> None:
        """Staff say unknown item ``item`` is no product (a shopper's phone, a bag, a store's
        tray): neither charged nor holding the payment while it stays on the counter. None: the
        only unknown item."""
        unnamed = self.unnamed_items()
        if item is None:
            if len(unnamed) != 1:
                raise ValueError("say which of the unknown items is no product")
            item = unnamed[0]
        else:
            self._claim(item, None)
        self._set_aside.add(item)
        self._settle_guesses()

    def _claim(self, item: int, sku: str | None) -> None:
        """Check that staff may say what ``item`` is (``sku``; None: no product). Was a scan
        only guessed to be it, then unless it is that product the scanned one is another of
        the unnamed items: the guess moves there."""
        if item in self._guessed:
            self._guessed.discard(item)
            guessed_sku = self._named.pop(item)
            if guessed_sku != sku:
                others = [i for i in self.unnamed_items() if i != item]
                self._named[others[0]] = guessed_sku
                if len(others) > 1:
                    self._guessed.add(others[0])
        elif item not in self.unnamed_items():
            raise ValueError("that unknown item has left the counter or is named already")

    def sell_new_product(self, product: Product) -> None:
        """A product staff just taught, sold from now on in this visit too (the other prices
        stay as they were when the visit began)."""
        if product.sku not in self.catalog:
            self.catalog = Catalog([*self.catalog, product])

    def _settle_guesses(self) -> None:
        """No unnamed item left: the guesses stand (all of one product, each item is it;
        otherwise the cart charges them as guessed, and nobody is left to ask)."""
        if not self.unnamed_items():
            self._guessed.clear()

    def set_quantity(self, sku: str, qty: int) -> None:
        """Pin a SKU's quantity (0 removes the line) whatever the camera sees."""
        product = self.catalog.get(sku)
        if not product.active:
            raise ValueError(f"{product.name_en} is not for sale")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 0:
            raise ValueError(f"quantity must be a whole number >= 0, got {qty!r}")
        old = self.quantity(sku)
        self._scanned.discard(sku)  # changed by hand now, whatever it was before
        self._pinned[sku] = qty
        self._remember_order({sku: qty})
        if old != qty:
            self.corrections.append(Correction(sku, old, qty))

    def add(self, sku: str, qty: int = 1) -> None:
        self.set_quantity(sku, self.quantity(sku) + qty)

    def scan(self, sku: str) -> None:
        """One more ``sku``, by its barcode: a correction like a tap on +, shown as a scan."""
        self.add(sku)
        self._scanned.add(sku)

    def is_scanned(self, sku: str) -> bool:
        """The line's quantity was last set by a barcode scan."""
        return sku in self._scanned

    def remove(self, sku: str) -> None:
        self.set_quantity(sku, 0)

    def undo_correction(self, sku: str) -> None:
        """Let the camera decide this SKU's quantity again."""
        if sku in self._pinned:
            old = self.quantity(sku)
            del self._pinned[sku]
            self._scanned.discard(sku)
            self._approved.pop(sku, None)
            self.corrections.append(Correction(sku, old, self.quantity(sku)))

    def clear(self) -> None:
        self._detected.clear()
        self._pinned.clear()
        self._order.clear()
        self._approved.clear()
        self.corrections.clear()
        self._scanned.clear()
        self._named.clear()
        self._guessed.clear()
        self._set_aside.clear()
        self._unknown_seen = ()

    def camera_quantity(self, sku: str) -> int:
        """How many the camera sees now (an unknown item named counts as its product), whatever
        a correction says."""
        return self._detected.get(sku, 0) + list(self._named.values()).count(sku)

    def shortfalls(self) -> dict[str, int]:
        """SKU -> how many more the camera sees than the cart charges, for lines a correction
        lowered and staff have not approved. Payment waits while this is not empty."""
        short = {}
        for sku in self._order:
            if sku in self._pinned:
                extra = self.camera_quantity(sku) - self._pinned[sku] - self._approved.get(sku, 0)
                if extra > 0:
                    short[sku] = extra
        return short

    def approve_shortfalls(self) -> dict[str, int]:
        """Staff accept the lower counts as they stand (the camera counted one twice, say).
        Returns what was approved; the camera seeing even more later is a new shortfall."""
        short = self.shortfalls()
        for sku, extra in short.items():
            self._approved[sku] = self._approved.get(sku, 0) + extra
        return short

    def removed(self) -> list[str]:
        """SKUs a correction set to 0, in cart order: listed so the removal can be undone."""
        return [sku for sku in self._order if self._pinned.get(sku) == 0]

    def shown(self) -> list[str]:
        """SKUs the cart lists, in cart order: lines with a quantity and removed lines."""
        return [sku for sku in self._order if sku in self._pinned or self.quantity(sku) > 0]

    def quantity(self, sku: str) -> int:
        if sku in self._pinned:
            return self._pinned[sku]
        return self.camera_quantity(sku)

    def quantities(self) -> dict[str, int]:
        """SKU -> quantity for every line with a quantity above zero, in cart order."""
        return {sku: q for sku in self._order if (q := self.quantity(sku)) > 0}

    def lines(self, lang: str = "en") -> list[CartLine]:
        lines = []
        for sku, qty in self.quantities().items():
            product = self.catalog.get(sku)
            lines.append(CartLine(sku, product.name(lang), qty, product.price))
        return lines

    @property
    def total(self) -> int:
        return sum(line.line_total for line in self.lines())

    def is_pinned(self, sku: str) -> bool:
        return sku in self._pinned

    def to_dict(self, lang: str = "en") -> dict:
        lines = self.lines(lang)
        return {"lines": [line.to_dict() for line in lines], "total": self.total}

    def _remember_order(self, skus: Mapping[str, int]) -> None:
        for sku in skus:
            if sku not in self._order:
                self._order.append(sku)
