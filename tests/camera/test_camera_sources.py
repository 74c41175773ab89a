"""Frame sources: video files, image folders, dead cameras and the --source parser."""

from __future__ import annotations

import logging
import os
import sys
import time
import types
from pathlib import Path

import cv2
import numpy as np
import pytest

from checkout_app.camera import open_source as open_source_module
from checkout_app.camera import opencv_source
from checkout_app.camera.image_folder import ImageFolderSource
from checkout_app.camera.open_source import open_source
from checkout_app.camera.opencv_source import V4L_SELECT_TIMEOUT_ENV, OpenCVSource, redact_url
from checkout_app.camera.source import Frame, Pacer, SourceError


def write_video(path: Path, n_frames: int, fps: float) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (64, 48))
    assert writer.isOpened()
    for i in range(n_frames):
        writer.write(np.full((48, 64, 3), 20 + 40 * i, np.uint8))
    writer.release()


def write_image(path: Path, value: int) -> None:
    assert cv2.imwrite(str(path), np.full((24, 32, 3), value, np.uint8))


class FakeCapture:
    """Stands in for an opened live cv2.VideoCapture: fails ``failures`` reads, then delivers."""

    def __init__(self, failures: float) -> None:
        self.failures = failures
        self.reads = 0
        self.released = False

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.reads += 1
        if self.reads <= self.failures:
            return False, None
        return True, np.zeros((4, 4, 3), np.uint8)

    def get(self, prop: int) -> float:
        return 0.0

    def getBackendName(self) -> str:
        return "FAKE"

    def release(self) -> None:
        self.released = True


@pytest.fixture
def fake_capture(monkeypatch: pytest.MonkeyPatch) -> FakeCapture:
    """Every OpenCVSource opened in the test gets this capture instead of a real device."""
    capture = FakeCapture(failures=0)
    monkeypatch.setattr(opencv_source, "_open_capture", lambda target, timeout_s: capture)
    # OpenCVSource(int) sets this variable for V4L2; keep the test's value out of os.environ.
    monkeypatch.setenv(V4L_SELECT_TIMEOUT_ENV, "unchanged")
    return capture


@pytest.mark.parametrize(
    ("image", "ok"),
    [
        (np.zeros((4, 5, 3), np.uint8), True),
        (np.zeros((4, 5, 3), np.float32), False),
        (np.zeros((4, 5), np.uint8), False),
        (np.zeros((4, 5, 4), np.uint8), False),
    ],
)
def test_frame_accepts_only_bgr_uint8(image: np.ndarray, ok: bool) -> None:
    if ok:
        assert Frame(image, 0.0, 0).image.shape == (4, 5, 3)
    else:
        with pytest.raises(ValueError, match="uint8 H×W×3"):
            Frame(image, 0.0, 0)


def test_video_file_gives_every_frame_with_file_timestamps_then_none(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    write_video(video, n_frames=5, fps=10.0)
    with OpenCVSource(video) as source:
        assert source.fps == pytest.approx(10.0)
        assert not source.is_live
        frames = list(source)
        assert source.read() is None  # stays ended
    assert [f.index for f in frames] == [0, 1, 2, 3, 4]
    assert [f.timestamp for f in frames] == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    assert all(f.image.shape == (48, 64, 3) and f.image.dtype == np.uint8 for f in frames)
    brightness = [float(f.image.mean()) for f in frames]
    assert brightness == pytest.approx([20, 60, 100, 140, 180], abs=8)  # MJPG is lossy


def test_realtime_video_plays_at_its_frame_rate(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    write_video(video, n_frames=5, fps=50.0)
    started = time.monotonic()
    with OpenCVSource(video, realtime=True) as source:
        assert len(list(source)) == 5
    assert time.monotonic() - started >= 4 / 50.0 - 0.005


def test_realtime_image_folder_plays_at_its_frame_rate(tmp_path: Path) -> None:
    for i in range(5):
        write_image(tmp_path / f"{i}.jpg", 40 * i)
    started = time.monotonic()
    with ImageFolderSource(tmp_path, fps=50.0, realtime=True) as source:
        assert len(list(source)) == 5
    assert time.monotonic() - started >= 4 / 50.0 - 0.005


def test_the_pacer_holds_each_frame_back_to_its_timestamp() -> None:
    now, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        now[0] += seconds

    pacer = Pacer(clock=lambda: now[0], sleep=sleep)
    pacer.wait(2.0)  # the first frame at once, whatever its timestamp
    pacer.wait(2.1)
    now[0] += 0.5  # decoding fell behind: that frame at once, the next on the first's schedule
    pacer.wait(2.2)
    pacer.wait(2.8)
    assert slept == [0.0, 0.1, 0.0, 0.2]


def test_the_kiosk_plays_a_video_file_or_an_image_folder_at_its_frame_rate(
    tmp_path: Path,
) -> None:
    """Read as fast as it decodes, a recorded counter would flash past and end in seconds."""
    from checkout_app.ui.launch import source_opener

    write_image(tmp_path / "0.jpg", 90)
    video = tmp_path / "clip.avi"
    write_video(video, n_frames=2, fps=10.0)
    for spec in (str(tmp_path), str(video)):
        for face in (False, True):
            with source_opener(spec, face)() as source:
                assert source.realtime, (spec, face)
    with open_source(str(tmp_path)) as source:
        assert not source.realtime  # tests, benchmarks and evaluations: as fast as it reads


def test_missing_video_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "clip.mp4"
    with pytest.raises(SourceError, match="not found") as err:
        OpenCVSource(missing)
    assert str(missing) in str(err.value)


def test_corrupt_video_file_is_a_source_error(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.mp4"
    corrupt.write_bytes(np.random.default_rng(0).bytes(4096))
    with pytest.raises(SourceError, match=r"corrupt\.mp4") as err:
        source = OpenCVSource(corrupt)
        source.read()  # some OpenCV builds open garbage and fail on the first frame instead
    assert "decode" in str(err.value)


def test_absent_camera_fails_fast_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(V4L_SELECT_TIMEOUT_ENV, "1")
    started = time.monotonic()
    with pytest.raises(SourceError, match="camera 9 could not be opened") as err:
        source = OpenCVSource(9, stall_timeout_s=1.0)
        source.read()  # a backend that "opens" a missing device must still fail, not hang
    assert "--source demo" in str(err.value)
    assert time.monotonic() - started < 5.0


def test_stalled_live_source_raises_after_the_stall_timeout(fake_capture: FakeCapture) -> None:
    fake_capture.failures = float("inf")
    source = OpenCVSource(0, stall_timeout_s=0.2)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"camera 0 sent no frame for 0.2 s"):
        source.read()
    assert 0.2 <= time.monotonic() - started < 1.0
    assert fake_capture.released
    with pytest.raises(SourceError, match="closed"):
        source.read()


def test_live_source_rides_out_a_short_glitch(fake_capture: FakeCapture) -> None:
    fake_capture.failures = 2
    with OpenCVSource(0, stall_timeout_s=1.0) as source:
        before = time.monotonic()
        frame = source.read()
    assert frame is not None and frame.index == 0
    assert before <= frame.timestamp <= time.monotonic()
    assert fake_capture.reads == 3
    assert source.fps is None  # the capture reported 0 fps


def test_camera_index_bounds_the_v4l2_wait(
    fake_capture: FakeCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(V4L_SELECT_TIMEOUT_ENV)
    OpenCVSource(0, stall_timeout_s=2.5).close()
    assert os.environ[V4L_SELECT_TIMEOUT_ENV] == "3"
    monkeypatch.setenv(V4L_SELECT_TIMEOUT_ENV, "7")  # the user's own setting wins
    OpenCVSource(0, stall_timeout_s=2.5).close()
    assert os.environ[V4L_SELECT_TIMEOUT_ENV] == "7"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rtsp://admin:s3cret@10.0.0.5:554/live", "rtsp://***@10.0.0.5:554/live"),
        ("rtsp://10.0.0.5/live", "rtsp://10.0.0.5/live"),
        ("http://cam.local/a@b.mjpg", "http://cam.local/a@b.mjpg"),
    ],
)
def test_stream_names_hide_credentials(url: str, shown: str, fake_capture: FakeCapture) -> None:
    assert redact_url(url) == shown
    assert OpenCVSource(url).name == f"stream {shown}"


def test_image_folder_skips_a_corrupt_image_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_image(tmp_path / "a.png", 10)
    (tmp_path / "b_corrupt.jpg").write_bytes(np.random.default_rng(1).bytes(2048))
    write_image(tmp_path / "c.jpg", 130)
    write_image(tmp_path / "d.PNG", 250)
    (tmp_path / "notes.txt").write_text("not an image")
    caplog.set_level(logging.WARNING)
    with ImageFolderSource(tmp_path, fps=10.0) as source:
        frames = list(source)
        assert source.read() is None
    assert [f.index for f in frames] == [0, 1, 2]
    assert [f.timestamp for f in frames] == pytest.approx([0.0, 0.1, 0.2])
    assert [round(float(f.image.mean()), -1) for f in frames] == [10, 130, 250]
    assert "b_corrupt.jpg" in caplog.text


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        ({}, "has no"),
        ({"notes.txt": b"text"}, "has no"),
        ({"x.jpg": b"\x00" * 64, "y.png": b""}, "none of the images"),
    ],
)
def test_image_folder_without_readable_images_is_a_source_error(
    tmp_path: Path, contents: dict[str, bytes], message: str
) -> None:
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(SourceError, match=message):
        ImageFolderSource(tmp_path)


def test_single_image_gives_one_frame(tmp_path: Path) -> None:
    write_image(tmp_path / "basket.jpg", 90)
    source = ImageFolderSource(tmp_path / "basket.jpg")
    frame = source.read()
    assert frame is not None and frame.image.shape == (24, 32, 3)
    assert source.read() is None


def test_missing_image_folder_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no image folder or image file"):
        ImageFolderSource(tmp_path / "missing")


@pytest.fixture
def recorded_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    """open_source builds (kind, argument) tuples instead of real sources."""
    monkeypatch.setattr(
        open_source_module, "OpenCVSource", lambda target, realtime=False: ("opencv", target)
    )
    monkeypatch.setattr(
        open_source_module, "ImageFolderSource", lambda path, realtime=False: ("images", path)
    )
    demo = types.ModuleType("checkout_app.camera.demo_source")
    demo.DemoScenarioSource = lambda fps, realtime=False: ("demo", fps)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "checkout_app.camera.demo_source", demo)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("demo", ("demo", 12.0)),
        (" Demo ", ("demo", 12.0)),
        ("0", ("opencv", 0)),
        ("12", ("opencv", 12)),
        ("rtsp://user:pw@cam/1", ("opencv", "rtsp://user:pw@cam/1")),
        ("http://cam.local/video.mjpg", ("opencv", "http://cam.local/video.mjpg")),
        ("https://cam.local/live", ("opencv", "https://cam.local/live")),
        ("{tmp}/frames", ("images", "{tmp}/frames")),
        ("{tmp}/photo.JPG", ("images", "{tmp}/photo.JPG")),
        ("{tmp}/clip.avi", ("opencv", "{tmp}/clip.avi")),
        ("{tmp}/missing.mp4", SourceError("no such file or folder: {tmp}/missing.mp4")),
        ("", SourceError("empty --source")),
        ("²", SourceError("no such file or folder")),
    ],
)
def test_open_source_parses_the_source_string(
    spec: str, expected: object, tmp_path: Path, recorded_opens: None
) -> None:
    (tmp_path / "frames").mkdir()
    (tmp_path / "photo.JPG").write_bytes(b"")
    (tmp_path / "clip.avi").write_bytes(b"")
    spec = spec.replace("{tmp}", str(tmp_path))
    if isinstance(expected, SourceError):
        with pytest.raises(SourceError) as err:
            open_source(spec, demo_fps=12.0)
        assert str(expected).replace("{tmp}", str(tmp_path)) in str(err.value)
        return
    kind, argument = expected  # type: ignore[misc]
    if isinstance(argument, str) and "{tmp}" in argument:
        argument = Path(argument.replace("{tmp}", str(tmp_path)))
    assert open_source(spec, demo_fps=12.0) == (kind, argument)
