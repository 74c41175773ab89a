"""Which torch device a command runs on, and how reports name it.

``--device`` takes what ultralytics takes: ``cpu``, ``cuda``, a CUDA index (``0``) or
``cuda:0``; ``auto`` picks the first CUDA GPU when torch sees one. torch is imported only when
a device is resolved or named.
"""

from __future__ import annotations

import os
import platform


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"0"`` when torch sees a CUDA GPU, else ``"cpu"``; others unchanged."""
    if device != "auto":
        return device
    import torch

    return "0" if torch.cuda.is_available() else "cpu"


def describe_device(device: str) -> str:
    """What a report records: ``cuda:0 (NVIDIA H200)``, or the CPU with its core count."""
    device = resolve_device(device)
    if device != "cpu":
        import torch

        index = int(device.split(",")[0].replace("cuda", "").lstrip(":") or 0)
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    return f"cpu ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)"
