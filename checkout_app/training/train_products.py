"""``checkout-app train products``: render a dataset and train the YOLO product detector.

Offline by construction: the network is built from its model YAML (no pretrained download),
ultralytics is told not to touch the network or pip, and its plots (which fetch a font) are off.
``--init-from`` instead continues from an earlier model (fine-tuning on freshly rendered scenes).
Scenes render in parallel processes (the same scenes for a seed, whatever their number).
``--recipe shipped`` is the one command that reproduces the shipped model. The result is a
``.pt`` file plus a JSON sidecar that records how it was made: command, device, wall time.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from checkout_app.backends.torch_device import describe_device, resolve_device
from checkout_app.backends.ultralytics_env import prepare_ultralytics
from checkout_app.models_meta import file_sha256, write_sidecar
from checkout_app.progress import ProgressBar
from checkout_app.training.dataset import Crowding, write_yolo_dataset

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainConfig:
    architecture: str = "yolov8n"  # or "yolo11n"
    train_images: int = 2500
    val_images: int = 250
    epochs: int = 16
    imgsz: int = 320
    batch: int = 16
    seed: int = 0
    device: str = "auto"  # "auto": the first CUDA GPU when there is one, else "cpu"
    init_from: Path | None = None  # continue from a trained .pt instead of the model YAML
    crowding: tuple = (Crowding(),)  # crowding levels the scenes take in turn
    jobs: int = 1  # rendering processes
    workers: int = 2  # ultralytics data-loader processes (it caps them at the CPU count)
    cache: str | None = None  # "ram" or "disk": decode each image once, not every epoch
    time_hours: float | None = None  # ultralytics' time budget; replaces epochs when set
    recipe: str | None = None  # the named recipe these settings started from


# Named recipes: one command that reproduces a shipped model. "shipped" made
# models/products_yolov8n.pt: 9,000 scenes at three crowding levels (none; 30 % of the products
# against another plus one more non-product; 50 % plus one), 24 epochs at 416 px from the YAML.
RECIPES: dict = {
    "shipped": {
        "train_images": 9000,
        "val_images": 300,
        "crowding": (Crowding(0.0, 0), Crowding(0.3, 1), Crowding(0.5, 1)),
        "imgsz": 416,
        "batch": 64,
        "epochs": 24,
        "workers": 14,
        "cache": "ram",
    },
}


# Augmentations that fit a fixed top-down camera: the renderer already rotates, lights and
# warps; hue must stay put because flavour variants differ mainly in colour.
_AUGMENT = dict(
    hsv_h=0.0,
    hsv_s=0.3,
    hsv_v=0.3,
    degrees=0.0,
    translate=0.1,
    scale=0.25,
    fliplr=0.5,
    flipud=0.5,
    mosaic=1.0,
    close_mosaic=3,
    warmup_epochs=1.0,
)


def train_products(
    config: TrainConfig,
    class_names: Sequence[str],
    out_path: Path,
    work_dir: Path,
    command: str,
) -> dict:
    """Render, train and write ``out_path`` (+ sidecar). Returns the sidecar dict."""
    started = time.time()
    device = resolve_device(config.device)
    data_dir = work_dir / "datasets" / f"products-seed{config.seed}-{config.train_images}"
    if data_dir.exists():
        shutil.rmtree(data_dir)
    bar = ProgressBar(f"Rendering training scenes ({config.jobs} processes)")
    data_yaml = write_yolo_dataset(
        data_dir,
        class_names,
        train_images=config.train_images,
        val_images=config.val_images,
        seed=config.seed,
        crowding=config.crowding,
        jobs=config.jobs,
        progress=bar.update,
    )
    bar.close()
    render_seconds = time.time() - started

    prepare_ultralytics(work_dir, verbose=True)
    from ultralytics import YOLO

    model = YOLO(str(config.init_from) if config.init_from else f"{config.architecture}.yaml")
    run_dir = work_dir / "runs"
    budget = {"time": config.time_hours} if config.time_hours else {}
    results = model.train(
        data=str(data_yaml),
        epochs=config.epochs,
        imgsz=config.imgsz,
        batch=config.batch,
        device=device,
        workers=config.workers,
        cache=config.cache or False,
        seed=config.seed,
        deterministic=True,
        pretrained=config.init_from is not None,
        # No mixed precision: ultralytics' AMP check downloads a model, which must never happen.
        amp=False,
        plots=False,
        project=str(run_dir),
        name="products",
        exist_ok=True,
        verbose=True,
        **budget,
        **_AUGMENT,
    )
    best = Path(model.trainer.best)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(best, out_path)
    metrics = {
        k.replace("metrics/", ""): round(float(v), 4)
        for k, v in getattr(results, "results_dict", {}).items()
    }
    sidecar = {
        "task": "detect",
        "architecture": config.architecture,
        "class_names": list(class_names),
        "input_size": [config.imgsz, config.imgsz],
        "preprocessing": "letterbox to input_size, BGR->RGB, /255, NCHW float32",
        "training_command": command,
        "recipe": config.recipe,
        "data_seed": config.seed,
        "train_images": config.train_images,
        "val_images": config.val_images,
        "crowding": [str(level) for level in config.crowding],
        "epochs": config.epochs,
        "epochs_run": int(model.trainer.epoch) + 1,
        "time_hours": config.time_hours,
        "batch": config.batch,
        "cache": config.cache,
        "init_from": None
        if config.init_from is None
        else {"file": config.init_from.name, "sha256": file_sha256(config.init_from)},
        "device": describe_device(device),
        "render_jobs": config.jobs,
        "render_seconds": round(render_seconds),
        "train_seconds": round(time.time() - started),
        "python": sys.version.split()[0],
        "sha256": file_sha256(out_path),
        "val_metrics": metrics,
    }
    write_sidecar(out_path, sidecar)
    log.info("wrote %s (%s)", out_path, json.dumps(metrics))
    return sidecar
