"""The Qt binding itself: guards against PySide6 builds known to corrupt the interpreter.

PySide6 6.12.0 on Python 3.11 drops one reference to None on every call of a void Qt method
(QLabel.setText, QPainter.setPen, …): a long session ends in "Fatal Python error: none_dealloc".
pyproject.toml excludes it; this test fails if a build with that bug is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 50
