"""A teaching photo's extra views: its middle, that mirrored, and the photo turned."""

from __future__ import annotations

import numpy as np

from checkout_app.products.appearance import VIEW_CROP, teaching_views


def test_the_views_are_the_middle_its_mirror_and_three_quarter_turns():
    photo = np.zeros((100, 60, 3), np.uint8)
    photo[:10, :10] = 255  # a white corner, top left
    middle, mirrored, quarter, half, three_quarters = teaching_views(photo)
    assert middle.shape == (round(100 * VIEW_CROP), round(60 * VIEW_CROP), 3)
    assert np.array_equal(mirrored, middle[:, ::-1])
    assert quarter.shape == three_quarters.shape == (60, 100, 3) and half.shape == photo.shape
    # Turned anticlockwise: the top-left corner goes bottom left, bottom right, top right.
    assert quarter[-1, 0].all() and half[-1, -1].all() and three_quarters[0, -1].all()
    assert all(view.flags.c_contiguous for view in (middle, mirrored, quarter, half))
