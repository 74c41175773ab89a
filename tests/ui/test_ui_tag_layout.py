"""Name tags of product boxes never cover each other (pure geometry, no Qt)."""

from __future__ import annotations

import itertools

from checkout_app.ui.tag_layout import place_tags

BOUNDS = (0.0, 0.0, 640.0, 480.0)


def rects(corners, sizes):
    return [(x, y, x + w, y + h) for (x, y), (w, h) in zip(corners, sizes)]


def overlapping(tags) -> bool:
    return any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        for a, b in itertools.combinations(tags, 2)
    )


def test_a_lone_tag_sits_just_above_its_box():
    assert place_tags([(100, 100, 200, 200)], [(80, 20)], BOUNDS) == [(100, 80)]


def test_a_box_at_the_top_gets_its_tag_inside_and_one_at_the_right_edge_is_pulled_in():
    corners = place_tags([(600, 0, 640, 60)], [(120, 20)], BOUNDS)
    assert corners == [(520, 0)]


def test_side_by_side_boxes_with_long_names_do_not_overlap():
    boxes = [(100, 200, 160, 300), (150, 205, 210, 300), (200, 198, 260, 300)]
    sizes = [(140, 22), (150, 22), (130, 22)]
    tags = rects(place_tags(boxes, sizes, BOUNDS), sizes)
    assert not overlapping(tags)
    for (_, y1, _, y2), tag in zip(boxes, tags):
        assert BOUNDS[0] <= tag[0] and tag[2] <= BOUNDS[2]
        assert BOUNDS[1] <= tag[1] and tag[3] <= BOUNDS[3]
        assert y1 - 22 <= tag[1] <= y2 + 22 * len(boxes), "a tag stays near its box"


def test_a_crowded_counter_still_places_every_tag_inside_the_picture():
    boxes = [(10 * i, 10, 10 * i + 40, 50) for i in range(30)]
    sizes = [(100, 20)] * 30
    tags = rects(place_tags(boxes, sizes, BOUNDS), sizes)
    assert all(BOUNDS[1] <= t[1] and t[3] <= BOUNDS[3] for t in tags)
