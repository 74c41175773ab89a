"""The kiosk's look: sky-blue colours, the UI font (Korean glyphs) and one Qt stylesheet.

Widgets pick a look by a ``role`` dynamic property instead of their own colours, so the whole
app changes in one place: ``set_role(button, ROLE_PAY)``. Roles for buttons: primary, pay,
danger (anything else is the plain white button); for labels: title, total, hint, error,
success; for frames: card. Everything is sized for fingers: buttons at least 56 px high, an
18 pt base font.

The font: the original project used Lotte Mart Dream Bold, which we may not redistribute. A
store that holds a licence drops its .ttf/.otf into ``assets/fonts/`` and it is preferred;
otherwise the bundled NanumSquareRound Bold (SIL OFL) is used. Either must have Hangul glyphs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from PySide6.QtGui import QFont, QFontDatabase, QRawFont
from PySide6.QtWidgets import QApplication, QWidget

from checkout_app.paths import FONT_PATH

log = logging.getLogger(__name__)

FONTS_DIR = FONT_PATH.parent
FONT_SUFFIXES = (".ttf", ".otf")
PREFERRED_FONT = "Lotte Mart Dream Bold"
BUNDLED_FONT = "NanumSquareRound"
# Hangul that the kiosk shows on every sale; a font missing any of these would print tofu boxes.
KOREAN_SAMPLE = "결제완료합계원"

# Colours. Text is navy on every light surface (contrast ≥ 4.5:1, WCAG AA, checked in tests);
# white text is used only on the red danger colour, which is dark enough for it.
SKY = "#4FB3E8"  # primary buttons, highlights
SKY_DARK = "#38A0DA"  # pressed primary, focus rings
SKY_LIGHT = "#CDEBFA"  # selections, table headers
BACKGROUND = "#EAF6FD"  # window background
CARD = "#FFFFFF"  # panels, lists, inputs
BORDER = "#A9D6F0"
TEXT = "#0B2540"  # navy: all ordinary text
TEXT_MUTED = "#3E5A70"  # hints, secondary text
TEXT_ON_DANGER = "#FFFFFF"
PAY = "#FFB547"  # warm amber: the "pay" action
PAY_DARK = "#F29A12"
DANGER = "#C8372D"  # destructive actions, errors
DANGER_DARK = "#A12A22"
SUCCESS = "#1A7F45"
DISABLED = "#D3E1EA"
DISABLED_TEXT = "#5F7384"
VIDEO_BACKGROUND = "#0B2540"  # around a camera image shown with its aspect ratio kept

BASE_FONT_PT = 18
TITLE_FONT_PT = 28
TOTAL_FONT_PT = 40
DISPLAY_FONT_PT = 44
SUBTITLE_FONT_PT = 22
HINT_FONT_PT = 16
BUTTON_MIN_HEIGHT_PX = 56

ROLE_PROPERTY = "role"
ROLE_PRIMARY = "primary"
ROLE_PAY = "pay"
ROLE_DANGER = "danger"
ROLE_TITLE = "title"
ROLE_TOTAL = "total"
ROLE_HINT = "hint"
ROLE_ERROR = "error"
ROLE_SUCCESS = "success"
ROLE_CARD = "card"
ROLE_SCREEN = "screen"  # a top-level window that is not a QMainWindow or QDialog
ROLE_DISPLAY = "display"  # the one big line of a full screen ("Welcome!", "Payment complete")
ROLE_SUBTITLE = "subtitle"
ROLE_QTY = "qty"
# Button symbols the bundled font has (it lacks U+2212 "−" and U+2715 "✕").
MINUS = "\uff0d"  # fullwidth hyphen-minus, same width as PLUS
PLUS = "\uff0b"
REMOVE = "\u00d7"

ROLE_ROUND = "round"  # square touch buttons: MINUS and PLUS in the cart
ROLE_ROUND_DANGER = "round-danger"  # REMOVE a cart line
ROLE_LINK = "link"  # a small text-only action inside a list row
ROLE_PICTURE = "picture"  # a picture to tap, one of several (QToolButton, checkable)
# A scroll area that shows the card it sits on instead of its own background.
TRANSPARENT_SCROLL = "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"


@dataclass(frozen=True)
class FontFile:
    """A font file registered with Qt: its id (for removal), families and Hangul support."""

    path: Path
    font_id: int
    families: tuple[str, ...]
    has_korean: bool


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).lower()


def _is_preferred(font: FontFile, family: str) -> bool:
    key = _squash(PREFERRED_FONT.rsplit(" ", 1)[0])  # "lottemartdream", any weight
    return key in _squash(family) or key in _squash(font.path.stem) or "롯데마트" in family


def choose_ui_family(fonts: Sequence[FontFile]) -> str | None:
    """The family the UI should use, or None when no font file registered.

    Order: a Lotte Mart Dream family (its Bold weight first), then the bundled
    NanumSquareRound, then any other family; fonts with Hangul glyphs before fonts without.
    """
    ranked = []
    for order, font in enumerate(fonts):
        for family in font.families:
            if _is_preferred(font, family):
                bold = "bold" in _squash(family) or "bold" in _squash(font.path.stem)
                rank = 0 if bold else 1
            elif _squash(family) == _squash(BUNDLED_FONT):
                rank = 2
            else:
                rank = 3
            ranked.append((not font.has_korean, rank, order, family))
    return min(ranked)[3] if ranked else None


def has_glyphs(path: Path, text: str) -> bool:
    """Whether the font file has a glyph for every character of ``text``."""
    raw = QRawFont(str(path), 12.0)
    # glyphIndexesForString maps a missing character to glyph 0 (".notdef").
    return raw.isValid() and all(raw.glyphIndexesForString(text))


def register_fonts(fonts_dir: Path = FONTS_DIR) -> list[FontFile]:
    """Register each .ttf/.otf in ``fonts_dir`` with Qt (needs a QGuiApplication to exist)."""
    fonts = []
    for path in sorted(fonts_dir.iterdir()) if fonts_dir.is_dir() else []:
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("Qt could not load the font %s; skipped", path)
            continue
        families = tuple(QFontDatabase.applicationFontFamilies(font_id))
        fonts.append(FontFile(path, font_id, families, has_glyphs(path, KOREAN_SAMPLE)))
    return fonts


def load_ui_font(fonts_dir: Path = FONTS_DIR) -> str:
    """Register the shipped fonts and return the family the UI uses (see :func:`choose_ui_family`).

    Falls back to the platform's default family, with a warning, when ``fonts_dir`` holds no
    usable font (Korean text may then show as boxes).
    """
    fonts = register_fonts(fonts_dir)
    family = choose_ui_family(fonts)
    if family is None:
        family = QFont().family()
        log.warning("no usable font in %s; using the system font %r", fonts_dir, family)
    elif not any(family in f.families and f.has_korean for f in fonts):
        log.warning("UI font %r has no Hangul glyphs; Korean text may not render", family)
    log.info("UI font: %s", family)
    return family


def stylesheet() -> str:
    """The application's Qt stylesheet, built from the colour and size constants above."""
    return f"""
QMainWindow, QDialog, QStackedWidget, QWidget[role="{ROLE_SCREEN}"] {{
    background-color: {BACKGROUND};
}}
QWidget {{ color: {TEXT}; }}
QDialog {{ border: 3px solid {SKY_DARK}; }}

QPushButton {{
    background-color: {CARD}; color: {TEXT};
    border: 2px solid {SKY}; border-radius: 14px;
    min-height: {BUTTON_MIN_HEIGHT_PX}px; padding: 6px 24px;
}}
QPushButton:pressed {{ background-color: {SKY_LIGHT}; }}
QPushButton:focus {{ border-color: {SKY_DARK}; }}
QPushButton:disabled {{
    background-color: {DISABLED}; color: {DISABLED_TEXT}; border-color: {DISABLED};
}}
QPushButton[role="{ROLE_PRIMARY}"] {{ background-color: {SKY}; border-color: {SKY}; }}
QPushButton[role="{ROLE_PRIMARY}"]:pressed {{
    background-color: {SKY_DARK}; border-color: {SKY_DARK};
}}
QPushButton[role="{ROLE_PAY}"] {{
    background-color: {PAY}; border-color: {PAY}; font-size: {TITLE_FONT_PT}pt;
    font-weight: bold;
}}
QPushButton[role="{ROLE_PAY}"]:pressed {{ background-color: {PAY_DARK}; border-color: {PAY_DARK}; }}
QPushButton[role="{ROLE_DANGER}"] {{
    background-color: {DANGER}; border-color: {DANGER}; color: {TEXT_ON_DANGER};
}}
QPushButton[role="{ROLE_DANGER}"]:pressed {{
    background-color: {DANGER_DARK}; border-color: {DANGER_DARK};
}}
QPushButton[role="{ROLE_ROUND}"], QPushButton[role="{ROLE_ROUND_DANGER}"] {{
    min-width: {BUTTON_MIN_HEIGHT_PX}px; max-width: {BUTTON_MIN_HEIGHT_PX}px; padding: 0px;
    font-size: {TITLE_FONT_PT}pt; font-weight: bold;
}}
QPushButton[role="{ROLE_ROUND_DANGER}"] {{ border-color: {DANGER}; color: {DANGER}; }}
QPushButton[role="{ROLE_LINK}"] {{
    background: transparent; border: none; color: {SKY_DARK}; min-height: 32px;
    padding: 0px; text-decoration: underline; font-size: {HINT_FONT_PT}pt;
}}
QPushButton[role]:disabled {{
    background-color: {DISABLED}; color: {DISABLED_TEXT}; border-color: {DISABLED};
}}

QToolButton[role="{ROLE_PICTURE}"] {{
    background-color: {CARD}; border: 2px solid {BORDER}; border-radius: 10px; padding: 4px;
}}
QToolButton[role="{ROLE_PICTURE}"]:checked {{
    background-color: {SKY_LIGHT}; border: 4px solid {SKY_DARK};
}}

QLabel[role="{ROLE_TITLE}"] {{ font-size: {TITLE_FONT_PT}pt; font-weight: bold; }}
QLabel[role="{ROLE_TOTAL}"] {{ font-size: {TOTAL_FONT_PT}pt; font-weight: bold; }}
QLabel[role="{ROLE_DISPLAY}"] {{ font-size: {DISPLAY_FONT_PT}pt; font-weight: bold; }}
QLabel[role="{ROLE_SUBTITLE}"] {{ font-size: {SUBTITLE_FONT_PT}pt; }}
QLabel[role="{ROLE_QTY}"] {{ font-size: {TITLE_FONT_PT}pt; font-weight: bold; }}
QLabel[role="{ROLE_HINT}"] {{ font-size: {HINT_FONT_PT}pt; color: {TEXT_MUTED}; }}
QLabel[role="{ROLE_ERROR}"] {{ color: {DANGER}; font-weight: bold; }}
QLabel[role="{ROLE_SUCCESS}"] {{ color: {SUCCESS}; font-weight: bold; }}

QFrame[role="{ROLE_CARD}"] {{
    background-color: {CARD}; border: 1px solid {BORDER}; border-radius: 18px;
}}

QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QPlainTextEdit, QTextEdit {{
    background-color: {CARD}; border: 2px solid {BORDER}; border-radius: 10px;
    min-height: 44px; padding: 2px 10px;
    selection-background-color: {SKY_LIGHT}; selection-color: {TEXT};
}}
QLineEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus {{
    border-color: {SKY_DARK};
}}
QCheckBox {{ spacing: 12px; }}
QCheckBox::indicator {{ width: 32px; height: 32px; }}

QTableView, QListView, QTreeView {{
    background-color: {CARD}; border: 1px solid {BORDER}; border-radius: 10px;
    gridline-color: {SKY_LIGHT};
    selection-background-color: {SKY_LIGHT}; selection-color: {TEXT};
}}
QHeaderView::section {{
    background-color: {SKY_LIGHT}; color: {TEXT}; border: none; padding: 8px;
    font-weight: bold;
}}
QTabBar::tab {{
    background-color: {CARD}; border: 1px solid {BORDER}; padding: 10px 24px;
    min-height: 40px;
}}
QTabBar::tab:selected {{ background-color: {SKY}; border-color: {SKY}; }}
QProgressBar {{
    background-color: {CARD}; border: 1px solid {BORDER}; border-radius: 8px;
    text-align: center; min-height: 24px;
}}
QProgressBar::chunk {{ background-color: {SKY}; border-radius: 8px; }}
QScrollBar:vertical {{ width: 24px; background: {BACKGROUND}; }}
QScrollBar::handle:vertical {{ background: {BORDER}; border-radius: 12px; min-height: 48px; }}
QScrollBar:horizontal {{ height: 24px; background: {BACKGROUND}; }}
QScrollBar::handle:horizontal {{ background: {BORDER}; border-radius: 12px; min-width: 48px; }}
"""


def apply_theme(app: QApplication, fonts_dir: Path = FONTS_DIR) -> str:
    """Give ``app`` the UI font at the base size and the stylesheet; returns the font family."""
    family = load_ui_font(fonts_dir)
    font = QFont(family)
    font.setPointSize(BASE_FONT_PT)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
    return family


def set_role(widget: QWidget, role: str | None) -> None:
    """Give ``widget`` a stylesheet role (None removes it) and restyle it now.

    Qt does not re-evaluate property selectors by itself when a property changes later.
    """
    widget.setProperty(ROLE_PROPERTY, role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: str) -> str:
    """Navy or white, whichever reads better on ``background``."""
    if contrast_ratio(TEXT, background) >= contrast_ratio("#FFFFFF", background):
        return TEXT
    return "#FFFFFF"
