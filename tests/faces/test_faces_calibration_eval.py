"""Calibration math, labels CSV parsing and eval counting."""

from __future__ import annotations

import numpy as np
import pytest
from face_vectors import unit

from checkout_app.faces.calibration import (
    PairDistances,
    calibration_report,
    pair_distances,
    people_pair_far,
    plot_far_frr,
    suggest_thresholds,
    threshold_curve,
)
from checkout_app.faces.evaluation import EvalCounts, pick_listed_faces, read_labels


def test_pair_distances_split_same_and_different():
    a, b = unit(1), unit(2)
    pairs = pair_distances(["a", "a", "b"], np.stack([a, a, b]))
    assert pairs.genuine == pytest.approx([0.0], abs=1e-6)
    assert len(pairs.impostor) == 2


def test_faces_of_one_source_are_never_paired():
    a, b = unit(1), unit(2)
    # Two variants of one photo of "a" and one of "b": no genuine pair, two impostor pairs.
    pairs = pair_distances(["a", "a", "b"], np.stack([a, a, b]), sources=["p1", "p1", "p2"])
    assert len(pairs.genuine) == 0
    assert len(pairs.impostor) == 2
    assert pairs.impostor_people.tolist() == [0, 0]


def test_people_pairs_with_a_false_accept():
    a, b, c = unit(1), unit(2), unit(3)
    vectors = np.stack([a, a, b, c, c])
    vectors[3] = unit(30, near=a, spread=0.05)  # one photo of c looks like a
    pairs = pair_distances(["a", "a", "b", "c", "c"], vectors)
    assert len(pairs.impostor) == 8 and pairs.impostor_people.max() == 2
    counted = people_pair_far(pairs, threshold=0.3)
    # Only the people pair (a, c) had an accept, with two of its four pairs.
    assert counted["people_pairs"] == 3
    assert counted["far_people"] == pytest.approx(1 / 3, abs=1e-4)
    assert counted["far_people_ci95"][1] > 0.9


def test_threshold_curve_and_suggestions():
    pairs = PairDistances(genuine=np.array([0.1, 0.2, 0.4]), impostor=np.array([0.5, 0.8, 0.9]))
    curve = threshold_curve(pairs, np.array([0.15, 0.3, 0.45, 0.6]))
    assert curve.far.tolist() == [0, 0, 0, pytest.approx(1 / 3)]
    assert curve.frr.tolist() == [pytest.approx(2 / 3), pytest.approx(1 / 3), 0, 0]
    suggested = suggest_thresholds(curve, genuine_pairs=3, impostor_pairs=3)
    assert suggested["far_zero"]["threshold"] == 0.45
    assert suggested["best_accuracy"]["accuracy"] == 1.0
    # No false accept in three tries bounds the rate only at 71 %: far from proof.
    assert suggested["far_zero"]["far_ci95"] == [0.0, pytest.approx(0.7076, abs=1e-4)]


@pytest.mark.parametrize(
    ("errors", "trials", "low", "high"),
    [(0, 3688, 0.0, 0.001), (0, 300, 0.0, 0.0122), (5, 100, 0.0164, 0.1128), (3, 3, 0.2924, 1.0)],
)
def test_rate_intervals_are_clopper_pearson(errors, trials, low, high):
    from checkout_app.faces.calibration import rate_interval

    assert rate_interval(errors, trials) == (
        pytest.approx(low, abs=1e-4),
        pytest.approx(high, abs=1e-4),
    )


def test_calibration_needs_both_kinds_of_pairs():
    with pytest.raises(ValueError, match="same-person"):
        threshold_curve(PairDistances(np.array([]), np.array([0.5])), np.array([0.5]))


def test_calibration_report_and_plot(tmp_path):
    vectors = [
        unit(k, near=unit(p), spread=0.3) for p in (1, 2, 3) for k in range(10 * p, 10 * p + 3)
    ]
    report = calibration_report(["a"] * 3 + ["b"] * 3 + ["c"] * 3, np.stack(vectors))
    assert (report["genuine_pairs"], report["impostor_pairs"]) == (9, 27)
    assert report["suggested"]["far_zero"]["people_pairs"] == 3
    assert report["suggested"]["far_zero"]["far_people"] == 0.0
    assert report["suggested"]["far_zero"]["frr"] == 0.0
    plot_far_frr(report, tmp_path / "far_frr.png")
    assert (tmp_path / "far_frr.png").stat().st_size > 1000


def test_read_labels(tmp_path):
    csv_path = tmp_path / "labels.csv"
    csv_path.write_text("file,people_left_to_right\nt/a.jpg,ann;bob\nu/x.png,UNKNOWN\n\n")
    rows = read_labels(csv_path)
    assert [(r.path, r.people) for r in rows] == [
        (tmp_path / "t/a.jpg", ["ann", "bob"]),
        (tmp_path / "u/x.png", ["UNKNOWN"]),
    ]


@pytest.mark.parametrize(
    "text, message",
    [("name,who\na.jpg,x\n", "header"), ("file,people_left_to_right\na.jpg,\n", "no people")],
)
def test_bad_labels_are_reported(tmp_path, text, message):
    csv_path = tmp_path / "labels.csv"
    csv_path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_labels(csv_path)


def test_listed_faces_are_the_largest_left_to_right():
    boxes = [(500, 0, 600, 100), (0, 0, 20, 20), (100, 0, 180, 80)]
    assert pick_listed_faces(boxes, 2) == [2, 0]


def test_eval_counts():
    counts = EvalCounts()
    counts.add("ann", "ann")
    counts.add("ann", "bob")
    counts.add("bob", None)
    counts.add("bob", None, detected=False)
    counts.add("UNKNOWN", None)
    counts.add("UNKNOWN", "ann")
    summary = counts.summary()
    assert summary["identification_accuracy"] == 0.25
    assert summary["wrong_person_rate"] == 0.25
    assert summary["false_accept_rate"] == 0.5
    assert (summary["registered_rejected"], summary["registered_missed"]) == (1, 1)
