"""Head pose from five landmarks: ratios and front / left / right / down."""

from __future__ import annotations

import math

import numpy as np
import pytest

from checkout_app.faces.pose import HeadPose, classify_pose, head_pose


def landmarks(nose_dx: float = 0.0, nose_y: float = 50.0, roll_deg: float = 0.0) -> np.ndarray:
    """Eyes at (40,40)/(80,40), mouth at y=80; the nose moved by nose_dx, rotated by roll."""
    pts = np.array([[40, 40], [80, 40], [60 + nose_dx, nose_y], [45, 80], [75, 80]], float)
    a = math.radians(roll_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return (pts - 60) @ rot.T + 60


@pytest.mark.parametrize(
    "nose_dx, nose_y, expected",
    [
        (0, 60, "front"),
        (14, 60, "left"),  # nose to the image's right: the person turned to their left
        (-14, 60, "right"),
        (0, 72, "down"),
        (7, 60, None),  # half a turn: neither front nor turned
        (0, 40, None),  # looking up is not a guided pose
    ],
)
def test_classify_pose(nose_dx, nose_y, expected):
    assert classify_pose(head_pose(landmarks(nose_dx, nose_y))) == expected


def test_roll_does_not_change_yaw_or_pitch():
    level = head_pose(landmarks(10, 62))
    tilted = head_pose(landmarks(10, 62, roll_deg=25))
    assert tilted.yaw_ratio == pytest.approx(level.yaw_ratio, abs=1e-9)
    assert tilted.pitch_ratio == pytest.approx(level.pitch_ratio, abs=1e-9)


def test_ratios_are_in_eye_distances():
    pose = head_pose(landmarks(nose_dx=10, nose_y=60))
    assert pose == HeadPose(yaw_ratio=pytest.approx(0.25), pitch_ratio=pytest.approx(0.5))


def test_degenerate_landmarks_are_rejected():
    pts = landmarks()
    pts[1] = pts[0]
    with pytest.raises(ValueError, match="degenerate"):
        head_pose(pts)
