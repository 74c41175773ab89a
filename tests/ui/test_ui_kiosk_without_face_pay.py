"""A kiosk whose face models cannot be prepared still sells: products reach the cart, face pay
is off with the reason shown to staff, and the shopper is sent to staff to pay."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from checkout_app.camera.demo_face_source import DemoFaceSource
from checkout_app.camera.demo_source import DemoScenarioSource
from checkout_app.services.kiosk_settings import KioskSettings


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    from checkout_app.app import build_kiosk_services

    home = tmp_path_factory.mktemp("kiosk_home")
    broken = tmp_path_factory.mktemp("broken") / "graph_final.pb"
    broken.write_bytes(b"\x0a\xff\xff\xff\x0f truncated")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("torch_home")))
        mp.setattr("checkout_app.backends.facenet_convert.locate_facenet_graph", lambda: broken)
        built = build_kiosk_services(home, KioskSettings(language="en", face_source="demo"))
    yield built
    built.close()


def test_services_start_without_face_pay_and_say_why(services):
    assert services.face_pipeline is None and services.registry is None
    assert "graph_final.pb" in services.face_pay_problem
    assert "not a TensorFlow graph" in services.face_pay_problem
    assert [name for name, _meta in services.model_files] == ["products_yolov8n.pt"]


def test_products_reach_the_cart_and_pay_is_off_with_the_reason(
    qtbot, qapp, services, monkeypatch, screenshot
):
    from checkout_app.ui import theme
    from checkout_app.ui.i18n import LanguageSwitcher
    from checkout_app.ui.kiosk_window import KioskWindow
    from checkout_app.ui.staff.pin_dialog import PinDialog

    theme.apply_theme(qapp)
    languages = LanguageSwitcher(qapp)
    languages.set_language("en")
    window = KioskWindow(
        services,
        languages,
        lambda: DemoScenarioSource(realtime=True, loop=True),
        lambda: DemoFaceSource(),
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.snapshot.item_count >= 2, timeout=150_000)
    assert window.stack.currentWidget() is window.scanning

    pay = window.findChild(QPushButton, "pay_button")
    notice = window.findChild(QLabel, "face_pay_unavailable")
    assert not pay.isEnabled()
    assert notice.isVisible() and "Call staff to pay" in notice.text()
    assert window.findChild(QPushButton, "help_button").isEnabled()
    screenshot(window, "20_scanning_without_face_pay")
    window.start_payment()  # e.g. a late "try again": still no payment screen
    assert window.stack.currentWidget() is window.scanning

    monkeypatch.setattr(PinDialog, "exec", lambda self: 1)
    window.open_staff_area()
    face_tabs = window.staff.findChildren(QLabel, "face_pages_unavailable")
    assert len(face_tabs) == 2
    assert all("graph_final.pb" in page.text() for page in face_tabs)
    window.staff.tabs.setCurrentIndex(3)  # System
    status = window.findChild(QLabel, "face_pay_status")
    qtbot.waitUntil(lambda: "Face pay is off" in status.text(), timeout=5_000)
    assert "graph_final.pb" in status.text()
    screenshot(window, "21_system_without_face_pay")
    assert not window.face_camera.is_running()
    window.close()
