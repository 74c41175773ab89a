"""The kiosk's own decision on a calibration set: how often a stranger pays, a shopper is known.

Pair distances (``faces.calibration``) say how far faces are apart; face pay decides with the
whole matcher (nearest-template distance and SVM margins, ``faces.matcher``). So every face is
also put to the matcher as the kiosk would:
- **stranger attempts**: each person in turn is left out, everyone else enrolled from their
  original photos (not from variants); every face of the left-out person (variants included)
  must come out unknown. A false accept is a stranger who would have paid as someone else.
- **shopper attempts**: each original photo of a person with at least two in turn is left out,
  everyone enrolled from the rest; its faces (and variants) must come out as that person.

Attempts share people, photos and variants, so they are not independent: besides the 95 %
interval over attempts, the report counts the *people* behind the false accepts.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Sequence

import numpy as np

from checkout_app.faces.calibration import rate_interval
from checkout_app.faces.matcher import FaceMatcher, RecognitionPolicy


def open_set_report(
    labels: Sequence[str],
    sources: Sequence[str],
    originals: Sequence[bool],
    embeddings: np.ndarray,
    policy: RecognitionPolicy,
) -> dict:
    names, person = np.unique(np.asarray(labels), return_inverse=True)
    person = person.ravel()
    source = np.asarray(sources)
    enrollable = np.asarray(originals, bool)
    vectors = np.asarray(embeddings)

    def decide(enrolled: np.ndarray, queries: np.ndarray) -> list:
        matcher = FaceMatcher(policy)
        with warnings.catch_warnings():
            # Strangers enrolled from one photo each make scikit-learn suspect a regression.
            warnings.simplefilter("ignore", UserWarning)
            matcher.fit(person[enrolled].tolist(), vectors[enrolled])
        return [matcher.match(vectors[i]).person_id for i in np.flatnonzero(queries)]

    strangers = Counter()
    stranger_attempts = stranger_accepts = 0
    for p in range(len(names)):
        others = enrollable & (person != p)
        if not np.any(others):
            continue
        answers = decide(others, person == p)
        stranger_attempts += len(answers)
        accepted = sum(int(a is not None) for a in answers)
        stranger_accepts += accepted
        if accepted:
            strangers[str(names[p])] = accepted

    shopper_attempts = identified = wrong_person = 0
    for s in sorted(set(source[enrollable])):
        p = int(person[source == s][0])
        rest = enrollable & (source != s)
        if not np.any(rest & (person == p)):
            continue  # this person's only photo: nothing to enroll them from
        answers = decide(rest, source == s)
        shopper_attempts += len(answers)
        identified += sum(int(a == p) for a in answers)
        wrong_person += sum(int(a is not None and a != p) for a in answers)

    def rate(count: int, trials: int) -> dict:
        if not trials:
            return {"rate": None, "ci95": None}
        return {
            "rate": round(count / trials, 5),
            "ci95": [round(v, 5) for v in rate_interval(count, trials)],
        }

    return {
        "threshold": policy.unknown_distance_threshold,
        "min_svm_margin": policy.min_svm_margin,
        "stranger_attempts": stranger_attempts,
        "strangers_accepted": stranger_accepts,
        "false_accept": rate(stranger_accepts, stranger_attempts),
        "strangers_who_paid": dict(strangers),
        "shopper_attempts": shopper_attempts,
        "shoppers_identified": identified,
        "shoppers_taken_for_someone_else": wrong_person,
        "identification": rate(identified, shopper_attempts),
    }
