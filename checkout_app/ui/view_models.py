"""What the shopper screens show, computed from a ``CounterSnapshot`` without Qt.

Kept free of Qt so the rows, totals and box labels are tested in milliseconds; the widgets only
copy these values into labels and paint them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from checkout_app.core.catalog import ITEMS_TOUCHING_CLASS, NOT_A_PRODUCT_CLASS, UNKNOWN_ITEM_CLASS
from checkout_app.core.money import format_won
from checkout_app.services.counter_session import CounterSnapshot

# One colour per detector class index, distinct on a grey counter (hex for QColor).
BOX_COLOURS = (
    "#E6194B",
    "#3CB44B",
    "#FFB000",
    "#4363D8",
    "#F58231",
    "#911EB4",
    "#0AA5B4",
    "#F032E6",
    "#7FA800",
    "#C8507A",
    "#008080",
    "#9A6324",
)
NOT_FOR_SALE_COLOUR = "#808080"
UNKNOWN_ITEM_COLOUR = "#C8372D"  # theme.DANGER: it holds the payment until it leaves


@dataclass(frozen=True)
class CartRow:
    sku: str
    name: str
    qty: int
    unit_price: str
    line_total: str
    corrected: bool  # the shopper or staff fixed this quantity (by hand or by a scan)
    take_off: int = 0  # on the counter but not charged: take these off (or staff approve)
    scanned: bool = False  # the correction was a barcode scan

    @property
    def removed(self) -> bool:
        """Set to 0 by hand: still listed, so the removal can be undone."""
        return self.qty == 0


@dataclass(frozen=True)
class BoxTexts:
    """The labels (translated) of the boxes that name no product."""

    not_for_sale: str  # a class the store does not sell
    unknown_item: str  # no product the kiosk knows
    not_a_product: str  # staff set it aside, or it looks like one they said is no product
    items_touching: str  # several items laid against each other: to move apart


@dataclass(frozen=True)
class BoxView:
    xyxy: tuple
    text: str
    colour: str
    confirmed: bool


def cart_rows(snapshot: CounterSnapshot, lang: str) -> list[CartRow]:
    """The cart's lines in cart order, removed ones included (for their undo)."""
    rows = []
    for sku in snapshot.shown:
        product = snapshot.catalog.get(sku)
        qty = snapshot.quantities.get(sku, 0)
        rows.append(
            CartRow(
                sku=sku,
                name=product.name(lang),
                qty=qty,
                unit_price=format_won(product.price, lang),
                line_total=format_won(qty * product.price, lang),
                corrected=sku in snapshot.pinned,
                take_off=snapshot.shortfalls.get(sku, 0),
                scanned=sku in snapshot.scanned,
            )
        )
    return rows


def total_text(snapshot: CounterSnapshot, lang: str) -> str:
    return format_won(snapshot.total, lang)


def box_views(
    snapshot: CounterSnapshot, class_names: list[str], lang: str, texts: BoxTexts
) -> list[BoxView]:
    """Boxes with the product name, or one of ``texts``. An unknown item that a scan or staff
    named shows its product, unless which item the naming was for is a guess."""
    index = {name: i for i, name in enumerate(class_names)}
    views = []
    for box in snapshot.boxes:
        unknown = box.class_name == UNKNOWN_ITEM_CLASS
        sku = box.sku
        if unknown and box.item not in snapshot.guessed:
            sku = snapshot.named.get(box.item)
        if sku is not None:
            product = snapshot.catalog.get(sku)
            text = product.name(lang)
            colour = BOX_COLOURS[_colour_index(product.class_name, index) % len(BOX_COLOURS)]
        elif (unknown and box.item in snapshot.set_aside) or box.class_name == NOT_A_PRODUCT_CLASS:
            text, colour = texts.not_a_product, NOT_FOR_SALE_COLOUR
        elif unknown:
            text, colour = texts.unknown_item, UNKNOWN_ITEM_COLOUR
        elif box.class_name == ITEMS_TOUCHING_CLASS:
            text, colour = texts.items_touching, UNKNOWN_ITEM_COLOUR
        else:
            text, colour = texts.not_for_sale, NOT_FOR_SALE_COLOUR
        views.append(BoxView(box.xyxy, text, colour, box.confirmed))
    return views


def _colour_index(class_name: str, index: dict) -> int:
    """The detector's class index; for a taught product (not a detector class) a stable number
    from its class name, never the first colour, which is close to the unknown item's red."""
    if class_name in index:
        return index[class_name]
    return 1 + zlib.crc32(class_name.encode("utf-8")) % (len(BOX_COLOURS) - 1)
