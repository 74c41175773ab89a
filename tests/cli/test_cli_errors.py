"""CLI behaviour that needs no trained model: help, bad input, clean exit codes."""

from __future__ import annotations

import json

import pytest

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT, EXIT_MODEL_FAILED, EXIT_SOURCE_FAILED


def test_help_lists_the_main_jobs(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "train", "eval", "bench", "catalog"):
        assert command in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["run", "--headless", "--source", "/no/such/video.mp4"],
            EXIT_SOURCE_FAILED,
            "no such file or folder",
        ),
        (
            ["run", "--headless", "--model", "/no/such/model.pt"],
            EXIT_MODEL_FAILED,
            "checkout-app train products",
        ),
        (
            ["bench", "--out", "x.json", "--model", "/no/such/model.pt"],
            EXIT_MODEL_FAILED,
            "is missing",
        ),
    ],
)
def test_bad_input_gives_one_line_and_an_exit_code(argv, code, message, capsys):
    assert main(argv) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unreadable_images_in_a_folder_source(tmp_path, capsys):
    (tmp_path / "broken.jpg").write_bytes(b"not an image")
    assert main(["run", "--headless", "--source", str(tmp_path)]) == EXIT_SOURCE_FAILED
    assert "could be read" in capsys.readouterr().err


def test_bad_catalog_for_training_is_reported_by_line(tmp_path, capsys):
    bad = tmp_path / "catalog.csv"
    bad.write_text("sku,name_ko,name_en,price,class_name,active\n1,가,A,-3,a,1\n")
    assert main(["train", "products", "--catalog", str(bad)]) == EXIT_BAD_INPUT
    assert "line 2" in capsys.readouterr().err


def test_training_smoke_run_writes_model_and_sidecar(tmp_path, app_home):
    out = tmp_path / "tiny.pt"
    argv = [
        "train",
        "products",
        "--images",
        "6",
        "--val-images",
        "2",
        "--epochs",
        "1",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    sidecar = json.loads(out.with_suffix(".json").read_text())
    assert sidecar["training_command"] == "checkout-app " + " ".join(argv)
    assert sidecar["class_names"][0] == "ramen_cup" and sidecar["data_seed"] == 0
    assert sidecar["device"].startswith("cpu (") and sidecar["epochs_run"] == 1
    assert sidecar["render_jobs"] >= 1 and sidecar["crowding"] == ["0:0"]
    assert len(sidecar["sha256"]) == 64 and out.stat().st_size > 1_000_000
