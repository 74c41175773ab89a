"""The faces ``faces calibrate`` compares: people's photos, strangers' faces, their variants.

A folder with one sub-folder of photos per person gives the genuine pairs (and impostor pairs
between people). Photos of strangers (group photos: every face in them a different person, none
of them in the people folders) add people, and so impostor pairs, cheaply. With ``augment``,
every face also comes in variants (``faces.augment``); a variant whose face the kiosk would not
embed (quality gates) or cannot find is left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from checkout_app.faces.augment import photo_variants
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.quality import face_issues
from checkout_app.faces.types import Face
from checkout_app.vision.image_files import ImageError, image_files, load_image_bgr

# A stranger's face is cut from the group photo with this much of its size around it on each
# side, so that it can be found again (and turned) in its own image.
STRANGER_MARGIN = 0.6


@dataclass
class CalibrationFaces:
    """``labels[i]`` is who face ``crops[i]`` is; ``sources[i]`` the photo face it comes from;
    ``originals[i]`` False for a variant."""

    labels: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    crops: list = field(default_factory=list)
    originals: list = field(default_factory=list)
    variants_left_out: int = 0

    def add(self, label: str, source: str, crop: np.ndarray, original: bool) -> None:
        self.labels.append(label)
        self.sources.append(source)
        self.crops.append(crop)
        self.originals.append(original)


def calibration_faces(
    pipeline: FacePipeline,
    people: Path,
    strangers: Sequence[Path] = (),
    augment: int = 0,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> CalibrationFaces:
    """Every face to compare (``strangers``: photos, see ``stranger_photos``); ImageError for a
    person's photo without exactly one good face."""
    photos = []  # (label, source, image, its face as found there)
    for person_dir in sorted(p for p in people.iterdir() if p.is_dir()):
        for path in image_files(person_dir):
            image = load_image_bgr(path)
            face = pipeline.enrollment_face(image, str(path))  # one good face, or ImageError
            photos.append((person_dir.name, str(path), image, face))
    for path in strangers:
        image = load_image_bgr(path)
        for i, face in enumerate(good_faces(pipeline, image)):
            photos.append((f"{path.name}#{i}", f"{path}#{i}", around(image, face.box), face))
    found = CalibrationFaces()
    for n, (label, source, image, face) in enumerate(photos):
        found.add(label, source, face.crop, original=True)
        for variant in photo_variants(image, augment, seed * 100_003 + n):
            varied = central_good_face(pipeline, variant)
            if varied is None:
                found.variants_left_out += 1
            else:
                found.add(label, source, varied.crop, original=False)
        if progress:
            progress(n + 1, len(photos))
    return found


def stranger_photos(paths: Sequence[Path]) -> list:
    """Photos given one by one or as folders (a folder's photos without faces add nothing)."""
    photos = []
    for path in paths:
        if path.is_dir():
            photos.extend(image_files(path))
        elif path.is_file():
            photos.append(path)
        else:
            raise ImageError(f"{path}: no such photo or folder")
    return photos


def around(image: np.ndarray, box: tuple) -> np.ndarray:
    """The part of ``image`` around a face ``box``, ``STRANGER_MARGIN`` of its size each side."""
    x1, y1, x2, y2 = box
    mx, my = STRANGER_MARGIN * (x2 - x1), STRANGER_MARGIN * (y2 - y1)
    h, w = image.shape[:2]
    left, top = max(0, int(x1 - mx)), max(0, int(y1 - my))
    right, bottom = min(w, int(np.ceil(x2 + mx))), min(h, int(np.ceil(y2 + my)))
    return np.ascontiguousarray(image[top:bottom, left:right])


def good_faces(pipeline: FacePipeline, image: np.ndarray) -> list:
    """The faces in ``image`` the kiosk would embed (they pass the quality gates)."""
    return [f for f in pipeline.detector.detect(image) if not face_issues(f, pipeline.quality)]


def central_good_face(pipeline: FacePipeline, image: np.ndarray) -> Face | None:
    """The face nearest the middle of ``image`` that passes the quality gates, or None."""
    good = good_faces(pipeline, image)
    if not good:
        return None
    h, w = image.shape[:2]

    def off_centre(face: Face) -> float:
        x1, y1, x2, y2 = face.box
        return float(np.hypot((x1 + x2) / 2 - w / 2, (y1 + y2) / 2 - h / 2))

    return min(good, key=off_centre)
