"""Rendering training datasets: the same scenes for a seed whatever the number of processes,
crowding levels in turn, and the training command's recipe and overrides."""

from __future__ import annotations

import argparse

import pytest

from checkout_app.cli.train import add_train_command, config_from_args
from checkout_app.training.dataset import Crowding, write_yolo_dataset
from checkout_app.training.train_products import RECIPES, TrainConfig

CLASSES = ["ramen_cup", "cola_can", "water_bottle"]


def dataset_files(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_same_scenes_whatever_the_number_of_processes(tmp_path):
    def render(folder, jobs):
        write_yolo_dataset(
            tmp_path / folder,
            CLASSES,
            train_images=7,
            val_images=2,
            seed=5,
            crowding=(Crowding(0.0, 0), Crowding(0.5, 1)),
            jobs=jobs,
        )
        return dataset_files(tmp_path / folder)

    one, three = render("one", 1), render("three", 3)
    assert sorted(one) == sorted(three)
    images = [name for name in one if name.endswith(".jpg")]
    assert len(images) == 9 and "images/val/val_000001.jpg" in images
    assert [n for n in one if one[n] != three[n] and n != "data.yaml"] == []


def test_another_seed_renders_other_scenes(tmp_path):
    for seed in (1, 2):
        write_yolo_dataset(tmp_path / str(seed), CLASSES, train_images=2, val_images=0, seed=seed)
    first, second = dataset_files(tmp_path / "1"), dataset_files(tmp_path / "2")
    assert first["images/train/train_000000.jpg"] != second["images/train/train_000000.jpg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.3:1", Crowding(0.3, 1)),
        ("0.5", Crowding(0.5, 0)),
        ("0:0", Crowding()),
        ("1.5:0", ValueError("within 0..1")),
        ("0.3:-1", ValueError("cannot be negative")),
        ("lots", ValueError("TOUCHING:EXTRA")),
    ],
)
def test_crowding_levels_parse(text, expected):
    if isinstance(expected, Exception):
        with pytest.raises(ValueError, match=str(expected)):
            Crowding.parse(text)
    else:
        assert Crowding.parse(text) == expected
        assert Crowding.parse(str(expected)) == expected


def parse(argv: list) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_train_command(parser.add_subparsers(dest="command"))
    return parser.parse_args(["train", "products", *argv])


def test_the_recipe_fills_what_the_command_line_leaves_out():
    config = config_from_args(parse(["--recipe", "shipped", "--epochs", "3", "--jobs", "2"]))
    assert config.epochs == 3 and config.jobs == 2 and config.recipe == "shipped"
    shipped = RECIPES["shipped"]
    assert config.train_images == shipped["train_images"] == 9000
    assert config.crowding == shipped["crowding"] and config.imgsz == 416
    assert config.cache == "ram" and config.device == "auto"


def test_without_a_recipe_the_defaults_hold_and_crowding_is_given():
    config = config_from_args(parse(["--crowding", "0:0", "0.4:1", "--device", "cpu"]))
    defaults = TrainConfig()
    assert config.train_images == defaults.train_images and config.recipe is None
    assert config.crowding == (Crowding(), Crowding(0.4, 1)) and config.device == "cpu"
    assert config.jobs >= 1


def test_a_bad_crowding_is_an_argument_error(capsys):
    with pytest.raises(SystemExit):
        parse(["--crowding", "2:1"])
    assert "within 0..1" in capsys.readouterr().err
