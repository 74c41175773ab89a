"""The shipped product model on rendered scenes and the demo visit: the exact cart comes out."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import numpy as np
import pytest

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_MODEL_FAILED
from checkout_app.core.catalog_csv import load_catalog_csv
from checkout_app.models_meta import ModelFileError, read_verified_sidecar
from checkout_app.paths import DEFAULT_PRODUCT_MODEL, DEMO_CATALOG_PATH
from checkout_app.training.dataset import eval_scenes
from checkout_app.training.evaluate_tracking import evaluate_demo_tracking
from checkout_app.vision.synthetic.scenario import DEMO_SCRIPT, demo_frames

pytestmark = pytest.mark.integration


def test_shipped_model_matches_its_sidecar_and_the_demo_catalog():
    meta = read_verified_sidecar(DEFAULT_PRODUCT_MODEL, "n/a")
    catalog = load_catalog_csv(DEMO_CATALOG_PATH)
    assert meta["class_names"] == [p.class_name for p in catalog]
    assert meta["training_command"].startswith("checkout-app")


def test_counts_on_held_out_scenes(product_detector):
    """Single frames, 2 scenes per item count 1..8 (seed never trained on).

    Bounds follow the measured single-frame accuracy (docs/results/eval_products.json: cAcc
    0.90 for 1-8 items): most scenes exactly right and at most one item off per 3 scenes.
    """
    names = product_detector.class_names
    scenes = list(eval_scenes(names, per_count=2, seed=4242, max_items=8))
    exact = 0
    count_error = 0
    for scene in scenes:
        predicted = Counter(product_detector.detect(scene.image).class_id.tolist())
        truth = Counter(scene.class_ids.tolist())
        exact += predicted == truth
        count_error += sum(((predicted - truth) + (truth - predicted)).values())
    assert exact >= 12, f"{exact}/{len(scenes)} scenes counted exactly"
    assert count_error <= len(scenes) / 3


def test_demo_tracking_is_stable_and_ends_with_the_true_cart(product_detector):
    report = evaluate_demo_tracking(product_detector)
    assert report["final_cart_matches_truth"]
    assert report["frame_cart_accuracy"] >= 0.98
    assert report["changes"] == sum(event[1] != "show" for event in DEMO_SCRIPT)


def test_headless_demo_run_prints_the_final_cart_as_json(capsys):
    assert main(["run", "--headless", "--source", "demo", "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    cart = json.loads(out[-1])
    truth = list(demo_frames())[-1].truth
    catalog = {p.class_name: p for p in load_catalog_csv(DEMO_CATALOG_PATH)}
    expected = {catalog[name].sku: n for name, n in truth.items()}
    assert {line["sku"]: line["qty"] for line in cart["lines"]} == expected
    assert cart["total"] == sum(catalog[n].price * k for n, k in truth.items())
    assert all(line["line_total"] == line["qty"] * line["unit_price"] for line in cart["lines"])
    assert any("total" in line for line in out[:-1]), "cart changes are printed as they happen"


def test_bench_writes_per_stage_json(tmp_path):
    out = tmp_path / "bench.json"
    assert main(["bench", "--out", str(out), "--frames", "8"]) == 0
    report = json.loads(out.read_text())
    assert set(report["stages"]) == {"read", "preprocess", "inference", "postprocess", "tracking"}
    assert all(s["p95_ms"] >= s["median_ms"] >= 0 for s in report["stages"].values())
    assert report["end_to_end_fps"] > 0 and report["end_to_end_to_inference_ratio"] > 1
    assert report["backend"] == "torch" and report["device"].startswith("cpu (")


def test_a_device_is_for_the_torch_backend_only(capsys):
    assert main(["bench", "--out", "b.json", "--backend", "onnxruntime", "--device", "0"]) == (
        EXIT_MODEL_FAILED
    )
    assert "--device 0 applies to the torch backend" in capsys.readouterr().err


def test_corrupt_model_is_refused_with_the_rebuild_command(tmp_path, capsys):
    broken = tmp_path / "products.pt"
    shutil.copyfile(DEFAULT_PRODUCT_MODEL, broken)
    shutil.copyfile(DEFAULT_PRODUCT_MODEL.with_suffix(".json"), broken.with_suffix(".json"))
    data = bytearray(broken.read_bytes())
    data[1000:1100] = bytes(100)
    broken.write_bytes(bytes(data))
    code = main(["run", "--headless", "--model", str(broken), "--max-frames", "1"])
    err = capsys.readouterr().err
    assert code == EXIT_MODEL_FAILED
    assert str(broken) in err and "checkout-app train products" in err
    assert "Traceback" not in err


def test_truncated_model_with_matching_sidecar_fails_cleanly(tmp_path):
    from checkout_app.app import load_product_detector
    from checkout_app.models_meta import file_sha256

    broken = tmp_path / "products.pt"
    broken.write_bytes(DEFAULT_PRODUCT_MODEL.read_bytes()[:5000])
    meta = json.loads(DEFAULT_PRODUCT_MODEL.with_suffix(".json").read_text())
    meta["sha256"] = file_sha256(broken)
    broken.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match="could not be loaded"):
        load_product_detector(broken, tmp_path)


def test_detector_output_is_a_valid_detections_on_a_blank_counter(product_detector):
    detections = product_detector.detect(np.full((480, 640, 3), 150, np.uint8))
    assert len(detections) == 0
