"""Liveness for face pay: challenge–response head turns checked from landmarks.

The kiosk asks for head turns to the left or right, each chosen at random (two by default, so a
replayed video matches the asked order one time in four at best), and feeds the yaw ratio of
each following frame (``frame_yaw``) to ``verify_head_turn``. A live person faces the camera,
then turns the asked way far enough for a few frames; a printed photo held still never changes
its yaw, and a photo already turned never faces the camera first. Who turns is checked by
``faces.continuity``. Pure logic: the decision is testable without a camera.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

from checkout_app.faces.pose import head_pose
from checkout_app.faces.types import Face

CHALLENGES = ("left", "right")


@dataclass(frozen=True)
class LivenessPolicy:
    """``turn_yaw_ratio``: how far counts as turned; ``min_turned_frames``: for how many frames in
    a row; ``min_yaw_swing``: yaw change from the start; ``front_max_yaw_ratio``: the first frame
    must face the camera; ``max_missing_frames``: frames without exactly one face tolerated."""

    turn_yaw_ratio: float = 0.25
    min_turned_frames: int = 2
    min_yaw_swing: float = 0.3
    front_max_yaw_ratio: float = 0.15
    max_missing_frames: int = 2


@dataclass(frozen=True)
class LivenessVerdict:
    passed: bool
    reason: str


def choose_challenge(rng: random.Random | None = None) -> str:
    """ "left" or "right", unpredictably (``random.SystemRandom`` unless a seeded rng is given)."""
    return (rng or random.SystemRandom()).choice(CHALLENGES)


def verify_head_turn(
    challenge: str,
    yaw_ratios: Sequence[float | None],
    policy: LivenessPolicy = LivenessPolicy(),
) -> LivenessVerdict:
    """Did the frames (yaw ratio per frame, None: no single face) show the asked head turn?

    The turn counts from the first frame facing the camera: a shopper coming back from an
    earlier turn may still be turned the other way when the prompt changes. Yaw > 0 is a turn
    to the person's left (``pose.HeadPose``).
    """
    if challenge not in CHALLENGES:
        raise ValueError(f"challenge must be one of {CHALLENGES}, got {challenge!r}")
    missing = sum(1 for y in yaw_ratios if y is None)
    if missing > policy.max_missing_frames:
        return LivenessVerdict(False, f"face lost in {missing} frames")
    seen = [y for y in yaw_ratios if y is not None]
    front = next((i for i, y in enumerate(seen) if abs(y) <= policy.front_max_yaw_ratio), None)
    if front is None:
        return LivenessVerdict(False, "did not face the camera")
    yaws = seen[front:]
    if len(yaws) < policy.min_turned_frames + 1:
        return LivenessVerdict(False, "too few frames")
    sign = 1.0 if challenge == "left" else -1.0
    directed = [sign * y for y in yaws]
    if min(directed) <= -policy.turn_yaw_ratio:
        return LivenessVerdict(False, "turned the wrong way")
    run = best_run = 0
    for value in directed:
        run = run + 1 if value >= policy.turn_yaw_ratio else 0
        best_run = max(best_run, run)
    if best_run < policy.min_turned_frames:
        return LivenessVerdict(False, f"no clear turn to the {challenge}")
    # From the most frontal frame before the peak: the first may still be on its way back.
    peak = max(range(len(directed)), key=directed.__getitem__)
    if directed[peak] - min(directed[: peak + 1]) < policy.min_yaw_swing:
        return LivenessVerdict(False, "head turn too small")
    return LivenessVerdict(True, f"turned {challenge}")


def frame_yaw(faces: Sequence[Face]) -> float | None:
    """The yaw ratio of a frame's only face, None when there is not exactly one face."""
    if len(faces) != 1:
        return None
    return head_pose(faces[0].landmarks).yaw_ratio
