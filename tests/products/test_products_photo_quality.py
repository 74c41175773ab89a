"""Teaching-photo gates on made-up images: each problem gets its own reason."""

import cv2
import numpy as np

from checkout_app.products.photo_quality import (
    BLURRED,
    NOTHING_THERE,
    TOO_SMALL,
    photo_problem,
    photo_problem_code,
)


def _textured(size=300):
    rng = np.random.default_rng(3)
    image = cv2.resize(rng.integers(0, 255, (30, 30, 3), dtype=np.uint8), (size, size),
                       interpolation=cv2.INTER_NEAREST)  # fmt: skip
    cv2.putText(image, "BRAVO", (20, 150), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 5)
    return image


def test_a_sharp_busy_photo_passes():
    assert photo_problem(_textured()) is None


def test_each_problem_says_what_to_do():
    assert photo_problem(_textured(80)).startswith("too small (80×80 px)")
    assert photo_problem(np.full((300, 400, 3), 200, np.uint8)).startswith("nothing there")
    assert photo_problem(cv2.blur(_textured(), (25, 25))).startswith("blurred")


def test_problem_codes_name_what_the_ui_words():
    assert photo_problem_code(_textured()) is None
    assert photo_problem_code(_textured(80)) == TOO_SMALL
    assert photo_problem_code(np.full((300, 400, 3), 200, np.uint8)) == NOTHING_THERE
    assert photo_problem_code(cv2.blur(_textured(), (25, 25))) == BLURRED
