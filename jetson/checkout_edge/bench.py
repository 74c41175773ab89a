"""Nano benchmark: per-stage latency of the detector and FaceNet engines, with tegrastats samples
(RAM, GPU load, power, temperature) taken during the run, written as one JSON file.

    python3 -m checkout_edge.bench --bundle DIR [--source 0|csi|video|image] [--frames 300]
                                   [--out bench.json]

Stages per detector frame: capture, preprocess (letterbox), inference (host->device copy,
engine, device->host copy), postprocess (decoding + NMS), end to end. FaceNet at batch 1
(payment) and at the profile's largest batch (enrollment). The numbers to quote from a noisy
board are medians and the end-to-end / inference ratio; the JSON also records the TensorRT
version, the GPU, the board and its power mode, since a Nano in 5 W mode is a different machine.
Without ``--source`` the detector sees a fixed noise image: latency, not accuracy, is measured
(an empty counter gives few candidate boxes, so postprocess is at its cheapest).
Python 3.6-compatible.
"""

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import time
from typing import Callable, Dict, Optional, Sequence

import numpy as np

from checkout_edge.engines import EngineError
from checkout_edge.tegrastats import TegrastatsSampler, summarize

logger = logging.getLogger(__name__)

DETECTOR_STAGES = ("capture", "preprocess", "inference", "postprocess")
JETSON_MODEL_FILE = "/proc/device-tree/model"


def stats(values_ms: Sequence[float]) -> Dict[str, float]:
    """median / p95 / mean / min in milliseconds (the desktop bench's keys, plus min)."""
    arr = np.asarray(values_ms, np.float64)
    if arr.size == 0:
        raise ValueError("no timings")
    return {
        "median_ms": round(float(np.median(arr)), 3),
        "p95_ms": round(float(np.percentile(arr, 95)), 3),
        "mean_ms": round(float(arr.mean()), 3),
        "min_ms": round(float(arr.min()), 3),
    }


def bench_detector(
    detector,
    read_frame: Callable[[], Optional[np.ndarray]],
    frames: int,
    warmup: int,
    clock: Callable[[], float] = time.perf_counter,
) -> Dict:
    """Run ``detector.detect`` on ``frames`` frames after ``warmup`` unmeasured ones.

    ``read_frame`` returns a BGR image or None when the source has ended. The first calls are
    slow on TensorRT (lazy CUDA module loading, clocks ramping up), hence the warm-up.
    """
    per_stage = {stage: [] for stage in DETECTOR_STAGES}  # type: Dict[str, List[float]]
    frame_ms = []  # type: List[float]
    detections = []  # type: List[int]
    measured = 0
    started = None
    for index in range(warmup + frames):
        t0 = clock()
        image = read_frame()
        t1 = clock()
        if image is None:
            break
        boxes = detector.detect(image)[0]
        t2 = clock()
        if index < warmup:
            continue
        if started is None:
            started = t0
        per_stage["capture"].append((t1 - t0) * 1000.0)
        for stage in ("preprocess", "inference", "postprocess"):
            per_stage[stage].append(detector.last_timings_ms[stage])
        frame_ms.append((t2 - t0) * 1000.0)
        detections.append(len(boxes))
        measured += 1
    if measured == 0:
        raise ValueError("the source ended before any frame could be measured")
    elapsed = clock() - started
    stages = {stage: stats(values) for stage, values in per_stage.items()}
    inference = stages["inference"]["mean_ms"]
    return {
        "frames": measured,
        "warmup_frames": warmup,
        "stages": stages,
        "end_to_end": stats(frame_ms),
        "end_to_end_fps": round(measured / elapsed, 2) if elapsed > 0 else None,
        "end_to_end_to_inference_ratio": round(float(np.mean(frame_ms)) / inference, 3)
        if inference > 0
        else None,
        "detections_per_frame_mean": round(float(np.mean(detections)), 2),
    }


def bench_embedder(embedder, batch_sizes: Sequence[int], repeats: int, warmup: int) -> Dict:
    """FaceNet latency per batch size; per-face time shows what batching buys."""
    rng = np.random.RandomState(0)
    result = {}
    for batch in batch_sizes:
        crops = [rng.randint(0, 256, (160, 160, 3)).astype(np.uint8) for _ in range(batch)]
        per_stage = {"preprocess": [], "inference": [], "postprocess": []}  # type: Dict
        total = []  # type: List[float]
        for index in range(warmup + repeats):
            t0 = time.perf_counter()
            vectors = embedder.embed(crops)
            elapsed_ms = (time.perf_counter() - t0) * 1000.0
            if vectors.shape[0] != batch:
                raise RuntimeError(f"FaceNet returned {vectors.shape[0]} vectors for {batch}")
            if index >= warmup:
                total.append(elapsed_ms)
                for stage in per_stage:
                    per_stage[stage].append(embedder.last_timings_ms[stage])
        entry = {stage: stats(values) for stage, values in per_stage.items()}
        entry["total"] = stats(total)
        entry["per_face_median_ms"] = round(entry["total"]["median_ms"] / batch, 3)
        result[f"batch_{batch}"] = entry
    return result


def _read_text(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            return handle.read().rstrip(b"\x00").decode("utf-8", "replace").strip() or None
    except OSError:
        return None


def _power_mode() -> Optional[str]:
    """``nvpmodel -q``'s mode (e.g. "MAXN 0"), None off a Jetson."""
    try:
        output = subprocess.check_output(
            ["nvpmodel", "-q"], stderr=subprocess.DEVNULL, universal_newlines=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = [line.split(":", 1)[-1].strip() for line in output.splitlines() if line.strip()]
    return " ".join(lines) or None


def machine_info(identity=None) -> Dict:
    info = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "board": _read_text(JETSON_MODEL_FILE),
        "l4t": _read_text("/etc/nv_tegra_release"),
        "power_mode": _power_mode(),
    }
    if identity is not None:
        info.update(identity.as_dict())
    return info


def run_bench(
    detector,
    embedder,
    read_frame: Callable[[], Optional[np.ndarray]],
    frames: int = 300,
    warmup: int = 20,
    face_batches: Sequence[int] = (1,),
    face_repeats: int = 50,
    sampler: Optional[TegrastatsSampler] = None,
    machine: Optional[Dict] = None,
    source: str = "",
) -> Dict:
    """Benchmark both models under one tegrastats sampler; returns the JSON-ready result."""
    sampling = sampler.start() if sampler is not None else False
    try:
        result = {
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "source": source,
            "detector": bench_detector(detector, read_frame, frames, warmup),
            "facenet": None,
        }
        if embedder is not None:
            result["facenet"] = bench_embedder(embedder, face_batches, face_repeats, warmup)
    finally:
        samples = sampler.stop() if sampler is not None else []
    result["tegrastats"] = {"running": sampling, "summary": summarize(samples), "samples": samples}
    result["machine"] = machine or {}
    return result


def write_json(result: Dict, path: str) -> None:
    """Write ``result`` atomically (a half-written file would look like a finished run)."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temporary = path + ".part"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(temporary, path)


def noise_frames(width: int = 640, height: int = 480) -> Callable[[], np.ndarray]:
    image = np.random.RandomState(0).randint(0, 256, (height, width, 3)).astype(np.uint8)
    return lambda: image


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m checkout_edge.bench", description=__doc__)
    parser.add_argument("--bundle", required=True, help="the exported bundle folder")
    parser.add_argument("--source", help="camera index, csi, video or image (default: noise)")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--face-repeats", type=int, default=50)
    parser.add_argument("--no-faces", action="store_true", help="skip FaceNet")
    parser.add_argument("--tegrastats-ms", type=int, default=500)
    parser.add_argument("--out", default="bench.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from checkout_edge import engines, trt_models

    try:
        identity = engines.runtime_identity()
        detector, embedder = trt_models.open_bundle_models(
            args.bundle, identity, want_embedder=not args.no_faces
        )
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    source = None
    try:
        if args.source:
            from checkout_edge.sources import FrameSource

            source = FrameSource(args.source)

            def read_frame():
                frame = source.read()
                return None if frame is None else frame[0]

        else:
            read_frame = noise_frames()
        face_batches = [1] if embedder is None else sorted({1, embedder.max_batch})
        result = run_bench(
            detector,
            embedder,
            read_frame,
            frames=args.frames,
            warmup=args.warmup,
            face_batches=face_batches,
            face_repeats=args.face_repeats,
            sampler=TegrastatsSampler(args.tegrastats_ms),
            machine=machine_info(identity),
            source=args.source or "noise 640x480",
        )
        result["engines"] = {"detector": os.path.basename(detector.engine_path)}
        if embedder is not None:
            result["engines"]["facenet"] = os.path.basename(embedder.engine_path)
    finally:
        if source is not None:
            source.close()
        detector.close()
        if embedder is not None:
            embedder.close()
    write_json(result, args.out)
    det = result["detector"]
    print(
        "detector: {} fps end to end, inference median {} ms; written {}".format(
            det["end_to_end_fps"], det["stages"]["inference"]["median_ms"], args.out
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
