"""What the staff system page shows about the running kiosk, as plain data (no Qt).

The main window fills a :class:`KioskStats` from its camera pipelines, frame view and detector
once a second; :class:`~checkout_app.ui.staff.system_page.SystemPage` only displays it. The
number formatting lives here too, so it is tested without a widget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

SHA_PREFIX_CHARS = 12
NO_VALUE = "—"


@dataclass(frozen=True)
class ModelFileInfo:
    """One model file the kiosk loaded. mAP values are fractions (0.987), from validation."""

    name: str
    sha256: str
    architecture: str | None = None
    map50: float | None = None
    map50_95: float | None = None

    @classmethod
    def from_sidecar(cls, name: str, sidecar: Mapping[str, Any]) -> ModelFileInfo:
        """From a model's JSON sidecar (``models_meta``): sha256, architecture, val metrics.

        Ultralytics names the box metrics ``mAP50(B)`` and ``mAP50-95(B)``.
        """
        metrics = sidecar.get("val_metrics") or {}
        return cls(
            name=name,
            sha256=str(sidecar.get("sha256", "")),
            architecture=sidecar.get("architecture"),
            map50=_number_or_none(metrics.get("mAP50(B)", metrics.get("mAP50"))),
            map50_95=_number_or_none(metrics.get("mAP50-95(B)", metrics.get("mAP50-95"))),
        )

    @property
    def sha256_prefix(self) -> str:
        return self.sha256[:SHA_PREFIX_CHARS] if self.sha256 else NO_VALUE


@dataclass(frozen=True)
class KioskStats:
    """Rates are per second over the last few seconds; None while there is nothing to measure.

    ``stage_latency_ms``: median milliseconds per pipeline stage, in the order to show them
    (e.g. capture, preprocess, inference, postprocess, tracking, paint).
    """

    detection_fps: float | None = None
    capture_fps: float | None = None
    ui_fps: float | None = None
    dropped_frames: int = 0
    stage_latency_ms: Mapping[str, float] = field(default_factory=dict)
    backend: str | None = None
    models: Sequence[ModelFileInfo] = ()
    face_pay_problem: str | None = None  # why face pay is off; None while it works
    # InterruptedPayment records from before this start that staff have not marked as seen.
    interrupted_payments: Sequence[Any] = ()


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def format_rate(fps: float | None) -> str:
    """Frames per second with one decimal: "12.3"; "—" when unknown."""
    return NO_VALUE if fps is None else f"{fps:.1f}"


def format_ms(ms: float | None) -> str:
    """Milliseconds: one decimal under 10 ms ("4.2"), whole above ("37"); "—" when unknown."""
    if ms is None:
        return NO_VALUE
    return f"{ms:.1f}" if ms < 10 else f"{ms:.0f}"


def format_percent(fraction: float | None) -> str:
    """A 0..1 fraction as a percentage with one decimal: 0.9898 -> "99.0 %"."""
    return NO_VALUE if fraction is None else f"{fraction * 100:.1f} %"


def format_mb(mb: float | None) -> str:
    """Megabytes, as GB with one decimal from 1024 MB up: "812 MB", "3.9 GB"."""
    if mb is None:
        return NO_VALUE
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB"
