"""Files of an ``eval real-products`` run: the JSON report, a per-class table, a confusion plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from checkout_app.products.evaluation import Identified, confusion_matrix


def per_class_table(report: dict) -> str:
    """The per-class results as a Markdown table (shares of each class's test photos)."""
    lines = [
        "| product | taught | photos | right | unknown | unknown, product suggested | wrong "
        "| most often taken for |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in report["per_class"]:
        # A held-out product's only right answer is "unknown": any product named is wrong, and
        # it is never among the suggestions (taught products only).
        taught = row["taught"]
        right = f"{row['top1']:.2f}" if taught else "–"
        suggested = f"{row['unknown_but_suggested']:.2f}" if taught else "–"
        role = "yes" if taught else "no product" if row["not_product"] else "held out"
        lines.append(
            f"| {row['product']} | {role} | {row['photos']} | "
            f"{right} | {row['unknown_rate']:.2f} | {suggested} | {row['wrong_rate']:.2f} | "
            f"{row['most_often_taken_for'] or ''} |"
        )
    return "\n".join(lines) + "\n"


def write_report(report: dict, results: Sequence[Identified], out: Path) -> Path:
    """Write ``out`` (JSON), ``out`` with .md (table) and _confusion.png; returns the plot path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(per_class_table(report), encoding="utf-8")
    plot = out.with_name(out.stem + "_confusion.png")
    _plot_confusion(results, plot)
    return plot


def _plot_confusion(results: Sequence[Identified], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows, columns, counts = confusion_matrix(results)
    shares = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    untaught = {r.product for r in results if not r.taught}
    labels = [r.rsplit("/", 1)[-1] + (" (not taught)" if r in untaught else "") for r in rows]
    fig, ax = plt.subplots(figsize=(0.3 * len(columns) + 4, 0.3 * len(rows) + 3))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(columns)), [c.rsplit("/", 1)[-1] for c in columns], rotation=90)
    ax.set_yticks(range(len(rows)), labels)
    ax.set_xlabel("identified as")
    ax.set_ylabel("product in the photo")
    ax.set_title("share of each product's test photos")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
