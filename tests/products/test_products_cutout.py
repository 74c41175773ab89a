"""The cut-out from an empty-counter shot, on a made-up counter: one product is cropped with a
margin, nothing and several objects are refused, camera noise and a small speck are ignored."""

import cv2
import numpy as np
import pytest

from checkout_app.products.cutout import changed_regions, cut_out, exposure_gain
from checkout_app.products.photo_quality import NOTHING_THERE, SEVERAL_OBJECTS
from checkout_app.services.counter_items_benchmark import empty_counter


def with_noise(image: np.ndarray, seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, 3, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def put(image: np.ndarray, x: int, y: int, w: int, h: int, colour) -> np.ndarray:
    out = image.copy()
    cv2.rectangle(out, (x, y), (x + w, y + h), colour, -1)
    white = (255, 255, 255)
    cv2.putText(out, "JUICE", (x + 5, y + h // 2), cv2.FONT_HERSHEY_SIMPLEX, 0.8, white, 2)
    return out


def test_one_product_is_cropped_with_a_margin():
    empty = empty_counter()
    shot = with_noise(put(empty, 250, 120, 120, 200, (40, 160, 40)), seed=2)
    result = cut_out(shot, with_noise(empty, seed=3))
    assert result.problem is None
    x1, y1, x2, y2 = result.box
    assert x1 <= 250 and y1 <= 120 and x2 >= 370 and y2 >= 320  # the whole carton
    assert x1 >= 250 - 30 and y1 >= 120 - 30 and x2 <= 370 + 30 and y2 <= 320 + 30  # not more
    assert result.crop.shape == (y2 - y1, x2 - x1, 3)


@pytest.mark.parametrize("exposure", [0.7, 0.8, 1.25, 1.3])
def test_the_camera_s_own_exposure_change_is_matched_not_an_object(exposure):
    """A webcam brightens or darkens the whole picture when a dark or bright product is put
    down: the counter around it must not turn into objects."""
    empty = empty_counter()
    shot = put(empty, 250, 120, 120, 200, (20, 20, 20))  # a dark carton
    exposed = with_noise(np.clip(shot * exposure, 0, 255), seed=4)
    gain = exposure_gain(exposed, empty)
    assert np.allclose(gain, 1 / exposure, rtol=0.03)
    (box, _area), *others = changed_regions(exposed, empty)
    assert others == [] and abs(box[0] - 250) <= 4 and abs(box[3] - 320) <= 4


def test_an_unchanged_counter_has_nothing_there():
    empty = empty_counter()
    result = cut_out(with_noise(empty, seed=4), with_noise(empty, seed=5))
    assert (result.crop, result.problem) == (None, NOTHING_THERE)


def test_two_products_are_several_objects_and_a_speck_is_not():
    empty = empty_counter()
    two = put(put(empty, 60, 100, 120, 180, (40, 160, 40)), 420, 150, 110, 170, (30, 30, 200))
    assert cut_out(two, empty).problem == SEVERAL_OBJECTS
    speck = put(empty, 250, 120, 120, 200, (40, 160, 40))
    cv2.circle(speck, (550, 420), 6, (0, 0, 0), -1)  # a crumb
    assert cut_out(speck, empty).problem is None


def test_shots_of_different_sizes_are_refused():
    with pytest.raises(ValueError, match="same camera"):
        cut_out(empty_counter(), cv2.resize(empty_counter(), (320, 240)))


@pytest.mark.parametrize("exposure", [0.8, 1.0, 1.25])
def test_the_exposure_is_matched_on_a_counter_mostly_covered(exposure):
    """Six cartons of one colour over 55 % of the counter: their pixels outnumber the bare
    counter's, so the median ratio was theirs (and the bare counter came out changed); the bare
    counter's pixels share one ratio, the cartons' spread over the counter's pattern."""
    empty = empty_counter()
    shot = empty.copy()
    for x, y in [(x, y) for y in (25, 255) for x in (25, 175, 325)]:
        cv2.rectangle(shot, (x, y), (x + 140, y + 200), (40, 170, 40), -1)
    exposed = with_noise(np.clip(shot * exposure, 0, 255), seed=4)
    assert np.allclose(exposure_gain(exposed, empty), 1 / exposure, rtol=0.03)
    # Two rows of cartons, each one region with the narrow gaps between them.
    regions = changed_regions(exposed, empty)
    assert [(abs(x1 - 25) <= 4, abs(x2 - 465) <= 4) for (x1, _, x2, _), _ in regions] == [
        (True, True),
        (True, True),
    ]
    assert 0.55 <= sum(area for _box, area in regions) / (480 * 640) <= 0.65
