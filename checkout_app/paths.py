"""Where the app finds what ships with it and where it writes what it makes.

Everything the app writes (database, converted models, logs, training runs) lives under one
home folder: ``--home DIR``, else ``$CHECKOUT_APP_HOME``, else a per-user default
(``$XDG_DATA_HOME/checkout_app`` or ``~/.local/share/checkout_app``).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
MODELS_DIR = REPO_DIR / "models"
FONT_PATH = REPO_DIR / "assets" / "fonts" / "NanumSquareRoundB.ttf"
DEMO_CATALOG_PATH = PACKAGE_DIR / "data" / "demo_catalog.csv"
DEMO_FACE_PHOTO = REPO_DIR / "assets" / "demo" / "astronaut.jpg"
DEFAULT_PRODUCT_MODEL = MODELS_DIR / "products_yolov8n.pt"

HOME_ENV = "CHECKOUT_APP_HOME"


class HomeError(RuntimeError):
    """The app home cannot be created."""


def default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "checkout_app"


def resolve_home(cli_home: str | os.PathLike | None = None) -> Path:
    """The app's home folder, created owner-only (0700) if needed: CLI flag, then environment,
    then default. An existing home that others can read is reported, not changed."""
    if cli_home:
        home = Path(cli_home)
    elif os.environ.get(HOME_ENV):
        home = Path(os.environ[HOME_ENV])
    else:
        home = default_home()
    home = home.expanduser().resolve()
    if not home.exists():
        try:
            home.parent.mkdir(parents=True, exist_ok=True)
            home.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise HomeError(
                f"cannot create the app home {home} ({exc.strerror}): give a writable folder "
                f"with --home or ${HOME_ENV}"
            ) from None
    elif os.name == "posix" and stat.S_IMODE(home.stat().st_mode) & 0o077:
        log.warning(
            "the app home %s (database, face key, logs) is open to other users (mode %o): "
            "run chmod 700 %s",
            home,
            stat.S_IMODE(home.stat().st_mode),
            home,
        )
    return home
