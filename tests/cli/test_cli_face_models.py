"""Face commands when FaceNet cannot be prepared, and argument checks before any model loads:
one line with the cause and the fix, an exit code, never a traceback."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT, EXIT_MODEL_FAILED


@pytest.fixture
def photo_dir(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    cv2.imwrite(str(folder / "face.jpg"), np.full((120, 120, 3), 128, np.uint8))
    return folder


@pytest.fixture
def broken_graph(tmp_path, monkeypatch):
    """A truncated graph_final.pb in place of the installed one, and no cached weights."""
    bad = tmp_path / "graph_final.pb"
    bad.write_bytes(b"\x0a\xff\xff\xff\x0f")
    monkeypatch.setattr("checkout_app.backends.facenet_convert.locate_facenet_graph", lambda: bad)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty_torch_cache"))
    return bad


def face_commands(photo_dir) -> list:
    return [
        ["models", "prepare"],
        ["faces", "identify", str(photo_dir / "face.jpg")],
        ["faces", "enroll", "--name", "Kim", "--consent", "--images", str(photo_dir)],
        ["export"],
    ]


@pytest.mark.parametrize("command", range(4), ids=["prepare", "identify", "enroll", "export"])
def test_a_broken_face_graph_is_one_line_naming_the_file(
    command, broken_graph, photo_dir, app_home, capsys
):
    assert main(face_commands(photo_dir)[command]) == EXIT_MODEL_FAILED
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and str(broken_graph) in lines[0], err
    assert "not a TensorFlow graph" in lines[0] and "Traceback" not in err
    assert not (app_home / "models").exists()


def test_an_unexpected_failure_names_the_cause_and_the_reinstall(broken_graph, monkeypatch, capsys):
    """What a new release of a dependency does (OpenCV 5.1 dropped a function the old converter
    called): the cause and the fix, not a traceback."""

    def drifted(_path):
        raise AttributeError("module 'google.protobuf' has no attribute 'message_factory'")

    monkeypatch.setattr("checkout_app.backends.facenet_convert.read_graph", drifted)
    assert main(["models", "prepare"]) == EXIT_MODEL_FAILED
    err = capsys.readouterr().err
    assert "AttributeError: module 'google.protobuf'" in err
    assert "pip install -c constraints.txt" in err and "checkout-app models prepare" in err
    assert "Traceback" not in err


@pytest.fixture
def no_model_may_load(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a face model was loaded before the arguments were checked")

    monkeypatch.setattr("checkout_app.backends.facenet_torch.load_torch_embedder", refuse)
    monkeypatch.setattr("checkout_app.backends.mtcnn_detector.MtcnnFaceDetector", refuse)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["faces", "identify", "{tmp}/missing.jpg"], "missing.jpg"),
        (["faces", "enroll", "--name", "Kim", "--consent", "--images", "{tmp}/no"], "not a folder"),
        (["faces", "enroll", "--name", "Kim", "--consent", "--images", "{tmp}"], "no images"),
        (
            ["faces", "eval", "--train", "{tmp}/no", "--labels", "{tmp}/l.csv", "--out", "o.json"],
            "not a folder",
        ),
        (["faces", "bench", "--image", "{tmp}/missing.jpg", "--out", "b.json"], "missing.jpg"),
    ],
    ids=["identify", "enroll_no_folder", "enroll_empty_folder", "eval", "bench"],
)
def test_arguments_are_checked_before_any_model_loads(
    argv, message, tmp_path, no_model_may_load, capsys
):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([a.replace("{tmp}", str(empty)) for a in argv]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
