"""``products bench``: how fast checkout finds taught products with a store's worth of them.

A gallery of ``products`` taught products is built from real photos (each product folder taught
from ``shots`` photos; when there are fewer folders than ``products``, the rest are copies of
them under other SKUs, which costs the gallery the same). Then a counter scene of 640×480 frames
with ``items`` real test photos on it runs through ``CounterItemDetector``: the first frame
identifies every item (the slow part, once per item), every later frame only finds the regions
and follows them. The report says both, per frame and per item, as the issue's speed target
(≤ 150 ms per frame with 100 taught products) is stated.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np

from checkout_app.products.evaluation import photo_folders
from checkout_app.products.gallery import ProductGallery
from checkout_app.services.counter_items import CounterItemDetector
from checkout_app.vision.image_files import load_image_bgr

FRAME_SHAPE = (480, 640, 3)
ITEM_PX = 180


def empty_counter(seed: int = 0) -> np.ndarray:
    """A 640×480 wood-brown counter top with a smooth grain and camera noise."""
    import cv2

    rng = np.random.default_rng(seed)
    size = (FRAME_SHAPE[1], FRAME_SHAPE[0])
    grain = cv2.resize(rng.normal(0, 10, (12, 16)), size, interpolation=cv2.INTER_CUBIC)
    noise = rng.normal(0, 2, FRAME_SHAPE)
    counter = np.array([60, 100, 150], np.float64) + grain[..., None] + noise
    return np.clip(counter, 0, 255).astype(np.uint8)


def counter_with(photos: list, empty: np.ndarray) -> np.ndarray:
    """``empty`` with the photos laid side by side, ``ITEM_PX`` square, apart from each other."""
    import cv2

    scene = empty.copy()
    for i, photo in enumerate(photos):
        x, y = 20 + i * (ITEM_PX + 30), 150
        scene[y : y + ITEM_PX, x : x + ITEM_PX] = cv2.resize(photo, (ITEM_PX, ITEM_PX))
    return scene


def benchmark_counter_items(
    encoder,
    teach_root: Path,
    test_root: Path,
    *,
    products: int = 100,
    shots: int = 3,
    items: int = 3,
    frames: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Time the gallery build, the first sight of each item and the frames after it."""
    teach, test = photo_folders(teach_root), photo_folders(test_root)
    folders = sorted(set(teach) & set(test))
    if not folders:
        raise ValueError(f"no product folder has photos under both {teach_root} and {test_root}")
    if not 1 <= items <= 3:
        raise ValueError(f"items must be 1 to 3 (that many fit the counter), got {items}")
    started = time.perf_counter()
    encoded = {}
    for done, folder in enumerate(folders, 1):
        photos = [load_image_bgr(p) for p in teach[folder][:shots]]
        encoded[folder] = encoder.encode_taught(photos)
        if progress:
            progress(done, len(folders))
    encode_s = time.perf_counter() - started
    taught = {
        f"P{n:03d}": encoded[folders[n % len(folders)]] for n in range(products)
    }  # SKUs past the folders reuse their photos: the same work for the gallery
    started = time.perf_counter()
    gallery = ProductGallery(taught)
    gallery_s = time.perf_counter() - started

    empty = empty_counter()
    scene = counter_with([load_image_bgr(test[f][0]) for f in folders[:items]], empty)
    detector = CounterItemDetector(empty, gallery, encoder)
    started = time.perf_counter()
    first = detector.detect(scene)
    first_ms = (time.perf_counter() - started) * 1000
    frame_ms = []
    for _ in range(frames):
        started = time.perf_counter()
        detector.detect(scene)
        frame_ms.append((time.perf_counter() - started) * 1000)
    return {
        "taught_products": products,
        "photos_per_product": shots,
        "items_on_counter": len(first),
        "frame": f"{FRAME_SHAPE[1]}x{FRAME_SHAPE[0]}",
        "encode_s_per_teaching_photo": round(encode_s / sum(len(v) for v in encoded.values()), 3),
        "gallery_build_s": round(gallery_s, 3),
        "first_frame_ms": round(first_ms, 1),
        "first_sight_ms_per_item": round(first_ms / max(len(first), 1), 1),
        "later_frame_ms": {
            "median": round(float(np.median(frame_ms)), 2),
            "p95": round(float(np.percentile(frame_ms, 95)), 2),
        },
        "frames": frames,
        "encoder": encoder.name,
    }
