"""SystemPage with a fake stats provider and fake samplers; KioskStats formatting without Qt."""

from __future__ import annotations

import json

import pytest

from checkout_app.paths import DEFAULT_PRODUCT_MODEL
from checkout_app.services.system_stats import GpuSample, SystemSample, SystemSampler
from checkout_app.ui.staff.kiosk_stats import (
    KioskStats,
    ModelFileInfo,
    format_mb,
    format_ms,
    format_percent,
    format_rate,
)
from checkout_app.ui.staff.system_page import SystemPage

SHA = "cb683f389a75c45443be147460ecb3c5f1cfb7312a3040bb47ba22fe695dc9a6"
SIDECAR = {
    "architecture": "yolov8n",
    "sha256": SHA,
    "val_metrics": {"mAP50(B)": 0.9898, "mAP50-95(B)": 0.8174},
}
STATS = KioskStats(
    detection_fps=14.26,
    capture_fps=30.0,
    ui_fps=59.7,
    dropped_frames=412,
    stage_latency_ms={"capture": 1.24, "inference": 48.6, "tracking": 0.31, "paint": 3.9},
    backend="onnxruntime (CPU)",
    models=(
        ModelFileInfo.from_sidecar("products_yolov8n.onnx", SIDECAR),
        ModelFileInfo(
            name="facenet_casia.pb", sha256="9a1b2c3d4e5f60718293a4b5", architecture="FaceNet"
        ),
    ),
)
JETSON_GPU = GpuSample(
    name="NVIDIA Jetson Nano Developer Kit",
    load_percent=63.0,
    mem_used_mb=2310.0,
    mem_total_mb=3956.0,
    power_mw=4870.0,
    temperature_c=41.5,
    memory_is_shared=True,
)


class FakeSampler:
    def __init__(self, gpu: GpuSample | None) -> None:
        self.gpu = gpu
        self.calls = 0

    def sample(self) -> SystemSample:
        self.calls += 1
        return SystemSample(
            cpu_percent=37.4,
            ram_used_mb=2310.0,
            ram_total_mb=3956.0,
            process_rss_mb=812.0,
            gpu=self.gpu,
        )


def make_page(qtbot, stats: KioskStats, sampler) -> SystemPage:
    page = SystemPage(lambda: stats, sampler)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    return page


@pytest.mark.parametrize(
    ("func", "value", "text"),
    [
        (format_rate, None, "—"),
        (format_rate, 14.26, "14.3"),
        (format_ms, 4.24, "4.2"),
        (format_ms, 48.6, "49"),
        (format_ms, None, "—"),
        (format_percent, 0.9898, "99.0 %"),
        (format_mb, 812.0, "812 MB"),
        (format_mb, 3956.0, "3.9 GB"),
    ],
)
def test_formatting(func, value, text):
    assert func(value) == text


def test_model_info_from_the_shipped_sidecar():
    sidecar = json.loads(DEFAULT_PRODUCT_MODEL.with_suffix(".json").read_text())
    info = ModelFileInfo.from_sidecar(DEFAULT_PRODUCT_MODEL.name, sidecar)
    assert info.architecture == sidecar["architecture"]
    assert info.sha256_prefix == sidecar["sha256"][:12]
    assert info.map50 == pytest.approx(sidecar["val_metrics"]["mAP50(B)"])


def test_model_info_without_metrics_shows_dashes():
    info = ModelFileInfo.from_sidecar("x.onnx", {"sha256": "", "val_metrics": {"mAP50(B)": "n/a"}})
    assert (info.sha256_prefix, info.map50, info.architecture) == ("—", None, None)


def test_page_shows_the_provider_values_and_a_jetson_gpu(qtbot, themed, screenshot):
    page = make_page(qtbot, STATS, FakeSampler(JETSON_GPU))
    assert page.detection_tile.value_label.text() == "14.3"
    assert page.capture_tile.value_label.text() == "30.0"
    assert page.ui_tile.value_label.text() == "59.7"
    assert page.dropped_tile.value_label.text() == "412"
    assert "onnxruntime (CPU)" in page.backend_label.text()
    assert page.latency_labels["inference"][1].text() == "49"
    assert page.latency_labels["capture"][1].text() == "1.2"
    assert page.models_table.rowCount() == 2
    assert page.models_table.item(0, 1).text() == SHA[:12]
    assert page.models_table.item(0, 3).text() == "99.0 %"
    assert page.models_table.item(1, 3).text() == "—"
    assert page.cpu_tile.value_label.text() == "37 %"
    assert page.ram_tile.value_label.text() == "2.3 GB"
    assert page.process_tile.value_label.text() == "812 MB"
    assert page.gpu_tile.value_label.text() == "63 %"
    detail = page.gpu_tile.detail_label.text()
    assert "Jetson Nano" in detail and "4.9 W" in detail and "shared with CPU" in detail
    screenshot(page, "staff_system_jetson.png")


def test_page_says_no_gpu_and_dashes_before_any_measurement(qtbot, themed, screenshot):
    page = make_page(qtbot, KioskStats(), FakeSampler(None))
    assert page.gpu_tile.value_label.text() == "no GPU"
    assert page.detection_tile.value_label.text() == "—"
    assert page.latency_empty.isVisibleTo(page)
    assert page.models_table.rowCount() == 0
    screenshot(page, "staff_system_empty.png")


def test_timer_refreshes_while_shown_and_stops_when_hidden(qtbot):
    values = iter(range(100))
    sampler = FakeSampler(None)
    page = SystemPage(lambda: KioskStats(dropped_frames=next(values)), sampler)
    qtbot.addWidget(page)
    page.show()
    assert page.refresh_timer.isActive()
    first = int(page.dropped_tile.value_label.text())
    page.refresh_timer.timeout.emit()
    assert int(page.dropped_tile.value_label.text()) == first + 1
    page.hide()
    assert not page.refresh_timer.isActive()


def test_latency_rows_follow_the_stages_reported(qtbot):
    stats = [
        KioskStats(stage_latency_ms={"a": 1.0, "b": 2.0}),
        KioskStats(stage_latency_ms={"c": 3.0}),
    ]
    page = SystemPage(lambda: stats[0], FakeSampler(None))
    qtbot.addWidget(page)
    assert list(page.latency_labels) == ["a", "b"]
    stats.pop(0)
    page.refresh()
    assert list(page.latency_labels) == ["c"]
    assert page.latency_labels["c"][1].text() == "3.0"


def test_real_sampler_without_gpu_detection(qtbot):
    sampler = SystemSampler(detect_gpu=False)
    try:
        page = SystemPage(KioskStats, sampler)
        qtbot.addWidget(page)
        assert page.gpu_tile.value_label.text() == "no GPU"
        assert page.ram_tile.value_label.text().endswith(("MB", "GB"))
    finally:
        sampler.close()


def test_interrupted_payments_are_listed_until_marked_as_seen(qtbot, themed, screenshot):
    from datetime import datetime, timezone

    from checkout_app.storage.transaction_repository import InterruptedPayment

    started = datetime(2026, 12, 4, 9, 30, tzinfo=timezone.utc)
    payments = [
        InterruptedPayment("a1b2c3d4e5f6a7b8", started, 3200, "Eileen", "Cola x1, Chips x1", True),
        InterruptedPayment("ffff0000", started, 1500, "Kim", "Cola x1", False),
    ]
    page = make_page(qtbot, KioskStats(interrupted_payments=payments), FakeSampler(None))
    text = page.interrupted_label.text()
    assert "₩3,200 · Eileen · Cola x1, Chips x1: charged (receipt a1b2c3d4e5f6)" in text
    assert "may not have seen it" in text and "₩1,500 · Kim · Cola x1: not charged" in text
    assert page.interrupted_card.isVisibleTo(page)
    screenshot(page, "staff_system_interrupted_payments")
    with qtbot.waitSignal(page.interrupted_seen):
        page.interrupted_button.click()
