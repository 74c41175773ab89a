"""Registering a shopper's face from the staff screen: guided camera poses or image files.

Drives ``faces.guided_enrollment.GuidedEnrollment`` with the face detector's output frame by
frame and turns its feedback into codes the UI shows as text; ``finish`` and ``enroll_images``
build templates with ``FacePipeline`` and store them with ``FaceRegistry.enroll`` (all or
nothing). Call it from one thread; ``finish`` embeds every collected face (about 12 crops), so a
UI runs it off the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from checkout_app.faces.guided_enrollment import GuidedEnrollment
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.quality import NO_FACE, single_face_issues
from checkout_app.faces.registry import FaceRegistry, Person, RegistryError

log = logging.getLogger(__name__)

ACCEPTED = "accepted"
WRONG_POSE = "wrong_pose"
DONE = "done"


@dataclass(frozen=True)
class EnrollmentStep:
    """Feedback on one frame. ``code``: a quality code of faces.quality ("no_face",
    "many_faces", "too_small", "too_blurry", "too_dark", "too_bright"), "wrong_pose" (good face,
    not in ``pose_needed``), "accepted" or "done" (every pose collected). ``face_box`` is the only
    face's (x1, y1, x2, y2), None when there was not exactly one."""

    accepted: bool
    code: str
    pose_needed: str | None
    poses_done: int
    poses_total: int
    face_box: tuple | None

    @property
    def done(self) -> bool:
        return self.pose_needed is None


class EnrollmentFlow:
    def __init__(
        self, pipeline: FacePipeline, registry: FaceRegistry, frames_per_pose: int = 3
    ) -> None:
        self._pipeline = pipeline
        self._registry = registry
        self._frames_per_pose = frames_per_pose
        self._guide = self._new_guide()
        self._step = self._make_step(False, NO_FACE, None)

    @property
    def step(self) -> EnrollmentStep:
        """The feedback on the last frame (before any frame: "no_face", first pose needed)."""
        return self._step

    def offer(self, image_bgr: Any) -> EnrollmentStep:
        """Consider one camera frame for the pose asked for now."""
        if self._guide.done:
            self._step = self._make_step(False, DONE, None)
            return self._step
        faces = self._pipeline.detector.detect(image_bgr)
        feedback = self._guide.offer(faces)
        box = faces[0].box if len(faces) == 1 else None
        if feedback.accepted:
            code = DONE if self._guide.done else ACCEPTED
        else:
            # The guide's messages are English sentences; the UI needs the code behind them.
            issues = single_face_issues(faces, self._guide.quality)
            code = issues[0].code if issues else WRONG_POSE
        self._step = self._make_step(feedback.accepted, code, box)
        return self._step

    def finish(
        self,
        name: str,
        member_id: str | None,
        consent: bool,
        same_face_confirmed: bool = False,
    ) -> Person:
        """Enroll the collected poses, one template each; RegistryError says what is wrong
        (``SameFaceError``: the face is someone registered; staff may confirm and call again).

        On an error the collected faces are kept (fix the name or consent and call again); on
        success the flow starts over, so the same frames can never enroll a second person.
        """
        pose = self._guide.pose_needed
        if pose is not None:
            raise RegistryError(f"enrollment is not finished: the {pose} pose is still needed")
        templates = self._pipeline.templates_from_poses(self._guide.collected())
        person = self._registry.enroll(
            name, templates, consent, member_id, same_face_confirmed=same_face_confirmed
        )
        log.info("enrolled person %s from the camera", person.id)
        self.restart()
        return person

    def enroll_images(
        self,
        paths: Sequence[Path | str],
        name: str,
        member_id: str | None,
        consent: bool,
        same_face_confirmed: bool = False,
    ) -> Person:
        """Enroll from photo files, one template each; any bad file enrolls nothing.

        Raises ImageError (unreadable file, no face, several faces, poor quality) or
        RegistryError (name taken, no consent, the face of someone registered, …).
        """
        templates = self._pipeline.templates_from_images([Path(p) for p in paths])
        person = self._registry.enroll(
            name, templates, consent, member_id, same_face_confirmed=same_face_confirmed
        )
        log.info("enrolled person %s from %d image files", person.id, len(templates))
        return person

    def restart(self) -> None:
        """Forget every collected frame and ask for the first pose again."""
        self._guide = self._new_guide()
        self._step = self._make_step(False, NO_FACE, None)

    def _new_guide(self) -> GuidedEnrollment:
        # The pipeline's quality policy, so camera and image enrollment apply the same gates.
        return GuidedEnrollment(self._frames_per_pose, quality=self._pipeline.quality)

    def _make_step(self, accepted: bool, code: str, face_box: tuple | None) -> EnrollmentStep:
        collected = self._guide.collected()
        return EnrollmentStep(
            accepted=accepted,
            code=code,
            pose_needed=self._guide.pose_needed,
            poses_done=sum(len(faces) >= self._frames_per_pose for _, faces in collected),
            poses_total=len(collected),
            face_box=face_box,
        )
