"""Read retail barcodes (EAN-13, UPC-A, EAN-8) from camera frames with zxing-cpp, and EAN-13 /
UPC-A codes too small or soft for it by fitting the symbol (``barcode_fit``).

zxing-cpp is imported on first use: a kiosk without it (a Jetson image without a wheel) still
runs, with barcodes off and ``BarcodeUnavailable`` saying why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from checkout_app.core.barcode import BarcodeError, normalize_barcode
from checkout_app.vision.barcode_fit import Workspace, read_fitted
from checkout_app.vision.barcode_image import SYMBOL_MODULES

# zxing-cpp's reads of EAN-13 / UPC-A codes finer than this are checked by the fitting reader.
CONFIRM_BELOW_PX_PER_MODULE = 2.0


class BarcodeUnavailable(RuntimeError):
    """zxing-cpp cannot be imported here."""


@dataclass(frozen=True)
class ReadBarcode:
    gtin: str  # canonical (core.barcode.normalize_barcode)
    symbology: str  # "EAN-13", "UPC-A", "EAN-8"
    box: tuple  # x1, y1, x2, y2 in frame pixels


class BarcodeReader:
    """Finds every retail barcode in a BGR or grey frame; valid codes only, each once.

    zxing-cpp reads the codes of 2 pixels per module or more. Where it finds none, or finer
    ones, the fitting reader (``barcode_fit``) reads EAN-13 / UPC-A codes down to about 1 pixel
    per module (a 100 px wide code in a 640×480 frame), and zxing-cpp's fine reads count only
    when it reads the same code."""

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
        self._workspace = Workspace()  # one reader serves one thread's frames

    def read(self, frame: np.ndarray) -> list[ReadBarcode]:
        trusted: dict[str, ReadBarcode] = {}
        for result in self._zxing.read_barcodes(np.ascontiguousarray(frame), formats=self._formats):
            try:
                gtin = normalize_barcode(result.text)
            except BarcodeError:
                continue  # a misread the decoder let through: never add a wrong product
            corners = (result.position.top_left, result.position.top_right)
            corners += (result.position.bottom_left, result.position.bottom_right)
            xs, ys = [p.x for p in corners], [p.y for p in corners]
            symbology = _symbology(result.format.name)
            length = math.dist((xs[0], ys[0]), (xs[1], ys[1]))  # along the scan line
            if symbology != "EAN-8" and length < CONFIRM_BELOW_PX_PER_MODULE * SYMBOL_MODULES:
                continue  # too fine to trust alone: the fitting reader has the last word
            box = (min(xs), min(ys), max(xs), max(ys))
            trusted.setdefault(gtin, ReadBarcode(gtin, symbology, box))
        # The fitting reader looks everywhere zxing-cpp read no code it can be trusted with:
        # codes too fine for zxing-cpp to find, and fine codes it did read, which are kept only
        # when the fitting reader reads them too (zxing-cpp alone returned a valid but wrong
        # code in 11 of the 1,350 frames of the eval's target conditions).
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        fitted = {
            code.gtin: ReadBarcode(
                code.gtin, "UPC-A" if code.gtin.startswith("0") else "EAN-13", code.box
            )
            for code in read_fitted(grey, [b.box for b in trusted.values()], self._workspace)
        }
        return list({**fitted, **trusted}.values())


def _symbology(name: str) -> str:
    return {"EAN13": "EAN-13", "EAN8": "EAN-8", "UPCA": "UPC-A"}.get(name, name)
