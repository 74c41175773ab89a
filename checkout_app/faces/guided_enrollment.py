"""Guided enrollment: collect a few good frames of each pose, front → right → down → left.

A pure state machine fed one frame's faces at a time (camera, recorded video or test data); it
says what to ask the person next and keeps the accepted faces per pose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from checkout_app.faces.pose import POSES, PoseThresholds, classify_pose, head_pose
from checkout_app.faces.quality import QualityPolicy, single_face_issues
from checkout_app.faces.types import Face

PROMPTS = {
    "front": "look straight at the camera",
    "right": "turn your head to your right",
    "down": "tilt your head down a little",
    "left": "turn your head to your left",
}


@dataclass(frozen=True)
class EnrollmentFeedback:
    accepted: bool
    message: str
    pose_needed: str | None  # None once every pose is collected


class GuidedEnrollment:
    def __init__(
        self,
        frames_per_pose: int = 3,
        poses: Sequence[str] = POSES,
        quality: QualityPolicy | None = None,
        pose_thresholds: PoseThresholds | None = None,
    ) -> None:
        if frames_per_pose < 1:
            raise ValueError("frames_per_pose must be at least 1")
        unknown = set(poses) - set(POSES)
        if unknown:
            raise ValueError(f"unknown poses {sorted(unknown)}")
        self.frames_per_pose = frames_per_pose
        self.poses = tuple(poses)
        self.quality = quality or QualityPolicy()
        self.pose_thresholds = pose_thresholds or PoseThresholds()
        self._collected: dict[str, list[Face]] = {p: [] for p in self.poses}

    @property
    def pose_needed(self) -> str | None:
        for pose in self.poses:
            if len(self._collected[pose]) < self.frames_per_pose:
                return pose
        return None

    @property
    def done(self) -> bool:
        return self.pose_needed is None

    def prompt(self) -> str:
        pose = self.pose_needed
        return "done" if pose is None else PROMPTS[pose]

    def offer(self, faces: Sequence[Face]) -> EnrollmentFeedback:
        """Consider one frame: keep its face if it is alone, good, and in the pose asked for."""
        pose = self.pose_needed
        if pose is None:
            return EnrollmentFeedback(False, "done", None)
        issues = single_face_issues(faces, self.quality)
        if issues:
            return EnrollmentFeedback(False, issues[0].message, pose)
        seen = classify_pose(head_pose(faces[0].landmarks), self.pose_thresholds)
        if seen != pose:
            return EnrollmentFeedback(False, PROMPTS[pose], pose)
        self._collected[pose].append(faces[0])
        return EnrollmentFeedback(
            True, f"{pose}: {len(self._collected[pose])} good", self.pose_needed
        )

    def collected(self) -> list[tuple]:
        """(pose, faces) for every pose, in enrollment order."""
        return [(pose, list(self._collected[pose])) for pose in self.poses]
