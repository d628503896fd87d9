"""Every main screen rendered at 1400×900 and 1024×700, light and dark, offscreen (issue 14, "Proof").

Each render is checked for what a user sees in the first minute: no widget sticks out of its
parent (or a button too narrow for its text), disabled buttons look disabled, and the dark
theme is really dark (the light one really light). The screens are opened by `screens.py`,
the same code that draws the gallery in `docs/screens/`.
"""

from __future__ import annotations

from pathlib import Path

import peers
import pytest
from screens import (
    SIZES,
    copy_workspace,
    disabled_button_problems,
    layout_problems,
    luminance,
    pair_differs,
    screens,
)

# Clipping found at 1024×700 that is not fixed yet (issue 14, "Every screen fits 1024×700"): listed
# so the test fails on anything new. Each entry is a substring of a `layout_problems` line. Empty:
# the window is exactly 1024×700 (the request editor's Checks tab set its minimum height, see
# `checks_table.py`), and the query builder fits its dock.
KNOWN_AT_1024: tuple[str, ...] = ()

DARK_BELOW, LIGHT_ABOVE = 0.30, 0.70
#: Screens that are the main window itself (the others are dialogs or the metadata browser).
_MAIN = frozenset({"start", "query-builder", "query-builder-not-odata"}) | {
    f"request-{t}" for t in ("params", "headers", "body", "auth", "docs", "settings", "checks")} | {
    f"response-{t}" for t in ("pretty", "tree", "raw", "headers", "cookies", "timing", "contract")}


@pytest.fixture
def restore_theme(qapp):  # type: ignore[no-untyped-def]
    """Put the application's look back as other tests expect it (no theme applied)."""
    from workbench.ui.palette import LIGHT, set_current

    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    set_current(LIGHT)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_main_screens_fit_and_read_well(theme: str, qapp, qtbot, qasync_loop, restore_theme,  # type: ignore[no-untyped-def]
                                        tmp_path: Path, httpbin: peers.Peer) -> None:
    from workbench.ui.main_window import MainWindow
    from workbench.ui.theme import apply_theme

    palette = apply_theme(qapp, theme)
    assert palette.name == theme
    assert pair_differs(), "an enabled and a disabled button render the same pixels"
    window = MainWindow(str(copy_workspace(tmp_path / "ws", httpbin.url)))
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.startup_finished, timeout=10000)
    seen: list[str] = []
    failures: list[str] = []
    try:
        for size in SIZES:
            for name, widget in screens(window, size):
                where = f"{theme} {size[0]}x{size[1]} {name}"
                seen.append(name)
                image = widget.grab().toImage()
                light = luminance(image)
                if theme == "dark" and light >= DARK_BELOW:
                    failures.append(f"{where}: mean luminance {light:.2f}, not dark")
                if theme == "light" and light <= LIGHT_ABOVE:
                    failures.append(f"{where}: mean luminance {light:.2f}, not light")
                failures += [f"{where}: {p}" for p in disabled_button_problems(widget)]
                problems = layout_problems(widget)
                if name in _MAIN and widget.size().toTuple() != size:  # a minimum size pushed the window
                    problems.append(f"window is {widget.width()}x{widget.height()}, not {size[0]}x{size[1]}")
                elif widget.width() > size[0] or widget.height() > size[1]:
                    problems.append(f"window is {widget.width()}x{widget.height()}, larger than the screen")
                for problem in problems:
                    if size == (1024, 700) and any(known in f"{name}: {problem}" for known in KNOWN_AT_1024):
                        continue
                    failures.append(f"{where}: {problem}")
    finally:
        window.cancel_send()
        for editor in window.editors():
            editor.mark_saved(editor.to_model())
        window.close()
        window.deleteLater()
    for needed in ("start", "request-params", "request-auth", "request-body", "response-pretty", "response-headers",
                   "response-timing", "query-builder", "query-builder-not-odata",
                   "metadata-browser", "er-diagram", "runner", "environment-editor", "import-dialog",
                   "new-connection"):
        assert needed in seen, f"{needed} was not rendered (rendered: {sorted(set(seen))})"
    assert not failures, "\n".join(failures)


def test_the_layout_check_sees_clipping(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The check above is not vacuous: a child sticking out and a squeezed button are both reported."""
    from PySide6.QtWidgets import QPushButton, QWidget

    top = QWidget()
    qtbot.addWidget(top)
    top.resize(200, 120)
    inner = QWidget(top)
    inner.setGeometry(0, 0, 100, 100)
    out = QPushButton("Out", inner)
    out.setGeometry(80, 80, 60, 30)
    squeezed = QPushButton("+ Condition", top)
    squeezed.setGeometry(110, 0, 30, 28)
    top.show()
    found = layout_problems(top)
    assert any("'Out'" in p and "sticks out" in p for p in found), found
    assert any("'+ Condition'" in p and "needs" in p for p in found), found
