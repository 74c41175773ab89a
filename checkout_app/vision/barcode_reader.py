"""Read retail barcodes (EAN-13, UPC-A, EAN-8) from camera frames with zxing-cpp.

zxing-cpp is imported on first use: a kiosk without it (a Jetson image without a wheel) still
runs, with barcodes off and ``BarcodeUnavailable`` saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from checkout_app.core.barcode import BarcodeError, normalize_barcode


class BarcodeUnavailable(RuntimeError):
    """zxing-cpp cannot be imported here."""


@dataclass(frozen=True)
class ReadBarcode:
    gtin: str  # canonical (core.barcode.normalize_barcode)
    symbology: str  # "EAN-13", "UPC-A", "EAN-8"
    box: tuple  # x1, y1, x2, y2 in frame pixels


class BarcodeReader:
    """Finds every retail barcode in a BGR or grey frame; valid codes only, each once."""

    def __init__(self) -> None:
        try:
            import zxingcpp
        except ImportError as exc:
            raise BarcodeUnavailable(
                f"barcode reading needs zxing-cpp ({exc}); install it with pip install zxing-cpp"
            ) from exc
        self._zxing = zxingcpp
        fmt = zxingcpp.BarcodeFormat
        self._formats = [fmt.EAN13, fmt.EAN8, fmt.UPCA]

    def read(self, frame: np.ndarray) -> list[ReadBarcode]:
        found = {}
        for result in self._zxing.read_barcodes(np.ascontiguousarray(frame), formats=self._formats):
            try:
                gtin = normalize_barcode(result.text)
            except BarcodeError:
                continue  # a misread the decoder let through: never add a wrong product
            position = result.position
            xs = [
                p.x
                for p in (
                    position.top_left,
                    position.top_right,
                    position.bottom_left,
                    position.bottom_right,
                )
            ]
            ys = [
                p.y
                for p in (
                    position.top_left,
                    position.top_right,
                    position.bottom_left,
                    position.bottom_right,
                )
            ]
            found.setdefault(
                gtin,
                ReadBarcode(
                    gtin, _symbology(result.format.name), (min(xs), min(ys), max(xs), max(ys))
                ),
            )
        return list(found.values())


def _symbology(name: str) -> str:
    return {"EAN13": "EAN-13", "EAN8": "EAN-8", "UPCA": "UPC-A"}.get(name, name)
