"""Which inference runtime runs the models: torch, onnxruntime (FP32, INT8), tensorrt or "auto".

The one place that names the backends. Runtimes are probed lazily and a missing one is reported
with its reason, never raised at import. ``resolve_backend`` turns "auto" into a concrete name:
TensorRT when it imports and engines exist for the exported models, else onnxruntime when it
imports and the ONNX exports exist, else torch. A backend asked for by name that cannot run
raises ``BackendError`` with what to install or run.

"onnxruntime-int8" runs the quantized exports (``checkout-app export --int8``) on onnxruntime.
"auto" never picks it: it is selectable only for models whose sidecar records a measured
accuracy drop below ``MAX_INT8_DROP_POINTS`` against the FP32 export (``verified_int8_sidecar``).

Where the files are: ONNX exports (``checkout-app export``) in ``HOME/models/onnx``; TensorRT
engines next to them in ``HOME/models/onnx/engines`` (``checkout_edge.engines`` naming).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from checkout_app.models_meta import ModelFileError, read_verified_sidecar, sidecar_path

log = logging.getLogger(__name__)

TORCH = "torch"
ONNXRUNTIME = "onnxruntime"
ONNXRUNTIME_INT8 = "onnxruntime-int8"
TENSORRT = "tensorrt"
AUTO = "auto"
BACKENDS = (TORCH, ONNXRUNTIME, ONNXRUNTIME_INT8, TENSORRT)
CHOICES = (*BACKENDS, AUTO)
BACKEND_ENV = "CHECKOUT_APP_BACKEND"
EXPORT_HINT = "checkout-app export"
INT8_SUFFIX = "_int8"
INT8_MEASURE_HINT = "checkout-app export --int8 --faces FACES_DIR --measure docs/results/int8.json"
# The bar for INT8: less than one point of accuracy lost (cAcc; face identification
# accuracy and false accepts), measured on the held-out sets.
MAX_INT8_DROP_POINTS = 1.0
_RUNTIME_OF = {ONNXRUNTIME_INT8: ONNXRUNTIME}  # the runtime a backend needs, where not its name


class BackendError(ModelFileError):
    """The requested backend cannot run here (runtime missing, files not exported)."""


@dataclass(frozen=True)
class BackendStatus:
    name: str
    available: bool
    reason: str | None = None  # why not, when unavailable
    version: str | None = None


def onnx_dir(home: Path) -> Path:
    """Where ``checkout-app export`` writes ONNX files and the onnxruntime backend reads them."""
    return home / "models" / "onnx"


def engines_dir(home: Path) -> Path:
    return onnx_dir(home) / "engines"


def _probe_import(backend: str, *modules: str) -> BackendStatus:
    """Import ``modules`` (the first one's version is reported); any failure is the reason."""
    version = None
    for name in modules:
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # a broken install raises OSError and others, not ImportError
            return BackendStatus(backend, False, f"{name} does not import: {exc}")
        version = version or getattr(module, "__version__", None)
    return BackendStatus(backend, True, None, version)


def _probe_installed(backend: str, *modules: str) -> BackendStatus:
    """Installed without importing (torch takes seconds to import; the app imports it anyway)."""
    for name in modules:
        if importlib.util.find_spec(name) is None:
            return BackendStatus(backend, False, f"{name} is not installed")
    return BackendStatus(backend, True)


def available_backends() -> dict[str, BackendStatus]:
    """Every backend with whether its runtime is installed here (files are not checked)."""
    return {
        TORCH: _probe_installed(TORCH, "torch", "ultralytics", "facenet_pytorch"),
        ONNXRUNTIME: _probe_import(ONNXRUNTIME, "onnxruntime"),
        TENSORRT: _probe_import(TENSORRT, "tensorrt", "pycuda.driver"),
    }


def onnx_model_path(home: Path, source_model: Path) -> Path:
    """The ONNX export of ``source_model`` (a .pt file): same stem, in ``onnx_dir(home)``."""
    return onnx_dir(home) / f"{source_model.stem}.onnx"


def _engines_exist(home: Path) -> bool:
    return engines_dir(home).is_dir() and any(engines_dir(home).glob("*.engine"))


def resolve_backend(
    name: str | None, home: Path, detector_source: Path, statuses: dict | None = None
) -> str:
    """A concrete backend for ``name`` (None: ``$CHECKOUT_APP_BACKEND``, else "auto").

    ``detector_source`` is the product model (.pt) whose ONNX export the backend would run.
    Raises ``BackendError`` for an unknown name or a named runtime that is not installed.
    """
    name = name or os.environ.get(BACKEND_ENV) or AUTO
    if name not in CHOICES:
        raise BackendError(f"unknown backend {name!r}: choose one of {', '.join(CHOICES)}")
    statuses = statuses if statuses is not None else available_backends()
    if name != AUTO:
        status = statuses[_RUNTIME_OF.get(name, name)]
        if not status.available:
            raise BackendError(f"backend {name} is not available: {status.reason}")
        return name
    exported = onnx_model_path(home, detector_source).is_file()
    if statuses[TENSORRT].available and exported and _engines_exist(home):
        chosen = TENSORRT
    elif statuses[ONNXRUNTIME].available and exported:
        chosen = ONNXRUNTIME
    else:
        chosen = TORCH
    log.info("backend auto -> %s", chosen)
    return chosen


def verified_onnx_sidecar(onnx_path: Path, source_path: Path | None = None) -> dict:
    """The sidecar of ``onnx_path`` after checking the file's sha256 and, with ``source_path``,
    that it was exported from that very model file (not an older version of it)."""
    if not onnx_path.is_file():
        raise BackendError(f"ONNX model {onnx_path} is missing. Export it with: {EXPORT_HINT}")
    meta = read_verified_sidecar(onnx_path, EXPORT_HINT)
    if source_path is not None:
        recorded = meta.get("source_model", {}).get("sha256")
        source_sha = read_verified_sidecar(source_path, EXPORT_HINT).get("sha256")
        if recorded != source_sha:
            raise ModelFileError(
                f"{onnx_path} was exported from another version of {source_path.name} "
                f"({sidecar_path(onnx_path).name} records sha256 {str(recorded)[:12]}, the model "
                f"is {str(source_sha)[:12]}). Export again with: {EXPORT_HINT}"
            )
    return meta


def int8_model_path(fp32_onnx_path: Path) -> Path:
    """Where ``checkout-app export --int8`` puts the INT8 model of an FP32 export."""
    return fp32_onnx_path.with_name(f"{fp32_onnx_path.stem}{INT8_SUFFIX}.onnx")


def int8_refusal(meta: dict, model_name: str) -> str | None:
    """Why the INT8 model with sidecar ``meta`` must not run, or None when it may."""
    accuracy = meta.get("accuracy")
    if not accuracy:
        return (
            f"the accuracy of {model_name} has not been measured against its FP32 export; "
            f"measure it with: {INT8_MEASURE_HINT}"
        )
    drop = accuracy.get("drop_points")
    if drop is not None and drop < MAX_INT8_DROP_POINTS:
        return None
    changes = ", ".join(
        f"{m['name']} {m['fp32']:.4g} -> {m['int8']:.4g} ({m['drop_points']:+.2f} points)"
        for m in accuracy.get("metrics", [])
    )
    return (
        f"{model_name} loses {drop:.2f} accuracy points to quantization ({changes}; "
        f"{accuracy.get('evaluation', 'evaluation not recorded')}), not less than the "
        f"{MAX_INT8_DROP_POINTS:g} point allowed: use --backend {ONNXRUNTIME}"
    )


def verified_int8_sidecar(
    fp32_onnx_path: Path, source_path: Path | None = None, require_selectable: bool = True
) -> dict:
    """The sidecar of the INT8 model of ``fp32_onnx_path``, checked like an FP32 export's and,
    with ``require_selectable``, refused (``BackendError``) unless its measured accuracy drop is
    below ``MAX_INT8_DROP_POINTS``. Only the measurement itself loads it unchecked."""
    path = int8_model_path(fp32_onnx_path)
    if not path.is_file():
        raise BackendError(
            f"INT8 model {path} is missing. Quantize and measure it with: {INT8_MEASURE_HINT}"
        )
    meta = verified_onnx_sidecar(path, source_path)
    if meta.get("precision") != "int8":
        raise BackendError(f"{path.name}'s sidecar does not describe an INT8 model")
    refusal = int8_refusal(meta, path.name) if require_selectable else None
    if refusal:
        raise BackendError(f"backend {ONNXRUNTIME_INT8} refused: {refusal}")
    return meta
