"""`workbench export`: a Postman v2.1 file, and a one-line error for a folder that is no collection."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_export_writes_postman_json(tmp_path: Path, echo_collection: Path, cli: Cli) -> None:
    out = tmp_path / "out.json"
    result = cli("export", str(echo_collection), "--out", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text())
    assert doc["info"]["schema"].endswith("v2.1.0/collection.json")
    assert {i["name"] for i in doc["item"]} == {"get", "teapot"}
    bad = cli("export", str(tmp_path))
    assert bad.returncode == 2 and "collection.yaml" in bad.stderr
