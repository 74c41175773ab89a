"""Is a teaching photo usable: big enough, sharp enough, and showing something at all.

Each gate returns the reason a person can act on ("blurred: hold the camera still"), never a
number alone. The thresholds were set on the shared grocery photos (348 px): every one of the
2,023 training photos passes (sharpness 17.9 at least), and 99 % of them blurred by a 15 px box
fail (74 % of them at 9 px: a slightly soft photo still teaches something).
"""

from __future__ import annotations

import numpy as np

MIN_SIDE_PX = 96
# Variance of the Laplacian on the photo scaled to 256 px: low when nothing has a sharp edge.
MIN_SHARPNESS = 15.0
# Grey-level standard deviation: an empty counter, a lens cap or a white wall is nearly flat.
MIN_CONTRAST = 12.0
_MEASURE_SIDE = 256


def sharpness(image: np.ndarray) -> float:
    import cv2

    grey = _grey_scaled(image)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


# What can be wrong with a teaching photo; the UI words each one in the shopper's language.
TOO_SMALL = "too_small"
NOTHING_THERE = "nothing_there"
BLURRED = "blurred"
SEVERAL_OBJECTS = "several_objects"  # found by the cut-out from an empty-counter shot

PROBLEM_TEXT = {
    TOO_SMALL: f"too small: at least {MIN_SIDE_PX} px on each side",
    NOTHING_THERE: "nothing there: the photo is almost one flat colour",
    BLURRED: "blurred: hold the product and the camera still",
    SEVERAL_OBJECTS: "several objects: teach one product at a time",
}


def photo_problem_code(image: np.ndarray) -> str | None:
    """Why a teaching photo cannot be used (one of the codes above), or None when it can."""
    if min(image.shape[:2]) < MIN_SIDE_PX:
        return TOO_SMALL
    if float(_grey_scaled(image).std()) < MIN_CONTRAST:
        return NOTHING_THERE
    if sharpness(image) < MIN_SHARPNESS:
        return BLURRED
    return None


def photo_problem(image: np.ndarray) -> str | None:
    """``photo_problem_code`` in words a person can act on, or None when the photo can be used."""
    code = photo_problem_code(image)
    if code is None:
        return None
    if code == TOO_SMALL:
        h, w = image.shape[:2]
        return f"too small ({w}×{h} px): at least {MIN_SIDE_PX} px on each side"
    return PROBLEM_TEXT[code]


def _grey_scaled(image: np.ndarray) -> np.ndarray:
    import cv2

    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    scale = _MEASURE_SIDE / max(grey.shape[:2])
    return cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
