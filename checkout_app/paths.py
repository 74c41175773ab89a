"""Where the app finds what ships with it and where it writes what it makes.

Everything the app writes (database, converted models, logs, training runs) lives under one
home folder: ``--home DIR``, else ``$CHECKOUT_APP_HOME``, else a per-user default
(``$XDG_DATA_HOME/checkout_app`` or ``~/.local/share/checkout_app``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
MODELS_DIR = REPO_DIR / "models"
FONT_PATH = REPO_DIR / "assets" / "fonts" / "NanumSquareRoundB.ttf"
DEMO_CATALOG_PATH = PACKAGE_DIR / "data" / "demo_catalog.csv"
DEMO_FACE_PHOTO = REPO_DIR / "assets" / "demo" / "astronaut.jpg"
DEFAULT_PRODUCT_MODEL = MODELS_DIR / "products_yolov8n.pt"

HOME_ENV = "CHECKOUT_APP_HOME"


def default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "checkout_app"


def resolve_home(cli_home: str | os.PathLike | None = None) -> Path:
    """The app's home folder, created if needed: CLI flag, then environment, then default."""
    if cli_home:
        home = Path(cli_home)
    elif os.environ.get(HOME_ENV):
        home = Path(os.environ[HOME_ENV])
    else:
        home = default_home()
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home
