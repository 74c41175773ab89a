"""--min-confidence reaches everything that counts detections: the detector and the tracker of
run --headless and bench, and the kiosk's settings (a window run included)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from checkout_app.cli import build_parser, detection
from checkout_app.core.catalog import Catalog
from checkout_app.services.kiosk_settings import KioskSettings
from checkout_app.ui.launch import KioskOptions, effective_settings


def test_the_tracker_drops_what_the_detector_would(monkeypatch, app_home):
    detector = SimpleNamespace(class_names=[])
    monkeypatch.setattr(detection, "detector_from_args", lambda args: detector)
    monkeypatch.setattr("checkout_app.app.open_catalog", lambda home, url: Catalog([]))
    args = build_parser().parse_args(["run", "--headless", "--min-confidence", "0.7"])
    args.home = app_home
    assert detection.pipeline_from_args(args, 15.0).tracker.config.min_confidence == 0.7
    args = build_parser().parse_args(["bench", "--out", "b.json"])
    args.home = app_home
    assert detection.pipeline_from_args(args, 15.0).tracker.config.min_confidence == 0.4


def test_a_window_run_and_the_kiosk_take_it_over_the_saved_setting(monkeypatch, app_home):
    seen = []
    monkeypatch.setattr("checkout_app.ui.launch.run_kiosk", lambda options: seen.append(options))
    for argv in (["run", "--min-confidence", "0.6"], ["kiosk", "--min-confidence", "0.55"]):
        args = build_parser().parse_args(argv)
        args.home = app_home
        args.func(args)
    assert [o.min_confidence for o in seen] == [0.6, 0.55]
    saved = KioskSettings()
    assert effective_settings(saved, KioskOptions(home=Path("."))).min_confidence == 0.4
    assert effective_settings(saved, seen[0]).min_confidence == 0.6
