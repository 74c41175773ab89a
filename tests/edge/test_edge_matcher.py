"""checkout_edge.matcher: FaceMatcher's decisions from the exported registry, no sklearn."""

from __future__ import annotations

import json

import numpy as np
import pytest
from checkout_edge.matcher import (
    REGISTRY_FORMAT,
    RegistryFormatError,
    RegistryMatcher,
    build_registry_dict,
)

from checkout_app.export.registry_export import registry_dict
from checkout_app.faces.matcher import FaceMatcher, RecognitionPolicy


def people_for(ids):
    return [{"id": int(i), "display_name": f"person {i}"} for i in sorted(set(ids))]


def assert_same_decisions(matcher: FaceMatcher, edge: RegistryMatcher, queries) -> dict:
    reasons: dict[str, int] = {}
    for query in queries:
        want, got = matcher.match(query), edge.match(query)
        assert (got.person_id, got.candidate_id, got.reason) == (
            want.person_id,
            want.candidate_id,
            want.reason,
        )
        assert got.distance == pytest.approx(want.distance, abs=1e-9)
        if want.svm_margin is None:
            assert got.svm_margin is None
        else:
            assert got.svm_margin == pytest.approx(want.svm_margin, abs=1e-6)
        reasons[want.reason] = reasons.get(want.reason, 0) + 1
    return reasons


@pytest.mark.parametrize("people", [1, 2, 3, 6])
def test_same_decisions_as_face_matcher_on_random_embeddings(people):
    rng = np.random.default_rng(people)
    centres = rng.normal(size=(people, 512))
    owners = np.repeat(np.arange(10, 10 + people), 4)
    embeddings = centres[owners - 10] + 0.6 * rng.normal(size=(len(owners), 512))
    policy = RecognitionPolicy(unknown_distance_threshold=0.9, min_svm_margin=0.2)
    matcher = FaceMatcher(policy)
    matcher.fit(owners, embeddings)
    exported = registry_dict(owners.tolist(), embeddings, people_for(owners), "emb", policy)
    # Through JSON, as the Nano reads it.
    edge = RegistryMatcher(json.loads(json.dumps(exported)))
    between = [(centres[i] + centres[i + 1]) / 2 for i in range(people - 1)]  # ambiguous faces
    queries = [
        *(centres + 0.6 * rng.normal(size=centres.shape)),
        *between,
        *rng.normal(size=(25, 512)),
    ]
    reasons = assert_same_decisions(matcher, edge, queries)
    assert reasons.get("accepted", 0) >= people  # acceptances are covered, not only rejections
    assert reasons.get("too_far", 0) > 0
    if people > 1:
        assert reasons.get("ambiguous", 0) > 0


def test_no_one_enrolled():
    edge = RegistryMatcher(build_registry_dict("emb", [], np.zeros((0, 512)), [], None, 0.5, 0.2))
    assert edge.match(np.ones(512)).reason == "no_one_enrolled"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other/1"}, "format"),
        ({"svm": None}, "no SVM"),
        ({"svm": {"classes": [1, 2, 3], "coef": [[0.0] * 512], "intercept": [0.0]}}, "rows"),
        ({"owners": None}, "incomplete"),
    ],
)
def test_a_broken_registry_is_refused(change, message):
    rng = np.random.default_rng(0)
    policy = RecognitionPolicy()
    data = registry_dict([1, 2], rng.normal(size=(2, 512)), people_for([1, 2]), "emb", policy)
    assert data["format"] == REGISTRY_FORMAT
    data.update(change)
    with pytest.raises(RegistryFormatError, match=message):
        RegistryMatcher(data)
