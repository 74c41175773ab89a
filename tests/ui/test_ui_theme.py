"""Theme: the UI font (Korean glyphs, Lotte Mart Dream preferred), contrast and touch sizes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont
from PySide6.QtWidgets import QLabel, QPushButton

from checkout_app.ui import theme
from checkout_app.ui.theme import FontFile, choose_ui_family

LOTTE = "Lotte Mart Dream Bold"


@pytest.fixture
def restore_app_look(qapp):
    """apply_theme changes the shared QApplication: put its font and stylesheet back."""
    font, sheet = qapp.font(), qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def registered(qapp):
    """Fonts a test registers, removed from Qt's process-wide font database afterwards."""
    fonts: list[FontFile] = []
    yield fonts
    for font in fonts:
        QFontDatabase.removeApplicationFont(font.font_id)


def renamed_font(source: Path, target: Path, family: str) -> None:
    """Copy a TrueType font under another family name (a stand-in for a font we cannot ship)."""
    font = TTFont(str(source))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
        elif record.nameID in (2, 17):
            record.string = "Regular"
    font.save(str(target))


def font_file(name: str, *families: str, korean: bool = True) -> FontFile:
    return FontFile(Path(name), 0, families, korean)


def test_bundled_font_loads_and_has_korean_glyphs(qapp, registered):
    fonts = theme.register_fonts()
    registered.extend(fonts)
    family = choose_ui_family(fonts)
    assert family == theme.BUNDLED_FONT
    text = "결제 완료 합계 원"
    raw = QRawFont.fromFont(QFont(family))
    assert raw.familyName() == family  # the font itself, not a fallback
    assert all(raw.glyphIndexesForString(text.replace(" ", "")))
    metrics = QFontMetrics(QFont(family))
    missing = [ch for ch in text if not metrics.inFontUcs4(ord(ch))]
    assert missing == []


def test_lotte_mart_dream_is_preferred_when_present(qapp, registered, tmp_path):
    shutil.copy(theme.FONT_PATH, tmp_path / theme.FONT_PATH.name)
    renamed_font(theme.FONT_PATH, tmp_path / "LotteMartDreamBold.ttf", LOTTE)
    (tmp_path / "README.txt").write_text("not a font")

    fonts = theme.register_fonts(tmp_path)
    registered.extend(fonts)

    assert sorted(f.families for f in fonts) == [(LOTTE,), (theme.BUNDLED_FONT,)]
    assert all(f.has_korean for f in fonts)
    assert choose_ui_family(fonts) == LOTTE


@pytest.mark.parametrize(
    ("fonts", "expected"),
    [
        ([], None),
        ([font_file("NanumSquareRoundB.ttf", "NanumSquareRound")], "NanumSquareRound"),
        (
            [
                font_file("NanumSquareRoundB.ttf", "NanumSquareRound"),
                font_file("LotteMartDreamMedium.ttf", "Lotte Mart Dream Medium"),
                font_file("LotteMartDreamBold.ttf", "Lotte Mart Dream Bold"),
            ],
            "Lotte Mart Dream Bold",
        ),
        (
            # Recognised by the file name even when the family is reported in Korean.
            [
                font_file("NanumSquareRoundB.ttf", "NanumSquareRound"),
                font_file("LotteMartDreamBold.otf", "롯데마트 드림 Bold"),
            ],
            "롯데마트 드림 Bold",
        ),
        (
            [
                font_file("Other.ttf", "Other Sans"),
                font_file("NanumSquareRoundB.ttf", "NanumSquareRound"),
            ],
            "NanumSquareRound",
        ),
        (
            # A preferred font without Hangul loses to one that can show Korean.
            [
                font_file("LotteMartDreamBold.ttf", "Lotte Mart Dream Bold", korean=False),
                font_file("NanumSquareRoundB.ttf", "NanumSquareRound"),
            ],
            "NanumSquareRound",
        ),
        ([font_file("Latin.ttf", "Latin Only", korean=False)], "Latin Only"),
    ],
)
def test_choose_ui_family(fonts, expected):
    assert choose_ui_family(fonts) == expected


def test_no_usable_font_falls_back_to_the_system_font(qapp, tmp_path, caplog):
    assert theme.load_ui_font(tmp_path) == QFont().family()
    assert "no usable font" in caplog.text


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (theme.TEXT, theme.BACKGROUND),
        (theme.TEXT, theme.CARD),
        (theme.TEXT, theme.SKY),
        (theme.TEXT, theme.SKY_DARK),
        (theme.TEXT, theme.SKY_LIGHT),
        (theme.TEXT, theme.PAY),
        (theme.TEXT, theme.PAY_DARK),
        (theme.TEXT_ON_DANGER, theme.DANGER),
        (theme.TEXT_ON_DANGER, theme.DANGER_DARK),
        (theme.TEXT_MUTED, theme.CARD),
        (theme.TEXT_MUTED, theme.BACKGROUND),
        (theme.DANGER, theme.CARD),
        (theme.DANGER, theme.BACKGROUND),
        (theme.SUCCESS, theme.CARD),
    ],
)
def test_text_colours_meet_wcag_aa(text, background):
    assert theme.contrast_ratio(text, background) >= 4.5


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        ("#FFFFFF", theme.TEXT),
        (theme.SKY, theme.TEXT),
        ("#000000", "#FFFFFF"),
        ("#C8372D", "#FFFFFF"),
    ],
)
def test_text_colour_on(background, expected):
    assert theme.text_colour_on(background) == expected


def test_apply_theme_sets_font_and_touch_sizes(restore_app_look, qtbot):
    app = restore_app_look
    family = theme.apply_theme(app)
    assert family == theme.BUNDLED_FONT
    assert app.font().family() == family
    assert app.font().pointSize() == theme.BASE_FONT_PT

    plain, pay = QPushButton("OK"), QPushButton("결제")
    total = QLabel("12,500원")
    theme.set_role(pay, theme.ROLE_PAY)
    theme.set_role(total, theme.ROLE_TOTAL)
    for widget in (plain, pay, total):
        qtbot.addWidget(widget)
        widget.ensurePolished()

    assert plain.sizeHint().height() >= theme.BUTTON_MIN_HEIGHT_PX
    assert pay.sizeHint().height() >= theme.BUTTON_MIN_HEIGHT_PX
    assert total.font().pointSize() == theme.TOTAL_FONT_PT
    assert total.font().family() == family
    assert pay.palette().button().color().name().upper() == theme.PAY

    theme.set_role(pay, None)  # a role can be taken away again at run time
    assert pay.palette().button().color().name().upper() == theme.CARD
