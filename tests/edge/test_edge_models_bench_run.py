"""TensorRT model wrappers (through the fake TensorRT), the benchmark JSON and the run loop."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from checkout_edge import bench, facenet, trt_models
from checkout_edge.cart import EdgeCart, parse_catalog
from checkout_edge.engines import EngineError
from checkout_edge.run import MAX_FAILED_FRAMES_IN_A_ROW, run_checkout
from checkout_edge.tracker import CountTracker
from checkout_edge.trt_runner import TrtRunner
from edge_trt_fakes import GOOD_ENGINE, FakeGpu, FakeModel, static_model

CLASSES = ["ramen_cup", "cola_can"]
DETECTOR_SIDECAR = {"task": "detect", "class_names": CLASSES, "input_size": [320, 320]}


def fake_yolo_head(images: np.ndarray) -> np.ndarray:
    """One candidate box at input pixels (140,140)-(180,180), class 1, scored by the share of
    bright pixels: it can only be right if the letterboxed image really reached the engine."""
    out = np.zeros((1, 4 + len(CLASSES), 3), np.float32)
    out[0, :4, 0] = [160, 160, 40, 40]
    out[0, 5, 0] = float((images > 0.9).mean())
    return out


@pytest.fixture
def engine_file(tmp_path):
    path = tmp_path / "x.engine"
    path.write_bytes(GOOD_ENGINE)
    return str(path)


@pytest.mark.parametrize("version", ["8.2.1.8", "10.3.0"])
def test_detector_wrapper_letterboxes_runs_and_maps_boxes_back(monkeypatch, engine_file, version):
    FakeGpu(monkeypatch, version, static_model((1, 3, 320, 320), (1, 6, 3), fake_yolo_head))
    detector = trt_models.TrtProductDetector(TrtRunner(engine_file), DETECTOR_SIDECAR)
    # 640x480 -> scale 0.5, 40 px grey bars top and bottom; 3/4 of the input is white
    xyxy, conf, cls = detector.detect(np.full((480, 640, 3), 255, np.uint8))
    np.testing.assert_allclose(xyxy, [[280, 200, 360, 280]], atol=1e-3)
    np.testing.assert_allclose(conf, [0.75], atol=1e-6)
    assert cls.tolist() == [1]
    assert set(detector.last_timings_ms) == {"preprocess", "inference", "postprocess"}
    assert len(detector.detect(np.zeros((480, 640, 3), np.uint8))[0]) == 0  # dark: no box


def test_detector_wrapper_refuses_an_engine_for_other_classes(monkeypatch, engine_file):
    FakeGpu(monkeypatch, "8.2.1.8", static_model((1, 3, 320, 320), (1, 9, 3), fake_yolo_head))
    with pytest.raises(EngineError, match="does not fit 2 classes"):
        trt_models.TrtProductDetector(TrtRunner(engine_file), DETECTOR_SIDECAR)


def facenet_model(max_batch: int) -> FakeModel:
    return FakeModel(
        inputs=[("faces", (-1, 3, 160, 160), np.float32)],
        outputs=[("embeddings", (-1, 512), np.float32)],
        compute=lambda i: {"embeddings": i["faces"].reshape(len(i["faces"]), -1)[:, :512] * 3},
        output_shapes=lambda shapes: {"embeddings": (shapes["faces"][0], 512)},
        profile={"faces": ((1, 3, 160, 160), (1, 3, 160, 160), (max_batch, 3, 160, 160))},
    )


def test_embedder_splits_batches_to_the_profile_and_normalises(monkeypatch, engine_file):
    gpu = FakeGpu(monkeypatch, "8.6.1.6", facenet_model(max_batch=4))
    embedder = trt_models.TrtFaceEmbedder(TrtRunner(engine_file), {"embedder_name": "casia:1"})
    crops = [np.random.default_rng(i).integers(0, 256, (160, 160, 3), np.uint8) for i in range(10)]
    gpu.calls.clear()
    vectors = embedder.embed(crops)
    assert gpu.calls.count("execute_async_v3") == 3  # 4 + 4 + 2
    expected = facenet.standardize(crops).reshape(10, -1)[:, :512]
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected, rtol=1e-5, atol=1e-6)
    assert embedder.embed([]).shape == (0, 512)
    assert embedder.name == "casia:1"


@pytest.mark.parametrize(
    ("sidecar", "role"),
    [
        ({"task": "detect"}, "detect"),
        ({"embedder_name": "casia:abc", "output_name": "embeddings"}, "embed"),
        ({"task": "embed"}, "embed"),
        ({"architecture": "something else"}, None),
    ],
)
def test_model_role(sidecar, role):
    assert trt_models.model_role(sidecar) == role


class ScriptedDetector:
    """Returns the detections of a script, one entry per frame; None raises like a failed
    TensorRT enqueue."""

    def __init__(self, script):
        self.script = list(script)
        self.last_timings_ms = {}

    def detect(self, image):
        step = self.script.pop(0)
        if step is None:
            raise RuntimeError("TensorRT failed to enqueue")
        self.last_timings_ms = {"preprocess": 1.0, "inference": 4.0, "postprocess": 0.5}
        boxes = np.array([[10 + 100 * i, 10, 90 + 100 * i, 90] for i in range(len(step))])
        return boxes.reshape(-1, 4), np.full(len(step), 0.9), np.array(step, np.int64)


def frames(n: int):
    queue = [(np.zeros((8, 8, 3), np.uint8), i / 15.0) for i in range(n)]
    return lambda: queue.pop(0) if queue else None


CATALOG = "sku,name_ko,name_en,price,class_name,active\n1,라면,Ramen,1300,ramen_cup,1\n" + (
    "2,콜라,Cola,1500,cola_can,1\n"
)


def _run_script(script, json_output: bool = False) -> tuple[int, list[str]]:
    """run_checkout over scripted detections (None: a failed frame); exit status and lines."""
    out = io.StringIO()
    status = run_checkout(
        ScriptedDetector(script),
        EdgeCart(parse_catalog(CATALOG), CLASSES),
        CountTracker(),
        frames(len(script)),
        out,
        json_output=json_output,
    )
    return status, out.getvalue().splitlines()


def test_run_loop_prints_cart_changes_and_survives_a_failed_frame():
    script = [[0]] * 4 + [None] + [[0, 1, 1]] * 5 + [[]] * 12
    status, lines = _run_script(script, json_output=True)
    assert status == 0
    # 15 fps: ramen confirmed on its 3rd frame (#2); the failed frame #4 is neither a hit nor a
    # miss; colas from #5 confirmed on #7; everything lost 10 frames after #9, on #19.
    assert lines[:3] == [
        "[   0.13 s] Ramen x1 | total ₩1,300",
        "[   0.47 s] Ramen x1, Cola x2 | total ₩4,300",
        "[   1.27 s] cart empty",
    ]
    assert lines[3] == "22 frames processed. Final cart: cart empty"
    assert json.loads(lines[4]) == {"lines": [], "total": 0}


def test_run_loop_stops_after_a_run_of_failures():
    script = [[0]] * 3 + [None] * MAX_FAILED_FRAMES_IN_A_ROW + [[0]] * 5
    status, lines = _run_script(script)
    assert status == 3
    assert lines[-1].endswith("Final cart: Ramen x1 | total ₩1,300")


class StepClock:
    def __init__(self, step_s: float) -> None:
        self.now, self.step = 0.0, step_s

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_bench_detector_skips_warmup_and_reports_stages():
    detector = ScriptedDetector([[0]] * 12)
    result = bench.bench_detector(
        detector, lambda: np.zeros((4, 4, 3)), frames=10, warmup=2, clock=StepClock(0.005)
    )
    assert result["frames"] == 10 and result["warmup_frames"] == 2
    assert result["stages"]["capture"]["median_ms"] == pytest.approx(5.0)
    assert result["stages"]["inference"]["median_ms"] == 4.0
    assert result["end_to_end"]["median_ms"] == pytest.approx(10.0)
    assert result["end_to_end_to_inference_ratio"] == 2.5
    assert result["end_to_end_fps"] == pytest.approx(1000 / 15, rel=0.1)


def test_bench_detector_with_an_empty_source_is_an_error():
    with pytest.raises(ValueError, match="ended before"):
        bench.bench_detector(ScriptedDetector([]), lambda: None, frames=5, warmup=0)


class FakeEmbedder:
    max_batch = 8

    def __init__(self):
        self.last_timings_ms = {}

    def embed(self, crops):
        self.last_timings_ms = {"preprocess": 0.2, "inference": 2.0 * len(crops), "postprocess": 0}
        return np.zeros((len(crops), 512), np.float32)


class FakeSampler:
    def __init__(self):
        self.started = self.stopped = False

    def start(self):
        self.started = True
        return True

    def stop(self):
        self.stopped = True
        return [{"ram_used_mb": 2000.0, "gpu_load_percent": 80.0, "power_in_mw": 5000.0}]


def test_bench_json_has_stages_faces_and_tegrastats(tmp_path):
    sampler = FakeSampler()
    result = bench.run_bench(
        ScriptedDetector([[0, 1]] * 8),
        FakeEmbedder(),
        bench.noise_frames(64, 48),
        frames=6,
        warmup=2,
        face_batches=[1, 8],
        face_repeats=3,
        sampler=sampler,
        machine={"tensorrt": "8.2.1.8"},
        source="noise",
    )
    path = tmp_path / "out" / "bench.json"
    bench.write_json(result, str(path))
    assert sampler.started and sampler.stopped
    assert not (tmp_path / "out" / "bench.json.part").exists()
    data = json.loads(path.read_text())
    assert data["detector"]["frames"] == 6
    assert data["detector"]["detections_per_frame_mean"] == 2.0
    assert set(data["detector"]["stages"]) == {"capture", "preprocess", "inference", "postprocess"}
    assert data["facenet"]["batch_8"]["inference"]["median_ms"] == 16.0
    assert (
        data["facenet"]["batch_8"]["per_face_median_ms"]
        < data["facenet"]["batch_1"]["total"]["median_ms"]
    )
    assert data["tegrastats"]["summary"]["gpu_load_percent_mean"] == 80.0
    assert data["tegrastats"]["running"] is True
    assert data["machine"] == {"tensorrt": "8.2.1.8"}


def test_bench_stops_tegrastats_even_when_the_run_fails():
    sampler = FakeSampler()
    with pytest.raises(ValueError):
        bench.run_bench(ScriptedDetector([]), None, lambda: None, frames=1, sampler=sampler)
    assert sampler.stopped
