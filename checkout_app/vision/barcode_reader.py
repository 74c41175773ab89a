"""Read retail barcodes (EAN-13, UPC-A, EAN-8) from camera frames with zxing-cpp, and codes too
small or soft for it by fitting the symbol (``barcode_fit``).

zxing-cpp is imported on first use: a kiosk without it (a Jetson image without a wheel) still
runs, with barcodes off and ``BarcodeUnavailable`` saying why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from checkout_app.core.barcode import BarcodeError, normalize_barcode
from checkout_app.vision.barcode_fit import Workspace, centre_inside, read_fitted
from checkout_app.vision.barcode_image import EAN8_MODULES, SYMBOL_MODULES

# zxing-cpp's reads of codes finer than this count only when the fitting reader reads them too.
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

    zxing-cpp reads the codes of 2 pixels per module or more. The fitting reader
    (``barcode_fit``) reads codes down to about 1 pixel per module (a 100 px wide EAN-13 in a
    640×480 frame) and checks zxing-cpp's: zxing-cpp's fine reads count only when the fitting
    reader reads the same code, and two different codes read in one place count as none."""

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
        grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        decoded = []
        for result in self._zxing.read_barcodes(np.ascontiguousarray(grey), formats=self._formats):
            try:
                gtin = normalize_barcode(result.text)
            except BarcodeError:
                continue  # a misread the decoder let through: never add a wrong product
            corners = (result.position.top_left, result.position.top_right)
            corners += (result.position.bottom_left, result.position.bottom_right)
            xs, ys = [p.x for p in corners], [p.y for p in corners]
            length = math.dist((xs[0], ys[0]), (xs[1], ys[1]))  # along the scan line
            symbology = _symbology(result.format.name)
            modules = EAN8_MODULES if symbology == "EAN-8" else SYMBOL_MODULES
            fine = length < CONFIRM_BELOW_PX_PER_MODULE * modules
            box = (min(xs), min(ys), max(xs), max(ys))
            decoded.append((ReadBarcode(gtin, symbology, box), fine))
        # A code counts when the fitting reader reads it, or zxing-cpp reads it at 2 pixels per
        # module or more: zxing-cpp's finer reads were wrong in 11 of the 1,350 frames of the
        # eval's target conditions, so they count only when the fitting reader reads them too.
        # Two different codes counted in one place mean one of them is wrong, and nothing is
        # said of which: neither counts. (zxing-cpp read a 240 px EAN-13 in bright light as
        # another valid code in 4 of 3,000 frames, the same for every frame of that placement, so
        # two agreeing frames do not catch it; it read a 240 px EAN-8 twice, once wrong; the
        # fitting reader once read a 240 px EAN-8 as an EAN-13.) The regions of zxing-cpp's
        # wide EAN-13 / UPC-A codes are checked by the fitting reader after the others; those
        # of its wide EAN-8 codes are not (no wrong one but that double read was seen, and the
        # fit fails on many of them: their 4-module spaces split the region into pieces).
        wide = [(read.box, read.symbology == "EAN-8") for read, fine in decoded if not fine]
        fitted = [
            ReadBarcode(code.gtin, _fitted_symbology(code.gtin), code.box)
            for code in read_fitted(
                grey,
                checked=[box for box, eight in wide if not eight],
                known=[box for box, eight in wide if eight],
                workspace=self._workspace,
            )
        ]
        confirmed = {read.gtin for read in fitted}
        counted = fitted + [read for read, fine in decoded if not fine or read.gtin in confirmed]
        found: dict[str, ReadBarcode] = {}
        for read in reversed(counted):  # zxing-cpp's first: its box is the tighter
            if read.gtin not in found and not any(
                other.gtin != read.gtin and _same_place(other.box, read.box) for other in counted
            ):
                found[read.gtin] = read
        return list(found.values())


def _same_place(box: tuple, other: tuple) -> bool:
    return centre_inside(box, other) or centre_inside(other, box)


def _fitted_symbology(gtin: str) -> str:
    if len(gtin) == 8:
        return "EAN-8"
    return "UPC-A" if gtin.startswith("0") else "EAN-13"


def _symbology(name: str) -> str:
    return {"EAN13": "EAN-13", "EAN8": "EAN-8", "UPCA": "UPC-A"}.get(name, name)
