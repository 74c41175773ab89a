"""Engine naming and the rebuild decision (pure logic), and the CLI build_engines.sh uses."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from checkout_edge import engines
from checkout_edge.engines import EngineError, Identity
from edge_trt_fakes import FakeGpu, batch_model

NANO = Identity("8.2.1.8", "NVIDIA Tegra X1", "5.3")
NANO_NEWER_TRT = Identity("8.2.1.9", "NVIDIA Tegra X1", "5.3")
ORIN = Identity("8.2.1.8", "Orin", "8.7")  # same TensorRT, other GPU: still foreign


def write_model(folder, stem: str, input_shape: list, content: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.onnx"
    path.write_bytes(content)
    sidecar = {
        "input_name": "faces" if stem == "facenet" else "images",
        "input_shape": input_shape,
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    (folder / f"{stem}.json").write_text(json.dumps(sidecar))
    return str(path)


@pytest.fixture
def bundle(tmp_path):
    root = tmp_path / "bundle"
    write_model(root / "models", "products", [1, 3, 320, 320], b"detector graph")
    write_model(root / "models", "facenet", ["batch", 3, 160, 160], b"facenet graph")
    return str(root)


def build(entry, identity: Identity) -> None:
    """What build_engines.sh does after trtexec succeeded."""
    os.makedirs(os.path.dirname(entry.engine), exist_ok=True)
    with open(entry.engine, "wb") as handle:
        handle.write(b"engine")
    assert engines.main(["record", "--onnx", entry.onnx, "--engine", entry.engine], identity) == 0


def test_engine_name_records_model_version_and_precision():
    sha = hashlib.sha256(b"x").hexdigest()
    name = engines.engine_file_name(sha, "8.2.1.8", "fp16")
    assert name == f"{sha[:12]}_trt8.2.1.8_fp16.engine"
    assert engines.parse_engine_file_name("/a/b/" + name) == {
        "sha12": sha[:12],
        "trt_version": "8.2.1.8",
        "precision": "fp16",
    }
    assert engines.engine_file_name(sha, "8.6.1.post1", "fp32").endswith("_trt8.6.1_fp32.engine")
    assert engines.parse_engine_file_name("products.engine") is None


@pytest.mark.parametrize(
    ("sha", "version", "precision", "error"),
    [
        ("ab" * 32, "8.2.1.8", "int8", "precision"),  # no INT8 engines on the Nano
        ("not-a-sha", "8.2.1.8", "fp16", "sha256"),
        ("ab" * 32, "unknown", "fp16", "TensorRT version"),
    ],
)
def test_engine_name_rejects_bad_parts(sha, version, precision, error):
    with pytest.raises(ValueError, match=error):
        engines.engine_file_name(sha, version, precision)


@pytest.mark.parametrize(
    ("sidecar", "name", "shape", "profile"),
    [
        (
            {"input_name": "images", "input_shape": [1, 3, 320, 320]},
            "images",
            [1, 3, 320, 320],
            None,
        ),
        (
            {"input_name": "faces", "input_shape": ["batch", 3, 160, 160]},
            "faces",
            [-1, 3, 160, 160],
            {"min": [1, 3, 160, 160], "opt": [1, 3, 160, 160], "max": [8, 3, 160, 160]},
        ),
        ({"inputs": [{"name": "x", "shape": [None, 3, 2, 2]}]}, "x", [-1, 3, 2, 2], "dynamic"),
    ],
)
def test_input_spec_and_profile(sidecar, name, shape, profile):
    assert engines.input_spec(sidecar) == (name, shape)
    got = engines.profile_shapes(shape)
    if profile == "dynamic":
        assert got["max"][0] == engines.PROFILE_MAX_BATCH
    else:
        assert got == profile


def test_only_the_batch_dimension_may_be_dynamic():
    with pytest.raises(ValueError, match="batch"):
        engines.profile_shapes([1, 3, -1, -1])


def test_trtexec_shape_args():
    profile = engines.profile_shapes([-1, 3, 160, 160])
    assert engines.trtexec_shape_args("faces", profile) == [
        "--minShapes=faces:1x3x160x160",
        "--optShapes=faces:1x3x160x160",
        "--maxShapes=faces:8x3x160x160",
    ]
    assert engines.trtexec_shape_args("images", None) == []


def test_fresh_bundle_needs_every_engine_built(bundle):
    entries, unused = engines.plan_bundle(bundle, NANO)
    assert [os.path.basename(e.onnx) for e in entries] == ["facenet.onnx", "products.onnx"]
    assert all(e.reason == "missing" for e in entries)
    assert unused == []
    sha = hashlib.sha256(b"detector graph").hexdigest()
    assert entries[1].engine == os.path.join(
        bundle, "engines", f"{sha[:12]}_trt8.2.1.8_fp16.engine"
    )


def test_built_engines_are_kept_then_rebuilt_after_a_tensorrt_upgrade(bundle):
    entries, _ = engines.plan_bundle(bundle, NANO)
    for entry in entries:
        build(entry, NANO)
    entries, unused = engines.plan_bundle(bundle, NANO)
    assert [e.reason for e in entries] == [None, None] and unused == []
    recorded = engines.read_json(engines.sidecar_path(entries[0].engine))
    assert recorded["gpu"] == "NVIDIA Tegra X1" and recorded["compute_capability"] == "5.3"
    assert recorded["profile"]["max"] == [8, 3, 160, 160]

    entries, unused = engines.plan_bundle(bundle, NANO_NEWER_TRT)  # JetPack update
    assert all(e.reason == "missing" for e in entries)  # the new name does not exist yet
    # the old engines and their sidecars are to be deleted
    assert len(unused) == 4 and all("_trt8.2.1.8_" in os.path.basename(p) for p in unused)


def test_engine_from_another_gpu_is_foreign(bundle):
    entries, _ = engines.plan_bundle(bundle, ORIN)
    for entry in entries:
        build(entry, ORIN)  # built on an Orin, then the bundle was copied to a Nano
    entries, _ = engines.plan_bundle(bundle, NANO)
    assert all(e.reason.startswith("built on Orin (SM 8.7)") for e in entries)
    with pytest.raises(EngineError, match=r"run jetson/build_engines\.sh /b") as info:
        engines.engine_for_model(entries[0].onnx, NANO, "/b")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("sidecar", "no readable sidecar"),
        ("sidecar_version", "sidecar says TensorRT 8.0.1.6"),
        ("renamed", None),  # a copy under a name that is not the expected one is never used
    ],
)
def test_engine_with_missing_or_lying_sidecar_is_rebuilt(bundle, damage, reason):
    entries, _ = engines.plan_bundle(bundle, NANO)
    entry = entries[1]
    build(entry, NANO)
    sidecar = engines.sidecar_path(entry.engine)
    if damage == "sidecar":
        os.remove(sidecar)
    elif damage == "sidecar_version":
        data = engines.read_json(sidecar)
        data["tensorrt"] = "8.0.1.6"
        with open(sidecar, "w") as handle:
            json.dump(data, handle)
    else:
        os.rename(entry.engine, entry.engine.replace("_fp16", "_fp32"))
        reason = "missing"
    assert engines.plan_bundle(bundle, NANO)[0][1].reason.startswith(reason)


def test_tampered_onnx_is_refused_not_built(bundle):
    with open(os.path.join(bundle, "models", "products.onnx"), "ab") as handle:
        handle.write(b"!")
    with pytest.raises(EngineError, match="sha256 does not match"):
        engines.plan_bundle(bundle, NANO)


def test_empty_bundle_is_an_error(tmp_path):
    with pytest.raises(EngineError, match="no ONNX models"):
        engines.plan_bundle(str(tmp_path), NANO)


def test_plan_command_prints_what_the_shell_script_reads(bundle, capsys):
    assert engines.main(["plan", bundle], NANO) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [line[0] for line in lines] == ["build", "build"]
    facenet, products = lines
    assert facenet[1].endswith("facenet.onnx") and facenet[3] == "missing"
    assert facenet[4:] == engines.trtexec_shape_args(
        "faces", engines.profile_shapes([-1, 3, 160, 160])
    )
    assert products[4:] == []  # static input: no shape flags


def test_check_command_fails_until_built(bundle, capsys):
    assert engines.main(["check", bundle], NANO) == 1
    assert "products.onnx: missing" in capsys.readouterr().err
    for entry in engines.plan_bundle(bundle, NANO)[0]:
        build(entry, NANO)
    assert engines.main(["check", bundle], NANO) == 0


def test_record_refuses_an_engine_name_that_does_not_match(bundle, capsys):
    onnx = os.path.join(bundle, "models", "products.onnx")
    assert engines.main(["record", "--onnx", onnx, "--engine", "/tmp/x.engine"], NANO) == 2
    assert "not the engine name" in capsys.readouterr().err


def test_runtime_identity_from_tensorrt_and_pycuda(monkeypatch):
    FakeGpu(monkeypatch, "8.2.1.8", batch_model())
    identity = engines.runtime_identity()
    assert identity.as_dict() == {
        "tensorrt": "8.2.1.8",
        "gpu": "NVIDIA Tegra X1",
        "compute_capability": "5.3",
    }
