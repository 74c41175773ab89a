"""The kiosk's own settings (cameras, language, thresholds, timings), kept in HOME/settings.json.

``load_settings(home)`` never fails for a bad file: a missing file gives the defaults, an
unreadable or invalid one gives the defaults too, and is kept as ``settings.json.bad`` with a
:class:`SettingsWarning` the UI can show, so a kiosk always starts. Unknown keys (a newer or
older version's settings) are ignored with a warning; missing keys take their defaults. Face
pay thresholds saved while the uncalibrated defaults were current follow the calibrated ones.
``save_settings`` writes atomically, so a crash mid-write leaves the old file intact.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import re
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from checkout_edge.defaults import MIN_CONFIDENCE, MIN_CONFIDENCE_RANGE

from checkout_app.faces.matcher import DEFAULT_MIN_SVM_MARGIN, DEFAULT_UNKNOWN_DISTANCE

logger = logging.getLogger(__name__)

SETTINGS_FILENAME = "settings.json"
BAD_SUFFIX = ".bad"
SUPPORTED_LANGUAGES = ("ko", "en")

# Inclusive (low, high) for every number setting; the settings form uses them for its spin
# boxes. Confidence at 0 or 1 would keep every box or none; a distance threshold above 1 accepts
# nearly any face (see faces.matcher.RecognitionPolicy); a payment under 10 s is too short to
# turn a head and confirm; past 5 minutes an abandoned payment blocks the kiosk too long.
NUMBER_RANGES = {
    "min_confidence": MIN_CONFIDENCE_RANGE,
    "face_distance_threshold": (0.05, 1.0),
    "face_min_margin": (0.0, 5.0),
    "payment_timeout_s": (10.0, 300.0),
    "complete_reset_s": (2.0, 120.0),
}
# The face pay defaults before they were calibrated (README, "How often a stranger would pay"):
# with them a look-alike stranger paid in 10 % of the attempts. Saving the settings page wrote
# them to every settings file, chosen or not; a file holding exactly these takes the defaults.
UNCALIBRATED_FACE_DEFAULTS = {"face_distance_threshold": 0.55, "face_min_margin": 0.2}
_SOURCE_FIELDS = ("counter_source", "face_source")
_BOOL_FIELDS = ("fullscreen", "show_stats")
# A kiosk id names the kiosk on every sale and in store reports (transactions.kiosk_id).
KIOSK_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


class SettingsError(ValueError):
    """One setting is invalid; ``field`` names it so a form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def system_locale() -> str:
    """The locale the kiosk user's session runs in, as the environment names it (LC_ALL, then
    LC_MESSAGES, then LANG, as gettext reads them); empty when none is set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return os.environ[name]
    return ""


def default_kiosk_id() -> str:
    """This machine's host name, cut to what a kiosk id may hold ("kiosk" if nothing is left):
    each kiosk of a store runs on its own machine, so the default tells them apart."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", socket.gethostname()).lstrip("._-")[:40]
    return name or "kiosk"


def language_for_locale(locale_name: str) -> str:
    """The kiosk language for a locale name: Korean for ko_KR and the like, else English (an
    unset or technical locale such as C.UTF-8 included)."""
    return "ko" if locale_name.lower().startswith("ko") else "en"


@dataclass(frozen=True)
class KioskSettings:
    """Validated on construction (:class:`SettingsError`); change with ``dataclasses.replace``.

    ``counter_source`` / ``face_source`` take what ``camera.open_source`` takes: "demo", a camera
    index such as "0", a file or folder path, or a stream URL.
    """

    counter_source: str = "demo"
    face_source: str = "demo"
    language: str = field(default_factory=lambda: language_for_locale(system_locale()))
    kiosk_id: str = field(default_factory=default_kiosk_id)
    min_confidence: float = MIN_CONFIDENCE
    face_distance_threshold: float = DEFAULT_UNKNOWN_DISTANCE
    face_min_margin: float = DEFAULT_MIN_SVM_MARGIN
    payment_timeout_s: float = 30.0
    complete_reset_s: float = 8.0
    fullscreen: bool = False
    show_stats: bool = False

    def __post_init__(self) -> None:
        for name in _SOURCE_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, str):
                raise SettingsError(name, f"must be text, got {type(value).__name__}")
            if not value.strip():
                raise SettingsError(name, "must not be empty (use 'demo' for no camera)")
        if not isinstance(self.kiosk_id, str) or not KIOSK_ID_PATTERN.fullmatch(self.kiosk_id):
            raise SettingsError(
                "kiosk_id",
                "must be 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or "
                f"digit, got {self.kiosk_id!r}",
            )
        if self.language not in SUPPORTED_LANGUAGES:
            raise SettingsError(
                "language",
                f"must be one of {', '.join(SUPPORTED_LANGUAGES)}, got {self.language!r}",
            )
        for name, (low, high) in NUMBER_RANGES.items():
            value = getattr(self, name)
            # bool is an int subclass: true/false in the file is a type error, not 1/0.
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise SettingsError(name, f"must be a number, got {type(value).__name__}")
            if not math.isfinite(value) or not low <= value <= high:
                raise SettingsError(name, f"must be between {low:g} and {high:g}, got {value!r}")
        for name in _BOOL_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise SettingsError(name, f"must be true or false, got {type(value).__name__}")

    def to_json_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class SettingsWarning(NamedTuple):
    """Why ``load_settings`` did not use (all of) the file.

    ``code``: "unknown_keys" (``detail`` lists them; the rest of the file was used),
    "unreadable" (not valid JSON or not readable) or "invalid" (a wrong type or value) — for
    these two the defaults were used and the file was moved to ``backup_path``.
    ``detail`` is English for the log, not for shoppers.
    """

    code: str
    detail: str
    backup_path: Path | None = None


class LoadedSettings(NamedTuple):
    settings: KioskSettings
    warnings: tuple[SettingsWarning, ...]


def settings_path(home: Path) -> Path:
    return Path(home) / SETTINGS_FILENAME


def load_settings(home: Path) -> LoadedSettings:
    """The settings in ``home`` (see the module docstring); unpacks as ``settings, warnings``."""
    path = settings_path(home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(KioskSettings(), ())
    except (OSError, UnicodeDecodeError) as exc:
        return _fall_back(path, "unreadable", str(exc))
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _fall_back(path, "unreadable", f"not valid JSON: {exc}")
    if not isinstance(data, dict):
        return _fall_back(path, "invalid", f"expected a JSON object, got {type(data).__name__}")

    known = {field.name for field in dataclasses.fields(KioskSettings)}
    warnings: list[SettingsWarning] = []
    unknown = sorted(set(data) - known)
    if unknown:
        detail = ", ".join(unknown)
        logger.warning("%s: ignoring unknown settings %s", path, detail)
        warnings.append(SettingsWarning("unknown_keys", detail))
    values = {key: value for key, value in data.items() if key in known}
    if all(values.get(key) == old for key, old in UNCALIBRATED_FACE_DEFAULTS.items()):
        logger.warning(
            "%s: face pay thresholds 0.55 / 0.2 were the uncalibrated defaults; using the "
            "calibrated %s / %s (save the settings to keep them)",
            path,
            DEFAULT_UNKNOWN_DISTANCE,
            DEFAULT_MIN_SVM_MARGIN,
        )
        for key in UNCALIBRATED_FACE_DEFAULTS:
            del values[key]
    try:
        settings = KioskSettings(**values)
    except SettingsError as exc:
        return _fall_back(path, "invalid", str(exc))
    return LoadedSettings(settings, tuple(warnings))


def save_settings(home: Path, settings: KioskSettings) -> Path:
    """Write ``settings`` to HOME/settings.json atomically; returns the path."""
    path = settings_path(home)
    text = json.dumps(settings.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
    write_text_atomically(path, text, mode=0o644)
    return path


def write_text_atomically(path: Path, text: str, *, mode: int) -> None:
    """Replace ``path`` with ``text`` so that readers see the old or the new file, never half.

    The temporary file sits in the same folder (``os.replace`` is atomic only within one file
    system) and is flushed to disk before the rename, so a power cut cannot leave an empty file.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _fall_back(path: Path, code: str, detail: str) -> LoadedSettings:
    backup = path.with_name(path.name + BAD_SUFFIX)
    try:
        os.replace(path, backup)
    except OSError as exc:
        # Defaults still apply; the next start will warn again, which is what we want.
        logger.warning("could not move %s aside to %s: %s", path, backup, exc)
        backup_path = None
    else:
        backup_path = backup
    logger.warning("%s: %s; using default settings (bad file: %s)", path, detail, backup_path)
    return LoadedSettings(KioskSettings(), (SettingsWarning(code, detail, backup_path),))
