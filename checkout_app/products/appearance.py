"""What a product photo looks like, as the cues the gallery compares: colour, CNN trunk, text,
local features.

``AppearanceEncoder`` turns one photo (BGR, the product filling most of it) into an
``Appearance``; a teaching photo also gets the cues of more views of it (``encode_taught``).
Each cue has its own field so the gallery can normalise and weigh them apart; the encoder's
``name`` changes whenever any cue would give other numbers, so appearances stored with an older
encoder are encoded again from their photos instead of being compared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol, Sequence

import numpy as np

from checkout_app.products import local_features
from checkout_app.products.local_features import LocalFeatures
from checkout_app.products.text_cue import middle_words, normalize_words

# Hue is what tells a Granny Smith from a Golden Delicious; saturation and value only coarsely.
COLOUR_BINS = (18, 4, 4)
# Shelves and hands fill the edges of a hand-held photo: the colour is taken from its middle.
COLOUR_CENTRE = 0.7
COLOUR_DIM = COLOUR_BINS[0] * COLOUR_BINS[1] * COLOUR_BINS[2]
# A teaching photo's extra views: its middle (this share of each side) and that mirrored, and the
# photo turned a quarter, a half and three quarters. On the shared grocery photos (10 taught per
# product) the first two lift the classifier's top-1 from 0.69 / 0.51 / 0.67 to 0.74 / 0.53 /
# 0.73 (juice / fruit / vegetables); a mirror alone adds little. The turns are for the counter,
# where an item lies any way round: with them, the classifier's top-1 on the test photos turned
# a quarter rose from 0.63 / 0.44 / 0.72 to 0.72 / 0.55 / 0.76 (colour and trunk cues alone),
# and on the upright ones from 0.73 / 0.53 / 0.72 to 0.75 / 0.55 / 0.74.
VIEW_CROP = 0.8
VIEW_TURNS = (1, 2, 3)  # quarter turns (numpy.rot90)


@dataclass(frozen=True)
class Appearance:
    """One photo's cues: ``colour`` (unit vector), ``trunk`` (raw CNN descriptor), ``words``,
    ``local`` (keypoints of its middle; None where not extracted); ``views``: the colour and
    trunk of a teaching photo's extra views, as Appearances; ``middle_words``: the words that
    could tell an untaught product (``text_cue.middle_words``; not stored with teaching photos,
    whose ``words`` are what is known)."""

    colour: np.ndarray
    trunk: np.ndarray
    words: tuple[str, ...] = ()
    views: tuple = ()
    local: LocalFeatures | None = None
    middle_words: tuple[str, ...] = ()


class TrunkDescriptor(Protocol):
    name: str

    def describe(self, images: Sequence[np.ndarray]) -> np.ndarray: ...


class TextReader(Protocol):
    name: str

    def read(self, image: np.ndarray) -> list: ...


def colour_histogram(image: np.ndarray) -> np.ndarray:
    """Unit-length square-rooted HSV histogram of the photo's middle (Hellinger geometry)."""
    import cv2

    h, w = image.shape[:2]
    my, mx = int(h * (1 - COLOUR_CENTRE) / 2), int(w * (1 - COLOUR_CENTRE) / 2)
    centre = image[my : h - my, mx : w - mx]
    hsv = cv2.cvtColor(centre, cv2.COLOR_BGR2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, list(COLOUR_BINS), [0, 180, 0, 256, 0, 256])
    hist = np.sqrt(hist.ravel() / max(float(hist.sum()), 1.0))
    return (hist / max(float(np.linalg.norm(hist)), 1e-12)).astype(np.float32)


class AppearanceEncoder:
    """Photos -> ``Appearance``; ``reader`` is optional (without it, no text cue)."""

    def __init__(self, trunk: TrunkDescriptor, reader: TextReader | None = None) -> None:
        self.trunk = trunk
        self.reader = reader
        bins = "x".join(str(b) for b in COLOUR_BINS)
        text = reader.name if reader is not None else "no-text"
        local = f"sift{local_features.WORKING_SIDE}m{local_features.EDGE_MARGIN}"
        turns = "".join(str(k) for k in VIEW_TURNS)
        self.name = (
            f"hsv{bins}c{COLOUR_CENTRE}+{trunk.name}+{text}+views{VIEW_CROP}r{turns}+{local}"
        )

    def encode(self, images: Sequence[np.ndarray]) -> list:
        trunks = self.trunk.describe(images)
        appearances = []
        for image, trunk in zip(images, trunks):
            lines = self.reader.read(image) if self.reader else []
            appearances.append(
                Appearance(
                    colour=colour_histogram(image),
                    trunk=trunk,
                    words=tuple(normalize_words(lines)),
                    local=local_features.extract(image),
                    middle_words=tuple(middle_words(lines)),
                )
            )
        return appearances

    def encode_taught(self, images: Sequence[np.ndarray]) -> list:
        """Teaching photos: each ``Appearance`` with its views (more rows for the classifier)."""
        appearances = self.encode(images)
        views = [teaching_views(image) for image in images]
        trunks = iter(self.trunk.describe([view for each in views for view in each]))
        return [
            replace(
                appearance,
                views=tuple(Appearance(colour_histogram(v), next(trunks)) for v in each),
            )
            for appearance, each in zip(appearances, views)
        ]


def teaching_views(image: np.ndarray) -> tuple[np.ndarray, ...]:
    """The photo's middle (``VIEW_CROP`` of each side), that mirrored, and the photo turned by
    each of ``VIEW_TURNS`` quarters."""
    h, w = image.shape[:2]
    my, mx = round(h * (1 - VIEW_CROP) / 2), round(w * (1 - VIEW_CROP) / 2)
    middle = np.ascontiguousarray(image[my : h - my, mx : w - mx])
    turned = tuple(np.ascontiguousarray(np.rot90(image, k)) for k in VIEW_TURNS)
    return (middle, np.ascontiguousarray(middle[:, ::-1]), *turned)
