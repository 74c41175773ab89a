from __future__ import annotations

import json

import pytest

from checkout_app.vision.tracking_metrics import evaluate_tracking, truth_changes

E: dict = {}
A = {"cola": 1}
AA = {"cola": 2}
AB = {"cola": 1, "chips": 1}


def test_perfect_prediction() -> None:
    truth = [E, E, A, A, AB, AB]
    report = evaluate_tracking(truth, truth, fps=15.0, settle_window_frames=0)
    assert report.frame_cart_accuracy == 1.0
    assert (report.frames, report.scored_frames, report.correct_frames) == (6, 6, 6)
    assert report.changes == 2
    assert report.predicted_changes == 2
    assert report.settle_frames == (0, 0)
    assert report.unsettled_changes == 0
    assert report.median_settle_s == 0.0


def test_lagging_prediction_by_hand() -> None:
    # frame:     0  1  2  3  4  5  6   7   8   9
    truth = [E, E, A, A, A, A, AB, AB, AB, AB]
    pred = [E, E, E, E, A, A, A, A, AB, AB]
    report = evaluate_tracking(pred, truth, fps=10.0, settle_window_frames=2)
    # Changes at 2 and 6; frames 2, 3, 6, 7 are settling. Scored: 0, 1, 4, 5, 8, 9 - all right.
    assert report.changes == 2
    assert report.scored_frames == 6
    assert report.correct_frames == 6
    assert report.frame_cart_accuracy == 1.0
    assert report.settle_frames == (2, 2)
    assert report.median_settle_frames == 2.0
    assert report.median_settle_s == pytest.approx(0.2)
    assert report.max_settle_frames == 2
    assert report.predicted_changes == 2


def test_flicker_costs_accuracy_and_delays_settling() -> None:
    # frame:     0  1  2  3  4  5  6  7
    truth = [A, A, A, A, A, A, A, A]
    pred = [E, A, A, E, A, A, A, A]  # drops the can for one frame at 3
    report = evaluate_tracking(pred, truth, fps=15.0, settle_window_frames=1)
    # Change at 0 (non-empty first frame). Scored frames 1..7, frame 3 wrong.
    assert report.changes == 1
    assert report.scored_frames == 7
    assert report.correct_frames == 6
    assert report.frame_cart_accuracy == pytest.approx(6 / 7)
    # Right from frame 4 to the end: settled after 4 frames, not after 1.
    assert report.settle_frames == (4,)
    assert report.predicted_changes == 3


def test_change_that_never_settles() -> None:
    # frame:     0  1  2  3   4   5   6
    truth = [A, A, A, AA, AA, A, A]
    pred = [A, A, A, A, A, A, A]  # the second can is never seen
    report = evaluate_tracking(pred, truth, fps=15.0, settle_window_frames=1)
    # Changes at 0, 3, 5. Settling: 0, 3, 5. Scored 1, 2, 4, 6; frame 4 wrong.
    assert report.changes == 3
    assert report.unsettled_changes == 1
    assert report.settle_frames == (0, 0)
    assert report.frame_cart_accuracy == pytest.approx(3 / 4)


def test_nothing_settles_and_nothing_is_scored() -> None:
    report = evaluate_tracking([E, E], [A, A], fps=15.0, settle_window_frames=5)
    assert report.scored_frames == 0
    assert report.frame_cart_accuracy is None
    assert report.unsettled_changes == 1
    assert report.median_settle_frames is None
    assert report.median_settle_s is None
    assert report.max_settle_frames is None


def test_median_of_settle_times() -> None:
    # Changes at 0, 4, 8 with settle times 1, 3, 2.
    truth = [A] * 4 + [AA] * 4 + [AB] * 4
    pred = [E, A, A, A] + [A, A, A, AA] + [A, A, AB, AB]
    report = evaluate_tracking(pred, truth, fps=15.0, settle_window_frames=3)
    assert report.settle_frames == (1, 3, 2)
    assert report.median_settle_frames == 2.0
    # Scored frames: 3, 7, 11 - all right.
    assert (report.scored_frames, report.correct_frames) == (3, 3)


def test_zero_counts_and_class_id_keys() -> None:
    truth = [{0: 1, 1: 0}, {0: 1}]
    pred = [{0: 1}, {0: 1, 2: 0}]
    report = evaluate_tracking(pred, truth, fps=15.0, settle_window_frames=0)
    assert report.frame_cart_accuracy == 1.0
    assert report.changes == 1


def test_to_dict_is_json_ready() -> None:
    report = evaluate_tracking([E, A], [E, A], fps=15.0, settle_window_frames=0)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["settle_frames"] == [0]
    assert data["frame_cart_accuracy"] == 1.0
    assert data["fps"] == 15.0


@pytest.mark.parametrize(
    ("truth", "expected"),
    [
        ([], []),
        ([E, E], []),
        ([A, A, E], [0, 2]),
        ([E, {"cola": 0}, A, AB, AB, A], [2, 3, 5]),
    ],
)
def test_truth_changes(truth: list, expected: list) -> None:
    assert truth_changes(truth) == expected


@pytest.mark.parametrize(
    ("predicted", "truth", "fps", "window", "message"),
    [
        ([E], [E, E], 15.0, 0, "predicted carts"),
        ([E], [E], 0.0, 0, "fps"),
        ([E], [E], float("nan"), 0, "fps"),
        ([E], [E], 15.0, -1, "settle_window_frames"),
        ([{"cola": -1}], [E], 15.0, 0, "negative count"),
    ],
)
def test_rejects_bad_input(predicted, truth, fps, window, message) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate_tracking(predicted, truth, fps=fps, settle_window_frames=window)
