"""Rendered product datasets: YOLO-format training sets and held-out evaluation scenes."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import cv2
import numpy as np

from checkout_app.vision.synthetic.scene import RenderedScene, render_scene, sample_scene

MAX_ITEMS = 12
ProgressFn = Callable[[int, int], None]
SPLITS = ("train", "val")
# Scenes per task handed to a rendering process: large enough that the pickling is cheap, small
# enough that the progress bar moves and the last process does not finish long after the rest.
_CHUNK = 25


@dataclass(frozen=True)
class Crowding:
    """How crowded a rendered counter is (see ``sample_scene``): the share of products put down
    against another one, and how many non-products are added on top of the usual ones."""

    touching: float = 0.0
    extra_distractors: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.touching <= 1.0:
            raise ValueError(f"touching must be within 0..1, got {self.touching}")
        if self.extra_distractors < 0:
            raise ValueError(f"extra distractors cannot be negative, got {self.extra_distractors}")

    @classmethod
    def parse(cls, text: str) -> Crowding:
        """``"0.3:1"`` -> touching 0.3, one extra distractor (``"0.3"`` alone: none)."""
        touching, _, extra = text.partition(":")
        try:
            return cls(float(touching), int(extra or 0))
        except ValueError as exc:
            raise ValueError(
                f"crowding {text!r}: {exc} (write TOUCHING:EXTRA, e.g. 0.3:1)"
            ) from None

    def __str__(self) -> str:
        return f"{self.touching:g}:{self.extra_distractors}"


def _items_for(rng: np.random.Generator) -> int:
    """Item count for a training scene: every count 0..MAX_ITEMS, empty counters rarer."""
    return 0 if rng.random() < 0.04 else int(rng.integers(1, MAX_ITEMS + 1))


def yolo_label_lines(scene: RenderedScene, class_names: Sequence[str]) -> list[str]:
    """One ``class cx cy w h`` line (normalised to the image) per product."""
    h, w = scene.image.shape[:2]
    index = {name: i for i, name in enumerate(class_names)}
    lines = []
    for (x0, y0, x1, y1), name in zip(scene.boxes, scene.class_names):
        cx, cy = (x0 + x1) / 2 / w, (y0 + y1) / 2 / h
        lines.append(f"{index[name]} {cx:.6f} {cy:.6f} {(x1 - x0) / w:.6f} {(y1 - y0) / h:.6f}")
    return lines


def render_training_scene(
    out_dir: Path,
    class_names: Sequence[str],
    seed: int,
    crowding: Sequence[Crowding],
    split: str,
    index: int,
) -> None:
    """Render scene ``index`` of ``split`` and write its image and YOLO label under ``out_dir``.

    The scene depends only on (seed, split, index): its random numbers come from a generator
    seeded with exactly those, so any number of processes renders the same dataset. Scenes take
    the crowding levels in turn (scene i: ``crowding[i % len(crowding)]``).
    """
    rng = np.random.default_rng([seed, SPLITS.index(split), index])
    level = crowding[index % len(crowding)]
    layout = sample_scene(
        rng,
        class_names,
        _items_for(rng),
        touching=level.touching,
        extra_distractors=level.extra_distractors,
    )
    scene = render_scene(layout, rng)
    stem = f"{split}_{index:06d}"
    cv2.imwrite(
        str(out_dir / "images" / split / f"{stem}.jpg"),
        scene.image,
        [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(75, 96))],
    )
    label = out_dir / "labels" / split / f"{stem}.txt"
    label.write_text("\n".join(yolo_label_lines(scene, class_names)))


def _render_chunk(out_dir: Path, class_names, seed, crowding, split, indices) -> int:
    # OpenCV's own threads would fight the other rendering processes for the same cores.
    cv2.setNumThreads(1)
    for index in indices:
        render_training_scene(out_dir, class_names, seed, crowding, split, index)
    return len(indices)


def write_yolo_dataset(
    out_dir: Path,
    class_names: Sequence[str],
    *,
    train_images: int,
    val_images: int,
    seed: int,
    crowding: Sequence[Crowding] = (Crowding(),),
    jobs: int = 1,
    progress: ProgressFn | None = None,
) -> Path:
    """Render a train/val dataset in YOLO layout under ``out_dir`` with ``jobs`` processes;
    returns its data.yaml. The files are the same whatever ``jobs`` is."""
    if not crowding:
        raise ValueError("give at least one crowding level")
    tasks = []
    for split, count in zip(SPLITS, (train_images, val_images)):
        (out_dir / "images" / split).mkdir(parents=True, exist_ok=True)
        (out_dir / "labels" / split).mkdir(parents=True, exist_ok=True)
        for start in range(0, count, _CHUNK):
            indices = range(start, min(count, start + _CHUNK))
            tasks.append((out_dir, list(class_names), seed, tuple(crowding), split, indices))
    total, done = train_images + val_images, 0
    if jobs <= 1:
        for task in tasks:
            done += _render_chunk(*task)
            if progress:
                progress(done, total)
    else:
        # "spawn", not fork: forking a process that already runs threads (torch, Qt, a camera
        # worker) can copy a held lock into the child, which then hangs forever.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
            for finished in as_completed([pool.submit(_render_chunk, *task) for task in tasks]):
                done += finished.result()
                if progress:
                    progress(done, total)
    data_yaml = out_dir / "data.yaml"
    names = "\n".join(f"  {i}: {name}" for i, name in enumerate(class_names))
    data_yaml.write_text(
        f"path: {out_dir.resolve()}\ntrain: images/train\nval: images/val\nnames:\n{names}\n"
    )
    return data_yaml


@dataclass
class EvalScene:
    """A held-out scene with its truth: boxes and class ids of every product."""

    image: np.ndarray
    boxes: np.ndarray
    class_ids: np.ndarray


def eval_scenes(
    class_names: Sequence[str], *, per_count: int, seed: int, max_items: int = MAX_ITEMS
) -> Iterator[EvalScene]:
    """``per_count`` scenes for every item count 1..max_items, rendered on the fly.

    Scenes that could not fit all requested items are redrawn, so each count is exact.
    """
    rng = np.random.default_rng(seed)
    index = {name: i for i, name in enumerate(class_names)}
    for count in range(1, max_items + 1):
        made = 0
        while made < per_count:
            scene = sample_scene(rng, class_names, count)
            if len(scene.products) != count:
                continue
            rendered = render_scene(scene, rng)
            ids = np.asarray([index[n] for n in rendered.class_names], np.int64)
            yield EvalScene(rendered.image, rendered.boxes, ids)
            made += 1
