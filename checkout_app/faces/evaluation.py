"""``faces eval``: enroll a folder of people, identify a labelled set, count what went right.

Labels CSV (the format of the shared face photos): ``file,people_left_to_right`` with the image
path relative to the CSV and the expected people left to right separated by ``;`` (``UNKNOWN``
for a face that is not registered). An image may show more faces than it lists (people in the
background): the listed people are matched to the largest detected faces, and the rest are
reported as unlisted faces (any of them accepted as a registered person is counted too).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from checkout_app.faces.pipeline import FacePipeline, FaceResult
    from checkout_app.faces.registry import FaceRegistry

UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class LabelledImage:
    path: Path
    people: list[str]


def read_labels(csv_path: Path) -> list[LabelledImage]:
    """Rows of a labels CSV, paths resolved against the CSV's folder."""
    rows = []
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:2]] != ["file", "people_left_to_right"]:
            raise ValueError(f"{csv_path}: expected header 'file,people_left_to_right'")
        for number, row in enumerate(reader, start=2):
            if not row or not row[0].strip():
                continue
            if len(row) < 2 or not row[1].strip():
                raise ValueError(f"{csv_path}:{number}: no people listed")
            people = [p.strip() for p in row[1].split(";")]
            rows.append(LabelledImage(csv_path.parent / row[0].strip(), people))
    return rows


def pick_listed_faces(boxes: Sequence[tuple], count: int) -> list[int]:
    """Indexes of the ``count`` largest boxes, ordered left to right."""
    by_area = sorted(
        range(len(boxes)), key=lambda i: -(boxes[i][2] - boxes[i][0]) * (boxes[i][3] - boxes[i][1])
    )
    return sorted(by_area[:count], key=lambda i: boxes[i][0] + boxes[i][2])


@dataclass
class EvalCounts:
    registered_faces: int = 0
    registered_correct: int = 0
    registered_wrong_person: int = 0
    registered_rejected: int = 0
    registered_missed: int = 0  # listed but not detected
    unknown_faces: int = 0
    unknown_rejected: int = 0
    unknown_false_accepts: int = 0
    unknown_missed: int = 0
    unlisted_faces: int = 0
    unlisted_accepted: int = 0

    def add(self, expected: str, predicted: str | None, detected: bool = True) -> None:
        if expected == UNKNOWN:
            self.unknown_faces += 1
            if not detected:
                self.unknown_missed += 1
            elif predicted is None:
                self.unknown_rejected += 1
            else:
                self.unknown_false_accepts += 1
            return
        self.registered_faces += 1
        if not detected:
            self.registered_missed += 1
        elif predicted == expected:
            self.registered_correct += 1
        elif predicted is None:
            self.registered_rejected += 1
        else:
            self.registered_wrong_person += 1

    def summary(self) -> dict:
        out = dict(vars(self))
        out["identification_accuracy"] = _ratio(self.registered_correct, self.registered_faces)
        out["false_accept_rate"] = _ratio(self.unknown_false_accepts, self.unknown_faces)
        out["wrong_person_rate"] = _ratio(self.registered_wrong_person, self.registered_faces)
        return out


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def run_eval(
    pipeline: FacePipeline, registry: FaceRegistry, train_dir: Path, labels_csv: Path
) -> dict:
    """Enroll every sub-folder of ``train_dir`` into ``registry`` (a scratch one), then identify
    and score every image of ``labels_csv``."""
    from checkout_app.vision.image_files import image_files, load_image_bgr

    if not train_dir.is_dir():
        raise ValueError(f"{train_dir} is not a folder")
    enrolled = {}
    for person_dir in sorted(p for p in train_dir.iterdir() if p.is_dir()):
        templates = pipeline.templates_from_images(image_files(person_dir))
        registry.enroll(person_dir.name, templates, consent=True)
        enrolled[person_dir.name] = len(templates)
    if not enrolled:
        raise ValueError(f"{train_dir} has no sub-folder per person")
    counts = EvalCounts()
    images = []
    for item in read_labels(labels_csv):
        results = pipeline.identify(load_image_bgr(item.path), registry)
        listed = pick_listed_faces([r.face.box for r in results], len(item.people))
        faces = []
        for position, expected in enumerate(item.people):
            if position < len(listed):
                result = results[listed[position]]
                counts.add(expected, result.person_name)
                faces.append(_face_record(expected, result))
            else:
                counts.add(expected, None, detected=False)
                faces.append({"expected": expected, "detected": False})
        for index, result in enumerate(results):
            if index not in listed:
                counts.unlisted_faces += 1
                counts.unlisted_accepted += result.person_name is not None
                faces.append(_face_record(None, result))
        images.append({"file": str(item.path.relative_to(labels_csv.parent)), "faces": faces})
    policy = registry.policy
    return {
        "embedder": registry.embedder_name,
        "policy": {
            "unknown_distance_threshold": policy.unknown_distance_threshold,
            "min_svm_margin": policy.min_svm_margin,
        },
        "enrolled": enrolled,
        "summary": counts.summary(),
        "images": images,
    }


def _face_record(expected: str | None, result: FaceResult) -> dict:
    return {
        "expected": expected,
        "predicted": result.person_name,
        "box": [round(v, 1) for v in result.face.box],
        "quality_issues": [i.code for i in result.issues],
        "scores": result.match.scores() if result.match else None,
    }
