"""Things on a counter that are not products: a hand, a wallet, a receipt, a phone.

The detector must learn to ignore them, and the cart tracker must survive a hand that covers
products for a moment. Each kind has a few drawn variants (skin tones, wallet colours).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw

from checkout_app.vision.synthetic.packaging import SPRITE_PX_PER_CM

DISTRACTOR_KINDS = ("hand", "wallet", "receipt", "phone")
VARIANTS_PER_KIND = 4

_SKIN = [(233, 190, 160), (205, 150, 115), (160, 110, 80), (245, 210, 185)]
_WALLET = [(60, 40, 30), (25, 25, 28), (120, 30, 40), (40, 60, 110)]
_PHONE = [(20, 20, 22), (200, 200, 205), (40, 40, 70), (180, 150, 120)]


def _cm(value: float) -> float:
    return value * SPRITE_PX_PER_CM


def _hand(variant: int) -> Image.Image:
    """A hand reaching in from the left: long forearm, palm, fingers pointing right."""
    skin = _SKIN[variant % len(_SKIN)]
    sleeve = [(40, 60, 120), (30, 30, 30), (150, 150, 155), (120, 40, 40)][variant % 4]
    w, h = int(_cm(48)), int(_cm(11))
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    cy = h / 2
    d.rectangle([0, cy - _cm(3.6), _cm(22), cy + _cm(3.6)], fill=sleeve + (255,))
    d.rectangle([_cm(20), cy - _cm(2.9), _cm(32), cy + _cm(2.9)], fill=skin + (255,))
    d.ellipse([_cm(28), cy - _cm(4.3), _cm(38), cy + _cm(4.3)], fill=skin + (255,))
    for i, length in enumerate((7.5, 8.5, 8.0, 6.5)):
        y = cy - _cm(3.6) + i * _cm(2.2)
        d.rounded_rectangle(
            [_cm(35), y, _cm(35 + length), y + _cm(1.8)], radius=_cm(0.9), fill=skin + (255,)
        )
    d.rounded_rectangle(
        [_cm(30), cy + _cm(3.0), _cm(37), cy + _cm(5.0)], radius=_cm(1.0), fill=skin + (255,)
    )
    return image


def _wallet(variant: int) -> Image.Image:
    color = _WALLET[variant % len(_WALLET)]
    w, h = int(_cm(11)), int(_cm(9))
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle([0, 0, w - 1, h - 1], radius=_cm(0.8), fill=color + (255,))
    m = _cm(0.5)
    stitch = tuple(min(255, c + 60) for c in color) + (255,)
    d.rounded_rectangle([m, m, w - m, h - m], radius=_cm(0.5), outline=stitch, width=2)
    return image


def _receipt(variant: int) -> Image.Image:
    rng = np.random.default_rng(variant)
    w, h = int(_cm(20)), int(_cm(8))
    image = Image.new("RGBA", (w, h), (250, 250, 246, 255))
    d = ImageDraw.Draw(image)
    for col in range(int(_cm(1)), w - int(_cm(1)), int(_cm(0.7))):
        length = rng.uniform(0.3, 0.85) * h
        if rng.random() < 0.85:
            d.line([(col, _cm(0.6)), (col, _cm(0.6) + length)], fill=(120, 120, 120, 255), width=2)
    return image


def _phone(variant: int) -> Image.Image:
    body = _PHONE[variant % len(_PHONE)]
    w, h = int(_cm(15)), int(_cm(7.2))
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle([0, 0, w - 1, h - 1], radius=_cm(1.0), fill=body + (255,))
    screen = [(15, 30, 60), (10, 10, 12), (40, 80, 120), (60, 20, 60)][variant % 4]
    d.rounded_rectangle(
        [_cm(0.6), _cm(0.5), w - _cm(0.6), h - _cm(0.5)], radius=_cm(0.7), fill=screen + (255,)
    )
    return image


_DRAWERS = {"hand": _hand, "wallet": _wallet, "receipt": _receipt, "phone": _phone}


@lru_cache(maxsize=None)
def distractor_sprite(kind: str, variant: int) -> np.ndarray:
    """RGBA image (H×W×4, uint8) of one distractor variant. Read-only; cached."""
    rgba = np.asarray(_DRAWERS[kind](variant)).copy()
    rgba.setflags(write=False)
    return rgba
