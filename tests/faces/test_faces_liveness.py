"""The head-turn challenge decision, from yaw ratios alone."""

from __future__ import annotations

import random

import pytest

from checkout_app.faces.liveness import choose_challenge, verify_head_turn


@pytest.mark.parametrize(
    "challenge, yaws, passed, reason",
    [
        ("left", [0.0, 0.1, 0.3, 0.4, 0.35], True, "turned left"),
        ("right", [0.05, -0.2, -0.35, -0.4], True, "turned right"),
        ("left", [0.02, 0.02, 0.03, 0.02, 0.02], False, "no clear turn"),  # a still photo
        ("left", [0.0, -0.3, -0.4, -0.4], False, "wrong way"),
        ("right", [0.4, 0.4, 0.4, 0.4], False, "did not face the camera"),  # a photo held turned
        (
            "right",
            [-0.4, -0.4, -0.4, -0.4],
            False,
            "did not face the camera",
        ),  # turned the asked way
        # Back from an earlier turn to the left when asked to turn right: counts from facing.
        ("right", [0.35, 0.2, 0.05, -0.3, -0.35], True, "turned right"),
        ("left", [0.0, 0.3, 0.1, 0.3, 0.1], False, "no clear turn"),  # never two turned in a row
        ("left", [0.0, None, None, None, 0.4, 0.4], False, "face lost"),
        ("left", [0.0, 0.4], False, "too few"),
        ("left", [0.1, 0.26, 0.27, 0.28], False, "too small"),  # the turn swings only 0.18
        # Still coming back from an earlier turn on the first frame: the swing counts from 0.02.
        ("left", [0.11, 0.02, 0.16, 0.33, 0.36], True, "turned left"),
    ],
)
def test_verify_head_turn(challenge, yaws, passed, reason):
    verdict = verify_head_turn(challenge, yaws)
    assert verdict.passed is passed
    assert reason in verdict.reason


def test_unknown_challenge_is_an_error():
    with pytest.raises(ValueError):
        verify_head_turn("up", [0.0, 0.4, 0.4])


def test_challenges_are_both_drawn():
    rng = random.Random(3)
    assert {choose_challenge(rng) for _ in range(50)} == {"left", "right"}


def test_frame_yaw_needs_exactly_one_face():
    import numpy as np

    from checkout_app.faces.liveness import frame_yaw
    from checkout_app.faces.types import Face

    pts = np.array([[40, 40], [80, 40], [70, 60], [45, 80], [75, 80]], np.float32)
    face = Face((0, 0, 120, 120), pts, 0.99, np.zeros((160, 160, 3), np.uint8))
    assert frame_yaw([face]) == pytest.approx(0.25)
    assert frame_yaw([]) is None and frame_yaw([face, face]) is None
