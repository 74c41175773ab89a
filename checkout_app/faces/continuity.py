"""One face, followed from identification to confirmation, so nobody can be swapped in.

A head-turn check on landmarks alone proves that *a* face turned, not whose: a victim's photo
could be identified, a bystander do the turning, and the photo come back for the final check.
``FaceTrack`` holds every frame of the liveness step to the face that was identified: the box
moves on continuously (no face appears in another place), no more than ``max_gap_frames`` in a
row pass without exactly one face (not enough to swap people unseen), and every frame that could
be embedded stays close to the embedding of the identifying frames of this very session: tight
while facing the camera, looser while turned (a turned face drifts from the frontal view).
Pure logic over boxes, embeddings and yaw ratios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from checkout_app.vision.detections import box_iou


@dataclass(frozen=True)
class ContinuityPolicy:
    """Cosine distances to the session's reference embedding. Measured with the converted
    FaceNet on the demo shopper's frames (sway, noise, warped turns; 384 frames): facing the
    camera at most 0.14, turned at most 0.45; the same person in another photo 0.23-0.31; two
    different people of the shared photos 0.46 at the very least (5th percentile 0.81). The
    tight limit while facing the camera is the one that stops a bystander: every turn must
    start from a frame facing the camera, so the turned limit leaves room for real faces, which
    change more when turned than a warped photo does."""

    max_front_distance: float = 0.3  # facing the camera (|yaw| <= front_max_yaw_ratio)
    max_turned_distance: float = 0.6  # turned away
    front_max_yaw_ratio: float = 0.15
    min_box_iou: float = 0.3  # consecutive boxes: the face moves, it does not jump
    max_gap_frames: int = 1  # frames in a row without exactly one face


class FaceTrack:
    """Follows the identified face; ``add`` says why the track broke, or None while it holds."""

    def __init__(
        self, reference: np.ndarray, box: tuple, policy: ContinuityPolicy = ContinuityPolicy()
    ) -> None:
        norm = float(np.linalg.norm(reference))
        if norm == 0.0:
            raise ValueError("the reference embedding is zero")
        self.reference = np.asarray(reference, np.float32) / norm
        self.policy = policy
        self._box = box
        self._gap = 0

    def add(self, box: tuple | None, embedding: np.ndarray | None, yaw: float | None) -> str | None:
        """One frame: the only face's box (None: no face or several), its embedding (None:
        not embedded, e.g. blurred) and yaw ratio."""
        if box is None:
            self._gap += 1
            if self._gap > self.policy.max_gap_frames:
                return f"no single face in {self._gap} frames in a row"
            return None
        self._gap = 0
        if float(box_iou([box], [self._box])[0, 0]) < self.policy.min_box_iou:
            return "the face jumped to another place"
        self._box = box
        if embedding is None:
            return None
        distance = 1.0 - float(np.dot(self.reference, embedding) / np.linalg.norm(embedding))
        frontal = yaw is not None and abs(yaw) <= self.policy.front_max_yaw_ratio
        limit = self.policy.max_front_distance if frontal else self.policy.max_turned_distance
        if distance > limit:
            return f"another face (distance {distance:.2f} > {limit:.2f})"
        return None
