"""The folder a Jetson Nano needs: ONNX models + sidecars, catalog, face registry, runtime code.

Layout (``checkout_edge.engines`` looks for ``models/*.onnx`` and builds ``engines/`` beside it)::

    bundle/
      models/<name>.onnx + <name>.json
      catalog.csv               the store's products and prices
      registry.json             face templates + linear SVM + thresholds (biometric data!)
      checkout_edge/            the numpy runtime (Python 3.6)
      README.md, *.sh, systemd/ the jetson/ scripts
      bundle.json               manifest: what was exported, from what, with sha256s

The registry is written in plain JSON, not encrypted: the Nano must decrypt it unattended, so a
key would have to sit next to it on the same card and would protect nothing. Instead the bundle
folder is owner-only (0700) and ``registry.json`` 0600; copy it over SSH, keep the Nano's storage
physically secured, and re-export after deleting a person on the desktop.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Sequence

from checkout_app.models_meta import file_sha256, sidecar_path
from checkout_app.paths import REPO_DIR

log = logging.getLogger(__name__)

MODELS_SUBDIR = "models"
REGISTRY_FILE = "registry.json"
CATALOG_FILE = "catalog.csv"
MANIFEST_FILE = "bundle.json"
JETSON_SOURCE_DIR = REPO_DIR / "jetson"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "engines")


class BundleError(RuntimeError):
    """The bundle cannot be written (missing runtime files, a folder that is not ours)."""


def models_dir(bundle: Path) -> Path:
    return bundle / MODELS_SUBDIR


def prepare_bundle_dir(bundle: Path) -> Path:
    """Create ``bundle`` owner-only and empty its ``models/`` (no stale model may stay).

    Only a new or empty folder, or an earlier bundle (it has ``bundle.json``), is used: an
    export replaces what an export wrote and must never delete or re-permission anyone's files.
    """
    if bundle.exists() and not bundle.is_dir():
        raise BundleError(f"{bundle} is a file: give a new or empty folder for the bundle")
    if bundle.is_dir() and any(bundle.iterdir()) and not (bundle / MANIFEST_FILE).is_file():
        raise BundleError(
            f"{bundle} is not empty and holds no earlier bundle ({MANIFEST_FILE}): nothing was "
            "changed; give a new or empty folder"
        )
    bundle.mkdir(parents=True, exist_ok=True)
    os.chmod(bundle, 0o700)
    target = models_dir(bundle)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    return target


def _write_private(path: Path, text: str) -> None:
    """Written with mode 0600 from the start: never readable by others, not even briefly."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def write_jetson_bundle(
    bundle: Path,
    onnx_files: Sequence[Path],
    catalog_csv: str,
    registry: dict | None,
    jetson_source: Path = JETSON_SOURCE_DIR,
) -> dict:
    """Complete ``bundle`` (its models already exported into ``models_dir(bundle)``)."""
    import checkout_edge

    if not (jetson_source / "README.md").is_file():
        raise BundleError(
            f"{jetson_source} is missing: export the Jetson bundle from a source checkout"
        )
    for item in jetson_source.iterdir():
        if item.name in {"checkout_edge", "__pycache__"}:
            continue
        target = bundle / item.name
        if item.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(item, target, ignore=_IGNORE)
        else:
            shutil.copy2(item, target)
    edge_target = bundle / "checkout_edge"
    if edge_target.exists():
        shutil.rmtree(edge_target)
    shutil.copytree(Path(checkout_edge.__file__).parent, edge_target, ignore=_IGNORE)
    (bundle / CATALOG_FILE).write_text(catalog_csv, encoding="utf-8")
    registry_path = bundle / REGISTRY_FILE
    if registry is None:
        registry_path.unlink(missing_ok=True)
    else:
        _write_private(registry_path, json.dumps(registry) + "\n")
    manifest = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "checkout_edge": checkout_edge.__version__,
        "models": [
            {
                "file": f"{MODELS_SUBDIR}/{path.name}",
                "sha256": file_sha256(path),
                "source_model": json.loads(sidecar_path(path).read_text()).get("source_model"),
            }
            for path in onnx_files
        ],
        "catalog": CATALOG_FILE,
        "registry": None
        if registry is None
        else {
            "file": REGISTRY_FILE,
            "people": len(registry["people"]),
            "templates": len(registry["owners"]),
            "contains_biometric_data": True,
        },
    }
    (bundle / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    log.info("wrote Jetson bundle %s", bundle)
    return manifest
