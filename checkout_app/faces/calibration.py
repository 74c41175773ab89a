"""Threshold calibration: FAR / FRR / verification accuracy over cosine-distance thresholds.

Feed embeddings of several photos per person: every same-person pair is a genuine attempt,
every different-person pair an impostor attempt. FAR (false accepts / impostor pairs) and FRR
(false rejects / genuine pairs) are computed on a threshold grid, and three thresholds are
suggested: the strictest with no false accept seen (``far_zero``, what face pay should use), the
equal-error-rate one, and the one with the best verification accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.faces.matcher import unit_rows


@dataclass(frozen=True)
class PairDistances:
    genuine: np.ndarray
    impostor: np.ndarray


@dataclass(frozen=True)
class ThresholdCurve:
    thresholds: np.ndarray
    far: np.ndarray
    frr: np.ndarray
    accuracy: np.ndarray


def pair_distances(labels: Sequence[str], embeddings: np.ndarray) -> PairDistances:
    """Cosine distances of all same-label and different-label pairs."""
    vectors = unit_rows(embeddings)
    distances = 1.0 - vectors @ vectors.T
    names = np.asarray(labels)
    same = names[:, None] == names[None, :]
    upper = np.triu(np.ones_like(same, dtype=bool), k=1)
    return PairDistances(distances[same & upper], distances[~same & upper])


def threshold_curve(pairs: PairDistances, thresholds: np.ndarray) -> ThresholdCurve:
    """A pair is accepted when its distance is strictly below the threshold."""
    if len(pairs.genuine) == 0 or len(pairs.impostor) == 0:
        raise ValueError("calibration needs at least one same-person and one different pair")
    t = np.asarray(thresholds, np.float64)
    far = (pairs.impostor[None, :] < t[:, None]).mean(axis=1)
    frr = (pairs.genuine[None, :] >= t[:, None]).mean(axis=1)
    n_gen, n_imp = len(pairs.genuine), len(pairs.impostor)
    accuracy = ((1 - frr) * n_gen + (1 - far) * n_imp) / (n_gen + n_imp)
    return ThresholdCurve(t, far, frr, accuracy)


def default_grid() -> np.ndarray:
    return np.round(np.arange(0.05, 1.5001, 0.01), 4)


def rate_interval(errors: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Two-sided Clopper–Pearson interval of an error rate seen ``errors`` times in ``trials``.

    With no error seen the upper end is about 3.7 / trials: showing a false-accept rate under
    one in a thousand at 95 % takes some 3,700 independent impostor attempts without one accept.
    """
    from scipy.stats import beta

    if trials <= 0:
        raise ValueError("a rate needs at least one trial")
    alpha = 1.0 - confidence
    low = 0.0 if errors == 0 else float(beta.ppf(alpha / 2, errors, trials - errors + 1))
    high = 1.0 if errors == trials else float(beta.ppf(1 - alpha / 2, errors + 1, trials - errors))
    return low, high


def suggest_thresholds(curve: ThresholdCurve, genuine_pairs: int, impostor_pairs: int) -> dict:
    """far_zero (largest threshold with FAR 0), eer, best_accuracy, with their FAR/FRR and the
    95 % intervals the number of pairs allows (pairs from the same photos are not independent,
    so the true intervals are wider)."""

    def at(i: int) -> dict:
        far, frr = float(curve.far[i]), float(curve.frr[i])
        return {
            "threshold": float(curve.thresholds[i]),
            "far": far,
            "far_ci95": [
                round(v, 5) for v in rate_interval(round(far * impostor_pairs), impostor_pairs)
            ],
            "frr": frr,
            "frr_ci95": [
                round(v, 5) for v in rate_interval(round(frr * genuine_pairs), genuine_pairs)
            ],
            "accuracy": float(curve.accuracy[i]),
        }

    zero = np.flatnonzero(curve.far == 0)
    out = {
        "eer": at(int(np.argmin(np.abs(curve.far - curve.frr)))),
        "best_accuracy": at(int(np.argmax(curve.accuracy))),
    }
    out["far_zero"] = at(int(zero[-1])) if len(zero) else None
    return out


def calibration_report(labels: Sequence[str], embeddings: np.ndarray) -> dict:
    pairs = pair_distances(labels, embeddings)
    curve = threshold_curve(pairs, default_grid())
    return {
        "people": len(set(labels)),
        "images": len(labels),
        "genuine_pairs": len(pairs.genuine),
        "impostor_pairs": len(pairs.impostor),
        "genuine_distance": _summary(pairs.genuine),
        "impostor_distance": _summary(pairs.impostor),
        "suggested": suggest_thresholds(curve, len(pairs.genuine), len(pairs.impostor)),
        "curve": {
            "threshold": curve.thresholds.round(4).tolist(),
            "far": curve.far.round(5).tolist(),
            "frr": curve.frr.round(5).tolist(),
            "accuracy": curve.accuracy.round(5).tolist(),
        },
    }


def _summary(values: np.ndarray) -> dict:
    return {
        "min": round(float(values.min()), 4),
        "mean": round(float(values.mean()), 4),
        "max": round(float(values.max()), 4),
    }


def plot_far_frr(report: dict, out_path: Path) -> None:
    """FAR and FRR vs threshold, with the suggested thresholds marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = report["curve"]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(curve["threshold"], curve["far"], label="FAR (strangers accepted)")
    ax.plot(curve["threshold"], curve["frr"], label="FRR (people rejected)")
    marks: list[tuple] = [(k, v) for k, v in report["suggested"].items() if v]
    for name, point in marks:
        ax.axvline(point["threshold"], linestyle="--", linewidth=0.8, color="grey")
        ax.annotate(name, (point["threshold"], 0.9), rotation=90, fontsize=8)
    ax.set_xlabel("cosine distance threshold")
    ax.set_ylabel("rate")
    ax.set_ylim(0, 1.02)
    ax.legend()
    ax.set_title(f"{report['people']} people, {report['images']} images")
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)
    plt.close(fig)
