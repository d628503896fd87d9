"""Render the app icon (resources/icons/app.svg) as the hicolor PNG sizes a desktop looks for.

Usage: python packaging/render_icons.py OUT_DIR ICON_NAME
writes OUT_DIR/hicolor/<N>x<N>/apps/ICON_NAME.png for every size in SIZES and
OUT_DIR/hicolor/scalable/apps/ICON_NAME.svg. Qt itself draws them (QSvgRenderer on the offscreen
platform), so a build needs nothing beyond the venv it already has: no rsvg, no ImageMagick.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
SOURCE = Path(__file__).resolve().parents[1] / "resources" / "icons" / "app.svg"


def render(out_dir: Path, name: str) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - painting needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    scalable = out_dir / "hicolor" / "scalable" / "apps" / f"{name}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    return [*written, scalable]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write("usage: render_icons.py OUT_DIR ICON_NAME\n")
        sys.exit(2)
    render(Path(sys.argv[1]), sys.argv[2])
