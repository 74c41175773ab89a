"""``PoseIndicator``: a round sign showing which way to turn the head (or a tick when done).

Used by staff registration (front → right → down → left) and by the pay screen's liveness
step, so a shopper sees the same arrow a staff member saw when they were registered.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from checkout_app.ui import theme


class PoseIndicator(QWidget):
    """A head with an arrow showing which way to turn next; a tick once every pose is taken."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pose: str | None = "front"
        self.setMinimumSize(96, 96)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_pose(self, pose: str | None) -> None:
        """ "front", "right", "down", "left" (the person's own directions), or None for a tick."""
        self._pose = pose
        self.update()

    def pose(self) -> str | None:
        return self._pose

    def paintEvent(self, event: QEvent) -> None:
        side = min(self.width(), self.height())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate((self.width() - side) / 2, (self.height() - side) / 2)
        painter.scale(side / 100, side / 100)  # draw on a 100×100 canvas
        done = self._pose is None
        colour = QColor(theme.SUCCESS if done else theme.SKY_DARK)
        painter.setPen(QPen(colour, 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(QColor(theme.CARD))
        painter.drawEllipse(QRectF(8, 8, 84, 84))
        if done:
            path = QPainterPath(QPointF(30, 52))
            path.lineTo(45, 66)
            path.lineTo(72, 36)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        elif self._pose == "front":
            painter.setBrush(colour)
            painter.drawEllipse(QRectF(42, 42, 16, 16))
        else:
            self._draw_arrow(painter, colour)
        painter.end()

    def _draw_arrow(self, painter: QPainter, colour: QColor) -> None:
        # Arrow pointing right on the canvas; rotated for the other poses. "right" is the
        # person's right, which is the screen's right for someone facing the screen.
        angle = {"right": 0, "down": 90, "left": 180}.get(self._pose or "", 0)
        painter.save()
        painter.translate(50, 50)
        painter.rotate(angle)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        arrow = QPainterPath(QPointF(-26, -8))
        for x, y in ((6, -8), (6, -22), (30, 0), (6, 22), (6, 8), (-26, 8)):
            arrow.lineTo(x, y)
        arrow.closeSubpath()
        painter.drawPath(arrow)
        painter.restore()
