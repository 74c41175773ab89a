"""evaluate_products and ``eval products`` with fake detectors that see the truth."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

import checkout_app.app
from checkout_app.cli.evaluate import add_eval_products_command, summary_text
from checkout_app.training import evaluate_products as evaluation
from checkout_app.training.dataset import EvalScene
from checkout_app.training.evaluate_products import (
    annotate_failure,
    count_error_lines,
    evaluate_products,
)
from checkout_app.training.metrics import Truth
from checkout_app.vision.detections import Detections

NAMES = ["cola_can", "chips_onion", "choco_bar"]
REPORT_KEYS = {
    "images",
    "mAP50",
    "mAP50_95",
    "cAcc",
    "ACD",
    "mCCD",
    "mCIoU",
    "per_item_count",
    "per_class",
    "min_confidence",
    "seed",
    "ms_per_image",
    "plots",
}


class TruthDetector:
    """Returns the truth of the scene being evaluated, optionally changed by ``perturb``."""

    model_path = Path("truth.pt")

    def __init__(self, class_names, perturb=None) -> None:
        self.meta: dict = {}
        self.backend = "truth"
        self.last_timings_ms: dict = {}
        self.class_names = list(class_names)
        self.perturb = perturb
        self.scene: EvalScene | None = None

    def detect(self, image: np.ndarray) -> Detections:
        assert self.scene is not None and image is self.scene.image
        found = Detections(
            self.scene.boxes, np.full(len(self.scene.boxes), 0.9), self.scene.class_ids
        )
        return self.perturb(found) if self.perturb else found


def cheap_scenes(class_names, *, per_count, seed, max_items):
    """Plain grey images with k boxes in a row, classes cycling: no rendering cost."""
    for k in range(1, max_items + 1):
        for _ in range(per_count):
            boxes = np.array([[10 + 30 * i, 40, 35 + 30 * i, 80] for i in range(k)], np.float32)
            ids = np.arange(k, dtype=np.int64) % len(class_names)
            yield EvalScene(np.full((120, 40 + 30 * k, 3), 128, np.uint8), boxes, ids)


def feed(monkeypatch, detector: TruthDetector, scenes=cheap_scenes) -> None:
    """Let ``detector`` see each scene's truth as evaluate_products takes it."""

    def spied(*args, **kwargs):
        for scene in scenes(*args, **kwargs):
            detector.scene = scene
            yield scene

    monkeypatch.setattr(evaluation, "eval_scenes", spied)


def drop_last_of_three_or_more(found: Detections) -> Detections:
    if len(found) < 3:
        return found
    return Detections(found.xyxy[:-1], found.confidence[:-1], found.class_id[:-1])


def assert_png(path: Path) -> None:
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = cv2.imread(str(path))
    assert image is not None and image.shape[0] > 100 and image.shape[1] > 100


def test_perfect_detector_on_rendered_scenes(monkeypatch, tmp_path):
    detector = TruthDetector(NAMES)
    feed(monkeypatch, detector, scenes=evaluation.eval_scenes)
    report = evaluate_products(
        detector,
        NAMES,
        per_count=1,
        seed=1000,
        min_confidence=0.5,
        out_dir=tmp_path,
        max_items=2,
    )
    assert set(report) >= REPORT_KEYS
    json.dumps(report, allow_nan=False)  # the report is valid JSON
    assert report["images"] == 2
    assert report["cAcc"] == 1.0 and report["ACD"] == 0.0
    assert report["mAP50"] == pytest.approx(1.0) and report["mAP50_95"] == pytest.approx(1.0)
    assert report["per_item_count"] == [
        {"items": 1, "images": 1, "cAcc": 1.0, "ACD": 0.0},
        {"items": 2, "images": 1, "cAcc": 1.0, "ACD": 0.0},
    ]
    assert report["plots"]["failures"] == []
    assert_png(tmp_path / report["plots"]["cacc_by_item_count"])
    assert_png(tmp_path / report["plots"]["confusion_matrix"])


def test_missing_items_show_by_item_count_and_as_failure_images(monkeypatch, tmp_path):
    detector = TruthDetector(NAMES, perturb=drop_last_of_three_or_more)
    feed(monkeypatch, detector)
    report = evaluate_products(
        detector, NAMES, per_count=2, seed=7, min_confidence=0.5, out_dir=tmp_path, max_items=4
    )
    assert report["images"] == 8
    assert [row["cAcc"] for row in report["per_item_count"]] == [1.0, 1.0, 0.0, 0.0]
    assert [row["ACD"] for row in report["per_item_count"]] == [0.0, 0.0, 1.0, 1.0]
    assert report["cAcc"] == 0.5
    assert report["failed_images"] == 4
    # 3 items drop class 2 (choco_bar); 4 items drop class 0 (cola_can)
    per_class = {row["name"]: row for row in report["per_class"]}
    assert per_class["choco_bar"]["count_errors"] == 2
    assert per_class["cola_can"]["count_errors"] == 2
    assert per_class["chips_onion"]["count_errors"] == 0
    confusion = np.array(report["confusion_matrix"]["rows_predicted"])
    assert confusion[3].tolist() == [2, 0, 2, 0]  # missed items sit in the background row
    failures = report["plots"]["failures"]
    assert failures == [
        "failures/failure_01_items03.png",
        "failures/failure_02_items03.png",
        "failures/failure_03_items04.png",
        "failures/failure_04_items04.png",
    ]
    for name in failures:
        assert_png(tmp_path / name)


def test_low_confidence_detections_count_for_map_but_not_for_the_cart(monkeypatch, tmp_path):
    def unsure(found: Detections) -> Detections:
        return Detections(found.xyxy, np.full(len(found), 0.3), found.class_id)

    detector = TruthDetector(NAMES, perturb=unsure)
    feed(monkeypatch, detector)
    report = evaluate_products(
        detector, NAMES, per_count=1, seed=7, min_confidence=0.5, out_dir=tmp_path, max_items=1
    )
    assert report["mAP50"] == pytest.approx(1.0)
    assert report["cAcc"] == 0.0


def test_rejects_a_detector_with_other_classes(tmp_path):
    with pytest.raises(ValueError, match="differ"):
        evaluate_products(
            TruthDetector(["x"]),
            NAMES,
            per_count=1,
            seed=7,
            min_confidence=0.5,
            out_dir=tmp_path,
            max_items=1,
        )


def test_count_error_lines_name_each_wrong_class():
    lines = count_error_lines(np.array([1, 1, 0]), np.array([1, 2, 1]), NAMES)
    assert lines == ["chips_onion: 1 predicted, 2 true", "choco_bar: 0 predicted, 1 true"]


def test_annotate_failure_adds_a_banner_and_leaves_the_input_alone():
    image = np.full((120, 160, 3), 128, np.uint8)
    truth = Truth(np.array([[10, 10, 50, 50]], np.float32), np.array([1]))
    counted = Detections(np.array([[12, 12, 50, 52]]), [0.8], [0])
    lines = ["chips_onion: 0 predicted, 1 true", "cola_can: 1 predicted, 0 true"]
    annotated = annotate_failure(image, truth, counted, NAMES, lines)
    assert annotated.shape[1] == 160 and annotated.shape[0] > 120
    assert np.all(image == 128)
    assert not np.array_equal(annotated[-120:], image)  # boxes were drawn


def test_eval_products_command_writes_json_and_plots(monkeypatch, tmp_path, capsys):
    detector = TruthDetector(NAMES, perturb=drop_last_of_three_or_more)
    feed(monkeypatch, detector)
    loaded = {}

    def fake_loader(model_path, home, *, min_confidence=None, backend="torch"):
        loaded.update(
            model_path=model_path, home=home, min_confidence=min_confidence, backend=backend
        )
        return detector

    monkeypatch.setattr(checkout_app.app, "load_product_detector", fake_loader)
    parser = argparse.ArgumentParser()
    add_eval_products_command(
        parser.add_subparsers(dest="what").add_parser("eval").add_subparsers(dest="eval_what")
    )
    out = tmp_path / "reports" / "products.json"
    args = parser.parse_args(
        ["eval", "products", "--out", str(out), "--per-count", "1", "--min-confidence", "0.6"]
    )
    args.home = tmp_path
    assert args.func(args) == 0

    assert loaded["model_path"] is None and loaded["home"] == tmp_path
    assert loaded["backend"] == "torch"  # the default: reports say which runtime they measured
    assert loaded["min_confidence"] < 0.01  # mAP needs the low-confidence detections
    report = json.loads(out.read_text())
    assert report["seed"] == 1000 and report["min_confidence"] == 0.6
    assert report["backend"] == "torch"
    assert report["images"] == 12
    assert report["plot_dir"] == "products_plots"
    assert_png(out.parent / "products_plots" / report["plots"]["confusion_matrix"])
    printed = capsys.readouterr().out
    assert "cAcc 0.167" in printed and "3: 0.00" in printed


def test_eval_products_command_refuses_the_training_seed(tmp_path):
    from checkout_app.cli.errors import CliError

    parser = argparse.ArgumentParser()
    add_eval_products_command(parser.add_subparsers(dest="what"))
    args = parser.parse_args(["products", "--out", str(tmp_path / "r.json"), "--seed", "0"])
    args.home = tmp_path
    with pytest.raises(CliError, match="training seed"):
        args.func(args)


def test_summary_text_skips_counts_without_images():
    report = {
        "images": 2,
        "cAcc": 0.5,
        "cAcc_target": 0.97,
        "ACD": 0.5,
        "mAP50": 0.9,
        "mAP50_95": 0.7,
        "ms_per_image": 12.0,
        "per_item_count": [
            {"items": 1, "images": 2, "cAcc": 0.5, "ACD": 0.5},
            {"items": 2, "images": 0, "cAcc": None, "ACD": None},
        ],
    }
    assert summary_text(report).splitlines()[1] == "cAcc by item count: 1: 0.50"
