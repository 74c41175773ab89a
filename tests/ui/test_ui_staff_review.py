"""The staff Review page lists approved counts and named unknown items, newest first, and shows
the counter frame of the selected row."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt

from checkout_app.services.count_review import ReviewEntry
from checkout_app.ui.i18n import LanguageSwitcher
from checkout_app.ui.staff.review_page import ReviewPage

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)


def counter_jpeg() -> bytes:
    frame = np.full((360, 640, 3), 60, np.uint8)
    cv2.rectangle(frame, (200, 100), (420, 280), (40, 200, 240), -1)
    return cv2.imencode(".jpg", frame)[1].tobytes()


ENTRIES = [
    ReviewEntry(("named", 3), NOW, "Granny Smith apple", 1, None, 2, True, counter_jpeg(), 41),
    ReviewEntry(("named", 2), NOW - timedelta(minutes=5), "Banana", 1, None, None, False, None),
    ReviewEntry(
        ("override", 1),
        NOW - timedelta(hours=1),
        "Tropicana Mandarin Morning",
        1,
        2,
        None,
        False,
        None,
    ),
]


@pytest.fixture
def english(qapp):
    switcher = LanguageSwitcher(qapp)
    yield switcher
    switcher.set_language("en")


def cells(page: ReviewPage, row: int) -> list[str]:
    return [page.table.item(row, column).text() for column in range(1, 4)]


def test_named_items_say_whether_staff_chose_an_offered_product(qtbot, themed, english, screenshot):
    page = ReviewPage(lambda limit: ENTRIES[:limit])
    qtbot.addWidget(page)
    page.resize(1024, 480)  # the staff area's page on a 1024×600 screen
    page.show()
    page.refresh()
    assert cells(page, 0) == ["Granny Smith apple", "1", "unknown, ★ no. 2, learned"]
    assert cells(page, 1) == ["Banana", "1", "unknown, searched"]
    assert cells(page, 2) == ["Tropicana Mandarin Morning", "1", "2"]
    assert not page.frame.pixmap().isNull(), "the newest row is selected, its frame shown"
    screenshot(page, "staff_review_1024")
    page.table.selectRow(1)
    assert page.frame.pixmap().isNull() and page.frame.text() == "No frame was kept."

    english.set_language("ko")
    qtbot.waitUntil(lambda: cells(page, 0)[2] == "알 수 없음, ★ 2번, 학습함")  # posted event
    assert cells(page, 1)[2] == "알 수 없음, 검색"
    screenshot(page, "staff_review_1024_ko")


def test_nothing_to_review(qtbot, themed):
    page = ReviewPage(lambda limit: [])
    qtbot.addWidget(page)
    page.refresh()
    assert page.table.rowCount() == 0 and page.frame.text() == "Nothing to review."


def test_staff_undo_a_learning_from_the_review_page(qtbot, themed, english, screenshot):
    """Undo learning runs ``unlearn`` with the selected row's learned photo off the GUI thread,
    then the row says the learning was undone and offers no second undo."""
    entries = [
        ReviewEntry(("named", 3), NOW, "Granny Smith apple", 1, None, 2, True, counter_jpeg(), 41),
        ReviewEntry(("named", 2), NOW - timedelta(minutes=5), "Banana", 1, None, None, False, None),
    ]
    unlearned: list = []

    def unlearn(photo_id: int) -> bool:
        unlearned.append(photo_id)
        entries[0] = replace(entries[0], learned_photo_id=None)
        # Meanwhile the kiosk keeps running: a new naming arrives at the top of the list.
        entries.insert(0, ReviewEntry(("named", 9), NOW, "Pear", 1, None, 1, True, None, 42))
        return True

    page = ReviewPage(lambda limit: entries[:limit], unlearn=unlearn)
    qtbot.addWidget(page)
    page.resize(1024, 480)
    page.show()
    page.refresh()
    page.table.selectRow(1)
    assert not page.undo_button.isEnabled(), "nothing was learned from the banana"
    page.table.selectRow(0)
    assert page.undo_button.isEnabled() and page.undo_button.text() == "Undo learning"
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Learning undone"))
    assert unlearned == [41]
    assert cells(page, 1)[2] == "unknown, ★ no. 2, learned, undone"
    assert cells(page, 0)[0] == "Pear"
    assert page.table.selectionModel().selectedRows()[0].row() == 1, "the same entry stays selected"
    assert not page.undo_button.isEnabled(), "its learning is undone already"
    screenshot(page, "staff_review_undone_1024")


def test_an_item_set_aside_is_listed_as_no_product_and_its_learning_undone(
    qtbot, themed, english, screenshot
):
    """Staff said an unknown item is no product: the row says so (nothing charged, the look
    learned) and Undo learning makes items like it asked about again."""
    entries = [ReviewEntry(("named", 5), NOW, None, 0, None, None, True, counter_jpeg(), 43)]
    unlearned: list = []

    def unlearn(photo_id: int) -> bool:
        unlearned.append(photo_id)
        entries[0] = replace(entries[0], learned_photo_id=None)
        return True

    page = ReviewPage(lambda limit: entries[:limit], unlearn=unlearn)
    qtbot.addWidget(page)
    page.resize(1024, 480)
    page.show()
    page.refresh()
    assert cells(page, 0) == ["Not a product", "0", "unknown, set aside, learned"]
    screenshot(page, "staff_review_set_aside_1024")
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Learning undone"))
    assert unlearned == [43]
    assert page.status.text() == "Learning undone: items like it are asked about again."
    assert cells(page, 0)[2] == "unknown, set aside, learned, undone"

    english.set_language("ko")
    qtbot.waitUntil(lambda: cells(page, 0)[0] != "Not a product")  # posted event
    assert "Not a product" not in cells(page, 0)[2]


def test_a_failed_undo_says_why_and_can_be_tried_again(qtbot, themed, english):
    entry = ReviewEntry(("named", 1), NOW, "Pear", 1, None, 1, True, None, 7)

    def unlearn(photo_id: int) -> bool:
        raise OSError("database is locked")

    page = ReviewPage(lambda limit: [entry], unlearn=unlearn)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "database is locked" in page.status.text())
    assert page.status.text() == "Could not undo the learning: database is locked"
    assert page.undo_button.isEnabled()


def test_without_learning_to_undo_there_is_no_undo_button(qtbot, themed):
    page = ReviewPage(lambda limit: list(ENTRIES))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert not page.undo_button.isVisible()
