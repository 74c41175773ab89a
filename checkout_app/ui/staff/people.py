"""Staff page listing the registered shoppers, with a name search and delete on request.

Deleting removes the person and every face template from the registry at once (their
biometric data must go when they ask); the page asks for confirmation first because it cannot
be undone. Reading the registry decrypts every template and refits the face classifier, so
reads and deletes run in a background job queue: the kiosk never waits for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkout_app.faces.registry import Deletion, Person, RegistryError
from checkout_app.ui import theme
from checkout_app.ui.workers import JobQueue

if TYPE_CHECKING:
    from checkout_app.faces.registry import FaceRegistry

log = logging.getLogger(__name__)


def matches_search(person: Person, query: str) -> bool:
    """Whether ``person``'s name contains ``query`` (case-insensitive; empty matches all)."""
    return query.strip().casefold() in person.display_name.casefold()


@dataclass(frozen=True)
class _Listing:
    """The registry as a background read found it."""

    people: list
    error: str  # why the classifier could not be refitted; "" when it was


@dataclass(frozen=True)
class _Deleted:
    """How a background delete ended, and the registry read right after it."""

    person: Person
    deletion: Deletion | None  # None: it failed
    failure: str  # the registry's reason; "" for any other failure (a database error)
    listing: _Listing


class PeoplePage(QWidget):
    """Registered people: name, member id, registration date, number of face templates.

    Emits ``person_deleted(Person)`` after a deletion so other views can reload, and
    ``loaded`` each time the table shows a fresh read of the registry.
    """

    person_deleted = Signal(object)
    loaded = Signal()

    def __init__(self, registry: FaceRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._people: list = []
        self._shown: list = []  # the people in the table's rows, in order
        self._deleting = False
        self._reads = 0  # reads asked for; only the last one's result is shown
        self._jobs = JobQueue("people", self)

        self._title = QLabel(self)
        theme.set_role(self._title, theme.ROLE_TITLE)
        self._search = QLineEdit(self)
        self._search.setClearButtonEnabled(True)
        self._table = QTableWidget(0, 4, self)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.verticalHeader().setVisible(False)
        self._table.verticalHeader().setDefaultSectionSize(48)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._count = QLabel(self)
        self._count.setObjectName("people_count")
        theme.set_role(self._count, theme.ROLE_HINT)
        self._error = QLabel(self)
        theme.set_role(self._error, theme.ROLE_ERROR)
        self._error.setWordWrap(True)
        self._refresh = QPushButton(self)
        self._delete = QPushButton(self)
        theme.set_role(self._delete, theme.ROLE_DANGER)

        top = QHBoxLayout()
        top.addWidget(self._title, 1)
        top.addWidget(self._search, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._count, 1)
        buttons.addWidget(self._refresh)
        buttons.addWidget(self._delete)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._error)
        layout.addLayout(buttons)

        self._search.textChanged.connect(self._show_people)
        self._table.itemSelectionChanged.connect(self._update_buttons)
        self._refresh.clicked.connect(self.refresh)
        self._delete.clicked.connect(self._on_delete_clicked)

        self.retranslate()  # the list is read when the page is first shown

    def retranslate(self) -> None:
        self._title.setText(self.tr("Registered shoppers"))
        self._search.setPlaceholderText(self.tr("Search by name"))
        self._table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Member ID"), self.tr("Registered"), self.tr("Face images")]
        )
        self._refresh.setText(self.tr("Refresh"))
        self._delete.setText(self.tr("Delete…"))
        self._show_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QEvent) -> None:
        # People may have been registered on another page (or kiosk) since the last look.
        self.refresh()
        super().showEvent(event)

    @Slot()
    def refresh(self) -> None:
        """Re-read the registry (other pages or kiosks may have changed it) in the background;
        the table is redrawn when the last read asked for is done (``loaded``)."""
        self._reads += 1
        self._jobs.submit(self._read_people, partial(self._on_read, self._reads))

    def shutdown(self) -> None:
        """Finish the read or delete in progress; safe to call twice."""
        self._jobs.shutdown()

    def _read_people(self) -> _Listing:
        """In the job thread."""
        try:
            self._registry.reload()
        except RegistryError as exc:
            return _Listing(self._registry.people(), str(exc))
        return _Listing(self._registry.people(), "")

    def _on_read(self, read: int, listing: _Listing) -> None:
        if read == self._reads:  # an older read would show what a newer one replaced
            self._show_listing(listing)

    def _show_listing(self, listing: _Listing) -> None:
        self._error.setText(listing.error)
        self._error.setVisible(bool(listing.error))
        self._people = listing.people
        self._show_people()
        self.loaded.emit()

    def selected_person(self) -> Person | None:
        rows = self._table.selectionModel().selectedRows()
        return self._shown[rows[0].row()] if rows else None

    @Slot()
    def _show_people(self) -> None:
        query = self._search.text()
        self._shown = [p for p in self._people if matches_search(p, query)]
        self._table.setRowCount(len(self._shown))
        for row, person in enumerate(self._shown):
            templates = QTableWidgetItem(str(len(person.template_labels)))
            templates.setToolTip(", ".join(person.template_labels))
            templates.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            cells = (
                QTableWidgetItem(person.display_name),
                QTableWidgetItem(person.member_id or "—"),
                QTableWidgetItem(f"{person.created_at.astimezone():%Y-%m-%d %H:%M}"),
                templates,
            )
            for column, item in enumerate(cells):
                self._table.setItem(row, column, item)
        self._table.clearSelection()
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        total, shown = len(self._people), len(self._shown)
        if total == 0:
            text = self.tr("No one is registered yet.")
        elif shown == total:
            text = self.tr("%n person(s) registered", "", total)
        else:
            text = self.tr("%1 of %2 shown").replace("%1", str(shown)).replace("%2", str(total))
        self._count.setText(text)

    @Slot()
    def _update_buttons(self) -> None:
        self._delete.setEnabled(self.selected_person() is not None and not self._deleting)

    @Slot()
    def _on_delete_clicked(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete registered shopper"),
            self.tr("Delete %1 and their face data? This cannot be undone.").replace(
                "%1", person.display_name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._deleting = True
        self._update_buttons()
        self._jobs.submit(partial(self._delete_person, person), self._on_deleted)

    def _delete_person(self, person: Person) -> _Deleted:
        """In the job thread."""
        try:
            # By name: names are unique, and find() tries names before numeric ids.
            deletion = self._registry.delete(person.display_name)
        except Exception as exc:  # a registry or database failure: say so, keep the page usable
            log.exception("deleting person %s failed", person.id)
            failure = str(exc) if isinstance(exc, RegistryError) else ""
            return _Deleted(person, None, failure, self._read_people())
        return _Deleted(person, deletion, "", self._read_people())

    def _on_deleted(self, outcome: _Deleted) -> None:
        self._deleting = False
        self._show_listing(outcome.listing)
        deleted = outcome.deletion
        if deleted is None:
            QMessageBox.warning(
                self,
                self.tr("Delete registered shopper"),
                self.tr("Could not delete %1: %2")
                .replace("%1", outcome.person.display_name)
                .replace("%2", outcome.failure or self.tr("database error")),
            )
            return
        log.info("staff deleted person %s", deleted.person.id)
        if not deleted.purged:
            QMessageBox.information(
                self,
                self.tr("Delete registered shopper"),
                self.tr(
                    "%1 can no longer pay by face. Another program still has the database open, "
                    "so their old records are removed from the file when it closes it, or at the "
                    "next start of the kiosk."
                ).replace("%1", deleted.person.display_name),
            )
        self.person_deleted.emit(deleted.person)
