"""Staff page for system health: rates, latency per stage, CPU/RAM/GPU, backend and model files.

Readable from a step away: big numbers with small captions. It refreshes once a second while
visible, from a ``stats_provider`` the main window supplies (``KioskStats``) and a
``SystemSampler`` for the machine; both are cheap calls, so the refresh runs on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Callable, Protocol

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkout_app.core.money import format_won
from checkout_app.services.system_stats import GpuSample, SystemSample
from checkout_app.ui.staff.kiosk_stats import (
    NO_VALUE,
    KioskStats,
    format_mb,
    format_ms,
    format_percent,
    format_rate,
)
from checkout_app.ui.theme import ROLE_CARD, ROLE_ERROR, ROLE_HINT, ROLE_TITLE, set_role

log = logging.getLogger(__name__)

REFRESH_MS = 1000
_VALUE_FONT_PT = 30


class Sampler(Protocol):
    def sample(self) -> SystemSample: ...


class StatTile(QFrame):
    """A card with one big value, a caption under it, and an optional detail line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, ROLE_CARD)
        self.value_label = QLabel(NO_VALUE)
        font = self.value_label.font()
        font.setPointSize(_VALUE_FONT_PT)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel()
        set_role(self.caption_label, ROLE_HINT)
        self.detail_label = QLabel()
        set_role(self.detail_label, ROLE_HINT)
        self.detail_label.setWordWrap(True)
        self.detail_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(2)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.detail_label)
        layout.addStretch(1)

    def set_value(self, value: str, detail: str = "") -> None:
        self.value_label.setText(value)
        self.detail_label.setText(detail)
        self.detail_label.setVisible(bool(detail))


class SystemPage(QWidget):
    """Live numbers about the kiosk. ``stats_provider`` is called once a second while shown.

    Payments a crash interrupted are listed on top until staff press "Mark as seen"
    (``interrupted_seen``).
    """

    interrupted_seen = Signal()

    def __init__(
        self,
        stats_provider: Callable[[], KioskStats],
        sampler: Sampler,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._stats_provider = stats_provider
        self._sampler = sampler
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)

        self.title_label = QLabel()
        set_role(self.title_label, ROLE_TITLE)
        self.backend_label = QLabel()
        set_role(self.backend_label, ROLE_HINT)
        self.face_pay_label = QLabel()
        self.face_pay_label.setObjectName("face_pay_status")
        self.face_pay_label.setWordWrap(True)
        self.face_pay_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.interrupted_card = QFrame()
        set_role(self.interrupted_card, ROLE_CARD)
        self.interrupted_label = QLabel()
        self.interrupted_label.setObjectName("interrupted_payments")
        self.interrupted_label.setWordWrap(True)
        self.interrupted_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.interrupted_button = QPushButton()
        self.interrupted_button.setObjectName("interrupted_seen_button")
        self.interrupted_button.clicked.connect(self.interrupted_seen)
        interrupted_layout = QHBoxLayout(self.interrupted_card)
        interrupted_layout.addWidget(self.interrupted_label, 1)
        interrupted_layout.addWidget(self.interrupted_button, 0, Qt.AlignmentFlag.AlignTop)
        self.interrupted_card.hide()

        self.detection_tile = StatTile()
        self.capture_tile = StatTile()
        self.ui_tile = StatTile()
        self.dropped_tile = StatTile()
        self.cpu_tile = StatTile()
        self.ram_tile = StatTile()
        self.process_tile = StatTile()
        self.gpu_tile = StatTile()
        tiles = QGridLayout()
        tiles.setSpacing(12)
        for index, tile in enumerate(
            (
                self.detection_tile,
                self.capture_tile,
                self.ui_tile,
                self.dropped_tile,
                self.cpu_tile,
                self.ram_tile,
                self.process_tile,
                self.gpu_tile,
            )
        ):
            tiles.addWidget(tile, index // 4, index % 4)
        for column in range(4):
            tiles.setColumnStretch(column, 1)

        self.latency_card = QFrame()
        set_role(self.latency_card, ROLE_CARD)
        self.latency_title = QLabel()
        set_role(self.latency_title, ROLE_HINT)
        self._latency_grid = QGridLayout()
        self._latency_grid.setHorizontalSpacing(24)
        self.latency_labels: dict[str, tuple[QLabel, QLabel]] = {}
        self.latency_empty = QLabel(NO_VALUE)
        latency_layout = QVBoxLayout(self.latency_card)
        latency_layout.setContentsMargins(18, 12, 18, 12)
        latency_layout.addWidget(self.latency_title)
        latency_layout.addWidget(self.latency_empty)
        latency_layout.addLayout(self._latency_grid)
        latency_layout.addStretch(1)

        self.models_table = QTableWidget(0, 5)
        self.models_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.models_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.models_table.verticalHeader().setVisible(False)
        self.models_table.verticalHeader().setDefaultSectionSize(44)
        self.models_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.models_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The architecture is the long, least useful text: it gives way (elided), never the file.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        bottom.addWidget(self.latency_card, 2)
        bottom.addWidget(self.models_table, 3)

        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addStretch(1)
        heading.addWidget(self.backend_label)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.face_pay_label)
        layout.addWidget(self.interrupted_card)
        layout.addLayout(tiles)
        layout.addLayout(bottom, 1)
        self.retranslate()

    # ----- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        for stage, (name_label, _) in self.latency_labels.items():
            name_label.setText(self._stage_name(stage))
        self.title_label.setText(self.tr("System health"))
        self.interrupted_button.setText(self.tr("Mark as seen"))
        self.detection_tile.caption_label.setText(self.tr("Detection FPS"))
        self.capture_tile.caption_label.setText(self.tr("Camera FPS"))
        self.ui_tile.caption_label.setText(self.tr("Screen FPS"))
        self.dropped_tile.caption_label.setText(self.tr("Frames skipped"))
        self.cpu_tile.caption_label.setText(self.tr("CPU"))
        self.ram_tile.caption_label.setText(self.tr("RAM used"))
        self.process_tile.caption_label.setText(self.tr("Kiosk app memory"))
        self.gpu_tile.caption_label.setText(self.tr("GPU"))
        self.latency_title.setText(self.tr("Latency per stage (median ms)"))
        self.models_table.setHorizontalHeaderLabels(
            [
                self.tr("Model file"),
                self.tr("sha256"),
                self.tr("Architecture"),
                self.tr("mAP50"),
                self.tr("mAP50-95"),
            ]
        )
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ----- refresh -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.refresh_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        # Nobody looks at a hidden page: stop sampling (tegrastats/NVML cost a little each time).
        self.refresh_timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        self._show_kiosk(self._stats_provider())
        self._show_system(self._sampler.sample())

    def _show_kiosk(self, stats: KioskStats) -> None:
        self.detection_tile.set_value(format_rate(stats.detection_fps))
        self.capture_tile.set_value(format_rate(stats.capture_fps))
        self.ui_tile.set_value(format_rate(stats.ui_fps))
        self.dropped_tile.set_value(str(stats.dropped_frames))
        self.backend_label.setText(
            self.tr("Detector backend: {name}").format(name=stats.backend or NO_VALUE)
        )
        if stats.face_pay_problem:
            self.face_pay_label.setText(
                self.tr("Face pay is off: {reason}").format(reason=stats.face_pay_problem)
            )
            set_role(self.face_pay_label, ROLE_ERROR)
        else:
            self.face_pay_label.setText(self.tr("Face pay is ready."))
            set_role(self.face_pay_label, ROLE_HINT)
        self._show_interrupted(stats.interrupted_payments)
        self._show_latency(stats)
        self._show_models(stats)

    def _show_interrupted(self, payments) -> None:
        self.interrupted_card.setVisible(bool(payments))
        if not payments:
            return
        lines = [self.tr("Payments interrupted by a crash or a power cut before this start:")]
        for p in payments:
            what = (
                self.tr("charged (receipt {receipt}); the shopper may not have seen it")
                if p.charged
                else self.tr("not charged")
            )
            lines.append(
                f"• {p.started_at.astimezone():%Y-%m-%d %H:%M} · {format_won(p.total)} · "
                f"{p.paid_by_name} · {p.summary}: " + what.format(receipt=p.checkout_id[:12])
            )
        self.interrupted_label.setText("\n".join(lines))

    def _show_latency(self, stats: KioskStats) -> None:
        stages = list(stats.stage_latency_ms)
        if stages != list(self.latency_labels):
            self._rebuild_latency_rows(stages)
        for stage, ms in stats.stage_latency_ms.items():
            self.latency_labels[stage][1].setText(format_ms(ms))
        self.latency_empty.setVisible(not stages)

    def _stage_name(self, stage: str) -> str:
        """The pipeline's stage identifier in the kiosk's language (an unknown one as is)."""
        names = {
            "read": self.tr("camera read"),
            "preprocess": self.tr("preprocess"),
            "inference": self.tr("inference"),
            "postprocess": self.tr("postprocess"),
            "tracking": self.tr("tracking"),
        }
        return names.get(stage, stage)

    def _rebuild_latency_rows(self, stages: list[str]) -> None:
        for name_label, value_label in self.latency_labels.values():
            name_label.deleteLater()
            value_label.deleteLater()
        self.latency_labels = {}
        value_font = self.font()
        value_font.setPointSize(22)
        value_font.setBold(True)
        for row, stage in enumerate(stages):
            name_label = QLabel(self._stage_name(stage))
            value_label = QLabel()
            value_label.setFont(value_font)
            value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._latency_grid.addWidget(name_label, row, 0)
            self._latency_grid.addWidget(value_label, row, 1)
            self.latency_labels[stage] = (name_label, value_label)

    def _show_models(self, stats: KioskStats) -> None:
        self.models_table.setRowCount(len(stats.models))
        for row, model in enumerate(stats.models):
            cells = (
                model.name,
                model.sha256_prefix,
                model.architecture or NO_VALUE,
                format_percent(model.map50),
                format_percent(model.map50_95),
            )
            for column, text in enumerate(cells):
                item = self.models_table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.models_table.setItem(row, column, item)
                item.setText(text)
                if model.sha256:
                    item.setToolTip(model.sha256)
        self.models_table.horizontalScrollBar().setValue(0)  # the file names first

    def _show_system(self, sample: SystemSample) -> None:
        self.cpu_tile.set_value(f"{sample.cpu_percent:.0f} %")
        self.ram_tile.set_value(
            format_mb(sample.ram_used_mb),
            self.tr("of {total}").format(total=format_mb(sample.ram_total_mb)),
        )
        self.process_tile.set_value(format_mb(sample.process_rss_mb))
        self._show_gpu(sample.gpu)

    def _show_gpu(self, gpu: GpuSample | None) -> None:
        if gpu is None:
            self.gpu_tile.set_value(self.tr("no GPU"))
            return
        load = NO_VALUE if gpu.load_percent is None else f"{gpu.load_percent:.0f} %"
        details = [gpu.name]
        if gpu.mem_used_mb is not None and gpu.mem_total_mb is not None:
            memory = f"{format_mb(gpu.mem_used_mb)} / {format_mb(gpu.mem_total_mb)}"
            if gpu.memory_is_shared:
                memory = self.tr("{memory} (shared with CPU)").format(memory=memory)
            details.append(memory)
        extras = []
        if gpu.power_mw is not None:
            extras.append(f"{gpu.power_mw / 1000:.1f} W")
        if gpu.temperature_c is not None:
            extras.append(f"{gpu.temperature_c:.0f} °C")
        if extras:
            details.append(" · ".join(extras))
        self.gpu_tile.set_value(load, "\n".join(details))
