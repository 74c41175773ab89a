"""``Detections``: the one type every product-detector backend converts its output to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

# IoU matrix of xyxy boxes: one implementation for the desktop and the Nano runtime.
from checkout_edge.yolo import box_iou_matrix as box_iou

__all__ = ["Detections", "ProductDetector", "box_iou"]


@dataclass(frozen=True)
class Detections:
    """Boxes found in one image.

    ``xyxy`` is float32 n×4 in pixels of the input image, ``confidence`` float32 n,
    ``class_id`` int64 n (index into the detector's class names), ``track_id`` optional int64 n.
    """

    xyxy: np.ndarray
    confidence: np.ndarray
    class_id: np.ndarray
    track_id: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "xyxy", np.asarray(self.xyxy, np.float32).reshape(-1, 4))
        object.__setattr__(self, "confidence", np.asarray(self.confidence, np.float32).ravel())
        object.__setattr__(self, "class_id", np.asarray(self.class_id, np.int64).ravel())
        n = len(self.xyxy)
        if len(self.confidence) != n or len(self.class_id) != n:
            raise ValueError(
                f"Detections fields disagree: {n} boxes, {len(self.confidence)} confidences, "
                f"{len(self.class_id)} class ids"
            )
        if self.track_id is not None:
            track = np.asarray(self.track_id, np.int64).ravel()
            if len(track) != n:
                raise ValueError(f"{len(track)} track ids for {n} boxes")
            object.__setattr__(self, "track_id", track)
        if n and np.any(self.xyxy[:, 2:] < self.xyxy[:, :2]):
            raise ValueError("boxes must be x1 <= x2 and y1 <= y2")

    @classmethod
    def empty(cls) -> Detections:
        return cls(np.zeros((0, 4)), np.zeros(0), np.zeros(0))

    def __len__(self) -> int:
        return len(self.xyxy)

    def above(self, min_confidence: float) -> Detections:
        keep = self.confidence >= min_confidence
        track = None if self.track_id is None else self.track_id[keep]
        return Detections(self.xyxy[keep], self.confidence[keep], self.class_id[keep], track)


class ProductDetector(Protocol):
    """Finds products in a BGR image (H×W×3 uint8).

    ``model_path`` and ``meta`` (its verified sidecar) say which model runs and ``backend`` on
    which runtime ("torch", "onnxruntime", …), for reports and the System page;
    ``last_timings_ms`` holds the stage times of the last ``detect`` (preprocess, inference,
    postprocess; empty when the runtime does not time them).
    """

    class_names: list[str]
    model_path: Path
    meta: dict
    backend: str
    last_timings_ms: dict[str, float]

    def detect(self, image: np.ndarray) -> Detections: ...
