"""What a person would see cut off: controls outside the window and labels too small for their text.

``layout_problems(window)`` looks at every visible label, button, input and table of a window
as it is laid out now and returns one line per problem ("pay_button: 120 px outside the window
on the right"), so a failing test says what to fix. Widgets inside a scroll area may lie below
the fold (the page scrolls), but never past its sides: nothing in this app scrolls sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabBar,
    QWidget,
)

CHECKED = (QLabel, QAbstractButton, QLineEdit, QComboBox, QSpinBox, QAbstractItemView, QTabBar)
# Text may touch the edge by this much (anti-aliasing, rounding of font metrics).
SLACK_PX = 2


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    name = widget.objectName() or type(widget).__name__
    return f"{name} {text[:40]!r}" if text else name


def _scroll_parent(widget: QWidget, window: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _outside(rect: QRect, bounds: QRect, sideways_only: bool) -> str | None:
    sides = {
        "left": bounds.left() - rect.left(),
        "right": rect.right() - bounds.right(),
    }
    if not sideways_only:
        sides["top"] = bounds.top() - rect.top()
        sides["bottom"] = rect.bottom() - bounds.bottom()
    worst = max(sides, key=sides.get)
    return f"{sides[worst]} px outside on the {worst}" if sides[worst] > SLACK_PX else None


def _text_cut(widget: QWidget) -> str | None:
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return None
        if widget.textFormat() == Qt.TextFormat.RichText or text.lstrip().startswith("<"):
            return None
        room = widget.contentsRect()
        # The label's own margin and indent, counted only when an indent is set (as QLabel does).
        margin = 2 * (widget.margin() + widget.indent()) if widget.indent() > 0 else 0
        metrics = widget.fontMetrics()
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + SLACK_PX:
                return f"needs {needed} px of height, has {widget.height()}"
            return None
        widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        if widest + margin > room.width() + SLACK_PX:
            return f"text needs {widest} px, has {room.width()}"
        return None
    if isinstance(widget, QAbstractButton):
        # The size hint is the text plus the style's padding: narrower than that, text is cut.
        needed = widget.sizeHint().width()
        if widget.text() and needed > widget.width() + SLACK_PX:
            return f"needs {needed} px, has {widget.width()}"
    if isinstance(widget, QTabBar):
        needed = sum(widget.tabSizeHint(i).width() for i in range(widget.count()))
        if needed > widget.width() + SLACK_PX:
            return f"tabs need {needed} px, have {widget.width()}"
    if isinstance(widget, QAbstractItemView):
        bar = widget.horizontalScrollBar()
        if bar.isVisible() and bar.value() != bar.minimum():
            return "opens scrolled sideways"
    return None


def layout_problems(window: QWidget) -> list[str]:
    problems = []
    bounds = window.rect()
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED) or not widget.isVisible():
            continue
        if widget.window() is not window:
            continue
        rect = _rect_in(widget, window)
        scroll = _scroll_parent(widget, window)
        if scroll is None:
            where = _outside(rect, bounds, sideways_only=False)
        elif isinstance(scroll, QAbstractItemView):  # a table's header or cell editor
            where = _outside(rect, _rect_in(scroll, window), sideways_only=True)
        else:
            viewport = _rect_in(scroll.viewport(), window)
            where = _outside(rect, viewport, sideways_only=True)
        if where:
            problems.append(f"{_name(widget)}: {where}")
        cut = _text_cut(widget)
        if cut:
            problems.append(f"{_name(widget)}: cut, {cut}")
    return problems
