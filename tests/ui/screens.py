"""The main screens of the window, opened one after the other and rendered: shared by
`tests/ui/test_screens.py` (which checks each render) and `docs/screens/make.py` (the gallery).

One place opens the screens so that the gallery shows exactly what the test checked. Each
screen is a `(name, widget)` pair: the widget to grab is the main window or the dialog/top-level
window the screen is. Nothing here asserts; `layout_problems`, `disabled_button_problems` and
`luminance` are the measurements the test asserts on.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QPushButton,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample-workspace"
CSDL = ROOT / "tests" / "data" / "csdl" / "constructs-v4.xml"
ECHO = "Getting started"
SIZES = ((1400, 900), (1024, 700))


def settle(ms: int = 30) -> None:
    """Let layouts, deferred timers and paints run."""
    loop = QEventLoop()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QApplication.processEvents()


def wait_until(check: Callable[[], bool], timeout_s: float = 15.0) -> bool:
    import time

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if check():
            return True
        settle(20)
    return check()


def copy_workspace(target: Path, httpbin_url: str) -> Path:
    """The sample workspace with its "Local echo" environment pointed at `httpbin_url`."""
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py", ".workbench"))
    env_file = target / ECHO / "environments" / "Local echo.yaml"
    env_file.write_text(f"name: Local echo\nvariables:\n- name: baseUrl\n  value: {httpbin_url}\n", encoding="utf-8")
    return target


def _fit(widget: QWidget, size: tuple[int, int]) -> None:
    """A dialog keeps its own size, but never larger than the screen being simulated."""
    hint = widget.size().expandedTo(widget.sizeHint())
    widget.resize(min(hint.width(), size[0]), min(hint.height(), size[1]))


def screens(window, size: tuple[int, int]) -> Iterator[tuple[str, QWidget]]:  # type: ignore[no-untyped-def]
    """Open each main screen of `window` (a shown MainWindow over `copy_workspace`) at `size`."""
    from workbench.ui.widgets.odata.metadata_browser import open_metadata_browser
    from workbench.ui.widgets.workspace.environment_editor import EnvironmentEditor

    window.resize(*size)
    window.cancel_send()
    for editor in window.editors():
        editor.mark_saved(editor.to_model())
    while window.tabs.count():
        window.close_tab(0, ask=False)
    settle(60)
    yield "start", window

    window.collections.select_key(ECHO)
    window.env_combo.setCurrentText("Local echo")
    editor = window.open_request(ECHO, "Echo query parameters.yaml")
    assert editor is not None
    # A reopened request shows its last response; its body is parsed off the UI thread: wait for it.
    wait_until(lambda: not window.response.is_loading())
    settle(60)
    for index in range(editor.sections.count()):
        editor.sections.setCurrentIndex(index)
        settle()
        yield f"request-{editor.sections.tabText(index).split(' ')[0].lower()}", window
    editor.sections.setCurrentIndex(0)

    # the response tabs, after a real send
    window.send_current()
    wait_until(lambda: not window.is_sending() and window.response.tabs.isVisible())
    settle(150)
    tabs = window.response.tabs
    for index in range(tabs.count()):
        if not tabs.isTabVisible(index):
            continue
        tabs.setCurrentIndex(index)
        settle()
        yield f"response-{tabs.tabText(index).split(' ')[0].lower()}", window
    tabs.setCurrentIndex(0)

    # query builder dock, filled from a CSDL model
    window.query_builder  # noqa: B018 - installs the dock
    from PySide6.QtWidgets import QDockWidget

    dock = window.findChild(QDockWidget, "query-builder-dock")
    browser = open_metadata_browser(window, str(CSDL))
    browser.hide()
    wait_until(lambda: browser.model is not None and not browser.is_loading())
    model = browser.model
    root = "http://localhost:4004/odata/v4/constructs"
    if dock is not None and model is not None:
        dock.show()
        settle(60)
        yield "query-builder-not-odata", window  # the Echo request: no OData sign, nothing fetched
        from workbench.core.collections import Request

        request = Request(name="Orders", method="GET", url=f"{root}/Orders?$top=5&$expand=Customer",
                          meta={"odata_service": root})
        window.query_builder.remember_model(root, model)
        window.open_unsaved(request)
        settle(60)
        yield "query-builder", window
        dock.hide()
        window.close_tab(window.tabs.currentIndex(), ask=False)
        settle()

    # metadata browser and ER diagram
    browser.resize(*size)
    browser.show()
    browser.raise_()
    _select_first_entity_set(browser)
    browser.tabs.setCurrentIndex(0)
    settle(60)
    yield "metadata-browser", browser
    browser.tabs.setCurrentIndex(1)
    settle(120)
    yield "er-diagram", browser
    browser.close()

    # dialogs
    runner = window.run_collection(ECHO)
    if runner is not None:
        _fit(runner, size)
        settle(60)
        yield "runner", runner
        runner.close()
    echo = window.collection_of(ECHO)  # as Environment → Manage shows them: shared and the collection's own
    envs = EnvironmentEditor(window.workspace_root, (*window.workspace.environments, *echo.environments), window,
                             active="Local echo")
    envs.show()
    _fit(envs, size)
    settle(60)
    yield "environment-editor", envs
    envs.close()
    envs.deleteLater()
    importer = window.import_spec()
    _fit(importer, size)
    settle(60)
    yield "import-dialog", importer
    importer.close()
    connection = window.new_connection()
    _fit(connection, size)
    settle(60)
    yield "new-connection", connection
    connection.close()
    settle()


def _select_first_entity_set(browser, name: str = "Orders") -> None:  # type: ignore[no-untyped-def]
    """Select entity set `name` (one with relations, for the diagram), else the first one."""
    if browser.navigate_to_entity_set(name):
        return
    from workbench.core.csdl.model import EntitySet
    from workbench.ui.models.csdl_tree import ObjectRole

    model = browser.tree.model()
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop(0)
        if isinstance(index.data(ObjectRole), EntitySet):
            browser.tree.setCurrentIndex(index)
            return
        if model.canFetchMore(index):
            model.fetchMore(index)
        stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))


# -- measurements ------------------------------------------------------------------------------

def _is_viewport(parent: QWidget) -> bool:
    scroll = parent.parentWidget()
    return isinstance(scroll, QAbstractScrollArea) and scroll.viewport() is parent


def layout_problems(top: QWidget) -> list[str]:
    """Visible widgets that lie outside their parent's visible area, and buttons too narrow for their text.

    Scroll-area viewports may clip their contents (that is what scrolling is for); everything
    else must fit. Returned as readable lines: `Class 'text' (object name) in Parent: why`.
    """
    problems = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or widget.width() <= 0 or widget.height() <= 0:
            continue
        if widget.window() is not top:
            continue
        parent = widget.parentWidget()
        if parent is None or _is_viewport(parent) or parent.isWindow() and parent is not top:
            continue
        if type(widget).__name__ in ("QScrollBar", "QToolBarExtension", "QSizeGrip", "QFocusFrame"):
            continue
        mine = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        theirs = QRect(parent.mapTo(top, QPoint(0, 0)), parent.size())
        outside = mine.intersected(theirs)
        if outside != mine and (mine.width() - outside.width() > 2 or mine.height() - outside.height() > 2):
            problems.append(f"{_name(widget)} in {_name(parent)}: {mine.width()}x{mine.height()} at "
                            f"({mine.x()},{mine.y()}) sticks out of {theirs.width()}x{theirs.height()} at "
                            f"({theirs.x()},{theirs.y()})")
        if isinstance(widget, QAbstractButton) and widget.text().strip():
            need = widget.minimumSizeHint().width() if isinstance(widget, QPushButton) else widget.sizeHint().width()
            if widget.width() + 2 < need:
                problems.append(f"{_name(widget)}: {widget.width()} px wide, its text needs {need} px")
    return problems


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    label = f" {text!r}" if text else ""
    obj = f" #{widget.objectName()}" if widget.objectName() and not widget.objectName().startswith("qt_") else ""
    return f"{type(widget).__name__}{label}{obj}"


def disabled_button_problems(top: QWidget) -> list[str]:
    """Disabled push buttons that render the same pixels as when enabled (each checked in place)."""
    problems = []
    for button in top.findChildren(QPushButton):
        if not button.isVisible() or button.isEnabled() or button.window() is not top:
            continue
        disabled = button.grab().toImage()
        button.setEnabled(True)
        enabled = button.grab().toImage()
        button.setEnabled(False)
        if disabled == enabled:
            problems.append(f"{_name(button)} looks enabled while disabled")
    return problems


def pair_differs() -> bool:
    """An enabled and a disabled QPushButton of the same text differ in their pixels."""
    holder = QWidget()
    a, b = QPushButton("Save", holder), QPushButton("Save", holder)
    b.move(0, 40)
    b.setEnabled(False)
    holder.resize(120, 80)
    differ = a.grab().toImage() != b.grab().toImage()
    holder.deleteLater()
    return differ


def luminance(image: QImage) -> float:
    """Mean relative luminance (0 black … 1 white) of `image`, sampled on a 64×40 grid."""
    small = image.scaled(QSize(64, 40), Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    total = 0.0
    for y in range(small.height()):
        for x in range(small.width()):
            c = small.pixelColor(x, y)
            total += 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()
    return total / (small.width() * small.height())
