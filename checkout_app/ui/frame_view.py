"""``FrameView``: paints the newest camera frame with labelled boxes and an optional message.

Built for a live feed on a small machine: the BGR numpy image is wrapped in a ``QImage``
without copying (the view keeps the array alive for as long as the image points into it) and
scaled while painting, so one new frame costs one scaled draw on the GUI thread.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from checkout_app.ui import theme
from checkout_app.ui.tag_layout import place_tags

# Enough paints for a steady frame-rate figure over the last few seconds at camera rates.
PAINT_HISTORY = 120


class BoxLike(Protocol):
    """What :meth:`FrameView.set_frame` draws; :class:`BoxLabel` or any object with these fields."""

    xyxy: Sequence[float]
    text: str
    colour: str


@dataclass(frozen=True)
class BoxLabel:
    """One box in image pixel coordinates, its label and ``#RRGGBB`` colour.

    ``confirmed`` False draws a dashed outline (for example a detection the tracker has not
    settled yet).
    """

    xyxy: tuple[float, float, float, float]
    text: str
    colour: str = theme.SKY
    confirmed: bool = True


def fit_rect(src_w: int, src_h: int, dst_w: int, dst_h: int) -> tuple[float, float, float]:
    """(scale, x, y) that fit a ``src`` image into ``dst`` centred, its aspect ratio kept."""
    if src_w <= 0 or src_h <= 0 or dst_w <= 0 or dst_h <= 0:
        return 0.0, 0.0, 0.0
    scale = min(dst_w / src_w, dst_h / src_h)
    return scale, (dst_w - src_w * scale) / 2, (dst_h - src_h * scale) / 2


def bgr_qimage(image_bgr: np.ndarray) -> tuple[QImage, np.ndarray]:
    """A QImage that shares ``image_bgr``'s memory, and the array it points into.

    The array returned must outlive the QImage. A non-contiguous input (a crop or a view with
    strides) is copied once to a contiguous array; a contiguous one is used as it is.
    """
    if image_bgr.dtype != np.uint8 or image_bgr.ndim != 3 or image_bgr.shape[2] != 3:
        raise ValueError(
            f"expected a uint8 H×W×3 BGR image, got {image_bgr.dtype} {image_bgr.shape}"
        )
    array = np.ascontiguousarray(image_bgr)
    height, width = array.shape[:2]
    qimage = QImage(array.data, width, height, array.strides[0], QImage.Format.Format_BGR888)
    return qimage, array


def bgr_thumbnail(image_bgr: np.ndarray, side: int) -> QPixmap:
    """``image_bgr`` scaled to fit a ``side``×``side`` square, its shape kept."""
    qimage, _array = bgr_qimage(image_bgr)
    pixmap = QPixmap.fromImage(qimage)  # copies, so the array may go
    return pixmap.scaled(
        side,
        side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class FrameView(QWidget):
    """Shows the latest frame scaled to fit, its boxes and labels, and a message overlay.

    ``mirrored`` shows the picture as a mirror would (the face camera: a person turning to
    their left sees their picture turn to the left, as the prompt's arrow says); boxes are
    still given in the camera's own pixel coordinates.
    """

    def __init__(self, parent: QWidget | None = None, *, mirrored: bool = False) -> None:
        super().__init__(parent)
        self.mirrored = mirrored
        self._array: np.ndarray | None = None  # keeps the memory behind _qimage alive
        self._qimage: QImage | None = None
        self._boxes: tuple[BoxLike, ...] = ()
        self._message = ""
        self._new_frame = False
        self._paint_times: deque[float] = deque(maxlen=PAINT_HISTORY + 1)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def set_frame(self, image_bgr: np.ndarray, boxes: Sequence[BoxLike] = ()) -> None:
        """Show ``image_bgr`` (uint8 H×W×3 BGR) with ``boxes`` in its pixel coordinates.

        The view keeps a reference to the array instead of copying it: do not write into it
        afterwards (camera sources hand out a fresh array per frame, so this holds for them).
        """
        self._qimage, self._array = bgr_qimage(image_bgr[:, ::-1] if self.mirrored else image_bgr)
        self._boxes = tuple(boxes)
        self._new_frame = True
        self.update()

    def set_message(self, text: str | None) -> None:
        """Show ``text`` over the picture (for example "camera unavailable"); empty hides it."""
        self._message = text or ""
        self.update()

    def message(self) -> str:
        return self._message

    def boxes(self) -> tuple:
        """The boxes drawn over the current frame."""
        return self._boxes

    def paint_intervals_ms(self) -> list[float]:
        """Milliseconds between the last paints that showed a new frame (oldest first)."""
        times = list(self._paint_times)
        return [(b - a) * 1000 for a, b in zip(times, times[1:])]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(theme.VIDEO_BACKGROUND))
            if self._qimage is not None:
                self._paint_frame(painter)
            if self._message:
                self._paint_message(painter)
        finally:
            painter.end()
        if self._new_frame:
            self._new_frame = False
            self._paint_times.append(time.monotonic())

    def _paint_frame(self, painter: QPainter) -> None:
        image = self._qimage
        assert image is not None
        scale, x0, y0 = fit_rect(image.width(), image.height(), self.width(), self.height())
        if scale <= 0:
            return
        target = QRectF(x0, y0, image.width() * scale, image.height() * scale)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, image)
        if not self._boxes:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        # Labels stay readable on a small view and do not dominate a large one.
        font.setPixelSize(max(12, min(24, round(target.height() / 24))))
        font.setBold(True)
        painter.setFont(font)
        line_width = max(3.0, target.height() / 160)
        rects = []
        for box in self._boxes:
            x1, y1, x2, y2 = (float(v) for v in box.xyxy)
            if self.mirrored:
                x1, x2 = image.width() - x2, image.width() - x1
            rect = QRectF(
                QPointF(x0 + x1 * scale, y0 + y1 * scale), QPointF(x0 + x2 * scale, y0 + y2 * scale)
            )
            self._paint_box(painter, rect, box, line_width)
            rects.append(rect)
        self._paint_tags(painter, rects, target)

    def _paint_tags(self, painter: QPainter, rects: list, bounds: QRectF) -> None:
        """Name tags after every outline, placed so that none covers another (``place_tags``)."""
        metrics = painter.fontMetrics()
        pad = 4
        named = [(rect, box) for rect, box in zip(rects, self._boxes) if box.text]
        height = metrics.height() + pad
        sizes = [(metrics.horizontalAdvance(b.text) + 2 * pad, height) for _, b in named]
        corners = place_tags(
            [(r.left(), r.top(), r.right(), r.bottom()) for r, _ in named],
            sizes,
            (bounds.left(), bounds.top(), bounds.right(), bounds.bottom()),
        )
        for (_, box), (x, y), (width, _) in zip(named, corners, sizes):
            colour = QColor(box.colour)
            tag = QRectF(x, y, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(tag, 4, 4)
            painter.setPen(QColor(theme.text_colour_on(colour.name())))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, box.text)

    def _paint_box(self, painter: QPainter, rect: QRectF, box: BoxLike, line_width: float) -> None:
        colour = QColor(box.colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # A dark halo under the coloured outline keeps it visible on a product of its own hue.
        halo = QColor(theme.TEXT)
        halo.setAlpha(150)
        painter.setPen(QPen(halo, line_width + 2))
        painter.drawRect(rect)
        pen = QPen(colour, line_width)
        if not getattr(box, "confirmed", True):
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(rect)

    def _paint_message(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(16, min(32, self.height() // 14)))
        font.setBold(True)
        painter.setFont(font)
        margin = self.width() // 10
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        available = QRect(margin, 0, self.width() - 2 * margin, self.height())
        text_rect = painter.fontMetrics().boundingRect(available, int(flags), self._message)
        panel = QRectF(text_rect.adjusted(-24, -16, 24, 16))
        panel.moveCenter(QRectF(self.rect()).center())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        backdrop = QColor(theme.TEXT)
        backdrop.setAlpha(215)
        painter.setBrush(backdrop)
        painter.drawRoundedRect(panel, 16, 16)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(panel, flags, self._message)
