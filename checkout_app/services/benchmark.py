"""Pipeline benchmark: per-stage latency and end-to-end FPS, written as JSON by the CLI.

Absolute numbers depend on the machine and on what else runs on it; the ratio of end-to-end time
to bare inference time is the number that holds across noisy runs.
"""

from __future__ import annotations

import platform
import time

import numpy as np

from checkout_app.camera.source import FrameSource
from checkout_app.services.checkout_pipeline import STAGES, CheckoutPipeline


def _stats(values: list[float]) -> dict[str, float]:
    arr = np.asarray(values, np.float64)
    return {
        "median_ms": round(float(np.median(arr)), 3),
        "p95_ms": round(float(np.percentile(arr, 95)), 3),
        "mean_ms": round(float(arr.mean()), 3),
    }


def benchmark_pipeline(
    pipeline: CheckoutPipeline, source: FrameSource, *, max_frames: int, warmup_frames: int = 5
) -> dict:
    per_stage: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "detect")}
    frame_ms: list[float] = []
    started = None
    frames = 0
    last = time.perf_counter()
    for i, result in enumerate(pipeline.run(source)):
        now = time.perf_counter()
        if i == warmup_frames:
            started = last  # end-to-end clock starts after warm-up
        if i >= warmup_frames:
            frame_ms.append((now - last) * 1000)
            for stage in per_stage:
                per_stage[stage].append(result.timings_ms.get(stage, 0.0))
            frames += 1
        last = now
        if frames >= max_frames:
            break
    if not frames or started is None:
        raise ValueError("the source ended before any frame could be measured")
    elapsed = time.perf_counter() - started
    stages = {stage: _stats(v) for stage, v in per_stage.items()}
    inference_mean = stages["inference"]["mean_ms"]
    return {
        "frames": frames,
        "stages": {s: stages[s] for s in STAGES},
        "detector_call": stages["detect"],
        "end_to_end": _stats(frame_ms),
        "end_to_end_fps": round(frames / elapsed, 2),
        "end_to_end_to_inference_ratio": round(float(np.mean(frame_ms)) / inference_mean, 3)
        if inference_mean > 0
        else None,
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor(),
            "python": platform.python_version(),
        },
    }
