"""Rendered product datasets: YOLO-format training sets and held-out evaluation scenes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import cv2
import numpy as np

from checkout_app.vision.synthetic.scene import RenderedScene, render_scene, sample_scene

MAX_ITEMS = 12
ProgressFn = Callable[[int, int], None]


def _items_for(index: int, rng: np.random.Generator) -> int:
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


def write_yolo_dataset(
    out_dir: Path,
    class_names: Sequence[str],
    *,
    train_images: int,
    val_images: int,
    seed: int,
    touching: float = 0.0,
    extra_distractors: int = 0,
    progress: ProgressFn | None = None,
) -> Path:
    """Render a train/val dataset in YOLO layout under ``out_dir``; returns its data.yaml.

    ``touching`` and ``extra_distractors`` crowd the scenes (see ``sample_scene``).
    """
    rng = np.random.default_rng(seed)
    total = train_images + val_images
    done = 0
    for split, count in (("train", train_images), ("val", val_images)):
        image_dir = out_dir / "images" / split
        label_dir = out_dir / "labels" / split
        image_dir.mkdir(parents=True, exist_ok=True)
        label_dir.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            layout = sample_scene(
                rng,
                class_names,
                _items_for(i, rng),
                touching=touching,
                extra_distractors=extra_distractors,
            )
            scene = render_scene(layout, rng)
            stem = f"{split}_{i:06d}"
            cv2.imwrite(
                str(image_dir / f"{stem}.jpg"),
                scene.image,
                [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(75, 96))],
            )
            (label_dir / f"{stem}.txt").write_text("\n".join(yolo_label_lines(scene, class_names)))
            done += 1
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
