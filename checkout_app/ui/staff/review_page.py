"""The staff Review page: what staff decided at the counter, newest first.

A row per product staff approved below what the counter camera saw (when, what, charged, seen)
and per unknown item staff named (seen as "unknown item", and whether the kiosk had offered that
product), with the counter frame of the selected row: a store can tell a camera that counts one
can twice from a product that left unpaid, and see which products to teach next.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkout_app.ui.theme import ROLE_HINT, ROLE_TITLE, VIDEO_BACKGROUND, set_role

FRAME_WIDTH_PX = 360
RECENT = 200  # rows loaded; older ones stay in the database


class ReviewPage(QWidget):
    def __init__(self, load: Callable[[int], list], parent: QWidget | None = None) -> None:
        """``load(limit)`` returns the latest ``ReviewEntry`` rows, newest first
        (``count_review.recent_reviews``)."""
        super().__init__(parent)
        self._load = load
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
        self.table.itemSelectionChanged.connect(self._show_selected_frame)
        self.frame = QLabel()
        self.frame.setObjectName("review_frame")
        self.frame.setFixedWidth(FRAME_WIDTH_PX)
        self.frame.setMinimumHeight(FRAME_WIDTH_PX * 3 // 4)
        self.frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame.setWordWrap(True)
        self.frame.setStyleSheet(f"background-color: {VIDEO_BACKGROUND}; color: white;")
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.frame, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._hint)
        layout.addLayout(body, 1)
        self.retranslate()

    def refresh(self) -> None:
        self._entries = list(self._load(RECENT))
        self.table.setRowCount(len(self._entries))
        self._fill_rows()
        if self._entries:
            self.table.selectRow(0)
        self._show_selected_frame()

    def _fill_rows(self) -> None:
        for row, entry in enumerate(self._entries):
            when = entry.created_at.astimezone().strftime("%Y-%m-%d\n%H:%M")
            cells = (when, entry.name, *self._charged_and_seen(entry))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)

    def _charged_and_seen(self, entry) -> tuple:
        if entry.camera_qty is None:  # an unknown item staff named
            if entry.suggestion_rank is None:
                seen = self.tr("unknown, searched")
            else:
                seen = self.tr("unknown, ★ no. {rank}").format(rank=entry.suggestion_rank)
            if entry.learned:
                seen += self.tr(", learned")
            return str(entry.charged_qty), seen
        return str(entry.charged_qty), str(entry.camera_qty)

    def _show_selected_frame(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        entry = self._entries[rows[0].row()] if rows else None
        image = QImage()
        if entry is not None and entry.frame_jpeg:
            image.loadFromData(entry.frame_jpeg, "JPG")
        if image.isNull():
            self.frame.setPixmap(QPixmap())
            self.frame.setText(
                self.tr("No frame was kept.") if entry is not None else self._empty_text()
            )
            return
        pixmap = QPixmap.fromImage(image).scaledToWidth(
            FRAME_WIDTH_PX, Qt.TransformationMode.SmoothTransformation
        )
        self.frame.setPixmap(pixmap)

    def _empty_text(self) -> str:
        return self.tr("Nothing to review.")

    def retranslate(self) -> None:
        self._title.setText(self.tr("Review"))
        self._hint.setText(
            self.tr(
                "Counts staff approved below what the counter camera saw, and unknown items "
                "staff named (★ no. N: the product offered N-th; searched: looked up by name; "
                "learned: the kiosk learned its look from that picture), newest first, with the "
                "camera's picture of that moment."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Product"), self.tr("Charged"), self.tr("Camera saw")]
        )
        self._fill_rows()
        self._show_selected_frame()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
