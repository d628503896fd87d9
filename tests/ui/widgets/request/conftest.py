"""Auth panel fixtures: a shown panel, a fresh token cache, and clicks made the way a user makes them."""

from __future__ import annotations

from typing import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox

from workbench.core.auth import oauth2
from workbench.ui.widgets.request.auth_panel import AuthPanel


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    oauth2.cache.clear_memory()


@pytest.fixture
def panel(qtbot) -> AuthPanel:  # type: ignore[no-untyped-def]
    widget = AuthPanel()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


@pytest.fixture
def click(qtbot) -> Callable[[AuthPanel, QAbstractButton], None]:  # type: ignore[no-untyped-def]
    """Click like a user: scroll the button into view first (Qt 6 delivers test clicks by position)."""

    def do(panel: AuthPanel, button: QAbstractButton) -> None:
        panel.scroll_area.ensureWidgetVisible(button)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    return do


@pytest.fixture
def choose() -> Callable[[QComboBox, str], None]:
    """Pick the combo entry whose data is `data` (and fail when there is none)."""

    def do(combo: QComboBox, data: str) -> None:
        index = combo.findData(data)
        assert index >= 0, data
        combo.setCurrentIndex(index)

    return do
