"""Running a request's checks and save steps against the response that came back.

The runner's verdict on one response: each `Check` becomes a `CheckResult` with a message a
user reads in the run's table or a CI log ("$.id: expected 42, got 41"). Save steps pull a
value out for the requests that follow (create, then read what was created), as newman's
`pm.collectionVariables.set` does in a test script, but declared instead of scripted. The body
comes from a stranger: it is parsed once, within a size bound, and a bad one fails the check
with a message instead of raising.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from workbench.core.collections import Check, SaveStep
from workbench.core.sending.transport import Response

MAX_JSON_BYTES = 64 * 1024 * 1024  # JSON checks on a bigger body fail instead of parsing it
_NOTHING = object()


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check (or save step) on one response: `name` says what was asserted."""

    name: str
    passed: bool
    message: str = ""


def describe(check: Check) -> str:
    """A check in words, for tables and JUnit: "status is 2xx", "$.id equals 42"."""
    if check.kind == "status":
        return f"status is {check.expected}"
    if check.kind == "time":
        return f"response time below {check.expected} ms"
    if check.kind == "contract":
        return "body matches the operation's contract"
    what = f"header {check.target}" if check.kind == "header" else check.target
    if check.op in ("", "exists"):
        return f"{what} exists"
    return f"{what} {check.op} {check.expected}"


def describe_save(step: SaveStep) -> str:
    return f"save {step.variable} ← {'header ' if step.source == 'header' else ''}{step.path}"


@functools.lru_cache(maxsize=256)
def _compiled(path: str) -> Any:
    from jsonpath_ng.ext.parser import parse

    return parse(path)


@dataclass
class _Body:
    """The response body parsed as JSON at most once, shared by every check of one response."""

    response: Response
    value: Any = _NOTHING
    error: str = ""
    parsed: bool = field(default=False)

    def json(self) -> tuple[Any, str]:
        if not self.parsed:
            self.parsed = True
            if self.response.size > MAX_JSON_BYTES:
                self.error = f"the body ({self.response.size} bytes) is too large for JSON checks"
            elif not self.response.size:
                self.error = "the response has no body"
            else:
                try:
                    self.value = json.loads(self.response.read_body())
                except (ValueError, RecursionError) as exc:
                    self.error = f"the body is not JSON ({str(exc)[:120]})"
                except OSError as exc:
                    self.error = f"the body could not be read ({exc})"
        return self.value, self.error

    def find(self, path: str) -> tuple[list[Any], str]:
        document, error = self.json()
        if error:
            return [], error
        try:
            return [m.value for m in _compiled(path).find(document)], ""
        except Exception as exc:  # noqa: BLE001 - jsonpath-ng raises bare Exceptions for bad paths
            return [], f"invalid JSON path {path!r} ({str(exc)[:120]})"


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "…"


def _equal(actual: Any, expected: str) -> bool:
    """`actual` (a JSON value) equals the expected text: "42" matches 42, "true" matches true."""
    if isinstance(actual, str):
        return actual == expected
    try:
        wanted = json.loads(expected)
    except ValueError:
        return False
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return isinstance(actual, bool) and isinstance(wanted, bool) and actual == wanted
    return bool(actual == wanted)


def _contains(actual: Any, expected: str) -> bool:
    if isinstance(actual, str):
        return expected in actual
    if isinstance(actual, list):
        return any(_equal(item, expected) for item in actual)
    if isinstance(actual, dict):
        return expected in actual
    return False


def _status(check: Check, status: int, expected: str) -> CheckResult:
    name = describe(check)
    wanted = expected.strip().lower()
    if wanted.endswith("xx") and len(wanted) == 3:
        ok = str(status)[0] == wanted[0]
    else:
        ok = wanted == str(status)
    return CheckResult(name, ok, "" if ok else f"status {status}, expected {expected}")


def _contract(response: Response, body: _Body, collection_dir: str | Path | None, operation: str) -> CheckResult:
    name = "body matches the operation's contract"
    if not operation or not collection_dir:
        return CheckResult(name, False, "no contract: the request was not imported from an OpenAPI operation")
    from workbench.core.response.contract import check_request_contract

    document, error = body.json() if response.content_type.endswith("json") else (None, "")
    report = check_request_contract(collection_dir, operation, response.status, response.content_type,
                                    None if error else document, response.size > 0,
                                    "" if error == "the response has no body" else error)
    if report is None:
        return CheckResult(name, False, f"no contract for operation {operation!r} (its descriptor is gone?)")
    if report.ok:
        return CheckResult(name, True)
    first = report.violations[0]
    more = f" (+{len(report.violations) - 1} more)" if len(report.violations) > 1 else ""
    return CheckResult(name, False, f"{first.path + ': ' if first.path else ''}{first.message}{more}")


def run_checks(checks: tuple[Check, ...], response: Response, resolve: Callable[[str], str] = str,
               collection_dir: str | Path | None = None, operation: str = "") -> tuple[CheckResult, ...]:
    """Each enabled check on `response`; `resolve` fills `{{variables}}` in expected values."""
    body = _Body(response)
    results: list[CheckResult] = []
    for check in checks:
        if not check.enabled:
            continue
        expected = resolve(check.expected)
        name = describe(check)
        if check.kind == "status":
            results.append(_status(check, response.status, expected))
        elif check.kind == "time":
            try:
                limit = float(expected)
            except ValueError:
                results.append(CheckResult(name, False, f"{expected!r} is not a number of milliseconds"))
                continue
            ok = response.elapsed_ms < limit
            results.append(CheckResult(name, ok, "" if ok else f"took {response.elapsed_ms:.0f} ms"))
        elif check.kind == "contract":
            results.append(_contract(response, body, collection_dir, operation))
        elif check.kind == "header":
            value = response.header(check.target)
            if value is None:
                results.append(CheckResult(name, False, f"no {check.target} header"))
            elif check.op == "equals" and value.strip() != expected.strip():
                results.append(CheckResult(name, False, f"{check.target}: {_show(value)}"))
            else:
                results.append(CheckResult(name, True))
        else:
            values, error = body.find(check.target)
            if error:
                results.append(CheckResult(name, False, error))
            elif not values:
                results.append(CheckResult(name, False, f"{check.target} matched nothing"))
            elif check.op in ("", "exists"):
                results.append(CheckResult(name, True))
            else:
                actual = values[0] if len(values) == 1 else values
                ok = _equal(actual, expected) if check.op == "equals" else _contains(actual, expected)
                results.append(CheckResult(name, ok, "" if ok else f"{check.target} is {_show(actual)}"))
    return tuple(results)


def saved_values(steps: tuple[SaveStep, ...], response: Response) -> tuple[dict[str, str], tuple[CheckResult, ...]]:
    """The variables the enabled save steps take from `response`, and a failed result per step that found nothing."""
    body = _Body(response)
    values: dict[str, str] = {}
    problems: list[CheckResult] = []
    for step in steps:
        if not step.enabled:
            continue
        if step.source == "header":
            header = response.header(step.path)
            if header is None:
                problems.append(CheckResult(describe_save(step), False, f"no {step.path} header"))
            else:
                values[step.variable] = header
            continue
        found, error = body.find(step.path)
        if error or not found:
            problems.append(CheckResult(describe_save(step), False, error or f"{step.path} matched nothing"))
            continue
        value = found[0]
        values[step.variable] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return values, tuple(problems)
