"""Connection templates: a platform's connection (auth, headers, environments, facts) as data.

A user of Bizagi, Workflow Server, Frends, Bizagi Datasets or Jitterbit types only what their
platform asks for (server, project, access keys) and gets a collection that authenticates the
way that platform wants: the grant, the client authentication, the extra headers. Each
template is a YAML file under `resources/templates/`, so a new platform is a new file, not new
code. A template applies to a new collection, or to an existing one (an imported descriptor
whose requests should use the platform's auth).

Typed values go into the collection's own environment as variables (secrets into the secret
store); the collection refers to them as `{{name}}`, so switching environment switches server
and keys. `facts` (e.g. Jitterbit's `$top` limit) land in the collection's `meta` as
`fact.<name>`, where `odata check` and the query builder read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from workbench.core.collections import Collection, Environment, KeyValue
from workbench.core.context.selection import choose_environment
from workbench.core.errors import StorageError
from workbench.core.workspace import storage

FACT_PREFIX = "fact."
_NAME = re.compile(r"[A-Za-z_][\w.\-]*\Z")


@dataclass(frozen=True, slots=True)
class Field:
    """One value the user types when applying a template."""

    name: str
    label: str
    example: str = ""
    secret: bool = False
    required: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    """A platform's connection, read from `resources/templates/<id>.yaml`."""

    id: str
    name: str
    description: str
    fields: tuple[Field, ...]
    environments: tuple[str, ...]
    collection: Mapping[str, Any]
    facts: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a template wrote."""

    collection: str
    collection_path: str
    environments: tuple[str, ...]
    created: bool


def _folder() -> Any:
    return resources.files("workbench.resources") / "templates"


def _parse(template_id: str, data: Any) -> Template:
    where = f"template {template_id}"
    if not isinstance(data, Mapping) or not isinstance(data.get("collection"), Mapping):
        raise StorageError(f"{where}: needs a `collection` mapping")
    fields = []
    for item in data.get("fields") or []:
        if not isinstance(item, Mapping) or not _NAME.match(str(item.get("name", ""))):
            raise StorageError(f"{where}: each field needs a variable-like `name`")
        fields.append(Field(str(item["name"]), str(item.get("label") or item["name"]), str(item.get("example") or ""),
                            bool(item.get("secret")), bool(item.get("required"))))
    envs = tuple(str(e) for e in data.get("environments") or ["Production"])
    facts = {str(k): str(v) for k, v in (data.get("facts") or {}).items()}
    return Template(template_id, str(data.get("name") or template_id), " ".join(str(data.get("description") or "").split()),
                    tuple(fields), envs, data["collection"], facts)


def list_templates() -> list[Template]:
    """Every template shipped in `resources/templates/`, by name."""
    found = []
    for entry in _folder().iterdir():
        if entry.name.endswith(".yaml"):
            template_id = entry.name[: -len(".yaml")]
            with resources.as_file(entry) as path:
                found.append(_parse(template_id, storage.read_yaml(Path(path))))
    return sorted(found, key=lambda t: t.name.lower())


def find_template(wanted: str) -> Template:
    """A template by id or name, case-insensitively (`jitterbit-app-builder`, "Frends API management")."""
    templates = list_templates()
    for template in templates:
        if wanted.casefold() in (template.id.casefold(), template.name.casefold()):
            return template
    prefix = [t for t in templates if t.id.casefold().startswith(wanted.casefold())]
    if len(prefix) == 1:
        return prefix[0]
    names = ", ".join(t.id for t in templates)
    raise StorageError(f"no connection template {wanted!r}" + (" (ambiguous)" if prefix else "") + f": have {names}")


def parse_assignments(items: list[str], template: Template) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """`--set KEY=VALUE` (the first environment) and `--set ENV.KEY=VALUE` (that environment)."""
    values: dict[str, str] = {}
    per_env: dict[str, dict[str, str]] = {}
    known = {f.name for f in template.fields}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise StorageError(f"--set expects KEY=VALUE, got {item!r}")
        env, dot, field = key.rpartition(".")
        if dot and env in template.environments:
            per_env.setdefault(env, {})[field] = value
            key = field
        else:
            values[key] = value
        if key not in known:
            raise StorageError(f"template {template.id!r} has no field {key!r} (fields: {', '.join(sorted(known))})")
    return values, per_env


def _rows(data: Any, where: str) -> tuple[KeyValue, ...]:
    if not data:
        return ()
    return tuple(storage.rows_from_yaml(data, where))


def _collection(template: Template, values: Mapping[str, str], name: str) -> Collection:
    spec = template.collection
    where = f"template {template.id}"
    requests = tuple(replace(storage.request_from_yaml(item, "", where),
                             path=f"{storage.sanitize_name(str(item.get('name', 'request')), 'request')}.yaml")
                     for item in spec.get("requests") or [] if isinstance(item, Mapping))
    meta = {"template": template.id, **{FACT_PREFIX + k: v for k, v in template.facts.items()}}
    title = name or str(spec.get("name") or template.name).format_map(_Blank(values))
    return Collection(title, requests=requests, variables=_rows(spec.get("variables"), where),
                      auth=storage.auth_from_yaml(spec.get("auth"), "none", where),
                      headers=_rows(spec.get("headers"), where), docs=template.description, meta=meta)


class _Blank(dict[str, str]):
    """`str.format_map` that leaves unknown names empty (a collection title like "Bizagi {project}")."""

    def __missing__(self, key: str) -> str:
        return ""


def apply_template(template: Template, workspace_root: str | Path, values: Mapping[str, str], *,
                   per_environment: Mapping[str, Mapping[str, str]] | None = None, collection: str = "",
                   name: str = "") -> Applied:
    """Write the template's collection (or apply it to the existing `collection`) and its environments.

    `values` fill the first environment (the one chosen for the collection); `per_environment`
    fills named ones. Missing required fields are bad input, listed by label, before anything
    is written.
    """
    per_environment = per_environment or {}
    first = template.environments[0]
    missing = [f.label for f in template.fields if f.required
               and not (values.get(f.name) or per_environment.get(first, {}).get(f.name))]
    if missing:
        raise StorageError(f"template {template.id!r} needs: {', '.join(missing)} (--set NAME=VALUE)")
    root = Path(workspace_root)
    workspace = storage.init_workspace(root)
    made = _collection(template, values, name)
    existing = workspace.collection(collection) if collection else None
    if collection and existing is None:
        raise StorageError(f"{root}: no collection {collection!r} to apply the template to")
    if existing is not None:
        kept = {v.name for v in made.variables}
        saved = storage.save_collection_settings(root, replace(
            existing, auth=made.auth,
            headers=tuple(h for h in existing.headers if h.name.lower() not in {m.name.lower() for m in made.headers})
            + made.headers,
            variables=tuple(v for v in existing.variables if v.name not in kept) + made.variables,
            meta={**dict(existing.meta), **dict(made.meta)}))
    else:
        taken = {c.name for c in workspace.collections}
        title, n = made.name, 2
        while title in taken:
            title, n = f"{made.name} {n}", n + 1
        saved = storage.save_collection(root, replace(made, name=title))
    secret = frozenset(f.name for f in template.fields if f.secret)
    written = []
    for index, env_name in enumerate(template.environments):
        typed = {**(values if index == 0 else {}), **per_environment.get(env_name, {})}
        rows = tuple(KeyValue(f.name, typed.get(f.name, ""), True, f.label) for f in template.fields)
        current = saved.environment(env_name)
        if current is not None:  # applying again: typed values replace, others stay
            old = {v.name: v for v in current.variables}
            rows = tuple(r if typed.get(r.name) else old.get(r.name, r) for r in rows) + tuple(
                v for v in current.variables if v.name not in {r.name for r in rows})
        env = Environment(env_name, rows, secret, current.path if current is not None else "")
        written.append(storage.save_environment(root, env, saved.path).name)
    choose_environment(root, saved.path, first)
    return Applied(saved.name, saved.path, tuple(written), existing is None)


def fact(collection: Collection | None, name: str) -> str:
    """A platform fact a template recorded on the collection ("" when none)."""
    return collection.meta.get(FACT_PREFIX + name, "") if collection is not None else ""
