"""Printed text on products, read by PP-OCR through rapidocr-onnxruntime.

The detection, direction and recognition ONNX models ship inside the rapidocr-onnxruntime wheel,
so nothing is downloaded. About 0.6 s per 348×348 photo on a 2-core CPU: the kiosk reads an item
once when it appears, not every frame.
"""

from __future__ import annotations

import numpy as np

from checkout_app.models_meta import ModelFileError


class OcrReader:
    """BGR image -> ``[(text, confidence, (x, y))]`` for every line of text found, ``(x, y)`` its
    centre as a share of the image's width and height."""

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

    def read(self, image: np.ndarray) -> list[tuple[str, float, tuple[float, float]]]:
        result, _elapsed = self._ocr(image)
        h, w = image.shape[:2]
        lines = []
        for box, text, score in result or []:
            x, y = np.asarray(box, np.float64).mean(axis=0)
            lines.append((str(text), float(score), (float(x) / w, float(y) / h)))
        return lines
