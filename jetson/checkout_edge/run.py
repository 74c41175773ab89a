"""Headless checkout on a Jetson Nano (stock JetPack 4.6, Python 3.6): camera -> TensorRT
detector -> tracker -> cart, printing one line per cart change, like ``checkout-app run``.

    python3 -m checkout_edge.run --bundle DIR --source 0 [--lang ko] [--json] [--max-frames N]

Engines are checked before the first frame (built here, by this TensorRT, from these very ONNX
files); a stale or foreign engine stops the start with one line naming the fix, never a crash
mid-checkout. A frame whose inference fails is skipped and logged; only a run of failures ends
the program (exit 3). Exit 2: the bundle or its engines are not usable.
"""

import argparse
import json
import logging
import os
import sys
from typing import Callable, Optional, Sequence, TextIO, Tuple

from checkout_edge.cart import EdgeCart, read_catalog
from checkout_edge.engines import EngineError
from checkout_edge.tracker import CountTracker, TrackerConfig

logger = logging.getLogger(__name__)

CATALOG_NAME = "catalog.csv"
MAX_FAILED_FRAMES_IN_A_ROW = 30  # ~2 s of frames: a transient glitch passes, a dead GPU does not


def find_catalog(bundle: str) -> str:
    """``bundle/catalog.csv``, or the bundle's only CSV file."""
    path = os.path.join(bundle, CATALOG_NAME)
    if os.path.isfile(path):
        return path
    found = sorted(name for name in os.listdir(bundle) if name.endswith(".csv"))
    if len(found) != 1:
        raise EngineError(f"{bundle}: expected {CATALOG_NAME} in the bundle")
    return os.path.join(bundle, found[0])


def run_checkout(
    detector,
    cart: EdgeCart,
    tracker: CountTracker,
    read: Callable[[], Optional[Tuple]],
    out: TextIO,
    lang: str = "en",
    json_output: bool = False,
    max_frames: Optional[int] = None,
) -> int:
    """The checkout loop. ``read`` returns (BGR image, seconds) or None at the end of the
    source; returns 0, or 3 after MAX_FAILED_FRAMES_IN_A_ROW failed inferences in a row."""
    frames = failed_in_a_row = 0
    status = 0
    while max_frames is None or frames < max_frames:
        frame = read()
        if frame is None:
            break
        image, seconds = frame
        frames += 1
        try:
            xyxy, confidence, class_id = detector.detect(image)
        except RuntimeError as exc:  # a failed enqueue: skip the frame, keep the cart
            failed_in_a_row += 1
            logger.error("frame %d: inference failed (%s)", frames, exc)
            if failed_in_a_row >= MAX_FAILED_FRAMES_IN_A_ROW:
                logger.error("%d frames in a row failed; stopping", failed_in_a_row)
                status = 3
                break
            continue
        failed_in_a_row = 0
        if cart.set_detected(tracker.update(xyxy, confidence, class_id, seconds)):
            out.write(f"[{seconds:7.2f} s] {cart.describe(lang)}\n")
            out.flush()
    out.write(f"{frames} frames processed. Final cart: {cart.describe(lang)}\n")
    if json_output:
        out.write(json.dumps(cart.to_dict(lang), ensure_ascii=False) + "\n")
    out.flush()
    return status


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m checkout_edge.run", description=__doc__)
    parser.add_argument("--bundle", required=True, help="the exported bundle folder")
    parser.add_argument("--source", default="0", help="camera index, csi, video or image")
    parser.add_argument("--lang", choices=("en", "ko"), default="en")
    parser.add_argument("--json", action="store_true", help="end with the cart as JSON")
    parser.add_argument("--max-frames", type=int)
    parser.add_argument(
        "--fps", type=float, default=15.0, help="detection rate the tracker's delays assume"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from checkout_edge import trt_models
    from checkout_edge.sources import FrameSource

    try:
        products = read_catalog(find_catalog(args.bundle))
        detector, _ = trt_models.open_bundle_models(args.bundle, want_embedder=False)
    except (EngineError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        source = FrameSource(args.source)
    except OSError as exc:
        detector.close()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cart = EdgeCart(products, detector.class_names)
    tracker = CountTracker(TrackerConfig.for_fps(args.fps))
    try:
        return run_checkout(
            detector, cart, tracker, source.read, sys.stdout, args.lang, args.json, args.max_frames
        )
    except KeyboardInterrupt:
        sys.stdout.write(f"\nstopped. Final cart: {cart.describe(args.lang)}\n")
        return 0
    finally:
        source.close()
        detector.close()


if __name__ == "__main__":
    sys.exit(main())
