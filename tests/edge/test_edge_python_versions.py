"""Python-version contracts, checked with vermin: jetson/checkout_edge runs on the Nano's Python
3.6 (stock JetPack 4.6), checkout_app on Python 3.8 (the Ubuntu 20.04 Nano image). Plus the
import contract of checkout_edge: numpy and the standard library at import time; tensorrt,
pycuda and OpenCV only inside functions; never checkout_app."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDGE = ROOT / "jetson" / "checkout_edge"
APP = ROOT / "checkout_app"
LAZY_ONLY = {"tensorrt", "pycuda", "cv2"}


def vermin_binary() -> str | None:
    """vermin on PATH, or the one pip put next to this Python (the [dev] extra)."""
    beside_python = Path(sys.executable).parent / "vermin"
    return shutil.which("vermin") or (str(beside_python) if beside_python.exists() else None)


def vermin(target: str, path: Path, *extra: str) -> subprocess.CompletedProcess:
    binary = vermin_binary()
    if binary is None:
        pytest.skip("vermin not installed (pip install vermin; it is in the [dev] extra)")
    result = subprocess.run(
        [binary, f"-t={target}-", "--violations", "--no-tips", *extra, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Minimum required versions" in result.stdout, result.stdout + result.stderr
    return result


def test_checkout_edge_runs_on_python_3_6():
    # --eval-annotations: without `from __future__ import annotations` (3.7+) Python 3.6
    # evaluates annotations at definition time, so `list[int]` in one would fail at import.
    result = vermin("3.6", EDGE, "--eval-annotations")
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkout_app_runs_on_python_3_8():
    result = vermin("3.8", APP)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "snippet",
    [
        "from __future__ import annotations\n",
        "from dataclasses import dataclass\n",
        "import subprocess\nsubprocess.run(['x'], text=True)\n",
        "def f(x: list[int]):\n    pass\n",
        "x = 1\nprint(f'{x=}')\n",
        "if (n := 3):\n    pass\n",
        "def f(a, /):\n    pass\n",
    ],
)
def test_vermin_catches_what_breaks_python_3_6(tmp_path, snippet):
    """The check above can fail: each of these is refused under the same flags."""
    path = tmp_path / "newer.py"
    path.write_text(snippet)
    result = vermin("3.6", path, "--eval-annotations")
    assert result.returncode != 0
    assert "Target versions not met:   3.6-" in result.stdout


def function_level_imports(tree: ast.Module) -> set[str]:
    names = set()
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(func):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names


def _top_level_walk(tree: ast.Module):
    """Nodes not inside a function body."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(ast.iter_child_nodes(node))


@pytest.mark.parametrize("module", sorted(EDGE.glob("*.py")), ids=lambda p: p.name)
def test_checkout_edge_imports(module):
    tree = ast.parse(module.read_text())
    eager = set()
    for node in _top_level_walk(tree):
        if isinstance(node, ast.Import):
            eager.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            eager.add(node.module.split(".")[0])
    allowed = set(sys.stdlib_module_names) | {"numpy", "checkout_edge"}
    assert eager <= allowed, f"imported at module level: {sorted(eager - allowed)}"
    everything = eager | function_level_imports(tree)
    assert "checkout_app" not in everything
    assert everything <= allowed | LAZY_ONLY, sorted(everything - allowed - LAZY_ONLY)


PYTHON36_ENV = "CHECKOUT_EDGE_PYTHON36"


def test_checkout_edge_under_a_real_python_3_6():
    """vermin reads the code; this runs it. Set CHECKOUT_EDGE_PYTHON36 to a Python 3.6 with
    numpy and OpenCV (e.g. a pyenv 3.6 venv with numpy==1.19.4 opencv-python-headless)."""
    python36 = os.environ.get(PYTHON36_ENV)
    if not python36:
        pytest.skip(f"{PYTHON36_ENV} not set: no Python 3.6 interpreter to run the smoke test")
    here = Path(__file__).resolve().parent
    result = subprocess.run(
        [python36, str(here / "edge_py36_smoke.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'jetson'}{os.pathsep}{here}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().startswith("ok 3.6."), result.stdout
