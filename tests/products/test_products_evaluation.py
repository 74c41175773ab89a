"""The real-products evaluation's bookkeeping: folders, held-out draw, rates (no models)."""

import pytest

from checkout_app.products.evaluation import (
    Identified,
    confusion_matrix,
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
    }
    assert set(report["groups"]) == {"Fruit"}
    assert report["held_out"] == {"photos": 2, "unknown_share": 0.5}
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
