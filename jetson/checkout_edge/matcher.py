"""Face matching from an exported registry, in numpy: the desktop's decisions without sklearn.

The desktop (``checkout_app.faces.matcher.FaceMatcher``) accepts a face as person P only when a
linear one-vs-one SVM predicts P, P wins every pairwise SVM by at least ``min_svm_margin``, and
the cosine distance to P's nearest template is under ``unknown_distance_threshold``; with one
person enrolled the distance alone decides. ``checkout-app export --target jetson`` writes the
templates, their owners and the SVM's linear parameters (``coef``, ``intercept`` with
scikit-learn's one-vs-one sign convention) to ``registry.json``; this module repeats those
decisions with plain numpy, so the Nano does not depend on the desktop's scikit-learn version.

The file holds biometric data (face embeddings): keep it owner-only and delete a person on the
desktop, then re-export, to remove them from the Nano.
"""

import collections
import json
from typing import Dict, List, Optional, Sequence

import numpy as np

REGISTRY_FORMAT = "checkout_edge.registry/1"

EdgeMatch = collections.namedtuple(
    "EdgeMatch", ["person_id", "candidate_id", "distance", "svm_margin", "reason"]
)
EdgeMatch.__doc__ = """``person_id`` None when unknown; ``reason``: "accepted", "no_one_enrolled",
"too_far" or "ambiguous" (the same codes as the desktop's ``MatchResult``)."""


class RegistryFormatError(ValueError):
    """registry.json is missing fields, has another format, or its arrays disagree."""


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, np.float64)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    if np.any(norms < 1e-9):
        raise ValueError("zero-length embedding")
    return vectors / norms


def pairwise_margins(ovo_decision: np.ndarray, classes: Sequence[int], winner: int) -> float:
    """The smallest decision value by which ``winner`` beats each other class one-vs-one.

    Pairs run (0,1), (0,2), …, (1,2), …, positive meaning the pair's first class wins; with two
    classes there is one value, positive meaning the second class wins (scikit-learn's signs).
    """
    n = len(classes)
    k = list(classes).index(winner)
    values = np.atleast_1d(ovo_decision)
    if n == 2:
        return float(-values[0] if k == 0 else values[0])
    margins = []
    pair = 0
    for i in range(n):
        for j in range(i + 1, n):
            if i == k:
                margins.append(values[pair])
            elif j == k:
                margins.append(-values[pair])
            pair += 1
    return float(min(margins))


def ovo_predict(ovo_decision: np.ndarray, classes: Sequence[int]) -> int:
    """libsvm's one-vs-one vote: each pair's winner gets a vote; ties go to the lower index."""
    values = np.atleast_1d(ovo_decision)
    n = len(classes)
    if n == 2:
        return int(classes[1] if values[0] >= 0 else classes[0])
    votes = np.zeros(n, np.int64)
    pair = 0
    for i in range(n):
        for j in range(i + 1, n):
            votes[i if values[pair] > 0 else j] += 1
            pair += 1
    return int(classes[int(np.argmax(votes))])


def build_registry_dict(
    embedder: str,
    people: Sequence[Dict],
    templates: np.ndarray,
    owners: Sequence[int],
    svm: Optional[Dict],
    unknown_distance_threshold: float,
    min_svm_margin: float,
) -> Dict:
    """The JSON-able registry: ``svm`` is None or {"classes", "coef", "intercept"}."""
    return {
        "format": REGISTRY_FORMAT,
        "embedder": embedder,
        "people": list(people),
        "templates": unit_rows(templates).tolist() if len(owners) else [],
        "owners": [int(o) for o in owners],
        "svm": svm,
        "unknown_distance_threshold": float(unknown_distance_threshold),
        "min_svm_margin": float(min_svm_margin),
    }


class RegistryMatcher:
    """Identifies an embedding against an exported registry (see ``build_registry_dict``)."""

    def __init__(self, data: Dict) -> None:
        if data.get("format") != REGISTRY_FORMAT:
            raise RegistryFormatError(
                f"registry format {data.get('format')!r}, expected {REGISTRY_FORMAT!r}"
            )
        try:
            self.embedder = data["embedder"]
            self.names = {int(p["id"]): p["display_name"] for p in data["people"]}
            self._owners = np.asarray(data["owners"], np.int64)
            templates = np.asarray(data["templates"], np.float64)
            self._templates = templates.reshape(len(self._owners), -1) if templates.size else None
            self.unknown_distance_threshold = float(data["unknown_distance_threshold"])
            self.min_svm_margin = float(data["min_svm_margin"])
            svm = data["svm"]
        except (KeyError, TypeError, ValueError) as exc:
            raise RegistryFormatError(f"registry is incomplete: {exc}") from exc
        self._classes = []  # type: List[int]
        self._coef = None  # type: Optional[np.ndarray]
        self._intercept = None  # type: Optional[np.ndarray]
        if svm is not None:
            self._classes = [int(c) for c in svm["classes"]]
            self._coef = np.asarray(svm["coef"], np.float64)
            self._intercept = np.asarray(svm["intercept"], np.float64)
            pairs = len(self._classes) * (len(self._classes) - 1) // 2
            width = 0 if self._templates is None else self._templates.shape[1]
            if self._coef.shape != (pairs, width) or len(self._intercept) != pairs:
                raise RegistryFormatError(
                    f"SVM has {len(self._coef)} rows for {len(self._classes)} classes"
                )
        elif len(set(self._owners.tolist())) > 1:
            raise RegistryFormatError("several people enrolled but no SVM in the registry")

    @classmethod
    def load(cls, path: str) -> "RegistryMatcher":
        with open(str(path)) as f:
            return cls(json.load(f))

    @property
    def person_ids(self) -> List[int]:
        return sorted(set(self._owners.tolist()))

    def nearest_distances(self, embedding: np.ndarray) -> Dict[int, float]:
        """Cosine distance from ``embedding`` to each person's nearest template."""
        if self._templates is None:
            return {}
        distances = 1.0 - self._templates.dot(unit_rows(embedding).ravel())
        return {pid: float(distances[self._owners == pid].min()) for pid in self.person_ids}

    def decision(self, embedding: np.ndarray) -> np.ndarray:
        """The one-vs-one decision values (scikit-learn's ``decision_function`` row)."""
        if self._coef is None:
            raise ValueError("no SVM: fewer than two people enrolled")
        return self._coef.dot(unit_rows(embedding).ravel()) + self._intercept

    def match(self, embedding: np.ndarray) -> EdgeMatch:
        nearest = self.nearest_distances(embedding)
        if not nearest:
            return EdgeMatch(None, None, float("inf"), None, "no_one_enrolled")
        margin = None
        if self._coef is None:
            candidate = next(iter(nearest))
        else:
            decision = self.decision(embedding)
            candidate = ovo_predict(decision, self._classes)
            margin = pairwise_margins(decision, self._classes, candidate)
        distance = nearest[candidate]
        if distance >= self.unknown_distance_threshold:
            return EdgeMatch(None, candidate, distance, margin, "too_far")
        if margin is not None and margin < self.min_svm_margin:
            return EdgeMatch(None, candidate, distance, margin, "ambiguous")
        return EdgeMatch(candidate, candidate, distance, margin, "accepted")
