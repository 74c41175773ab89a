"""Procedurally drawn packaging for the demo store's invented products.

Each demo class gets a top-down "sprite": an RGBA image of the product lying on the counter,
long axis horizontal, drawn at ``SPRITE_PX_PER_CM`` pixels per centimetre. Shapes, colours and
printed Korean/English text make the classes distinct; two pairs (chips original/onion, banana/
strawberry milk) deliberately share a shape and differ only in colour and text, like real
flavour variants.

Every package also has a barcode side (``barcode_side_sprite``): the EAN-13 its maker prints
(``PRINTED_BARCODES``, the codes the demo catalog lists), for a shopper to hold up to the camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from checkout_app.paths import FONT_PATH
from checkout_app.vision.barcode_image import ean13_image

SPRITE_PX_PER_CM = 12
# The barcode side is drawn finer: a shopper holds it close to the camera (several times the
# counter's scale), and its bars must stay sharp there.
BARCODE_SIDE_PX_PER_CM = 45
BARCODE_MODULE_PX = 3  # 0.67 mm at BARCODE_SIDE_PX_PER_CM: GS1's largest size (200 %)
BACK_LABEL = (246, 244, 238)

Color = Tuple[int, int, int]


@dataclass(frozen=True)
class PackageStyle:
    """How one product looks: a shape drawer plus its colours and printed words."""

    shape: str
    size_cm: tuple[float, float]  # length (horizontal), width
    body: Color
    accent: Color
    ink: Color
    title: str  # large printed word(s), Korean
    subtitle: str  # small printed English


PACKAGE_STYLES: dict[str, PackageStyle] = {
    "ramen_cup": PackageStyle(
        "cup", (9.6, 9.6), (200, 30, 35), (250, 210, 60), (255, 255, 255), "얼큰", "HOT RAMEN"
    ),
    "cola_can": PackageStyle(
        "can", (12.2, 6.6), (175, 20, 30), (240, 240, 240), (255, 255, 255), "콜라", "COLA"
    ),
    "water_bottle": PackageStyle(
        "bottle",
        (21.0, 6.5),
        (190, 225, 245),
        (30, 110, 200),
        (255, 255, 255),
        "생수",
        "SPRING WATER",
    ),
    "chips_original": PackageStyle(
        "bag", (22.0, 15.0), (250, 200, 20), (200, 30, 30), (120, 20, 10), "감자칩", "ORIGINAL"
    ),
    "chips_onion": PackageStyle(
        "bag", (22.0, 15.0), (60, 160, 70), (25, 85, 40), (250, 250, 240), "감자칩", "SOUR ONION"
    ),
    "choco_bar": PackageStyle(
        "bar", (14.0, 4.2), (85, 45, 25), (230, 180, 60), (245, 220, 150), "초코바", "CHOCO"
    ),
    "milk_carton": PackageStyle(
        "carton", (10.5, 6.4), (245, 245, 250), (40, 90, 200), (30, 70, 180), "우유", "FRESH MILK"
    ),
    "canned_coffee": PackageStyle(
        "can", (10.4, 5.3), (110, 70, 40), (215, 170, 90), (250, 235, 200), "커피", "LATTE"
    ),
    "mint_gum": PackageStyle(
        "box", (8.2, 4.8), (140, 225, 200), (255, 255, 255), (20, 100, 80), "민트껌", "COOL MINT"
    ),
    "instant_rice": PackageStyle(
        "tray", (14.5, 11.5), (250, 250, 245), (220, 40, 40), (200, 30, 30), "흰쌀밥", "WHITE RICE"
    ),
    "banana_milk": PackageStyle(
        "jar", (11.0, 7.6), (250, 220, 80), (70, 140, 60), (60, 110, 40), "바나나", "BANANA MILK"
    ),
    "strawberry_milk": PackageStyle(
        "jar", (11.0, 7.6), (250, 160, 185), (200, 40, 80), (180, 30, 70), "딸기", "STRAWBERRY MILK"
    ),
}


# What each package prints on its barcode side (its maker's code; the demo catalog lists these).
PRINTED_BARCODES: dict[str, str] = {
    "ramen_cup": "8800001000014",
    "cola_can": "8800001000021",
    "water_bottle": "8800001000038",
    "chips_original": "8800001000045",
    "chips_onion": "8800001000052",
    "choco_bar": "8800001000069",
    "milk_carton": "8800001000076",
    "canned_coffee": "8800001000083",
    "mint_gum": "8800001000090",
    "instant_rice": "8800001000106",
    "banana_milk": "8800001000113",
    "strawberry_milk": "8800001000120",
}


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def _text_center(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill: Color
) -> None:
    draw.text(xy, text, font=_font(max(6, size)), fill=fill, anchor="mm")


def _shade(rgba: np.ndarray, axis: int, strength: float) -> np.ndarray:
    """Cylinder-like shading across ``axis`` (0: rows): bright middle, darker edges."""
    n = rgba.shape[axis]
    t = np.linspace(-1.0, 1.0, n)
    profile = 1.0 - strength * t**2 + 0.12 * np.exp(-((t + 0.35) ** 2) / 0.02)  # + highlight
    shape = [1, 1]
    shape[axis] = n
    out = rgba.astype(np.float32)
    out[..., :3] *= profile.reshape(shape)[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _crimp(
    draw: ImageDraw.ImageDraw, x0: float, x1: float, y0: float, y1: float, teeth: int, fill: Color
) -> None:
    """A zig-zag sealed edge between columns x0..x1 spanning rows y0..y1."""
    step = (y1 - y0) / teeth
    for i in range(teeth):
        ya, yb = y0 + i * step, y0 + (i + 1) * step
        draw.polygon([(x0, ya), (x1, (ya + yb) / 2), (x0, yb)], fill=fill)


def _draw_cup(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    d.ellipse([0, 0, w - 1, h - 1], fill=(235, 235, 235, 255))  # cup rim
    m = w * 0.06
    d.ellipse([m, m, w - m, h - m], fill=s.body + (255,))
    for k in range(8):  # flame-like rays on the lid
        a = k * np.pi / 4
        cx, cy = w / 2 + np.cos(a) * w * 0.33, h / 2 + np.sin(a) * h * 0.33
        r = w * 0.06
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=s.accent + (255,))
    _text_center(d, (w / 2, h * 0.45), s.title, int(h * 0.22), s.ink)
    _text_center(d, (w / 2, h * 0.66), s.subtitle, int(h * 0.09), s.accent)


def _draw_can(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    rim = int(w * 0.05)
    d.rounded_rectangle([0, 0, w - 1, h - 1], radius=h * 0.12, fill=(200, 200, 205, 255))
    d.rectangle([rim, 0, w - rim, h - 1], fill=s.body + (255,))
    d.rectangle([rim, h * 0.42, w - rim, h * 0.58], fill=s.accent + (255,))
    _text_center(d, (w * 0.36, h * 0.3), s.title, int(h * 0.3), s.ink)
    _text_center(d, (w * 0.62, h * 0.76), s.subtitle, int(h * 0.2), s.ink)


def _draw_bottle(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    body_end = w * 0.74
    d.rounded_rectangle([0, 0, body_end, h - 1], radius=h * 0.3, fill=s.body + (235,))
    d.polygon(
        [
            (body_end - 2, h * 0.05),
            (w * 0.88, h * 0.32),
            (w * 0.88, h * 0.68),
            (body_end - 2, h * 0.95),
        ],
        fill=s.body + (235,),
    )
    d.rectangle([w * 0.88, h * 0.3, w - 1, h * 0.7], fill=s.accent + (255,))  # cap
    d.rectangle([w * 0.22, 0, w * 0.56, h - 1], fill=s.accent + (255,))  # label band
    _text_center(d, (w * 0.39, h * 0.4), s.title, int(h * 0.34), s.ink)
    _text_center(d, (w * 0.39, h * 0.78), s.subtitle, int(h * 0.12), s.ink)
    for x in (0.08, 0.64):  # moulded ridges
        d.line([(w * x, h * 0.1), (w * x, h * 0.9)], fill=(255, 255, 255, 255), width=2)


def _draw_bag(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    seal = w * 0.06
    d.rectangle([seal, 0, w - seal, h - 1], fill=s.body + (255,))
    _crimp(d, seal, 0, 0, h - 1, 9, s.body + (255,))
    _crimp(d, w - seal, w - 1, 0, h - 1, 9, s.body + (255,))
    d.ellipse([w * 0.42, h * 0.38, w * 0.85, h * 0.92], fill=(235, 200, 120, 255))  # chips photo
    for cx, cy in ((0.55, 0.6), (0.7, 0.55), (0.62, 0.78), (0.76, 0.74)):
        d.ellipse(
            [w * cx - w * 0.05, h * cy - h * 0.06, w * cx + w * 0.05, h * cy + h * 0.06],
            fill=(215, 165, 70, 255),
        )
    d.rounded_rectangle(
        [w * 0.1, h * 0.08, w * 0.9, h * 0.34], radius=h * 0.08, fill=s.accent + (255,)
    )
    _text_center(d, (w * 0.5, h * 0.21), s.title, int(h * 0.2), s.ink)
    _text_center(d, (w * 0.27, h * 0.62), s.subtitle, int(h * 0.1), s.ink)


def _draw_bar(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    seal = w * 0.05
    d.rectangle([seal, 0, w - seal, h - 1], fill=s.body + (255,))
    _crimp(d, seal, 0, 0, h - 1, 5, s.accent + (255,))
    _crimp(d, w - seal, w - 1, 0, h - 1, 5, s.accent + (255,))
    d.rectangle([seal, h * 0.78, w - seal, h * 0.9], fill=s.accent + (255,))
    _text_center(d, (w * 0.42, h * 0.42), s.title, int(h * 0.5), s.ink)
    _text_center(d, (w * 0.8, h * 0.42), s.subtitle, int(h * 0.2), s.accent)


def _draw_carton(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    gable = w * 0.78
    d.rectangle([0, 0, gable, h - 1], fill=s.body + (255,))
    d.polygon(
        [(gable, 0), (w - 1, h * 0.35), (w - 1, h * 0.65), (gable, h - 1)],
        fill=(225, 225, 232, 255),
    )
    d.rectangle([0, h * 0.62, gable, h - 1], fill=s.accent + (255,))
    _text_center(d, (gable * 0.5, h * 0.32), s.title, int(h * 0.34), s.ink)
    _text_center(d, (gable * 0.5, h * 0.81), s.subtitle, int(h * 0.15), (255, 255, 255))


def _draw_box(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    d.rounded_rectangle([0, 0, w - 1, h - 1], radius=h * 0.08, fill=s.body + (255,))
    d.polygon([(0, h * 0.7), (w * 0.55, 0), (w * 0.75, 0), (0, h)], fill=s.accent + (255,))
    _text_center(d, (w * 0.6, h * 0.45), s.title, int(h * 0.3), s.ink)
    _text_center(d, (w * 0.6, h * 0.78), s.subtitle, int(h * 0.14), s.ink)


def _draw_tray(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    d.rounded_rectangle([0, 0, w - 1, h - 1], radius=h * 0.18, fill=(215, 215, 210, 255))
    m = w * 0.05
    d.rounded_rectangle([m, m, w - m, h - m], radius=h * 0.14, fill=s.body + (255,))
    d.rectangle([m, h * 0.16, w - m, h * 0.4], fill=s.accent + (255,))
    _text_center(d, (w * 0.5, h * 0.28), s.title, int(h * 0.2), (255, 255, 255))
    _text_center(d, (w * 0.5, h * 0.62), s.subtitle, int(h * 0.12), s.ink)
    for i in range(7):  # steam vent dots
        x = w * (0.2 + i * 0.1)
        d.ellipse([x - 3, h * 0.8 - 3, x + 3, h * 0.8 + 3], fill=(190, 190, 185, 255))


def _draw_jar(d: ImageDraw.ImageDraw, w: int, h: int, s: PackageStyle) -> None:
    d.ellipse([0, 0, w * 0.78, h - 1], fill=s.body + (255,))
    d.rectangle([w * 0.66, h * 0.26, w * 0.88, h * 0.74], fill=s.body + (255,))  # neck
    d.rectangle([w * 0.86, h * 0.22, w - 1, h * 0.78], fill=s.accent + (255,))  # foil cap
    d.ellipse([w * 0.12, h * 0.16, w * 0.62, h * 0.84], fill=(255, 255, 250, 255))  # label
    _text_center(d, (w * 0.37, h * 0.42), s.title, int(h * 0.2), s.ink)
    _text_center(d, (w * 0.37, h * 0.64), s.subtitle, int(h * 0.075), s.accent)


_DRAWERS: dict[str, Callable[[ImageDraw.ImageDraw, int, int, PackageStyle], None]] = {
    "cup": _draw_cup,
    "can": _draw_can,
    "bottle": _draw_bottle,
    "bag": _draw_bag,
    "bar": _draw_bar,
    "carton": _draw_carton,
    "box": _draw_box,
    "tray": _draw_tray,
    "jar": _draw_jar,
}
_CYLINDERS = {"can": 0.45, "bottle": 0.35, "jar": 0.3, "bag": 0.25}


@lru_cache(maxsize=None)
def product_sprite(class_name: str) -> np.ndarray:
    """The RGBA top-down image (H×W×4, uint8) of one demo product. Read-only; cached."""
    style = _style(class_name)
    w = round(style.size_cm[0] * SPRITE_PX_PER_CM)
    h = round(style.size_cm[1] * SPRITE_PX_PER_CM)
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    _DRAWERS[style.shape](ImageDraw.Draw(image), w, h, style)
    rgba = np.asarray(image).copy()
    if style.shape in _CYLINDERS:
        rgba = _shade(rgba, axis=0, strength=_CYLINDERS[style.shape])
    rgba.setflags(write=False)
    return rgba


def _style(class_name: str) -> PackageStyle:
    try:
        return PACKAGE_STYLES[class_name]
    except KeyError:
        raise KeyError(f"no demo packaging for class {class_name!r}") from None


@lru_cache(maxsize=None)
def barcode_side_sprite(class_name: str) -> np.ndarray:
    """The RGBA image (H×W×4, uint8) of one demo product's barcode side, drawn at
    ``BARCODE_SIDE_PX_PER_CM``: an off-white back label with the product's English name in its
    darkest colour and a white box with its printed EAN-13 and the digits under the bars. As
    large as the package, or the barcode box if that is larger. Read-only; cached.

    Off-white, not the package's colour: the detector never saw a barcode side in training, and
    on a coffee-brown back it found a choco bar (and milk cartons in the white box) in most
    frames of the demo; on an off-white back label, like a real one, it finds nothing."""
    style = _style(class_name)
    code = PRINTED_BARCODES[class_name]
    bars = ean13_image(code, BARCODE_MODULE_PX, height_px=round(2.4 * BARCODE_SIDE_PX_PER_CM))
    digits_h = round(0.55 * BARCODE_SIDE_PX_PER_CM)
    pad = BARCODE_MODULE_PX * 3
    label_w, label_h = bars.shape[1] + 2 * pad, bars.shape[0] + digits_h + 2 * pad
    w = max(round(style.size_cm[0] * BARCODE_SIDE_PX_PER_CM), label_w + 2 * pad)
    h = max(round(style.size_cm[1] * BARCODE_SIDE_PX_PER_CM), label_h + 4 * pad + digits_h)
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, w - 1, h - 1], radius=h * 0.08, fill=BACK_LABEL + (255,))
    top = h - label_h - 2 * pad
    darkest = min((style.body, style.accent, style.ink), key=sum)  # legible on the off-white
    _text_center(draw, (w / 2, top / 2), style.subtitle, int(min(top * 0.6, h * 0.2)), darkest)
    x0 = (w - label_w) // 2
    draw.rectangle([x0, top, x0 + label_w - 1, top + label_h - 1], fill=(255, 255, 255, 255))
    image.paste(Image.fromarray(bars).convert("RGBA"), (x0 + pad, top + pad))
    digits = f"{code[0]}  {code[1:7]}  {code[7:]}"
    _text_center(
        draw, (w / 2, top + pad + bars.shape[0] + digits_h / 2), digits, digits_h, (0, 0, 0)
    )
    rgba = np.asarray(image).copy()
    rgba.setflags(write=False)
    return rgba


def save_contact_sheet(path: Path, class_names: list[str]) -> None:
    """Write every sprite side by side on a grey card: a quick visual check of the packaging."""
    sprites = [product_sprite(c) for c in class_names]
    cols = 4
    cell_w = max(s.shape[1] for s in sprites) + 20
    cell_h = max(s.shape[0] for s in sprites) + 20
    rows = (len(sprites) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * cell_w, rows * cell_h), (150, 150, 150))
    for i, sprite in enumerate(sprites):
        tile = Image.fromarray(sprite)
        sheet.paste(tile, ((i % cols) * cell_w + 10, (i // cols) * cell_h + 10), tile)
    sheet.save(path)
