"""Staff say what an unknown item is: the products it looked most like first, a filter, one tap."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from checkout_app.core.catalog import Catalog, Product
from checkout_app.ui.staff.name_item_dialog import NameItemDialog

CATALOG = Catalog(
    [
        Product("APL", "사과", "Apple", 1200, "taught:APL"),
        Product("BAN", "바나나", "Banana", 900, "taught:BAN"),
        Product("CAR", "당근", "Carrot", 700, "taught:CAR"),
        Product("OLD", "단종", "Retired", 500, "old", active=False),
    ]
)


@pytest.fixture
def dialog(qtbot, themed):
    # Suggested: Carrot, then a product no longer for sale (left out), then Banana.
    found = NameItemDialog(CATALOG, ("CAR", "OLD", "BAN"), "en")
    qtbot.addWidget(found)
    return found


def rows(dialog: NameItemDialog) -> list[str]:
    items = [dialog.products.item(i) for i in range(dialog.products.count())]
    return [item.text() for item in items if not item.isHidden()]


def test_suggested_products_come_first_and_the_likeliest_is_one_tap_away(dialog, screenshot):
    assert rows(dialog) == [
        "★ Carrot · ₩700  (CAR)",
        "★ Banana · ₩900  (BAN)",
        "Apple · ₩1,200  (APL)",
    ]
    dialog.resize(640, 480)
    dialog.show()
    QApplication.processEvents()
    screenshot(dialog, "name_unknown_item")
    dialog.add_button.click()
    assert dialog.chosen_sku == "CAR" and dialog.result() == 1


def test_the_filter_finds_by_name_or_sku_and_nothing_found_adds_nothing(qtbot, dialog):
    dialog.search.setText("app")
    assert rows(dialog) == ["Apple · ₩1,200  (APL)"]
    assert dialog.products.currentItem().text().startswith("Apple")
    dialog.search.setText("ban")
    assert rows(dialog) == ["★ Banana · ₩900  (BAN)"]
    dialog.search.setText("kiwi")
    assert rows(dialog) == [] and not dialog.add_button.isEnabled()
    dialog.search.clear()
    dialog.show()
    qtbot.waitExposed(dialog)
    item = dialog.products.item(2)
    dialog.products.setCurrentItem(item)
    centre = dialog.products.visualItemRect(item).center()
    for press in (qtbot.mouseClick, qtbot.mouseDClick):  # a press first, as a finger does
        press(dialog.products.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert dialog.chosen_sku == "APL"


def test_korean_names_and_prices_without_suggestions(qtbot, themed):
    dialog = NameItemDialog(CATALOG, (), "ko")
    qtbot.addWidget(dialog)
    assert rows(dialog)[0].startswith("당근 · ")  # sorted by name in the shopper's language
    assert not any(row.startswith("★") for row in rows(dialog))
    dialog.reject()
    assert dialog.chosen_sku is None


def carton(colour: tuple) -> np.ndarray:
    picture = np.full((220, 160, 3), 90, np.uint8)
    picture[20:200, 20:140] = colour
    return picture


def test_with_several_unknown_items_staff_tap_the_one_they_name(qtbot, themed, screenshot):
    """The kiosk learns only the picture staff tapped; none tapped: the item is still added,
    and nothing is learned (which one it was is not known)."""
    pictures = [carton((40, 200, 240)), carton((40, 40, 200))]
    dialog = NameItemDialog(CATALOG, ("BAN",), "en", pictures=pictures)
    qtbot.addWidget(dialog)
    dialog.resize(640, 480)
    dialog.show()
    QApplication.processEvents()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("Tap the one it is" in text for text in texts)
    second = dialog.findChild(QToolButton, "name_item_picture_1")
    qtbot.mouseClick(second, Qt.MouseButton.LeftButton)
    screenshot(dialog, "name_unknown_item_two_pictures")
    dialog.add_button.click()
    assert dialog.chosen_sku == "BAN" and dialog.chosen_picture is pictures[1]

    untapped = NameItemDialog(CATALOG, ("BAN",), "en", pictures=pictures)
    qtbot.addWidget(untapped)
    untapped.add_button.click()
    assert untapped.chosen_sku == "BAN" and untapped.chosen_picture is None


def test_one_unknown_item_needs_no_tap(qtbot, themed):
    picture = carton((40, 200, 240))
    dialog = NameItemDialog(CATALOG, ("BAN",), "en", pictures=[picture])
    qtbot.addWidget(dialog)
    assert dialog.findChild(QToolButton, "name_item_picture_0") is None
    dialog.add_button.click()
    assert dialog.chosen_picture is picture


def test_an_item_the_store_has_not_entered_is_taught_instead(qtbot, themed, screenshot):
    """At the kiosk "Teach it as a new product…" ends the dialog without a product: the kiosk
    opens the teaching wizard for the tapped item; elsewhere the link is not offered."""
    pictures = [carton((40, 200, 240)), carton((40, 40, 200))]
    dialog = NameItemDialog(CATALOG, ("BAN",), "en", pictures=pictures, can_teach=True)
    qtbot.addWidget(dialog)
    dialog.resize(640, 480)  # the smallest it is shown at
    dialog.show()
    QApplication.processEvents()
    assert dialog.teach_button.isVisible()
    assert dialog.teach_button.geometry().right() <= dialog.width()
    assert dialog.teach_button.sizeHint().width() <= dialog.teach_button.width()
    screenshot(dialog, "name_unknown_item_or_teach")
    qtbot.mouseClick(
        dialog.findChild(QToolButton, "name_item_picture_0"), Qt.MouseButton.LeftButton
    )
    dialog.teach_button.click()
    assert dialog.result() == 1 and dialog.teach_requested and dialog.chosen_sku is None
    assert dialog.chosen_picture is pictures[0]

    plain = NameItemDialog(CATALOG, ("BAN",), "en", pictures=pictures)
    qtbot.addWidget(plain)
    assert plain.teach_button.isHidden()


def test_which_of_several_items_is_no_product_staff_must_tap(qtbot, themed):
    """ "Not a product" releases an item from the bill: among several it waits for a tap."""
    pictures = [carton((40, 200, 240)), carton((40, 40, 200))]
    dialog = NameItemDialog(CATALOG, ("BAN",), "en", pictures=pictures)
    qtbot.addWidget(dialog)
    assert not dialog.not_product_button.isEnabled()
    qtbot.mouseClick(
        dialog.findChild(QToolButton, "name_item_picture_1"), Qt.MouseButton.LeftButton
    )
    assert dialog.not_product_button.isEnabled()
    dialog.not_product_button.click()
    assert dialog.result() == 1 and dialog.set_aside_requested and dialog.chosen_sku is None
    assert dialog.chosen_picture is pictures[1]

    one = NameItemDialog(CATALOG, ("BAN",), "en", pictures=pictures[:1])
    qtbot.addWidget(one)
    assert one.not_product_button.isEnabled()
