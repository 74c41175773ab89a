"""The demo store renderer: exact labels, occlusion cap, reproducibility, the demo visit."""

from __future__ import annotations

import numpy as np
import pytest

from checkout_app.camera.demo_source import DemoScenarioSource
from checkout_app.core.catalog_csv import load_catalog_csv
from checkout_app.paths import DEMO_CATALOG_PATH
from checkout_app.training.dataset import eval_scenes, yolo_label_lines
from checkout_app.vision.synthetic.packaging import (
    PACKAGE_STYLES,
    PRINTED_BARCODES,
    barcode_side_sprite,
    product_sprite,
)
from checkout_app.vision.synthetic.scenario import DEMO_DURATION_S, DEMO_SCRIPT, demo_frames
from checkout_app.vision.synthetic.scene import (
    FRAME_SIZE,
    MIN_VISIBLE_FRACTION,
    CounterLook,
    Placed,
    Scene,
    render_scene,
    sample_scene,
)

CLASSES = [p.class_name for p in load_catalog_csv(DEMO_CATALOG_PATH)]


def test_every_catalog_class_has_packaging():
    assert set(CLASSES) == set(PACKAGE_STYLES)
    for name in CLASSES:
        sprite = product_sprite(name)
        assert sprite.shape[2] == 4 and sprite[..., 3].max() == 255


def test_look_alike_pairs_share_a_shape_but_not_colours():
    for a, b in [("chips_original", "chips_onion"), ("banana_milk", "strawberry_milk")]:
        assert PACKAGE_STYLES[a].shape == PACKAGE_STYLES[b].shape
        assert product_sprite(a).shape == product_sprite(b).shape
        diff = np.abs(product_sprite(a)[..., :3].astype(int) - product_sprite(b)[..., :3]).mean()
        assert diff > 20


def test_label_box_is_the_exact_extent_of_a_lone_item():
    look = CounterLook(
        seed=1,
        noise_sigma=0.0,
        blur_sigma=0.0,
        shadow_strength=0.0,
        light_strength=0.0,
        vignette=0.0,
    )
    scene = Scene(look, [Placed("cola_can", 320, 240, 0.0)])
    rendered = render_scene(scene, np.random.default_rng(0))
    x0, y0, x1, y1 = rendered.boxes[0]
    # cola can: 12.2 × 6.6 cm at 6 px/cm, no rotation, no perspective
    assert x1 - x0 == pytest.approx(12.2 * 6, abs=3)
    assert y1 - y0 == pytest.approx(6.6 * 6, abs=3)
    assert (x0 + x1) / 2 == pytest.approx(320, abs=2)
    empty = render_scene(Scene(look, []), np.random.default_rng(0)).image.astype(int)
    changed = np.abs(rendered.image.astype(int) - empty).sum(axis=2) > 30
    ys, xs = np.nonzero(changed)
    assert (xs.min(), xs.max() + 1) == pytest.approx((x0, x1), abs=2)
    assert (ys.min(), ys.max() + 1) == pytest.approx((y0, y1), abs=2)


def test_sampled_scenes_respect_the_occlusion_cap_and_stay_in_frame():
    rng = np.random.default_rng(3)
    for n in (4, 12):
        scene = sample_scene(rng, CLASSES, n, n_distractors=2)
        rendered = render_scene(scene, rng)
        assert len(rendered.boxes) == len(scene.products) <= n
        assert np.all(rendered.visible_fraction >= MIN_VISIBLE_FRACTION - 0.05)
        w, h = FRAME_SIZE
        assert np.all(rendered.boxes[:, [0, 1]] >= 0)
        assert np.all(rendered.boxes[:, 2] <= w) and np.all(rendered.boxes[:, 3] <= h)


def _mean_gap_to_nearest(scene: Scene) -> float:
    centres = np.array([(o.x, o.y) for o in scene.products])
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    return float(gaps.min(axis=1).mean())


def test_touching_scenes_crowd_products_within_the_occlusion_cap():
    rng = np.random.default_rng(11)
    spread, crowded = [], []
    flat = CounterLook(seed=2)  # no perspective: visibility is measured exactly
    for _ in range(6):
        spread.append(_mean_gap_to_nearest(sample_scene(rng, CLASSES, 8, look=flat)))
        scene = sample_scene(rng, CLASSES, 8, look=flat, touching=1.0, extra_distractors=2)
        crowded.append(_mean_gap_to_nearest(scene))
        rendered = render_scene(scene, rng)
        assert np.all(rendered.visible_fraction >= MIN_VISIBLE_FRACTION - 0.05)
        assert len(scene.objects) - len(scene.products) >= 2  # the extra non-products
    assert np.mean(crowded) < 0.6 * np.mean(spread)


def test_rendering_is_reproducible_from_the_seed():
    first = render_scene(
        sample_scene(np.random.default_rng(9), CLASSES, 6), np.random.default_rng(1)
    )
    again = render_scene(
        sample_scene(np.random.default_rng(9), CLASSES, 6), np.random.default_rng(1)
    )
    assert np.array_equal(first.image, again.image)
    assert first.class_names == again.class_names


def test_eval_scenes_have_exact_item_counts_and_valid_yolo_labels():
    scenes = list(eval_scenes(CLASSES, per_count=1, seed=5, max_items=5))
    assert [len(s.class_ids) for s in scenes] == [1, 2, 3, 4, 5]
    rng = np.random.default_rng(0)
    rendered = render_scene(sample_scene(rng, CLASSES, 3), rng)
    for line in yolo_label_lines(rendered, CLASSES):
        cls, *box = line.split()
        assert 0 <= int(cls) < len(CLASSES)
        assert all(0.0 <= float(v) <= 1.0 for v in box)


def test_every_package_prints_a_barcode_the_demo_catalog_lists():
    for product in load_catalog_csv(DEMO_CATALOG_PATH):
        assert PRINTED_BARCODES[product.class_name] in product.barcodes
        side = barcode_side_sprite(product.class_name)
        assert side.shape[2] == 4 and (side[..., 3] == 255).mean() > 0.9


def test_demo_visit_script_and_truth():
    frames = list(demo_frames())
    assert len(frames) == int(DEMO_DURATION_S * 15)
    changes = sum(1 for a, b in zip(frames, frames[1:]) if a.truth != b.truth)
    moves = [event for event in DEMO_SCRIPT if event[1] != "show"]
    assert changes == len(moves)  # every scripted put or take changes the truth once
    assert frames[0].truth == {}
    final = frames[-1].truth
    assert final["cola_can"] == 2 and "chips_original" not in final
    assert final["canned_coffee"] == 1, "the coffee scanned at the start joins the counter"
    assert sum(final.values()) == 11
    hands = [f for f in frames if any(o.name == "hand" for o in f.scene.objects)]
    assert 0 < len(hands) < len(frames) / 2


def test_the_demo_shopper_holds_up_a_barcode_the_reader_reads():
    """The demo shows the barcode path: the coffee's barcode side held up to the camera is
    read in its frames by the kiosk's reader (zxing-cpp and the fitting reader), is no product
    on the counter (nothing for the detector to count), and the hand holding it stays in view."""
    from checkout_app.vision.barcode_reader import BarcodeReader

    reader = BarcodeReader()
    shown = [f for f in demo_frames() if any(o.side == "barcode" for o in f.scene.objects)]
    assert 15 <= len(shown) <= 30
    reads = []
    for frame in shown:
        held = [o for o in frame.scene.objects if o.side == "barcode"]
        assert [o.name for o in held] == ["canned_coffee"] and not held[0].is_product
        assert "canned_coffee" not in frame.truth
        rendered = render_scene(frame.scene)
        assert len(rendered.boxes) == len(frame.scene.products)
        reads.append([b.gtin for b in reader.read(rendered.image)])
    assert all(codes in ([], [PRINTED_BARCODES["canned_coffee"]]) for codes in reads)
    assert sum(bool(codes) for codes in reads) >= 0.8 * len(reads)


def test_demo_source_numbers_each_loop_as_a_new_visit():
    source = DemoScenarioSource(loop=True)
    n = int(DEMO_DURATION_S * source.fps)
    visits = [source.read().visit for _ in range(n + 2)]
    source.close()
    assert visits[:n] == [0] * n and visits[n:] == [1, 1]


def test_demo_source_reports_frames_and_truth_then_ends():
    source = DemoScenarioSource()
    frames = []
    with source:
        for frame in source:
            frames.append((frame.index, frame.timestamp, dict(source.truth)))
            if frame.index == 30:
                break
    assert frames[15][1] == pytest.approx(1.0)
    assert frames[15][2] == {"cola_can": 1}
    assert frames[0][2] == {}
