"""Bad input found by trying to break the app: each class ends in one clear line and an exit
code, never a traceback, and changes nothing."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT

HEADER = "sku,name_ko,name_en,price,class_name,active\n"


@pytest.fixture
def garbage_database(app_home):
    (app_home / "checkout.db").write_bytes(b"this is not a database " * 100)
    return app_home / "checkout.db"


@pytest.mark.parametrize(
    "argv",
    [["catalog", "list"], ["faces", "list"], ["run", "--headless", "--max-frames", "1"]],
    ids=["catalog", "faces", "run"],
)
def test_a_garbage_database_is_one_line_for_every_command(garbage_database, argv, capsys):
    assert main(argv) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"cannot use the database {garbage_database}" in err
    assert "restore your backup" in err and "Traceback" not in err
    assert garbage_database.read_bytes().startswith(b"this is not a database")


def test_a_home_that_cannot_be_created_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    assert main(["--home", str(blocker / "home"), "catalog", "list"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "cannot create the app home" in err and "--home" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--headless", "--max-frames", "-1"], "--max-frames: must be at least 1"),
        (["bench", "--out", "b.json", "--frames", "0"], "--frames: must be at least 1"),
        (["faces", "identify", "x.jpg", "--torch-threads", "-1"], "must be at least 1"),
        (["eval", "products", "--out", "e.json", "--per-count", "0"], "must be at least 1"),
        (["train", "products", "--epochs", "0"], "--epochs: must be at least 1"),
        (["kiosk", "--min-confidence", "0.99"], "must be between 0.05 and 0.95, got 0.99"),
        (["run", "--headless", "--min-confidence", "high"], "'high' is not a number"),
        (
            ["products", "teach", "--sku", "A", "--name", "A", "--price", "-1", "--images", "d"],
            "--price: must be at least 0",
        ),
    ],
    ids=[
        "max_frames",
        "bench_frames",
        "torch_threads",
        "per_count",
        "epochs",
        "kiosk_confidence",
        "run_confidence",
        "price",
    ],
)
def test_numbers_that_must_be_positive_are_refused_by_the_parser(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == EXIT_BAD_INPUT
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "would stop selling every product"),
        ("1,가,A,12345678901234567890123,a,1\n", "too large"),
        ("1,가," + "x" * 200_000 + ",1000,a,1\n", "unreadable CSV"),
        ("1\x00,가,A,1000,a,1\n", "control characters"),
    ],
    ids=["header_only", "23_digit_price", "200kB_cell", "nul_in_sku"],
)
def test_a_bad_catalog_file_changes_nothing(body, message, tmp_path, capsys):
    assert main(["catalog", "list"]) == 0
    before = capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + body, encoding="utf-8")
    assert main(["catalog", "import", str(bad)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert main(["catalog", "list"]) == 0
    assert capsys.readouterr().out == before


@pytest.mark.integration
def test_an_image_smaller_than_any_face_has_no_face(tmp_path, weights_home, capsys):
    home = tmp_path / "home_with_weights"
    home.mkdir()
    (home / "models").symlink_to(weights_home / "models", target_is_directory=True)
    tiny = tmp_path / "tiny.png"
    cv2.imwrite(str(tiny), np.full((30, 30, 3), 200, np.uint8))
    assert main(["--home", str(home), "faces", "identify", str(tiny)]) == 0
    assert "no face found" in capsys.readouterr().out


def test_an_unreadable_empty_counter_shot_is_one_line_before_any_model_loads(tmp_path, capsys):
    photo, broken = tmp_path / "counter.png", tmp_path / "empty.jpg"
    cv2.imwrite(str(photo), np.full((480, 640, 3), 120, np.uint8))
    broken.write_bytes(b"not a jpeg")
    argv = ["products", "identify", "--empty-counter", str(broken), str(photo)]
    assert main(argv) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"the empty counter: {broken} is not a readable image" in err and "Traceback" not in err
