"""Keep ultralytics offline: no downloads, no pip installs, settings under the app home.

Call ``prepare_ultralytics(home)`` before the first ``import ultralytics``: it reads these
variables at import time.
"""

from __future__ import annotations

import os
from pathlib import Path


def prepare_ultralytics(home: Path, *, verbose: bool = False) -> None:
    """``verbose``: show ultralytics' own logging and progress bars (training wants them)."""
    os.environ["YOLO_OFFLINE"] = "1"
    os.environ["YOLO_AUTOINSTALL"] = "false"
    os.environ.setdefault("YOLO_VERBOSE", "true" if verbose else "false")
    config_dir = home / "ultralytics"
    config_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("YOLO_CONFIG_DIR", str(config_dir))
