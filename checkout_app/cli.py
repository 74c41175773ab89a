"""``checkout-app`` command line: one sub-command per job, each a thin layer over services.

Expected failures (bad input, missing camera, broken model file) end with a one-line message on
stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from checkout_edge.defaults import MIN_CONFIDENCE

from checkout_app.backends.torch_device import describe_device
from checkout_app.camera.open_source import SOURCE_HELP
from checkout_app.camera.source import SourceError
from checkout_app.cli_args import confidence_threshold, positive_float, positive_int
from checkout_app.cli_errors import EXIT_BAD_INPUT, EXIT_MODEL_FAILED, EXIT_SOURCE_FAILED, CliError
from checkout_app.cli_products import add_eval_real_products_command, add_products_commands
from checkout_app.core.catalog import CatalogStoreError
from checkout_app.core.catalog_csv import CatalogCsvError
from checkout_app.export.cli import add_export_command
from checkout_app.faces.cli import add_faces_commands, add_models_commands
from checkout_app.models_meta import ModelFileError
from checkout_app.paths import HomeError, resolve_home
from checkout_app.storage.catalog_cli import add_catalog_commands
from checkout_app.storage.db import DATABASE_URL_ENV, DatabaseError
from checkout_app.training.eval_cli import add_eval_products_command
from checkout_app.training.train_cli import add_train_command

log = logging.getLogger(__name__)


def _backend(args: argparse.Namespace) -> str:
    """The concrete backend for ``--backend`` (default: $CHECKOUT_APP_BACKEND, else auto)."""
    from checkout_app.backends.registry import resolve_backend
    from checkout_app.paths import DEFAULT_PRODUCT_MODEL

    model = Path(args.model) if args.model else DEFAULT_PRODUCT_MODEL
    return resolve_backend(args.backend, args.home, model)


def _detector(args: argparse.Namespace):
    from checkout_app.app import load_product_detector

    return load_product_detector(
        Path(args.model) if args.model else None,
        args.home,
        min_confidence=args.min_confidence,
        backend=_backend(args),
        device=args.device,
    )


def _pipeline(args: argparse.Namespace, fps: float | None):
    from checkout_app.app import open_catalog
    from checkout_app.services.checkout_pipeline import CheckoutPipeline
    from checkout_app.vision.tracker import CartTracker, TrackerConfig

    detector = _detector(args)
    catalog = open_catalog(args.home, args.database_url)
    # The tracker drops what the detector would: the same threshold, given or default.
    overrides = {} if args.min_confidence is None else {"min_confidence": args.min_confidence}
    tracker = CartTracker(TrackerConfig.for_fps(fps or 15.0, **overrides))
    return CheckoutPipeline(detector, tracker, catalog)


def _cmd_kiosk(args: argparse.Namespace) -> int:
    from checkout_app.ui.launch import KioskOptions, run_kiosk

    return run_kiosk(
        KioskOptions(
            home=args.home,
            database_url=args.database_url,
            model_path=Path(args.model) if getattr(args, "model", None) else None,
            backend=getattr(args, "backend", None),
            counter_source=getattr(args, "source", None),
            face_source=getattr(args, "face_source", None),
            language=getattr(args, "lang", None),
            fullscreen=True if getattr(args, "fullscreen", False) else None,
            show_stats=True if getattr(args, "stats", False) else None,
            min_confidence=getattr(args, "min_confidence", None),
        )
    )


def _add_kiosk_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--face-source", help=f"face camera (default: saved setting): {SOURCE_HELP}"
    )
    parser.add_argument("--fullscreen", action="store_true", help="fill the screen (kiosk/demo)")
    parser.add_argument("--stats", action="store_true", help="show FPS/CPU/RAM over the counter")


def _cmd_run(args: argparse.Namespace) -> int:
    if not args.headless:
        return _cmd_kiosk(args)
    from checkout_app.camera.open_source import open_source
    from checkout_app.services.headless import run_headless

    with open_source(args.source) as source:
        if args.realtime and hasattr(source, "realtime"):
            source.realtime = True
        pipeline = _pipeline(args, source.fps)
        print(f"source: {source.name}; press Ctrl+C to stop", file=sys.stderr)
        run_headless(
            pipeline,
            source,
            sys.stdout,
            lang=args.lang or "en",
            json_output=args.json,
            max_frames=args.max_frames,
        )
    return 0


def _cmd_bench_kiosk(args: argparse.Namespace) -> int:
    from checkout_app.app import build_kiosk_services
    from checkout_app.services.kiosk_settings import KioskSettings
    from checkout_app.ui.launch import forget_opencv_qt_paths

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    forget_opencv_qt_paths()
    from PySide6.QtWidgets import QApplication

    from checkout_app.ui import theme
    from checkout_app.ui.kiosk_benchmark import measure_kiosk

    app = QApplication.instance() or QApplication(["checkout-app"])
    theme.apply_theme(app)
    model = Path(args.model) if args.model else None
    services = build_kiosk_services(
        args.home, KioskSettings(), args.database_url, model, backend=args.backend
    )
    try:
        report = measure_kiosk(services, args.seconds)
    finally:
        services.close()
    report["backend"] = services.backend
    _write_json(Path(args.out), report)
    print(
        f"camera {report['camera_fps']} fps, detection {report['detection_fps']} fps, "
        f"view {report['ui_fps']} fps (frame interval median "
        f"{report['ui_frame_interval_ms']['median']} ms, p95 "
        f"{report['ui_frame_interval_ms']['p95']} ms) -> {args.out}"
    )
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.kiosk:
        return _cmd_bench_kiosk(args)
    from checkout_app.camera.open_source import open_source
    from checkout_app.services.benchmark import benchmark_pipeline

    with open_source(args.source) as source:
        pipeline = _pipeline(args, source.fps)
        report = benchmark_pipeline(pipeline, source, max_frames=args.frames)
    report["source"] = args.source
    detector = pipeline.detector
    report["backend"] = _backend(args)
    report["device"] = describe_device(args.device)
    report["model"] = {
        "file": detector.model_path.name,
        "sha256": detector.meta.get("sha256"),
    }
    _write_json(Path(args.out), report)
    stages = ", ".join(f"{k} {v['median_ms']:.1f}" for k, v in report["stages"].items())
    print(
        f"{report['backend']}: {report['frames']} frames, "
        f"{report['end_to_end_fps']} FPS end to end; "
        f"median ms: {stages}; end-to-end/inference = "
        f"{report['end_to_end_to_inference_ratio']} -> {args.out}"
    )
    return 0


def _cmd_eval_tracking(args: argparse.Namespace) -> int:
    from checkout_app.training.evaluate_tracking import evaluate_demo_tracking

    report = evaluate_demo_tracking(_detector(args), settle_window_frames=args.settle_frames)
    _write_json(Path(args.out), report)
    print(
        f"frame_cart_accuracy {report['frame_cart_accuracy']:.4f} "
        f"(raw detector {report['raw_detector_frame_cart_accuracy']:.4f}), median settle "
        f"{report['median_settle_s']:.2f} s over {report['changes']} changes -> {args.out}"
    )
    return 0


def _cmd_eval_barcodes(args: argparse.Namespace) -> int:
    from checkout_app.vision.barcode_measure import measure
    from checkout_app.vision.barcode_reader import BarcodeReader, BarcodeUnavailable

    try:
        reader = BarcodeReader()
    except BarcodeUnavailable as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from exc

    def progress(done: int, total: int) -> None:
        print(f"\rconditions {done}/{total}", end="", file=sys.stderr, flush=True)

    report = measure(trials=args.trials, seed=args.seed, reader=reader, progress=progress)
    print(file=sys.stderr)
    _write_json(Path(args.out), report)
    widths = ", ".join(f"{w} px {r['rate']:.0%}" for w, r in report["sweeps"]["width_px"].items())
    target = report["target"]
    print(
        f"decode rate by width: {widths}; target conditions {target['rate']:.1%} "
        f"({target['misread']} misreads); decode {report['decode_ms']['median']} ms median, "
        f"{report['decode_ms']['p95']} ms p95 per 640x480 frame -> {args.out}"
    )
    return 0


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _add_backend_option(parser: argparse.ArgumentParser) -> None:
    from checkout_app.backends.registry import BACKEND_ENV, CHOICES

    parser.add_argument(
        "--backend",
        choices=CHOICES,
        help="inference runtime for the product detector and FaceNet (default: "
        f"${BACKEND_ENV}, else auto: tensorrt if it imports and engines exist, else "
        "onnxruntime if the ONNX export exists, else torch)",
    )


def _add_min_confidence_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--min-confidence",
        type=confidence_threshold,
        default=None,
        help=f"detector and tracker confidence threshold (default {MIN_CONFIDENCE}; "
        "the kiosk: the saved setting)",
    )


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="product model .pt (default: the shipped model)")
    _add_backend_option(parser)
    _add_min_confidence_option(parser)
    parser.add_argument(
        "--device",
        default="cpu",
        help="torch backend only: cpu, cuda, a CUDA index such as 0, or auto (default cpu)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checkout-app",
        description="Self-checkout kiosk: product recognition, stable cart, face pay.",
    )
    parser.add_argument(
        "--home",
        help="folder for everything the app writes "
        "(default: $CHECKOUT_APP_HOME or ~/.local/share/checkout_app)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(DATABASE_URL_ENV),
        help="SQLAlchemy URL of the store database, e.g. postgresql://kiosk@db/store to share "
        f"one between kiosks (default: ${DATABASE_URL_ENV}, else HOME/checkout.db)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")

    add_train_command(sub)

    add_catalog_commands(sub)
    add_products_commands(sub)
    add_faces_commands(sub)
    add_models_commands(sub)
    add_export_command(sub)

    kiosk = sub.add_parser("kiosk", help="open the kiosk window (also: no command at all)")
    kiosk.add_argument("--source", help=f"counter camera (default: saved setting): {SOURCE_HELP}")
    kiosk.add_argument("--lang", choices=["en", "ko"], help="UI language (default: saved)")
    kiosk.add_argument("--model", help="product model .pt (default: the shipped model)")
    _add_backend_option(kiosk)
    _add_min_confidence_option(kiosk)
    _add_kiosk_options(kiosk)
    kiosk.set_defaults(func=_cmd_kiosk)

    run = sub.add_parser("run", help="run a checkout: the kiosk window, or --headless")
    run.add_argument(
        "--headless",
        action="store_true",
        help="no window: print cart changes on stdout",
    )
    run.add_argument("--source", default="demo", help=f"where frames come from: {SOURCE_HELP}")
    run.add_argument("--json", action="store_true", help="end stdout with the cart as JSON")
    run.add_argument("--lang", choices=["en", "ko"], default=None, help="default: en (headless)")
    _add_kiosk_options(run)
    run.add_argument("--realtime", action="store_true", help="play the demo/video at its fps")
    run.add_argument("--max-frames", type=positive_int, help="stop after this many frames")
    _add_model_options(run)
    run.set_defaults(func=_cmd_run)

    bench = sub.add_parser("bench", help="per-stage latency and FPS of the pipeline, as JSON")
    bench.add_argument("--out", required=True, help="JSON file to write")
    bench.add_argument("--source", default="demo", help=f"frames to measure on: {SOURCE_HELP}")
    bench.add_argument(
        "--frames", type=positive_int, default=200, help="frames measured after warm-up"
    )
    bench.add_argument(
        "--kiosk",
        action="store_true",
        help="measure the kiosk window instead: view frame interval while detection runs",
    )
    bench.add_argument(
        "--seconds", type=positive_float, default=20.0, help="--kiosk: seconds measured"
    )
    _add_model_options(bench)
    bench.set_defaults(func=_cmd_bench)

    evaluate = sub.add_parser("eval", help="measure accuracy").add_subparsers(
        dest="what", required=True
    )
    add_eval_products_command(evaluate)
    add_eval_real_products_command(evaluate)
    et = evaluate.add_parser("tracking", help="stable-cart accuracy on the demo scenario")
    et.add_argument("--out", required=True, help="JSON file to write")
    et.add_argument(
        "--settle-frames",
        type=positive_int,
        default=12,
        help="frames after each change that are not scored",
    )
    _add_model_options(et)
    et.set_defaults(func=_cmd_eval_tracking)
    eb = evaluate.add_parser(
        "barcodes",
        help="barcode decode rate on rendered counter frames by width, rotation, blur and light",
    )
    eb.add_argument("--out", required=True, help="JSON file to write")
    eb.add_argument("--trials", type=positive_int, default=100, help="frames per condition")
    eb.add_argument("--seed", type=int, default=0, help="seed of the codes and placements")
    eb.set_defaults(func=_cmd_eval_barcodes)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    args.argv = argv
    # No command: the kiosk, as a shopper or a presenter expects when starting the app.
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", _cmd_kiosk)
    try:
        args.home = resolve_home(args.home)
        return func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except (CatalogCsvError, CatalogStoreError, DatabaseError, HomeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    except ModelFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MODEL_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
