"""PeoplePage over a real registry in a temporary database: list, search, delete on Yes only,
the registry read and written off the GUI thread."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget

from checkout_app.faces.embedding_cipher import EmbeddingCipher
from checkout_app.faces.registry import FaceRegistry, NewTemplate, Person
from checkout_app.storage.db import open_database
from checkout_app.storage.face_repository import FaceRepository
from checkout_app.ui.staff.people import PeoplePage, matches_search


def _template(seed: int, label: str) -> NewTemplate:
    vector = np.random.default_rng(seed).normal(size=512)
    return NewTemplate((vector / np.linalg.norm(vector)).astype(np.float32), label, "camera")


@pytest.fixture
def repository(tmp_path) -> FaceRepository:
    return FaceRepository(
        open_database(f"sqlite:///{tmp_path / 'faces.db'}"), EmbeddingCipher.for_home(tmp_path)
    )


@pytest.fixture
def registry(repository) -> FaceRegistry:
    registry = FaceRegistry(repository, "test-embedder")
    poses = ("front", "right", "down", "left")
    registry.enroll("Alice Kim", [_template(k, p) for k, p in enumerate(poses)], True, "M-100")
    registry.enroll("Bob Lee", [_template(10, "image"), _template(11, "image")], True)
    registry.enroll("박지민", [_template(20, "front")], True, "M-7")
    return registry


def open_page(qtbot, registry, size=(900, 560)) -> PeoplePage:
    page = PeoplePage(registry)
    qtbot.addWidget(page)
    page.resize(*size)
    with qtbot.waitSignal(page.loaded):  # the first read runs in the background
        page.show()
    return page


@pytest.fixture
def page(qtbot, registry) -> PeoplePage:
    return open_page(qtbot, registry)


def table_rows(page: PeoplePage) -> list:
    table = page.findChild(QTableWidget)
    return [
        tuple(table.item(row, column).text() for column in range(table.columnCount()))
        for row in range(table.rowCount())
    ]


def button(page, text: str) -> QPushButton:
    """The page's visible button that reads ``text``."""
    (found,) = [b for b in page.findChildren(QPushButton) if b.text() == text and b.isVisible()]
    return found


def search(page: PeoplePage, text: str) -> None:
    page.findChild(QLineEdit).setText(text)


def count_text(page: PeoplePage) -> str:
    return page.findChild(QLabel, "people_count").text()


def select_row(page: PeoplePage, name: str) -> None:
    names = [row[0] for row in table_rows(page)]
    page.findChild(QTableWidget).selectRow(names.index(name))


def answer_question(monkeypatch, answer) -> list:
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_lists_people_with_member_id_date_and_template_count(page):
    rows = table_rows(page)
    assert [r[0] for r in rows] == ["Alice Kim", "Bob Lee", "박지민"]
    alice, bob, _ = rows
    assert alice[1] == "M-100" and alice[3] == "4"
    assert bob[1] == "—" and bob[3] == "2"
    assert len(alice[2]) == len("2024-01-01 12:00") and alice[2][:2] == "20"
    assert page.findChild(QTableWidget).item(0, 3).toolTip() == "front, right, down, left"
    assert not button(page, "Delete…").isEnabled()  # nothing selected yet


def test_search_filters_by_name_case_insensitively(page):
    search(page, "bob")
    assert [r[0] for r in table_rows(page)] == ["Bob Lee"]
    assert count_text(page) == "1 of 3 shown"
    search(page, "지민")
    assert [r[0] for r in table_rows(page)] == ["박지민"]
    search(page, "nobody")
    assert table_rows(page) == []
    search(page, "")
    assert len(table_rows(page)) == 3


def test_matches_search():
    person = Person(1, "Alice Kim", None, None, None)
    assert matches_search(person, "")
    assert matches_search(person, "  KIM ")
    assert not matches_search(person, "bob")


def test_delete_asks_and_keeps_the_person_on_no(page, registry, monkeypatch, qtbot):
    asked = answer_question(monkeypatch, QMessageBox.StandardButton.No)
    select_row(page, "Bob Lee")
    assert button(page, "Delete…").isEnabled()
    with qtbot.assertNotEmitted(page.person_deleted, wait=200):
        button(page, "Delete…").click()
    assert asked == ["Delete Bob Lee and their face data? This cannot be undone."]
    assert [p.display_name for p in registry.people()] == ["Alice Kim", "Bob Lee", "박지민"]


def test_delete_on_yes_removes_the_person_and_their_templates(
    page, registry, repository, monkeypatch, qtbot
):
    answer_question(monkeypatch, QMessageBox.StandardButton.Yes)
    search(page, "bob")
    select_row(page, "Bob Lee")
    with qtbot.waitSignal(page.person_deleted) as signal:
        button(page, "Delete…").click()
    assert signal.args[0].display_name == "Bob Lee"
    assert [p.display_name for p in registry.people()] == ["Alice Kim", "박지민"]
    assert len(repository.templates().person_ids) == 5  # Bob's two are gone
    assert table_rows(page) == []  # the filter stays; the list is re-read
    search(page, "")
    assert [r[0] for r in table_rows(page)] == ["Alice Kim", "박지민"]


def test_a_failed_delete_is_shown(page, registry, monkeypatch, qtbot):
    answer_question(monkeypatch, QMessageBox.StandardButton.Yes)
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text: warnings.append(text))
    )

    def broken_delete(name_or_id):
        raise OSError("disk I/O error")

    monkeypatch.setattr(registry, "delete", broken_delete)
    select_row(page, "Alice Kim")
    button(page, "Delete…").click()
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == ["Could not delete Alice Kim: database error"]
    assert len(table_rows(page)) == 3


def test_refresh_shows_people_registered_elsewhere(page, registry, qtbot):
    registry.enroll("Chris", [_template(30, "front")], True)
    assert len(table_rows(page)) == 3  # not re-read yet
    with qtbot.waitSignal(page.loaded):
        button(page, "Refresh").click()
    assert [r[0] for r in table_rows(page)][-1] == "Chris"
    assert count_text(page) == "4 person(s) registered"


def test_the_gui_thread_never_waits_for_the_registry(page, registry, qtbot):
    """Reading the registry (decrypting templates, refitting the SVM) holds the job thread, not
    the window: while a read is stuck, the page still answers a search."""
    release = threading.Event()
    reload = registry.reload
    reading_threads = []

    def slow_reload():
        reading_threads.append(threading.current_thread())
        release.wait(10)
        reload()

    registry.reload = slow_reload
    button(page, "Refresh").click()
    qtbot.waitUntil(lambda: bool(reading_threads))
    search(page, "alice")  # answered while the read is still held
    assert [r[0] for r in table_rows(page)] == ["Alice Kim"]
    assert reading_threads[0] is not threading.main_thread()
    with qtbot.waitSignal(page.loaded):
        release.set()


def test_screenshot(qtbot, registry, themed, screenshot):
    """Renders with the kiosk theme."""
    page = open_page(qtbot, registry, size=(1024, 600))
    qtbot.waitExposed(page)
    assert not button(page, "Delete…").isEnabled()  # nothing chosen yet
    select_row(page, "Alice Kim")
    picture = screenshot(page, "staff_people.png")
    assert (picture.width(), picture.height()) == (1024, 600)
    assert button(page, "Delete…").isEnabled()
