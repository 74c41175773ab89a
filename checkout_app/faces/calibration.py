"""Threshold calibration: FAR / FRR / verification accuracy over cosine-distance thresholds.

Feed embeddings of several photos per person: every same-person pair is a genuine attempt,
every different-person pair an impostor attempt (faces with the same ``source``, variants of one
photo, are never paired). FAR (false accepts / impostor pairs) and FRR
(false rejects / genuine pairs) are computed on a threshold grid, and three thresholds are
suggested: the strictest with no false accept seen (``far_zero``, what face pay should use), the
equal-error-rate one, and the one with the best verification accuracy.

Pairs are not independent: many photos of few people give many pairs but only as many
different *people* pairs as the people allow. Each suggestion therefore also says how many of the
impostor people pairs had any pair accepted (``far_people``), the honest, coarse figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.faces.matcher import unit_rows


@dataclass(frozen=True)
class PairDistances:
    """``impostor_people``: for each impostor pair, which pair of people it is (0, 1, ...)."""

    genuine: np.ndarray
    impostor: np.ndarray
    impostor_people: np.ndarray | None = None


@dataclass(frozen=True)
class ThresholdCurve:
    thresholds: np.ndarray
    far: np.ndarray
    frr: np.ndarray
    accuracy: np.ndarray


def pair_distances(
    labels: Sequence[str], embeddings: np.ndarray, sources: Sequence[str] | None = None
) -> PairDistances:
    """Cosine distances of all same-label and different-label pairs, leaving out pairs of
    faces with the same ``source`` (default: every face its own)."""
    vectors = unit_rows(embeddings)
    distances = 1.0 - vectors @ vectors.T
    people, person = np.unique(np.asarray(labels), return_inverse=True)
    same = person[:, None] == person[None, :]
    upper = np.triu(np.ones_like(same, dtype=bool), k=1)
    if sources is not None:
        origin = np.unique(np.asarray(sources), return_inverse=True)[1]
        upper &= origin[:, None] != origin[None, :]
    low, high = np.minimum.outer(person, person), np.maximum.outer(person, person)
    people_pair = (low * len(people) + high)[~same & upper]
    return PairDistances(
        distances[same & upper],
        distances[~same & upper],
        np.unique(people_pair, return_inverse=True)[1].ravel(),
    )


def people_pair_far(pairs: PairDistances, threshold: float) -> dict:
    """How many impostor people pairs had at least one pair accepted at ``threshold``."""
    assert pairs.impostor_people is not None
    total = int(pairs.impostor_people.max()) + 1 if len(pairs.impostor_people) else 0
    if not total:
        return {"people_pairs": 0, "far_people": None, "far_people_ci95": None}
    breached = len(np.unique(pairs.impostor_people[pairs.impostor < threshold]))
    return {
        "people_pairs": total,
        "far_people": round(breached / total, 5),
        "far_people_ci95": [round(v, 5) for v in rate_interval(breached, total)],
    }


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


def calibration_report(
    labels: Sequence[str], embeddings: np.ndarray, sources: Sequence[str] | None = None
) -> dict:
    pairs = pair_distances(labels, embeddings, sources)
    curve = threshold_curve(pairs, default_grid())
    suggested = suggest_thresholds(curve, len(pairs.genuine), len(pairs.impostor))
    for point in suggested.values():
        if point:
            point.update(people_pair_far(pairs, point["threshold"]))
    return {
        "people": len(set(labels)),
        "images": len(labels),
        # Variants of one face count once here.
        "source_faces": len(set(sources)) if sources is not None else len(labels),
        "genuine_pairs": len(pairs.genuine),
        "impostor_pairs": len(pairs.impostor),
        "genuine_distance": _summary(pairs.genuine),
        "impostor_distance": _summary(pairs.impostor),
        "suggested": suggested,
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
