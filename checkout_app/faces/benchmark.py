"""``faces bench``: latency of each face stage on this machine, as JSON.

Medians of repeated runs after a warm-up: MTCNN per 640×480 frame, FaceNet per face (torch and
cv2.dnn), identify (detect + embed + registry) per frame, and enrollment of four poses.
"""

from __future__ import annotations

import itertools
import platform
import statistics
import time
from typing import Callable

import cv2
import numpy as np

from checkout_app.faces.registry import FaceRegistry, NewTemplate
from checkout_app.faces.types import CROP_SIZE, EMBEDDING_SIZE, FaceDetector, FaceEmbedder

FRAME_SIZE = (640, 480)


def frame_640x480(image: np.ndarray | None) -> np.ndarray:
    """``image`` letterboxed into a 640×480 BGR frame (a plain grey frame when None)."""
    w, h = FRAME_SIZE
    frame = np.full((h, w, 3), 127, np.uint8)
    if image is None:
        return frame
    scale = min(w / image.shape[1], h / image.shape[0])
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    resized = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    y, x = (h - size[1]) // 2, (w - size[0]) // 2
    frame[y : y + size[1], x : x + size[0]] = resized
    return frame


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def median_ms(fn: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def run_face_benchmark(
    frame: np.ndarray,
    detector: FaceDetector,
    torch_embedder: FaceEmbedder,
    cv2_embedder: FaceEmbedder | None,
    registry: FaceRegistry,
    repeats: int = 5,
    store_people: int = 50,
) -> dict:
    """Latencies in ms; ``registry`` should be a throwaway one: ``store_people`` synthetic people
    (four random templates each) are enrolled into it before enrollment and identify are timed."""
    faces = detector.detect(frame)
    crop = faces[0].crop if faces else np.full((CROP_SIZE, CROP_SIZE, 3), 127, np.uint8)
    result = {
        "frame": f"{frame.shape[1]}x{frame.shape[0]}",
        "faces_in_frame": len(faces),
        "machine": platform.processor() or platform.machine(),
        "repeats": repeats,
        "torch_threads": _torch_threads(),
        "mtcnn_ms_per_frame": median_ms(lambda: detector.detect(frame), repeats),
        "facenet_torch_ms_per_face": median_ms(lambda: torch_embedder.embed([crop]), repeats),
        "facenet_torch_ms_per_face_batch8": round(
            median_ms(lambda: torch_embedder.embed([crop] * 8), max(1, repeats // 2)) / 8, 2
        ),
    }
    if cv2_embedder is not None:
        result["facenet_cv2dnn_ms_per_face"] = median_ms(
            lambda: cv2_embedder.embed([crop]), repeats
        )

    names = itertools.count(1)

    def enroll_four_poses() -> None:
        frames = [detector.detect(frame) for _ in range(4)]
        crops = [f[0].crop if f else crop for f in frames]
        embeddings = torch_embedder.embed(crops)
        templates = [
            NewTemplate(e, pose, "bench")
            for e, pose in zip(embeddings, ("front", "right", "down", "left"))
        ]
        registry.enroll(f"bench person {next(names)}", templates, consent=True)

    # A store-sized registry, so enrollment (store + retrain) and identify are realistic.
    rng = np.random.default_rng(0)
    for i in range(store_people):
        vectors = rng.normal(size=(4, EMBEDDING_SIZE))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        registry.enroll(f"synthetic {i}", [NewTemplate(v, "image", "bench") for v in vectors], True)
    result["enroll_4_poses_ms"] = median_ms(enroll_four_poses, max(1, repeats // 2), warmup=0)

    def identify() -> None:
        for face in detector.detect(frame):
            registry.identify(torch_embedder.embed([face.crop])[0])

    result["identify_ms_per_frame"] = median_ms(identify, repeats)
    result["registered_people"] = len(registry.people())
    return result
