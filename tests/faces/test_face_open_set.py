"""The kiosk's decision on calibration faces: strangers and photos left out in turn."""

from __future__ import annotations

import numpy as np
from face_vectors import unit

from checkout_app.faces.matcher import RecognitionPolicy
from checkout_app.faces.open_set import open_set_report


def _faces(lookalike: bool):
    """Three people with two photos each (the second with a variant); with ``lookalike``,
    "cy" looks like "ann"."""
    labels, sources, originals, vectors = [], [], [], []
    centres = {"ann": unit(1), "bo": unit(2), "cy": unit(3)}
    if lookalike:
        centres["cy"] = unit(33, near=centres["ann"], spread=0.5)
    for person, (name, centre) in enumerate(centres.items()):
        for photo in range(2):
            seed = 100 * person + 10 * photo
            face = unit(seed, near=centre, spread=0.3)
            for variant in range(2 if photo else 1):
                labels.append(name)
                sources.append(f"{name}/{photo}")
                originals.append(variant == 0)
                vectors.append(unit(seed + 7 * variant, near=face, spread=0.1) if variant else face)
    return labels, sources, originals, np.stack(vectors)


def test_distinct_people_pay_as_themselves_and_no_one_else():
    report = open_set_report(*_faces(lookalike=False), RecognitionPolicy(0.55, 0.2))
    # Every person left out in turn: 3 faces each.
    assert (report["stranger_attempts"], report["strangers_accepted"]) == (9, 0)
    assert report["strangers_who_paid"] == {}
    assert report["false_accept"]["ci95"][0] == 0.0
    # Each of the 6 photos left out in turn, its variants with it.
    assert report["shopper_attempts"] == 9
    assert report["shoppers_identified"] == 9
    assert report["identification"]["rate"] == 1.0


def test_a_lookalike_stranger_pays_unless_the_threshold_is_tighter():
    faces = _faces(lookalike=True)
    loose = open_set_report(*faces, RecognitionPolicy(0.9, 0.0))
    assert loose["strangers_accepted"] > 0
    assert set(loose["strangers_who_paid"]) <= {"ann", "cy"}
    tight = open_set_report(*faces, RecognitionPolicy(0.13, 0.0))
    assert tight["strangers_accepted"] == 0
    # Here the lookalike is still farther than anyone's own photos: nobody else is lost.
    assert tight["shoppers_identified"] == loose["shoppers_identified"] == 9
