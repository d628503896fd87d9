"""The frozen app's entry point: the same `workbench` command the wheel installs.

PyInstaller needs a script rather than an entry point; this one only hands over to
`workbench.cli.main`, so the window and every sub-command behave as they do from a venv.
"""

import sys

from workbench.cli import main

if __name__ == "__main__":
    sys.exit(main())
