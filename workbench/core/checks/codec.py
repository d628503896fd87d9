"""A request's `checks:` and `save:` as written in its YAML file, short and readable in a diff.

    checks:
      - status: 2xx                  # or 201
      - header: Location             # present; `equals: …` compares the value
      - json: $.id
        exists: true                 # or `equals: 42`, `contains: blue`
      - time_below_ms: 500
      - contract: true               # the body against the imported operation's schema
    save:
      - variable: id
        json: $.id                   # or `header: ETag`

The file may come from a stranger (a shared repository): every entry is checked here and a bad
one is one StorageError naming the file, never a crash in the runner.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from workbench.core.collections import Check, CheckOp, SaveStep
from workbench.core.errors import StorageError

MAX_STEPS = 500  # per request; a hand-written file has a handful
_OPS: tuple[CheckOp, ...] = ("equals", "contains", "exists")


def _text(value: Any) -> str:
    """A YAML scalar as the text a check compares with (`42` → "42", `true` → "true")."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _number(text: str) -> float | int | str:
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def checks_to_yaml(checks: tuple[Check, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for check in checks:
        item: dict[str, Any]
        if check.kind == "status":
            item = {"status": int(check.expected) if check.expected.isdigit() else check.expected}
        elif check.kind == "time":
            item = {"time_below_ms": _number(check.expected)}
        elif check.kind == "contract":
            item = {"contract": True}
        else:
            item = {check.kind: check.target}
            op = check.op or "exists"
            item[op] = True if op == "exists" else check.expected
        if not check.enabled:
            item["enabled"] = False
        out.append(item)
    return out


def _check_from_yaml(item: Any, where: str) -> Check:
    if not isinstance(item, Mapping):
        raise StorageError(f"{where}: each entry of `checks` must be a mapping such as `status: 200`")
    enabled = bool(item.get("enabled", True))
    if "status" in item:
        expected = _text(item["status"]).strip().lower()
        if not (expected.isdigit() or (len(expected) == 3 and expected[0].isdigit() and expected[1:] == "xx")):
            raise StorageError(f"{where}: checks: status must be a code such as 200 or a class such as 2xx, "
                               f"not {item['status']!r}")
        return Check("status", expected=expected, enabled=enabled)
    if "time_below_ms" in item:
        value = item["time_below_ms"]
        if isinstance(value, str):
            value = _number(value.strip())
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise StorageError(f"{where}: checks: time_below_ms must be a positive number, not {value!r}")
        return Check("time", op="below", expected=_text(value), enabled=enabled)
    if "contract" in item:
        return Check("contract", enabled=enabled and bool(item["contract"]))
    for kind in ("header", "json"):
        if kind in item:
            target = item[kind]
            if not isinstance(target, str) or not target.strip():
                raise StorageError(f"{where}: checks: `{kind}` needs a {'header name' if kind == 'header' else 'JSON path'}")
            op = next((o for o in _OPS if o in item), "exists")
            if kind == "header" and op == "contains":
                raise StorageError(f"{where}: checks: a header check is `exists` or `equals`")
            expected = "" if op == "exists" else _text(item[op])
            return Check(kind, target.strip(), op, expected, enabled)  # type: ignore[arg-type]
    keys = ", ".join(str(k) for k in item) or "nothing"
    raise StorageError(f"{where}: checks: unknown check ({keys}); use status, header, json, time_below_ms or contract")


def checks_from_yaml(data: Any, where: str) -> tuple[Check, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise StorageError(f"{where}: `checks` must be a list")
    if len(data) > MAX_STEPS:
        raise StorageError(f"{where}: more than {MAX_STEPS} checks")
    return tuple(_check_from_yaml(item, where) for item in data)


def save_to_yaml(steps: tuple[SaveStep, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for step in steps:
        item: dict[str, Any] = {"variable": step.variable, step.source: step.path}
        if not step.enabled:
            item["enabled"] = False
        out.append(item)
    return out


def save_from_yaml(data: Any, where: str) -> tuple[SaveStep, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise StorageError(f"{where}: `save` must be a list")
    if len(data) > MAX_STEPS:
        raise StorageError(f"{where}: more than {MAX_STEPS} save steps")
    steps = []
    for item in data:
        if not isinstance(item, Mapping) or not isinstance(item.get("variable"), str) or not item["variable"].strip():
            raise StorageError(f"{where}: each entry of `save` needs a `variable` name")
        source = "json" if "json" in item else "header" if "header" in item else ""
        if not source or not isinstance(item[source], str) or not item[source].strip():
            raise StorageError(f"{where}: save: {item['variable']!r} needs `json: PATH` or `header: NAME`")
        steps.append(SaveStep(item["variable"].strip(), source, item[source].strip(),  # type: ignore[arg-type]
                              bool(item.get("enabled", True))))
    return tuple(steps)
