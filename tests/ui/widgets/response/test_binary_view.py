"""The Binary tab's hex dump of a body's first bytes."""

from __future__ import annotations

from workbench.ui.widgets.response.binary_view import BinaryView, hex_dump


def test_hex_dump_offsets_bytes_and_printable_text() -> None:
    lines = hex_dump(bytes(range(60, 80))).splitlines()
    assert lines[0] == "00000000  3c 3d 3e 3f 40 41 42 43 44 45 46 47 48 49 4a 4b  <=>?@ABCDEFGHIJK"
    assert lines[1] == "00000010  " + "4c 4d 4e 4f".ljust(47) + "  LMNO"  # a short last row keeps the text column
    assert hex_dump(b"\x00\xff") == "00000000  " + "00 ff".ljust(47) + "  .."


def test_save_button_asks_for_saving(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    view = BinaryView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.save_requested, timeout=1000):
        view.findChild(QPushButton).click()
