"""The main window's actions, menus and toolbar as `build_actions` makes them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from workbench.ui.actions import WindowActions


def test_menus_hold_the_actions_in_order(main_window) -> None:  # type: ignore[no-untyped-def]
    acts: WindowActions = main_window.window_actions
    titles = [a.text() for a in main_window.menuBar().actions()]
    assert titles[:6] == ["&File", "&Request", "&Environment", "&View", "&Tools", "&Help"]
    assert [a for a in acts.tools_menu.actions() if not a.isSeparator()][:3] == [acts.run, acts.metadata, acts.batch]
    assert acts.view_menu.actions()[0] is acts.history
    assert main_window.tools_menu() is acts.tools_menu and main_window.view_menu() is acts.view_menu
    assert main_window.act_send is acts.send and main_window.env_combo is acts.env_combo


def test_shortcuts_work_anywhere_in_the_window(main_window) -> None:  # type: ignore[no-untyped-def]
    """Send, Cancel, Save and Close tab are window shortcuts: they work while a table cell has the focus."""
    acts: WindowActions = main_window.window_actions
    for act in (acts.send, acts.cancel, acts.save, acts.close_tab):
        assert act in main_window.actions()
        assert act.shortcutContext() == Qt.ShortcutContext.WindowShortcut
    assert [s.toString() for s in acts.send.shortcuts()] == ["Ctrl+Return", "Ctrl+Enter"]
    assert acts.import_openapi.shortcut() == QKeySequence("Ctrl+I")
    assert not acts.cancel.isEnabled()  # Esc belongs to the widgets while nothing is sent


def test_history_action_shows_the_history_tab(main_window) -> None:  # type: ignore[no-untyped-def]
    main_window.window_actions.history.trigger()
    assert main_window.left.currentIndex() == 1
    assert main_window.left.currentWidget() is main_window.history_panel()
