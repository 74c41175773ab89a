"""Local features with geometric verification, with OpenCV's real SIFT on drawn packages, and
the gallery accepting a candidate the classifier was unsure of by its print."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkout_app.products.appearance import Appearance
from checkout_app.products.gallery import MatchPolicy, ProductGallery
from checkout_app.products.local_features import LocalFeatures, extract, verified_matches


def printed_package(seed: int, size: int = 348) -> np.ndarray:
    """A photo of a package: shapes and words in random colours on a plain background."""
    rng = np.random.default_rng(seed)
    image = np.full((size, size, 3), 235, np.uint8)
    for _ in range(40):
        colour = tuple(int(c) for c in rng.integers(0, 200, 3))
        x, y = (int(v) for v in rng.integers(40, size - 60, 2))
        if rng.random() < 0.5:
            w, h = (int(v) for v in rng.integers(8, 40, 2))
            cv2.rectangle(image, (x, y), (x + w, y + h), colour, -1)
        else:
            word = "".join(chr(int(c)) for c in rng.integers(65, 91, 4))
            cv2.putText(image, word, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6, colour, 2)
    return image


def seen_again(image: np.ndarray, angle: float = 12.0, scale: float = 0.9) -> np.ndarray:
    """The same package photographed again: turned, nearer or further, at another size."""
    h, w = image.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    moved = cv2.warpAffine(image, turn, (w, h), borderValue=(235, 235, 235))
    return cv2.resize(moved, (int(w * 1.4), int(h * 1.4)))


def test_the_same_print_turned_and_rescaled_is_verified_and_another_is_not():
    package = extract(printed_package(1))
    assert len(package) > 50
    same = verified_matches(extract(seen_again(printed_package(1))), package)
    other = verified_matches(extract(seen_again(printed_package(2))), package)
    # A homography fits about ten chance matches between any two prints; the gallery asks for
    # 30 (MatchPolicy.min_inliers).
    assert same >= 100
    assert other < 30


def test_keypoints_come_from_the_middle_of_the_photo_only():
    image = printed_package(3)
    image[100:-100, 100:-100] = 235  # nothing printed in the middle
    features = extract(image)
    h, w = image.shape[:2]
    assert len(features) == 0 or (
        (features.points > [0.2 * w, 0.2 * h]).all()
        and (features.points < [0.8 * w, 0.8 * h]).all()
    )


def test_a_blank_photo_has_no_keypoints_and_matches_nothing():
    blank = extract(np.full((300, 400, 3), 128, np.uint8))
    assert len(blank) == 0
    assert verified_matches(blank, extract(printed_package(1))) == 0


def test_features_survive_their_bytes():
    features = extract(printed_package(4))
    back = LocalFeatures.from_bytes(features.to_bytes())
    assert np.array_equal(back.points, features.points)
    assert np.array_equal(back.descriptors, features.descriptors)
    assert len(LocalFeatures.from_bytes(b"")) == 0
    with pytest.raises(ValueError, match="whole number of keypoints"):
        LocalFeatures.from_bytes(b"\x00" * 137)


def _taught(axis: int, print_seed: int | None) -> Appearance:
    """A teaching photo: colour and trunk along ``axis``, the package print ``print_seed``."""
    colour, trunk = np.zeros(8), np.zeros(16)
    colour[axis], trunk[axis] = 1.0, 5.0
    local = extract(printed_package(print_seed)) if print_seed is not None else None
    return Appearance(colour, trunk, (), (), local)


def _between_red_and_green(print_seed: int | None) -> Appearance:
    """A photo whose colour and trunk are nearly halfway between two products, a little nearer
    red: the classifier's candidate is red, but not by a clear margin."""
    colour, trunk = np.zeros(8), np.zeros(16)
    colour[[0, 1]], trunk[[0, 1]] = (0.55, 0.45), (2.75, 2.25)
    local = extract(seen_again(printed_package(print_seed))) if print_seed is not None else None
    return Appearance(colour / np.linalg.norm(colour), trunk, (), (), local)


def _gallery(green_print: int = 2, blue: bool = True) -> ProductGallery:
    taught = {"red": [_taught(0, 1)] * 2, "green": [_taught(1, green_print)] * 2}
    if blue:
        taught["blue"] = [_taught(2, 3)] * 2
    return ProductGallery(taught)


def test_a_candidate_the_classifier_was_unsure_of_is_accepted_by_its_print():
    gallery = _gallery()
    assert gallery.match(_between_red_and_green(None)).sku is None  # the classifier alone
    match = gallery.match(_between_red_and_green(1))
    assert (match.sku, match.reason) == ("red", "verified")
    assert match.inliers >= MatchPolicy().min_inliers


def test_a_print_another_candidate_shares_is_not_enough():
    """Sibling cartons of one brand: green's teaching photos show the same print as red's."""
    match = _gallery(green_print=1).match(_between_red_and_green(1))
    assert (match.sku, match.reason) == (None, "ambiguous")


def test_a_print_no_candidate_shows_leaves_the_photo_unknown():
    match = _gallery().match(_between_red_and_green(9))
    assert (match.sku, match.inliers) == (None, 0)


def test_no_verification_without_enough_products_to_compare_the_print_with():
    match = _gallery(blue=False).match(_between_red_and_green(1))
    assert match.sku is None


@pytest.mark.parametrize(
    "field, value", [("min_inliers", -1), ("min_inlier_ratio", -0.5), ("verified_candidates", 1)]
)
def test_verification_settings_are_checked(field, value):
    with pytest.raises(ValueError, match=field):
        MatchPolicy(**{field: value})
