"""Checking a response against what the API promised: its OpenAPI operation or OData entity type.

Postman, Insomnia and Bruno show a body; they do not say that it breaks the contract. Here a
response to an imported OpenAPI operation is checked for (OpenAPI 3.1 §4.8.16-17, Responses and
Response Objects):

1. its status code is declared (exact code, then an `NXX` range, then `default`);
2. its media type is one the response declares (wildcards such as `application/*` allowed);
3. its body is valid against that media type's schema (JSON Schema 2020-12; the importer's
   `load_operation_contract` has already rewritten OpenAPI 3.0/2.0 dialect such as
   `nullable` into it).

An OData collection or entity is checked against its entity type from `$metadata` (OData CSDL
4.01 §6-7, JSON Format §7.1): every member is a declared property (unless the type is open),
primitive values have the JSON shape of their Edm type, and non-nullable properties are not
null. Each violation carries the JSON path of the value it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

ViolationKind = Literal["status", "content-type", "body", "schema", "entity"]
MAX_VIOLATIONS = 200


@dataclass(frozen=True, slots=True)
class Violation:
    """One way the response breaks its contract; `path` is a JSONPath ("" for status/headers)."""

    kind: ViolationKind
    message: str
    path: str = ""


@dataclass(frozen=True, slots=True)
class ContractReport:
    """The outcome of one check: what was checked against, what passed, what broke."""

    source: str
    checked: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.violations


def json_path(parts: Iterable[Any]) -> str:
    """`["value", 3, "name"]` → `$.value[3].name` (bracket notation for odd names)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", str(part)):
            out += f".{part}"
        else:
            out += "['" + str(part).replace("'", "\\'") + "']"
    return out


_PATH_PART = re.compile(r"\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def parse_json_path(path: str) -> list[str | int]:
    """`$.value[3]['a b']` → `["value", 3, "a b"]` (the paths `json_path` writes)."""
    parts: list[str | int] = []
    pos = 1 if path.startswith("$") else 0
    while pos < len(path):
        m = _PATH_PART.match(path, pos)
        if m is None:
            break
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif m.group(2) is not None:
            parts.append(int(m.group(2)))
        else:
            parts.append(m.group(3).replace("\\'", "'"))
        pos = m.end()
    return parts


def _path_key(parts: Iterable[Any]) -> list[tuple[int, Any]]:
    return [(0, p) if isinstance(p, int) else (1, str(p)) for p in parts]


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def pick_status(responses: dict[str, Any], status: int) -> str | None:
    """The declared response key that covers `status`: exact, then `4XX`, then `default`."""
    if str(status) in responses:
        return str(status)
    wanted = f"{str(status)[0]}XX"
    for key in responses:
        if key.upper() == wanted:
            return key
    return "default" if "default" in responses else None


def pick_media(declared: Iterable[str], content_type: str) -> str | None:
    """The declared media type matching the response's (exact, `type/*`, `*/*`)."""
    actual = _media_type(content_type)
    names = list(declared)
    for name in names:
        if _media_type(name) == actual:
            return name
    major = actual.split("/")[0]
    for name in names:
        if _media_type(name) == f"{major}/*":
            return name
    for name in names:
        if _media_type(name) == "*/*":
            return name
    return None


def _is_json(media: str) -> bool:
    media = _media_type(media)
    return media == "application/json" or media.endswith("+json") or media == "text/json"


def check_openapi(contract: dict[str, Any], status: int, content_type: str, body: Any = None,
                  has_body: bool = False, body_error: str = "") -> ContractReport:
    """Check one response against a contract from `openapi.load_operation_contract`.

    `body` is the parsed JSON body (ignored when `has_body` is False); `body_error` says why a
    JSON body could not be parsed.
    """
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    operation = str(contract.get("operation") or "operation")
    source = f"OpenAPI {contract.get('openapi') or ''} · {operation}".replace("  ", " ")
    responses: dict[str, Any] = contract.get("responses") or {}
    checked: list[str] = []
    violations: list[Violation] = []
    notes: list[str] = []
    key = pick_status(responses, status)
    declared_codes = ", ".join(responses) or "none"
    if key is None:
        violations.append(Violation("status", f"Status {status} is not declared (declared: {declared_codes})."))
        return ContractReport(source, tuple(checked), tuple(violations))
    checked.append(f"status {status} is declared" + (f" (as {key})" if key != str(status) else ""))
    media_map: dict[str, Any] = responses.get(key) or {}
    if not media_map:
        if has_body:
            violations.append(Violation("content-type", f"Response {key} declares no body, but one was sent"
                                        f" ({_media_type(content_type) or 'no content type'})."))
        else:
            checked.append("no body, as declared")
        return ContractReport(source, tuple(checked), tuple(violations))
    if not has_body:
        notes.append(f"No body received; response {key} declares {', '.join(media_map)}.")
        return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))
    media = pick_media(media_map, content_type)
    if media is None:
        violations.append(Violation("content-type", f"Content type {_media_type(content_type) or '(none)'} is not"
                                    f" declared for {key} (declared: {', '.join(media_map)})."))
        return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))
    checked.append(f"content type {_media_type(content_type)} is declared" + (f" (as {media})" if media != _media_type(content_type) else ""))
    schema = media_map.get(media) or {}
    if not schema or set(schema) <= {"$schema"}:
        notes.append(f"No schema declared for {key} {media}: the body is not checked.")
        return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))
    if not _is_json(content_type) and not _is_json(media):
        notes.append(f"The body ({_media_type(content_type)}) is not JSON: only JSON bodies are checked against the schema.")
        return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))
    if body_error:
        violations.append(Violation("body", f"The body is not valid JSON: {body_error}"))
        return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))
    try:
        validator = Draft202012Validator(schema)
        errors = sorted(validator.iter_errors(body), key=lambda e: (_path_key(e.absolute_path), e.message))
    except (SchemaError, Exception) as exc:  # noqa: BLE001 - a broken schema is reported, not raised
        notes.append(f"The declared schema cannot be used: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
        return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))
    for error in errors[:MAX_VIOLATIONS]:
        violations.append(Violation("schema", _schema_message(error), json_path(error.absolute_path)))
    if len(errors) > MAX_VIOLATIONS:
        notes.append(f"{len(errors) - MAX_VIOLATIONS} more schema violations not listed.")
    checked.append(f"body checked against the {key} {media} schema")
    return ContractReport(source, tuple(checked), tuple(violations), tuple(notes))


def _schema_message(error: Any) -> str:
    message = str(error.message)
    if len(message) > 300:
        message = message[:300] + "…"
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)))
        message += f" (e.g. {str(best.message)[:160]})"
    return message


def check_request_contract(collection_dir: str | Path, operation: str, status: int, content_type: str,
                           body: Any = None, has_body: bool = False, body_error: str = "") -> ContractReport | None:
    """Check against the imported descriptor of a collection; None when the operation is unknown."""
    try:
        from workbench.core.openapi.contract import load_operation_contract
    except ImportError:
        return None
    contract = load_operation_contract(Path(collection_dir), operation)
    if contract is None:
        return None
    return check_openapi(contract, status, content_type, body, has_body, body_error)


# --------------------------------------------------------------------------- OData
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})\Z")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\Z")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_DURATION = re.compile(r"-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?\Z")
_INT_RANGES = {"Edm.Byte": (0, 255), "Edm.SByte": (-128, 127), "Edm.Int16": (-32768, 32767),
               "Edm.Int32": (-2**31, 2**31 - 1), "Edm.Int64": (-2**63, 2**63 - 1)}


def _primitive_problem(edm: str, value: Any) -> str:
    """Why `value` is not a JSON value of Edm type `edm` (OData JSON Format 4.01 §7.1), or ""."""
    if edm in _INT_RANGES:
        low, high = _INT_RANGES[edm]
        if isinstance(value, str) and edm == "Edm.Int64" and re.fullmatch(r"-?\d+", value):
            return ""  # IEEE754Compatible=true writes Int64 as a string
        if not isinstance(value, int) or isinstance(value, bool):
            return f"expected an integer ({edm}), got {type(value).__name__}"
        if not low <= value <= high:
            return f"{value} is out of range for {edm}"
        return ""
    if edm in ("Edm.Decimal", "Edm.Double", "Edm.Single"):
        if isinstance(value, bool):
            return f"expected a number ({edm}), got boolean"
        if isinstance(value, (int, float)):
            return ""
        if isinstance(value, str) and (value in ("INF", "-INF", "NaN") or re.fullmatch(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", value)):
            return ""  # special values, or IEEE754Compatible decimals as strings
        return f"expected a number ({edm}), got {type(value).__name__}"
    if edm == "Edm.Boolean":
        return "" if isinstance(value, bool) else f"expected true or false, got {type(value).__name__}"
    checks = {"Edm.Date": _DATE, "Edm.DateTimeOffset": _DATETIME, "Edm.TimeOfDay": _TIME, "Edm.Guid": _GUID,
              "Edm.Duration": _DURATION}
    if edm in checks:
        if not isinstance(value, str):
            return f"expected a string ({edm}), got {type(value).__name__}"
        return "" if checks[edm].match(value) else f"{value!r} is not a valid {edm}"
    if edm in ("Edm.String", "Edm.Binary", "Edm.Stream"):
        return "" if isinstance(value, str) else f"expected a string ({edm}), got {type(value).__name__}"
    return ""  # geography, untyped, unknown: not checked


def check_odata(model: Any, entity_set: str, body: Any, max_violations: int = MAX_VIOLATIONS) -> ContractReport:
    """Check an OData collection (`{"value": [...]}`) or single entity against `entity_set`'s type."""
    entity_type = model.entity_type_of_set(entity_set) if entity_set else None
    if entity_type is None:
        return ContractReport(f"OData · {entity_set or '?'}", notes=(
            f"The metadata has no entity set or singleton named {entity_set!r}: nothing to check against.",))
    source = f"OData entity type {entity_type.qualified_name}"
    violations: list[Violation] = []
    if isinstance(body, dict) and isinstance(body.get("value"), list):
        rows = [(["value", i], row) for i, row in enumerate(body["value"])]
        what = f"{len(rows)} entities"
    elif isinstance(body, dict):
        rows = [([], body)]
        what = "the entity"
    else:
        return ContractReport(source, violations=(Violation("entity", "The body is neither an entity nor a collection."),))
    for path, row in rows:
        _check_structured(model, entity_type, row, path, violations, max_violations)
        if len(violations) >= max_violations:
            break
    notes = (f"Stopped after {max_violations} violations.",) if len(violations) >= max_violations else ()
    return ContractReport(source, (f"{what} checked: member names, value types, nullability",),
                          tuple(violations[:max_violations]), notes)


def _check_structured(model: Any, stype: Any, value: Any, path: list[Any], out: list[Violation], limit: int) -> None:
    if not isinstance(value, dict):
        out.append(Violation("entity", f"expected an object ({stype.qualified_name}), got {type(value).__name__}",
                             json_path(path)))
        return
    cast = value.get("@odata.type") or value.get("@type")
    if isinstance(cast, str):  # a derived type (OData JSON §4.5.3)
        derived = model.structured_type(cast.lstrip("#"))
        if derived is not None:
            stype = derived
    properties = {p.name: p for p in model.all_properties(stype)}
    navigation = {n.name: n for n in model.all_navigation_properties(stype)}
    open_type = getattr(stype, "open_type", False)
    for name, item in value.items():
        if len(out) >= limit:
            return
        if "@" in name:
            continue  # control information and instance annotations
        where = path + [name]
        prop = properties.get(name)
        if prop is None:
            nav = navigation.get(name)
            if nav is not None:
                target = model.entity_type(nav.type)
                if target is None or item is None:
                    continue
                if nav.collection:
                    if not isinstance(item, list):
                        out.append(Violation("entity", f"navigation property {name} is to-many: expected an array",
                                             json_path(where)))
                    else:
                        for i, sub in enumerate(item[:1000]):
                            _check_structured(model, target, sub, where + [i], out, limit)
                else:
                    _check_structured(model, target, item, where, out, limit)
                continue
            if not open_type:
                out.append(Violation("entity", f"{name} is not a property of {stype.qualified_name}", json_path(where)))
            continue
        _check_property(model, prop, item, where, out, limit)


def _check_property(model: Any, prop: Any, item: Any, where: list[Any], out: list[Violation], limit: int) -> None:
    if item is None:
        if not prop.nullable and not prop.collection:
            out.append(Violation("entity", f"{prop.name} is not nullable (Nullable=false) but is null", json_path(where)))
        return
    values: list[tuple[list[Any], Any]]
    if prop.collection:
        if not isinstance(item, list):
            out.append(Violation("entity", f"{prop.name} is {prop.type_name}: expected an array", json_path(where)))
            return
        values = [(where + [i], v) for i, v in enumerate(item)]
    else:
        values = [(where, item)]
    named = model.find_type(prop.type) if not prop.type.startswith("Edm.") else None
    for at, v in values:
        if len(out) >= limit:
            return
        if named is None:
            problem = _primitive_problem(prop.type, v)
            if not problem and isinstance(v, str) and isinstance(prop.max_length, int) and len(v) > prop.max_length:
                problem = f"{len(v)} characters, longer than MaxLength {prop.max_length}"
            if problem:
                out.append(Violation("entity", f"{prop.name}: {problem}", json_path(at)))
            continue
        kind = type(named).__name__
        if kind in ("ComplexType", "EntityType"):
            _check_structured(model, named, v, at, out, limit)
        elif kind == "EnumType":
            members = {m.name for m in named.members}
            if isinstance(v, str):
                parts = [p.strip() for p in v.split(",")] if named.is_flags else [v]
                bad = [p for p in parts if p not in members and not p.lstrip("-").isdigit()]
                if bad:
                    out.append(Violation("entity", f"{prop.name}: {bad[0]!r} is not a member of {named.qualified_name}",
                                         json_path(at)))
            elif not isinstance(v, int) or isinstance(v, bool):
                out.append(Violation("entity", f"{prop.name}: expected an enum member name", json_path(at)))
        elif kind == "TypeDefinition":
            problem = _primitive_problem(named.underlying_type, v)
            if problem:
                out.append(Violation("entity", f"{prop.name}: {problem}", json_path(at)))
