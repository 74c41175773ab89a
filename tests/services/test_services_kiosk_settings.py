"""KioskSettings: defaults, validation naming the field, atomic save, tolerant load."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from checkout_edge.defaults import MIN_CONFIDENCE

from checkout_app.faces.matcher import DEFAULT_MIN_SVM_MARGIN, DEFAULT_UNKNOWN_DISTANCE
from checkout_app.services import kiosk_settings
from checkout_app.services.kiosk_settings import (
    NUMBER_RANGES,
    KioskSettings,
    SettingsError,
    load_settings,
    save_settings,
    write_text_atomically,
)


def test_defaults_follow_the_plan_and_the_models_own_defaults(monkeypatch):
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")  # the language follows the locale
    settings = KioskSettings()
    assert (settings.counter_source, settings.face_source, settings.language) == (
        "demo",
        "demo",
        "ko",
    )
    assert settings.min_confidence == MIN_CONFIDENCE
    assert settings.face_distance_threshold == DEFAULT_UNKNOWN_DISTANCE
    assert settings.face_min_margin == DEFAULT_MIN_SVM_MARGIN
    assert (settings.payment_timeout_s, settings.complete_reset_s) == (30.0, 8.0)
    assert settings.fullscreen is False and settings.show_stats is False


def test_every_default_lies_inside_its_range():
    settings = KioskSettings()
    for name, (low, high) in NUMBER_RANGES.items():
        assert low <= getattr(settings, name) <= high, name


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("counter_source", "", "must not be empty"),
        ("face_source", "   ", "must not be empty"),
        ("counter_source", 0, "must be text"),
        ("language", "fr", "must be one of ko, en"),
        ("min_confidence", 0.0, "between 0.05 and 0.95"),
        ("min_confidence", 1.0, "between 0.05 and 0.95"),
        ("min_confidence", "0.4", "must be a number"),
        ("min_confidence", True, "must be a number"),
        ("face_distance_threshold", 1.5, "between 0.05 and 1"),
        ("face_distance_threshold", float("nan"), "between"),
        ("face_min_margin", -0.1, "between 0 and 5"),
        ("payment_timeout_s", 5, "between 10 and 300"),
        ("complete_reset_s", float("inf"), "between 2 and 120"),
        ("fullscreen", 1, "must be true or false"),
        ("show_stats", "yes", "must be true or false"),
        ("kiosk_id", "", "1 to 40 letters"),
        ("kiosk_id", "kiosk 2", "1 to 40 letters"),
        ("kiosk_id", "-kiosk", "starting with a letter or digit"),
        ("kiosk_id", "k" * 41, "1 to 40 letters"),
        ("kiosk_id", 2, "1 to 40 letters"),
    ],
)
def test_invalid_values_raise_naming_the_field(field, value, message):
    with pytest.raises(SettingsError, match=message) as caught:
        KioskSettings(**{field: value})
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert isinstance(caught.value, ValueError)


def test_integers_are_accepted_for_number_settings():
    assert KioskSettings(payment_timeout_s=45).payment_timeout_s == 45


def test_missing_file_gives_defaults_without_warnings(app_home):
    settings, warnings = load_settings(app_home)
    assert settings == KioskSettings() and warnings == ()


def test_save_then_load_round_trips(app_home):
    chosen = KioskSettings(
        counter_source="0",
        face_source="rtsp://cam/face",
        language="en",
        min_confidence=0.5,
        face_distance_threshold=0.5,
        face_min_margin=0.3,
        payment_timeout_s=45.0,
        complete_reset_s=5.0,
        fullscreen=True,
        show_stats=True,
    )
    path = save_settings(app_home, chosen)
    assert path == app_home / "settings.json"
    assert json.loads(path.read_text(encoding="utf-8"))["face_source"] == "rtsp://cam/face"
    assert load_settings(app_home) == (chosen, ())
    # Nothing left behind by the atomic write.
    assert sorted(p.name for p in app_home.iterdir()) == ["settings.json"]


def test_a_partial_file_keeps_defaults_for_missing_keys(app_home):
    (app_home / "settings.json").write_text('{"language": "en"}', encoding="utf-8")
    settings, warnings = load_settings(app_home)
    assert settings == dataclasses.replace(KioskSettings(), language="en") and warnings == ()


def test_uncalibrated_face_defaults_saved_earlier_take_the_calibrated_ones(app_home, caplog):
    data = {"language": "en", "face_distance_threshold": 0.55, "face_min_margin": 0.2}
    (app_home / "settings.json").write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(app_home)
    assert settings.language == "en" and warnings == ()
    assert settings.face_distance_threshold == DEFAULT_UNKNOWN_DISTANCE < 0.55
    assert settings.face_min_margin == DEFAULT_MIN_SVM_MARGIN > 0.2
    assert "uncalibrated" in caplog.text
    # A threshold a store chose itself (only one of the two old values) is kept.
    data["face_distance_threshold"] = 0.5
    (app_home / "settings.json").write_text(json.dumps(data), encoding="utf-8")
    settings, _ = load_settings(app_home)
    assert (settings.face_distance_threshold, settings.face_min_margin) == (0.5, 0.2)


def test_unknown_keys_are_ignored_with_a_warning(app_home, caplog):
    data = {"language": "en", "old_option": 1, "zeta": "x"}
    (app_home / "settings.json").write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(app_home)
    assert settings.language == "en"
    assert [(w.code, w.detail, w.backup_path) for w in warnings] == [
        ("unknown_keys", "old_option, zeta", None)
    ]
    assert (app_home / "settings.json").exists()
    assert "old_option" in caplog.text


@pytest.mark.parametrize(
    ("content", "code", "detail"),
    [
        ('{"language": "en",', "unreadable", "not valid JSON"),
        ("[1, 2]", "invalid", "expected a JSON object"),
        ('{"language": "en", "payment_timeout_s": "30"}', "invalid", "payment_timeout_s"),
        ('{"fullscreen": "true"}', "invalid", "fullscreen: must be true or false"),
        (b"\xff\xfe{}", "unreadable", "utf-8"),
    ],
)
def test_a_bad_file_gives_defaults_and_is_kept_aside(app_home, content, code, detail):
    path = app_home / "settings.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    settings, warnings = load_settings(app_home)
    assert settings == KioskSettings()
    [warning] = warnings
    assert warning.code == code and detail in warning.detail
    assert warning.backup_path == app_home / "settings.json.bad"
    assert not path.exists()
    assert warning.backup_path.read_bytes() == (
        content if isinstance(content, bytes) else content.encode("utf-8")
    )
    # The next start is clean: no file, defaults, no warning.
    assert load_settings(app_home) == (KioskSettings(), ())


def test_a_failed_write_leaves_the_old_file_and_no_temporary(app_home, monkeypatch):
    save_settings(app_home, KioskSettings(language="en"))

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_settings(app_home, KioskSettings(language="ko"))
    monkeypatch.undo()
    assert load_settings(app_home).settings.language == "en"
    assert sorted(p.name for p in app_home.iterdir()) == ["settings.json"]


def test_atomic_write_sets_the_requested_mode(app_home):
    path = app_home / "secret.json"
    write_text_atomically(path, "{}", mode=0o600)
    assert path.read_text(encoding="utf-8") == "{}"
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8"}, "ko"),
        ({}, "en"),
    ],
)
def test_a_new_kiosk_speaks_the_system_locale(monkeypatch, app_home, environment, language):
    """No settings file yet: the language follows the locale (C.UTF-8 is not Korean)."""
    from checkout_app.services.kiosk_settings import load_settings

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert load_settings(app_home).settings.language == language


@pytest.mark.parametrize(
    ("hostname", "kiosk_id"),
    [
        ("till-2.store.lan", "till-2.store.lan"),
        ("키오스크 1", "1"),
        ("", "kiosk"),
        ("x" * 60, "x" * 40),
    ],
)
def test_the_kiosk_id_defaults_to_the_host_name(monkeypatch, hostname, kiosk_id):
    monkeypatch.setattr(kiosk_settings.socket, "gethostname", lambda: hostname)
    assert KioskSettings().kiosk_id == kiosk_id
