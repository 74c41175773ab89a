"""Detector + quality gates + embedder + registry: identify faces in an image, build templates.

Orchestration only; every decision it relies on lives in the pure modules it calls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.faces.quality import QualityIssue, QualityPolicy, face_issues, single_face_issues
from checkout_app.faces.registry import FaceRegistry, Match, NewTemplate
from checkout_app.faces.types import Face, FaceDetector, FaceEmbedder
from checkout_app.vision.image_files import ImageError, load_image_bgr

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FaceResult:
    """One face of an identified image: ``match`` and ``embedding`` are None when a quality
    gate failed (the face was not embedded)."""

    face: Face
    issues: list[QualityIssue]
    match: Match | None
    embedding: np.ndarray | None = None

    @property
    def person_name(self) -> str | None:
        if self.match is None or self.match.person is None:
            return None
        return self.match.person.display_name


class FacePipeline:
    def __init__(
        self,
        detector: FaceDetector,
        embedder: FaceEmbedder,
        quality: QualityPolicy | None = None,
    ) -> None:
        self.detector = detector
        self.embedder = embedder
        self.quality = quality or QualityPolicy()

    def identify(self, image: np.ndarray, registry: FaceRegistry) -> list[FaceResult]:
        """Every face in a BGR image, left to right, with its match (or why it was not tried)."""
        faces = self.detector.detect(image)
        issues = [face_issues(f, self.quality) for f in faces]
        good = [i for i, found in enumerate(issues) if not found]
        embeddings = dict(zip(good, self.embedder.embed([faces[i].crop for i in good])))
        matches: dict = {i: registry.identify(e) for i, e in embeddings.items()}
        return [
            FaceResult(f, issues[i], matches.get(i), embeddings.get(i)) for i, f in enumerate(faces)
        ]

    def enrollment_face(self, image: np.ndarray, source: str) -> Face:
        """The single good face of an enrollment image, or ImageError saying what is wrong."""
        faces = self.detector.detect(image)
        problems = single_face_issues(faces, self.quality)
        if problems:
            raise ImageError(f"{source}: " + "; ".join(p.message for p in problems))
        return faces[0]

    def templates_from_images(self, paths: Sequence[Path]) -> list[NewTemplate]:
        """One template per image; any bad image fails the whole set (nothing half-enrolled)."""
        if not paths:
            raise ImageError("no image files given")
        faces, errors = [], []
        for path in paths:
            try:
                faces.append(self.enrollment_face(load_image_bgr(path), path.name))
            except ImageError as exc:
                errors.append(str(exc))
        if errors:
            raise ImageError("cannot enroll: " + " | ".join(errors))
        embeddings = self.embedder.embed([f.crop for f in faces])
        return [NewTemplate(e, "image", p.name) for e, p in zip(embeddings, paths)]

    def templates_from_poses(self, pose_faces: Sequence[tuple]) -> list[NewTemplate]:
        """One template per guided pose: the normalised mean of that pose's frames."""
        templates = []
        for pose, faces in pose_faces:
            embeddings = self.embedder.embed([f.crop for f in faces])
            mean = embeddings.mean(axis=0)
            templates.append(NewTemplate(mean / np.linalg.norm(mean), pose, "camera"))
        return templates
