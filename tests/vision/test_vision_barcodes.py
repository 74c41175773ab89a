"""Barcodes from camera frames: the independent EAN-13 drawing, the zxing-cpp reader, and the
decode-rate measurement (small, fast versions of ``checkout-app eval barcodes``)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from checkout_app.core.barcode import BarcodeError
from checkout_app.vision.barcode_fit import read_fitted
from checkout_app.vision.barcode_image import (
    EAN8_MODULES,
    SYMBOL_MODULES,
    ean8_modules,
    ean13_image,
    ean13_modules,
)
from checkout_app.vision.barcode_measure import Condition, measure, random_code, render_trial
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


def test_ean8_modules_follow_the_gs1_tables():
    # 96385074 is the EAN-8 example of the Wikipedia illustration: four L digits, four R.
    modules = ean8_modules("96385074")
    assert len(modules) == EAN8_MODULES
    assert modules.startswith("101" + "0001011") and modules.endswith("1011100" + "101")  # R of 4
    assert modules[31:36] == "01010"  # the centre guard
    with pytest.raises(BarcodeError, match="check digit"):
        ean8_modules("96385075")


def test_a_fine_ean8_code_is_read_as_one(reader):
    """At 1.8 pixels per module and a little blur zxing-cpp reads about one EAN-8 in forty; the
    fitting reader reads it."""
    rng = np.random.default_rng(5)
    condition = Condition(120, 0.0, 1.0, "normal", "EAN-8")
    for _ in range(3):
        code = random_code(rng, "EAN-8")
        found = reader.read(render_trial(code, condition, rng))
        assert [(b.gtin, b.symbology) for b in found] == [(code, "EAN-8")]


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
    assert set(report["sweeps"]) == {
        "width_px", "rotation_deg", "blur_sigma", "lighting", "ean8_width_px"
    }  # fmt: skip
    for results in report["sweeps"].values():
        for result in results.values():
            assert result["trials"] == 2 and 0 <= result["read"] <= 2
    assert report["target"]["trials"] > 0 and report["target_ean8"]["trials"] > 0
    assert report["decode_ms"]["frames"] > 0


def test_two_codes_in_view_a_wide_one_and_a_fine_one_are_both_read(reader):
    """zxing-cpp reads the wide code (3 px per module); the fine one (1.3 px per module) comes
    from the fitting reader."""
    frame = np.full((480, 640), 160, np.uint8)
    wide = ean13_image("8801234567893", module_px=3)
    frame[30 : 30 + wide.shape[0], 20 : 20 + wide.shape[1]] = wide
    fine = cv2.resize(
        ean13_image("4006381333931", module_px=2), None, fx=0.65, fy=0.65,
        interpolation=cv2.INTER_AREA,
    )  # fmt: skip
    frame[300 : 300 + fine.shape[0], 380 : 380 + fine.shape[1]] = fine
    noisy = np.clip(frame + np.random.default_rng(4).normal(0, 3, frame.shape), 0, 255)
    found = {b.gtin: b.box for b in reader.read(noisy.astype(np.uint8))}
    assert set(found) == {"8801234567893", "4006381333931"}
    assert found["4006381333931"][0] >= 370 and found["8801234567893"][2] <= 20 + wide.shape[1]


def test_a_wide_code_zxing_cpp_misreads_in_bright_light_is_never_read_wrong(reader):
    """zxing-cpp alone reads this 240 px code (2.5 px per module, white clipped) as another
    valid code, 9801104400489, and does so again for every frame of the same placement; the
    fitting reader reads it right. Two codes in one place: neither counts."""
    rng = np.random.default_rng(1124)
    code = random_code(rng)
    frame = render_trial(code, Condition(240, 0.0, 1.0, "bright"), rng)
    assert code == "8808104400489"
    assert [c.gtin for c in read_fitted(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))] == [code]
    assert reader.read(frame) == []


def test_a_wide_ean8_zxing_cpp_reads_twice_is_never_read_wrong(reader):
    """zxing-cpp reads this 240 px EAN-8 in bright light as itself and as 78046207 (two results,
    one place); the fitting reader, misled by a quiet zone narrower than the code's widest
    space, reads nothing. Neither of zxing-cpp's codes counts."""
    rng = np.random.default_rng(92)
    code = random_code(rng, "EAN-8")
    frame = render_trial(code, Condition(240, 0.0, 0.0, "bright", "EAN-8"), rng)
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    assert {r.text for r in zxingcpp.read_barcodes(grey)} == {code, "78046207"}
    assert read_fitted(grey) == []
    assert reader.read(frame) == []
