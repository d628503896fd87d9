"""Draw the gallery in docs/screens/: every main screen, light and dark, at 1400×900 and 1024×700.

    .venv/bin/python docs/screens/make.py [--check]

Uses the screens of `tests/ui/screens.py` (the ones `tests/ui/test_screens.py` checks) against a
local httpbin started as the test suite starts it, over a copy of the sample workspace, with
user data in a temporary folder. `--check` also prints what the test's checks find per screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui"), str(ROOT / "tests" / "servers")]


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    check = "--check" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_DATA_HOME"] = os.environ["WORKBENCH_DATA_DIR"] = str(Path(tmp) / "data")
        import asyncio

        import peers
        import qasync  # type: ignore[import-untyped]
        from PySide6.QtWidgets import QApplication
        from screens import SIZES, copy_workspace, disabled_button_problems, layout_problems, luminance, screens

        from workbench.ui.app import quiet_offscreen_warnings
        from workbench.ui.main_window import MainWindow
        from workbench.ui.theme import apply_theme

        from workbench.core.workspace import secrets

        secrets.set_backend(secrets.MemoryBackend())  # nothing of this run reaches the user's keyring
        quiet_offscreen_warnings()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        loop = qasync.QEventLoop(app, already_running=True)
        asyncio.set_event_loop(loop)
        httpbin = peers.start_httpbin()
        try:
            for theme in ("light", "dark"):
                apply_theme(app, theme)  # type: ignore[arg-type]
                window = MainWindow(str(copy_workspace(Path(tmp) / f"ws-{theme}", httpbin.url)))
                window.show()
                from screens import wait_until

                wait_until(lambda: bool(window.startup_finished))
                for size in SIZES:
                    for name, widget in screens(window, size):
                        image = widget.grab().toImage()
                        out = HERE / f"{name}-{size[0]}x{size[1]}-{theme}.png"
                        if size == SIZES[0] or name in ("start", "request-params", "query-builder", "runner"):
                            image.save(str(out), "PNG")
                        if check:
                            found = layout_problems(widget) + disabled_button_problems(widget)
                            print(f"{theme} {size[0]}x{size[1]} {name}: luminance {luminance(image):.2f}")
                            for problem in found:
                                print(f"    {problem}")
                window.cancel_send()
                for editor in window.editors():
                    editor.mark_saved(editor.to_model())
                window.close()
        finally:
            httpbin.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
