"""``checkout-app export``: ONNX models with sidecars, or the whole bundle for a Jetson Nano.

``--int8`` adds post-training INT8 models for onnxruntime on CPU kiosks (``quantize``), and
``--measure OUT`` measures them against FP32 and torch in one run (``int8_measure``), recording
the accuracy drop that decides whether ``--backend onnxruntime-int8`` may run them.

Handlers get ``args.home`` (resolved) and ``args.database_url``; expected failures raise
``CliError``.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from checkout_app.backends.facenet_convert import (
    prepare_facenet_weights,
    prepared_weights_path,
)
from checkout_app.backends.registry import onnx_dir
from checkout_app.cli.errors import EXIT_MODEL_FAILED, CliError
from checkout_app.core.catalog_csv import catalog_to_csv
from checkout_app.export.jetson_bundle import (
    BundleError,
    models_dir,
    prepare_bundle_dir,
    write_jetson_bundle,
)
from checkout_app.export.onnx_export import export_facenet, export_product_detector
from checkout_app.export.registry_export import RegistryExportError, export_registry
from checkout_app.export.trt_lint import trt_lint
from checkout_app.faces.matcher import RecognitionPolicy
from checkout_app.faces.registry import RegistryError
from checkout_app.models_meta import ModelFileError
from checkout_app.paths import DEFAULT_PRODUCT_MODEL
from checkout_app.services.kiosk_settings import load_settings

log = logging.getLogger(__name__)

TARGETS = ("onnx", "jetson")


def _error(message: str) -> CliError:
    return CliError(message, EXIT_MODEL_FAILED)


def default_out(home: Path, target: str) -> Path:
    return onnx_dir(home) if target == "onnx" else home / "exports" / "jetson_bundle"


def export_models(home: Path, model_path: Path | None, onnx_out: Path) -> list[Path]:
    """The product detector and FaceNet as ONNX in ``onnx_out``, each lint-checked."""

    weights = prepared_weights_path(home) or prepare_facenet_weights(home)
    paths = [
        export_product_detector(model_path or DEFAULT_PRODUCT_MODEL, onnx_out, home),
        export_facenet(weights, onnx_out),
    ]
    for path in paths:
        problems = trt_lint(path)
        if problems:
            raise _error(f"{path.name} would not build on TensorRT 8.2: {'; '.join(problems)}")
    return paths


def quantize_models(paths: list[Path], faces_dir: Path) -> list[Path]:
    """INT8 models of the detector and FaceNet exports ``paths`` (in ``export_models`` order)."""
    # onnxruntime.quantization takes most of a second to import: only where INT8 is asked for.
    from checkout_app.export.quantize import (
        detector_calibration,
        detector_nodes_to_exclude,
        facenet_calibration,
        facenet_nodes_to_exclude,
        quantize_onnx,
    )

    detector_path, facenet_path = paths
    detector_meta = json.loads(detector_path.with_suffix(".json").read_text())
    try:
        face_tensors, face_description = facenet_calibration(faces_dir / "train")
    except ValueError as exc:
        raise _error(
            f"cannot calibrate FaceNet: {exc} (--faces DIR holds train/<person>/)"
        ) from None
    tensors, description = detector_calibration(detector_meta)
    return [
        quantize_onnx(detector_path, tensors, description, detector_nodes_to_exclude),
        quantize_onnx(facenet_path, face_tensors, face_description, facenet_nodes_to_exclude),
    ]


def _check_int8_options(args: argparse.Namespace, out: Path) -> None:
    if args.measure and not args.int8:
        raise _error("--measure measures the INT8 models: add --int8")
    if args.int8 and (args.target != "onnx" or not args.faces):
        raise _error("--int8 needs --target onnx and --faces DIR (face photos for calibration)")
    if args.measure and out != default_out(args.home, "onnx"):
        raise _error("--measure evaluates the models the backends load: leave --out out")


def _cmd_export(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else default_out(args.home, args.target)
    model = Path(args.model) if args.model else None
    _check_int8_options(args, out)
    try:
        if args.target == "onnx":
            paths = export_models(args.home, model, out)
            for path in paths:
                print(f"wrote {path} (+ {path.with_suffix('.json').name}); TensorRT 8.2 lint ok")
            if args.int8:
                _export_int8(args, paths, model)
            return 0
        _export_jetson(args, out, model)
    except ModelFileError as exc:
        raise _error(str(exc)) from None
    return 0


def _export_int8(args: argparse.Namespace, paths: list[Path], model: Path | None) -> None:
    faces_dir = Path(args.faces)
    for path in quantize_models(paths, faces_dir):
        print(f"wrote {path} (+ {path.with_suffix('.json').name}); onnxruntime CPU only")
    if not args.measure:
        print(
            "INT8 models stay unselectable until measured: add --measure OUT.json "
            "(about 4 minutes on 2 shared cores)"
        )
        return

    from checkout_app.export.int8_measure import measure_int8

    report = measure_int8(
        args.home,
        model or DEFAULT_PRODUCT_MODEL,
        paths[0],
        paths[1],
        faces_dir,
        progress=lambda message: print(message, flush=True),
    )
    out = Path(args.measure)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for key in ("product_detector", "facenet"):
        part = report[key]
        gate = part["accuracy_gate"]
        verdict = "selectable" if gate["selectable"] else "NOT selectable"
        print(
            f"{part['files']['int8']}: {part['files']['fp32_MB']} -> {part['files']['int8_MB']} "
            f"MB, accuracy drop {gate['drop_points']:.2f} points -> {verdict}"
        )
    print(f"wrote {out}")


def _export_jetson(args: argparse.Namespace, bundle: Path, model: Path | None) -> None:
    from checkout_app.app import open_catalog

    try:
        models = prepare_bundle_dir(bundle)
    except BundleError as exc:
        raise _error(str(exc)) from None
    paths = export_models(args.home, model, models)
    registry = None
    if not args.without_faces:
        facenet_meta = json.loads(paths[1].with_suffix(".json").read_text())
        settings = load_settings(args.home).settings
        policy = RecognitionPolicy(
            unknown_distance_threshold=settings.face_distance_threshold,
            min_svm_margin=settings.face_min_margin,
        )
        try:
            registry = export_registry(
                args.home, args.database_url, facenet_meta["embedder_name"], policy
            )
        except (RegistryError, RegistryExportError) as exc:
            raise _error(str(exc)) from None
    catalog_csv = catalog_to_csv(open_catalog(args.home, args.database_url))
    try:
        manifest = write_jetson_bundle(bundle, paths, catalog_csv, registry)
    except BundleError as exc:
        raise _error(str(exc)) from None
    print(f"wrote Jetson bundle {bundle} (mode 0700): {len(paths)} models in {models_dir(bundle)}")
    if manifest["registry"]:
        print(
            f"registry.json holds face embeddings of {manifest['registry']['people']} people "
            "(biometric data): copy it over SSH only and keep the Nano's storage secured"
        )
    print(f"next: copy {bundle} to the Nano and follow its README.md (TensorRT engines)")


def add_export_command(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="export models to ONNX, or a bundle for a Jetson Nano (--target jetson)"
    )
    export.add_argument("--target", choices=TARGETS, default="onnx")
    export.add_argument(
        "--out",
        help="folder (default: HOME/models/onnx, where the onnxruntime backend looks; "
        "--target jetson: HOME/exports/jetson_bundle)",
    )
    export.add_argument("--model", help="product model .pt (default: the shipped model)")
    export.add_argument(
        "--without-faces",
        action="store_true",
        help="--target jetson: leave the face registry (biometric data) out of the bundle",
    )
    export.add_argument(
        "--int8",
        action="store_true",
        help="also write post-training INT8 models (<name>_int8.onnx, onnxruntime on CPU), "
        "calibrated on rendered scenes and the face photos of --faces",
    )
    export.add_argument(
        "--faces",
        help="--int8: folder of face photos with train/<person>/ (calibration) and labels.csv "
        "(--measure), e.g. ../shared/data/faces",
    )
    export.add_argument(
        "--measure",
        metavar="OUT_JSON",
        help="--int8: measure size, latency and accuracy of INT8 vs FP32 vs torch in one run, "
        "write the report to OUT_JSON and record the accuracy gate in the INT8 sidecars",
    )
    export.set_defaults(func=_cmd_export)
