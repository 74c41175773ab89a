"""The real-products evaluation's bookkeeping: folders, held-out draw, rates, learning before
the test (no models)."""

import cv2
import numpy as np
import pytest

from checkout_app.products.appearance import Appearance, colour_histogram
from checkout_app.products.evaluation import (
    Identified,
    confusion_matrix,
    evaluate_real_products,
    learning_stream,
    photo_folders,
    split_products,
    summarize,
)
from checkout_app.products.gallery import ProductMatch


def _said(product, sku, candidate=None, taught=True, suggestions=()):
    reason = "accepted" if sku else "ambiguous"
    match = ProductMatch(sku, candidate or sku, 1.0, 0.5, 0.6, reason, suggestions=suggestions)
    return Identified(product, taught, match)


def test_rates_per_group_held_out_share_and_per_class_confusions():
    results = [
        _said("Fruit/Apple", "Fruit/Apple"),
        _said("Fruit/Apple", "Fruit/Pear"),
        _said(
            "Fruit/Apple", None, candidate="Fruit/Pear", suggestions=("Fruit/Pear", "Fruit/Apple")
        ),
        _said("Fruit/Pear", "Fruit/Pear"),
        _said("Juice/Bravo", None, candidate="Fruit/Apple", taught=False),
        _said("Juice/Bravo", "Fruit/Pear", taught=False),
    ]
    report = summarize(results)
    assert report["taught"] == {
        "photos": 4,
        "top1": 0.5,
        "candidate_top1": 0.5,
        "unknown_rate": 0.25,
        "wrong_rate": 0.25,
        "unknown_but_suggested": 0.25,
        "not_a_product_rate": 0.0,
    }
    assert set(report["groups"]) == {"Fruit"}
    assert report["held_out"] == {"photos": 2, "unknown_share": 0.5, "not_a_product_share": 0.0}
    assert "not_products" not in report
    apple = next(r for r in report["per_class"] if r["product"] == "Fruit/Apple")
    assert apple["most_often_taken_for"] == "Fruit/Pear"
    bravo = next(r for r in report["per_class"] if r["product"] == "Juice/Bravo")
    assert (bravo["taught"], bravo["wrong_rate"]) == (False, 0.5)

    rows, columns, counts = confusion_matrix(results)
    assert rows == ["Fruit/Apple", "Fruit/Pear", "Juice/Bravo"]
    assert columns == ["Fruit/Apple", "Fruit/Pear", "unknown"]
    assert counts.tolist() == [[1, 1, 1], [0, 1, 0], [0, 1, 1]]


def test_held_out_products_are_a_seeded_draw_and_some_must_stay_taught():
    products = [f"P{i}" for i in range(10)]
    taught, held = split_products(products, 4, seed=3)
    assert len(held) == 4 and sorted(taught + held) == sorted(products)
    assert split_products(products, 4, seed=3) == (taught, held)
    with pytest.raises(ValueError, match="leaves nothing to teach"):
        split_products(products, 10, seed=0)


def test_every_leaf_folder_of_photos_is_a_product(tmp_path):
    for rel in ("Fruit/Apple/a.jpg", "Fruit/Apple/b.PNG", "Juice/Bravo/c.jpg", "notes/readme.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    found = photo_folders(tmp_path)
    assert sorted(found) == ["Fruit/Apple", "Juice/Bravo"]
    assert [p.name for p in found["Fruit/Apple"]] == ["a.jpg", "b.PNG"]


class ColourEncoder:
    """Appearance from colour only: enough to tell flat colours apart (no models)."""

    name = "colour-test"

    def encode(self, images):
        return [Appearance(colour_histogram(im), im.reshape(-1, 3).mean(0)) for im in images]

    encode_taught = encode


def _write_photos(root, product, bgr, count, seed):
    rng = np.random.default_rng(seed)
    folder = root / product
    folder.mkdir(parents=True)
    for i in range(count):
        image = np.clip(np.array(bgr) + rng.normal(0, 12, (64, 64, 3)), 0, 255).astype(np.uint8)
        cv2.imwrite(str(folder / f"{i}.png"), image)


def test_learning_before_the_test_adds_the_unknown_photos_of_taught_products(tmp_path):
    """--learn-from: the photos there of each taught product are identified in turn; the ones
    called unknown are learned (never a taught photo again, never a held-out product's)."""
    train, more, test = tmp_path / "train", tmp_path / "more", tmp_path / "test"
    for root, seed in ((train, 0), (more, 30), (test, 1)):
        _write_photos(root, "Juice/Red", (30, 30, 220), 3, seed)
        _write_photos(root, "Juice/Green", (30, 200, 30), 3, seed + 10)
        _write_photos(root, "Juice/Blue", (220, 30, 30), 3, seed + 20)
    for i in range(4):  # red cartons in a bluish light: unknown to the taught gallery
        cv2.imwrite(str(more / f"Juice/Red/odd{i}.png"), np.full((64, 64, 3), (150, 40, 150)))

    report, _ = evaluate_real_products(
        ColourEncoder(), train, test, shots=3, holdout=1, seed=0, learn_root=more
    )
    assert report["holdout"] == ["Juice/Green"]  # seed 0's draw
    learned = report["learned"]
    assert learned["from"] == str(more)
    assert learned["photos"] == 7 + 3, "the red and blue photos, not the held-out green ones"
    assert learned["right"] + learned["unknown_named_by_staff"] + learned["wrong"] == 10
    assert learned["learned"] == learned["unknown_named_by_staff"] >= 4

    chosen = {p: sorted((train / p).glob("*.png")) for p in ("Juice/Blue", "Juice/Red")}
    stream = learning_stream(train, chosen, seed=0)
    assert stream == [], "the photos taught are not streamed again"
    stream = learning_stream(more, chosen, seed=0)
    assert {product for product, _ in stream} == {"Juice/Blue", "Juice/Red"}
    assert stream == learning_stream(more, chosen, seed=0), "the same order for a seed"


def test_products_learned_as_no_product_measure_what_is_ignored(tmp_path):
    """--not-products: a product's photos learned as a look that is no product, not taught;
    its test photos are ignored, the taught products' are not, and each taught product keeps
    the photos it is taught from without it."""
    train, test = tmp_path / "train", tmp_path / "test"
    colours = {"Red": (30, 30, 220), "Green": (30, 200, 30), "Blue": (220, 30, 30)}
    colours["Yellow"] = (30, 200, 220)
    for root, seed in ((train, 0), (test, 1)):
        for i, (name, bgr) in enumerate(colours.items()):
            _write_photos(root, f"Juice/{name}", bgr, 4, seed + 10 * i)

    report, results = evaluate_real_products(
        ColourEncoder(), train, test, shots=3, holdout=1, seed=0, not_products=1
    )
    looks = report["not_products"]
    assert len(looks["products"]) == 1 and looks["products"] != report["holdout"]
    assert (looks["photos"], looks["ignored_share"], looks["named_share"]) == (4, 1.0, 0.0)
    assert report["products_taught"] == 2 and report["taught"]["not_a_product_rate"] == 0.0
    assert report["teach_photos"] == 9, "the look's photos learned too"
    row = next(r for r in report["per_class"] if r["product"] == looks["products"][0])
    assert (row["taught"], row["not_product"], row["not_a_product_rate"]) == (False, True, 1.0)
    assert sum(r.ignored for r in results) == 4
