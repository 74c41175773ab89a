"""checkout_edge.yolo: letterbox geometry, YOLOv8 output decoding and NMS, without any model."""

from __future__ import annotations

import numpy as np
import pytest
from checkout_edge.yolo import box_iou_matrix, decode_yolov8, letterbox, nms


def raw_output(boxes_xywh, class_scores, n_anchors=50):
    """A (1, 4 + nc, anchors) head output with the given rows first and zeros elsewhere."""
    boxes = np.asarray(boxes_xywh, np.float32)
    scores = np.asarray(class_scores, np.float32)
    out = np.zeros((1, 4 + scores.shape[1], n_anchors), np.float32)
    out[0, :4, : len(boxes)] = boxes.T
    out[0, 4:, : len(boxes)] = scores.T
    return out


@pytest.mark.parametrize(
    ("shape", "scale", "pad"),
    [
        ((480, 640), (0.5, 0.5), (0, 40)),  # 4:3 camera: bars top and bottom
        ((640, 480), (0.5, 0.5), (40, 0)),
        ((320, 320), (1.0, 1.0), (0, 0)),
        ((721, 1280), (0.25, 180 / 721), (0, 70)),  # odd padding: the extra pixel goes low
    ],
)
def test_letterbox_geometry(shape, scale, pad):
    image = np.full((*shape, 3), 200, np.uint8)
    tensor, got_scale, got_pad = letterbox(image, 320)
    assert tensor.shape == (1, 3, 320, 320) and tensor.dtype == np.float32
    assert got_scale == pytest.approx(scale) and got_pad == pad
    # Image pixels 200/255 inside, grey 114/255 in the border.
    assert tensor[0, 0, pad[1] + 1, pad[0] + 1] == pytest.approx(200 / 255)
    if pad[1]:
        assert tensor[0, 0, 0, 0] == pytest.approx(114 / 255)


def test_letterbox_converts_bgr_to_rgb():
    image = np.zeros((320, 320, 3), np.uint8)
    image[..., 0] = 255  # blue in BGR
    tensor, _, _ = letterbox(image, 320)
    assert tensor[0, 2].min() == 1.0 and tensor[0, 0].max() == 0.0


def test_decode_maps_boxes_back_to_the_image():
    # A 640×480 frame letterboxed to 320: scale 0.5, 40 px bars top and bottom.
    out = raw_output([[160, 160, 40, 20]], [[0.1, 0.9, 0.2]])
    xyxy, conf, cls = decode_yolov8(out, 0.4, 0.5, (0.5, 0.5), (0, 40), image_shape=(480, 640))
    np.testing.assert_allclose(xyxy, [[280, 220, 360, 260]])
    np.testing.assert_allclose(conf, [0.9])
    assert cls.tolist() == [1] and cls.dtype == np.int64


def test_decode_keeps_only_scores_above_the_threshold():
    out = raw_output([[50, 50, 10, 10], [150, 150, 10, 10]], [[0.4, 0.0], [0.0, 0.41]])
    _, conf, cls = decode_yolov8(out, 0.4, 0.5, 1.0, (0, 0))
    assert cls.tolist() == [1] and conf.tolist() == pytest.approx([0.41])


def test_agnostic_nms_drops_a_look_alike_flavour_of_the_same_item():
    out = raw_output([[100, 100, 50, 50], [102, 100, 50, 50]], [[0.8, 0.0], [0.0, 0.7]])
    _, _, agnostic = decode_yolov8(out, 0.4, 0.5, 1.0, (0, 0))
    _, _, per_class = decode_yolov8(out, 0.4, 0.5, 1.0, (0, 0), agnostic=False)
    assert agnostic.tolist() == [0]
    assert sorted(per_class.tolist()) == [0, 1]


def test_decode_clips_to_the_image_and_handles_no_detection():
    out = raw_output([[5, 5, 20, 20]], [[0.9]])
    xyxy, _, _ = decode_yolov8(out, 0.4, 0.5, 1.0, (0, 0), image_shape=(100, 100))
    np.testing.assert_allclose(xyxy, [[0, 0, 15, 15]])
    empty = decode_yolov8(np.zeros((1, 6, 10), np.float32), 0.4, 0.5, 1.0, (0, 0))
    assert [a.shape for a in empty] == [(0, 4), (0,), (0,)]


def test_decode_rejects_a_batch():
    with pytest.raises(ValueError, match="one image"):
        decode_yolov8(np.zeros((2, 6, 10), np.float32), 0.4, 0.5, 1.0, (0, 0))


def test_nms_matches_torchvision_on_random_boxes():
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    rng = np.random.default_rng(3)
    top_left = rng.uniform(0, 200, (300, 2))
    boxes = np.hstack([top_left, top_left + rng.uniform(10, 80, (300, 2))]).astype(np.float32)
    scores = rng.uniform(0, 1, 300).astype(np.float32)
    expected = torchvision.ops.nms(torch.from_numpy(boxes), torch.from_numpy(scores), 0.5)
    assert nms(boxes, scores, 0.5).tolist() == expected.tolist()


def test_nms_suppresses_only_above_the_threshold():
    # Two 10×10 boxes overlapping by 5×10: IoU exactly 1/3.
    boxes = np.array([[0, 0, 10, 10], [5, 0, 15, 10]], np.float32)
    assert box_iou_matrix(boxes[:1], boxes[1:])[0, 0] == pytest.approx(1 / 3)
    assert nms(boxes, np.array([0.9, 0.8]), 1 / 3 + 1e-6).tolist() == [0, 1]
    assert nms(boxes, np.array([0.9, 0.8]), 0.3).tolist() == [0]
