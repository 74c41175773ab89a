"""Run under a real Python 3.6 (the Nano's) by test_edge_python_versions.py: the TensorRT runner
on both fake APIs, the wrappers, the tracker + cart loop, engine planning and the bench writer.

Plain asserts and a last "ok" line; Python 3.6-compatible like the code it checks. Needs numpy
and OpenCV in that interpreter (JetPack has both; pip: numpy==1.19.4 opencv-python-headless).
"""

import io
import json
import os
import sys
import tempfile

import numpy as np
from checkout_edge import bench, engines, trt_models
from checkout_edge.cart import EdgeCart, parse_catalog
from checkout_edge.run import run_checkout
from checkout_edge.tracker import CountTracker
from checkout_edge.trt_runner import BINDING_API, TENSOR_API, TrtRunner
from edge_trt_fakes import GOOD_ENGINE, FakeGpu, batch_model, static_model


class Patch:
    """The one monkeypatch method FakeGpu uses."""

    def setitem(self, mapping, key, value):
        mapping[key] = value


def main():
    folder = tempfile.mkdtemp()
    engine = os.path.join(folder, "x.engine")
    with open(engine, "wb") as handle:
        handle.write(GOOD_ENGINE)

    for version, api, executor in [
        ("8.2.1.8", BINDING_API, "execute_async_v2"),
        ("10.3.0", TENSOR_API, "execute_async_v3"),
    ]:
        gpu = FakeGpu(Patch(), version, batch_model(max_batch=4))
        runner = TrtRunner(engine)
        assert runner.api == api
        x = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2)
        y = runner.run(x)["y"]
        sums = x.reshape(2, -1).sum(axis=1)
        assert np.allclose(y, sums[:, None] * np.arange(1, 6)[None, :]), y
        assert executor in gpu.calls
        runner.close()

    def head(images):
        out = np.zeros((1, 6, 2), np.float32)
        out[0, :4, 0] = [160, 160, 40, 40]
        out[0, 5, 0] = float((images > 0.9).mean())
        return out

    FakeGpu(Patch(), "8.2.1.8", static_model((1, 3, 320, 320), (1, 6, 2), head))
    sidecar = {"class_names": ["ramen_cup", "cola_can"], "input_size": [320, 320]}
    detector = trt_models.TrtProductDetector(TrtRunner(engine), sidecar)
    xyxy, _, cls = detector.detect(np.full((480, 640, 3), 255, np.uint8))
    assert np.allclose(xyxy, [[280, 200, 360, 280]]) and cls.tolist() == [1], (xyxy, cls)

    catalog = "sku,name_ko,name_en,price,class_name,active\n2,c,Cola,1500,cola_can,1\n"
    frames = [(np.full((480, 640, 3), 255, np.uint8), i / 15.0) for i in range(5)]
    out = io.StringIO()
    status = run_checkout(
        detector,
        EdgeCart(parse_catalog(catalog), sidecar["class_names"]),
        CountTracker(),
        lambda: frames.pop(0) if frames else None,
        out,
    )
    assert status == 0 and out.getvalue().startswith("[   0.13 s] Cola x1 | total "), out.getvalue()

    result = bench.run_bench(detector, None, bench.noise_frames(64, 48), frames=3, warmup=1)
    bench.write_json(result, os.path.join(folder, "bench.json"))
    with open(os.path.join(folder, "bench.json")) as handle:
        assert json.load(handle)["detector"]["frames"] == 3

    bundle = os.path.join(folder, "bundle")
    os.makedirs(os.path.join(bundle, "models"))
    with open(os.path.join(bundle, "models", "m.onnx"), "wb") as handle:
        handle.write(b"onnx")
    with open(os.path.join(bundle, "models", "m.json"), "w") as handle:
        json.dump(
            {
                "input_name": "faces",
                "input_shape": ["batch", 3, 160, 160],
                "sha256": engines.sha256_file(os.path.join(bundle, "models", "m.onnx")),
            },
            handle,
        )
    entries, _ = engines.plan_bundle(bundle, engines.Identity("8.2.1.8", "X1", "5.3"))
    assert entries[0].reason == "missing" and entries[0].profile["max"][0] == 8
    print("ok", sys.version.split()[0])


if __name__ == "__main__":
    main()
