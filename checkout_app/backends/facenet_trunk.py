"""FaceNet's convolutional trunk as a general descriptor of product photos.

No ImageNet-trained network can be had offline. The FaceNet weights prepared for face pay are a
real pretrained CNN, and its middle layers answer to edges, colours and textures in any photo, not
only in faces. Measured on the shared grocery photos (ten teaching photos per product, nearest
photo, with the colour histogram beside it): top-1 juice 0.54, fruit 0.49, vegetables 0.59, against
0.58, 0.37 and 0.50 for the colour histogram alone; the final embedding layer (trained to tell
faces apart) did worse than these three depths together.

The descriptor: the photo resized to 224×224, GeM-pooled (p = 3) activations after ``repeat_1``,
``repeat_2`` and ``block8`` (256 + 896 + 1792 values), signed square root.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from checkout_app.backends.facenet_torch import load_facenet_model

TRUNK_INPUT_SIZE = 224
TRUNK_DIM = 256 + 896 + 1792
_GEM_P = 3.0


class FacenetTrunkDescriptor:
    """BGR photos -> (n, ``TRUNK_DIM``) float32 descriptors."""

    def __init__(self, weights_path: Path, batch_size: int = 8) -> None:
        import torch

        model, meta = load_facenet_model(weights_path)
        self._torch = torch
        self._model = model
        self._batch_size = batch_size
        # Descriptors made with other weights are not comparable: stored ones carry this name.
        self.name = f"facenet-trunk-gem{TRUNK_INPUT_SIZE}:{meta['sha256'][:12]}"

    def describe(self, images: Sequence[np.ndarray]) -> np.ndarray:
        import cv2

        if len(images) == 0:
            return np.zeros((0, TRUNK_DIM), np.float32)
        out = []
        for start in range(0, len(images), self._batch_size):
            batch = np.stack(
                [
                    cv2.resize(
                        image, (TRUNK_INPUT_SIZE, TRUNK_INPUT_SIZE), interpolation=cv2.INTER_AREA
                    )[:, :, ::-1]
                    for image in images[start : start + self._batch_size]
                ]
            ).astype(np.float32)
            # facenet-pytorch's fixed_image_standardization, as the weights were trained with.
            tensor = self._torch.from_numpy(
                np.ascontiguousarray(((batch - 127.5) / 128.0).transpose(0, 3, 1, 2))
            )
            with self._torch.inference_mode():
                out.append(self._forward(tensor))
        features = np.concatenate(out)
        return (np.sign(features) * np.sqrt(np.abs(features))).astype(np.float32)

    def _forward(self, x) -> np.ndarray:
        m = self._model
        for layer in (m.conv2d_1a, m.conv2d_2a, m.conv2d_2b, m.maxpool_3a, m.conv2d_3b):
            x = layer(x)
        x = m.repeat_1(m.conv2d_4b(m.conv2d_4a(x)))
        shallow = _gem(x)
        x = m.repeat_2(m.mixed_6a(x))
        middle = _gem(x)
        x = m.block8(m.repeat_3(m.mixed_7a(x)))
        return self._torch.cat([shallow, middle, _gem(x)], dim=1).numpy()


def _gem(x):
    return x.clamp(min=1e-6).pow(_GEM_P).mean((2, 3)).pow(1.0 / _GEM_P)
