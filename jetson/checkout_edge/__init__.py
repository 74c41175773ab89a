"""checkout_edge: the numpy runtime code shared by the desktop app and the Jetson Nano.

Pre/post-processing (letterbox, YOLOv8 decoding + NMS, FaceNet standardisation), the cart
tracker and face matching from an exported registry live here once, so every backend (torch,
onnxruntime, TensorRT) is fed the same tensors and its raw outputs become the same cart.

Python 3.6-compatible (stock JetPack 4.6): no ``from __future__ import annotations``, no
dataclasses, typing-module generics only. Depends on numpy; OpenCV for resizing; TensorRT and
pycuda are imported lazily by the TensorRT runner only.
"""

__version__ = "0.1.0"
