"""pyproject.toml names every package of `workbench/`: a sub-package it forgets is missing from the wheel."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "workbench").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    assert all(re.fullmatch(r"workbench(\.\w+)*", name) for name in listed)
