"""How well the counter camera reads barcodes: decode rate by condition and time per frame.

Each trial draws a random EAN-13 on a white label (``barcode_image``, an encoder independent of
the decoder), places it on a 640×480 counter frame at a given width in pixels, rotation, blur
and lighting, adds sensor noise, and asks ``BarcodeReader`` for it. A trial counts as read only
when the decoded code is the one drawn; any other code is a misread. One condition changes at a
time from a base (160 px, facing the camera, sharp, normal light); the target condition (≥ 120 px
facing the camera, mild blur and tilt, every lighting) is measured as a whole.
"""

from __future__ import annotations

import itertools
import statistics
import time
from dataclasses import dataclass, replace
from typing import Callable

import cv2
import numpy as np

from checkout_app.core.barcode import with_check_digit
from checkout_app.vision.barcode_image import (
    EAN8_MODULES,
    QUIET_MODULES,
    SYMBOL_MODULES,
    ean8_image,
    ean13_image,
)
from checkout_app.vision.barcode_reader import BarcodeReader

FRAME_W, FRAME_H = 640, 480
LIGHTING = {"dim": 0.35, "normal": 1.0, "bright": 1.6}  # gain on the lit frame, clipped at 255


@dataclass(frozen=True)
class Condition:
    width_px: int = 160  # the bars' width (quiet zones not included)
    rotation_deg: float = 0.0
    blur_sigma: float = 0.0
    lighting: str = "normal"
    symbology: str = "EAN-13"  # or "EAN-8"


BASE = Condition()
SWEEPS = {
    "width_px": (60, 80, 100, 120, 160, 240),
    "rotation_deg": (0, 10, 30, 45, 90, 180),
    "blur_sigma": (0.0, 1.0, 1.5, 2.0, 3.0),
    "lighting": tuple(LIGHTING),
}
TARGET = [
    Condition(width, rotation, blur, light)
    for width, rotation, blur, light in itertools.product(
        (120, 160, 240), (-8.0, 0.0, 8.0), (0.0, 1.0), tuple(LIGHTING)
    )
]
TARGET_CONDITIONS = (
    "width >= 120 px facing the camera (tilt <= 8 deg, blur sigma <= 1, "
    "dim / normal / bright light)"
)
EAN8_WIDTHS = (60, 80, 100, 120, 160, 240)  # px, the EAN-8 sweep's (base conditions otherwise)


def _counter(rng: np.random.Generator) -> np.ndarray:
    """A grey counter with a light falloff, like the demo renderer's."""
    base = rng.uniform(120, 190)
    ys, xs = np.mgrid[0:FRAME_H, 0:FRAME_W].astype(np.float32)
    cx, cy = rng.uniform(0, FRAME_W), rng.uniform(0, FRAME_H)
    falloff = 1.0 - 0.25 * np.hypot(xs - cx, ys - cy) / np.hypot(FRAME_W, FRAME_H)
    return np.repeat((base * falloff)[..., None], 3, axis=2)


def render_trial(code: str, condition: Condition, rng: np.random.Generator) -> np.ndarray:
    """A BGR uint8 counter frame with ``code`` on a label, as ``condition`` says."""
    symbol_modules, image = _SYMBOLS[condition.symbology]
    module_px = max(1, round(condition.width_px / symbol_modules))
    bars = image(code, module_px).astype(np.float32)
    # Scale to the exact width asked for (a camera does not keep whole pixels per module).
    scale = condition.width_px / (symbol_modules * module_px)
    bars = cv2.resize(bars, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = bars.shape
    margin = round(QUIET_MODULES * scale * module_px * 0.3)
    label = np.full((h + 2 * margin, w + 2 * margin), 250, np.float32)
    label[margin : margin + h, margin : margin + w] = bars
    frame = _counter(rng)
    # Rotate the label about its centre onto the frame at a random place where it fits.
    lh, lw = label.shape
    angle = condition.rotation_deg
    diagonal = int(np.ceil(np.hypot(lh, lw)))
    cx = rng.uniform(diagonal / 2, max(diagonal / 2 + 1, FRAME_W - diagonal / 2))
    cy = rng.uniform(diagonal / 2, max(diagonal / 2 + 1, FRAME_H - diagonal / 2))
    matrix = cv2.getRotationMatrix2D((lw / 2, lh / 2), angle, 1.0)
    matrix[:, 2] += (cx - lw / 2, cy - lh / 2)
    size = (FRAME_W, FRAME_H)
    warped = cv2.warpAffine(label, matrix, size, flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpAffine(np.ones_like(label), matrix, size, flags=cv2.INTER_LINEAR)
    frame = frame * (1 - mask[..., None]) + warped[..., None] * mask[..., None]
    if condition.blur_sigma > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), condition.blur_sigma)
    frame = frame * LIGHTING[condition.lighting]
    frame += rng.normal(0, 4.0, frame.shape)  # sensor noise
    return np.clip(frame, 0, 255).astype(np.uint8)


_SYMBOLS = {"EAN-13": (SYMBOL_MODULES, ean13_image), "EAN-8": (EAN8_MODULES, ean8_image)}


def random_code(rng: np.random.Generator, symbology: str = "EAN-13") -> str:
    digits = 7 if symbology == "EAN-8" else 12  # before the check digit
    return with_check_digit("880" + "".join(str(d) for d in rng.integers(0, 10, digits - 3)))


def measure(
    trials: int = 40,
    seed: int = 0,
    reader: BarcodeReader | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """The report: per sweep value and for the target (EAN-13 codes), the same for EAN-8 codes
    by width and in the target conditions, trials / read / misread / rate; and the decode time
    per frame (median and p95 ms) over every trial."""
    reader = reader or BarcodeReader()
    rng = np.random.default_rng(seed)
    times: list[float] = []
    plan = [
        (axis, value, replace(BASE, **{axis: value}))
        for axis, values in SWEEPS.items()
        for value in values
    ]
    ean8 = replace(BASE, symbology="EAN-8")
    plan += [("ean8_width_px", w, replace(ean8, width_px=w)) for w in EAN8_WIDTHS]
    targets = {
        "target": TARGET,
        "target_ean8": [replace(condition, symbology="EAN-8") for condition in TARGET],
    }
    done, total = 0, len(plan) + sum(len(conditions) for conditions in targets.values())

    def run(condition: Condition, n: int) -> dict:
        read = misread = 0
        for _ in range(n):
            code = random_code(rng, condition.symbology)
            frame = render_trial(code, condition, rng)
            started = time.perf_counter()
            found = reader.read(frame)
            times.append((time.perf_counter() - started) * 1000)
            codes = {b.gtin for b in found}
            read += code in codes
            misread += bool(codes - {code})
        return {"trials": n, "read": read, "misread": misread, "rate": round(read / n, 4)}

    sweeps: dict = {}
    for axis, value, condition in plan:
        sweeps.setdefault(axis, {})[str(value)] = run(condition, trials)
        done += 1
        if progress:
            progress(done, total)
    results = {}
    for name, conditions in targets.items():
        total_of = results[name] = {"trials": 0, "read": 0, "misread": 0}
        for condition in conditions:
            result = run(condition, max(1, trials // 4))
            for key in total_of:
                total_of[key] += result[key]
            done += 1
            if progress:
                progress(done, total)
        total_of["rate"] = round(total_of["read"] / total_of["trials"], 4)
    ordered = sorted(times)
    return {
        "frame_size": [FRAME_W, FRAME_H],
        "base": vars(BASE),
        "sweeps": sweeps,
        "target": {"conditions": TARGET_CONDITIONS, **results["target"]},
        "target_ean8": {"conditions": TARGET_CONDITIONS + ", EAN-8", **results["target_ean8"]},
        "decode_ms": {
            "median": round(statistics.median(ordered), 2),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
            "frames": len(ordered),
        },
        "seed": seed,
    }
