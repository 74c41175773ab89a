"""``checkout-app bench``: per-stage latency and FPS of the checkout pipeline as JSON; with
``--kiosk`` the kiosk window's view frame interval while detection runs; with ``--payments``
payments per second with several writer processes on one database."""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

from checkout_app.backends.torch_device import describe_device
from checkout_app.camera.open_source import SOURCE_HELP, open_source
from checkout_app.cli.args import positive_float, positive_int
from checkout_app.cli.detection import add_model_options, pipeline_from_args
from checkout_app.cli.errors import CliError
from checkout_app.cli.output import write_json
from checkout_app.services.benchmark import benchmark_pipeline
from checkout_app.services.kiosk_settings import KioskSettings
from checkout_app.services.payment_load import LoadPlan, run_payment_load
from checkout_app.storage.db import close_database, open_database, schema_status
from checkout_app.storage.schema_state import EMPTY


def add_bench_command(subparsers: argparse._SubParsersAction) -> None:
    bench = subparsers.add_parser(
        "bench", help="per-stage latency and FPS of the pipeline, as JSON"
    )
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
    bench.add_argument(
        "--payments",
        action="store_true",
        help="measure payments per second instead, with --writers processes on one database: "
        "a new, empty one given by --database-url (it keeps the test sales), else a temporary "
        "SQLite file",
    )
    bench.add_argument(
        "--writers", type=positive_int, default=4, help="--payments: writer processes"
    )
    bench.add_argument(
        "--attempts",
        type=positive_int,
        default=500,
        help="--payments: payment attempts per writer (some are retaps of an earlier one)",
    )
    add_model_options(bench)
    bench.set_defaults(func=_cmd_bench)


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.kiosk:
        return _cmd_bench_kiosk(args)
    if args.payments:
        return _cmd_bench_payments(args)

    with open_source(args.source) as source:
        pipeline = pipeline_from_args(args, source.fps)
        report = benchmark_pipeline(pipeline, source, max_frames=args.frames)
    report["source"] = args.source
    detector = pipeline.detector
    report["backend"] = detector.backend
    report["device"] = describe_device(args.device)
    report["model"] = {
        "file": detector.model_path.name,
        "sha256": detector.meta.get("sha256"),
    }
    write_json(Path(args.out), report)
    stages = ", ".join(f"{k} {v['median_ms']:.1f}" for k, v in report["stages"].items())
    print(
        f"{report['backend']}: {report['frames']} frames, "
        f"{report['end_to_end_fps']} FPS end to end; "
        f"median ms: {stages}; end-to-end/inference = "
        f"{report['end_to_end_to_inference_ratio']} -> {args.out}"
    )
    return 0


def _cmd_bench_kiosk(args: argparse.Namespace) -> int:
    from checkout_app.app import build_kiosk_services
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
    write_json(Path(args.out), report)
    print(
        f"camera {report['camera_fps']} fps, detection {report['detection_fps']} fps, "
        f"view {report['ui_fps']} fps (frame interval median "
        f"{report['ui_frame_interval_ms']['median']} ms, p95 "
        f"{report['ui_frame_interval_ms']['p95']} ms) -> {args.out}"
    )
    return 0


def _cmd_bench_payments(args: argparse.Namespace) -> int:
    if args.database_url:
        _bench_payments(args, args.database_url)
    else:
        with tempfile.TemporaryDirectory(prefix="checkout-bench-") as folder:
            _bench_payments(args, f"sqlite:///{Path(folder) / 'bench.db'}")
    return 0


def _bench_payments(args: argparse.Namespace, url: str) -> None:
    status = schema_status(url)
    if status.before.status != EMPTY:
        raise CliError(
            f"{status.where} is not empty: the payments bench writes thousands of test sales, "
            "so it needs a new, empty database (PostgreSQL: createdb checkout_bench)"
        )
    close_database(open_database(url))  # the schema, before the writers start
    plan = LoadPlan(writers=args.writers, attempts_per_writer=args.attempts)
    load = run_payment_load(url, plan)
    report = {
        "database": make_url(url).get_backend_name(),
        "where": status.where,
        "cpu_count": os.cpu_count(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **load.summary(),
    }
    write_json(Path(args.out), report)
    print(
        f"{report['database']}, {plan.writers} writers: {report['payments_per_s']} payments/s "
        f"({report['sales_per_s']} new sales/s), median {report['latency_ms']['median']} ms, "
        f"{report['retried']} retried, {report['failed']} failed -> {args.out}"
    )
    if load.failed:
        raise CliError(f"{len(load.failed)} payments still failed after retries: see the log")
