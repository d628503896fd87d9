"""Checks and save steps on a response: each kind, its message, a hostile body never raises."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.checks.evaluate import describe, run_checks, saved_values
from workbench.core.collections import Check, SaveStep
from workbench.core.sending.transport import Response

SPEC = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/items/{id}": {"get": {"responses": {
    "200": {"description": "ok", "content": {"application/json": {"schema": {
        "type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}}}}}}}


def _response(body: object, status: int = 200, ms: float = 12.0, ctype: str = "application/json") -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, "OK", "HTTP/1.1", (("Content-Type", ctype), ("ETag", '"v1"')), len(raw), ms, body=raw)


def _passed(checks: tuple[Check, ...], response: Response, **kw: object) -> list[bool]:
    return [r.passed for r in run_checks(checks, response, **kw)]  # type: ignore[arg-type]


def test_status_header_time_checks() -> None:
    resp = _response({"a": 1}, status=201)
    checks = (Check("status", expected="201"), Check("status", expected="2xx"), Check("status", expected="4xx"),
              Check("header", "etag", "exists"), Check("header", "ETag", "equals", '"v1"'),
              Check("header", "Location"), Check("time", op="below", expected="50"),
              Check("time", op="below", expected="5"), Check("status", expected="500", enabled=False))
    assert _passed(checks, resp) == [True, True, False, True, True, False, True, False]
    assert run_checks((Check("status", expected="4xx"),), resp)[0].message == "status 201, expected 4xx"


def test_json_path_equals_contains_exists_with_variables() -> None:
    resp = _response({"id": 42, "ok": True, "name": "Zoë", "tags": ["a", "b"], "items": [{"id": 1}, {"id": 2}]})
    checks = (Check("json", "$.id", "equals", "42"), Check("json", "$.id", "equals", "{{want}}"),
              Check("json", "$.ok", "equals", "true"), Check("json", "$.ok", "equals", "1"),
              Check("json", "$.name", "contains", "ë"), Check("json", "$.tags", "contains", "b"),
              Check("json", "$.items[*].id", "contains", "2"), Check("json", "$.items[?(@.id > 1)].id", "equals", "2"),
              Check("json", "$.missing"), Check("json", "$..[", "exists"))
    resolve = lambda text: text.replace("{{want}}", "41")  # noqa: E731
    results = run_checks(checks, resp, resolve)
    assert [r.passed for r in results] == [True, False, True, False, True, True, True, True, False, False]
    assert results[1].message == "$.id is 42" and "invalid JSON path" in results[9].message
    assert describe(checks[0]) == "$.id equals 42"


def test_a_body_that_is_not_json_fails_json_checks_without_raising() -> None:
    for body in (b"<html>", b"", b"[" * 100_000):
        results = run_checks((Check("json", "$.a"),), _response(body, ctype="text/html"))
        assert not results[0].passed and results[0].message


def test_contract_check_uses_the_imported_operation(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(SPEC), encoding="utf-8")
    check = (Check("contract"),)
    assert _passed(check, _response({"id": 3}), collection_dir=tmp_path, operation="get /items/{id}") == [True]
    bad = run_checks(check, _response({"id": "x"}), collection_dir=tmp_path, operation="get /items/{id}")
    assert not bad[0].passed and "$.id" in bad[0].message


def test_save_steps_take_json_and_headers_and_report_misses() -> None:
    values, problems = saved_values((SaveStep("id", "json", "$.id"), SaveStep("obj", "json", "$.o"),
                                     SaveStep("tag", "header", "etag"), SaveStep("no", "header", "X-None"),
                                     SaveStep("off", "json", "$.id", enabled=False)),
                                    _response({"id": 7, "o": {"k": "v"}}))
    assert values == {"id": "7", "obj": '{"k": "v"}', "tag": '"v1"'}
    assert [p.name for p in problems] == ["save no ← header X-None"] and not problems[0].passed
