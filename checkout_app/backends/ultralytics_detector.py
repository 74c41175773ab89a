"""Product detector on the ultralytics runtime (PyTorch), converting to ``Detections``."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from checkout_edge.defaults import MIN_CONFIDENCE, NMS_IOU

from checkout_app.backends.ultralytics_env import prepare_ultralytics
from checkout_app.models_meta import ModelFileError, read_verified_sidecar
from checkout_app.vision.detections import Detections

log = logging.getLogger(__name__)


class UltralyticsProductDetector:
    """YOLO via ultralytics on the CPU (or a CUDA device).

    NMS is class-agnostic: one physical item must never count twice because the model hesitates
    between two look-alike flavours. ``last_timings_ms`` holds the stage times of the last call.
    """

    def __init__(
        self,
        model_path: Path,
        home: Path,
        *,
        rebuild_hint: str,
        min_confidence: float = MIN_CONFIDENCE,
        device: str = "cpu",
    ) -> None:
        meta = read_verified_sidecar(model_path, rebuild_hint)
        prepare_ultralytics(home)
        from ultralytics import YOLO

        try:
            self._model = YOLO(str(model_path), task="detect")
        except Exception as exc:  # torch raises many types for a broken checkpoint
            raise ModelFileError(
                f"model file {model_path} could not be loaded ({exc}). Rebuild it with: "
                f"{rebuild_hint}"
            ) from None
        self.class_names: list[str] = list(meta["class_names"])
        model_names = [self._model.names[i] for i in sorted(self._model.names)]
        if model_names != self.class_names:
            raise ModelFileError(
                f"model {model_path} has classes {model_names}, its sidecar says "
                f"{self.class_names}. Rebuild it with: {rebuild_hint}"
            )
        self.imgsz = int(meta["input_size"][0])
        self.min_confidence = min_confidence
        self.device = device
        self.backend = "torch"
        self.model_path = model_path
        self.meta = meta
        self.last_timings_ms: dict[str, float] = {}
        # Warm up once so the first shopper's frame is not the slow one.
        self.detect(np.zeros((480, 640, 3), np.uint8))

    def detect(self, image: np.ndarray) -> Detections:
        result = self._model.predict(
            image,
            imgsz=self.imgsz,
            conf=self.min_confidence,
            iou=NMS_IOU,
            agnostic_nms=True,
            # Always the square input the ONNX/TensorRT exports take (ultralytics would pad a
            # 640×480 frame to 320×256 only), so every backend sees the same tensor.
            rect=False,
            device=self.device,
            verbose=False,
        )[0]
        self.last_timings_ms = dict(result.speed)
        boxes = result.boxes
        return Detections(
            xyxy=boxes.xyxy.cpu().numpy(),
            confidence=boxes.conf.cpu().numpy(),
            class_id=boxes.cls.cpu().numpy().astype(np.int64),
        )
