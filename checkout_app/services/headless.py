"""Headless checkout: run the pipeline over a source and report cart changes as text."""

from __future__ import annotations

import json
from typing import TextIO

from checkout_app.camera.source import FrameSource
from checkout_app.core.cart import Cart
from checkout_app.core.money import format_won
from checkout_app.services.checkout_pipeline import CheckoutPipeline


def describe_cart(cart: Cart, lang: str = "en") -> str:
    lines = cart.lines(lang)
    if not lines:
        return "cart empty"
    items = ", ".join(f"{line.name} x{line.qty}" for line in lines)
    return f"{items} | total {format_won(cart.total, lang)}"


def run_headless(
    pipeline: CheckoutPipeline,
    source: FrameSource,
    out: TextIO,
    *,
    lang: str = "en",
    json_output: bool = False,
    max_frames: int | None = None,
) -> Cart:
    """Print one line per cart change; with ``json_output`` end with the cart as one JSON line."""
    frames = 0
    for result in pipeline.run(source):
        frames += 1
        if result.cart_changed:
            out.write(f"[{result.frame.timestamp:7.2f} s] {describe_cart(pipeline.cart, lang)}\n")
            out.flush()
        if max_frames is not None and frames >= max_frames:
            break
    out.write(f"{frames} frames processed. Final cart: {describe_cart(pipeline.cart, lang)}\n")
    if json_output:
        out.write(json.dumps(pipeline.cart.to_dict(lang), ensure_ascii=False) + "\n")
    return pipeline.cart
