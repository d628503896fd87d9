"""Request bodies: the media type to send and a body that passes the operation's own schema.

OpenAPI 3's Request Body and Media Type Objects (OAS 3.1 §4.8.13, §4.8.14: `example`/`examples`,
`encoding`) and Swagger 2.0's `in: body` / `formData` parameters. A descriptor's example that
breaks its own schema is replaced by a sample (`samples.py`): what we import should be valid
as it is. Apart from the operations because bodies own the schema validators, which the sample
generator also uses to check its own samples.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any, Callable

from workbench.core.collections import Body, FormPart, KeyValue
from workbench.core.errors import SpecImportError
from workbench.core.openapi.bundle import dump_json
from workbench.core.openapi.contract import self_contained
from workbench.core.openapi.descriptor import Descriptor, as_map, one_line_join
from workbench.core.openapi.quick_check import surely_valid
from workbench.core.openapi.samples import (
    SampleGenerator,
    pattern_is_checkable,
    strip_cuts,
    to_text,
)


class RequestBodies:
    """Builds request bodies (and the `Accept` header) from one descriptor.

    It owns the descriptor's `samples`: the generator checks its samples against the schema with
    this class's validators (`sample_fits`). `param_sample` is the operation's sample for one
    parameter, which Swagger 2.0 `formData` fields are.
    """

    def __init__(self, descriptor: Descriptor, param_sample: Callable[[Mapping[str, Any]], Any]) -> None:
        self.doc = descriptor.doc
        self.v2 = descriptor.v2
        self.dialect = descriptor.dialect
        self.refs = descriptor.refs
        self.warn = descriptor.warn
        self.deref = descriptor.deref
        self.param_sample = param_sample
        self.samples = SampleGenerator(self.refs, openapi30=self.dialect != "3.1", check=self.sample_fits,
                                       warn=self.warn)
        self._validators: dict[object, Any] = {}  # by `_fingerprint` of the schema, else by id
        self._problems: dict[tuple[bytes, bytes], str | None] = {}

    def accept(self, op: Mapping[str, Any]) -> str:
        responses = op.get("responses")
        if not isinstance(responses, Mapping):
            return ""
        by_key = {str(k): v for k, v in responses.items()}
        keys = sorted(by_key, key=lambda k: (not k.startswith("2"), k))
        for key in keys:
            if not (key.startswith("2") or key == "default"):
                continue
            if self.v2:
                response = self.deref(by_key[key], "responses")
                if isinstance(response, Mapping) and response.get("schema") is not None:
                    produces = op.get("produces") or self.doc.get("produces") or []
                    return _prefer_json([str(p) for p in produces]) if produces else ""
                continue
            response = self.deref(by_key[key], "responses")
            content = response.get("content") if isinstance(response, Mapping) else None
            if isinstance(content, Mapping) and content:
                return _prefer_json([str(c) for c in content])
        return ""

    def media_example(self, media: Mapping[str, Any], where: str) -> tuple[bool, Any]:
        if "example" in media and media["example"] is not None:
            return True, media["example"]
        examples = media.get("examples")
        if isinstance(examples, Mapping):
            for name, raw in examples.items():
                example = self.deref(raw, where)
                if isinstance(example, Mapping):
                    if "value" in example:
                        return True, example["value"]
                    if example.get("externalValue"):
                        self.warn(f"{where}: example {name!r} is external ({example['externalValue']}); "
                                  "a sample from the schema is used instead")
        return False, None

    def body_v3(self, raw: Any, where: str) -> Body:
        request_body = self.deref(raw, where)
        if not isinstance(request_body, Mapping):
            return Body()
        content = request_body.get("content")
        if not isinstance(content, Mapping) or not content:
            return Body()
        media_type = _pick_media_type([str(c) for c in content])
        media = self.deref(content[media_type], where)
        media = as_map(media)
        schema = as_map(media.get("schema"))
        found, example = self.media_example(media, where)
        if found and (problem := self.example_problem(schema, example)):
            self.warn(f"{where}: the descriptor's request example breaks its own schema ({problem}); "
                      "a sample built from the schema is used instead")
            found = False
        if not found:
            example = strip_cuts(self.samples.sample(schema, "request", where))
        encoding = as_map(media.get("encoding"))
        return self.make_body(media_type, example, schema, where, encoding)

    def sample_fits(self, schema: Mapping[str, Any], value: Any) -> bool:
        return self.example_problem(schema, value) is None

    def example_problem(self, schema: Any, example: Any) -> str | None:
        """Why `example` fails `schema` (JSON Schema validation, formats included), or None.

        Answers are kept per (schema, example) by content, validators per schema by content:
        Stripe repeats the same inline `anyOf` (`metadata`, `expand`, range filters) in hundreds
        of operations, as distinct objects; building a validator (its self-contained copy) cost
        more than validating. Equal JSON text within one descriptor means equal `$ref` targets too.
        """
        if not isinstance(schema, Mapping) or not schema:
            return None
        key = _fingerprint(schema)
        pair = None
        if key is not None:
            shown = _fingerprint(example)
            if shown is not None:
                pair = (key, shown)
                if pair in self._problems:
                    return self._problems[pair]
        problem = self._problem(schema, example, key if key is not None else id(schema))
        if pair is not None:
            self._problems[pair] = problem
        return problem

    def _problem(self, schema: Mapping[str, Any], example: Any, key: object) -> str | None:
        validator = self._validators.get(key)
        if validator is _UNCHECKED:
            return None
        if validator is None:
            try:
                if _validation_cost(schema, self._follow) > MAX_VALIDATION_COST:
                    self.warn("a schema branches too much (oneOf/anyOf/allOf nested inside each other) to be "
                              "validated in bounded time: its examples and samples are used unchecked")
                    self._validators[key] = _UNCHECKED
                    return None
                holder = self_contained(self.doc, schema, self.refs, self.dialect != "3.1")
                if _drop_unsafe_patterns(holder, dry_run=True):
                    holder = copy.deepcopy(holder)  # the holder may share nodes with the descriptor
                skipped = _drop_unsafe_patterns(holder)
                _drop_read_only_required(holder)
            except (RecursionError, TypeError, ValueError):
                return None
            except Exception:  # noqa: BLE001 - as below: checking an example is best effort
                return None
            if skipped:
                self.warn(f"pattern {skipped[0][:80]!r} could backtrack without end (or is invalid): "
                          "examples are not checked against it")
            validator = _Pending(holder)
            self._validators[key] = validator
        if isinstance(validator, _Pending):
            # Most values are proven valid without jsonschema (its import alone is ~65 ms):
            # only what the quick check cannot prove reaches jsonschema, whose verdict stands.
            if surely_valid(validator.holder, example):
                return None
            validator = self._validators[key] = self._jsonschema_validator(validator.holder)
            if validator is _UNCHECKED:
                return None
        return self._first_error(validator, example)

    @staticmethod
    def _jsonschema_validator(holder: dict[str, Any]) -> Any:
        import jsonschema

        try:
            return jsonschema.Draft202012Validator(holder, format_checker=_format_checker())
        except Exception:  # noqa: BLE001 - a stranger's schema; checking an example is best effort
            return _UNCHECKED

    @staticmethod
    def _first_error(validator: Any, example: Any) -> str | None:
        """jsonschema's best error of `example`, as one line, or None when valid or unjudgeable."""
        import jsonschema
        import referencing.exceptions

        try:
            error = jsonschema.exceptions.best_match(validator.iter_errors(example))
        except (jsonschema.exceptions.SchemaError, referencing.exceptions.Unresolvable,
                RecursionError, TypeError, ValueError):
            return None
        except Exception:  # noqa: BLE001 - a stranger's malformed schema breaks jsonschema in many
            return None  # ways (KeyError, AttributeError…); checking an example is best effort
        if error is None:
            return None
        where = ".".join(map(str, error.absolute_path)) or "body"
        return f"{where}: {error.message[:160]}"

    def _follow(self, node: Any) -> Any:
        """`node` with its `$ref`s followed, or None when they lead nowhere."""
        try:
            return self.refs.deref(node)
        except SpecImportError:
            return None

    def body_v2(self, op: Mapping[str, Any], body_params: list[Mapping[str, Any]],
                form_params: list[Mapping[str, Any]], where: str) -> Body:
        consumes = [str(c) for c in (op.get("consumes") or self.doc.get("consumes") or [])]
        if body_params:
            param = body_params[0]
            schema = as_map(param.get("schema"))
            media_type = _pick_media_type(consumes) if consumes else "application/json"
            example_set = as_map(param.get("x-examples"))
            if media_type in example_set:
                example = example_set[media_type]
            elif isinstance(schema, Mapping) and "example" in schema:
                example = schema["example"]
            else:
                example = strip_cuts(self.samples.sample(schema, "request", where))
            return self.make_body(media_type, example, schema, where, {})
        if form_params:
            multipart = any(p.get("type") == "file" for p in form_params) or \
                (any(c.startswith("multipart/") for c in consumes) and
                 not any(c == "application/x-www-form-urlencoded" for c in consumes[:1]))
            if multipart:
                parts = []
                for p in form_params:
                    value = "sample" if p.get("type") == "file" else to_text(self.param_sample(p))
                    ctype = "application/octet-stream" if p.get("type") == "file" else ""
                    parts.append(FormPart(str(p["name"]), value, "", ctype, bool(p.get("required"))))
                return Body("multipart", "multipart/form-data", parts=tuple(parts))
            rows = [KeyValue(str(p["name"]), to_text(self.param_sample(p)), bool(p.get("required")),
                             one_line_join(p.get("description"))) for p in form_params]
            return Body("form", "application/x-www-form-urlencoded", form=tuple(rows))
        return Body()

    def make_body(self, media_type: str, example: Any, schema: Mapping[str, Any], where: str,
                  encoding: Mapping[str, Any]) -> Body:
        lower = media_type.lower()
        target = self.refs.deref(schema) if isinstance(schema, Mapping) else {}
        keys = set(example) if isinstance(example, Mapping) else set()
        required = self.required_names(target, keys, 0)
        if lower == "application/x-www-form-urlencoded":
            rows = []
            if isinstance(example, Mapping):
                for key, value in example.items():
                    style = as_map(encoding.get(key)).get("style")
                    for row_name, row_value in _form_rows(str(key), value, deep=style == "deepObject"):
                        # Like parameters: required fields enabled, optional ones present but disabled.
                        rows.append(KeyValue(row_name, row_value, key in required,
                                             self.property_description(target, key)))
            return Body("form", media_type, form=tuple(rows))
        if lower.startswith("multipart/form-data"):
            parts = []
            props = target.get("properties") if isinstance(target, Mapping) else {}
            if isinstance(example, Mapping):
                for key, value in example.items():
                    prop = self.refs.deref(props.get(key)) if isinstance(props, Mapping) and props.get(key) else {}
                    is_file = isinstance(prop, Mapping) and (prop.get("format") in ("binary", "base64") or
                                                             prop.get("contentMediaType") is not None)
                    enc = as_map(encoding.get(key))
                    ctype = str(enc.get("contentType") or ("application/octet-stream" if is_file else ""))
                    if isinstance(value, (dict, list)) and not ctype:
                        ctype = "application/json"
                    parts.append(FormPart(str(key), to_text(value) if ctype != "application/json"
                                          else dump_json(value), "", ctype.split(",")[0].strip(),
                                          key in required))
            return Body("multipart", media_type, parts=tuple(parts))
        if _is_json(lower) or lower == "*/*":
            if isinstance(example, str) and example.strip()[:1] in ("{", "["):
                text = example
            else:
                text = dump_json(example, indent=True) if example is not None else "{}"
            return Body("raw", "application/json" if lower == "*/*" else media_type, text=text)
        if "xml" in lower:
            root = (target.get("xml") or {}).get("name") if isinstance(target, Mapping) and \
                isinstance(target.get("xml"), Mapping) else None
            root = root or _schema_name(schema) or "root"
            text = example if isinstance(example, str) else _to_xml(str(root), example)
            return Body("raw", media_type, text=text)
        if isinstance(example, str):
            return Body("raw", media_type, text=example)
        if example is None:
            return Body("raw", media_type, text="")
        if lower.startswith("text/"):
            return Body("raw", media_type, text=to_text(example))
        return Body("raw", media_type, text=dump_json(example) if isinstance(example, (dict, list))
                    else to_text(example))

    def required_names(self, schema: Any, keys: set[str], depth: int) -> set[str]:
        """Required properties of an object schema, through allOf and the oneOf/anyOf branch the
        sample came from (Iceberg's token request is a oneOf of form bodies)."""
        schema = self.refs.deref(schema) if isinstance(schema, Mapping) else None
        if not isinstance(schema, Mapping) or depth > 8:
            return set()
        declared = schema.get("required")
        names = {n for n in declared if isinstance(n, str)} if isinstance(declared, list) else set()
        for part in _list(schema.get("allOf")):
            names |= self.required_names(part, keys, depth + 1)
        for key in ("oneOf", "anyOf"):
            for branch in _list(schema.get(key)):
                branch_names = self.required_names(branch, keys, depth + 1)
                if branch_names and branch_names <= keys:
                    names |= branch_names
                    break
        return names

    def property_description(self, schema: Any, key: str) -> str:
        if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping):
            prop = schema["properties"].get(key)
            prop = self.refs.deref(prop) if isinstance(prop, Mapping) else None
            if isinstance(prop, Mapping):
                return one_line_join(prop.get("description"))
        return ""


_FORMATS: Any = None


MAX_FINGERPRINT_NODES = 2000  # objects and arrays in a schema or example shared by content


def _fingerprint(value: Any) -> bytes | None:
    """`value` as JSON text in its own key order, or None when that text could stand for another value.

    orjson writes NaN and infinities as `null` and a date as its ISO string, so any `null` and
    any non-JSON type (dates from YAML, non-string keys, huge integers) opt out of sharing.
    """
    import orjson

    # Bounded first: YAML aliases can share nodes so that the text would be exponentially long.
    budget = MAX_FINGERPRINT_NODES
    stack = [value]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            return None
        if isinstance(node, dict):
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    try:
        text = orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
                            | orjson.OPT_PASSTHROUGH_SUBCLASS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    if text == b"null" or b":null" in text or b",null" in text or b"[null" in text:
        return None
    return text


def _drop_unsafe_patterns(schema: Any, dry_run: bool = False) -> list[str]:
    """Remove `pattern`s that `re` could not run in bounded time (`^(a+)+$`); returns them.

    jsonschema matches with Python's backtracking `re` and no time limit, so such a pattern
    would hang the import on a crafted example. Works in place on the validator's own copy.
    """
    dropped: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if "pattern" in node and not (isinstance(pattern, str) and pattern_is_checkable(pattern)):
                dropped.append(str(pattern))
                if not dry_run:
                    del node["pattern"]
            props = node.get("patternProperties")
            if isinstance(props, dict):
                for key in [k for k in props if not pattern_is_checkable(str(k))]:
                    dropped.append(str(key))
                    if not dry_run:
                        del props[key]
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return dropped


MAX_VALIDATION_COST = 20_000  # schemas that may apply to one node of a value, at worst
_UNCHECKED: Any = object()  # a schema too branchy to validate (see _validation_cost)


class _Pending:
    """A schema's validator-to-be: its self-contained copy, built into a jsonschema validator
    only when `quick_check` cannot prove a value valid."""

    __slots__ = ("holder",)

    def __init__(self, holder: dict[str, Any]) -> None:
        self.holder = holder


def _local_target(holder: Mapping[str, Any], node: Any) -> Any:
    """`node` with its `#/…` `$ref`s followed inside the validator's self-contained `holder`."""
    for _ in range(8):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            break
        found: Any = holder
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            found = found.get(token) if isinstance(found, dict) else None
        node = found
    return node


def _validation_cost(schema: Any, follow: Callable[[Any], Any]) -> int:
    """How many schemas may apply to one node of a value during validation, at worst (saturating).

    jsonschema tries every branch of a oneOf/anyOf (oneOf must prove that only one matches), so
    choices nested inside choices multiply: ten levels of twelve branches never finish. Branches
    that apply to the same value add up; a property or item is another value, so only the most
    expensive child counts. A recursive `$ref` counts once (the value's own depth bounds it).
    Measured on the descriptor's own nodes, before the validator's copy multiplies shared ones.
    """
    memo: dict[int, int] = {}
    active: set[int] = set()
    same_value = ("not", "if", "then", "else", "dependentSchemas")
    child_value = ("items", "additionalProperties", "contains", "propertyNames", "unevaluatedProperties",
                   "unevaluatedItems", "additionalItems")

    def cost(node: Any, depth: int) -> int:
        node = follow(node)
        if not isinstance(node, Mapping) or depth > 64:
            return 1
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:
            return 1
        active.add(key)
        total, child = 1, 0
        for name, value in node.items():
            if name in ("oneOf", "anyOf", "allOf") and isinstance(value, list):
                total += sum(cost(v, depth + 1) for v in value)
            elif name in same_value and isinstance(value, Mapping):
                total += cost(value, depth + 1)
            elif name in ("properties", "patternProperties") and isinstance(value, Mapping):
                child = max([child, *(cost(v, depth + 1) for v in value.values())])
            elif name in child_value or name == "prefixItems":
                values = value if isinstance(value, list) else [value]
                child = max([child, *(cost(v, depth + 1) for v in values)])
            if total > MAX_VALIDATION_COST:
                break
        active.discard(key)
        memo[key] = total = min(total + child, MAX_VALIDATION_COST + 1)
        return total

    return cost(schema, 0)


def _drop_read_only_required(holder: dict[str, Any]) -> None:
    """Request side: a required `readOnly` property is required in responses only (OAS 3.0.3
    §4.7.24.5 Fixed Fields, readOnly), so the validator must not miss it in a request body.

    Prism strips such properties before it validates a request. Works on the validator's own copy
    (`_to_json_schema` built new nodes); `$ref`s are followed inside that copy.
    """
    def target(node: Any) -> Any:
        return _local_target(holder, node)

    stack: list[Any] = [holder]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props, required = node.get("properties"), node.get("required")
            if isinstance(props, dict) and isinstance(required, list):
                node["required"] = [n for n in required if not (isinstance(n, str) and isinstance(
                    target(props.get(n)), dict) and target(props.get(n)).get("readOnly") is True)]
            stack.extend(v for k, v in node.items() if isinstance(v, (dict, list)) and k not in _VALUES)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


_VALUES = frozenset({"example", "examples", "default", "enum", "const"})  # data, shared with the descriptor


def _format_checker() -> Any:
    """jsonschema's format checker plus the formats validating servers (ajv, Prism) insist on."""
    global _FORMATS
    if _FORMATS is None:
        import jsonschema

        checker = jsonschema.FormatChecker()
        absolute = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
        date_time = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$")
        checker.checks("uri")(lambda v: not isinstance(v, str) or bool(absolute.match(v)))
        checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(date_time.match(v)))
        _FORMATS = checker
    return _FORMATS


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip()
    return base in ("application/json", "text/json") or base.endswith("+json") or base.endswith("/json")


def _prefer_json(types: list[str]) -> str:
    for t in types:
        if _is_json(t.lower()):
            return t
    return types[0] if types else ""


def _pick_media_type(types: list[str]) -> str:
    """JSON first (validated and edited best), then forms, XML, text, anything else."""
    lowered = [(t, t.lower().split(";")[0].strip()) for t in types]
    checks = (_is_json, lambda t: t == "application/x-www-form-urlencoded",
              lambda t: t.startswith("multipart/form-data"), lambda t: "xml" in t, lambda t: t.startswith("text/"))
    for check in checks:
        for original, low in lowered:
            if check(low):
                return original
    return types[0]


def _form_rows(name: str, value: Any, deep: bool = False) -> list[tuple[str, str]]:
    """Form fields for a nested value: objects as `a[b]`, arrays repeated (`form`, explode) or
    indexed `a[0]` under `style: deepObject` (OAS 3 Encoding Object; how Stripe reads them)."""
    if isinstance(value, Mapping):
        rows = []
        for k, v in value.items():
            rows.extend(_form_rows(f"{name}[{k}]", v, deep))
        return rows or [(name, "")]
    if isinstance(value, list):
        if not deep and all(not isinstance(v, (Mapping, list)) for v in value):
            return [(name, to_text(v)) for v in value] or [(name, "")]
        rows = []
        for i, v in enumerate(value):
            rows.extend(_form_rows(f"{name}[{i}]", v, deep))
        return rows
    return [(name, to_text(value))]


def _schema_name(schema: Any) -> str:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    return ""


def _to_xml(tag: str, value: Any) -> str:
    from xml.sax.saxutils import escape as xml_escape

    tag = re.sub(r"[^\w.-]", "_", tag) or "root"
    if isinstance(value, Mapping):
        inner = "".join(_to_xml(str(k), v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        return "".join(_to_xml(tag, v) for v in value)
    return f"<{tag}>{xml_escape(to_text(value))}</{tag}>"


def _list(value: Any) -> list[Any]:
    """`allOf`/`oneOf`/`anyOf` as written by a stranger: anything but a list holds no schemas."""
    return value if isinstance(value, list) else []
