"""Who is it, and is it anyone at all: SVM over enrolled templates + unknown rejection.

A face is accepted as person P only when
1. the SVM (linear SVC, one-vs-one) predicts P, and P wins every pairwise SVM by at least
   ``min_svm_margin`` (an ambiguous face between two people is rejected), and
2. the cosine distance to P's nearest enrolled template is under ``unknown_distance_threshold``
   (a stranger is far from everyone, however the SVM splits the space).
With one enrolled person there is no SVM: the distance gate alone decides. ``SVC(probability=
True)`` is deliberately not used: deprecated in scikit-learn 1.9, and its Platt probabilities
were a poor unknown gate (≈ 0.5 for right faces vs ≈ 0.35 for strangers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

# The vector maths is shared with the Nano runtime, which matches faces without scikit-learn.
from checkout_edge.matcher import pairwise_margins, unit_rows

# Chosen with ``faces calibrate --augment 20`` on every face at hand offline (the shared photos
# and three more, 19 people, 20 variants of each face; README): two different women among the
# shared strangers are 0.46 apart with the CASIA-WebFace FaceNet, and with the earlier 0.55 / 0.2
# a stranger paid as someone else in 135 of 1,345 attempts (seeds 0-2). 0.42 / 0.4: 1 of 1,345,
# and 97.8 % of 491 shopper attempts identified on a single frame (100 % before). A wrong account
# is worse than a fallback to staff. Tuned on those 19 people: a store calibrates on its own.
DEFAULT_UNKNOWN_DISTANCE = 0.42
DEFAULT_MIN_SVM_MARGIN = 0.4


@dataclass(frozen=True)
class RecognitionPolicy:
    unknown_distance_threshold: float = DEFAULT_UNKNOWN_DISTANCE
    min_svm_margin: float = DEFAULT_MIN_SVM_MARGIN
    svm_c: float = 10.0

    def __post_init__(self) -> None:
        # Beyond 1 (orthogonal embeddings) a threshold accepts nearly any face as someone.
        threshold = self.unknown_distance_threshold
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"unknown_distance_threshold must be in (0, 1], got {threshold}")
        if self.min_svm_margin < 0:
            raise ValueError(f"min_svm_margin must be >= 0, got {self.min_svm_margin}")


@dataclass(frozen=True)
class MatchResult:
    """``person_id`` is None when unknown; ``candidate_id`` is who it looked most like.

    ``distance``: cosine distance to the candidate's nearest template (inf with no one
    enrolled); ``svm_margin``: the candidate's smallest pairwise SVM decision value (None with
    fewer than two people); ``reason``: "accepted", "no_one_enrolled", "too_far" or "ambiguous".
    """

    person_id: int | None
    candidate_id: int | None
    distance: float
    svm_margin: float | None
    reason: str


class FaceMatcher:
    """In-memory classifier over templates; rebuilt (``fit``) whenever the people change."""

    def __init__(self, policy: RecognitionPolicy = RecognitionPolicy()) -> None:
        self.policy = policy
        self._templates = np.zeros((0, 0))
        self._owners = np.zeros(0, np.int64)
        self._svm = None

    def fit(self, person_ids: Sequence[int], embeddings: np.ndarray) -> None:
        """Replace every template: ``embeddings[i]`` belongs to ``person_ids[i]``."""
        owners = np.asarray(person_ids, np.int64)
        templates = (
            unit_rows(embeddings).reshape(len(owners), -1) if len(owners) else np.zeros((0, 0))
        )
        self._svm = None
        if len(np.unique(owners)) >= 2:
            from sklearn.svm import SVC

            svm = SVC(kernel="linear", C=self.policy.svm_c, decision_function_shape="ovo")
            self._svm = svm.fit(templates, owners)
        self._templates, self._owners = templates, owners

    @property
    def person_ids(self) -> list[int]:
        return sorted(set(self._owners.tolist()))

    def nearest_distances(self, embedding: np.ndarray) -> dict[int, float]:
        """Cosine distance from ``embedding`` to each person's nearest template."""
        if not len(self._owners):
            return {}
        distances = 1.0 - self._templates @ unit_rows(embedding).ravel()
        return {pid: float(distances[self._owners == pid].min()) for pid in self.person_ids}

    def match(self, embedding: np.ndarray) -> MatchResult:
        nearest = self.nearest_distances(embedding)
        if not nearest:
            return MatchResult(None, None, float("inf"), None, "no_one_enrolled")
        margin = None
        if self._svm is None:
            candidate = next(iter(nearest))
        else:
            row = unit_rows(embedding).reshape(1, -1)
            candidate = int(self._svm.predict(row)[0])
            decision = self._svm.decision_function(row)[0]
            margin = pairwise_margins(decision, self._svm.classes_.tolist(), candidate)
        distance = nearest[candidate]
        if distance >= self.policy.unknown_distance_threshold:
            return MatchResult(None, candidate, distance, margin, "too_far")
        if margin is not None and margin < self.policy.min_svm_margin:
            return MatchResult(None, candidate, distance, margin, "ambiguous")
        return MatchResult(candidate, candidate, distance, margin, "accepted")
