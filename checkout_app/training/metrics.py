"""Product-recognition metrics, pure numpy: checkout accuracy (RPC) and detection mAP (COCO).

Checkout metrics follow Wei et al., "RPC: A Large-Scale Retail Product Checkout Dataset" (2019):
with P_ik / GT_ik the predicted / true count of class k in image i,

- cAcc: share of images where every class count is exactly right,
- ACD: mean over images of Σ_k |P_ik − GT_ik|,
- mCCD: mean over classes of Σ_i |P_ik − GT_ik| / Σ_i GT_ik (classes never present skipped),
- mCIoU: mean over classes of Σ_i min(P_ik, GT_ik) / Σ_i max(P_ik, GT_ik).

Detection AP follows COCO: per class, detections sorted by confidence are matched greedily (each
to the unmatched true box it overlaps most), precision is made monotone and read at 101 recall
points; mAP50 uses IoU 0.5, mAP50_95 averages IoU 0.50:0.05:0.95; classes without true boxes are
left out of the mean. Undefined values (nothing to average) are NaN.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from checkout_app.vision.detections import Detections, box_iou

IOU_THRESHOLDS = np.round(np.arange(0.5, 0.951, 0.05), 2)  # 0.50, 0.55, …, 0.95
_RECALL_POINTS = np.linspace(0.0, 1.0, 101)


class Truth(NamedTuple):
    """The true products in one image: xyxy boxes (n×4) and class ids (n)."""

    xyxy: np.ndarray
    class_id: np.ndarray


# --- checkout accuracy ----------------------------------------------------------------------


def count_matrix(class_ids_per_image: Sequence[np.ndarray], n_classes: int) -> np.ndarray:
    """(N, K) int array: how many items of each class each image holds."""
    counts = np.zeros((len(class_ids_per_image), n_classes), np.int64)
    for i, ids in enumerate(class_ids_per_image):
        ids = np.asarray(ids, np.int64).ravel()
        if len(ids) and (ids.min() < 0 or ids.max() >= n_classes):
            raise ValueError(f"class id out of range 0..{n_classes - 1} in image {i}")
        counts[i] = np.bincount(ids, minlength=n_classes)
    return counts


def checkout_metrics(pred_counts: np.ndarray, true_counts: np.ndarray) -> dict[str, float]:
    """cAcc, ACD, mCCD and mCIoU from (N, K) predicted and true count matrices."""
    pred = np.asarray(pred_counts, np.int64)
    true = np.asarray(true_counts, np.int64)
    if pred.shape != true.shape or pred.ndim != 2:
        raise ValueError(
            f"count matrices must be the same (N, K) shape: {pred.shape}, {true.shape}"
        )
    if len(true) == 0:
        nan = float("nan")
        return {"cAcc": nan, "ACD": nan, "mCCD": nan, "mCIoU": nan}
    error = np.abs(pred - true)
    per_image_error = error.sum(axis=1)
    true_per_class = true.sum(axis=0)
    present = true_per_class > 0
    union = np.maximum(pred, true).sum(axis=0)
    overlapping = union > 0
    return {
        "cAcc": float(np.mean(per_image_error == 0)),
        "ACD": float(per_image_error.mean()),
        "mCCD": _mean_or_nan(error.sum(axis=0)[present] / true_per_class[present]),
        "mCIoU": _mean_or_nan(np.minimum(pred, true).sum(axis=0)[overlapping] / union[overlapping]),
    }


def _mean_or_nan(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else float("nan")


# --- detection AP ---------------------------------------------------------------------------


def average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    """COCO 101-point interpolated AP from recall/precision taken in confidence order."""
    recall = np.asarray(recall, np.float64)
    precision = np.asarray(precision, np.float64)
    if len(recall) == 0:
        return 0.0
    # Interpolated precision at recall r is the best precision at any recall >= r.
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    index = np.searchsorted(recall, _RECALL_POINTS, side="left")
    sampled = np.where(index < len(recall), envelope[np.minimum(index, len(recall) - 1)], 0.0)
    return float(sampled.mean())


def _match_image_class(iou: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per threshold, which detections (rows of ``iou``, sorted by confidence) are true hits."""
    hits = np.zeros((len(thresholds), iou.shape[0]), bool)
    for t, threshold in enumerate(thresholds):
        taken = np.zeros(iou.shape[1], bool)
        for d in range(iou.shape[0]):
            candidates = np.where(taken, -1.0, iou[d])
            best = int(np.argmax(candidates)) if len(candidates) else -1
            if best >= 0 and candidates[best] >= threshold:
                taken[best] = True
                hits[t, d] = True
    return hits


def detection_map(
    preds: Sequence[Detections], truths: Sequence[Truth], n_classes: int
) -> dict[str, object]:
    """mAP50, mAP50_95 and per-class AP50 / AP50_95 (NaN for classes without true boxes)."""
    if len(preds) != len(truths):
        raise ValueError(f"{len(preds)} prediction sets for {len(truths)} images")
    scores: list[list[np.ndarray]] = [[] for _ in range(n_classes)]
    hits: list[list[np.ndarray]] = [[] for _ in range(n_classes)]
    n_true = np.zeros(n_classes, np.int64)
    for pred, truth in zip(preds, truths):
        true_ids = np.asarray(truth.class_id, np.int64).ravel()
        true_boxes = np.asarray(truth.xyxy, np.float64).reshape(-1, 4)
        n_true += np.bincount(true_ids, minlength=n_classes)[:n_classes]
        for k in np.unique(np.concatenate([pred.class_id, true_ids])):
            mine = np.flatnonzero(pred.class_id == k)
            if not len(mine):
                continue
            # Stable sort so equal confidences keep the detector's order, as COCO does.
            mine = mine[np.argsort(-pred.confidence[mine], kind="stable")]
            iou = box_iou(pred.xyxy[mine], true_boxes[true_ids == k])
            scores[k].append(pred.confidence[mine])
            hits[k].append(_match_image_class(iou, IOU_THRESHOLDS))
    ap = np.full((n_classes, len(IOU_THRESHOLDS)), np.nan)
    for k in range(n_classes):
        if n_true[k] == 0:
            continue
        if not scores[k]:
            ap[k] = 0.0
            continue
        order = np.argsort(-np.concatenate(scores[k]), kind="stable")
        class_hits = np.concatenate(hits[k], axis=1)[:, order]
        for t in range(len(IOU_THRESHOLDS)):
            tp = np.cumsum(class_hits[t])
            fp = np.cumsum(~class_hits[t])
            ap[k, t] = average_precision(tp / n_true[k], tp / (tp + fp))
    has_truth = n_true > 0
    return {
        "mAP50": _mean_or_nan(ap[has_truth, 0]),
        "mAP50_95": _mean_or_nan(ap[has_truth].mean(axis=1)),
        "AP50": ap[:, 0].tolist(),
        "AP50_95": ap.mean(axis=1).tolist(),
    }


# --- confusion matrix -----------------------------------------------------------------------


def confusion_matrix(
    preds: Sequence[Detections],
    truths: Sequence[Truth],
    n_classes: int,
    *,
    iou: float = 0.5,
    min_confidence: float = 0.25,
) -> np.ndarray:
    """(K+1)×(K+1) counts, rows = predicted class, columns = true class, as ultralytics does.

    Detections at or above ``min_confidence`` are paired one-to-one with true boxes by IoU
    (highest first, class-blind, IoU > ``iou``) so a right box with the wrong flavour shows up as
    a swap. The last row counts missed true items (predicted "background"), the last column
    detections with no true item under them (false positives).
    """
    background = n_classes
    matrix = np.zeros((n_classes + 1, n_classes + 1), np.int64)
    for pred, truth in zip(preds, truths):
        pred = pred.above(min_confidence)
        true_ids = np.asarray(truth.class_id, np.int64).ravel()
        overlap = box_iou(truth.xyxy, pred.xyxy)
        true_index, pred_index = np.nonzero(overlap > iou)
        order = np.argsort(-overlap[true_index, pred_index], kind="stable")
        true_taken = np.zeros(len(true_ids), bool)
        pred_taken = np.zeros(len(pred), bool)
        for t, p in zip(true_index[order], pred_index[order]):
            if true_taken[t] or pred_taken[p]:
                continue
            true_taken[t] = pred_taken[p] = True
            matrix[pred.class_id[p], true_ids[t]] += 1
        np.add.at(matrix, (background, true_ids[~true_taken]), 1)
        np.add.at(matrix, (pred.class_id[~pred_taken], background), 1)
    return matrix
