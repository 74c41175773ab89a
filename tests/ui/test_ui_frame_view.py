"""FrameView: zero-copy frames, letterboxing, boxes with labels, message overlay, paint timing."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QFont

from checkout_app.ui import theme
from checkout_app.ui.frame_view import BoxLabel, FrameView, bgr_qimage, fit_rect


@pytest.fixture
def view(qtbot):
    widget = FrameView()
    qtbot.addWidget(widget)
    family = theme.choose_ui_family(theme.register_fonts())
    widget.setFont(QFont(family, theme.BASE_FONT_PT))
    widget.resize(800, 500)  # wider than the 4:3 frame: bars left and right
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def counter_image() -> np.ndarray:
    image = np.full((480, 640, 3), (170, 180, 190), np.uint8)  # grey-beige counter, BGR
    image[120:300, 100:260] = (40, 90, 210)  # a red-brown pack
    image[20:200, 360:600] = (70, 160, 70)  # a green bottle label
    return image


def colour_at(widget: FrameView, x: float, y: float) -> QColor:
    return widget.grab().toImage().pixelColor(round(x), round(y))


def close(a: QColor, b: str, tolerance: int = 12) -> bool:
    c = QColor(b)
    return all(abs(u - v) <= tolerance for u, v in zip(a.getRgb()[:3], c.getRgb()[:3]))


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ((640, 480), (800, 500), (500 / 480, (800 - 640 * 500 / 480) / 2, 0.0)),
        ((640, 480), (640, 960), (1.0, 0.0, 240.0)),
        ((640, 480), (320, 240), (0.5, 0.0, 0.0)),
        ((0, 480), (320, 240), (0.0, 0.0, 0.0)),
        ((640, 480), (0, 240), (0.0, 0.0, 0.0)),
    ],
)
def test_fit_rect(src, dst, expected):
    assert fit_rect(*src, *dst) == pytest.approx(expected)


def test_qimage_shares_the_array_memory():
    image = np.zeros((4, 6, 3), np.uint8)
    qimage, kept = bgr_qimage(image)
    assert kept is image
    image[1, 2] = (255, 0, 0)  # blue in BGR
    assert qimage.pixelColor(2, 1) == QColor(0, 0, 255)


def test_non_contiguous_frames_are_copied_once():
    image = np.arange(8 * 10 * 3, dtype=np.uint8).reshape(8, 10, 3)
    crop = image[2:6, 3:9]
    qimage, kept = bgr_qimage(crop)
    assert kept is not crop and kept.flags.c_contiguous
    np.testing.assert_array_equal(kept, crop)
    b, g, r = (int(v) for v in crop[3, 5])
    assert qimage.pixelColor(5, 3) == QColor(r, g, b)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((4, 6), np.uint8), np.zeros((4, 6, 4), np.uint8), np.zeros((4, 6, 3), np.float32)],
)
def test_rejects_images_that_are_not_bgr_uint8(bad):
    with pytest.raises(ValueError, match="uint8"):
        bgr_qimage(bad)


def test_paints_frame_boxes_and_labels(view, screenshot):
    pack = BoxLabel((100, 120, 260, 300), "새우깡 1,500원", "#FF8C42")
    bottle = BoxLabel((360, 20, 600, 200), "Coca-Cola 콜라", theme.SKY, confirmed=False)
    view.set_frame(counter_image(), [pack, bottle])
    image = screenshot(view, "frame_view.png").toImage()

    scale, x0, y0 = fit_rect(640, 480, 800, 500)
    assert close(image.pixelColor(10, 250), theme.VIDEO_BACKGROUND)  # letterbox bar
    assert close(image.pixelColor(round(x0 + 50 * scale), 400), "#BEB4AA")  # the counter
    assert close(image.pixelColor(round(x0 + 180 * scale), round(y0 + 210 * scale)), "#D25A28")
    # The box outline sits on the pack's left edge, in the box colour.
    left = round(x0 + 100 * scale)
    assert close(image.pixelColor(left, round(y0 + 210 * scale)), "#FF8C42", tolerance=40)
    # The label tag is above the box: box colour with dark text on it.
    tag_row = round(y0 + 120 * scale) - 12
    tag = [image.pixelColor(x, tag_row) for x in range(left, left + 140)]
    assert sum(close(c, "#FF8C42", 20) for c in tag) > 40
    assert any(c.lightness() < 80 for c in tag)  # glyphs drawn (navy on orange)


def test_label_of_a_box_at_the_top_edge_stays_inside_the_picture(view, screenshot):
    view.set_frame(counter_image(), [BoxLabel((0, 0, 200, 150), "맨 위 Top", "#FF8C42")])
    _, x0, y0 = fit_rect(640, 480, 800, 500)
    image = screenshot(view, "frame_view_top.png").toImage()
    # Drawn inside the box's top edge instead of above the picture.
    row = [image.pixelColor(round(x0) + dx, round(y0) + 5) for dx in range(4, 60)]
    assert sum(close(c, "#FF8C42", 20) for c in row) > 20


def test_message_overlay_covers_the_centre_and_clears(view, screenshot):
    view.set_frame(counter_image())
    centre_before = colour_at(view, 400, 250)
    view.set_message("카메라 연결 끊김 — 다시 시도 중")
    assert view.message() == "카메라 연결 끊김 — 다시 시도 중"
    with_message = screenshot(view, "frame_view_message.png").toImage()
    assert with_message.pixelColor(400, 250) != centre_before
    view.set_message(None)
    assert colour_at(view, 400, 250) == centre_before


def test_message_without_any_frame(view):
    view.set_message("No camera")
    assert close(colour_at(view, 5, 5), theme.VIDEO_BACKGROUND)


def test_paint_intervals_count_new_frames_only(view, qtbot):
    assert view.paint_intervals_ms() == []
    for _ in range(3):
        view.set_frame(counter_image())
        view.repaint()
        qtbot.wait(20)
    view.resize(700, 450)  # a repaint without a new frame is not a frame shown
    view.repaint()
    intervals = view.paint_intervals_ms()
    assert len(intervals) == 2
    assert all(15 <= ms < 1000 for ms in intervals)


def test_a_mirrored_view_shows_the_picture_and_its_boxes_as_a_mirror(view):
    """The face camera: the pack at the camera's left shows at the viewer's right."""
    view.mirrored = True
    pack = BoxLabel((100, 120, 260, 300), "", "#FF8C42")
    view.set_frame(counter_image(), [pack])
    image = view.grab().toImage()
    scale, x0, y0 = fit_rect(640, 480, 800, 500)
    mirror_x = 640 - 180  # the pack's centre, seen in a mirror
    assert close(image.pixelColor(round(x0 + mirror_x * scale), round(y0 + 210 * scale)), "#D25A28")
    assert close(image.pixelColor(round(x0 + 180 * scale), round(y0 + 210 * scale)), "#BEB4AA")
    right_edge = round(x0 + (640 - 100) * scale)  # the box's left side, now on the right
    assert close(image.pixelColor(right_edge, round(y0 + 210 * scale)), "#FF8C42", tolerance=40)
