"""`checks:` and `save:` in a request file: round trip through storage, bad entries name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.collections import Check, Collection, Request, SaveStep
from workbench.core.errors import StorageError
from workbench.core.workspace import storage

CHECKS = (Check("status", expected="2xx"), Check("status", expected="201"), Check("header", "Location", "exists"),
          Check("header", "Content-Type", "equals", "application/json"), Check("json", "$.id", "equals", "42"),
          Check("json", "$.tags", "contains", "{{tag}}"), Check("json", "$.name", "exists", enabled=False),
          Check("time", "", "below", "500"), Check("contract"))
SAVES = (SaveStep("id", "json", "$.id"), SaveStep("etag", "header", "ETag", enabled=False))


def test_checks_and_saves_round_trip(tmp_path: Path) -> None:
    storage.save_collection(tmp_path, Collection("C", requests=(Request("r", "POST", "http://x", checks=CHECKS,
                                                                          save=SAVES),)))
    text = (tmp_path / "C" / "r.yaml").read_text(encoding="utf-8")
    assert "- status: 2xx" in text and "- status: 201" in text and "time_below_ms: 500" in text
    loaded = storage.load_workspace(tmp_path).collections[0].requests[0]
    assert loaded.checks == CHECKS and loaded.save == SAVES


def test_short_forms_and_scalars_are_read_as_text() -> None:
    request = storage.request_from_yaml({"name": "r", "url": "u", "checks": [
        {"status": 200}, {"json": "$.n", "equals": 3}, {"json": "$.b", "equals": True}, {"header": "ETag"},
        {"time_below_ms": "250"}]})
    assert [c.expected for c in request.checks] == ["200", "3", "true", "", "250"]
    assert request.checks[3] == Check("header", "ETag", "exists")


@pytest.mark.parametrize("checks", [
    [{"status": "ok"}], [{"time_below_ms": -1}], [{"json": ""}], [{"header": "X", "contains": "y"}],
    [{"script": "pm.test()"}], "status: 200", [42]])
def test_bad_checks_are_one_storage_error(checks: object) -> None:
    with pytest.raises(StorageError, match="r.yaml"):
        storage.request_from_yaml({"name": "r", "url": "u", "checks": checks}, "r.yaml")


def test_bad_save_steps_are_one_storage_error() -> None:
    for save in ([{"json": "$.id"}], [{"variable": "id"}], {"variable": "id"}):
        with pytest.raises(StorageError, match="save"):
            storage.request_from_yaml({"name": "r", "url": "u", "save": save}, "r.yaml")
