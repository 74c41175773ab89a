"""A barcode held up counts once; a one-frame misread never counts (pure logic)."""

from __future__ import annotations

from checkout_app.services.barcode_scans import BarcodeScans

CAN = "8801234567893"


def feed(scans: BarcodeScans, frames: list[set], fps: float = 10.0) -> list[str]:
    counted = []
    for i, codes in enumerate(frames):
        counted += scans.update(codes, i / fps)
    return counted


def test_held_up_for_three_seconds_it_counts_once():
    assert feed(BarcodeScans(), [{CAN}] * 30) == [CAN]


def test_a_single_frame_misread_does_not_count():
    assert feed(BarcodeScans(), [set(), {CAN}, set(), {"96385074"}, set()]) == []


def test_lowered_and_held_up_again_it_counts_again():
    frames = [{CAN}] * 5 + [set()] * 12 + [{CAN}] * 5  # 1.2 s out of sight in between
    assert feed(BarcodeScans(), frames) == [CAN, CAN]


def test_a_flicker_while_held_up_is_not_a_second_scan():
    frames = [{CAN}] * 5 + [set()] * 3 + [{CAN}] * 5  # 0.3 s lost by the decoder
    assert feed(BarcodeScans(), frames) == [CAN]


def test_two_products_held_up_together_count_each_once():
    assert feed(BarcodeScans(), [{CAN, "96385074"}] * 4) == ["8801234567893", "96385074"]
