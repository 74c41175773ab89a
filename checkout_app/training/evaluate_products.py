"""Product-recognition evaluation on held-out rendered scenes: metrics, report and plots.

``evaluate_products`` runs a ``ProductDetector`` over ``eval_scenes`` (exactly k items for
k = 1..max_items, a seed never used for training), then measures detection (mAP50, mAP50_95 on
every detection the detector returns) and checkout accuracy (RPC cAcc, ACD, mCCD, mCIoU on the
detections a kiosk would count: confidence >= ``min_confidence``), overall and by item count. It
writes plots a person can read at a glance: cAcc by item count against the target, a normalised
confusion matrix, and a few annotated failure images.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Callable, Sequence

import cv2
import numpy as np

from checkout_app.training.dataset import MAX_ITEMS, eval_scenes
from checkout_app.training.metrics import (
    Truth,
    checkout_metrics,
    confusion_matrix,
    count_matrix,
    detection_map,
)
from checkout_app.vision.detections import Detections, ProductDetector

log = logging.getLogger(__name__)

# Low enough that mAP sees the whole precision/recall curve (ultralytics validates at 0.001 too);
# counting applies the kiosk's confidence threshold on top.
MAP_MIN_CONFIDENCE = 0.001
DEFAULT_EVAL_SEED = 1000  # training renders with seed 0: a different seed keeps the set unseen
CACC_TARGET = 0.97  # issue target for the demo catalog on single frames with 1–12 items
MAX_FAILURE_IMAGES = 8
ProgressFn = Callable[[int, int], None]

_TRUE_BGR = (60, 180, 60)
_PRED_BGR = (40, 40, 220)
_FONT = cv2.FONT_HERSHEY_SIMPLEX


def load_eval_detector(model_path: Path | None, home: Path, backend: str) -> ProductDetector:
    """The product detector as this evaluation measures it: on ``backend`` (a named one, never
    "auto": a report says which runtime it measured), returning every detection down to
    ``MAP_MIN_CONFIDENCE``. The INT8 model loads whatever its accuracy gate says, since this
    evaluation is what the gate records."""
    from checkout_app.app import load_product_detector
    from checkout_app.backends.registry import ONNXRUNTIME_INT8, onnx_model_path
    from checkout_app.paths import DEFAULT_PRODUCT_MODEL

    source = model_path or DEFAULT_PRODUCT_MODEL
    if backend != ONNXRUNTIME_INT8:
        return load_product_detector(
            model_path, home, min_confidence=MAP_MIN_CONFIDENCE, backend=backend
        )
    from checkout_app.backends.onnxruntime_models import load_int8_detector

    return load_int8_detector(
        onnx_model_path(home, source),
        source,
        min_confidence=MAP_MIN_CONFIDENCE,
        require_selectable=False,
    )


def evaluate_products(
    detector: ProductDetector,
    class_names: Sequence[str],
    *,
    per_count: int,
    seed: int,
    min_confidence: float,
    out_dir: Path,
    max_items: int = MAX_ITEMS,
    progress: ProgressFn | None = None,
) -> dict:
    """Evaluate ``detector`` on ``per_count`` scenes per item count; write plots to ``out_dir``.

    The detector should return low-confidence detections too (mAP needs the whole
    precision/recall curve); counting uses only those at or above ``min_confidence``. Returns a
    JSON-able dict; undefined metrics are None and plot paths are relative to ``out_dir``.
    """
    names = list(class_names)
    if list(detector.class_names) != names:
        raise ValueError(
            f"detector classes {list(detector.class_names)} differ from the evaluated {names}"
        )
    n_classes = len(names)
    total = per_count * max_items
    preds: list[Detections] = []
    truths: list[Truth] = []
    detect_ms: list[float] = []
    gallery = _FailureGallery(MAX_FAILURE_IMAGES)
    for scene in eval_scenes(names, per_count=per_count, seed=seed, max_items=max_items):
        start = time.perf_counter()
        detections = detector.detect(scene.image)
        detect_ms.append((time.perf_counter() - start) * 1000)
        truth = Truth(scene.boxes, scene.class_ids)
        preds.append(detections)
        truths.append(truth)
        counted = detections.above(min_confidence)
        pred_row = np.bincount(counted.class_id, minlength=n_classes)
        true_row = np.bincount(truth.class_id, minlength=n_classes)
        if np.any(pred_row != true_row) and gallery.wants(len(truth.class_id)):
            lines = count_error_lines(pred_row, true_row, names)
            gallery.add(
                len(truth.class_id), annotate_failure(scene.image, truth, counted, names, lines)
            )
        if progress:
            progress(len(preds), total)

    pred_counts = count_matrix([p.above(min_confidence).class_id for p in preds], n_classes)
    true_counts = count_matrix([t.class_id for t in truths], n_classes)
    checkout = checkout_metrics(pred_counts, true_counts)
    detection = detection_map(preds, truths, n_classes)
    confusion = confusion_matrix(preds, truths, n_classes, min_confidence=min_confidence)
    items = true_counts.sum(axis=1)
    per_item_count = []
    for k in range(1, max_items + 1):
        rows = items == k
        by_count = checkout_metrics(pred_counts[rows], true_counts[rows])
        per_item_count.append(
            {
                "items": k,
                "images": int(rows.sum()),
                "cAcc": by_count["cAcc"],
                "ACD": by_count["ACD"],
            }
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    plots = {
        "cacc_by_item_count": "cacc_by_item_count.png",
        "confusion_matrix": "confusion_matrix.png",
        "failures": gallery.write(out_dir, "failures"),
    }
    title = f"{len(preds)} held-out images, seed {seed}, confidence >= {min_confidence:g}"
    plot_cacc_by_item_count(
        per_item_count, checkout["cAcc"], out_dir / plots["cacc_by_item_count"], title
    )
    plot_confusion_matrix(confusion, names, out_dir / plots["confusion_matrix"], title)

    report = {
        "images": len(preds),
        "mAP50": detection["mAP50"],
        "mAP50_95": detection["mAP50_95"],
        **checkout,
        "cAcc_target": CACC_TARGET,
        "per_item_count": per_item_count,
        "per_class": _per_class(names, detection, pred_counts, true_counts),
        "confusion_matrix": {
            "labels": [*names, "background"],
            "rows_predicted": confusion.tolist(),
        },
        "failed_images": int(np.any(pred_counts != true_counts, axis=1).sum()),
        "min_confidence": min_confidence,
        "seed": seed,
        "per_count": per_count,
        "max_items": max_items,
        "ms_per_image": float(np.mean(detect_ms)) if detect_ms else None,
        "ms_per_image_median": float(np.median(detect_ms)) if detect_ms else None,
        "plots": plots,
    }
    log.info(
        "evaluated %s images: cAcc %.4f, mAP50 %.4f",
        len(preds),
        checkout["cAcc"],
        detection["mAP50"],
    )
    return _json_safe(report)


def _per_class(
    names: list[str], detection: dict, pred_counts: np.ndarray, true_counts: np.ndarray
) -> list[dict]:
    error = np.abs(pred_counts - true_counts)
    return [
        {
            "name": name,
            "AP50": detection["AP50"][k],
            "AP50_95": detection["AP50_95"][k],
            "true_items": int(true_counts[:, k].sum()),
            "predicted_items": int(pred_counts[:, k].sum()),
            "count_errors": int(error[:, k].sum()),
            "images_with_wrong_count": int((error[:, k] > 0).sum()),
        }
        for k, name in enumerate(names)
    ]


def _json_safe(value):
    """NaN (an undefined metric) becomes None: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# --- failure images -------------------------------------------------------------------------


def count_error_lines(
    pred_row: np.ndarray, true_row: np.ndarray, names: Sequence[str]
) -> list[str]:
    """One "name: P predicted, T true" line per class whose count is wrong."""
    return [
        f"{names[k]}: {int(pred_row[k])} predicted, {int(true_row[k])} true"
        for k in np.flatnonzero(pred_row != true_row)
    ]


def annotate_failure(
    image: np.ndarray,
    truth: Truth,
    counted: Detections,
    names: Sequence[str],
    error_lines: Sequence[str],
) -> np.ndarray:
    """The image with true boxes (green) and counted detections (red, name and confidence),
    under a white banner that lists the wrong counts."""
    canvas = image.copy()
    for box in np.asarray(truth.xyxy).astype(int):
        cv2.rectangle(canvas, tuple(box[:2]), tuple(box[2:]), _TRUE_BGR, 3)
    for box, confidence, class_id in zip(
        counted.xyxy.astype(int), counted.confidence, counted.class_id
    ):
        cv2.rectangle(canvas, tuple(box[:2]), tuple(box[2:]), _PRED_BGR, 1)
        label = f"{names[class_id]} {confidence:.2f}"
        (w, h), _ = cv2.getTextSize(label, _FONT, 0.4, 1)
        x, y = int(box[0]), max(int(box[1]), h + 4)
        cv2.rectangle(canvas, (x, y - h - 4), (x + w + 2, y), _PRED_BGR, -1)
        cv2.putText(canvas, label, (x + 1, y - 3), _FONT, 0.4, (255, 255, 255), 1, cv2.LINE_AA)

    header = [f"{len(truth.class_id)} items; green = true, red = counted"]
    header += _wrap("; ".join(error_lines), canvas.shape[1] - 16, 0.5)
    line_h = 20
    banner = np.full((line_h * len(header) + 10, canvas.shape[1], 3), 255, np.uint8)
    for i, line in enumerate(header):
        colour = (90, 90, 90) if i == 0 else (0, 0, 170)
        cv2.putText(banner, line, (8, 20 + i * line_h), _FONT, 0.5, colour, 1, cv2.LINE_AA)
    return np.vstack([banner, canvas])


def _wrap(text: str, width_px: int, scale: float) -> list[str]:
    """Greedy word wrap so each line's rendered width fits ``width_px``."""
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and cv2.getTextSize(candidate, _FONT, scale, 1)[0][0] <= width_px:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


class _FailureGallery:
    """Keeps up to ``limit`` failures per item count (PNG-encoded, to bound memory), then picks
    ``limit`` of them round-robin across item counts so the few saved images show variety."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._by_count: dict[int, list[bytes]] = {}

    def wants(self, items: int) -> bool:
        return len(self._by_count.get(items, [])) < self.limit

    def add(self, items: int, image: np.ndarray) -> None:
        ok, png = cv2.imencode(".png", image)
        if ok:
            self._by_count.setdefault(items, []).append(png.tobytes())

    def write(self, out_dir: Path, folder: str) -> list[str]:
        picked: list[tuple[int, bytes]] = []
        for round_index in range(self.limit):
            for items in sorted(self._by_count):
                if len(picked) < self.limit and round_index < len(self._by_count[items]):
                    picked.append((items, self._by_count[items][round_index]))
        target = out_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        for stale in target.glob("failure_*.png"):  # a rerun must not mix in old failures
            stale.unlink()
        paths = []
        for i, (items, png) in enumerate(sorted(picked, key=lambda p: p[0])):
            name = f"{folder}/failure_{i + 1:02d}_items{items:02d}.png"
            (out_dir / name).write_bytes(png)
            paths.append(name)
        return paths


# --- plots ----------------------------------------------------------------------------------


def _figure(width: float, height: float):
    # A bare Figure renders with the Agg canvas without touching pyplot's global backend.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def plot_cacc_by_item_count(
    per_item_count: Sequence[dict], overall_cacc: float, path: Path, subtitle: str
) -> None:
    """Bar chart of cAcc per item count with the target line; bars under target in orange."""
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    items = [row["items"] for row in per_item_count]
    cacc = [np.nan if row["cAcc"] is None else row["cAcc"] for row in per_item_count]
    colours = ["#4aa8e8" if c >= CACC_TARGET else "#f08a24" for c in np.nan_to_num(cacc)]
    bars = ax.bar(items, np.nan_to_num(cacc), color=colours, edgecolor="#2b5d80", linewidth=0.6)
    for bar, value in zip(bars, cacc):
        if not np.isnan(value):
            ax.annotate(
                f"{value:.0%}",
                (bar.get_x() + bar.get_width() / 2, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=8,
            )
    ax.axhline(
        CACC_TARGET,
        color="#c0392b",
        linestyle="--",
        linewidth=1.2,
        label=f"target {CACC_TARGET:.0%}",
    )
    ax.set_xticks(items)
    ax.set_xticklabels([f"{row['items']}\n({row['images']})" for row in per_item_count], fontsize=8)
    ax.set_xlabel("items on the counter (images)")
    ax.set_ylabel("cAcc: every product count right")
    ax.set_ylim(0, 1.08)
    ax.set_title(
        f"Checkout accuracy by item count — overall {overall_cacc:.1%}\n{subtitle}", fontsize=10
    )
    ax.legend(loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    fig.savefig(path)


def plot_confusion_matrix(
    matrix: np.ndarray, names: Sequence[str], path: Path, subtitle: str
) -> None:
    """The confusion matrix normalised per true class (columns), as ultralytics draws it."""
    labels = [*names, "background"]
    totals = matrix.sum(axis=0, keepdims=True)
    normalised = np.divide(matrix, totals, out=np.zeros(matrix.shape), where=totals > 0)
    size = 3 + 0.5 * len(labels)
    fig = _figure(size + 1, size)
    ax = fig.add_subplot()
    image = ax.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    fig.colorbar(image, ax=ax, shrink=0.8, label="share of the true class")
    for (row, col), value in np.ndenumerate(normalised):
        if matrix[row, col]:
            ax.text(
                col,
                row,
                f"{value:.2f}".lstrip("0") if value < 1 else "1",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > 0.6 else "#222222",
            )
    ticks = np.arange(len(labels))
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel("true")
    ax.set_ylabel("predicted")
    ax.set_title(f"Confusion matrix (IoU > 0.5)\n{subtitle}", fontsize=10)
    fig.savefig(path)
