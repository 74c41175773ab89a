"""The product-detector options that ``run``, ``bench`` and ``eval tracking`` share, and the
detector, tracker and pipeline they build from them: one definition, passed through one way."""

from __future__ import annotations

import argparse
from pathlib import Path

from checkout_edge.defaults import MIN_CONFIDENCE

from checkout_app.backends.registry import BACKEND_ENV, CHOICES
from checkout_app.cli.args import confidence_threshold
from checkout_app.services.checkout_pipeline import CheckoutPipeline
from checkout_app.vision.tracker import CartTracker, TrackerConfig


def add_backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=CHOICES,
        help="inference runtime for the product detector and FaceNet (default: "
        f"${BACKEND_ENV}, else auto: tensorrt if it imports and engines exist, else "
        "onnxruntime if the ONNX export exists, else torch)",
    )


def add_min_confidence_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--min-confidence",
        type=confidence_threshold,
        default=None,
        help=f"detector and tracker confidence threshold (default {MIN_CONFIDENCE}; "
        "the kiosk: the saved setting)",
    )


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """--model, --backend, --min-confidence and --device (torch only)."""
    parser.add_argument("--model", help="product model .pt (default: the shipped model)")
    add_backend_option(parser)
    add_min_confidence_option(parser)
    parser.add_argument(
        "--device",
        default="cpu",
        help="torch backend only: cpu, cuda, a CUDA index such as 0, or auto (default cpu)",
    )


def detector_from_args(args: argparse.Namespace):
    """The product detector the model options ask for (models load here: seconds); its
    ``backend`` says which runtime ``--backend`` (default: $CHECKOUT_APP_BACKEND, else auto)
    came to."""
    from checkout_app.app import load_product_detector

    return load_product_detector(
        Path(args.model) if args.model else None,
        args.home,
        min_confidence=args.min_confidence,
        backend=args.backend,
        device=args.device,
    )


def pipeline_from_args(args: argparse.Namespace, fps: float | None):
    """Detector, tracker and catalog as one checkout pipeline for frames at ``fps``."""
    from checkout_app.app import open_catalog

    detector = detector_from_args(args)
    catalog = open_catalog(args.home, args.database_url)
    # The tracker drops what the detector would: the same threshold, given or default.
    overrides = {} if args.min_confidence is None else {"min_confidence": args.min_confidence}
    tracker = CartTracker(TrackerConfig.for_fps(fps or 15.0, **overrides))
    return CheckoutPipeline(detector, tracker, catalog)
