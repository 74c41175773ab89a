"""``checkout-app eval products``: held-out product-recognition report (JSON + plots).

``--backend`` evaluates the same model on any backend, the same way, so their cAcc compare.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from checkout_app.cli_args import positive_int
from checkout_app.cli_errors import CliError

# Low enough that mAP sees the whole precision/recall curve (ultralytics validates at 0.001 too);
# counting applies --min-confidence on top.
MAP_MIN_CONFIDENCE = 0.001
DEFAULT_EVAL_SEED = 1000  # training renders with seed 0: a different seed keeps the set unseen
# "auto" is left out: a report must say which runtime it measured, not what happened to exist.
EVAL_BACKENDS = ("torch", "onnxruntime", "onnxruntime-int8", "tensorrt")


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
        type=float,
        help="confidence at which a detection counts (default: the kiosk's)",
    )
    ep.set_defaults(func=_cmd_eval_products)


def _cmd_eval_products(args: argparse.Namespace) -> int:
    from checkout_edge.defaults import MIN_CONFIDENCE

    from checkout_app.progress import ProgressBar
    from checkout_app.training.evaluate_products import evaluate_products

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
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(summary_text(report))
    print(f"wrote {out} and plots in {plot_dir}")
    return 0


def load_eval_detector(model_path: Path | None, home: Path, backend: str):
    """The product detector as ``eval products`` measures it: on ``backend``, returning every
    detection down to ``MAP_MIN_CONFIDENCE``. The INT8 model loads whatever its accuracy gate
    says, since this evaluation is what the gate records."""
    from checkout_app.app import load_product_detector
    from checkout_app.backends.registry import ONNXRUNTIME_INT8, onnx_model_path, resolve_backend
    from checkout_app.paths import DEFAULT_PRODUCT_MODEL

    source = model_path or DEFAULT_PRODUCT_MODEL
    if resolve_backend(backend, home, source) != ONNXRUNTIME_INT8:
        return load_product_detector(
            model_path, home, min_confidence=MAP_MIN_CONFIDENCE, backend=backend
        )
    from checkout_app.backends.onnx_detector import load_int8_detector

    return load_int8_detector(
        onnx_model_path(home, source),
        source,
        min_confidence=MAP_MIN_CONFIDENCE,
        require_selectable=False,
    )


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
