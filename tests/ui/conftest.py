"""UI fixtures: the kiosk theme for readable screenshots, and a screenshot saver."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QWidget

SCREENSHOT_DIR_ENV = "CHECKOUT_APP_SCREENSHOT_DIR"
# build/ is gitignored: pictures land there unless the environment names another folder.
DEFAULT_SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(scope="module")
def themed(qapp):
    """The kiosk theme, once per module (it registers font files), for readable screenshots.

    apply_theme changes the QApplication every test shares, so its font and stylesheet are put
    back when the module is done.
    """
    from checkout_app.ui.theme import apply_theme

    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp)
    yield
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)


@pytest.fixture
def screenshot() -> Callable[[QWidget, str], QPixmap]:
    """``save(widget, name)``: render ``widget``, keep it as a PNG and return the picture.

    The folder is $CHECKOUT_APP_SCREENSHOT_DIR when set, else build/screenshots/; ".png" is
    added to ``name`` when missing.
    """
    folder = Path(os.environ.get(SCREENSHOT_DIR_ENV) or DEFAULT_SCREENSHOT_DIR)

    def save(widget: QWidget, name: str) -> QPixmap:
        image = widget.grab()
        assert not image.isNull(), f"{name}: the widget rendered nothing"
        path = folder / (name if name.endswith(".png") else f"{name}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        assert image.save(str(path), "PNG"), f"could not write {path}"
        return image

    return save
