"""The cart panel on its own: taps land on the line they were aimed at, removed lines keep their
undo, and products the camera still sees after a correction hold the payment."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from checkout_app.ui.shopper.cart_panel import TITLE_ALWAYS_FROM_PX, TOUCH_HOLD_S, CartPanel
from checkout_app.ui.view_models import CartRow


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def row(sku: str, qty: int, *, corrected=False, take_off=0) -> CartRow:
    return CartRow(sku, f"Product {sku}", qty, "₩1,000", f"₩{qty},000", corrected, take_off)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def panel(qtbot, themed, clock):
    cart = CartPanel(clock=clock)
    qtbot.addWidget(cart)
    cart.resize(520, 700)
    cart.show()
    return cart


def button(panel: CartPanel, name: str) -> QPushButton:
    found = panel.findChild(QPushButton, name)
    assert found is not None, name
    # A line added to a shown panel is shown by a queued call: let the event loop run it.
    QApplication.processEvents()
    assert found.isVisible(), name
    return found


def test_plus_and_minus_ask_for_the_line_they_belong_to(panel, qtbot):
    panel.set_rows([row("A", 2), row("B", 1)], "₩3,000")
    with qtbot.waitSignal(panel.quantity_requested) as plus:
        button(panel, "plus_A").click()
    assert plus.args == ["A", 3]
    with qtbot.waitSignal(panel.quantity_requested) as minus:
        button(panel, "minus_B").click()
    assert minus.args == ["B", 0]


def test_a_line_is_updated_in_place_and_new_lines_go_at_the_bottom(panel):
    panel.set_rows([row("A", 1), row("B", 1)], "₩2,000")
    line_a = panel.line("A")
    y_of_b = panel.line("B").y()
    panel.set_rows([row("A", 5), row("B", 1), row("C", 1)], "₩7,000")
    assert panel.line("A") is line_a, "the widget under the finger is the same"
    assert panel.findChild(QLabel, "qty_A").text() == "5"
    assert panel.line("B").y() == y_of_b


def test_a_line_that_leaves_stays_put_while_the_shopper_is_tapping(panel, clock, qtbot):
    panel.set_rows([row("A", 1), row("B", 1)], "₩2,000")
    minus_b = button(panel, "minus_B")
    minus_b.pressed.emit()  # the shopper's finger is on the cart
    panel.set_rows([row("B", 1)], "₩1,000")  # meanwhile the camera lost A
    assert panel.line("A") is not None, "A keeps its place: B does not move under the finger"
    clock.now += TOUCH_HOLD_S + 0.1
    panel.set_rows([row("B", 1)], "₩1,000")
    qtbot.waitUntil(lambda: panel.line("A") is None, timeout=2000)


def test_a_short_cart_gives_its_title_s_room_to_the_lines(panel, qtbot):
    """On a 1024×600 screen every line shown counts: the title shows only while the cart is
    empty (with its hint); on taller screens it stays."""
    title = panel.findChild(QLabel, "cart_title")
    assert title.isVisible()
    panel.resize(520, TITLE_ALWAYS_FROM_PX - 80)
    qtbot.waitUntil(lambda: panel.height() == TITLE_ALWAYS_FROM_PX - 80)
    assert title.isVisible(), "an empty cart says what it is"
    viewport = panel._scroll.viewport()
    empty_room = viewport.height()
    panel.set_rows([row("A", 1), row("B", 1)], "₩2,000")
    qtbot.waitUntil(lambda: not title.isVisible())
    qtbot.waitUntil(lambda: viewport.height() > empty_room + title.height())
    panel.set_rows([], "₩0")
    qtbot.waitUntil(lambda: title.isVisible())
    panel.set_rows([row("A", 1)], "₩1,000")
    panel.resize(520, TITLE_ALWAYS_FROM_PX)
    qtbot.waitUntil(lambda: title.isVisible())


def test_a_removed_line_is_listed_with_its_undo(panel, qtbot):
    panel.set_rows([row("A", 0, corrected=True)], "₩0")
    assert panel.findChild(QLabel, "state_A").text() == "Removed"
    assert not panel.findChild(QPushButton, "remove_A").isEnabled()
    with qtbot.waitSignal(panel.undo_requested) as undo:
        button(panel, "undo_A").click()
    assert undo.args == ["A"]


def test_products_still_on_the_counter_hold_the_payment(panel, qtbot, screenshot):
    panel.set_rows([row("A", 1, corrected=True, take_off=2), row("B", 1)], "₩2,000")
    assert not panel.findChild(QPushButton, "pay_button").isEnabled()
    assert "Take 2 off the counter" in panel.findChild(QLabel, "state_A").text()
    assert "still on the counter" in panel.findChild(QLabel, "take_off_notice").text()
    QApplication.processEvents()
    screenshot(panel, "cart_take_off")
    with qtbot.waitSignal(panel.approval_requested):
        button(panel, "approve_button").click()
    panel.set_rows([row("A", 1, corrected=True), row("B", 1)], "₩2,000")
    assert panel.findChild(QPushButton, "pay_button").isEnabled()
    assert not panel.findChild(QPushButton, "approve_button").isVisible()


def test_an_unknown_item_holds_the_payment_until_it_leaves(panel, screenshot):
    panel.set_rows([row("A", 1)], "₩1,000", unknown_items=1)
    notice = panel.findChild(QLabel, "unknown_item_notice")
    assert notice.isVisible()
    assert notice.text() == "Unknown item × 1: no price. Take it off the counter, or ask staff."
    assert not panel.findChild(QPushButton, "pay_button").isEnabled()
    name_it = button(panel, "name_unknown_button")
    assert name_it.isVisible() and name_it.text() == "Staff: add it"
    asked = []
    panel.name_unknown_requested.connect(lambda: asked.append(1))
    name_it.click()
    assert asked == [1]
    QApplication.processEvents()
    screenshot(panel, "cart_unknown_item")
    panel.set_rows([row("A", 1)], "₩1,000")
    assert not notice.isVisible() and not name_it.isVisible()
    assert panel.findChild(QPushButton, "pay_button").isEnabled()


def test_items_lying_against_each_other_hold_the_payment_until_moved_apart(panel, screenshot):
    """Nothing to name: the shopper moves them apart (staff naming the pair as one product, the
    other would go unpaid). One thing to do at a time: an unknown item beside them is asked
    about once they lie apart."""
    panel.set_rows([row("A", 1)], "₩1,000", touching_items=1, unknown_items=1)
    notice = panel.findChild(QLabel, "unknown_item_notice")
    assert notice.isVisible()
    assert notice.text() == "Products lie against each other: move them apart."
    assert not panel.findChild(QPushButton, "name_unknown_button").isVisible()
    assert not panel.findChild(QPushButton, "pay_button").isEnabled()
    QApplication.processEvents()
    screenshot(panel, "cart_items_touching")
    panel.set_rows([row("A", 1)], "₩1,000", unknown_items=1)
    assert notice.text().startswith("Unknown item × 1")
    button(panel, "name_unknown_button")
    panel.set_rows([row("A", 1)], "₩1,000")
    assert not notice.isVisible()
    assert panel.findChild(QPushButton, "pay_button").isEnabled()


def test_the_empty_cart_s_hint_is_not_shown_while_something_holds_the_payment(panel):
    """ "Put your products on the counter" would tell a shopper whose products lie there, unknown
    or touching or unseen, to do what they did; the notice says what to do instead."""
    hint = panel.findChild(QLabel, "empty_cart_hint")
    panel.set_rows([], "₩0")
    QApplication.processEvents()
    assert hint.isVisible() and "Put your products on the counter" in hint.text()
    for holding in ({"unknown_items": 1}, {"touching_items": 1}, {"empty_counter_stale": True}):
        panel.set_rows([], "₩0", **holding)
        assert not hint.isVisible(), holding


def test_a_counter_unlike_its_shot_says_why_and_offers_staff_a_retake(panel, screenshot):
    """The light or the camera moved: staff take the empty counter again. Too many products:
    the shopper takes some off (staff may still retake, should the light have changed too)."""
    notice = panel.findChild(QLabel, "stale_counter_notice")
    panel.set_rows([row("A", 1)], "₩1,000", empty_counter_stale=True)
    assert "light or camera moved" in notice.text()
    button(panel, "retake_empty_counter_button")
    assert not panel.findChild(QPushButton, "pay_button").isEnabled()
    panel.set_rows([row("A", 1)], "₩1,000", empty_counter_stale=True, counter_full=True)
    assert notice.text().startswith("Too many products at once")
    button(panel, "retake_empty_counter_button")
    assert not panel.findChild(QPushButton, "pay_button").isEnabled()
    QApplication.processEvents()
    screenshot(panel, "cart_counter_full")
    panel.set_rows([row("A", 1)], "₩1,000")
    assert not notice.isVisible()
    assert panel.findChild(QPushButton, "pay_button").isEnabled()
