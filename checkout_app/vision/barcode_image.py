"""Draw EAN-13 and EAN-8 barcodes as images, for the demo store's packaging and the decode
measurement.

Written from the GS1 symbol tables rather than with the decoder's own writer, so that a test
which reads these pictures back checks the decoder against an independent encoder.
"""

from __future__ import annotations

import numpy as np

from checkout_app.core.barcode import normalize_barcode

# Left-half digit patterns (7 modules, 1 = bar): L (odd parity) and G (even parity); the right
# half uses R, the bitwise complement of L. The first digit picks the L/G parity of the left six.
L_PATTERNS = ("0001101", "0011001", "0010011", "0111101", "0100011",
              "0110001", "0101111", "0111011", "0110111", "0001011")  # fmt: skip
G_PATTERNS = ("0100111", "0110011", "0011011", "0100001", "0011101",
              "0111001", "0000101", "0010001", "0001001", "0010111")  # fmt: skip
R_PATTERNS = tuple("".join("1" if m == "0" else "0" for m in p) for p in L_PATTERNS)
PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
          "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")  # fmt: skip
QUIET_MODULES = 11  # white space each side; GS1 asks for 11 left and 7 right, 11 is safe
SYMBOL_MODULES = 95
EAN8_MODULES = 67


def ean13_modules(code: str) -> str:
    """The 95 modules (1 = bar) of an EAN-13 (or UPC-A) code, check digit verified."""
    gtin = normalize_barcode(code)
    if len(gtin) != 13:
        raise ValueError(f"{code!r} is not an EAN-13 or UPC-A code")
    first, left, right = int(gtin[0]), gtin[1:7], gtin[7:]
    bars = ["101"]
    for digit, parity in zip(left, PARITY[first]):
        bars.append((L_PATTERNS if parity == "L" else G_PATTERNS)[int(digit)])
    bars.append("01010")
    for digit in right:
        bars.append(R_PATTERNS[int(digit)])
    bars.append("101")
    modules = "".join(bars)
    assert len(modules) == SYMBOL_MODULES
    return modules


def ean8_modules(code: str) -> str:
    """The 67 modules (1 = bar) of an EAN-8 code, check digit verified: four L digits, four R."""
    gtin = normalize_barcode(code)
    if len(gtin) != 8:
        raise ValueError(f"{code!r} is not an EAN-8 code")
    left = [L_PATTERNS[int(digit)] for digit in gtin[:4]]
    right = [R_PATTERNS[int(digit)] for digit in gtin[4:]]
    modules = "".join(["101", *left, "01010", *right, "101"])
    assert len(modules) == EAN8_MODULES
    return modules


def ean13_image(code: str, module_px: int = 2, height_px: int | None = None) -> np.ndarray:
    """A white-on-black-bars grey image (uint8) of the code with its quiet zones."""
    return _image(ean13_modules(code), module_px, height_px)


def ean8_image(code: str, module_px: int = 2, height_px: int | None = None) -> np.ndarray:
    """``ean13_image`` for an EAN-8 code."""
    return _image(ean8_modules(code), module_px, height_px)


def _image(modules: str, module_px: int, height_px: int | None) -> np.ndarray:
    row = np.array([0 if m == "1" else 255 for m in modules], dtype=np.uint8)
    quiet = np.full(QUIET_MODULES, 255, dtype=np.uint8)
    row = np.repeat(np.concatenate([quiet, row, quiet]), module_px)
    height = height_px or round(row.size * 0.45)
    return np.tile(row, (height, 1))
