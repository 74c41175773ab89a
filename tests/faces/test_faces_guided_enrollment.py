"""Guided enrollment collects good frames per pose in order: front, right, down, left."""

from __future__ import annotations

import numpy as np
import pytest

from checkout_app.faces.guided_enrollment import GuidedEnrollment
from checkout_app.faces.types import Face

NOSE = {"front": (60, 60), "left": (74, 60), "right": (46, 60), "down": (60, 72)}


def posed(pose: str, seed: int = 0) -> Face:
    pts = np.array([[40, 40], [80, 40], NOSE[pose], [45, 80], [75, 80]], np.float32)
    rng = np.random.default_rng(seed)
    crop = np.clip(128 + rng.integers(-40, 41, (160, 160, 1)), 0, 255).repeat(3, 2).astype(np.uint8)
    return Face((0, 0, 120, 120), pts, 0.99, crop)


def test_poses_are_collected_in_order():
    guide = GuidedEnrollment(frames_per_pose=2)
    assert guide.pose_needed == "front"
    assert not guide.offer([posed("left")]).accepted  # wrong pose: asked again for front
    for pose in ("front", "front", "right", "right", "down", "down", "left"):
        assert guide.offer([posed(pose)]).accepted
    feedback = guide.offer([posed("left")])
    assert feedback.accepted and feedback.pose_needed is None and guide.done
    assert [(p, len(f)) for p, f in guide.collected()] == [
        ("front", 2),
        ("right", 2),
        ("down", 2),
        ("left", 2),
    ]


def test_frames_without_exactly_one_good_face_are_refused():
    guide = GuidedEnrollment()
    assert "no face" in guide.offer([]).message
    assert "2 faces" in guide.offer([posed("front"), posed("front")]).message
    dark = posed("front")
    dark = Face(dark.box, dark.landmarks, dark.score, (dark.crop // 8).astype(np.uint8))
    assert "too dark" in guide.offer([dark]).message
    assert guide.collected()[0] == ("front", [])


def test_camera_enrollment_runs_the_guide_over_frames(monkeypatch):
    """``faces enroll --camera``: frames from a (fake) camera until every pose is collected."""
    from checkout_app.cli import faces as cli
    from checkout_app.faces.pipeline import FacePipeline

    script = ["front"] * 3 + ["left"] + ["right"] * 3 + ["down"] * 3 + ["left"] * 3
    frames = iter(script)

    class FakeCamera:
        def __init__(self, index):
            self.index = index

        def isOpened(self):
            return True

        def read(self):
            return True, next(frames)  # the "frame" is the pose the fake detector sees

        def release(self):
            pass

    class PoseDetector:
        def detect(self, pose):
            return [posed(pose)]

    class ConstantEmbedder:
        name = "fake"

        def embed(self, crops):
            return np.tile(np.eye(512, dtype=np.float32)[0], (len(crops), 1))

    monkeypatch.setattr("cv2.VideoCapture", FakeCamera)
    pipeline = FacePipeline(PoseDetector(), ConstantEmbedder())
    templates = cli.camera_templates(pipeline, 0, timeout_s=30)
    assert [t.label for t in templates] == ["front", "right", "down", "left"]
    assert all(t.source == "camera" for t in templates)
    assert next(frames, None) is None  # every scripted frame was used, none after "done"


def test_a_camera_that_does_not_open_is_a_source_error(monkeypatch):
    from checkout_app.cli import faces as cli
    from checkout_app.cli.errors import EXIT_SOURCE_FAILED, CliError

    class ClosedCamera:
        def __init__(self, index):
            pass

        def isOpened(self):
            return False

    monkeypatch.setattr("cv2.VideoCapture", ClosedCamera)
    with pytest.raises(CliError, match="cannot open camera 3") as error:
        cli.camera_templates(object(), 3, timeout_s=1)
    assert error.value.code == EXIT_SOURCE_FAILED
