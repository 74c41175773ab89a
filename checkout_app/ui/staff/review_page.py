"""The staff Review page: what staff decided at the counter, newest first.

A row per product staff approved below what the counter camera saw (when, what, charged, seen)
and per unknown item staff named (seen as "unknown item", and whether the kiosk had offered that
product) or set aside as not a product, with the counter frame of the selected row: a store can
tell a camera that counts one can twice from a product that left unpaid, and see which products
to teach next. A named item the kiosk learned from can be taken back (**Undo learning**) when
staff named it wrongly (a product set aside is then asked about again): the learned picture is
deleted and the recogniser rebuilt, in the background.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkout_app.ui.theme import ROLE_HINT, ROLE_TITLE, VIDEO_BACKGROUND, set_role
from checkout_app.ui.workers import JobQueue

FRAME_WIDTH_PX = 360
# The frame box is as tall as the table beside it, at least this: the picture is scaled to fit
# it (a 1024×600 screen has no room for a 4:3 picture 360 px wide).
FRAME_MIN_HEIGHT_PX = 160
RECENT = 200  # rows loaded; older ones stay in the database


class ReviewPage(QWidget):
    def __init__(
        self,
        load: Callable[[int], list],
        unlearn: Callable[[int], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``load(limit)`` returns the latest ``ReviewEntry`` rows, newest first
        (``count_review.recent_reviews``); ``unlearn(photo_id)`` deletes a learned photo
        (``ProductTeacher.unlearn``; seconds: it runs in the page's job thread)."""
        super().__init__(parent)
        self._load = load
        self._unlearn = unlearn
        self._undoing = False
        self._jobs = JobQueue("review", self)
        self._jobs.failed.connect(self._undo_failed)
        self._entries: list = []
        self._title = QLabel()
        set_role(self._title, ROLE_TITLE)
        self._hint = QLabel()
        self._hint.setWordWrap(True)
        set_role(self._hint, ROLE_HINT)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("review_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # Long product names wrap onto a second line instead of being cut on a small screen.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.frame = QLabel()
        self.frame.setObjectName("review_frame")
        self.frame.setFixedWidth(FRAME_WIDTH_PX)
        self.frame.setMinimumHeight(FRAME_MIN_HEIGHT_PX)
        self.frame.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self._frame_image = QImage()
        self.frame.installEventFilter(self)  # the picture follows the box's height
        self.frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame.setWordWrap(True)
        self.frame.setStyleSheet(f"background-color: {VIDEO_BACKGROUND}; color: white;")
        self.status = QLabel()
        self.status.setObjectName("review_status")
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status.setWordWrap(True)
        set_role(self.status, ROLE_HINT)
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("review_undo_learning")
        self.undo_button.clicked.connect(self._undo_learning)
        self.undo_button.setVisible(unlearn is not None)
        # Beside the title: a short screen has no room for another row.
        top = QHBoxLayout()
        top.addWidget(self._title)
        top.addWidget(self.status, 1)
        top.addWidget(self.undo_button)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.frame)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._hint)
        layout.addLayout(body, 1)
        self.retranslate()

    def refresh(self) -> None:
        """Load the latest rows again, keeping the selected one selected (the newest when it is
        gone or none was): a naming that arrived meanwhile moves it down a row."""
        selected = self._selected_entry()
        self._entries = list(self._load(RECENT))
        self.table.setRowCount(len(self._entries))
        self._fill_rows()
        keys = [entry.key for entry in self._entries]
        if self._entries:
            kept = selected is not None and selected.key in keys
            self.table.selectRow(keys.index(selected.key) if kept else 0)
        self._show_selected()

    def shutdown(self) -> None:
        self._jobs.shutdown()

    def _fill_rows(self) -> None:
        for row, entry in enumerate(self._entries):
            when = entry.created_at.astimezone().strftime("%Y-%m-%d\n%H:%M")
            name = self.tr("Not a product") if entry.name is None else entry.name
            cells = (when, name, *self._charged_and_seen(entry))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)

    def _charged_and_seen(self, entry) -> tuple:
        if entry.camera_qty is None:  # an unknown item staff named
            if entry.name is None:
                seen = self.tr("unknown, set aside")
            elif entry.suggestion_rank is None:
                seen = self.tr("unknown, searched")
            else:
                seen = self.tr("unknown, ★ no. {rank}").format(rank=entry.suggestion_rank)
            if entry.learned_photo_id is not None:
                seen += self.tr(", learned")
            elif entry.learned:
                seen += self.tr(", learned, undone")
            return str(entry.charged_qty), seen
        return str(entry.charged_qty), str(entry.camera_qty)

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _selected_entry(self):
        row = self._selected_row()
        return self._entries[row] if row is not None else None

    def _show_selected(self) -> None:
        """The selected row's counter frame, and Undo learning when it has a learned photo."""
        entry = self._selected_entry()
        self.undo_button.setEnabled(
            not self._undoing and entry is not None and entry.learned_photo_id is not None
        )
        self._frame_image = QImage()
        if entry is not None and entry.frame_jpeg:
            self._frame_image.loadFromData(entry.frame_jpeg, "JPG")
        if self._frame_image.isNull():
            self.frame.setPixmap(QPixmap())
            self.frame.setText(
                self.tr("No frame was kept.") if entry is not None else self._empty_text()
            )
            return
        self._scale_frame()

    def _scale_frame(self) -> None:
        """The selected frame as large as the frame box allows, its shape kept."""
        if self._frame_image.isNull():
            return
        pixmap = QPixmap.fromImage(self._frame_image).scaled(
            self.frame.width(),
            self.frame.height(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.frame.setPixmap(pixmap)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.frame and event.type() == QEvent.Type.Resize:
            self._scale_frame()
        return super().eventFilter(watched, event)

    def _empty_text(self) -> str:
        return self.tr("Nothing to review.")

    def _undo_learning(self) -> None:
        entry = self._selected_entry()
        if self._unlearn is None or entry is None or entry.learned_photo_id is None:
            return
        self._undoing = True
        self.undo_button.setEnabled(False)
        if entry.name is None:
            undoing = self.tr("Forgetting the look of this item set aside…")
            undone = self.tr("Learning undone: items like it are asked about again.")
        else:
            undoing = self.tr("Forgetting what the kiosk learned from this {name}…")
            undone = self.tr(
                "Learning undone: the kiosk no longer recognises {name} by that picture."
            )
        self.status.setText(undoing.format(name=entry.name))
        self._jobs.submit(
            partial(self._unlearn, entry.learned_photo_id),
            partial(self._undone, undone.format(name=entry.name)),
        )

    def _undone(self, message: str, _deleted: bool) -> None:
        # Not deleted: the product's photos were forgotten meanwhile; the result is the same.
        self._undoing = False
        self.status.setText(message)
        self.refresh()

    def _undo_failed(self, reason: str) -> None:
        self._undoing = False
        self.status.setText(self.tr("Could not undo the learning: {reason}").format(reason=reason))
        self._show_selected()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Review"))
        self._hint.setText(
            self.tr(
                "Counts staff approved below what the counter camera saw, and unknown items "
                "staff named (★ no. N: the product offered N-th; searched: looked up by name; "
                "set aside: not a product, items like it are ignored; learned: the kiosk "
                "learned its look from that picture; undo it if misnamed), newest first, with "
                "the camera's picture of that moment."
            )
        )
        self.undo_button.setText(self.tr("Undo learning"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Product"), self.tr("Charged"), self.tr("Camera saw")]
        )
        self._fill_rows()
        self._show_selected()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
