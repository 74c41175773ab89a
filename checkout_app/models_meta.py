"""Model files and their JSON sidecars (``model.pt`` -> ``model.json``).

A sidecar records what a runtime needs without the training stack (class names, input size,
preprocessing) and a sha256 so a corrupt or swapped file is caught before it is used.
"""

from __future__ import annotations

import json
from pathlib import Path

from checkout_edge.engines import sha256_file

# The README's install command, with the package versions the tests passed with: the fix when
# a model cannot be prepared because an installed package behaves differently.
REINSTALL_HINT = "pip install -c constraints.txt -e . in the checkout"


class ModelFileError(RuntimeError):
    """A model file is missing, unreadable or does not match its sidecar."""


def file_sha256(path: Path) -> str:
    # One streaming implementation, shared with the Nano runtime's engine bookkeeping.
    return sha256_file(str(path))


def sidecar_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def write_sidecar(model_path: Path, data: dict) -> None:
    sidecar_path(model_path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_verified_sidecar(model_path: Path, rebuild_hint: str) -> dict:
    """The sidecar of ``model_path`` after checking the file exists and its sha256 matches."""
    if not model_path.is_file():
        raise ModelFileError(f"model file {model_path} is missing. Rebuild it with: {rebuild_hint}")
    side = sidecar_path(model_path)
    try:
        data = json.loads(side.read_text())
    except (OSError, ValueError) as exc:
        raise ModelFileError(
            f"model sidecar {side} is missing or unreadable ({exc}). Rebuild with: {rebuild_hint}"
        ) from None
    if data.get("sha256") != file_sha256(model_path):
        raise ModelFileError(
            f"model file {model_path} does not match the sha256 in {side.name}: it is corrupt or "
            f"was replaced. Rebuild it with: {rebuild_hint}"
        )
    return data
