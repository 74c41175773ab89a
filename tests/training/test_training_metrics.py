"""Checkout and detection metrics against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from checkout_app.training.metrics import (
    Truth,
    average_precision,
    checkout_metrics,
    confusion_matrix,
    count_matrix,
    detection_map,
)
from checkout_app.vision.detections import Detections, box_iou

BOX_A = [0, 0, 10, 10]
BOX_B = [20, 0, 30, 10]
BOX_C = [40, 40, 60, 60]


def det(boxes, class_ids, confidence=None) -> Detections:
    confidence = [0.9] * len(class_ids) if confidence is None else confidence
    return Detections(np.asarray(boxes, float).reshape(-1, 4), confidence, class_ids)


def truth(boxes, class_ids) -> Truth:
    return Truth(np.asarray(boxes, np.float32).reshape(-1, 4), np.asarray(class_ids, np.int64))


# --- box_iou --------------------------------------------------------------------------------


def test_box_iou_of_half_overlapping_boxes_is_a_third():
    iou = box_iou(np.array([BOX_A]), np.array([[5, 0, 15, 10], BOX_B, BOX_A]))
    np.testing.assert_allclose(iou, [[1 / 3, 0.0, 1.0]])


def test_box_iou_handles_empty_and_degenerate_boxes():
    assert box_iou(np.zeros((0, 4)), np.array([BOX_A])).shape == (0, 1)
    assert box_iou(np.array([[5, 5, 5, 5]]), np.array([[5, 5, 5, 5]]))[0, 0] == 0.0


# --- counts and checkout metrics ------------------------------------------------------------


def test_count_matrix_counts_each_class_per_image():
    counts = count_matrix([np.array([0, 0, 2]), np.array([], np.int64), np.array([1])], 3)
    np.testing.assert_array_equal(counts, [[2, 0, 1], [0, 0, 0], [0, 1, 0]])


def test_count_matrix_rejects_unknown_class():
    with pytest.raises(ValueError, match="out of range"):
        count_matrix([np.array([3])], 3)


@pytest.mark.parametrize(
    ("pred", "true", "expected"),
    [
        pytest.param(
            [[2, 1], [1, 0]],
            [[2, 1], [1, 0]],
            {"cAcc": 1.0, "ACD": 0.0, "mCCD": 0.0, "mCIoU": 1.0},
            id="perfect",
        ),
        # image 0 misses one of two class-0 items: class 0 off by 1 of 3, IoU 2/3; class 1 exact.
        pytest.param(
            [[1, 1], [1, 0]],
            [[2, 1], [1, 0]],
            {"cAcc": 0.5, "ACD": 0.5, "mCCD": (1 / 3 + 0) / 2, "mCIoU": (2 / 3 + 1) / 2},
            id="one-missing",
        ),
        # an extra class-1 item: class 1 never present (skipped in mCCD), IoU 0/1.
        pytest.param(
            [[1, 1]],
            [[1, 0]],
            {"cAcc": 0.0, "ACD": 1.0, "mCCD": 0.0, "mCIoU": 0.5},
            id="extra",
        ),
        pytest.param(
            [[0, 1]],
            [[1, 0]],
            {"cAcc": 0.0, "ACD": 2.0, "mCCD": 1.0, "mCIoU": 0.0},
            id="swap",
        ),
        # an empty counter seen as empty is right; no class is ever present, so mCCD/mCIoU undefined
        pytest.param(
            [[0, 0]],
            [[0, 0]],
            {"cAcc": 1.0, "ACD": 0.0, "mCCD": math.nan, "mCIoU": math.nan},
            id="empty-image",
        ),
        pytest.param(
            [[0, 0], [0, 0]],
            [[1, 0], [0, 2]],
            {"cAcc": 0.0, "ACD": 1.5, "mCCD": 1.0, "mCIoU": 0.0},
            id="no-predictions",
        ),
    ],
)
def test_checkout_metrics(pred, true, expected):
    result = checkout_metrics(np.array(pred), np.array(true))
    assert result.keys() == expected.keys()
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, nan_ok=True), key


def test_checkout_metrics_of_no_images_are_undefined():
    result = checkout_metrics(np.zeros((0, 3), int), np.zeros((0, 3), int))
    assert all(math.isnan(v) for v in result.values())


def test_checkout_metrics_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        checkout_metrics(np.zeros((2, 3), int), np.zeros((2, 4), int))


# --- average precision ----------------------------------------------------------------------


def test_average_precision_reads_101_recall_points():
    # recall 0..0.5 (51 points) at precision 1, 0.51..1 (50 points) at precision 0.5
    assert average_precision([0.5, 1.0], [1.0, 0.5]) == pytest.approx(76 / 101)


def test_average_precision_uses_the_precision_envelope():
    # the dip to 0.5 at recall 0.5 is lifted to the 2/3 reached later
    ap = average_precision([0.5, 0.5, 1.0], [1.0, 0.5, 2 / 3])
    assert ap == pytest.approx((51 * 1.0 + 50 * 2 / 3) / 101)


def test_average_precision_of_nothing_is_zero():
    assert average_precision([], []) == 0.0


# --- detection mAP --------------------------------------------------------------------------


def test_detection_map_of_perfect_predictions_is_one():
    truths = [truth([BOX_A, BOX_B], [0, 1]), truth([BOX_C], [0])]
    preds = [det([BOX_A, BOX_B], [0, 1]), det([BOX_C], [0])]
    result = detection_map(preds, truths, n_classes=3)
    assert result["mAP50"] == pytest.approx(1.0)
    assert result["mAP50_95"] == pytest.approx(1.0)
    assert result["AP50"][:2] == pytest.approx([1.0, 1.0])
    assert math.isnan(result["AP50"][2])  # class 2 never present: left out of the mean


def test_detection_map_with_one_missing_item_reaches_half_recall():
    result = detection_map([det([BOX_A], [0])], [truth([BOX_A, BOX_B], [0, 0])], n_classes=1)
    assert result["mAP50"] == pytest.approx(51 / 101)


@pytest.mark.parametrize(
    ("extra_confidence", "expected"),
    [
        pytest.param(0.5, 1.0, id="extra-below-true-hit"),
        # the false positive ranks first: precision is 0.5 at every recall
        pytest.param(0.95, 0.5, id="extra-above-true-hit"),
    ],
)
def test_detection_map_with_an_extra_item(extra_confidence, expected):
    preds = [det([BOX_A, BOX_B], [0, 0], [0.9, extra_confidence])]
    result = detection_map(preds, [truth([BOX_A], [0])], n_classes=1)
    assert result["mAP50"] == pytest.approx(expected)


def test_detection_map_class_swap_scores_zero():
    result = detection_map([det([BOX_A], [1])], [truth([BOX_A], [0])], n_classes=2)
    assert result["mAP50"] == 0.0
    assert result["AP50"][0] == 0.0
    assert math.isnan(result["AP50"][1])


def test_detection_map_without_predictions_is_zero():
    result = detection_map([Detections.empty()], [truth([BOX_A], [0])], n_classes=1)
    assert result["mAP50"] == 0.0
    assert result["mAP50_95"] == 0.0


def test_detection_map_of_empty_images_is_undefined():
    result = detection_map([Detections.empty()], [truth([], [])], n_classes=2)
    assert math.isnan(result["mAP50"])
    assert math.isnan(result["mAP50_95"])


def test_detection_map_averages_iou_thresholds():
    # IoU exactly 0.75: a hit at thresholds 0.50..0.75 (6 of 10), a miss above
    result = detection_map([det([[0, 0, 10, 7.5]], [0])], [truth([BOX_A], [0])], n_classes=1)
    assert result["mAP50"] == pytest.approx(1.0)
    assert result["mAP50_95"] == pytest.approx(0.6)


def test_detection_map_matches_each_true_box_once():
    # two detections on one item: the second is a false positive
    preds = [det([BOX_A, [0, 0, 10, 9]], [0, 0], [0.9, 0.8]), det([BOX_B], [0], [0.7])]
    truths = [truth([BOX_A], [0]), truth([BOX_B], [0])]
    # ranked hits: TP, FP, TP -> recall 0.5, 0.5, 1; precision 1, 0.5, 2/3
    assert detection_map(preds, truths, n_classes=1)["mAP50"] == pytest.approx(
        (51 + 50 * 2 / 3) / 101
    )


def test_detection_map_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="prediction sets"):
        detection_map([], [truth([BOX_A], [0])], n_classes=1)


# --- confusion matrix -----------------------------------------------------------------------


def test_confusion_matrix_rows_predicted_columns_true_with_background():
    truths = [truth([BOX_A, BOX_B, BOX_C], [0, 1, 1])]
    # A right, B swapped to class 0, C missed, and a false positive far away
    preds = [det([BOX_A, BOX_B, [80, 80, 90, 90]], [0, 0, 1])]
    matrix = confusion_matrix(preds, truths, n_classes=2)
    np.testing.assert_array_equal(
        matrix,
        [
            [1, 1, 0],  # predicted 0: true 0, true 1 (swap)
            [0, 0, 1],  # predicted 1: a false positive
            [0, 1, 0],  # background: the missed class-1 item
        ],
    )


def test_confusion_matrix_ignores_detections_below_min_confidence():
    matrix = confusion_matrix(
        [det([BOX_A], [0], [0.2])], [truth([BOX_A], [0])], n_classes=1, min_confidence=0.25
    )
    np.testing.assert_array_equal(matrix, [[0, 0], [1, 0]])


def test_confusion_matrix_pairs_each_true_box_once():
    matrix = confusion_matrix(
        [det([BOX_A, [0, 0, 10, 9]], [0, 0])], [truth([BOX_A], [0])], n_classes=1
    )
    np.testing.assert_array_equal(matrix, [[1, 1], [0, 0]])
