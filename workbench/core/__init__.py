"""Everything a user can do, without Qt: the UI and the CLI are two thin faces of this package.

Nothing below `workbench.core` may import PySide6 or qasync (tests/core/test_no_qt.py checks it).
"""
