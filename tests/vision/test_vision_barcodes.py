"""Barcodes from camera frames: the independent EAN-13 drawing, the zxing-cpp reader, and the
decode-rate measurement (small, fast versions of ``checkout-app eval barcodes``)."""

from __future__ import annotations

import numpy as np
import pytest

from checkout_app.core.barcode import BarcodeError
from checkout_app.vision.barcode_image import SYMBOL_MODULES, ean13_image, ean13_modules
from checkout_app.vision.barcode_measure import Condition, measure, render_trial
from checkout_app.vision.barcode_reader import BarcodeReader


@pytest.fixture(scope="module")
def reader():
    return BarcodeReader()


def test_ean13_modules_follow_the_gs1_tables():
    # 4006381333931 is the EAN-13 example of the GS1 / Wikipedia illustration.
    modules = ean13_modules("4006381333931")
    assert len(modules) == SYMBOL_MODULES
    assert modules.startswith("101" + "0001101") and modules.endswith("1100110" + "101")  # R of 1
    assert modules[45:50] == "01010"  # the centre guard
    with pytest.raises(BarcodeError, match="check digit"):
        ean13_modules("4006381333932")


def test_a_drawn_code_reads_back_and_a_upc_a_as_its_gtin(reader):
    for code, gtin in (("8801234567893", "8801234567893"), ("036000291452", "0036000291452")):
        image = ean13_image(code, module_px=3)
        frame = np.full((480, 640, 3), 170, np.uint8)
        h, w = image.shape
        frame[50 : 50 + h, 60 : 60 + w] = image[..., None]
        found = reader.read(frame)
        assert [b.gtin for b in found] == [gtin]
        x1, y1, x2, y2 = found[0].box
        assert 60 <= x1 < x2 <= 60 + w and 50 <= y1 < y2 <= 50 + h


def test_an_empty_counter_has_no_barcode(reader):
    rng = np.random.default_rng(3)
    frame = rng.integers(90, 200, (480, 640, 3), dtype=np.uint8)
    assert reader.read(frame) == []


def test_a_wide_barcode_facing_the_camera_reads_and_a_tiny_one_does_not(reader):
    rng = np.random.default_rng(0)
    code = "8801234567893"
    assert code in {b.gtin for b in reader.read(render_trial(code, Condition(width_px=300), rng))}
    assert reader.read(render_trial(code, Condition(width_px=50), rng)) == []


def test_the_measurement_reports_every_condition(reader):
    report = measure(trials=2, seed=1, reader=reader)
    assert set(report["sweeps"]) == {"width_px", "rotation_deg", "blur_sigma", "lighting"}
    for results in report["sweeps"].values():
        for result in results.values():
            assert result["trials"] == 2 and 0 <= result["read"] <= 2
    assert report["target"]["trials"] > 0 and report["decode_ms"]["frames"] > 0
