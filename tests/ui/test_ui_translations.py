"""The Korean translation: complete, in step with the code, compiled, and loadable at run time.

The shipped ``checkout_app_ko.ts`` must hold a finished Korean text for every ``tr()`` string
in ``checkout_app/ui`` (with the same placeholders), and the shipped ``.qm`` must be what
``pyside6-lrelease`` makes from it. How to update both: checkout_app/ui/translations/README.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QLabel

from checkout_app.paths import FONT_PATH
from checkout_app.ui import i18n
from checkout_app.ui.theme import has_glyphs

UI_DIR = Path(i18n.__file__).resolve().parent
TS_PATH = i18n.TRANSLATIONS_DIR / "checkout_app_ko.ts"
QM_PATH = i18n.qm_path("ko")
README_COMMAND = "see checkout_app/ui/translations/README.md (lupdate, translate, lrelease)"

# {name}, {total:.1f}; Qt's %n (plural count) and %1..%99 (QString.arg markers).
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n|%L?\d{1,2}")
# Texts that stay the same in Korean: units, acronyms and identifiers staff know as such.
SAME_IN_KOREAN = {"SKU", "CPU", "GPU", "PIN", "sha256", "mAP50", "mAP50-95"}
# Characters the bundled font lacks; Qt draws them from a fallback font. U+2212 (−) is the
# cart's minus button, so the hint that names the button must use the same character.
FALLBACK_CHARACTERS = {"−"}


class Message(NamedTuple):
    context: str
    source: str
    comment: str
    numerus: bool


class Entry(NamedTuple):
    message: Message
    translation_type: str | None
    texts: tuple[str, ...]  # the translation, or one text per plural form


def read_ts(path: Path) -> list[Entry]:
    entries = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = translation.findall("numerusform") if translation is not None else []
            texts = tuple(f.text or "" for f in forms) if forms else (translation.text or "",)
            key = Message(
                name,
                message.findtext("source", ""),
                message.findtext("comment", ""),
                message.get("numerus") == "yes",
            )
            entries.append(Entry(key, translation.get("type"), texts))
    return entries


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def qt_tool(name: str) -> Path:
    """A PySide6 tool of the running environment (beside its python), or skip."""
    for folder in (Path(sys.executable).parent, Path(sys.executable).resolve().parent):
        tool = folder / name
        if tool.exists():
            return tool
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} not found next to {sys.executable} or on PATH (PySide6 tools)")
    return Path(found)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return read_ts(TS_PATH)


def test_the_ts_file_is_korean_from_english(entries):
    root = ET.parse(TS_PATH).getroot()
    assert root.get("language") == "ko_KR"
    assert root.get("sourcelanguage") == "en"
    assert entries, "the .ts file holds no messages"


def test_every_message_has_a_finished_korean_translation(entries):
    problems = []
    for entry in entries:
        where = f"{entry.message.context}: {entry.message.source!r}"
        if entry.translation_type is not None:
            problems.append(f"{where} is marked {entry.translation_type!r}")
        elif not all(text.strip() for text in entry.texts):
            problems.append(f"{where} has an empty translation")
        elif entry.message.numerus and len(entry.texts) != 1:
            problems.append(f"{where}: Korean has one plural form, found {len(entry.texts)}")
        elif entry.texts[0] == entry.message.source and entry.message.source not in SAME_IN_KOREAN:
            problems.append(f"{where} is not translated (same as the English)")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders_of_their_source(entries):
    problems = []
    for entry in entries:
        expected = placeholders(entry.message.source)
        for text in entry.texts:
            if placeholders(text) != expected:
                problems.append(
                    f"{entry.message.context}: {entry.message.source!r} -> {text!r}: "
                    f"placeholders {sorted(placeholders(text))} != {sorted(expected)}"
                )
            if text.count("\n") != entry.message.source.count("\n"):
                problems.append(f"{entry.message.context}: {text!r}: line breaks differ")
    assert not problems, "\n".join(problems)


def test_the_ui_font_has_every_character_of_the_translation(qapp, entries):
    characters = "".join(sorted({c for e in entries for t in e.texts for c in t}))
    characters = "".join(c for c in characters if c not in FALLBACK_CHARACTERS and c != "\n")
    if not has_glyphs(FONT_PATH, characters):
        missing = [c for c in characters if not has_glyphs(FONT_PATH, c)]
        pytest.fail(f"{FONT_PATH.name} has no glyph for {missing} (Korean would show boxes)")


def test_the_ts_file_has_every_string_of_the_code_and_no_other(tmp_path, entries):
    sources = sorted(str(p) for p in UI_DIR.rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    result = subprocess.run(
        [str(qt_tool("pyside6-lupdate")), *sources, "-ts", str(fresh), "-silent"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    in_code = {entry.message for entry in read_ts(fresh)}
    shipped = {entry.message for entry in entries}
    untranslated = sorted(in_code - shipped)
    stale = sorted(shipped - in_code)
    assert not untranslated, (
        "strings in the code that the Korean .ts lacks ("
        + README_COMMAND
        + "):\n"
        + "\n".join(f"  {m.context}: {m.source!r}" for m in untranslated)
    )
    assert not stale, (
        "strings in the Korean .ts that the code no longer has ("
        + README_COMMAND
        + "):\n"
        + "\n".join(f"  {m.context}: {m.source!r}" for m in stale)
    )


def test_the_shipped_qm_is_compiled_from_the_shipped_ts(tmp_path):
    fresh = tmp_path / "fresh.qm"
    result = subprocess.run(
        [str(qt_tool("pyside6-lrelease")), str(TS_PATH), "-qm", str(fresh), "-silent"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert fresh.read_bytes() == QM_PATH.read_bytes(), (
        f"{QM_PATH.name} is out of date: run pyside6-lrelease ({README_COMMAND})"
    )


def test_the_qm_file_translates_to_the_korean_of_the_ts(qapp, entries):
    translator = QTranslator()
    assert translator.load(str(QM_PATH))
    assert translator.translate("AttractScreen", "Welcome!") == "어서 오세요!"
    for entry in entries:
        message = entry.message
        n = 3 if message.numerus else -1
        got = translator.translate(message.context, message.source, message.comment or None, n)
        assert got == entry.texts[0], f"{message.context}: {message.source!r}"


@pytest.fixture
def switcher(qapp):
    locale = QLocale()
    languages = i18n.LanguageSwitcher(qapp)
    yield languages
    languages.set_language("en")
    QLocale.setDefault(locale)


def test_switching_to_korean_and_back_changes_texts_and_live_widgets(qtbot, switcher):
    from checkout_app.ui.shopper.screens import AttractScreen

    screen = AttractScreen()
    qtbot.addWidget(screen)
    title = screen.findChild(QLabel, "attract_title")

    switcher.set_language("ko")
    assert switcher.language == "ko"
    assert QCoreApplication.translate("AttractScreen", "Welcome!") == "어서 오세요!"
    assert QCoreApplication.translate("PayScreen", "%n second(s) left", "", 5) == "5초 남음"
    qtbot.waitUntil(lambda: title.text() == "어서 오세요!", timeout=2000)

    switcher.set_language("en")
    assert switcher.language == "en"
    assert QCoreApplication.translate("AttractScreen", "Welcome!") == "Welcome!"
    qtbot.waitUntil(lambda: title.text() == "Welcome!", timeout=2000)
