"""SettingsPage: shows the settings, saves them to HOME/settings.json, refuses bad ones."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from checkout_app.services.kiosk_settings import KioskSettings, load_settings
from checkout_app.ui import file_picker
from checkout_app.ui.i18n import LANGUAGE_NAMES
from checkout_app.ui.staff.settings_page import CameraSourceEditor, SettingsPage
from checkout_app.ui.theme import MINUS, PLUS


@pytest.fixture
def page(qtbot, app_home, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: pytest.fail(f"unexpected warning {a}"))
    widget = SettingsPage(app_home, load_settings(app_home).settings)
    qtbot.addWidget(widget)
    widget.resize(1100, 900)
    return widget


@pytest.mark.parametrize(
    ("spec", "index", "text"),
    [("demo", 0, ""), ("0", 1, ""), ("3", 4, ""), ("rtsp://cam/1", 5, "rtsp://cam/1")],
)
def test_camera_source_editor_round_trips_every_kind(qtbot, spec, index, text):
    editor = CameraSourceEditor()
    qtbot.addWidget(editor)
    editor.set_value(spec)
    assert editor.combo.currentIndex() == index
    assert editor.path_edit.text() == text
    assert editor.path_edit.isVisibleTo(editor) == (index == 5)
    assert editor.value() == spec


def test_browse_fills_the_path(qtbot, monkeypatch):
    editor = CameraSourceEditor()
    qtbot.addWidget(editor)
    editor.set_value("/videos/old.mp4")
    monkeypatch.setattr(file_picker, "choose", lambda *a, **k: ["/videos/new.mp4"])
    editor.browse_button.click()
    assert editor.value() == "/videos/new.mp4"


def test_form_shows_the_defaults(page):
    defaults = KioskSettings()
    assert page.form_values() == {
        **defaults.to_json_dict(),
        "min_confidence": pytest.approx(defaults.min_confidence),
        "face_distance_threshold": pytest.approx(defaults.face_distance_threshold),
        "face_min_margin": pytest.approx(defaults.face_min_margin),
    }
    assert page.language.currentText() == LANGUAGE_NAMES[defaults.language]


def test_save_and_load_round_trip(qtbot, page, app_home, themed, screenshot):
    saved = []
    page.settings_saved.connect(saved.append)
    page.counter_source.set_value("1")
    page.face_source.combo.setCurrentIndex(page.face_source.combo.count() - 1)
    page.face_source.path_edit.setText("/videos/shopper.mp4")
    page.language.setCurrentIndex(page.language.findData("en"))
    page.kiosk_id.setText(" till-2 ")
    page.min_confidence.setValue(0.55)
    page.face_distance_threshold.setValue(0.5)
    page.face_min_margin.setValue(0.3)
    page.payment_timeout_s.setValue(45)
    page.complete_reset_s.setValue(10)
    page.fullscreen.setChecked(True)
    page.show_stats.setChecked(True)
    screenshot(page, "staff_settings.png")

    page.save_button.click()

    loaded, warnings = load_settings(app_home)
    assert warnings == ()
    assert loaded == KioskSettings(
        counter_source="1",
        face_source="/videos/shopper.mp4",
        language="en",
        kiosk_id="till-2",
        min_confidence=0.55,
        face_distance_threshold=0.5,
        face_min_margin=0.3,
        payment_timeout_s=45.0,
        complete_reset_s=10.0,
        fullscreen=True,
        show_stats=True,
    )
    assert saved == [loaded]
    assert page.settings == loaded
    assert page.status_label.text() == "Saved."

    reopened = SettingsPage(app_home, loaded)
    qtbot.addWidget(reopened)
    assert reopened.form_values() == page.form_values()


def test_empty_url_is_refused_next_to_its_field(page, app_home, themed, screenshot):
    saved = []
    page.settings_saved.connect(saved.append)
    page.counter_source.combo.setCurrentIndex(page.counter_source.combo.count() - 1)
    page.counter_source.path_edit.setText("   ")
    assert not page.save()
    error = page.findChild(QLabel, "counter_source_error")
    assert error.isVisibleTo(page)
    assert "path or a stream URL" in error.text()
    assert not (app_home / "settings.json").exists()
    assert saved == []
    screenshot(page, "staff_settings_error.png")


def test_a_kiosk_name_with_spaces_inside_is_refused_next_to_its_field(page, app_home):
    page.kiosk_id.setText("till 2")
    assert not page.save()
    error = page.findChild(QLabel, "kiosk_id_error")
    assert error.isVisibleTo(page) and "letters, digits" in error.text()
    assert not (app_home / "settings.json").exists()


def test_stepper_buttons_change_the_value_within_range(page):
    stepper = page.payment_timeout_s.parentWidget()
    minus, plus = (b for b in stepper.findChildren(QPushButton) if b.text() in (MINUS, PLUS))
    plus.click()
    assert page.payment_timeout_s.value() == 31
    page.payment_timeout_s.setValue(page.payment_timeout_s.minimum())
    minus.click()
    assert page.payment_timeout_s.value() == page.payment_timeout_s.minimum()


def test_discard_restores_the_stored_values(page):
    page.min_confidence.setValue(0.9)
    page.revert_button.click()
    assert page.min_confidence.value() == pytest.approx(KioskSettings().min_confidence)


def test_a_write_failure_is_shown(page, monkeypatch):
    def fail(_home, _settings):
        raise PermissionError("read-only home")

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text: shown.append(text))
    monkeypatch.setattr("checkout_app.ui.staff.settings_page.save_settings", fail)
    saved = []
    page.settings_saved.connect(saved.append)
    assert not page.save()
    assert shown == ["read-only home"]
    assert saved == []
