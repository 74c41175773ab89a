"""The store catalog and the cart text for the headless Nano runtime.

Reads the catalog CSV of the bundle (``sku,name_ko,name_en,price,class_name,active``, written
by the desktop's ``catalog_to_csv``) and turns the tracker's class counts into cart lines printed
exactly like the desktop's headless run: ``[   1.23 s] Hot Cup Ramen x1, Cola Can 355ml x2 |
total ₩4,300``. Prices are integer won, never floats. Python 3.6-compatible.

Why this small copy of ``checkout_app.core`` (catalog_csv, cart, money) and not the real one:
stock JetPack's Python 3.6 cannot import ``checkout_app`` (written for 3.8: postponed
annotations, the walrus operator), and the desktop's domain modules should not import a Jetson
runtime package either. So only what a read-only headless cart needs is here: the column names
and ``active`` words, the whole-won price rule, cart lines in first-seen order, the one-line
text and JSON. Left out on purpose: the desktop's full validation (every error at once,
duplicate SKUs or classes), because the desktop validated the catalog before exporting it and a
bad row here means a damaged copy; and shopper corrections, which need the kiosk's screen.
``tests/edge/test_edge_tracker_cart.py`` feeds both sides the same exported catalog and counts
and requires the same text, JSON and ``format_won``, so the copy cannot drift.
"""

import csv
import io
from collections import OrderedDict
from typing import Dict, List, Mapping, Sequence, Tuple

COLUMNS = ("sku", "name_ko", "name_en", "price", "class_name", "active")
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


class Product:
    __slots__ = ("active", "class_name", "name_en", "name_ko", "price", "sku")

    def __init__(self, sku, name_ko, name_en, price, class_name, active):
        # type: (str, str, str, int, str, bool) -> None
        self.sku = sku
        self.name_ko = name_ko
        self.name_en = name_en
        self.price = price
        self.class_name = class_name
        self.active = active

    def name(self, lang: str = "en") -> str:
        return self.name_ko if lang == "ko" else self.name_en


def parse_catalog(text: str) -> List[Product]:
    """Products from catalog CSV text; ValueError naming the line of the first bad row (the
    desktop validated the file before exporting it, so a bad row here means a damaged copy)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError("catalog: missing column(s) {}".format(", ".join(missing)))
    products = []
    for row in reader:
        values = {key: (row.get(key) or "").strip() for key in COLUMNS}
        price = values["price"].replace(",", "")
        active = values["active"].lower()
        if not values["sku"] or not values["class_name"] or not price.isdigit():
            raise ValueError(f"catalog line {reader.line_num}: bad sku, class or price")
        if active not in _TRUE | _FALSE:
            raise ValueError(f"catalog line {reader.line_num}: active must be 1 or 0")
        products.append(
            Product(
                values["sku"],
                values["name_ko"],
                values["name_en"],
                int(price),
                values["class_name"],
                active in _TRUE,
            )
        )
    return products


def read_catalog(path: str) -> List[Product]:
    with open(path, encoding="utf-8") as handle:
        return parse_catalog(handle.read())


def format_won(amount: int, lang: str = "en") -> str:
    """``₩1,500`` in English, ``1,500원`` in Korean (the desktop's ``format_won``)."""
    return f"{amount:,}원" if lang == "ko" else f"₩{amount:,}"


class EdgeCart:
    """Detected counts -> cart lines in the order products first appeared, like the desktop
    ``Cart``. Classes the store does not sell (unknown or inactive) are ignored."""

    def __init__(self, products: Sequence[Product], class_names: Sequence[str]) -> None:
        by_class = {p.class_name: p for p in products if p.active}
        self._product_for_class = [by_class.get(name) for name in class_names]  # by class id
        self._order = OrderedDict()  # type: OrderedDict
        self._quantities = {}  # type: Dict[str, int]
        self._products = {p.sku: p for p in products}

    def set_detected(self, class_counts: Mapping[int, int]) -> bool:
        """Replace what the camera sees (class id -> count); True when the cart changed."""
        quantities = OrderedDict()  # type: OrderedDict
        for class_id in sorted(class_counts):  # new lines enter in class-id order, as on desktop
            count = int(class_counts[class_id])
            in_range = 0 <= class_id < len(self._product_for_class)
            product = self._product_for_class[class_id] if in_range else None
            if product is not None and count > 0:
                quantities[product.sku] = quantities.get(product.sku, 0) + count
                self._order.setdefault(product.sku, None)
        changed = dict(quantities) != self._quantities
        self._quantities = dict(quantities)
        return changed

    def lines(self, lang: str = "en") -> List[Tuple[str, str, int, int]]:
        """(sku, name, quantity, line total) per line, in cart order."""
        result = []
        for sku in self._order:
            qty = self._quantities.get(sku, 0)
            if qty > 0:
                product = self._products[sku]
                result.append((sku, product.name(lang), qty, product.price * qty))
        return result

    @property
    def total(self) -> int:
        return sum(line[3] for line in self.lines())

    def describe(self, lang: str = "en") -> str:
        lines = self.lines(lang)
        if not lines:
            return "cart empty"
        items = ", ".join(f"{name} x{qty}" for _, name, qty, _ in lines)
        return f"{items} | total {format_won(self.total, lang)}"

    def to_dict(self, lang: str = "en") -> Dict:
        return {
            "lines": [
                {
                    "sku": sku,
                    "name": name,
                    "qty": qty,
                    "unit_price": total // qty,
                    "line_total": total,
                }
                for sku, name, qty, total in self.lines(lang)
            ],
            "total": self.total,
        }
