"""Korean and English through Qt's translation system, switchable while the kiosk runs.

Source strings are English (``self.tr``); ``translations/checkout_app_ko.ts`` holds the Korean and
is compiled to the ``.qm`` that ships beside it (``pyside6-lrelease``; see the README). Installing
or removing a translator makes Qt send every widget a LanguageChange event, and each widget's
``retranslate`` re-sets its texts.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("ko", "en")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def qm_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / f"checkout_app_{lang}.qm"


class LanguageSwitcher:
    """Owns the installed translators of one QCoreApplication."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self.language = "en"

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators = []
        if lang != "en":
            self._install(str(qm_path(lang)), required=True)
            # Qt's own dialogs and buttons (OK, Cancel, Yes, No) in the same language.
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(str(Path(qt_dir) / f"qtbase_{lang}.qm"), required=False)
        QLocale.setDefault(QLocale(lang))
        self.language = lang
        log.info("language: %s", lang)

    def _install(self, path: str, required: bool) -> None:
        translator = QTranslator(self._app)
        if translator.load(path):
            self._app.installTranslator(translator)
            self._translators.append(translator)
        elif required:
            raise FileNotFoundError(f"translation file {path} is missing or unreadable")
        else:
            log.debug("no Qt base translation at %s", path)
