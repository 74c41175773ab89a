"""The PP-OCR reader (rapidocr-onnxruntime, models inside its wheel) on drawn text: what it read,
how sure, and where, as the untaught-print check uses it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkout_app.products.text_cue import middle_words


def test_lines_come_with_their_centre_and_only_the_middle_can_tell():
    pytest.importorskip("rapidocr_onnxruntime", reason="rapidocr-onnxruntime is not installed")
    from checkout_app.backends.ocr_reader import OcrReader

    image = np.full((400, 400, 3), 255, np.uint8)
    cv2.putText(image, "APPLE", (120, 215), cv2.FONT_HERSHEY_DUPLEX, 1.6, (0, 0, 0), 3)
    cv2.putText(image, "ORANGE", (250, 60), cv2.FONT_HERSHEY_DUPLEX, 1.0, (0, 0, 0), 2)
    lines = {text: (confidence, centre) for text, confidence, centre in OcrReader().read(image)}
    assert set(lines) == {"APPLE", "ORANGE"}
    assert all(confidence > 0.9 for confidence, _ in lines.values())
    assert lines["APPLE"][1] == pytest.approx((0.5, 0.5), abs=0.05)
    assert lines["ORANGE"][1] == pytest.approx((0.78, 0.13), abs=0.05)
    read = [(text, confidence, centre) for text, (confidence, centre) in lines.items()]
    assert middle_words(read) == ["APPLE"]
