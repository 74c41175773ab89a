"""Printed text on products, read by PP-OCR through rapidocr-onnxruntime.

The detection, direction and recognition ONNX models ship inside the rapidocr-onnxruntime wheel,
so nothing is downloaded. About 0.6 s per 348×348 photo on a 2-core CPU: the kiosk reads an item
once when it appears, not every frame.
"""

from __future__ import annotations

import numpy as np

from checkout_app.models_meta import ModelFileError


class OcrReader:
    """BGR image -> ``[(text, confidence)]`` for every line of text found."""

    name = "rapidocr-onnxruntime"

    def __init__(self) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise ModelFileError(
                f"printed text is not read: rapidocr-onnxruntime is not installed ({exc}); "
                "products are recognised by their looks only"
            ) from None
        self._ocr = RapidOCR()

    def read(self, image: np.ndarray) -> list[tuple[str, float]]:
        result, _elapsed = self._ocr(image)
        return [(str(text), float(score)) for _box, text, score in (result or [])]
