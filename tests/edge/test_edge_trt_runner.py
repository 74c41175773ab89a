"""TrtRunner against fakes of TensorRT 8.2 (bindings), 8.6 (both APIs) and 10 (tensors only)."""

from __future__ import annotations

import numpy as np
import pytest
from checkout_edge.engines import EngineError
from checkout_edge.trt_runner import BINDING_API, TENSOR_API, TrtRunner
from edge_trt_fakes import GOOD_ENGINE, FakeGpu, batch_model

# version -> (API the runner must use, executor it must call, shape setter it must call)
VERSIONS = {
    "8.2.1.8": (BINDING_API, "execute_async_v2", "set_binding_shape"),
    "8.6.1.6": (TENSOR_API, "execute_async_v3", "set_input_shape"),
    "10.3.0": (TENSOR_API, "execute_async_v3", "set_input_shape"),
}
OTHER_CALLS = {"execute_async_v2", "execute_async_v3", "set_binding_shape", "set_input_shape"}


@pytest.fixture
def engine_file(tmp_path):
    path = tmp_path / "abc_trt8.2.1.8_fp16.engine"
    path.write_bytes(GOOD_ENGINE)
    return str(path)


def expected(x: np.ndarray) -> np.ndarray:
    sums = x.astype(np.float64).reshape(len(x), -1).sum(axis=1)
    return (sums[:, None] * np.arange(1, 6)[None, :]).astype(np.float32)


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_data_flows_through_the_right_api(monkeypatch, engine_file, version):
    gpu = FakeGpu(monkeypatch, version, batch_model(max_batch=8))
    api, executor, shape_setter = VERSIONS[version]
    runner = TrtRunner(engine_file)
    assert runner.api == api
    assert [(s.name, s.is_input, s.shape) for s in runner.specs] == [
        ("x", True, (-1, 3, 2, 2)),
        ("y", False, (-1, 5)),
    ]
    assert runner.inputs[0].max_shape == (8, 3, 2, 2)
    assert runner.outputs[0].max_shape == (8, 5)
    rng = np.random.default_rng(0)
    for batch in (3, 1, 8):  # shrinking then growing: each call sets its own shape
        x = rng.random((batch, 3, 2, 2), dtype=np.float32)
        gpu.calls.clear()
        out = runner.run(x)
        assert set(out) == {"y"}
        assert out["y"].shape == (batch, 5) and out["y"].dtype == np.float32
        np.testing.assert_allclose(out["y"], expected(x), rtol=1e-6)
        used = [c for c in gpu.calls if c in OTHER_CALLS]
        assert used == [shape_setter, executor]
        assert gpu.calls.index("htod") < gpu.calls.index(executor) < gpu.calls.index("dtoh")
    assert gpu.cuda.context_depth == 0  # every push popped
    runner.close()
    assert gpu.cuda.memory == {} and "detach" in gpu.calls


def test_results_are_copies_not_views_of_the_pinned_buffers(monkeypatch, engine_file):
    FakeGpu(monkeypatch, "8.2.1.8", batch_model())
    runner = TrtRunner(engine_file)
    first = runner.run({"x": np.ones((1, 3, 2, 2), np.float32)})["y"]
    runner.run({"x": np.zeros((1, 3, 2, 2), np.float32)})
    np.testing.assert_allclose(first, expected(np.ones((1, 3, 2, 2))))


def test_input_is_cast_to_the_engine_dtype(monkeypatch, engine_file):
    FakeGpu(monkeypatch, "10.3.0", batch_model(in_dtype=np.float16))
    runner = TrtRunner(engine_file)
    x = np.full((2, 3, 2, 2), 0.5, np.float64)  # float64 and not what the engine takes
    np.testing.assert_allclose(runner.run(x)["y"], expected(x.astype(np.float16)))


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (np.zeros((9, 3, 2, 2), np.float32), "profile"),  # above the profile's max batch
        (np.zeros((1, 3, 4, 4), np.float32), "shape"),  # a static dimension differs
        (np.zeros((3, 2, 2), np.float32), "shape"),  # missing the batch dimension
        ({"images": np.zeros((1, 3, 2, 2), np.float32)}, "missing"),  # wrong input name
    ],
)
def test_bad_inputs_are_refused_before_reaching_the_gpu(monkeypatch, engine_file, inputs, message):
    gpu = FakeGpu(monkeypatch, "8.2.1.8", batch_model())
    runner = TrtRunner(engine_file)
    gpu.calls.clear()
    with pytest.raises(ValueError, match=message):
        runner.run(inputs)
    assert "htod" not in gpu.calls
    assert gpu.cuda.context_depth == 0


@pytest.mark.parametrize("mode", ["none", "raise"])
@pytest.mark.parametrize("version", ["8.2.1.8", "10.3.0"])
def test_foreign_engine_is_a_one_line_error_with_the_fix(monkeypatch, engine_file, mode, version):
    gpu = FakeGpu(monkeypatch, version, batch_model(), deserialize=mode)
    with pytest.raises(EngineError) as info:
        TrtRunner(engine_file, rebuild_hint="run jetson/build_engines.sh /opt/bundle")
    message = str(info.value)
    assert "\n" not in message
    assert "abc_trt8.2.1.8_fp16.engine" in message and version in message
    assert message.endswith("run jetson/build_engines.sh /opt/bundle")
    assert gpu.cuda.context_depth == 0 and "detach" in gpu.calls


def test_damaged_engine_file_is_refused(monkeypatch, tmp_path):
    FakeGpu(monkeypatch, "8.2.1.8", batch_model())
    path = tmp_path / "x.engine"
    path.write_bytes(GOOD_ENGINE[:5])  # truncated copy
    with pytest.raises(EngineError, match="cannot load"):
        TrtRunner(str(path))


def test_missing_tensorrt_is_reported_not_crashed(monkeypatch, engine_file):
    import sys

    monkeypatch.setitem(sys.modules, "tensorrt", None)  # import raises ImportError
    with pytest.raises(EngineError, match=r"setup\.sh"):
        TrtRunner(engine_file)
