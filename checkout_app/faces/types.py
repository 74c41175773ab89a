"""The face types every backend converts to, and the detector/embedder protocols."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

CROP_SIZE = 160
EMBEDDING_SIZE = 512
# Order of MTCNN's five landmarks, in image coordinates: "left_eye" is the eye on the image's
# left (the person's right eye when they face the camera).
LANDMARK_NAMES = ("left_eye", "right_eye", "nose", "mouth_left", "mouth_right")


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class Face:
    """One detected face.

    ``box`` is (x1, y1, x2, y2) in pixels of the input image (may reach outside it for a face cut
    by the border), ``landmarks`` 5×2 (x, y) in the same pixels (order: ``LANDMARK_NAMES``),
    ``score`` the detector's confidence, ``crop`` the RGB uint8 CROP_SIZE×CROP_SIZE×3 face with
    margin that the embedder takes.
    """

    box: tuple
    landmarks: np.ndarray
    score: float
    crop: np.ndarray

    def __post_init__(self) -> None:
        box = tuple(float(v) for v in self.box)
        if len(box) != 4 or box[2] < box[0] or box[3] < box[1]:
            raise ValueError(f"face box must be x1 <= x2, y1 <= y2, got {self.box}")
        object.__setattr__(self, "box", box)
        landmarks = np.asarray(self.landmarks, np.float32)
        if landmarks.shape != (5, 2):
            raise ValueError(f"face landmarks must be 5×2, got {landmarks.shape}")
        object.__setattr__(self, "landmarks", landmarks)
        crop = np.asarray(self.crop)
        if crop.shape != (CROP_SIZE, CROP_SIZE, 3) or crop.dtype != np.uint8:
            raise ValueError(f"face crop must be {CROP_SIZE}×{CROP_SIZE}×3 uint8, got {crop.shape}")

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


class FaceDetector(Protocol):
    """Finds faces in a BGR image (H×W×3 uint8, as OpenCV cameras deliver), left to right."""

    def detect(self, image: np.ndarray) -> list[Face]: ...


class FaceEmbedder(Protocol):
    """Maps face crops to (n, EMBEDDING_SIZE) float32 unit vectors."""

    name: str

    def embed(self, crops: Sequence[np.ndarray]) -> np.ndarray: ...
