"""The demo face camera: frames, pacing, the acted head turn, and (with the real MTCNN) that the
liveness check passes only for the asked turn and the enrollment shots hold one good face."""

from __future__ import annotations

import math

import numpy as np
import pytest

from checkout_app.camera import demo_face_source as module
from checkout_app.camera.demo_face_source import (
    DEMO_SHOPPER_NAME,
    DemoFaceSource,
    HeadTurnTiming,
    demo_enrollment_images,
    head_turn_angle,
    person_layer,
)
from checkout_app.camera.source import SourceError

TIMING = HeadTurnTiming()
FPS = 15.0
# Frame index (after the act at frame 1) in the middle of the held turn.
HOLD_INDEX = 1 + round((TIMING.reaction_s + TIMING.turn_s + TIMING.hold_s / 2) * FPS)
# Rows of the frame below the neck: shoulders and suit, which the head turn must leave alone.
BELOW_NECK_Y = 330


def read_frames(source: DemoFaceSource, n: int) -> list[np.ndarray]:
    return [source.read().image for _ in range(n)]


def test_frames_are_camera_like_bgr_with_index_and_timestamp():
    with DemoFaceSource(realtime=False) as source:
        frames = [source.read() for _ in range(3)]
    assert source.name == "demo-face" and source.fps == FPS
    assert DEMO_SHOPPER_NAME == "Eileen (demo)"
    for i, frame in enumerate(frames):
        assert frame.image.shape == (480, 640, 3) and frame.image.dtype == np.uint8
        assert frame.index == i and frame.timestamp == pytest.approx(i / FPS)
    # Sensor noise: no two frames alike, but the same picture.
    a, b = (f.image.astype(np.int16) for f in frames[:2])
    assert np.any(a != b) and np.abs(a - b).mean() < 6


def test_same_seed_gives_the_same_frames():
    first = read_frames(DemoFaceSource(realtime=False, noise_seed=3), 2)
    second = read_frames(DemoFaceSource(realtime=False, noise_seed=3), 2)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_the_person_stands_in_front_of_a_plain_wall():
    image = DemoFaceSource(realtime=False).read().image.astype(np.float32)
    wall = image[:40, :120]  # top-left corner: wall only
    assert wall.std() < 8 and 150 < wall.mean() < 240
    face = image[150:260, 280:360]  # between the eyes and the chin at the default placement
    assert np.abs(face.mean(axis=(0, 1)) - wall.mean(axis=(0, 1))).max() > 15


def test_close_ends_the_source():
    source = DemoFaceSource(realtime=False)
    assert source.read() is not None
    source.close()
    assert source.read() is None


@pytest.mark.parametrize("challenge", ["up", "Left", "", None])
def test_act_rejects_unknown_challenges(challenge):
    with pytest.raises(ValueError, match="challenge"):
        DemoFaceSource(realtime=False).act(challenge)


def test_bad_fps_is_rejected():
    with pytest.raises(ValueError, match="fps"):
        DemoFaceSource(fps=0)


def test_head_turn_profile_reacts_turns_holds_and_comes_back():
    assert head_turn_angle(0.0) == 0.0
    assert head_turn_angle(TIMING.reaction_s) == 0.0  # still reading the prompt
    rising = [head_turn_angle(TIMING.reaction_s + TIMING.turn_s * k / 10) for k in range(11)]
    assert rising == sorted(rising) and rising[-1] == pytest.approx(TIMING.max_angle_deg)
    held = TIMING.reaction_s + TIMING.turn_s + TIMING.hold_s / 2
    assert head_turn_angle(held) == TIMING.max_angle_deg
    assert head_turn_angle(TIMING.total_s) == 0.0
    assert head_turn_angle(TIMING.total_s + 5.0) == 0.0


@pytest.mark.parametrize("challenge, sign", [("left", 1.0), ("right", -1.0)])
def test_act_turns_the_head_the_persons_way_then_back(challenge, sign):
    """Person's left = nose to the image's right = positive yaw (faces/pose.py)."""
    source = DemoFaceSource(realtime=False)
    source.read()
    assert source.yaw_angle(0) == 0.0
    source.act(challenge)
    assert source.yaw_angle(1) == 0.0  # the first frame after the prompt still faces the camera
    assert source.yaw_angle(HOLD_INDEX) == sign * TIMING.max_angle_deg
    assert source.yaw_angle(1 + round(TIMING.total_s * FPS) + 1) == 0.0


def test_face_camera_cuts_only_the_hold_short():
    source = DemoFaceSource(realtime=False)
    source.act("left")
    source.face_camera()  # still reading the prompt: she turns as asked
    while source.yaw_angle(source._index) < TIMING.max_angle_deg:
        source.read()
    source.face_camera()
    back = [source.yaw_angle(source._index + k) for k in range(round(TIMING.turn_s * FPS) + 2)]
    assert back[0] == TIMING.max_angle_deg and back == sorted(back, reverse=True)
    assert back[-1] == 0.0  # back at the camera after one turn's time, not after the hold


def test_follow_acts_out_each_prompt_once_and_faces_the_camera_when_asked():
    from types import SimpleNamespace

    def status(turn=None, challenge=None, hint="hold_still"):
        return SimpleNamespace(turn=turn, challenge=challenge, hint=hint)

    source = DemoFaceSource(realtime=False)
    source.follow(status())
    assert source.yaw_angle(HOLD_INDEX) == 0.0  # nothing asked yet
    source.follow(status(1, "right", "turn_right"))
    source.read()
    source.follow(status(1, "right", "turn_right"))  # the same prompt: the turn goes on
    assert source.yaw_angle(HOLD_INDEX) == -TIMING.max_angle_deg
    while source._index < HOLD_INDEX:
        source.read()
    source.follow(status(hint="face_camera"))  # seen: she turns back now
    assert source.yaw_angle(source._index + round(TIMING.turn_s * FPS) + 1) == 0.0
    source.follow(status(1, "right", "turn_right"))  # the same prompt again, a new payment
    assert source.yaw_angle(source._index + round(TIMING.total_s / 2 * FPS)) < 0.0


def test_the_turn_warps_the_head_and_leaves_the_rest_alone():
    still, acting = DemoFaceSource(realtime=False), DemoFaceSource(realtime=False)
    acting.read(), still.read()
    acting.act("left")
    still_frames = read_frames(still, HOLD_INDEX)
    acting_frames = read_frames(acting, HOLD_INDEX)
    assert np.array_equal(still_frames[0], acting_frames[0])  # reaction time: not turned yet
    a, b = (f.astype(np.int16) for f in (still_frames[-1], acting_frames[-1]))
    head = np.abs(a[:BELOW_NECK_Y] - b[:BELOW_NECK_Y]).mean(axis=2)
    assert (head > 40).sum() > 2000  # the face really moved
    assert np.array_equal(a[BELOW_NECK_Y:], b[BELOW_NECK_Y:])  # body, suit and wall did not


def test_realtime_paces_frames_and_recovers_from_a_stall(monkeypatch):
    clock = {"now": 100.0}
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock["now"] += seconds

    monkeypatch.setattr(module.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(module.time, "sleep", sleep)
    source = DemoFaceSource(fps=10.0, realtime=True)
    read_frames(source, 3)
    assert sleeps == pytest.approx([0.0, 0.1, 0.1])
    clock["now"] += 5.0  # the reader stopped reading for a while
    sleeps.clear()
    read_frames(source, 3)
    # One frame at once, then camera pace again: no burst of 50 frames to catch up.
    assert sleeps == pytest.approx([0.0, 0.1, 0.1])


def test_without_realtime_nothing_sleeps(monkeypatch):
    monkeypatch.setattr(module.time, "sleep", lambda s: pytest.fail("slept"))
    read_frames(DemoFaceSource(realtime=False), 3)


def test_missing_photo_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="demo face photo"):
        person_layer(tmp_path / "missing.jpg")


def test_person_is_cut_out_of_the_studio_backdrop():
    layer = person_layer()
    assert layer.shape == (512, 512, 4) and layer.dtype == np.uint8
    alpha = layer[..., 3]
    assert alpha[110, 225] == 255  # the face (nose at 225, 129)
    assert alpha[250, 225] == 255  # the suit
    assert alpha[100, 40] == 0  # the flag on the left
    assert alpha[200, 420] == 0  # the shuttle model on the right


def test_enrollment_images_are_distinct_camera_shots():
    images = demo_enrollment_images(4)
    assert len(images) == 4
    for image in images:
        assert image.shape == (480, 640, 3) and image.dtype == np.uint8
    for i in range(4):
        for j in range(i + 1, 4):
            assert np.abs(images[i].astype(np.int16) - images[j]).mean() > 3
    assert all(np.array_equal(a, b) for a, b in zip(images, demo_enrollment_images(4)))


def test_enrollment_images_need_at_least_one():
    with pytest.raises(ValueError, match="n must be"):
        demo_enrollment_images(0)


# --- with the real MTCNN (weights ship inside the facenet-pytorch wheel) ----------------------

# The whole act (reaction, turn, hold, back) at 15 fps, and a frame facing the camera after it.
FRAMES_AFTER_ACT = math.ceil(TIMING.total_s * FPS) + 1


@pytest.fixture(scope="module")
def detector():
    torch = pytest.importorskip("torch")
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector

    # One torch thread: on a busy 2-core machine torch's spinning workers slow MTCNN down a lot.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield MtcnnFaceDetector()
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def acted_yaws(detector) -> dict:
    """Per scenario, the yaw ratio of the frame before the prompt and of every frame after it."""
    from checkout_app.faces.liveness import frame_yaw

    yaws = {}
    for challenge in ("left", "right", None):
        source = DemoFaceSource(realtime=False, noise_seed=11)
        series = [frame_yaw(detector.detect(source.read().image))]
        if challenge:
            source.act(challenge)
        frames = read_frames(source, FRAMES_AFTER_ACT if challenge else 12)
        series += [frame_yaw(detector.detect(image)) for image in frames]
        yaws[challenge] = series
    return yaws


@pytest.mark.integration
@pytest.mark.parametrize("challenge", ["left", "right"])
def test_real_liveness_passes_for_the_acted_turn(acted_yaws, challenge):
    from checkout_app.faces.liveness import verify_head_turn

    yaws = acted_yaws[challenge]
    assert all(y is not None for y in yaws)
    sign = 1.0 if challenge == "left" else -1.0
    assert abs(yaws[0]) < 0.1  # facing the camera
    assert max(sign * y for y in yaws) >= 0.3  # MTCNN sees a clear turn (threshold 0.25)
    assert verify_head_turn(challenge, yaws[:13]).passed  # every frame, as at 15 fps
    assert verify_head_turn(challenge, yaws[::2]).passed  # a detector at half the frame rate
    assert verify_head_turn(challenge, yaws[::3]).passed  # ... at a third
    assert abs(yaws[-1]) < 0.15  # and back to the front


@pytest.mark.integration
@pytest.mark.parametrize("challenge", ["left", "right"])
def test_real_liveness_fails_for_the_opposite_turn(acted_yaws, challenge):
    from checkout_app.faces.liveness import verify_head_turn

    opposite = "right" if challenge == "left" else "left"
    verdict = verify_head_turn(opposite, acted_yaws[challenge][:13])
    assert not verdict.passed and verdict.reason == "turned the wrong way"


@pytest.mark.integration
@pytest.mark.parametrize("challenge", ["left", "right"])
def test_real_liveness_fails_for_the_untouched_photo(acted_yaws, challenge):
    from checkout_app.faces.liveness import verify_head_turn

    yaws = acted_yaws[None]
    assert max(abs(y) for y in yaws) < 0.1
    assert not verify_head_turn(challenge, yaws).passed


class _UnusedEmbedder:
    name = "unused"

    def embed(self, crops):
        raise AssertionError("enrollment_face must not embed")


@pytest.mark.integration
def test_enrollment_images_each_hold_one_good_face(detector):
    from checkout_app.faces.pipeline import FacePipeline

    pipeline = FacePipeline(detector, _UnusedEmbedder())
    for i, image in enumerate(demo_enrollment_images(4)):
        face = pipeline.enrollment_face(image, f"demo {i}")  # ImageError if not exactly 1 good
        assert face.score > 0.99
