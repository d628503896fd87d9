"""Requests made from metadata: "New request" on an entity set and "Generate collection".

A user who has just found an entity set in the browser wants to call it at once: list it, read
one entity by key, create one with a body that already has the right property names and
types, update and delete. The URLs follow OData URL Conventions (v4 §4.3 key predicates,
§4.5 functions; v2 §2.2 for the older literal forms such as `guid'…'`) and use the
`{{serviceRoot}}` variable, so a generated collection works against any environment.
Sample values are typed placeholders the user edits, never guesses about real data.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from workbench.core.collections import Body, Collection, Folder, KeyValue, Request
from workbench.core.csdl.model import (
    ActionImport,
    ComplexType,
    EntitySet,
    EntityType,
    EnumType,
    FunctionImport,
    Model,
    Parameter,
    Property,
    Singleton,
    TypeDefinition,
)
from workbench.core.errors import CsdlError

RequestKind = Literal["list", "get", "create", "update", "delete"]
REQUEST_KINDS: tuple[RequestKind, ...] = ("list", "get", "create", "update", "delete")
BASE = "{{serviceRoot}}"

_SAMPLES: dict[str, Any] = {
    "Edm.String": "string",
    "Edm.Boolean": True,
    "Edm.Byte": 1,
    "Edm.SByte": 1,
    "Edm.Int16": 1,
    "Edm.Int32": 1,
    "Edm.Int64": 1,
    "Edm.Decimal": 1.5,
    "Edm.Double": 1.5,
    "Edm.Single": 1.5,
    "Edm.Guid": "00000000-0000-0000-0000-000000000000",
    "Edm.Date": "2024-01-01",
    "Edm.DateTimeOffset": "2024-01-01T00:00:00Z",
    "Edm.DateTime": "2024-01-01T00:00:00",
    "Edm.TimeOfDay": "12:00:00",
    "Edm.Time": "PT12H",
    "Edm.Duration": "PT1H",
    "Edm.Binary": "",
    "Edm.Stream": None,
}


def _is_v4(model: Model) -> bool:
    return model.version.startswith("4")


def sample_value(model: Model, type_name: str, depth: int = 0) -> Any:
    """A JSON sample for a value of `type_name` (primitive, enum, type definition or complex)."""
    if type_name in _SAMPLES:
        value = _SAMPLES[type_name]
        if type_name == "Edm.Int64" and model.version.startswith("2"):
            return "1"  # v2 JSON writes Int64 as a string (OData v2 JSON format §2.2.6.3)
        if type_name == "Edm.Decimal" and model.version.startswith("2"):
            return "1.5"
        return value
    found = model.find_type(type_name)
    if isinstance(found, EnumType):
        return found.members[0].name if found.members else ""
    if isinstance(found, TypeDefinition):
        return sample_value(model, found.underlying_type, depth)
    if isinstance(found, ComplexType) and depth < 3:
        return {p.name: _property_sample(model, p, depth + 1) for p in model.all_properties(found)
                if not p.computed}
    return None


def _property_sample(model: Model, prop: Property | Parameter, depth: int = 0) -> Any:
    value = sample_value(model, prop.type, depth)
    if isinstance(prop, Property) and prop.type == "Edm.String" and isinstance(prop.max_length, int):
        value = str(value)[: max(prop.max_length, 1)]
    return [value] if prop.collection else value


def key_literal(model: Model, prop: Property, value: str | None = None) -> str:
    """A key value written as an OData URL literal for the service's version.

    `value` is put in the literal as it is (a `{{variable}}`); without it a sample value is used.
    """
    sample: Any = sample_value(model, prop.type) if value is None else value
    v4 = _is_v4(model)
    type_name = prop.type
    found = model.find_type(type_name)
    if isinstance(found, TypeDefinition):
        type_name = found.underlying_type
    if type_name == "Edm.String" or isinstance(found, EnumType):
        text = str(sample).replace("'", "''") if value is None else value
        return f"'{text}'"
    if type_name == "Edm.Guid":
        return str(sample) if v4 else f"guid'{sample}'"
    if type_name == "Edm.DateTime":
        return f"datetime'{sample}'"
    if type_name == "Edm.DateTimeOffset":
        return str(sample) if v4 else f"datetimeoffset'{sample}'"
    if type_name == "Edm.Int64":
        return ("1" if value is None else value) + ("" if v4 else "L")
    if type_name == "Edm.Decimal":
        return ("1.5" if value is None else value) + ("" if v4 else "M")
    if type_name == "Edm.Boolean":
        return "true" if value is None else value
    return str(sample).lower() if isinstance(sample, bool) else str(sample)


def key_variable(entity_set: str, prop: str) -> str:
    """The variable a generated request takes a key from: `Customers_ID`."""
    return re.sub(r"[^\w]", "_", f"{entity_set}_{prop}")


def key_predicate(model: Model, entity_type: EntityType, entity_set: str = "") -> str:
    """`({{Customers_ID}})` for a single key, `(A={{Set_A}},B='{{Set_B}}')` for a compound one (URL Conventions §4.3.1).

    With `entity_set`, the key values are variables, never a real-looking sample: a generated
    DELETE of `Customers(1)`, run as part of a collection, deleted a real customer. An undefined
    variable stops the send and names itself, so the user picks the entity on purpose.
    Without `entity_set`, sample values are used (for documentation and tests of literals).
    """
    keys = model.key_properties(entity_type)
    names = model.key_of(entity_type)
    if not keys:
        raise CsdlError(f"{entity_type.qualified_name} has no key, so a single entity cannot be addressed.")

    def literal(name: str, prop: Property) -> str:
        if not entity_set:
            return key_literal(model, prop)
        return key_literal(model, prop, "{{" + key_variable(entity_set, name) + "}}")

    if len(keys) == 1:
        return f"({literal(names[0], keys[0])})"
    return "(" + ",".join(f"{name}={literal(name, prop)}" for name, prop in zip(names, keys)) + ")"


def key_variables(model: Model, entity_set: str) -> tuple[KeyValue, ...]:
    """The key variables of an entity set's generated requests: listed, disabled, until the user fills them."""
    es, entity_type = _target(model, entity_set)
    if isinstance(es, Singleton):
        return ()
    return tuple(KeyValue(key_variable(es.name, name), "", False,
                          f"Key {name} of the {es.name} entity that Get/Update/Delete address")
                 for name in model.key_of(entity_type))


def sample_entity(model: Model, entity_type: EntityType, for_update: bool = False,
                  skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A create (or update) body: every settable structural property with a typed sample.

    Computed properties (Core.Computed) and read-only ones (Core.Permissions Read) are left
    out — except a key the service does not compute, which a create must carry; for an update
    also the key and immutable (Core.Immutable) ones, since a PATCH must not change them
    (OData Protocol §11.4.3).
    """
    keys = set(model.key_of(entity_type))
    body: dict[str, Any] = {}
    for prop in model.all_properties(entity_type):
        if prop.computed or prop.name in skip:
            continue
        if prop.permissions == "Read" and (for_update or prop.name not in keys):
            continue  # read-only; a key the service does not compute must still be sent on create
        if for_update and (prop.name in keys or prop.immutable):
            continue
        if prop.type == "Edm.Stream":
            continue
        body[prop.name] = _property_sample(model, prop)
    return body


def _target(model: Model, name: str) -> tuple[EntitySet | Singleton, EntityType]:
    es: EntitySet | Singleton | None = model.entity_set(name) or model.singleton(name)
    if es is None:
        raise CsdlError(f"No entity set or singleton named {name!r} in this service.")
    entity_type = model.entity_type(es.entity_type)
    if entity_type is None:
        raise CsdlError(f"{name} has the unknown entity type {es.entity_type!r}.")
    return es, entity_type


def _json_headers(model: Model, with_body: bool) -> tuple[KeyValue, ...]:
    rows = [KeyValue("Accept", "application/json")]
    if with_body:
        rows.append(KeyValue("Content-Type", "application/json"))
    return tuple(rows)


def new_request(model: Model, entity_set: str, kind: RequestKind, base: str = BASE) -> Request:
    """One request on an entity set (or singleton): list, get, create, update or delete."""
    es, entity_type = _target(model, entity_set)
    meta = {"odata_entity_set": es.name, "odata_kind": kind, "odata_version": model.version}
    v4 = _is_v4(model)
    if isinstance(es, Singleton):
        url = f"{base}/{es.name}"
        if kind in ("list", "get"):
            return Request(name=f"Get {es.name}", method="GET", url=url, headers=_json_headers(model, False),
                           docs=es.description, meta=meta)
        if kind == "update":
            return _update(model, entity_type, url, f"Update {es.name}", meta)
        raise CsdlError(f"{es.name} is a singleton: it can be read and updated, not {kind}d.")
    collection_url = f"{base}/{es.name}"
    if kind == "list":
        params: tuple[KeyValue, ...] = (KeyValue("$top", "10"),)
        if not v4:
            params += (KeyValue("$format", "json"),)
        return Request(name=f"List {es.name}", method="GET", url=collection_url, params=params,
                       headers=_json_headers(model, False), docs=es.description or entity_type.description, meta=meta)
    if kind == "create":
        text = json.dumps(sample_entity(model, entity_type), indent=2, ensure_ascii=False)
        return Request(name=f"Create {entity_type.name}", method="POST", url=collection_url,
                       headers=_json_headers(model, True), body=Body("raw", "application/json", text),
                       docs=es.description, meta=meta)
    entity_url = collection_url + key_predicate(model, entity_type, es.name)
    if kind == "get":
        get_params: tuple[KeyValue, ...] = () if v4 else (KeyValue("$format", "json"),)
        return Request(name=f"Get {entity_type.name} by key", method="GET", url=entity_url, params=get_params,
                       headers=_json_headers(model, False), docs=es.description, meta=meta)
    if kind == "update":
        return _update(model, entity_type, entity_url, f"Update {entity_type.name}", meta)
    if kind == "delete":
        return Request(name=f"Delete {entity_type.name}", method="DELETE", url=entity_url,
                       headers=(KeyValue("Accept", "application/json"),), docs=es.description, meta=meta)
    raise CsdlError(f"Unknown request kind {kind!r}: use one of {', '.join(REQUEST_KINDS)}.")


def _update(model: Model, entity_type: EntityType, url: str, name: str, meta: dict[str, str]) -> Request:
    text = json.dumps(sample_entity(model, entity_type, for_update=True), indent=2, ensure_ascii=False)
    body = Body("raw", "application/json", text)
    if _is_v4(model) or model.version.startswith("3"):
        return Request(name=name, method="PATCH", url=url, headers=_json_headers(model, True), body=body, meta=meta)
    # OData v2 has no PATCH: a partial update is MERGE, tunnelled through POST (OData v2 §2.2.5.4).
    headers = (*_json_headers(model, True), KeyValue("X-HTTP-Method", "MERGE"))
    return Request(name=name, method="POST", url=url, headers=headers, body=body, meta=meta)


def _literal_for_parameter(model: Model, param: Parameter) -> str:
    if param.collection:
        return json.dumps([sample_value(model, param.type)])
    fake = Property(param.name, param.type)
    return key_literal(model, fake)


def operation_import_request(model: Model, item: FunctionImport | ActionImport, base: str = BASE) -> Request:
    """A call of a function import (GET, parameters inline) or action import (POST, JSON body)."""
    ops = model.operations(item.function if isinstance(item, FunctionImport) else item.action)
    unbound = [op for op in ops if not op.is_bound] or list(ops)
    op = unbound[0] if unbound else None
    params = op.call_parameters if op is not None else ()
    meta = {"odata_operation": item.name, "odata_version": model.version}
    docs = item.description or (op.description if op is not None else "")
    v4 = _is_v4(model)
    method = item.http_method if not v4 else ("GET" if isinstance(item, FunctionImport) else "POST")
    if method == "GET":
        if v4:
            inline = ",".join(f"{p.name}={_literal_for_parameter(model, p)}" for p in params)
            return Request(name=f"{item.name}()", method="GET", url=f"{base}/{item.name}({inline})",
                           headers=_json_headers(model, False), docs=docs, meta=meta)
        query = tuple(KeyValue(p.name, _literal_for_parameter(model, p)) for p in params)
        return Request(name=f"{item.name}()", method="GET", url=f"{base}/{item.name}",
                       params=(*query, KeyValue("$format", "json")), headers=_json_headers(model, False),
                       docs=docs, meta=meta)
    if not v4:  # v2/v3 service operations take parameters in the query string, also with POST
        query = tuple(KeyValue(p.name, _literal_for_parameter(model, p)) for p in params)
        return Request(name=f"{item.name}()", method=method, url=f"{base}/{item.name}", params=query,
                       headers=_json_headers(model, False), docs=docs, meta=meta)
    body = {p.name: _property_sample(model, p) for p in params}
    return Request(name=f"{item.name}()", method="POST", url=f"{base}/{item.name}",
                   headers=_json_headers(model, True),
                   body=Body("raw", "application/json", json.dumps(body, indent=2, ensure_ascii=False)),
                   docs=docs, meta=meta)


def entity_set_requests(model: Model, entity_set: str, base: str = BASE) -> tuple[Request, ...]:
    """All five requests for an entity set, leaving out those its Capabilities forbid.

    A request the service declares unsupported (e.g. Capabilities.InsertRestrictions/Insertable
    false, or a type without a key) would only fail, so it is not generated.
    """
    es, entity_type = _target(model, entity_set)
    caps = es.capabilities
    kinds: list[RequestKind] = ["list"] if isinstance(es, EntitySet) else ["get"]
    if isinstance(es, EntitySet) and model.key_of(entity_type) and caps.indexable_by_key:
        kinds.append("get")
    if isinstance(es, EntitySet) and caps.insertable:
        kinds.append("create")
    if caps.updatable and (isinstance(es, Singleton) or model.key_of(entity_type)):
        kinds.append("update")
    if isinstance(es, EntitySet) and caps.deletable and model.key_of(entity_type):
        kinds.append("delete")
    return tuple(new_request(model, es.name, kind, base) for kind in kinds)


def model_type_of(model: Model, entity_set: str) -> EntityType:
    """The entity type of an entity set or singleton."""
    return _target(model, entity_set)[1]


def generate_collection(model: Model, name: str = "", service_root: str = "") -> Collection:
    """A collection with requests for every entity set, singleton and function/action import.

    Requests use `{{serviceRoot}}`; the collection defines it (as `service_root`, when known)
    so it can be overridden per environment.
    """
    folders: list[Folder] = []
    for es in model.entity_sets():
        folders.append(Folder(name=es.name, requests=entity_set_requests(model, es.name),
                              docs=es.description))
    singletons = tuple(r for sg in model.singletons() for r in entity_set_requests(model, sg.name))
    if singletons:
        folders.append(Folder(name="Singletons", requests=singletons))
    imports: list[FunctionImport | ActionImport] = [*model.function_imports(), *model.action_imports()]
    operations = tuple(operation_import_request(model, item) for item in imports)
    if operations:
        folders.append(Folder(name="Operations", requests=operations))
    container = model.entity_container
    title = name or (container.name if container is not None else "") or "OData service"
    keys = tuple(kv for es in model.entity_sets() if model.key_of(model_type_of(model, es.name))
                 for kv in key_variables(model, es.name))
    return Collection(name=title, folders=tuple(folders),
                      variables=(KeyValue("serviceRoot", service_root.rstrip("/")), *keys),
                      docs=f"Generated from OData {model.version} metadata" + (f" of {model.source}" if model.source
                                                                               else "") + ".",
                      meta={"odata_version": model.version, **({"odata_service": service_root} if service_root else {})})
