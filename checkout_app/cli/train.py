"""``checkout-app train products``: render a dataset and train the product detector.

Every option left out takes its value from ``--recipe`` when one is named, else from
``TrainConfig``'s defaults; options given on the command line win over the recipe.
"""

from __future__ import annotations

import argparse
import os
import shlex
from dataclasses import fields
from pathlib import Path

from checkout_app.cli.args import positive_float, positive_int
from checkout_app.core.catalog_csv import load_catalog_csv
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.training.dataset import Crowding
from checkout_app.training.train_products import RECIPES, TrainConfig, train_products

_DEFAULTS = {f.name: f.default for f in fields(TrainConfig)}


def _crowding(text: str) -> Crowding:
    try:
        return Crowding.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_train_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``train products``."""
    train = subparsers.add_parser("train", help="train a model").add_subparsers(
        dest="what", required=True
    )
    tp = train.add_parser("products", help="render a dataset and train the product detector")
    recipes = ", ".join(f"{name}: {settings}" for name, settings in RECIPES.items())
    tp.add_argument(
        "--recipe",
        choices=sorted(RECIPES),
        help=f"named settings that reproduce a shipped model; other options override them "
        f"({recipes})",
    )
    tp.add_argument("--catalog", default=str(DEMO_CATALOG_PATH), help="catalog CSV (classes)")
    tp.add_argument("--arch", choices=["yolov8n", "yolo11n"], help="default yolov8n")

    def option(flag: str, key: str, kind, text: str) -> None:
        tp.add_argument(flag, type=kind, help=f"{text} (default {_DEFAULTS[key]})")

    option("--images", "train_images", positive_int, "rendered training images")
    option("--val-images", "val_images", positive_int, "rendered validation images")
    option("--epochs", "epochs", positive_int, "epochs")
    option("--imgsz", "imgsz", positive_int, "input size in px")
    option("--batch", "batch", positive_int, "images per batch")
    option("--seed", "seed", int, "data and training seed")
    option("--workers", "workers", positive_int, "data-loader processes while training")
    option("--time", "time_hours", positive_float, "time budget in hours; replaces --epochs")
    tp.add_argument(
        "--device", help="cpu, a CUDA device index such as 0, or auto (default: auto, the GPU)"
    )
    tp.add_argument(
        "--crowding",
        type=_crowding,
        nargs="+",
        metavar="TOUCHING:EXTRA",
        help="crowding levels the scenes take in turn: the share of products put down against "
        "another one (half of them the same product) and how many more non-products, e.g. "
        "0:0 0.3:1 0.5:1 (default 0:0)",
    )
    tp.add_argument(
        "--cache", choices=["ram", "disk"], help="decode the images once (default: no cache)"
    )
    tp.add_argument(
        "--jobs",
        type=positive_int,
        help="rendering processes; the scenes are the same for any number (default: all cores)",
    )
    tp.add_argument("--out", help="model path (default: HOME/models/products_ARCH.pt)")
    tp.add_argument("--init-from", help="continue training from this .pt (fine-tune)")
    tp.set_defaults(func=_cmd_train_products)


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The recipe (if any), then every option given on the command line."""
    settings = dict(RECIPES[args.recipe]) if args.recipe else {}
    given = {
        "architecture": args.arch,
        "train_images": args.images,
        "val_images": args.val_images,
        "epochs": args.epochs,
        "imgsz": args.imgsz,
        "batch": args.batch,
        "seed": args.seed,
        "workers": args.workers,
        "time_hours": args.time,
        "device": args.device,
        "cache": args.cache,
        "crowding": tuple(args.crowding) if args.crowding else None,
        "init_from": Path(args.init_from) if args.init_from else None,
    }
    settings.update({key: value for key, value in given.items() if value is not None})
    return TrainConfig(jobs=args.jobs or os.cpu_count() or 1, recipe=args.recipe, **settings)


def _cmd_train_products(args: argparse.Namespace) -> int:
    catalog = load_catalog_csv(Path(args.catalog))
    config = config_from_args(args)
    out = args.out or args.home / "models" / f"products_{config.architecture}.pt"
    command = "checkout-app " + " ".join(shlex.quote(a) for a in args.argv)
    sidecar = train_products(config, [p.class_name for p in catalog], Path(out), args.home, command)
    print(
        f"wrote {out} (val mAP50 {sidecar['val_metrics'].get('mAP50(B)', 'n/a')}, "
        f"{sidecar['epochs_run']} epochs on {sidecar['device']}, {sidecar['train_seconds']} s)"
    )
    return 0
