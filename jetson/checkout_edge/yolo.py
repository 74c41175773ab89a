"""YOLOv8 pre- and post-processing in numpy: letterbox, output decoding, class-agnostic NMS.

Mirrors what ultralytics does for a static square input (``LetterBox(auto=False)``,
``non_max_suppression`` with one best class per box, ``scale_boxes``), so an ONNX or TensorRT
engine without NMS in its graph gives the same boxes as the ultralytics predictor.
"""

from typing import Optional, Tuple, Union

import numpy as np

PAD_VALUE = 114  # ultralytics' grey letterbox border
MAX_DETECTIONS = 300
MAX_NMS_CANDIDATES = 30000

Scale = Union[float, Tuple[float, float]]


def letterbox(
    image_bgr: np.ndarray, size: int
) -> Tuple[np.ndarray, Tuple[float, float], Tuple[int, int]]:
    """A BGR uint8 H×W×3 image -> (1×3×size×size float32 RGB in [0, 1], scale, pad).

    ``scale`` is (x, y): resized / original side (they differ by at most the rounding of one
    pixel); ``pad`` is (left, top) in input pixels. Both go to ``decode_yolov8`` unchanged.
    """
    import cv2  # OpenCV ships with JetPack; imported here so decoding alone needs only numpy

    if image_bgr.ndim != 3 or image_bgr.shape[2] != 3:
        raise ValueError(f"expected an H×W×3 BGR image, got shape {image_bgr.shape}")
    height, width = image_bgr.shape[:2]
    ratio = min(size / height, size / width)
    new_w, new_h = max(round(width * ratio), 1), max(round(height * ratio), 1)
    resized = image_bgr
    if (new_w, new_h) != (width, height):
        resized = cv2.resize(image_bgr, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    dw, dh = (size - new_w) / 2.0, (size - new_h) / 2.0
    # ultralytics' rounding: an odd padding puts the extra pixel at the bottom/right.
    top, bottom = round(dh - 0.1), round(dh + 0.1)
    left, right = round(dw - 0.1), round(dw + 0.1)
    padded = cv2.copyMakeBorder(
        resized, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(PAD_VALUE,) * 3
    )
    rgb = padded[:, :, ::-1].transpose(2, 0, 1)[None]
    tensor = np.ascontiguousarray(rgb, dtype=np.float32) / np.float32(255.0)
    return tensor, (new_w / float(width), new_h / float(height)), (left, top)


def box_iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every xyxy box in ``a`` (n×4) with every box in ``b`` (m×4)."""
    a = np.asarray(a, np.float64).reshape(-1, 4)
    b = np.asarray(b, np.float64).reshape(-1, 4)
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0.0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Greedy NMS: indices of the kept boxes, best score first.

    A box is dropped when its IoU with a kept, better box is above ``iou_threshold`` (strictly,
    as torchvision's ``nms``).
    """
    # mergesort: stable, and numpy 1.13 (JetPack's) has no kind="stable"
    order = np.argsort(-np.asarray(scores), kind="mergesort")
    boxes = np.asarray(boxes, np.float64)
    keep = []
    while order.size:
        best = order[0]
        keep.append(best)
        if order.size == 1:
            break
        overlap = box_iou_matrix(boxes[best], boxes[order[1:]])[0]
        order = order[1:][overlap <= iou_threshold]
    return np.asarray(keep, np.int64)


def _per_axis(value: Scale) -> Tuple[float, float]:
    if isinstance(value, (tuple, list)):
        return float(value[0]), float(value[1])
    return float(value), float(value)


def decode_yolov8(
    output: np.ndarray,
    conf: float,
    iou: float,
    scale: Scale,
    pad: Tuple[float, float],
    agnostic: bool = True,
    image_shape: Optional[Tuple[int, int]] = None,
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw YOLOv8 head output (1, 4 + nc, N) -> (xyxy float32 n×4, conf float32 n, cls int64 n).

    Rows 0-3 are box centre x, y, width, height in input pixels, the rest per-class scores
    (already sigmoid). Keeps each box's best class above ``conf``, runs NMS (class-agnostic by
    default: one physical item must never count twice as two look-alike flavours), then maps
    the boxes back to the original image with the letterbox ``scale`` and ``pad``; with
    ``image_shape`` (height, width) they are clipped to it.
    """
    pred = np.asarray(output, np.float32)
    if pred.ndim == 3:
        if pred.shape[0] != 1:
            raise ValueError(f"decode_yolov8 takes one image, got batch {pred.shape[0]}")
        pred = pred[0]
    if pred.ndim != 2 or pred.shape[0] < 5:
        raise ValueError(f"expected a (1, 4 + classes, N) output, got {pred.shape}")
    scores_all = pred[4:]
    class_ids = scores_all.argmax(axis=0)
    scores = scores_all[class_ids, np.arange(pred.shape[1])]
    candidates = np.flatnonzero(scores > conf)
    if candidates.size > MAX_NMS_CANDIDATES:
        best = np.argsort(-scores[candidates], kind="mergesort")[:MAX_NMS_CANDIDATES]
        candidates = candidates[best]
    cx, cy, w, h = pred[:4, candidates]
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)
    scores, class_ids = scores[candidates], class_ids[candidates]
    if not agnostic:
        # Shift each class to its own region so boxes of different classes never overlap.
        boxes_for_nms = boxes + class_ids[:, None].astype(np.float32) * 7680.0
    else:
        boxes_for_nms = boxes
    keep = nms(boxes_for_nms, scores, iou)[:MAX_DETECTIONS] if len(boxes) else np.zeros(0, np.int64)
    boxes, scores, class_ids = boxes[keep], scores[keep], class_ids[keep]
    scale_x, scale_y = _per_axis(scale)
    boxes = (boxes - np.array([pad[0], pad[1], pad[0], pad[1]], np.float32)) / np.array(
        [scale_x, scale_y, scale_x, scale_y], np.float32
    )
    if image_shape is not None:
        height, width = image_shape[:2]
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, width)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, height)
    return (
        boxes.astype(np.float32).reshape(-1, 4),
        scores.astype(np.float32),
        class_ids.astype(np.int64),
    )
