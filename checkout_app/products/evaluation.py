"""``eval real-products``: teach products from a few photos, identify held-out photos, measure.

Every leaf folder of photos is one product. Each product not held out is taught from ``shots``
photos of the teach folder (a seeded random choice); ``holdout`` products are left untaught, so
their test photos measure how often an unknown product is called unknown. Every test photo is
identified as one item (the photos show one product in front; there is no item detector yet).

With ``learn_root``, the kiosk is put to use before it is measured, as in a store where staff
name each unknown item (``Cart.name_unknown_item``) and the kiosk learns its look: the photos of
the taught products there (other than those taught) pass in a seeded random order, each is
identified, and each one called unknown is added to its product's gallery (at most
``MAX_PHOTOS_PER_PRODUCT`` photos a product). The gallery is rebuilt after every
``LEARN_BATCH`` photos learned (the kiosk rebuilds it after each one; the batch only keeps the
evaluation fast, and learns later than the kiosk would). The test photos are then identified as
before, without learning: nothing learned comes from them.

With ``not_products``, that many more products stand in for things that are no product (a
store's trays, receipts, bags): their photos are learned as such looks, as when staff set an
item aside at the counter (``ProductGallery`` ``not_products``), instead of being taught. Their
test photos measure how often such a thing is then ignored; every other photo called "not a
product" is one that would have gone free (a taught product) or unasked (an untaught one).
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from checkout_app.products.gallery import (
    MAX_PHOTOS_PER_PRODUCT,
    MatchPolicy,
    ProductGallery,
    ProductMatch,
)
from checkout_app.vision.image_files import IMAGE_SUFFIXES, load_image_bgr

ProgressCallback = Callable[[int, int], None]

# Photos learned between two rebuilds of the gallery when ``learn_root`` is given.
LEARN_BATCH = 25


def photo_folders(root: Path) -> dict[str, list[Path]]:
    """Folder holding photos (relative path, '/'-separated) -> its photos, sorted."""
    found: dict[str, list[Path]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
            found.setdefault(path.parent.relative_to(root).as_posix(), []).append(path)
    return found


def group_of(product: str) -> str:
    """The top-level folder a product sits in ("Fruit", "Packages"), or "all" for products
    that are themselves top-level folders."""
    return product.split("/", 1)[0] if "/" in product else "all"


@dataclass(frozen=True)
class Identified:
    """``not_product``: the product's photos were learned as a look that is no product."""

    product: str
    taught: bool
    match: ProductMatch
    not_product: bool = False

    @property
    def ignored(self) -> bool:
        return self.match.reason == "not_a_product"


def split_products(products: Sequence[str], holdout: int, seed: int) -> tuple:
    """(taught, held out): ``holdout`` products drawn at random with ``seed``."""
    if holdout >= len(products):
        raise ValueError(
            f"leaving {holdout} products untaught leaves nothing to teach of {len(products)}"
        )
    held = set(random.Random(seed).sample(sorted(products), holdout))
    return [p for p in sorted(products) if p not in held], sorted(held)


def choose_shots(photos: dict[str, list[Path]], products: Sequence[str], shots: int, seed: int):
    rng = random.Random(seed)
    return {p: sorted(rng.sample(photos[p], min(shots, len(photos[p])))) for p in products}


def summarize(results: Sequence[Identified]) -> dict:
    """Top-1 / unknown / wrong rates per group and overall, held-out unknown share, per class."""

    def rates(rows: Sequence[Identified]) -> dict:
        n = len(rows)
        correct = sum(r.match.sku == r.product for r in rows)
        unknown = sum(r.match.sku is None for r in rows)
        # What the classifier alone would say, before the unknown gate.
        candidate = sum(r.match.candidate == r.product for r in rows)
        # Called unknown, but the product is among those staff are offered first.
        suggested = sum(r.match.sku is None and r.product in r.match.suggestions for r in rows)
        return {
            "photos": n,
            "top1": round(correct / n, 4) if n else None,
            "candidate_top1": round(candidate / n, 4) if n else None,
            "unknown_rate": round(unknown / n, 4) if n else None,
            "wrong_rate": round((n - correct - unknown) / n, 4) if n else None,
            "unknown_but_suggested": round(suggested / n, 4) if n else None,
            # Of ``unknown_rate``: ignored as like a look that is no product.
            "not_a_product_rate": round(sum(r.ignored for r in rows) / n, 4) if n else None,
        }

    taught = [r for r in results if r.taught]
    held = [r for r in results if not r.taught and not r.not_product]
    looks = [r for r in results if r.not_product]
    groups = sorted({group_of(r.product) for r in taught})
    per_class = []
    for product in sorted({r.product for r in results}):
        rows = [r for r in results if r.product == product]
        wrong = Counter(r.match.sku for r in rows if r.match.sku not in (None, product))
        per_class.append(
            {
                "product": product,
                "taught": rows[0].taught,
                "not_product": rows[0].not_product,
                **rates(rows),
                "most_often_taken_for": wrong.most_common(1)[0][0] if wrong else None,
            }
        )
    report = {
        "taught": rates(taught),
        "groups": {g: rates([r for r in taught if group_of(r.product) == g]) for g in groups},
        "held_out": {
            "photos": len(held),
            "unknown_share": _share(held, lambda r: r.match.sku is None),
            "not_a_product_share": _share(held, lambda r: r.ignored),
        },
        "per_class": per_class,
    }
    if looks:
        report["not_products"] = {
            "products": sorted({r.product for r in looks}),
            "photos": len(looks),
            "ignored_share": _share(looks, lambda r: r.ignored),
            "named_share": _share(looks, lambda r: r.match.sku is not None),
        }
    return report


def _share(rows: Sequence[Identified], test) -> float | None:
    return round(sum(bool(test(r)) for r in rows) / len(rows), 4) if rows else None


def evaluate_real_products(
    encoder,
    teach_root: Path,
    test_root: Path,
    shots: int,
    holdout: int,
    seed: int = 0,
    policy: MatchPolicy | None = None,
    progress: ProgressCallback | None = None,
    learn_root: Path | None = None,
    not_products: int = 0,
) -> tuple:
    """Teach, (learn,) identify every test photo; returns (the report, JSON-ready; the
    results)."""
    teach_photos, test_photos = photo_folders(teach_root), photo_folders(test_root)
    products = sorted(set(teach_photos) & set(test_photos))
    if not products:
        raise ValueError(f"no product folder has photos under both {teach_root} and {test_root}")
    taught, held_out = split_products(products, holdout, seed)
    taught, looks = split_products(taught, not_products, seed + 1)
    # Drawn together: each taught product's photos are those it gets without looks.
    chosen = choose_shots(teach_photos, sorted(taught + looks), shots, seed)
    look_photos = [path for product in looks for path in chosen.pop(product)]
    tests = [(p, path) for p in products for path in test_photos[p]]
    stream = learning_stream(learn_root, chosen, seed) if learn_root is not None else []
    teach_count = sum(len(paths) for paths in chosen.values()) + len(look_photos)
    total = teach_count + len(stream) + len(tests)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    started = time.perf_counter()
    appearances = {}
    for product, paths in chosen.items():
        appearances[product] = []
        for path in paths:
            appearances[product].extend(encoder.encode_taught([load_image_bgr(path)]))
            step()
    not_product_looks = []
    for path in look_photos:
        not_product_looks.extend(encoder.encode_taught([load_image_bgr(path)]))
        step()
    gallery = ProductGallery(appearances, policy or MatchPolicy(), not_product_looks)
    teach_s = time.perf_counter() - started

    learned = None
    if learn_root is not None:
        gallery, learned = _learn(encoder, gallery, appearances, not_product_looks, stream, step)
        learned["from"] = str(learn_root)

    started = time.perf_counter()
    results = []
    for product, path in tests:
        appearance = encoder.encode([load_image_bgr(path)])[0]
        taught_here = product in appearances
        results.append(
            Identified(product, taught_here, gallery.match(appearance), product in looks)
        )
        step()
    identify_s = time.perf_counter() - started

    report = summarize(results)
    report.update(
        {
            "teach": str(teach_root),
            "test": str(test_root),
            "shots": shots,
            "holdout": held_out,
            "seed": seed,
            "encoder": encoder.name,
            "policy": dataclasses.asdict(gallery.policy),
            "products_taught": len(taught),
            "teach_photos": teach_count,
            "seconds_per_teach_photo": round(teach_s / max(1, teach_count), 3),
            "ms_per_test_photo": round(1000 * identify_s / max(1, len(tests)), 1),
        }
    )
    if learned is not None:
        report["learned"] = learned
    return report, results


def learning_stream(root: Path, chosen: dict, seed: int) -> list:
    """(product, photo) of every taught product's photo under ``root`` that was not taught, in
    a seeded random order."""
    photos = photo_folders(root)
    stream = [
        (product, path)
        for product, taught_paths in chosen.items()
        for path in photos.get(product, [])
        if path not in taught_paths
    ]
    random.Random(seed).shuffle(stream)
    return stream


def _learn(
    encoder, gallery: ProductGallery, appearances: dict, looks: list, stream: list, step
) -> tuple:
    """Identify each photo of ``stream``; learn those called unknown (staff name them)."""
    outcomes: Counter = Counter()
    learned = pending = 0
    for product, path in stream:
        image = load_image_bgr(path)
        match = gallery.match(encoder.encode([image])[0])
        sku, ignored = match.sku, match.reason == "not_a_product"
        outcome = "right" if sku == product else "wrong" if sku else "ignored" if ignored else None
        outcomes[outcome or "unknown"] += 1
        # An item ignored as no product goes unasked: staff never name it.
        if outcome is None and len(appearances[product]) < MAX_PHOTOS_PER_PRODUCT:
            appearances[product].extend(encoder.encode_taught([image]))
            learned += 1
            pending += 1
            if pending == LEARN_BATCH:
                gallery, pending = ProductGallery(appearances, gallery.policy, looks), 0
        step()
    if pending:
        gallery = ProductGallery(appearances, gallery.policy, looks)
    report = {
        "photos": len(stream),
        "right": outcomes["right"],
        "unknown_named_by_staff": outcomes["unknown"],
        "wrong": outcomes["wrong"],
        "ignored_as_no_product": outcomes["ignored"],
        "learned": learned,
        "rebuilt_every": LEARN_BATCH,
    }
    return gallery, report


def confusion_matrix(results: Sequence[Identified]) -> tuple:
    """(rows: true products, columns: predicted products + "unknown", counts)."""
    rows = sorted({r.product for r in results})
    columns = sorted(
        {r.match.sku for r in results if r.match.sku} | {r.product for r in results if r.taught}
    )
    columns.append("unknown")
    row_of = {r: i for i, r in enumerate(rows)}
    column_of = {c: i for i, c in enumerate(columns)}
    counts = np.zeros((len(rows), len(columns)), np.int64)
    for r in results:
        counts[row_of[r.product], column_of[r.match.sku or "unknown"]] += 1
    return rows, columns, counts
