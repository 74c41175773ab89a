"""EnrollmentFlow: guided poses → one template per pose; image files → all or nothing.

Fast tests use a fake detector (a camera "frame" is the tuple of faces it will find; an image
file's face is read from its first pixel) and a fake embedder (a face's crop carries the seed of
its embedding), with a real FaceRegistry on SQLite in tmp_path.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from cryptography.fernet import Fernet

from checkout_app.faces.embedding_cipher import EmbeddingCipher
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.registry import DuplicatePersonError, FaceRegistry, RegistryError
from checkout_app.faces.types import Face
from checkout_app.services.enrollment_flow import EnrollmentFlow
from checkout_app.storage.db import close_database, open_database
from checkout_app.storage.face_repository import FaceRepository
from checkout_app.vision.image_files import ImageError

# Nose positions for the eyes at (40, 40) and (80, 40) and the mouth at y = 80.
NOSE = {"front": (60, 60), "left": (74, 60), "right": (46, 60), "down": (60, 72)}
SEED = 7


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=512)
    return (v / np.linalg.norm(v)).astype(np.float32)


def posed(pose: str, seed: int = SEED, light: int = 128) -> Face:
    pts = np.array([[40, 40], [80, 40], NOSE[pose], [45, 80], [75, 80]], np.float32)
    noise = np.random.default_rng(seed).integers(-40, 41, (160, 160, 1))
    crop = np.clip(light + noise, 0, 255).repeat(3, 2).astype(np.uint8)
    crop[0, 0, 0] = seed  # read back by FakeEmbedder
    return Face((5, 5, 125, 125), pts, 0.99, crop)


class FakeDetector:
    """Camera frames are tuples of faces; a decoded image file has one front face whose
    embedding seed is its first pixel's blue value."""

    def detect(self, image) -> list[Face]:
        if isinstance(image, np.ndarray):
            return [posed("front", seed=int(image[0, 0, 0]))]
        return list(image)


class FakeEmbedder:
    name = "fake-embedder"

    def embed(self, crops) -> np.ndarray:
        return np.array([unit(int(c[0, 0, 0])) for c in crops], np.float32).reshape(-1, 512)


@pytest.fixture
def registry(tmp_path) -> FaceRegistry:
    sessions = open_database(f"sqlite:///{tmp_path / 'faces.db'}")
    yield FaceRegistry(
        FaceRepository(sessions, EmbeddingCipher(Fernet.generate_key())), FakeEmbedder.name
    )
    close_database(sessions)


@pytest.fixture
def flow(registry) -> EnrollmentFlow:
    return EnrollmentFlow(FacePipeline(FakeDetector(), FakeEmbedder()), registry, frames_per_pose=2)


def collect_every_pose(flow: EnrollmentFlow) -> None:
    for pose in ("front", "right", "down", "left"):
        for _ in range(2):
            flow.offer((posed(pose),))
    assert flow.step.done


def test_poses_progress_front_right_down_left_to_done(flow):
    start = flow.step
    assert (start.code, start.pose_needed, start.poses_done, start.poses_total) == (
        "no_face",
        "front",
        0,
        4,
    )
    wrong = flow.offer((posed("left"),))
    assert (wrong.accepted, wrong.code, wrong.pose_needed) == (False, "wrong_pose", "front")
    assert wrong.face_box == (5.0, 5.0, 125.0, 125.0)

    seen = []
    for pose in ("front", "front", "right", "right", "down", "down", "left", "left"):
        step = flow.offer((posed(pose),))
        seen.append((step.accepted, step.code, step.pose_needed, step.poses_done))
    assert seen == [
        (True, "accepted", "front", 0),
        (True, "accepted", "right", 1),
        (True, "accepted", "right", 1),
        (True, "accepted", "down", 2),
        (True, "accepted", "down", 2),
        (True, "accepted", "left", 3),
        (True, "accepted", "left", 3),
        (True, "done", None, 4),
    ]
    after = flow.offer((posed("left"),))
    assert (after.accepted, after.code, after.done) == (False, "done", True)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ((), "no_face"),
        ((posed("front"), posed("front", seed=8)), "many_faces"),
        ((posed("front", light=20),), "too_dark"),
    ],
)
def test_refused_frames_say_why_with_a_code(flow, frame, code):
    step = flow.offer(frame)
    assert (step.accepted, step.code, step.pose_needed, step.poses_done) == (
        False,
        code,
        "front",
        0,
    )
    assert step.face_box == (None if len(frame) != 1 else frame[0].box)


def test_finish_enrolls_one_template_per_pose_and_starts_over(flow, registry):
    collect_every_pose(flow)
    person = flow.finish("Alice", "M-1", consent=True)
    assert (person.display_name, person.member_id) == ("Alice", "M-1")
    assert person.template_labels == ("front", "right", "down", "left")
    assert registry.identify(unit(SEED)).person.id == person.id
    assert (flow.step.pose_needed, flow.step.poses_done) == ("front", 0)
    with pytest.raises(RegistryError, match="front pose is still needed"):
        flow.finish("Alice again", None, consent=True)  # the same frames never enroll twice
    assert [p.display_name for p in registry.people()] == ["Alice"]


def test_finish_before_every_pose_enrolls_nothing(flow, registry):
    for _ in range(2):
        flow.offer((posed("front"),))
    with pytest.raises(RegistryError, match="right pose is still needed"):
        flow.finish("Alice", None, consent=True)
    assert registry.people() == []


def test_a_refused_finish_keeps_the_frames_for_another_try(flow, registry):
    collect_every_pose(flow)
    with pytest.raises(RegistryError, match="consent"):
        flow.finish("Alice", None, consent=False)
    assert registry.people() == [] and flow.step.done
    assert flow.finish("Alice", None, consent=True).display_name == "Alice"


def test_restart_forgets_the_collected_frames(flow):
    flow.offer((posed("front"),))
    flow.offer((posed("front"),))
    assert flow.step.poses_done == 1
    flow.restart()
    assert (flow.step.poses_done, flow.step.pose_needed, flow.step.code) == (0, "front", "no_face")


def write_photo(path, seed: int):
    image = np.full((64, 64, 3), 100, np.uint8)
    image[0, 0, 0] = seed
    assert cv2.imwrite(str(path), image)
    return path


def test_enroll_images_makes_one_template_per_file(flow, registry, tmp_path):
    paths = [write_photo(tmp_path / "a.png", 11), str(write_photo(tmp_path / "b.png", 12))]
    person = flow.enroll_images(paths, "Bob", None, consent=True)
    assert person.template_labels == ("image", "image")
    assert registry.identify(unit(12)).person.id == person.id


def test_a_corrupt_image_file_enrolls_nothing(flow, registry, tmp_path):
    existing = flow.enroll_images([write_photo(tmp_path / "a.png", 11)], "Bob", None, True)
    good = write_photo(tmp_path / "c.png", 21)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a jpeg")
    with pytest.raises(ImageError, match=r"broken\.jpg is not a readable image"):
        flow.enroll_images([good, broken], "Carol", None, consent=True)
    with pytest.raises(DuplicatePersonError):
        flow.enroll_images([good], "Bob", None, consent=True)
    assert [p.id for p in registry.people()] == [existing.id]
    assert registry.identify(unit(21)).person is None


@pytest.mark.integration
def test_real_models_guide_the_poses_and_enroll_photos_all_or_nothing(
    real_pipeline, real_registry, faces_dir, tmp_path
):
    from checkout_app.vision.image_files import load_image_bgr

    flow = EnrollmentFlow(real_pipeline, real_registry, frames_per_pose=1)
    kit = faces_dir / "train" / "kit_harington"
    facing = load_image_bgr(kit / "john1.jpeg")  # MTCNN yaw ≈ -0.03: front
    turned = load_image_bgr(kit / "john2.jpeg")  # yaw ≈ -0.28: turned to his right
    assert flow.offer(np.full((480, 640, 3), 90, np.uint8)).code == "no_face"
    assert flow.offer(turned).code == "wrong_pose"  # front comes first
    assert (flow.offer(facing).code, flow.step.pose_needed) == ("accepted", "right")
    assert (flow.offer(turned).code, flow.step.pose_needed) == ("accepted", "down")
    assert flow.offer(facing).code == "wrong_pose"

    obama = sorted((faces_dir / "train" / "obama").iterdir())
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a jpeg")
    with pytest.raises(ImageError, match="not a readable image"):
        flow.enroll_images([*obama, broken], "obama", None, consent=True)
    assert real_registry.people() == []
    person = flow.enroll_images(obama, "obama", None, consent=True)
    assert person.template_labels == ("image", "image")
    probe = load_image_bgr(faces_dir / "test" / "obama1.jpg")
    [result] = real_pipeline.identify(probe, real_registry)
    assert result.person_name == "obama"
