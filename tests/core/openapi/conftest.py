"""OpenAPI test fixtures: the smallest descriptor that shows a rule, written to tmp_path as a user's file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[..., Path]:
    """`write_spec(spec, name="spec.yaml")`: a dict as YAML (or JSON for a .json name), a str as is."""

    def write(spec: dict[str, Any] | str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        if isinstance(spec, str):
            path.write_text(spec, encoding="utf-8")
        elif name.endswith(".json"):
            path.write_text(json.dumps(spec), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        return path

    return write
