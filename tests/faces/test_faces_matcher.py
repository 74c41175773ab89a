"""Unknown rejection: distance gate, SVM margin gate, one person, nobody."""

from __future__ import annotations

import numpy as np
import pytest
from face_vectors import unit

from checkout_app.faces.matcher import FaceMatcher, RecognitionPolicy, pairwise_margins

ALICE, BOB, CAROL = unit(1), unit(2), unit(3)


def fitted(policy: RecognitionPolicy | None = None, people=(ALICE, BOB, CAROL)) -> FaceMatcher:
    matcher = FaceMatcher(policy or RecognitionPolicy())
    ids = [pid for pid, _ in enumerate(people, start=1) for _ in range(2)]
    vectors = [
        unit(10 * pid + k, near=base, spread=0.3)
        for pid, base in enumerate(people, 1)
        for k in range(2)
    ]
    matcher.fit(ids, np.stack(vectors))
    return matcher


def test_enrolled_people_are_accepted_with_a_clear_margin():
    matcher = fitted()
    for pid, base in enumerate((ALICE, BOB, CAROL), start=1):
        result = matcher.match(unit(99, near=base, spread=0.3))
        assert (result.person_id, result.reason) == (pid, "accepted")
        assert result.distance < 0.2 and result.svm_margin > 0.5


def test_a_stranger_is_rejected_as_too_far():
    result = fitted().match(unit(42))
    assert result.person_id is None and result.reason == "too_far"
    assert result.candidate_id in (1, 2, 3) and result.distance > 0.8


def test_a_face_between_two_people_is_ambiguous():
    halfway = (ALICE + BOB) / 2
    policy = RecognitionPolicy(unknown_distance_threshold=1.0, min_svm_margin=0.2)
    result = fitted(policy).match(halfway)
    assert result.person_id is None and result.reason == "ambiguous"
    assert abs(result.svm_margin) < 0.2


def test_one_person_uses_the_distance_alone():
    matcher = fitted(people=(ALICE,))
    accepted = matcher.match(unit(7, near=ALICE, spread=0.3))
    assert accepted.person_id == 1 and accepted.svm_margin is None
    assert matcher.match(BOB).reason == "too_far"


def test_nobody_enrolled_means_unknown():
    result = FaceMatcher().match(ALICE)
    assert (result.person_id, result.reason) == (None, "no_one_enrolled")


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.01, 2.0])
def test_thresholds_that_accept_anything_or_nothing_are_refused(threshold):
    with pytest.raises(ValueError, match="unknown_distance_threshold"):
        RecognitionPolicy(unknown_distance_threshold=threshold)


def test_the_distance_gate_is_strict():
    matcher = fitted(RecognitionPolicy(unknown_distance_threshold=0.05))
    assert matcher.match(unit(99, near=ALICE, spread=0.3)).reason == "too_far"


def test_pairwise_margins_read_sklearn_ovo_signs():
    # Pairs (0,1), (0,2), (1,2): positive means the pair's first class wins.
    assert pairwise_margins(np.array([0.9, 0.5, -2.0]), [10, 20, 30], 10) == pytest.approx(0.5)
    assert pairwise_margins(np.array([-0.9, 0.5, 0.7]), [10, 20, 30], 20) == pytest.approx(0.7)
    # Binary: one value, positive means the second class wins.
    assert pairwise_margins(np.array([0.8]), [10, 20], 20) == pytest.approx(0.8)
    assert pairwise_margins(np.array([0.8]), [10, 20], 10) == pytest.approx(-0.8)
