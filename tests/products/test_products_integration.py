"""Teach real products from the shared grocery photos and identify their other photos, with the
real models (FaceNet trunk, PP-OCR), through the commands staff use."""

from __future__ import annotations

import json
import shutil

import cv2
import numpy as np
import pytest

from checkout_app.cli import main
from checkout_app.cli.errors import EXIT_BAD_INPUT

pytestmark = pytest.mark.integration

JUICES = "train/Packages/Juice"
TAUGHT = {
    "JUICE-BRAVO-APPLE": "Bravo-Apple-Juice",
    "JUICE-GODMORGON-ORANGE": "God-Morgon-Orange-Juice",
    "JUICE-TROPICANA-MANDARIN": "Tropicana-Mandarin-Morning",
}


@pytest.fixture
def home(tmp_path, weights_home):
    """A fresh home (own database) that reuses the session's prepared FaceNet weights."""
    home = tmp_path / "products_home"
    home.mkdir(mode=0o700)
    (home / "models").symlink_to(weights_home / "models", target_is_directory=True)
    return home


def _photos(grocery_dir, split, folder, count):
    return sorted((grocery_dir / split / "Packages" / "Juice" / folder).glob("*.jpg"))[:count]


def _teach_folder(tmp_path, grocery_dir, folder, count=5):
    """A folder of ``count`` training photos of one juice, as staff would have them."""
    target = tmp_path / "teach" / folder
    target.mkdir(parents=True)
    for path in _photos(grocery_dir, "train", folder, count):
        shutil.copy(path, target / path.name)
    return target


def _cli(home, *argv):
    return main(["--home", str(home), *[str(a) for a in argv]])


def test_taught_juices_are_recognised_and_an_untaught_product_is_not(
    home, tmp_path, grocery_dir, capsys
):
    for sku, folder in TAUGHT.items():
        images = _teach_folder(tmp_path, grocery_dir, folder)
        price = 2500
        assert _cli(home, "products", "teach", "--sku", sku, "--name", folder, "--price", price,
                    "--images", images) == 0  # fmt: skip
        assert f"taught {sku}" in capsys.readouterr().out

    tests = [
        (sku, p) for sku, folder in TAUGHT.items() for p in _photos(grocery_dir, "test", folder, 4)
    ]
    untaught = _photos(grocery_dir, "test", "Bravo-Orange-Juice", 2) + [
        sorted((grocery_dir / "test" / "Fruit" / "Banana").glob("*.jpg"))[0]
    ]
    assert _cli(home, "products", "identify", "--json", *[p for _, p in tests], *untaught) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["image"] for line in lines] == [str(p) for _, p in tests] + [
        str(p) for p in untaught
    ]
    for line in lines:
        (item,) = line["items"]
        assert set(item) == {"box", "sku", "name", "score"}
        assert item["box"][:2] == [0, 0] and item["box"][2] > 0 and item["box"][3] > 0
    said = [line["items"][0]["sku"] for line in lines]
    right = sum(s == sku for s, (sku, _) in zip(said, tests))
    wrong = sum(s not in (None, sku) for s, (sku, _) in zip(said, tests))
    assert right >= 9 and wrong == 0, said  # measured: 9 right, 3 unknown, none wrong
    # The banana is nothing like a carton; a Bravo orange juice beside the taught Bravo apple
    # juice is the hard case (untaught products of a taught brand: see docs/results).
    untaught_said = said[len(tests) :]
    assert untaught_said[-1] is None, said
    assert untaught_said.count(None) >= 2, said

    # With a shot of the empty counter, each photo's items are found as at the kiosk: a taught
    # juice and a banana on one counter are two items, each with its own box.
    from checkout_app.services.counter_items_benchmark import empty_counter

    counter = empty_counter()
    shot = counter.copy()
    juice, banana = tests[0][1], untaught[-1]
    shot[100:300, 40:240] = cv2.resize(cv2.imread(str(juice)), (200, 200))
    shot[150:350, 380:580] = cv2.resize(cv2.imread(str(banana)), (200, 200))
    cv2.imwrite(str(tmp_path / "empty.png"), counter)
    cv2.imwrite(str(tmp_path / "two_items.png"), shot)
    cv2.imwrite(str(tmp_path / "bare.png"), counter)
    cv2.imwrite(str(tmp_path / "small.png"), counter[:240, :320])
    reaching = counter.copy()  # the banana in a hand, its arm coming in from the left edge
    reaching[300:460, 0:160] = cv2.resize(cv2.imread(str(banana)), (160, 160))
    cv2.imwrite(str(tmp_path / "reaching.png"), reaching)
    argv = ["products", "identify", "--empty-counter", tmp_path / "empty.png"]
    images = [tmp_path / name for name in ("two_items.png", "bare.png", "small.png")]
    assert _cli(home, *argv, "--json", *images, tmp_path / "reaching.png") == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    two_items, bare, reaching_said = [json.loads(line) for line in out.splitlines()]
    assert reaching_said["items"] == []
    assert "reaching.png: 1 region(s) touching the photo's edge left out" in err
    boxes = {item["sku"]: item["box"] for item in two_items["items"]}
    assert set(boxes) == {tests[0][0], None}, two_items
    assert abs(boxes[tests[0][0]][0] - 40) <= 8 and abs(boxes[None][0] - 380) <= 8, boxes
    assert bare["items"] == []
    assert "small.png: the empty-counter shot is 640×480 and this one 320×240" in err
    assert _cli(home, *argv, images[0]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and any("unknown item" in line for line in lines), lines


def test_teaching_refuses_bad_photos_and_an_existing_sku_storing_nothing(
    home, tmp_path, grocery_dir, capsys
):
    images = _teach_folder(tmp_path, grocery_dir, "Bravo-Apple-Juice", 4)
    blurred = cv2.blur(cv2.imread(str(next(images.glob("*.jpg")))), (15, 15))
    cv2.imwrite(str(images / "blurred.jpg"), blurred)
    cv2.imwrite(str(images / "empty.jpg"), np.full((300, 300, 3), 180, np.uint8))
    cv2.imwrite(str(images / "tiny.jpg"), np.full((50, 40, 3), 90, np.uint8))
    teach = ["products", "teach", "--sku", "JUICE-1", "--name", "Apple juice", "--price", 2500]
    assert _cli(home, *teach, "--images", images) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "nothing was taught" in err
    assert "blurred.jpg: blurred" in err and "empty.jpg: nothing there" in err
    assert "tiny.jpg: too small (40×50 px)" in err
    for name in ("blurred.jpg", "empty.jpg", "tiny.jpg"):
        (images / name).unlink()

    (images / "broken.jpg").write_bytes(b"not a jpeg")
    assert _cli(home, *teach, "--images", images) == EXIT_BAD_INPUT
    assert "broken.jpg is not a readable image" in capsys.readouterr().err
    (images / "broken.jpg").unlink()

    # Nothing was stored by the refused attempts: the same SKU can still be taught, once.
    assert _cli(home, *teach, "--images", images) == 0
    capsys.readouterr()
    assert _cli(home, *teach, "--images", images) == EXIT_BAD_INPUT
    assert "SKU JUICE-1 is already in the catalog" in capsys.readouterr().err
    assert _cli(home, "catalog", "list") == 0
    listed = capsys.readouterr().out
    assert "taught:JUICE-1" in listed and "1 products, 1 active" in listed


def test_things_that_are_no_product_are_learned_from_photos_and_ignored(
    home, tmp_path, grocery_dir, capsys
):
    """``products not-a-product``: a store's display of bananas it does not sell, learned from
    photos, is ignored (said "not a product", sku null) while a taught juice is still the
    juice; a bad photo stores nothing; ``--forget`` makes it an unknown item again."""
    juice = _teach_folder(tmp_path, grocery_dir, "Bravo-Apple-Juice", 4)
    teach = ["products", "teach", "--sku", "JUICE-1", "--name", "Apple juice", "--price", 2500]
    assert _cli(home, *teach, "--images", juice) == 0
    bananas = tmp_path / "bananas"
    bananas.mkdir()
    for path in sorted((grocery_dir / "train" / "Fruit" / "Banana").glob("*.jpg"))[:3]:
        shutil.copy(path, bananas / path.name)
    cv2.imwrite(str(bananas / "empty.jpg"), np.full((300, 300, 3), 180, np.uint8))
    assert _cli(home, "products", "not-a-product", "--images", bananas) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "empty.jpg: nothing there" in err and "nothing was learned" in err
    (bananas / "empty.jpg").unlink()
    assert _cli(home, "products", "not-a-product", "--images", bananas) == 0
    assert "learned 3 looks" in capsys.readouterr().out

    banana = sorted(bananas.glob("*.jpg"))[0]  # the display itself, back on the counter
    carton = _photos(grocery_dir, "test", "Bravo-Apple-Juice", 1)[0]
    assert _cli(home, "products", "identify", banana, carton) == 0
    banana_said, carton_said = capsys.readouterr().out.splitlines()
    assert banana_said.endswith("not a product (like an item staff set aside at the counter)")
    assert "(JUICE-1)" in carton_said or "unknown item" in carton_said, carton_said
    assert _cli(home, "products", "identify", "--json", banana) == 0
    assert json.loads(capsys.readouterr().out)["items"][0]["sku"] is None

    assert _cli(home, "products", "not-a-product", "--forget") == 0
    assert "forgot 3 looks" in capsys.readouterr().out
    assert _cli(home, "products", "identify", banana) == 0
    assert "unknown item" in capsys.readouterr().out


def test_eval_real_products_writes_the_report_table_and_plot(home, tmp_path, grocery_dir):
    teach, test = tmp_path / "teach", tmp_path / "test"
    for folder in ("Bravo-Apple-Juice", "God-Morgon-Apple-Juice", "Tropicana-Apple-Juice"):
        for split, target, count in (("train", teach, 3), ("test", test, 3)):
            (target / "Juice" / folder).mkdir(parents=True)
            for path in _photos(grocery_dir, split, folder, count):
                shutil.copy(path, target / "Juice" / folder / path.name)
    out = tmp_path / "report" / "real.json"
    assert _cli(home, "eval", "real-products", "--teach", teach, "--test", test, "--shots", 3,
                "--holdout", 1, "--out", out) == 0  # fmt: skip
    report = json.loads(out.read_text())
    assert report["products_taught"] == 2 and len(report["holdout"]) == 1
    assert report["taught"]["photos"] == 6 and report["held_out"]["photos"] == 3
    assert set(report["groups"]) == {"Juice"}
    assert len(report["per_class"]) == 3
    assert "| Juice/" in out.with_suffix(".md").read_text()
    plot = cv2.imread(str(out.with_name("real_confusion.png")))
    assert plot is not None and plot.shape[0] > 300


def test_the_same_thing_put_back_on_the_counter_is_ignored_whichever_way_it_lies(
    weights_home, grocery_dir
):
    """The rule for things that are no product is made for the same thing again: a thing learned
    from the counter, put back moved, smaller or larger and turned, is "not a product"; the
    taught juices beside it are still what they are (real models, real photos)."""
    from checkout_app.app import load_appearance_encoder
    from checkout_app.products.cutout import with_margin
    from checkout_app.products.gallery import ProductGallery
    from checkout_app.services.counter_items import counter_regions, identify_item
    from checkout_app.services.counter_items_benchmark import empty_counter

    encoder = load_appearance_encoder(weights_home)
    taught = {
        sku: encoder.encode_taught(
            [cv2.imread(str(p)) for p in _photos(grocery_dir, "train", f, 4)]
        )
        for sku, f in TAUGHT.items()
    }
    empty = empty_counter()

    def on_counter(thing, x, y, side, turns):
        shot = empty.copy()
        shot[y : y + side, x : x + side] = cv2.resize(np.rot90(thing, turns), (side, side))
        ((box, _area),), _arms = counter_regions(shot, empty)
        return shot, box

    for folder in ("Fruit/Kiwi", "Vegetables/Leek"):  # a store's display, say
        thing = cv2.imread(str(sorted((grocery_dir / "test" / folder).glob("*.jpg"))[0]))
        shot, box = on_counter(thing, 100, 100, 200, 0)
        x1, y1, x2, y2 = with_margin(box, shot.shape)  # the picture the kiosk learns from
        look = encoder.encode_taught([shot[y1:y2, x1:x2]])
        gallery = ProductGallery(taught, not_products=look)
        for x, y, side, turns in ((300, 150, 200, 0), (250, 120, 170, 1), (150, 200, 230, 2)):
            match = identify_item(*on_counter(thing, x, y, side, turns), gallery, encoder)
            assert match.reason == "not_a_product", (folder, turns, match)
    carton = cv2.imread(str(_photos(grocery_dir, "test", "God-Morgon-Orange-Juice", 1)[0]))
    assert identify_item(*on_counter(carton, 200, 100, 220, 0), gallery, encoder).reason != (
        "not_a_product"
    )
