"""The store's product catalog: what each detector class is called and what it costs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from checkout_app.core.barcode import BarcodeError, normalize_barcode
from checkout_app.core.money import MAX_PRICE_WON, validate_amount
from checkout_app.core.text import has_control_characters

TEXT_FIELDS = ("sku", "name_ko", "name_en", "class_name")
# Long enough for any real name, short enough for a cart line and a receipt.
MAX_TEXT_CHARS = {"sku": 40, "name_ko": 80, "name_en": 80, "class_name": 60}
# A product staff taught from photos is recognised by its appearance, not by the product
# detector: its class name is the one the counter-item detector (services/counter_items.py)
# reports for it, unique like every class name (the column is).
TAUGHT_CLASS_PREFIX = "taught:"
# The class of an object on the counter that is no product the kiosk knows: the cart lists it
# without a price, and payment waits until it is taken away or taught.
UNKNOWN_ITEM_CLASS = "unknown_item"
# The class of an object on the counter like one staff said is no product (a store's tray, a
# receipt): neither charged nor holding the payment.
NOT_A_PRODUCT_CLASS = "not_a_product"
# The class of one region on the counter that holds several items laid against each other: the
# recogniser would take it for one of them, so none is identified until they lie apart. Nothing
# is charged for it and payment waits; it is no unknown item (named or scanned as one product,
# the other would go unpaid), the shopper moves them apart.
ITEMS_TOUCHING_CLASS = "items_touching"


def taught_class_name(sku: str) -> str:
    return TAUGHT_CLASS_PREFIX + sku


class CatalogStoreError(RuntimeError):
    """The catalog could not be read or saved: the database refused or went away."""


def text_problem(field_name: str, value: str) -> str | None:
    """What is wrong with a product's text field, or None."""
    if not value.strip():
        return f"missing {field_name}"
    if has_control_characters(value):
        return f"{field_name} holds control characters (line breaks, escapes, NUL…)"
    if len(value) > MAX_TEXT_CHARS[field_name]:
        return f"{field_name} is longer than {MAX_TEXT_CHARS[field_name]} characters"
    return None


@dataclass(frozen=True)
class Product:
    """One product the kiosk can sell.

    ``class_name`` is the product detector's class for it; ``price`` is whole won;
    ``barcodes`` are its codes as canonical GTINs (``core.barcode.normalize_barcode``).
    """

    sku: str
    name_ko: str
    name_en: str
    price: int
    class_name: str
    active: bool = True
    barcodes: tuple = ()

    def __post_init__(self) -> None:
        for field_name in TEXT_FIELDS:
            value = getattr(self, field_name)
            if not isinstance(value, str):
                raise ValueError(f"product {field_name} must be text")
            problem = text_problem(field_name, value)
            if problem:
                raise ValueError(f"product {problem}")
        validate_amount(self.price, "price")
        if self.price >= MAX_PRICE_WON:
            raise ValueError(f"price {self.price:,} is too large (at most {MAX_PRICE_WON - 1:,})")
        if not isinstance(self.barcodes, tuple):
            raise ValueError("product barcodes must be a tuple")
        for code in self.barcodes:
            if normalize_barcode(code) != code:
                raise ValueError(f"barcode {code!r} is not in its canonical form")
        if len(set(self.barcodes)) != len(self.barcodes):
            raise ValueError(f"product {self.sku} lists a barcode twice")

    def name(self, lang: str = "en") -> str:
        return self.name_ko if lang == "ko" else self.name_en


class Catalog:
    """An immutable set of products with unique SKUs and unique detector classes."""

    def __init__(self, products: Iterable[Product]) -> None:
        self._by_sku: dict[str, Product] = {}
        self._by_class: dict[str, Product] = {}
        self._by_barcode: dict[str, Product] = {}
        for product in products:
            if product.sku in self._by_sku:
                raise ValueError(f"duplicate SKU {product.sku!r}")
            if product.class_name in self._by_class:
                other = self._by_class[product.class_name].sku
                raise ValueError(
                    f"class {product.class_name!r} is used by both {other} and {product.sku}"
                )
            for code in product.barcodes:
                if code in self._by_barcode:
                    other = self._by_barcode[code].sku
                    raise ValueError(f"barcode {code} is used by both {other} and {product.sku}")
                self._by_barcode[code] = product
            self._by_sku[product.sku] = product
            self._by_class[product.class_name] = product

    def __iter__(self) -> Iterator[Product]:
        return iter(self._by_sku.values())

    def __len__(self) -> int:
        return len(self._by_sku)

    def __contains__(self, sku: object) -> bool:
        return sku in self._by_sku

    def get(self, sku: str) -> Product:
        try:
            return self._by_sku[sku]
        except KeyError:
            raise KeyError(f"unknown SKU {sku!r}") from None

    def for_class(self, class_name: str) -> Product | None:
        """The product a detector class stands for, or None if the store does not sell it."""
        return self._by_class.get(class_name)

    def for_barcode(self, code: str) -> Product | None:
        """The product with this barcode (any valid spelling of it), or None."""
        try:
            return self._by_barcode.get(normalize_barcode(code))
        except BarcodeError:
            return None

    def active(self) -> list[Product]:
        return [p for p in self if p.active]
