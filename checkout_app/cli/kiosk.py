"""``checkout-app kiosk`` (also: no command at all) and ``checkout-app run``: the kiosk window,
or with ``run --headless`` the checkout pipeline printing cart changes on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from checkout_app.camera.open_source import SOURCE_HELP, open_source
from checkout_app.cli.args import positive_int
from checkout_app.cli.detection import (
    add_backend_option,
    add_min_confidence_option,
    add_model_options,
    pipeline_from_args,
)
from checkout_app.services.headless import run_headless


def add_kiosk_commands(subparsers: argparse._SubParsersAction) -> None:
    kiosk = subparsers.add_parser("kiosk", help="open the kiosk window (also: no command at all)")
    kiosk.add_argument("--source", help=f"counter camera (default: saved setting): {SOURCE_HELP}")
    kiosk.add_argument("--lang", choices=["en", "ko"], help="UI language (default: saved)")
    kiosk.add_argument("--model", help="product model .pt (default: the shipped model)")
    add_backend_option(kiosk)
    add_min_confidence_option(kiosk)
    _add_window_options(kiosk)
    kiosk.set_defaults(func=run_kiosk_command)

    run = subparsers.add_parser("run", help="run a checkout: the kiosk window, or --headless")
    run.add_argument(
        "--headless",
        action="store_true",
        help="no window: print cart changes on stdout",
    )
    run.add_argument("--source", default="demo", help=f"where frames come from: {SOURCE_HELP}")
    run.add_argument("--json", action="store_true", help="end stdout with the cart as JSON")
    run.add_argument("--lang", choices=["en", "ko"], default=None, help="default: en (headless)")
    _add_window_options(run)
    run.add_argument("--realtime", action="store_true", help="play the demo/video at its fps")
    run.add_argument("--max-frames", type=positive_int, help="stop after this many frames")
    add_model_options(run)
    run.set_defaults(func=_cmd_run)


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--face-source", help=f"face camera (default: saved setting): {SOURCE_HELP}"
    )
    parser.add_argument("--fullscreen", action="store_true", help="fill the screen (kiosk/demo)")
    parser.add_argument("--stats", action="store_true", help="show FPS/CPU/RAM over the counter")


def run_kiosk_command(args: argparse.Namespace) -> int:
    """Open the kiosk window with what the command line gave over the saved settings.

    Also what ``checkout-app`` with no command does, so every option is read with a default.
    """
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


def _cmd_run(args: argparse.Namespace) -> int:
    if not args.headless:
        return run_kiosk_command(args)

    with open_source(args.source, realtime=args.realtime) as source:
        pipeline = pipeline_from_args(args, source.fps)
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
