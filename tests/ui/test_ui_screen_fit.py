"""Every shopper and staff screen fits the screens presenters use, in both languages.

At 1024×600, 1280×800 and 1920×1080, with the presenter's stats line on and off and a call for
staff waiting (its line and banner take room on every screen), the window
takes exactly that size (no control forces it wider), and on every screen each visible control
lies inside the window and no label or button is too small for its text (``layout_check``).
A screenshot of every screen at every size goes to build/screenshots/fit/.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from layout_check import layout_problems

from checkout_app.camera.demo_face_source import DEMO_SHOPPER_NAME, DemoFaceSource
from checkout_app.core.receipt import render_receipt
from checkout_app.services.kiosk_settings import KioskSettings
from checkout_app.services.payment_flow import PayFailure, PayStatus, PayStep
from checkout_app.ui.view_models import cart_rows

SIZES = ((1024, 600), (1280, 800), (1920, 1080))


class StillCounter:
    """A counter camera that never delivers: the test fills the cart by hand."""

    def read(self):
        raise AssertionError("the screen-fit test does not run the counter camera")

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    from checkout_app.app import build_kiosk_services

    home = tmp_path_factory.mktemp("fit_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("torch_home")))
        built = build_kiosk_services(home, KioskSettings(language="en", face_source="demo"))
    yield built
    built.close()


def _status(step: PayStep, **changes) -> PayStatus:
    values = dict(
        step=step,
        hint="hold_still",
        person_name=None,
        challenge=None,
        failure=None,
        face_box=None,
        record=None,
        seconds_left=24.0,
    )
    values.update(changes)
    return PayStatus(**values)


def _shopper_screens(kiosk):
    """(name, show) for every shopper screen, with the longest realistic content."""
    counter = kiosk.services.counter
    skus = [p.sku for p in counter.catalog.active()]

    def scanning():
        counter.reset()
        for sku in skus[:5]:
            counter.set_quantity(sku, 12)
        # And an unknown item on the counter: its notice is the longest line the cart shows;
        # the first line added by its barcode (the longest line state).
        snapshot = counter.snapshot()
        kiosk._apply(replace(snapshot, unnamed=(1,), scanned=frozenset(skus[:1])))
        # The longest message staff's answers about an unknown item leave on the cart.
        longest = kiosk.tr("Nothing added: the item left the counter, or its product is off sale.")
        kiosk.scanning.cart.show_scan(longest, False)
        kiosk.stack.setCurrentWidget(kiosk.scanning)

    def counter_stale():
        """The counter no longer looks like its empty-counter shot: payment waits for staff."""
        kiosk._apply(replace(counter.snapshot(), empty_counter_stale=True))
        kiosk.stack.setCurrentWidget(kiosk.scanning)

    def counter_full():
        """Too many products on the counter to tell apart."""
        kiosk._apply(replace(counter.snapshot(), empty_counter_stale=True, counter_full=True))
        kiosk.stack.setCurrentWidget(kiosk.scanning)

    def pay(status):
        def show():
            snapshot = counter.snapshot()
            kiosk.pay.start("₩123,400", cart_rows(snapshot, kiosk._lang))
            kiosk.pay.show_status(status)
            kiosk.stack.setCurrentWidget(kiosk.pay)

        return show

    def complete():
        snapshot = counter.snapshot()
        receipt = render_receipt(
            snapshot.lines(kiosk._lang),
            snapshot.total,
            store_name="checkout_app demo store",
            when=datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc),
            receipt_id="20261205-0001",
            paid_by=DEMO_SHOPPER_NAME,
            lang=kiosk._lang,
        )
        kiosk.complete.show_payment("₩123,400", receipt, DEMO_SHOPPER_NAME, 8)
        kiosk.stack.setCurrentWidget(kiosk.complete)

    def attract():
        kiosk._leave_staff_area()
        kiosk.stack.setCurrentWidget(kiosk.attract)

    return [
        ("attract", attract),
        ("scanning", scanning),
        ("scanning_counter_stale", counter_stale),
        ("scanning_counter_full", counter_full),
        ("pay_looking", pay(_status(PayStep.LOOKING))),
        ("pay_turn", pay(_status(PayStep.LIVENESS, challenge="left", turn=2, hint=""))),
        ("pay_confirm", pay(_status(PayStep.CONFIRM, person_name=DEMO_SHOPPER_NAME))),
        # The longest words on the pay screen: the store's server went away mid-payment.
        ("pay_store_checking", pay(_status(PayStep.RECORDING, hint="store_checking"))),
        ("complete", complete),
        ("failure", lambda: kiosk._show_failure(PayFailure.LIVENESS_FAILED)),
        ("failure_store_down", lambda: kiosk._show_failure(PayFailure.STORE_DOWN)),
    ]


def _staff_screens(kiosk):
    def tab(i):
        def show():
            kiosk.show_staff_area()
            kiosk.staff.tabs.setCurrentIndex(i)

        return show

    return [(f"staff_tab{i}", tab(i)) for i in range(kiosk.staff.tabs.count())]


@pytest.mark.parametrize("stats", [False, True], ids=["plain", "stats"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(qtbot, qapp, services, screenshot, monkeypatch, size, stats) -> None:
    from checkout_app.ui import theme
    from checkout_app.ui.i18n import LanguageSwitcher
    from checkout_app.ui.kiosk_window import KioskWindow

    theme.apply_theme(qapp)
    languages = LanguageSwitcher(qapp)
    services.settings = KioskSettings(language="en", face_source="demo", show_stats=stats)
    kiosk = KioskWindow(services, languages, StillCounter, DemoFaceSource)
    qtbot.addWidget(kiosk)
    width, height = size
    kiosk.resize(width, height)
    kiosk.show()
    # The fullest state: a shopper's call for help shows on every shopper and staff screen.
    monkeypatch.setattr("checkout_app.ui.kiosk_window.play_chime", lambda: "beep")
    kiosk._call_staff()
    problems = []
    try:
        for lang in ("en", "ko"):
            languages.set_language(lang)
            qtbot.wait(50)  # the LanguageChange events are posted
            kiosk.staff.opened()
            for name, show in _shopper_screens(kiosk) + _staff_screens(kiosk):
                show()
                qtbot.wait(20)
                if (kiosk.width(), kiosk.height()) != size:
                    problems.append(
                        f"{lang} {name}: the window grew to {kiosk.width()}×{kiosk.height()}"
                    )
                    kiosk.resize(width, height)
                    qtbot.wait(20)
                label = f"{width}x{height}_{'stats' if stats else 'plain'}_{lang}_{name}"
                screenshot(kiosk, f"fit/{label}")
                problems += [f"{lang} {name}: {p}" for p in layout_problems(kiosk)]
    finally:
        kiosk.close()
        languages.set_language("en")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ((0, 0, 1920, 1080), (320, 140, 1280, 800)),  # centred, not in a corner
        ((0, 0, 1024, 600), (0, 0, 1024, 600)),  # a small screen: the whole free area
        ((0, 30, 1280, 770), (0, 30, 1280, 770)),  # below a panel
    ],
)
def test_the_window_is_centred_and_never_larger_than_the_screen(area, expected) -> None:
    from checkout_app.ui.kiosk_window import windowed_rect

    assert windowed_rect(*area) == expected


def test_fullscreen_covers_the_screen_even_without_a_window_manager(qtbot, qapp, services):
    """Nothing acts on a fullscreen request on a bare X server: the geometry is set too."""
    from checkout_app.ui.i18n import LanguageSwitcher
    from checkout_app.ui.kiosk_window import KioskWindow

    services.settings = KioskSettings(language="en", face_source="demo", fullscreen=True)
    kiosk = KioskWindow(services, LanguageSwitcher(qapp), StillCounter, DemoFaceSource)
    qtbot.addWidget(kiosk)
    try:
        kiosk.show_on_screen()
        screen = kiosk.screen().geometry()
        assert kiosk.geometry() == screen
        services.settings = KioskSettings(language="en", face_source="demo")
        kiosk.apply_settings(services.settings)  # staff turn fullscreen off in the settings
        assert not kiosk.isFullScreen()
        assert kiosk.width() <= screen.width() and kiosk.height() <= screen.height()
    finally:
        kiosk.close()


@pytest.mark.parametrize("setting_up", [False, True], ids=["enter", "set_up"])
def test_the_pin_dialog_fits_the_smallest_screen(qtbot, qapp, tmp_path, screenshot, setting_up):
    from checkout_app.services.staff_auth import StaffPin
    from checkout_app.ui import theme
    from checkout_app.ui.staff.pin_dialog import PinDialog

    theme.apply_theme(qapp)
    pin = StaffPin(tmp_path / "staff_pin.json")
    if not setting_up:
        pin.set_pin("2468")
    dialog = PinDialog(pin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(20)
    screenshot(dialog, f"fit/pin_dialog_{'set_up' if setting_up else 'enter'}")
    assert dialog.height() <= 600 - 20, f"{dialog.height()} px: taller than a 1024x600 screen"
    assert layout_problems(dialog) == []
