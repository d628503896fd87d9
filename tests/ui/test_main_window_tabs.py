"""The window's request tabs (issue 14): a preview tab for single clicks in the tree, readable titles.

Clicks are real mouse clicks on the collection tree's rows (pytest-qt), over a copy of the
sample workspace; saving writes the request file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

ECHO = "Getting started"


def _row_pos(window, key: str):  # type: ignore[no-untyped-def]
    panel = window.collections
    assert panel.select_key(key), key  # expands the parents and scrolls the row into view
    return panel.tree.visualRect(panel.tree.currentIndex()).center()


def _click(window, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.collections.tree.viewport(), Qt.MouseButton.LeftButton, pos=_row_pos(window, key))


def _double_click(window, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    viewport, pos = window.collections.tree.viewport(), _row_pos(window, key)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)


def _titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_single_clicks_reuse_one_preview_tab(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = main_window
    _click(w, qtbot, f"{ECHO}/Echo query parameters.yaml")
    _click(w, qtbot, f"{ECHO}/Teapot status.yaml")
    _click(w, qtbot, f"{ECHO}/Auth/Basic auth.yaml")
    assert _titles(w) == ["Basic auth"]  # browsing does not pile up tabs
    editor = w.current_editor()
    assert editor is not None and w.tabs.is_preview(editor)
    assert w.tabs.tabToolTip(0) == f"Basic auth\n{ECHO}/Auth/Basic auth.yaml"
    # The preview title is drawn in italics: the tab bar's pixels change when the tab is kept.
    bar = w.tabs.tabBar()
    italic = bar.grab(bar.tabRect(0)).toImage()
    _double_click(w, qtbot, f"{ECHO}/Auth/Basic auth.yaml")
    assert w.tabs.count() == 1 and not w.tabs.is_preview(editor)
    assert bar.grab(bar.tabRect(0)).toImage() != italic
    # The kept tab stays; the next single click opens a new preview beside it.
    _click(w, qtbot, f"{ECHO}/Teapot status.yaml")
    _click(w, qtbot, f"{ECHO}/Echo query parameters.yaml")
    assert _titles(w) == ["Basic auth", "Echo query parameters"]


def test_an_edit_or_a_save_keeps_the_preview_tab(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = main_window
    _click(w, qtbot, f"{ECHO}/Teapot status.yaml")
    editor = w.current_editor()
    assert editor is not None and w.tabs.is_preview(editor)
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "?x=1")
    assert not w.tabs.is_preview(editor) and _titles(w) == ["● Teapot status"]
    _click(w, qtbot, f"{ECHO}/Echo query parameters.yaml")
    assert _titles(w) == ["● Teapot status", "Echo query parameters"]
    echo = w.current_editor()
    assert echo is not None and w.tabs.is_preview(echo)
    # Save (the editor's button): written, clean, and kept.
    qtbot.keyClicks(echo.url, "&y=2")
    qtbot.mouseClick(echo.save_button, Qt.MouseButton.LeftButton)
    assert not echo.is_dirty() and not echo.save_button.isEnabled() and not w.tabs.is_preview(echo)
    path = __import__("pathlib").Path(w.workspace_root) / ECHO / "Echo query parameters.yaml"
    assert "name: y" in path.read_text(encoding="utf-8")
    _click(w, qtbot, f"{ECHO}/Auth/Bearer token.yaml")
    assert _titles(w) == ["● Teapot status", "Echo query parameters", "Bearer token"]


def test_ctrl_s_saves_and_breadcrumb_selects_in_tree(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = main_window
    editor = w.open_request(ECHO, "Auth/Basic auth.yaml")
    assert editor is not None and not w.tabs.is_preview(editor)  # opened by the API: a normal tab
    assert editor.breadcrumb.parts() == [ECHO, "Auth", "Basic auth"]
    editor.breadcrumb.linkActivated.emit(f"{ECHO}/Auth")  # a click on "Auth" in the breadcrumb
    assert w.collections.selected_key() == f"{ECHO}/Auth"
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "?z=1")
    assert editor.save_button.isEnabled()
    qtbot.keyClick(editor.url, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not editor.is_dirty(), timeout=3000)
    assert not editor.save_button.isEnabled()


def test_long_titles_keep_a_readable_width(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from workbench.core.collections import Request
    from workbench.ui.widgets.request.request_tabs import MIN_TITLE_CHARS

    w = main_window
    for i in range(12):
        w.open_unsaved(Request(f"Echo query parameters number {i}", "GET", "http://h/"))
    bar = w.tabs.tabBar()
    readable = bar.fontMetrics().horizontalAdvance("Echo query pa…")
    for i in range(w.tabs.count()):
        assert bar.tabRect(i).width() >= readable, i
        assert w.tabs.tabToolTip(i).startswith(f"Echo query parameters number {i}\n")
    assert MIN_TITLE_CHARS >= 12


def test_closing_the_preview_tab_then_browsing_on(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = main_window
    _click(w, qtbot, f"{ECHO}/Teapot status.yaml")
    w.close_current_tab()
    qtbot.wait(10)  # the closed editor is deleted: the tabs must not hold on to it
    _click(w, qtbot, f"{ECHO}/Echo query parameters.yaml")
    editor = w.current_editor()
    assert _titles(w) == ["Echo query parameters"] and w.tabs.is_preview(editor)
