"""A hash of everything a build is made from, so an unchanged tree is not built twice.

Usage: python3 packaging/source_hash.py   prints a hex digest.
Covers pyproject.toml, the package, the resources and packaging/ itself (the spec, the scripts,
the desktop files), by path and content; caches and a user's state (__pycache__, .workbench/,
build output) are left out. `build.sh` stamps the digest into the build and skips a rebuild when
it matches; the packaging test keys its cached build by it too. Standard library only: it runs
before any venv exists.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("pyproject.toml", "workbench", "resources", "packaging")
SKIP_PARTS = {"__pycache__", ".workbench", "build", "dist"}
SKIP_SUFFIXES = {".pyc", ".pyo"}


def source_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in paths:
            rel = path.relative_to(root)
            if not path.is_file() or SKIP_PARTS & set(rel.parts) or path.suffix in SKIP_SUFFIXES:
                continue
            digest.update(rel.as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    digest.update(f"python{sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(source_hash())
