"""Head pose from MTCNN's five landmarks: yaw/pitch ratios and front / left / right / down.

No 3-D model: the nose tip's offset from the eyes says enough to guide enrollment and to check
a liveness head turn. Left and right are the *person's own* left and right (they turn their head
to their left: their nose moves to the image's right in an unmirrored camera image).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

POSES = ("front", "right", "down", "left")  # also the guided enrollment order


@dataclass(frozen=True)
class HeadPose:
    """``yaw_ratio``: nose offset from the eyes' midpoint along the eye line, in eye distances
    (> 0: turned to the person's left). ``pitch_ratio``: where the nose sits between the eye
    line (0) and the mouth line (1); about 0.5 for a level head, larger when looking down."""

    yaw_ratio: float
    pitch_ratio: float


@dataclass(frozen=True)
class PoseThresholds:
    """Cut-offs measured on MTCNN landmarks of real photos: level frontal faces have a yaw ratio
    within ±0.15 and a pitch ratio of 0.45-0.66; a clear head turn passes ±0.25."""

    turn_yaw_ratio: float = 0.25
    front_max_yaw_ratio: float = 0.15
    down_pitch_ratio: float = 0.72
    front_pitch_range: tuple = (0.35, 0.70)


def head_pose(landmarks: np.ndarray) -> HeadPose:
    """Yaw and pitch ratios of a 5×2 landmark array, corrected for head roll."""
    pts = np.asarray(landmarks, np.float64).reshape(5, 2)
    eye_l, eye_r, nose, mouth_l, mouth_r = pts
    eye_mid = (eye_l + eye_r) / 2
    axis_x = eye_r - eye_l
    eye_distance = float(np.hypot(*axis_x))
    if eye_distance < 1e-6:
        raise ValueError("degenerate landmarks: both eyes at the same point")
    axis_x /= eye_distance
    axis_y = np.array([-axis_x[1], axis_x[0]])  # eye line rotated 90°: points down the face
    mouth_mid = (mouth_l + mouth_r) / 2
    nose_offset = nose - eye_mid
    mouth_drop = float((mouth_mid - eye_mid) @ axis_y)
    yaw = float(nose_offset @ axis_x) / eye_distance
    pitch = float(nose_offset @ axis_y) / mouth_drop if mouth_drop > 1e-6 else math.inf
    return HeadPose(yaw_ratio=yaw, pitch_ratio=pitch)


def classify_pose(pose: HeadPose, thresholds: PoseThresholds = PoseThresholds()) -> str | None:
    """ "front", "left", "right", "down", or None for an in-between pose (neither clearly)."""
    if pose.yaw_ratio >= thresholds.turn_yaw_ratio:
        return "left"
    if pose.yaw_ratio <= -thresholds.turn_yaw_ratio:
        return "right"
    if abs(pose.yaw_ratio) <= thresholds.front_max_yaw_ratio:
        if pose.pitch_ratio >= thresholds.down_pitch_ratio:
            return "down"
        low, high = thresholds.front_pitch_range
        if low <= pose.pitch_ratio <= high:
            return "front"
    return None
