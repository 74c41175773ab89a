"""The screen-fit checker itself: it must see what a person would see cut off."""

from __future__ import annotations

from layout_check import layout_problems
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def window_with(*widgets: QWidget) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
    return window


def test_a_fitting_window_has_no_problems(qtbot):
    window = window_with(QLabel("Total"), QPushButton("Pay"))
    qtbot.addWidget(window)
    window.resize(400, 200)
    window.show()
    assert layout_problems(window) == []


def test_a_label_too_narrow_for_its_text_is_reported(qtbot):
    label = QLabel("Crispy Chips Onion, family size")
    label.setObjectName("name")
    window = window_with(label)
    qtbot.addWidget(window)
    window.show()
    label.setFixedWidth(40)
    window.resize(200, 100)
    assert any(p.startswith("name") and "cut" in p for p in layout_problems(window))


def test_a_button_outside_the_window_is_reported(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Pay", window)
    button.setObjectName("pay")
    window.resize(300, 200)
    window.show()
    button.setGeometry(250, 20, 120, 60)
    assert any(p.startswith("pay") and "outside on the right" in p for p in layout_problems(window))
