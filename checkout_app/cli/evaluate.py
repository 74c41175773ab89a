"""``checkout-app eval …``: accuracy reports as JSON.

``eval products`` measures the product detector on held-out rendered scenes (``--backend`` runs
the same model on any runtime, the same way, so their cAcc compare); ``eval tracking`` the stable
cart on the demo scenario; ``eval barcodes`` the barcode reader on rendered counter frames.
``eval real-products`` lives with the other product-teaching commands (``cli/products.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from checkout_edge.defaults import MIN_CONFIDENCE

from checkout_app.cli.args import confidence_threshold, positive_int
from checkout_app.cli.detection import add_model_options, detector_from_args
from checkout_app.cli.errors import EXIT_BAD_INPUT, CliError
from checkout_app.cli.output import write_json
from checkout_app.cli.products import add_eval_real_products_command
from checkout_app.progress import ProgressBar
from checkout_app.training.evaluate_products import (
    DEFAULT_EVAL_SEED,
    evaluate_products,
    load_eval_detector,
)
from checkout_app.training.evaluate_tracking import evaluate_demo_tracking
from checkout_app.vision.barcode_measure import measure
from checkout_app.vision.barcode_reader import BarcodeReader, BarcodeUnavailable

# "auto" is left out: a report must say which runtime it measured, not what happened to exist.
EVAL_BACKENDS = ("torch", "onnxruntime", "onnxruntime-int8", "tensorrt")


def add_eval_commands(subparsers: argparse._SubParsersAction) -> None:
    evaluate = subparsers.add_parser("eval", help="measure accuracy").add_subparsers(
        dest="what", required=True
    )
    add_eval_products_command(evaluate)
    add_eval_real_products_command(evaluate)

    tracking = evaluate.add_parser("tracking", help="stable-cart accuracy on the demo scenario")
    tracking.add_argument("--out", required=True, help="JSON file to write")
    tracking.add_argument(
        "--settle-frames",
        type=positive_int,
        default=12,
        help="frames after each change that are not scored",
    )
    add_model_options(tracking)
    tracking.set_defaults(func=_cmd_eval_tracking)

    barcodes = evaluate.add_parser(
        "barcodes",
        help="barcode decode rate on rendered counter frames by width, rotation, blur and light",
    )
    barcodes.add_argument("--out", required=True, help="JSON file to write")
    barcodes.add_argument("--trials", type=positive_int, default=100, help="frames per condition")
    barcodes.add_argument("--seed", type=int, default=0, help="seed of the codes and placements")
    barcodes.set_defaults(func=_cmd_eval_barcodes)


def add_eval_products_command(eval_subparsers: argparse._SubParsersAction) -> None:
    """Register ``eval products`` under the ``eval`` sub-command group."""
    ep = eval_subparsers.add_parser(
        "products", help="measure mAP and checkout accuracy (cAcc) on held-out rendered scenes"
    )
    ep.add_argument("--out", required=True, help="JSON report; plots go to OUT_STEM_plots/")
    ep.add_argument("--model", help="product model .pt (default: the shipped model)")
    ep.add_argument(
        "--backend",
        choices=EVAL_BACKENDS,
        default="torch",
        help="runtime to evaluate (default torch). onnxruntime and tensorrt run the ONNX export "
        "(checkout-app export); onnxruntime-int8 its INT8 model (checkout-app export --int8), "
        "evaluated whatever its accuracy gate says: this is how the gate is measured",
    )
    ep.add_argument(
        "--per-count", type=positive_int, default=50, help="scenes per item count 1..12"
    )
    ep.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_EVAL_SEED,
        help="scene seed; must differ from the training seed (0)",
    )
    ep.add_argument(
        "--min-confidence",
        type=confidence_threshold,
        help="confidence at which a detection counts (default: the kiosk's)",
    )
    ep.set_defaults(func=_cmd_eval_products)


def _cmd_eval_products(args: argparse.Namespace) -> int:
    if args.seed == 0:
        raise CliError("--seed 0 is the training seed; evaluate on scenes never trained on")
    out = Path(args.out)
    plot_dir = out.parent / f"{out.stem}_plots"
    min_confidence = MIN_CONFIDENCE if args.min_confidence is None else args.min_confidence
    detector = load_eval_detector(Path(args.model) if args.model else None, args.home, args.backend)
    bar = ProgressBar("evaluating")
    try:
        report = evaluate_products(
            detector,
            detector.class_names,
            per_count=args.per_count,
            seed=args.seed,
            min_confidence=min_confidence,
            out_dir=plot_dir,
            progress=bar.update,
        )
    finally:
        bar.close()
    report["model"] = str(detector.model_path)
    report["backend"] = args.backend
    report["plot_dir"] = plot_dir.name  # plot paths are relative to it; it sits next to the JSON
    write_json(out, report)
    print(summary_text(report))
    print(f"wrote {out} and plots in {plot_dir}")
    return 0


def _cmd_eval_tracking(args: argparse.Namespace) -> int:
    report = evaluate_demo_tracking(
        detector_from_args(args), settle_window_frames=args.settle_frames
    )
    write_json(Path(args.out), report)
    print(
        f"frame_cart_accuracy {report['frame_cart_accuracy']:.4f} "
        f"(raw detector {report['raw_detector_frame_cart_accuracy']:.4f}), median settle "
        f"{report['median_settle_s']:.2f} s over {report['changes']} changes -> {args.out}"
    )
    return 0


def _cmd_eval_barcodes(args: argparse.Namespace) -> int:
    try:
        reader = BarcodeReader()
    except BarcodeUnavailable as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from exc

    def progress(done: int, total: int) -> None:
        print(f"\rconditions {done}/{total}", end="", file=sys.stderr, flush=True)

    report = measure(trials=args.trials, seed=args.seed, reader=reader, progress=progress)
    print(file=sys.stderr)
    write_json(Path(args.out), report)
    for symbology, sweep, target in (("EAN-13", "width_px", "target"),
                                     ("EAN-8", "ean8_width_px", "target_ean8")):  # fmt: skip
        rates = report["sweeps"][sweep].items()
        widths = ", ".join(f"{w} px {r['rate']:.0%}" for w, r in rates)
        result = report[target]
        print(
            f"{symbology} decode rate by width: {widths}; target conditions "
            f"{result['rate']:.1%} ({result['misread']} misreads)"
        )
    print(
        f"decode {report['decode_ms']['median']} ms median, {report['decode_ms']['p95']} ms p95 "
        f"per 640x480 frame -> {args.out}"
    )
    return 0


def summary_text(report: dict) -> str:
    """A few lines for a person: overall metrics, then cAcc by item count."""
    lines = [
        f"{report['images']} images: cAcc {report['cAcc']:.3f} (target {report['cAcc_target']}), "
        f"ACD {report['ACD']:.3f}, mAP50 {report['mAP50']:.3f}, mAP50-95 {report['mAP50_95']:.3f}, "
        f"{report['ms_per_image']:.0f} ms/image",
        "cAcc by item count: "
        + ", ".join(
            f"{row['items']}: {row['cAcc']:.2f}"
            for row in report["per_item_count"]
            if row["cAcc"] is not None
        ),
    ]
    return "\n".join(lines)
