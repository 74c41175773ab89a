"""``products bench`` on made-up photos with a stand-in encoder: the report says how many
products were taught, how many items were on the counter, and times each stage."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkout_app.products.appearance import Appearance, colour_histogram
from checkout_app.services.counter_items_benchmark import benchmark_counter_items


class ColourEncoder:
    name = "colour"

    def encode(self, images):
        return [
            Appearance(colour_histogram(im), im.reshape(-1, 3).mean(0).astype(np.float32), ())
            for im in images
        ]

    encode_taught = encode  # no extra views: flat colours need none


@pytest.fixture
def photos(tmp_path):
    rng = np.random.default_rng(0)
    for split in ("train", "test"):
        for name, colour in (("Red", (30, 30, 200)), ("Green", (30, 180, 30))):
            folder = tmp_path / split / name
            folder.mkdir(parents=True)
            for i in range(3):
                image = np.full((200, 200, 3), colour, np.uint8)
                x, y = (int(v) for v in rng.integers(0, 150, 2))
                cv2.rectangle(image, (x, y), (x + 40, y + 40), (255, 255, 255), -1)
                cv2.imwrite(str(folder / f"{i}.jpg"), image)
    return tmp_path


def test_the_report_times_every_stage_with_the_products_asked_for(photos):
    report = benchmark_counter_items(
        ColourEncoder(), photos / "train", photos / "test", products=7, items=2, frames=5
    )
    assert report["taught_products"] == 7 and report["items_on_counter"] == 2
    assert report["first_frame_ms"] > 0 and report["later_frame_ms"]["median"] > 0
    assert report["frames"] == 5 and report["frame"] == "640x480"


def test_folders_without_test_photos_or_too_many_items_are_refused(photos, tmp_path):
    with pytest.raises(ValueError, match="no product folder"):
        benchmark_counter_items(ColourEncoder(), photos / "train", tmp_path / "nothing")
    with pytest.raises(ValueError, match="items must be 1 to 3"):
        benchmark_counter_items(ColourEncoder(), photos / "train", photos / "test", items=4)
