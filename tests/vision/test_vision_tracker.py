from __future__ import annotations

import numpy as np
import pytest

from checkout_app.vision.detections import Detections, box_iou
from checkout_app.vision.tracker import CartTracker, TrackerConfig, greedy_match

COLA, CHIPS_ORIGINAL, CHIPS_ONION = 0, 1, 2

# Three cans side by side, a bag of chips below them (pixels, xyxy).
CAN_A = (100.0, 100.0, 160.0, 200.0)
CAN_B = (170.0, 100.0, 230.0, 200.0)
CAN_C = (240.0, 100.0, 300.0, 200.0)
BAG = (100.0, 300.0, 260.0, 420.0)

CONFIG = TrackerConfig()  # the defaults are what the kiosk ships with


def mock_detections(xyxy=(), class_id=(), confidence=None) -> Detections:
    xyxy = np.asarray(xyxy, np.float32).reshape(-1, 4)
    if confidence is None:
        confidence = np.full(len(xyxy), 0.9)
    return Detections(xyxy, confidence, class_id)


def run(tracker: CartTracker, frames) -> list:
    return [tracker.update(frame, timestamp=i / 15) for i, frame in enumerate(frames)]


def steady(*items, frames: int) -> list:
    """The same (box, class) items seen on every one of ``frames`` frames."""
    boxes = [box for box, _ in items]
    classes = [cls for _, cls in items]
    return [mock_detections(boxes, classes)] * frames


def test_steady_items_are_counted_once_confirmed() -> None:
    tracker = CartTracker(CONFIG)
    carts = run(tracker, steady((CAN_A, COLA), (BAG, CHIPS_ORIGINAL), frames=20))
    confirm = CONFIG.confirm_after_frames
    assert carts[: confirm - 1] == [{}] * (confirm - 1)
    assert carts[confirm - 1 :] == [{COLA: 1, CHIPS_ORIGINAL: 1}] * (20 - confirm + 1)
    assert tracker.counts == {COLA: 1, CHIPS_ORIGINAL: 1}


def test_identical_items_side_by_side_are_each_counted() -> None:
    tracker = CartTracker(CONFIG)
    carts = run(tracker, steady((CAN_A, COLA), (CAN_B, COLA), (CAN_C, COLA), frames=10))
    assert carts[-1] == {COLA: 3}
    assert len(tracker.tracks) == 3


@pytest.mark.parametrize("gap", [1, 3, CONFIG.lost_after_frames - 1])
def test_short_dropout_causes_no_change(gap: int) -> None:
    tracker = CartTracker(CONFIG)
    both = mock_detections([CAN_A, BAG], [COLA, CHIPS_ORIGINAL])
    bag_only = mock_detections([BAG], [CHIPS_ORIGINAL])  # a hand covers the can
    run(tracker, [both] * 10)
    carts = run(tracker, [bag_only] * gap + [both] * 10)
    assert carts == [{COLA: 1, CHIPS_ORIGINAL: 1}] * (gap + 10)
    assert [t.track_id for t in tracker.tracks] == [1, 2]


def test_low_confidence_frames_count_as_misses_not_as_flicker() -> None:
    tracker = CartTracker(CONFIG)
    sure = mock_detections([CAN_A], [COLA], confidence=[0.9])
    unsure = mock_detections([CAN_A], [COLA], confidence=[CONFIG.min_confidence / 2])
    run(tracker, [sure] * 5)
    carts = run(tracker, [unsure] * (CONFIG.lost_after_frames - 1) + [sure])
    assert carts == [{COLA: 1}] * CONFIG.lost_after_frames
    assert tracker.tracks[0].missed_frames == 0


@pytest.mark.parametrize("lost_after_frames", [1, 4, 10])
def test_removed_item_leaves_after_exactly_the_configured_delay(lost_after_frames: int) -> None:
    tracker = CartTracker(TrackerConfig(lost_after_frames=lost_after_frames))
    run(tracker, steady((CAN_A, COLA), (CAN_B, COLA), frames=10))
    carts = run(tracker, steady((CAN_B, COLA), frames=lost_after_frames + 3))
    assert carts[: lost_after_frames - 1] == [{COLA: 2}] * (lost_after_frames - 1)
    assert carts[lost_after_frames - 1 :] == [{COLA: 1}] * 4


@pytest.mark.parametrize(
    "hit_pattern",
    [
        "X",
        "XX",
        "X.X",  # two hits in the window are still not enough for 3 of 5
        "X...X...X",
    ],
)
def test_sporadic_false_positive_never_enters_the_cart(hit_pattern: str) -> None:
    tracker = CartTracker(CONFIG)
    ghost = mock_detections([CAN_A, BAG], [COLA, CHIPS_ORIGINAL])
    bag_only = mock_detections([BAG], [CHIPS_ORIGINAL])
    run(tracker, [bag_only] * 5)
    frames = [ghost if c == "X" else bag_only for c in hit_pattern] + [bag_only] * 20
    assert run(tracker, frames) == [{CHIPS_ORIGINAL: 1}] * len(frames)
    assert len(tracker.tracks) == 1


def test_item_seen_in_three_of_five_frames_enters_the_cart() -> None:
    tracker = CartTracker(CONFIG)
    can = mock_detections([CAN_A], [COLA])
    carts = run(tracker, [can, Detections.empty(), can, Detections.empty(), can])
    assert carts == [{}, {}, {}, {}, {COLA: 1}]


@pytest.mark.parametrize("flip_at", [1, 2, 5])  # before, at and after confirmation
def test_one_frame_class_flip_does_not_change_the_cart(flip_at: int) -> None:
    tracker = CartTracker(CONFIG)
    original = mock_detections([BAG], [CHIPS_ORIGINAL])
    onion = mock_detections([BAG], [CHIPS_ONION])
    frames = [original] * 12
    frames[flip_at] = onion
    carts = run(tracker, frames)
    confirm = CONFIG.confirm_after_frames
    assert carts[confirm - 1 :] == [{CHIPS_ORIGINAL: 1}] * (12 - confirm + 1)
    assert len(tracker.tracks) == 1


def test_real_swap_on_the_same_spot_wins_the_class_vote() -> None:
    tracker = CartTracker(CONFIG)
    original = mock_detections([BAG], [CHIPS_ORIGINAL])
    onion = mock_detections([BAG], [CHIPS_ONION])
    run(tracker, [original] * 30)
    carts = run(tracker, [onion] * 10)
    # 15 equal-confidence votes: onion wins on its 8th frame, never before.
    assert carts[:7] == [{CHIPS_ORIGINAL: 1}] * 7
    assert carts[7:] == [{CHIPS_ONION: 1}] * 3


def test_jittering_and_nudged_box_stays_one_track() -> None:
    tracker = CartTracker(CONFIG)
    rng = np.random.default_rng(0)
    frames = []
    for i in range(40):
        shift = 20.0 if i >= 20 else 0.0  # nudged by a third of its width half-way
        box = np.add(CAN_A, rng.uniform(-4, 4, 4) + [shift, 0, shift, 0])
        frames.append(mock_detections([box], [COLA]))
    carts = run(tracker, frames)
    assert carts[2:] == [{COLA: 1}] * 38
    (track,) = tracker.tracks
    assert track.track_id == 1
    assert track.xyxy == pytest.approx(tuple(frames[-1].xyxy[0]))


def test_second_box_on_the_same_item_is_not_a_second_item() -> None:
    tracker = CartTracker(CONFIG)
    # Class-aware NMS can leave two boxes of different classes on one bag.
    nudged = np.add(BAG, [3, 2, -3, 1])
    double = mock_detections([BAG, nudged], [CHIPS_ORIGINAL, CHIPS_ONION], confidence=[0.9, 0.6])
    carts = run(tracker, [double] * 10)
    assert carts[-1] == {CHIPS_ORIGINAL: 1}
    assert len(tracker.tracks) == 1


def test_items_arriving_and_leaving_over_time() -> None:
    tracker = CartTracker(CONFIG)
    lost = CONFIG.lost_after_frames
    frames = (
        steady((CAN_A, COLA), frames=10)
        + steady((CAN_A, COLA), (CAN_B, COLA), frames=10)
        + steady((CAN_A, COLA), (CAN_B, COLA), (BAG, CHIPS_ONION), frames=10)
        + steady((CAN_B, COLA), (BAG, CHIPS_ONION), frames=lost + 5)
    )
    carts = run(tracker, frames)
    assert carts[9] == {COLA: 1}
    assert carts[19] == {COLA: 2}
    assert carts[29] == {COLA: 2, CHIPS_ONION: 1}
    assert carts[30 + lost - 2] == {COLA: 2, CHIPS_ONION: 1}
    assert carts[30 + lost - 1] == {COLA: 1, CHIPS_ONION: 1}
    assert [t.track_id for t in tracker.tracks] == [2, 3]


def test_tracks_expose_stable_boxes_and_sightings() -> None:
    tracker = CartTracker(CONFIG)
    can = mock_detections([CAN_A], [COLA])
    tracker.update(can, 1.0)
    (view,) = tracker.tracks
    assert (view.track_id, view.class_id, view.confirmed) == (1, COLA, False)
    assert view.xyxy == CAN_A
    for t in (1.1, 1.2):
        tracker.update(can, t)
    tracker.update(Detections.empty(), 1.3)
    (view,) = tracker.tracks
    assert view.confirmed
    assert view.missed_frames == 1
    assert (view.first_seen, view.last_seen) == (1.0, 1.2)
    assert view.xyxy == CAN_A  # an occluded item keeps its last box


def test_reset_clears_the_cart_and_track_ids() -> None:
    tracker = CartTracker(CONFIG)
    run(tracker, steady((CAN_A, COLA), (BAG, CHIPS_ORIGINAL), frames=5))
    tracker.reset()
    assert tracker.counts == {}
    assert tracker.tracks == []
    assert tracker.update(Detections.empty()) == {}
    tracker.update(mock_detections([BAG], [CHIPS_ORIGINAL]))
    assert tracker.tracks[0].track_id == 1


def test_empty_frames_give_an_empty_cart() -> None:
    tracker = CartTracker()
    assert run(tracker, [Detections.empty()] * 3) == [{}, {}, {}]
    assert tracker.config == TrackerConfig()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_confidence": -0.1}, "min_confidence"),
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"min_confidence": float("nan")}, "min_confidence"),
        ({"confirm_after_frames": 0}, "confirm_after_frames"),
        ({"confirm_after_frames": 2.5}, "confirm_after_frames"),
        ({"confirm_after_frames": True}, "confirm_after_frames"),
        ({"confirm_window_frames": 0}, "confirm_window_frames"),
        ({"confirm_after_frames": 6, "confirm_window_frames": 5}, "cannot exceed"),
        ({"lost_after_frames": 0}, "lost_after_frames"),
        ({"lost_after_frames": -3}, "lost_after_frames"),
        ({"class_vote_frames": 0}, "class_vote_frames"),
        ({"match_iou": 0.0}, "match_iou"),
        ({"match_iou": 1.2}, "match_iou"),
        ({"duplicate_iou": 0.2, "match_iou": 0.3}, "duplicate_iou"),
        ({"duplicate_iou": 1.1}, "duplicate_iou"),
    ],
)
def test_config_rejects_nonsense(fields: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TrackerConfig(**fields)


@pytest.mark.parametrize(
    ("fps", "expected"),
    [
        # (confirm_after, confirm_window, lost_after, class_vote)
        (15.0, (3, 5, 10, 15)),
        (30.0, (6, 10, 20, 30)),
        (6.0, (2, 2, 4, 6)),
        (1.0, (2, 2, 1, 1)),
    ],
)
def test_config_for_fps_keeps_the_delays_in_seconds(fps: float, expected: tuple) -> None:
    config = TrackerConfig.for_fps(fps)
    assert (
        config.confirm_after_frames,
        config.confirm_window_frames,
        config.lost_after_frames,
        config.class_vote_frames,
    ) == expected


def test_config_for_fps_applies_overrides_and_rejects_bad_fps() -> None:
    assert TrackerConfig.for_fps(15.0, lost_after_frames=7).lost_after_frames == 7
    with pytest.raises(ValueError, match="fps"):
        TrackerConfig.for_fps(0.0)


def test_box_iou_values() -> None:
    a = [[0, 0, 10, 10], [0, 0, 0, 0]]
    b = [[0, 0, 10, 10], [5, 0, 15, 10], [20, 20, 30, 30]]
    expected = [[1.0, 50 / 150, 0.0], [0.0, 0.0, 0.0]]
    np.testing.assert_allclose(box_iou(a, b), expected)
    assert box_iou(np.zeros((0, 4)), b).shape == (0, 3)


def test_greedy_match_takes_best_overlap_first() -> None:
    iou = np.array(
        [
            [0.5, 0.9],
            [0.0, 0.8],
            [0.2, 0.0],
        ]
    )
    # Row 0 takes column 1 (0.9); row 1's only candidate is gone; row 2's 0.2 is below 0.3.
    assert greedy_match(iou, 0.3) == [(0, 1)]
    assert greedy_match(iou, 0.1) == [(0, 1), (2, 0)]
    assert greedy_match(np.zeros((0, 2)), 0.3) == []
