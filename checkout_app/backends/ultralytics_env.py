"""Keep ultralytics offline: no downloads, no pip installs, settings under the app home.

Call ``prepare_ultralytics(home)`` before the first ``import ultralytics``: it reads these
variables at import time.
"""

from __future__ import annotations

import os
from pathlib import Path


def prepare_ultralytics(home: Path) -> None:
    os.environ["YOLO_OFFLINE"] = "1"
    os.environ["YOLO_AUTOINSTALL"] = "false"
    os.environ.setdefault("YOLO_VERBOSE", "false")
    config_dir = home / "ultralytics"
    config_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("YOLO_CONFIG_DIR", str(config_dir))
