"""`checkout-app` with no command opens the kiosk; kiosk options reach the launcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkout_app.cli import main


@pytest.fixture
def launched(monkeypatch) -> list:
    calls: list = []
    monkeypatch.setattr(
        "checkout_app.ui.launch.run_kiosk", lambda options: calls.append(options) or 0
    )
    return calls


def test_no_command_opens_the_kiosk_with_the_saved_settings(launched, app_home) -> None:
    assert main([]) == 0
    (options,) = launched
    assert options.home == Path(app_home).resolve()
    assert options.counter_source is None and options.fullscreen is None


def test_presenter_options_override_the_saved_settings(launched) -> None:
    argv = ["kiosk", "--fullscreen", "--stats", "--source", "0", "--face-source", "1"]
    argv += ["--lang", "en", "--backend", "torch"]
    assert main(argv) == 0
    (options,) = launched
    assert (options.fullscreen, options.show_stats) == (True, True)
    assert (options.counter_source, options.face_source, options.language) == ("0", "1", "en")
    assert options.backend == "torch"


def test_run_without_headless_is_the_kiosk_on_that_source(launched) -> None:
    assert main(["run", "--source", "counter.mp4"]) == 0
    assert launched[0].counter_source == "counter.mp4"
