"""The layering rule: nothing under workbench.core imports PySide6 or qasync.

Checked in a fresh interpreter (this test process has Qt loaded already by the UI tests), by
importing every module of the package and looking at sys.modules afterwards.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import workbench.core


def test_core_modules_do_not_import_qt() -> None:
    names = sorted(m.name for m in pkgutil.walk_packages(workbench.core.__path__, prefix="workbench.core."))
    assert "workbench.core.workspace.storage" in names and "workbench.core.sending.transport" in names and len(names) >= 10
    code = (
        "import importlib, json, sys\n"
        f"names = {names!r}\n"
        "for n in names: importlib.import_module(n)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_cli_send_does_not_load_qt() -> None:
    code = ("import sys, workbench.cli, workbench.commands.send, workbench.commands.codegen\n"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
