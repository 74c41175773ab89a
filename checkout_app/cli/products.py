"""``checkout-app products teach|identify|forget|not-a-product|bench`` and ``checkout-app eval
real-products``.

Staff teach the kiosk a real product from a few photos; ``identify`` says which taught product
each photo shows, or that it is unknown (with a shot of the empty counter, each item on a counter
photo, as the kiosk finds them); ``not-a-product`` learns what to ignore (a store's trays);
``bench`` times checkout with many taught products.
Handlers get ``args.home`` (resolved) and ``args.database_url``; expected failures raise
``CliError``. The models load only in the commands that need them, after the cheap checks (a
typo in a path answers at once).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from checkout_app.cli.args import database_url, non_negative_int, positive_int
from checkout_app.cli.errors import EXIT_BAD_INPUT, CliError
from checkout_app.cli.output import write_json
from checkout_app.core.money import format_won
from checkout_app.core.text import printable
from checkout_app.products.evaluation import evaluate_real_products
from checkout_app.products.report import write_report
from checkout_app.progress import ProgressBar, line_progress
from checkout_app.services.counter_items import counter_regions, identify_item
from checkout_app.services.counter_items_benchmark import benchmark_counter_items
from checkout_app.services.product_teaching import (
    NewProduct,
    TeachError,
    learn_not_products,
    load_gallery,
    teach_product,
)
from checkout_app.storage.catalog_repository import CatalogRepository
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.product_photo_repository import ProductPhotoRepository
from checkout_app.vision.image_files import ImageError, image_files, load_image_bgr


def add_products_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``products`` and its sub-commands on the top-level CLI's sub-parsers."""
    products = subparsers.add_parser(
        "products", help="teach the kiosk real products from photos, identify photos"
    )
    actions = products.add_subparsers(dest="products_action", required=True)

    teach = actions.add_parser(
        "teach",
        help="add a product to the catalog, taught from 3-10 photos of it "
        "(top, sides, turned over, in a hand)",
    )
    teach.add_argument("--sku", required=True, help="a new SKU")
    teach.add_argument("--name", required=True, help="the name shoppers see")
    teach.add_argument("--price", required=True, type=non_negative_int, help="price in won")
    teach.add_argument("--images", required=True, type=Path, help="folder of photos of it")
    teach.set_defaults(func=_cmd_teach)

    identify = actions.add_parser(
        "identify", help="which taught product each photo shows, or unknown"
    )
    identify.add_argument("images", nargs="+", type=Path, help="photos (the models load once)")
    identify.add_argument(
        "--json",
        action="store_true",
        help='one line per photo: {"image", "items": [{"box", "sku", "name", "score"}]}',
    )
    identify.add_argument(
        "--empty-counter",
        type=Path,
        metavar="PHOTO",
        help="a photo of the empty counter by the same camera: each photo's items are what "
        "differs from it, several to a photo, each with its box (without it, a photo is one item)",
    )
    identify.set_defaults(func=_cmd_identify)

    forget = actions.add_parser(
        "forget", help="delete a taught product's photos (it is no longer recognised)"
    )
    forget.add_argument("sku")
    forget.set_defaults(func=_cmd_forget)

    not_product = actions.add_parser(
        "not-a-product",
        help="learn the looks of things that are no product (the store's trays, bags, "
        "receipts) from photos: items like them are ignored at the counter",
    )
    what = not_product.add_mutually_exclusive_group(required=True)
    what.add_argument("--images", type=Path, help="folder of photos of such things")
    what.add_argument(
        "--forget",
        action="store_true",
        help="delete every such look (set aside at the kiosk too): such items are asked about",
    )
    not_product.set_defaults(func=_cmd_not_a_product)

    bench = actions.add_parser(
        "bench",
        help="checkout speed with many taught products: gallery build, first sight of an item, "
        "every frame after it (JSON)",
    )
    bench.add_argument("--teach", required=True, type=Path, help="folder of product folders")
    bench.add_argument("--test", required=True, type=Path, help="the same products, other photos")
    bench.add_argument("--products", type=positive_int, default=100, help="taught products")
    bench.add_argument("--shots", type=positive_int, default=3, help="photos taught per product")
    bench.add_argument("--items", type=positive_int, default=3, help="items on the counter (1-3)")
    bench.add_argument("--frames", type=positive_int, default=100, help="frames timed after")
    bench.add_argument("--out", type=Path, required=True, help="JSON file to write")
    bench.set_defaults(func=_cmd_bench)


def add_eval_real_products_command(evaluate: argparse._SubParsersAction) -> None:
    real = evaluate.add_parser(
        "real-products",
        help="teach every product folder from a few photos, identify the test photos",
    )
    real.add_argument("--teach", required=True, type=Path, help="folder of product folders")
    real.add_argument("--test", required=True, type=Path, help="the same products, other photos")
    real.add_argument("--shots", type=positive_int, default=10, help="photos taught per product")
    real.add_argument(
        "--holdout", type=non_negative_int, default=0, help="products left untaught (unknowns)"
    )
    real.add_argument(
        "--not-products",
        type=non_negative_int,
        default=0,
        help="products whose photos are learned as things that are no product (as when staff "
        "set an item aside), not taught: how often such a thing is then ignored, and what else is",
    )
    real.add_argument("--seed", type=int, default=0, help="which photos and products are drawn")
    real.add_argument(
        "--learn-from",
        type=Path,
        help="before testing, identify these photos of the taught products and learn each one "
        "called unknown, as when staff name unknown items at the kiosk",
    )
    real.add_argument(
        "--out", type=Path, required=True, help="report JSON (a confusion plot goes beside it)"
    )
    real.set_defaults(func=_cmd_eval_real_products)


def _error(message: str) -> CliError:
    return CliError(message, EXIT_BAD_INPUT)


def _require_teach_and_test_folders(args: argparse.Namespace) -> None:
    """A typo in --teach or --test answers before any model loads."""
    folders = [("--teach", args.teach), ("--test", args.test)]
    if getattr(args, "learn_from", None) is not None:
        folders.append(("--learn-from", args.learn_from))
    for flag, folder in folders:
        if not folder.is_dir():
            raise _error(f"{flag} {folder} is not a folder")


def _encoder(args: argparse.Namespace):
    from checkout_app.app import load_appearance_encoder

    return load_appearance_encoder(args.home, progress=line_progress("preparing FaceNet weights"))


@contextmanager
def _repositories(args: argparse.Namespace) -> Iterator[tuple]:
    """(catalog, taught photos) on the app database, closed when the command is done."""

    session_factory = open_database(database_url(args))
    try:
        yield CatalogRepository(session_factory), ProductPhotoRepository(session_factory)
    finally:
        close_database(session_factory)


def _images(folder: Path, nothing: str) -> list:
    """(name, BGR image) of every photo in ``folder``; a CliError ending in ``nothing`` (what was
    not done) for a missing folder or an unreadable photo."""
    if not folder.is_dir():
        raise _error(f"--images {folder} is not a folder")
    try:
        return [(path.name, load_image_bgr(path)) for path in image_files(folder)]
    except ImageError as exc:
        raise _error(f"{exc}; {nothing}") from None


def _cmd_teach(args: argparse.Namespace) -> int:
    images = _images(args.images, "nothing was taught")
    encoder = _encoder(args)
    bar = ProgressBar(f"teaching {args.sku}")
    try:
        with _repositories(args) as (catalog, photos):
            result = teach_product(
                catalog,
                photos,
                encoder,
                NewProduct(args.sku, args.name, args.price),
                images,
                progress=bar.update,
            )
    except TeachError as exc:
        raise _error(str(exc)) from None
    finally:
        bar.close()
    product = result.product
    print(
        f"taught {product.sku} {printable(product.name_en)} ({format_won(product.price)}) from "
        f"{result.photos} photos in {result.seconds:.1f} s: recognised from the next frame"
    )
    return 0


def _cmd_identify(args: argparse.Namespace) -> int:
    for path in args.images:  # before the models: a typo answers at once
        if not path.is_file():
            raise _error(f"{path} is not a file")
    empty = None
    if args.empty_counter is not None:
        try:
            empty = load_image_bgr(args.empty_counter)
        except ImageError as exc:
            raise _error(f"the empty counter: {exc}") from None
    encoder = _encoder(args)
    with _repositories(args) as (catalog, photos):
        products = catalog.load()
        gallery = load_gallery(photos, encoder)
    if not len(gallery):
        print("no product has been taught yet: checkout-app products teach …", file=sys.stderr)
    failed = 0
    for path in args.images:
        try:
            image = load_image_bgr(path)
        except ImageError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        if empty is None:  # no item detector: the photo is one item, its box the whole photo
            boxes = [(0, 0, image.shape[1], image.shape[0])]
        else:
            try:
                regions, arms = counter_regions(image, empty)
            except ValueError as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                failed += 1
                continue
            boxes = [box for box, _area in regions]
            if arms:  # said, so that an item laid against the edge is not silently missed
                print(
                    f"{path}: {len(arms)} region(s) touching the photo's edge left out (an arm "
                    "reaching in; an item must lie wholly in view)",
                    file=sys.stderr,
                )
        items = [(box, identify_item(image, box, gallery, encoder)) for box in boxes]
        if args.json:
            print(json.dumps(_identified_json(path, items, products), ensure_ascii=False))
            continue
        if not items:
            print(f"{path}: nothing on the counter")
        for box, match in items:
            where = f"{path} {list(box)}" if empty is not None else str(path)
            if match.sku:
                name = printable(products.get(match.sku).name_en)
                print(f"{where}: {name} ({match.sku}), score {match.score:.2f}")
            elif match.reason == "not_a_product":
                print(f"{where}: not a product (like an item staff set aside at the counter)")
            else:
                looks = f", looks most like {match.candidate}" if match.candidate else ""
                print(f"{where}: unknown item ({match.reason.replace('_', ' ')}{looks})")
    return EXIT_BAD_INPUT if failed else 0


def _identified_json(path: Path, items: list, products) -> dict:
    return {
        "image": str(path),
        "items": [
            {
                "box": [int(v) for v in box],
                "sku": match.sku,
                "name": products.get(match.sku).name_en if match.sku else None,
                "score": round(match.score, 4),
            }
            for box, match in items
        ],
    }


def _cmd_not_a_product(args: argparse.Namespace) -> int:
    if args.forget:
        with _repositories(args) as (_catalog, photos):
            removed = photos.forget(None)
        print(f"forgot {removed} looks of things that are no product: such items are asked about")
        return 0
    images = _images(args.images, "nothing was learned")
    encoder = _encoder(args)
    bar = ProgressBar("learning what is no product")
    try:
        with _repositories(args) as (_catalog, photos):
            learned = learn_not_products(photos, encoder, images, progress=bar.update)
    except TeachError as exc:
        raise _error(str(exc)) from None
    finally:
        bar.close()
    print(f"learned {learned} looks of things that are no product: items like them are ignored")
    return 0


def _cmd_forget(args: argparse.Namespace) -> int:
    with _repositories(args) as (_catalog, photos):
        removed = photos.forget(args.sku)
    if not removed:
        raise _error(f"SKU {args.sku} has no taught photos")
    print(f"forgot the {removed} photos of {args.sku}: it is no longer recognised by its looks")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    _require_teach_and_test_folders(args)
    encoder = _encoder(args)
    bar = ProgressBar("encoding teaching photos")
    try:
        report = benchmark_counter_items(
            encoder,
            args.teach,
            args.test,
            products=args.products,
            shots=args.shots,
            items=args.items,
            frames=args.frames,
            progress=bar.update,
        )
    except (ValueError, ImageError) as exc:
        raise _error(str(exc)) from None
    finally:
        bar.close()
    write_json(args.out, report)
    print(
        f"{report['taught_products']} taught products: gallery {report['gallery_build_s']} s; "
        f"first sight {report['first_sight_ms_per_item']} ms per item; later frames "
        f"{report['later_frame_ms']['median']} ms median, {report['later_frame_ms']['p95']} ms "
        f"p95 with {report['items_on_counter']} items -> {args.out}"
    )
    return 0


def _cmd_eval_real_products(args: argparse.Namespace) -> int:
    _require_teach_and_test_folders(args)
    encoder = _encoder(args)
    bar = ProgressBar("teaching and identifying")
    try:
        report, results = evaluate_real_products(
            encoder,
            args.teach,
            args.test,
            args.shots,
            args.holdout,
            args.seed,
            progress=bar.update,
            learn_root=args.learn_from,
            not_products=args.not_products,
        )
    except (ValueError, ImageError) as exc:
        raise _error(str(exc)) from None
    finally:
        bar.close()
    plot = write_report(report, results, args.out)
    print(
        json.dumps(
            {
                k: report[k]
                for k in ("taught", "groups", "held_out", "not_products", "learned")
                if k in report
            }
        )
    )
    print(f"wrote {args.out} and {plot}")
    return 0
