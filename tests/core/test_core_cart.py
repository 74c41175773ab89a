from datetime import datetime

import pytest

from checkout_app.core.cart import Cart
from checkout_app.core.catalog import Catalog, Product
from checkout_app.core.receipt import display_width, receipt_columns, render_receipt


@pytest.fixture
def catalog():
    return Catalog(
        [
            Product("C", "콜라", "Cola", 1500, "cola"),
            Product("W", "생수", "Water", 900, "water"),
            Product("X", "단종", "Retired", 500, "old", active=False),
        ]
    )


def test_detected_counts_become_lines_and_total(catalog):
    cart = Cart(catalog)
    assert cart.set_detected({"C": 2, "W": 1})
    assert [(line.sku, line.qty, line.line_total) for line in cart.lines()] == [
        ("C", 2, 3000),
        ("W", 1, 900),
    ]
    assert cart.total == 3900
    assert not cart.set_detected({"C": 2, "W": 1}), "same counts: no change reported"


def test_inactive_and_unknown_skus_are_not_sold(catalog):
    cart = Cart(catalog)
    cart.set_detected({"X": 1, "NOPE": 3, "C": 1})
    assert cart.quantities() == {"C": 1}
    with pytest.raises(ValueError, match="not for sale"):
        cart.add("X")


def test_corrections_pin_quantity_until_undone(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 2})
    cart.set_quantity("C", 3)
    cart.set_detected({"C": 1})
    assert cart.quantity("C") == 3, "a pinned quantity ignores the camera"
    cart.undo_correction("C")
    assert cart.quantity("C") == 1
    cart.remove("C")
    assert cart.lines() == []
    cart.add("W", 2)
    assert cart.quantities() == {"W": 2}
    assert [(c.sku, c.old_qty, c.new_qty) for c in cart.corrections] == [
        ("C", 2, 3),
        ("C", 3, 1),
        ("C", 1, 0),
        ("W", 0, 2),
    ]


def test_a_scanned_product_is_counted_once_when_it_reaches_the_counter(catalog):
    """A scan is a correction that says it was a scan; the camera seeing the product later
    adds nothing, and a tap or an undo afterwards makes it a correction like any other."""
    cart = Cart(catalog)
    cart.scan("W")
    assert cart.quantities() == {"W": 1} and cart.is_scanned("W")
    cart.set_detected({"W": 1})  # put down on the counter
    assert cart.quantities() == {"W": 1}
    cart.scan("W")
    assert cart.quantity("W") == 2 and cart.is_scanned("W")
    cart.add("W")
    assert cart.quantity("W") == 3 and not cart.is_scanned("W"), "tapped: changed by hand"
    cart.scan("C")
    cart.undo_correction("C")
    assert not cart.is_scanned("C") and cart.quantity("C") == 0
    cart.scan("C")
    cart.clear()
    assert not cart.is_scanned("C")


def test_a_count_lowered_below_the_camera_waits_for_the_product_to_leave(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 3, "W": 1})
    cart.set_quantity("C", 2)  # the shopper taps − while three colas are on the counter
    assert cart.quantity("C") == 2 and cart.shortfalls() == {"C": 1}
    cart.set_detected({"C": 2, "W": 1})  # one cola leaves the counter
    assert cart.shortfalls() == {}
    cart.add("W")  # charging more than the camera sees is never held up
    assert cart.shortfalls() == {}


def test_a_removed_line_stays_listed_for_its_undo_and_is_not_charged(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 1, "W": 2})
    cart.remove("W")
    assert cart.quantities() == {"C": 1} and cart.total == 1500
    assert cart.removed() == ["W"] and cart.shown() == ["C", "W"]
    assert cart.shortfalls() == {"W": 2}, "still on the counter: take them off"
    cart.undo_correction("W")
    assert cart.quantities() == {"C": 1, "W": 2} and cart.removed() == []


def test_staff_approval_covers_the_count_it_saw_and_no_more(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 3})
    cart.set_quantity("C", 2)  # the camera counted one cola twice, staff agree
    assert cart.approve_shortfalls() == {"C": 1}
    assert cart.shortfalls() == {}
    cart.set_detected({"C": 4})  # one more cola goes down: that one is not approved
    assert cart.shortfalls() == {"C": 1}
    cart.undo_correction("C")  # the camera decides again, approvals go with the pin
    cart.set_quantity("C", 3)
    assert cart.shortfalls() == {"C": 1}


@pytest.mark.parametrize("qty", [-1, 1.5, True])
def test_bad_quantity_is_rejected(catalog, qty):
    with pytest.raises(ValueError):
        Cart(catalog).set_quantity("C", qty)


def test_cart_json_shape(catalog):
    cart = Cart(catalog)
    cart.set_detected({"W": 1})
    assert cart.to_dict() == {
        "lines": [{"sku": "W", "name": "Water", "qty": 1, "unit_price": 900, "line_total": 900}],
        "total": 900,
    }
    assert cart.to_dict("ko")["lines"][0]["name"] == "생수"


def korean_receipt(cart: Cart) -> str:
    return render_receipt(
        cart.lines("ko"),
        cart.total,
        store_name="데모 편의점",
        when=datetime(2026, 11, 23, 12, 0),
        receipt_id="T-1",
        paid_by="홍길동",
        lang="ko",
    )


def test_receipt_lines_up_korean_text(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 2, "W": 1})
    text = korean_receipt(cart)
    assert "3,900원" in text and "홍길동" in text
    money_lines = [line for line in text.splitlines() if line.endswith("원")]
    assert money_lines and all(display_width(line) == 40 for line in money_lines)


def test_receipt_columns_put_every_amount_on_the_right(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 12, "W": 1})
    text = korean_receipt(cart)
    rows = receipt_columns(text)
    assert len(rows) == len(text.splitlines())
    assert [right for _, right in rows if right] == ["18,000원", "900원", "18,900원"]
    assert ("  12 x 1,500원", "18,000원") in rows
    assert ("합계 (13 개)", "18,900원") in rows
    assert ("-" * 40, "") in rows and ("결제: 홍길동", "") in rows


def test_unknown_items_are_counted_apart_and_change_the_cart(catalog):
    cart = Cart(catalog)
    assert cart.set_detected({"C": 1}, unknown_items=(4, 7))  # the tracker's ids for them
    assert cart.unknown_items == 2 and cart.total == 1500  # no price, no line
    assert cart.set_detected({"C": 1}), "the unknown items left: a change"
    assert cart.unknown_items == 0
    cart.set_detected({}, unknown_items=(9,))
    cart.clear()
    assert cart.unknown_items == 0


def test_a_named_unknown_item_counts_as_its_product_while_it_stays_on_the_counter(catalog):
    cart = Cart(catalog)
    cart.set_detected({"C": 1}, unknown_items=(4, 7))
    cart.name_unknown_item("C", 7)  # staff say what the one they tapped is
    assert cart.unknown_items == 1 and cart.quantity("C") == 2 and not cart.is_pinned("C")
    assert cart.camera_quantity("C") == 2 and not cart.corrections
    assert cart.named() == {7: "C"} and cart.unnamed_items() == (4,) and not cart.guessed()
    with pytest.raises(ValueError, match="named already"):
        cart.name_unknown_item("W", 7)
    cart.set_detected({"C": 1}, unknown_items=(4, 7))  # still both on the counter
    assert cart.unknown_items == 1 and cart.quantity("C") == 2
    cart.set_quantity("C", 1)  # lowered by hand: the named one is still seen, staff must approve
    assert cart.shortfalls() == {"C": 1}
    cart.undo_correction("C")
    cart.name_unknown_item("W")  # a scan: the only one left, so it is item 4
    assert cart.unknown_items == 0 and cart.quantities() == {"C": 2, "W": 1}
    assert cart.named() == {7: "C", 4: "W"} and not cart.guessed()
    with pytest.raises(ValueError, match="no unknown item"):
        cart.name_unknown_item("C")
    cart.set_detected({"C": 1}, unknown_items=(4,))  # the one named cola left: its name goes
    assert cart.quantities() == {"C": 1, "W": 1} and cart.unknown_items == 0
    cart.set_detected({"C": 1}, unknown_items=(4, 12))  # a new one came
    assert cart.unknown_items == 1 and cart.unnamed_items() == (12,)
    with pytest.raises(ValueError, match="left the counter"):
        cart.name_unknown_item("C", 7)
    with pytest.raises(ValueError, match="not for sale"):
        cart.name_unknown_item("X")  # inactive: nothing changes
    assert cart.unknown_items == 1 and cart.quantities() == {"C": 1, "W": 1}
    cart.clear()
    assert cart.unknown_items == 0 and cart.quantities() == {} and cart.named() == {}


def test_a_scan_among_several_unknown_items_names_one_but_which_is_a_guess(catalog):
    """A barcode held up does not say which of the unknown items it belongs to: the count is
    right either way; which item it was stays a guess while staff may still be asked."""
    cart = Cart(catalog)
    cart.set_detected({}, unknown_items=(3, 5))
    cart.name_unknown_item("C")
    assert cart.named() == {3: "C"} and cart.guessed() == {3} and cart.unknown_items == 1
    cart.name_unknown_item("C")  # the other one's barcode: both are colas, whichever was which
    assert cart.named() == {3: "C", 5: "C"} and not cart.guessed()
    assert cart.quantities() == {"C": 2}

    cart = Cart(catalog)
    cart.set_detected({}, unknown_items=(3, 5))
    cart.name_unknown_item("C")  # a guess: item 3
    cart.name_unknown_item("W", 5)  # staff tap item 5 and say water: then item 3 was the cola
    assert cart.named() == {3: "C", 5: "W"} and not cart.guessed()

    cart = Cart(catalog)
    cart.set_detected({}, unknown_items=(3, 5))
    cart.name_unknown_item("C")
    cart.set_detected({}, unknown_items=(3,))  # the other one left: nobody left to ask
    assert cart.named() == {3: "C"} and not cart.guessed()
    assert cart.quantities() == {"C": 1} and cart.unknown_items == 0


def test_staff_tapping_the_item_a_scan_was_guessed_to_be_moves_the_guess(catalog):
    """A scan named one of three unknown items (a guess: item 3). Staff tap item 3 and say it
    is water: then the scanned cola is one of the others, never charged on top of the water."""
    cart = Cart(catalog)
    cart.set_detected({}, unknown_items=(3, 5, 8))
    cart.name_unknown_item("C")
    cart.name_unknown_item("W", 3)
    assert cart.named() == {3: "W", 5: "C"} and cart.guessed() == {5}
    assert cart.quantities() == {"C": 1, "W": 1} and cart.unnamed_items() == (8,)
    cart.name_unknown_item("C", 5)  # tapped, and it is the cola: no longer a guess
    assert cart.named() == {3: "W", 5: "C"} and not cart.guessed() and cart.unknown_items == 1

    cart = Cart(catalog)
    cart.set_detected({}, unknown_items=(3, 5))
    cart.name_unknown_item("C")  # item 3, guessed
    cart.name_unknown_item("W", 3)  # the cola is then item 5, the last one: sure
    assert cart.named() == {3: "W", 5: "C"} and not cart.guessed() and cart.unknown_items == 0


def test_a_product_taught_during_the_visit_is_sold_in_it(catalog):
    """Staff teach an unknown item as a new product: the open cart sells it, other prices as
    they were."""
    cart = Cart(catalog)
    cart.set_detected({"C": 1}, unknown_items=(6,))
    new = Product("NEW", "새것", "New thing", 700, "taught:NEW")
    cart.sell_new_product(new)
    cart.name_unknown_item("NEW", 6)
    assert cart.quantities() == {"C": 1, "NEW": 1} and cart.total == 1500 + 700
    cart.sell_new_product(new)  # taught twice by a double tap: still one product
    assert len(cart.catalog) == len(catalog) + 1


def test_staff_set_aside_an_unknown_item_that_is_no_product(catalog):
    """A shopper's phone on the counter: neither charged nor holding the payment while it
    stays; a new unknown item still holds it."""
    cart = Cart(catalog)
    cart.set_detected({"C": 1}, unknown_items=(4, 7))
    with pytest.raises(ValueError, match="which of the unknown items"):
        cart.set_aside()
    cart.set_aside(7)
    assert cart.set_aside_items() == {7} and cart.unnamed_items() == (4,)
    assert cart.unknown_items == 1 and cart.quantities() == {"C": 1}
    with pytest.raises(ValueError, match="named already"):
        cart.name_unknown_item("W", 7)
    cart.set_aside()  # the only unknown item left
    assert cart.unknown_items == 0 and cart.quantities() == {"C": 1}
    cart.set_detected({"C": 1}, unknown_items=(4, 7, 9))  # something else put down
    assert cart.unnamed_items() == (9,)
    cart.set_detected({"C": 1}, unknown_items=(9,))  # the phone taken back: forgotten
    assert cart.set_aside_items() == frozenset() and cart.unknown_items == 1

    cart = Cart(catalog)
    cart.set_detected({}, unknown_items=(3, 5))
    cart.name_unknown_item("C")  # a scan, guessed to be item 3
    cart.set_aside(3)  # staff: item 3 is a phone, so the cola is item 5
    assert cart.named() == {5: "C"} and not cart.guessed() and cart.set_aside_items() == {3}
    assert cart.quantities() == {"C": 1} and cart.unknown_items == 0
