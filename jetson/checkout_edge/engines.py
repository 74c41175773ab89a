"""Which TensorRT engine belongs to which ONNX model, and when an engine must be rebuilt.

A serialized TensorRT engine runs only on the TensorRT version and the GPU that built it: a
JetPack upgrade, or an engine copied from another board, gives an engine that
``deserialize_cuda_engine`` rejects (or, worse, one that loads and misbehaves). So every engine is
named after what it was built from and with::

    <first 12 hex of the ONNX sha256>_trt<TensorRT version>_<precision>.engine

and carries a JSON sidecar (same name, ``.json``) recording the ONNX file, its full sha256, the
TensorRT version, the GPU name and compute capability, the precision and the optimisation
profile. ``build_engines.sh`` asks :func:`plan_bundle` what to (re)build; the runtime asks
:func:`engine_for_model` for a usable engine before the first frame and stops with a one-line
:class:`EngineError` otherwise, so a stale engine is found at start-up, never mid-checkout.

Pure logic except :func:`runtime_identity` (imports tensorrt and pycuda lazily) and the
command line (``python3 -m checkout_edge.engines plan|record|check``) that the shell script uses.
Python 3.6-compatible: this runs on stock JetPack 4.6.
"""

import argparse
import hashlib
import json
import os
import re
import sys
from typing import Dict, List, Optional, Sequence, Tuple

ENGINES_DIR = "engines"
MODELS_DIR = "models"
PRECISIONS = ("fp32", "fp16")
DEFAULT_PRECISION = "fp16"
# FaceNet's dynamic batch: payment embeds one face (kernels tuned for it), enrollment embeds a
# few crops per pose; larger batches are split by the runtime, so 8 bounds memory on a 4 GB Nano.
PROFILE_MIN_BATCH = 1
PROFILE_OPT_BATCH = 1
PROFILE_MAX_BATCH = 8
REBUILD_HINT = "run jetson/build_engines.sh {bundle}"

_ENGINE_NAME = re.compile(
    r"^(?P<sha>[0-9a-f]{12})_trt(?P<trt>[0-9][0-9.]*)_(?P<precision>[a-z0-9]+)\.engine$"
)


class EngineError(RuntimeError):
    """An engine that cannot be used here; the message is one line that says what to do."""


class Identity:
    """The TensorRT version and GPU an engine is built for (or found on this machine)."""

    __slots__ = ("compute_capability", "gpu", "trt_version")

    def __init__(self, trt_version: str, gpu: str, compute_capability: str) -> None:
        self.trt_version = str(trt_version)
        self.gpu = str(gpu)
        self.compute_capability = str(compute_capability)

    def as_dict(self) -> Dict[str, str]:
        return {
            "tensorrt": self.trt_version,
            "gpu": self.gpu,
            "compute_capability": self.compute_capability,
        }

    def __repr__(self) -> str:
        return f"Identity(TensorRT {self.trt_version}, {self.gpu}, SM {self.compute_capability})"


def runtime_identity() -> Identity:
    """This machine's TensorRT version and GPU 0 (imports tensorrt and pycuda)."""
    try:
        import pycuda.driver as cuda
        import tensorrt as trt
    except ImportError as exc:
        raise EngineError(f"TensorRT/pycuda not importable ({exc}): run jetson/setup.sh") from exc
    cuda.init()
    device = cuda.Device(0)
    major, minor = device.compute_capability()
    return Identity(trt.__version__, device.name(), f"{major}.{minor}")


def version_tag(trt_version: str) -> str:
    """The leading numeric part: ``8.2.1.8`` stays as it is, ``8.6.1.post1`` -> ``8.6.1``.

    The full version, build number included: before TensorRT 8.6's opt-in version-compatible
    engines, an engine is only guaranteed to load on the exact build that wrote it.
    """
    match = re.match(r"\d+(?:\.\d+)*", str(trt_version))
    if match is None:
        raise ValueError(f"not a TensorRT version: {trt_version!r}")
    return match.group(0)


def engine_file_name(onnx_sha256: str, trt_version: str, precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if not re.match(r"^[0-9a-f]{12,64}$", onnx_sha256):
        raise ValueError(f"not a sha256 hex digest: {onnx_sha256!r}")
    return f"{onnx_sha256[:12]}_trt{version_tag(trt_version)}_{precision}.engine"


def parse_engine_file_name(name: str) -> Optional[Dict[str, str]]:
    """``{"sha12", "trt_version", "precision"}`` from an engine file name, or None."""
    match = _ENGINE_NAME.match(os.path.basename(name))
    if match is None:
        return None
    return {
        "sha12": match.group("sha"),
        "trt_version": match.group("trt"),
        "precision": match.group("precision"),
    }


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sidecar_path(path: str) -> str:
    """``model.onnx`` -> ``model.json``; ``x.engine`` -> ``x.json``."""
    return os.path.splitext(path)[0] + ".json"


def read_json(path: str) -> Dict:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return data


def find_models(bundle: str) -> List[str]:
    """The ONNX files of a bundle: ``bundle/models/*.onnx`` (or ``bundle/*.onnx``), sorted."""
    found = []
    for folder in (os.path.join(bundle, MODELS_DIR), bundle):
        if os.path.isdir(folder):
            found.extend(
                os.path.join(folder, name)
                for name in sorted(os.listdir(folder))
                if name.endswith(".onnx")
            )
    return found


def input_spec(sidecar: Dict) -> Tuple[str, List[int]]:
    """The input tensor name and shape from an ONNX sidecar; a dynamic dimension is -1.

    Accepts ``input_name`` + ``input_shape`` (a dimension that is a string such as "batch",
    None or <= 0 is dynamic), or ``inputs``: ``[{"name", "shape"}]`` with one entry.
    """
    if "inputs" in sidecar:
        inputs = sidecar["inputs"]
        if len(inputs) != 1:
            raise ValueError(f"expected one model input, the sidecar lists {len(inputs)}")
        name, shape = inputs[0]["name"], inputs[0]["shape"]
    else:
        name, shape = sidecar.get("input_name"), sidecar.get("input_shape")
    if not name or not shape:
        raise ValueError("the ONNX sidecar names no input tensor (input_name/input_shape)")
    dims = [d if isinstance(d, int) and not isinstance(d, bool) and d > 0 else -1 for d in shape]
    return str(name), dims


def profile_shapes(
    shape: Sequence[int],
    min_batch: int = PROFILE_MIN_BATCH,
    opt_batch: int = PROFILE_OPT_BATCH,
    max_batch: int = PROFILE_MAX_BATCH,
) -> Optional[Dict[str, List[int]]]:
    """min/opt/max shapes for a dynamic batch dimension; None for a static input.

    Only the batch (first) dimension may be dynamic: the detector is exported static and
    FaceNet's crops are always 160x160.
    """
    if all(d > 0 for d in shape):
        return None
    if any(d <= 0 for d in shape[1:]):
        raise ValueError(f"only the batch dimension may be dynamic, got {list(shape)}")
    if not 1 <= min_batch <= opt_batch <= max_batch:
        raise ValueError("need 1 <= min <= opt <= max batch")
    rest = list(shape[1:])
    return {"min": [min_batch] + rest, "opt": [opt_batch] + rest, "max": [max_batch] + rest}


def trtexec_shape_args(input_name: str, profile: Optional[Dict[str, List[int]]]) -> List[str]:
    if profile is None:
        return []
    return [
        "--{}Shapes={}:{}".format(key, input_name, "x".join(str(d) for d in profile[key]))
        for key in ("min", "opt", "max")
    ]


def check_engine(
    engine_path: str, identity: Identity, onnx_sha256: Optional[str] = None
) -> Optional[str]:
    """Why ``engine_path`` cannot be used on ``identity`` (for that ONNX), or None if it can."""
    if not os.path.isfile(engine_path):
        return "missing"
    parsed = parse_engine_file_name(engine_path)
    if parsed is None:
        return "name does not follow <sha12>_trt<version>_<precision>.engine"
    if parsed["trt_version"] != version_tag(identity.trt_version):
        return "built for TensorRT {}, this is TensorRT {}".format(
            parsed["trt_version"], identity.trt_version
        )
    if onnx_sha256 is not None and parsed["sha12"] != onnx_sha256[:12]:
        return "built from another ONNX file"
    try:
        recorded = read_json(sidecar_path(engine_path))
    except (OSError, ValueError):
        return "no readable sidecar (cannot tell which GPU built it)"
    if recorded.get("tensorrt") != identity.trt_version:
        return "sidecar says TensorRT {}, this is TensorRT {}".format(
            recorded.get("tensorrt"), identity.trt_version
        )
    if (recorded.get("gpu"), recorded.get("compute_capability")) != (
        identity.gpu,
        identity.compute_capability,
    ):
        return "built on {} (SM {}), this is {} (SM {})".format(
            recorded.get("gpu"),
            recorded.get("compute_capability"),
            identity.gpu,
            identity.compute_capability,
        )
    if onnx_sha256 is not None and recorded.get("onnx_sha256") != onnx_sha256:
        return "sidecar records another ONNX sha256"
    return None


class ModelEntry:
    """One ONNX model of a bundle and the engine it needs on this machine."""

    __slots__ = ("engine", "input_name", "onnx", "profile", "reason", "sha256", "sidecar")

    def __init__(
        self,
        onnx: str,
        sidecar: Dict,
        sha256: str,
        engine: str,
        input_name: str,
        profile: Optional[Dict[str, List[int]]],
        reason: Optional[str],
    ) -> None:
        self.onnx = onnx
        self.sidecar = sidecar
        self.sha256 = sha256
        self.engine = engine
        self.input_name = input_name
        self.profile = profile
        self.reason = reason  # None when the engine is usable


def describe_model(
    onnx_path: str, identity: Identity, precision: str = DEFAULT_PRECISION
) -> ModelEntry:
    """Verify an ONNX file against its sidecar and say which engine it needs and whether that
    engine is usable. Raises EngineError for a model the bundle itself got wrong."""
    try:
        sidecar = read_json(sidecar_path(onnx_path))
    except (OSError, ValueError) as exc:
        raise EngineError(
            f"{onnx_path}: no readable sidecar ({exc}); re-export the bundle"
        ) from exc
    sha = sha256_file(onnx_path)
    if sidecar.get("sha256") != sha:
        raise EngineError(
            f"{onnx_path}: sha256 does not match its sidecar (damaged or replaced); "
            "re-export the bundle with `checkout-app export --target jetson`"
        )
    try:
        name, shape = input_spec(sidecar)
        profile = profile_shapes(shape)
    except (KeyError, TypeError, ValueError) as exc:
        raise EngineError(f"{onnx_path}: {exc}") from exc
    bundle = os.path.dirname(os.path.dirname(os.path.abspath(onnx_path)))
    if os.path.basename(os.path.dirname(os.path.abspath(onnx_path))) != MODELS_DIR:
        bundle = os.path.dirname(os.path.abspath(onnx_path))
    engine = os.path.join(
        bundle, ENGINES_DIR, engine_file_name(sha, identity.trt_version, precision)
    )
    reason = check_engine(engine, identity, sha)
    return ModelEntry(onnx_path, sidecar, sha, engine, name, profile, reason)


def plan_bundle(
    bundle: str, identity: Identity, precision: str = DEFAULT_PRECISION
) -> Tuple[List[ModelEntry], List[str]]:
    """Every model of the bundle with its engine state, and the engine files nothing uses.

    The unused files (other TensorRT versions, other models, leftovers of failed builds) are
    returned so the build script can delete them: a Nano's SD card is small and an old engine
    next to a new one only invites loading the wrong one.
    """
    models = find_models(bundle)
    if not models:
        raise EngineError(f"no ONNX models in {bundle} (expected {MODELS_DIR}/*.onnx)")
    entries = [describe_model(path, identity, precision) for path in models]
    wanted = set()
    for entry in entries:
        wanted.add(os.path.basename(entry.engine))
        wanted.add(os.path.basename(sidecar_path(entry.engine)))
    engines_dir = os.path.join(bundle, ENGINES_DIR)
    unused = []
    if os.path.isdir(engines_dir):
        unused = [
            os.path.join(engines_dir, name)
            for name in sorted(os.listdir(engines_dir))
            if name not in wanted
        ]
    return entries, unused


def engine_for_model(
    onnx_path: str, identity: Identity, bundle_hint: str, precision: str = DEFAULT_PRECISION
) -> str:
    """The usable engine for ``onnx_path`` on this machine, or EngineError saying what to run."""
    entry = describe_model(onnx_path, identity, precision)
    if entry.reason is not None:
        raise EngineError(
            f"engine for {os.path.basename(onnx_path)} not usable on {identity!r} "
            f"({entry.reason}): {REBUILD_HINT.format(bundle=bundle_hint)}"
        )
    return entry.engine


def engine_record(
    entry: ModelEntry, identity: Identity, precision: str, builder: str = "trtexec"
) -> Dict:
    """The sidecar written next to a freshly built engine."""
    record = identity.as_dict()
    record.update(
        {
            "engine": os.path.basename(entry.engine),
            "onnx": os.path.basename(entry.onnx),
            "onnx_sha256": entry.sha256,
            "precision": precision,
            "input_name": entry.input_name,
            "profile": entry.profile,
            "builder": builder,
        }
    )
    return record


# --- command line used by build_engines.sh -----------------------------------------------------


def _cmd_plan(args, identity: Identity) -> int:
    """Tab-separated lines: ``build|keep <onnx> <engine> <reason> <trtexec shape args...>`` and
    ``remove <file>``."""
    entries, unused = plan_bundle(args.bundle, identity, args.precision)
    for entry in entries:
        action = "keep" if entry.reason is None else "build"
        fields = [action, entry.onnx, entry.engine, entry.reason or "up to date"]
        fields.extend(trtexec_shape_args(entry.input_name, entry.profile))
        print("\t".join(fields))
    for path in unused:
        print("remove\t" + path)
    return 0


def _cmd_record(args, identity: Identity) -> int:
    entry = describe_model(args.onnx, identity, args.precision)
    if os.path.abspath(entry.engine) != os.path.abspath(args.engine):
        raise EngineError(f"{args.engine} is not the engine name for {args.onnx}")
    record = engine_record(entry, identity, args.precision)
    with open(sidecar_path(args.engine), "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return 0


def _cmd_check(args, identity: Identity) -> int:
    entries, _ = plan_bundle(args.bundle, identity, args.precision)
    bad = [entry for entry in entries if entry.reason is not None]
    for entry in bad:
        print(f"{os.path.basename(entry.onnx)}: {entry.reason}", file=sys.stderr)
    return 1 if bad else 0


def main(argv: Optional[Sequence[str]] = None, identity: Optional[Identity] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m checkout_edge.engines")
    parser.add_argument("--precision", choices=PRECISIONS, default=DEFAULT_PRECISION)
    commands = parser.add_subparsers(dest="command")
    plan = commands.add_parser("plan", help="which engines to build, keep or remove")
    plan.add_argument("bundle")
    record = commands.add_parser("record", help="write the sidecar of a freshly built engine")
    record.add_argument("--onnx", required=True)
    record.add_argument("--engine", required=True)
    check = commands.add_parser("check", help="exit 1 unless every engine is usable here")
    check.add_argument("bundle")
    args = parser.parse_args(argv)
    if args.command is None:  # Python 3.6 argparse has no required= for subparsers
        parser.error("a command is required: plan, record or check")
    handler = {"plan": _cmd_plan, "record": _cmd_record, "check": _cmd_check}[args.command]
    try:
        return handler(args, identity or runtime_identity())
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
