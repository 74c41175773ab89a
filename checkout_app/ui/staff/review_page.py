"""The staff Review page: every count staff approved below what the counter camera saw.

A row per approved product (when, what, charged, seen) and, for the selected row, the counter
frame of that moment, so a store can tell a camera that counts one can twice from a product
that left unpaid.
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
        """``load(limit)`` returns the latest overrides, newest first (``OverrideRepository``)."""
        super().__init__(parent)
        self._load = load
        self._overrides: list = []
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
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
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
        self._overrides = list(self._load(RECENT))
        self.table.setRowCount(len(self._overrides))
        for row, override in enumerate(self._overrides):
            when = override.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            cells = (when, override.name, str(override.charged_qty), str(override.camera_qty))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        if self._overrides:
            self.table.selectRow(0)
        self._show_selected_frame()

    def _show_selected_frame(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        override = self._overrides[rows[0].row()] if rows else None
        image = QImage()
        if override is not None and override.frame_jpeg:
            image.loadFromData(override.frame_jpeg, "JPG")
        if image.isNull():
            self.frame.setPixmap(QPixmap())
            self.frame.setText(
                self.tr("No frame was kept.") if override is not None else self._empty_text()
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
                "Counts staff approved below what the counter camera saw, newest first, with "
                "the camera's picture of that moment."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Product"), self.tr("Charged"), self.tr("Camera saw")]
        )
        self._show_selected_frame()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
