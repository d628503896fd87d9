"""The Qt face of the workbench: windows, widgets and item models over `workbench.core` values.

Widgets turn forms into core values and show core values; they never parse, persist or send
on their own — they call core entry points, long ones as tasks on the qasync loop.
"""

import sys as _sys

if _sys.version_info < (3, 12):
    # PySide6 6.12 on Python 3.11 drops one reference to None on every call of a Qt method
    # returning void (QLabel.setText, QSyntaxHighlighter.setFormat, QPainter.setPen, ...), and
    # to True/False on calls through Python overrides returning bool (a model's hasChildren),
    # so a long session (or one big document) ends in "Fatal Python error: none_dealloc" or
    # "bool_dealloc". Python 3.12 makes these immortal (PEP 683); do the same here by giving
    # them a reference count no session can use up. ob_refcnt is the first PyObject field.
    import ctypes as _ctypes

    for _singleton in (None, True, False):
        _ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
