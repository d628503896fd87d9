"""Parse CSDL JSON (OData CSDL JSON Representation 4.01) into a `csdl.Model`.

Services built on newer stacks (and the OASIS tooling) publish `$metadata?$format=json`; the
workbench shows them exactly like XML documents. The JSON representation differs from XML in
its defaults, which this parser applies (CSDL JSON 4.01 §4): a structural property's `$Type`
defaults to `Edm.String`, `$Nullable` defaults to false, members without `$Kind` are
properties, and annotations are `@Term#Qualifier` members next to what they annotate.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Mapping

from workbench.core.csdl.model import (
    EDM_INT32,
    Action,
    ActionImport,
    Annotation,
    ComplexType,
    EntityContainer,
    EntitySet,
    EntityType,
    EnumMember,
    EnumType,
    Function,
    FunctionImport,
    Include,
    IncludeAnnotations,
    Model,
    NavigationBinding,
    NavigationProperty,
    Parameter,
    Property,
    Reference,
    ReferentialConstraint,
    ReturnType,
    Schema,
    Singleton,
    Term,
    TypeDefinition,
    default_object,
)
from workbench.core.errors import CsdlError


def parse_json(data: bytes | str | Mapping[str, Any], source: str = "") -> Model:
    """Parse a CSDL JSON document (bytes, text or an already decoded object)."""
    if isinstance(data, Mapping):
        doc: Any = data
    else:
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CsdlError(f"Malformed CSDL JSON: {exc}", detail=repr(exc)) from exc
        except RecursionError as exc:  # arrays/objects nested ~1,000 deep: no real $metadata is
            raise CsdlError("Malformed CSDL JSON: nested too deeply (more than ~900 levels)") from exc
    if not isinstance(doc, dict) or "$Version" not in doc:
        raise CsdlError("Not a CSDL JSON document: the top-level object has no \"$Version\" "
                        "(OData CSDL JSON 4.01 §3.1).")
    try:
        return _JsonReader(doc, source).model()
    except CsdlError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:  # `1e999` as a value
        raise CsdlError(f"Malformed CSDL JSON: {exc.__class__.__name__}: {exc}", detail=repr(exc)) from exc
    except RecursionError as exc:
        raise CsdlError("Malformed CSDL JSON: annotations nested too deeply") from exc


def _facet(value: Any) -> Any:
    return value if value is None or isinstance(value, int) else str(value).lower()


def _plain(value: Any) -> Any:
    """JSON arrays become tuples, as in the XML parser, so models compare equal."""
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _JsonReader:
    def __init__(self, doc: dict[str, Any], source: str) -> None:
        self.doc = doc
        self.source = source
        self.aliases: dict[str, str] = {}
        self.external: dict[str, list[Annotation]] = {}

    def q(self, name: str) -> str:
        prefix, dot, rest = name.rpartition(".")
        if dot and prefix in self.aliases:
            return f"{self.aliases[prefix]}.{rest}"
        return name

    def target(self, text: str) -> str:
        head, slash, tail = text.partition("/")
        if "(" in head and head.endswith(")"):
            name, _, args = head[:-1].partition("(")
            params = ",".join(self.q_type(a.strip()) for a in args.split(",") if a.strip())
            head = f"{self.q(name)}({params})"
        else:
            head = self.q(head)
        return f"{head}{slash}{tail}"

    def q_type(self, name: str) -> str:
        if name.startswith("Collection(") and name.endswith(")"):
            return f"Collection({self.q(name[11:-1])})"
        return self.q(name)

    def model(self) -> Model:
        doc = self.doc
        references: list[Reference] = []
        for uri, ref in (doc.get("$Reference") or {}).items():
            includes = tuple(Include(i.get("$Namespace", ""), i.get("$Alias", "")) for i in ref.get("$Include", ()))
            include_annotations = tuple(IncludeAnnotations(i.get("$TermNamespace", ""), i.get("$Qualifier", ""),
                                                           i.get("$TargetNamespace", ""))
                                        for i in ref.get("$IncludeAnnotations", ()))
            references.append(Reference(uri, includes, include_annotations))
            for inc in includes:
                if inc.alias:
                    self.aliases[inc.alias] = inc.namespace
        schema_docs = [(ns, body) for ns, body in doc.items() if not ns.startswith("$") and isinstance(body, dict)]
        for ns, body in schema_docs:
            if body.get("$Alias"):
                self.aliases[body["$Alias"]] = ns
        for ns, body in schema_docs:
            for target, applied in (body.get("$Annotations") or {}).items():
                self.external.setdefault(self.target(target), []).extend(self.annotations(applied))
        default_container = str(doc.get("$EntityContainer") or "")
        schemas = tuple(self.schema(ns, body, self.q(default_container)) for ns, body in schema_docs)
        return Model(version=str(doc["$Version"]), schemas=schemas, references=tuple(references), source=self.source)

    # -- annotations ---------------------------------------------------------------------
    def annotations(self, obj: Mapping[str, Any], prefix: str = "") -> list[Annotation]:
        """`@Term#Qualifier` members of `obj` (or `prefix@Term` members for annotated members)."""
        out: list[Annotation] = []
        for key, value in obj.items():
            if not key.startswith(f"{prefix}@"):
                continue
            rest = key[len(prefix) + 1:]
            if "@" in rest:  # an annotation of an annotation: not modelled
                continue
            term, _, qualifier = rest.partition("#")
            out.append(Annotation(self.q(term), _plain(value), qualifier))
        return out

    def merged(self, inline: list[Annotation], target: str) -> tuple[Annotation, ...]:
        return (*inline, *self.external.get(target, ()))

    # -- schema --------------------------------------------------------------------------
    def schema(self, ns: str, body: dict[str, Any], default_container: str) -> Schema:
        groups: dict[str, list[Any]] = {k: [] for k in ("EntityType", "ComplexType", "EnumType", "TypeDefinition",
                                                        "Function", "Action", "Term")}
        container: EntityContainer | None = None
        for name, item in body.items():
            if name.startswith("$") or name.startswith("@"):
                continue
            if isinstance(item, list):
                for overload in item:
                    kind = overload.get("$Kind")
                    if kind in ("Function", "Action"):
                        groups[kind].append(self.operation(ns, name, overload, kind == "Function"))
                continue
            if not isinstance(item, dict):
                continue
            kind = item.get("$Kind")
            if kind in ("EntityType", "ComplexType"):
                groups[kind].append(self.structured(ns, name, item, kind == "EntityType"))
            elif kind == "EnumType":
                groups[kind].append(self.enum_type(ns, name, item))
            elif kind == "TypeDefinition":
                groups[kind].append(TypeDefinition(
                    name, ns, self.q(item.get("$UnderlyingType", "")), _facet(item.get("$MaxLength")),
                    item.get("$Precision"), _facet(item.get("$Scale")), item.get("$SRID"), item.get("$Unicode"),
                    self.merged(self.annotations(item), f"{ns}.{name}")))
            elif kind == "Term":
                groups[kind].append(Term(name, ns, self.q(item.get("$Type", "Edm.String")),
                                         bool(item.get("$Collection")), tuple(item.get("$AppliesTo", ())),
                                         self.q(item.get("$BaseTerm", "")) if item.get("$BaseTerm") else "",
                                         None if item.get("$DefaultValue") is None else str(item["$DefaultValue"]),
                                         tuple(self.annotations(item))))
            elif kind == "EntityContainer":
                container = self.container(ns, name, item, default_container)
        return Schema(ns, body.get("$Alias", ""), tuple(groups["EntityType"]), tuple(groups["ComplexType"]),
                      tuple(groups["EnumType"]), tuple(groups["TypeDefinition"]), tuple(groups["Function"]),
                      tuple(groups["Action"]), tuple(groups["Term"]), container,
                      self.merged(self.annotations(body), ns))

    def structured(self, ns: str, name: str, item: dict[str, Any], entity: bool) -> EntityType | ComplexType:
        qname = f"{ns}.{name}"
        props: list[Property] = []
        navs: list[NavigationProperty] = []
        for member, body in item.items():
            if member.startswith("$") or member.startswith("@") or not isinstance(body, dict):
                continue
            target = f"{qname}/{member}"
            if body.get("$Kind") == "NavigationProperty":
                constraints = tuple(ReferentialConstraint(k, v) for k, v in (body.get("$ReferentialConstraint") or {}
                                                                               ).items() if "@" not in k)
                on_delete = body.get("$OnDelete") or ""
                collection = bool(body.get("$Collection"))
                navs.append(NavigationProperty(member, self.q(body.get("$Type", "")), collection,
                                               bool(body.get("$Nullable", False)), body.get("$Partner", ""),
                                               bool(body.get("$ContainsTarget")), on_delete, constraints,
                                               self.merged(self.annotations(body), target)))
            else:
                props.append(Property(member, self.q(body.get("$Type", "Edm.String")), bool(body.get("$Collection")),
                                      bool(body.get("$Nullable", False)), _facet(body.get("$MaxLength")),
                                      body.get("$Precision"), _facet(body.get("$Scale")),
                                      None if body.get("$SRID") is None else str(body["$SRID"]), body.get("$Unicode"),
                                      None if body.get("$DefaultValue") is None else _default(body["$DefaultValue"]),
                                      self.merged(self.annotations(body), target)))
        annotations = self.merged(self.annotations(item), qname)
        base = self.q(item["$BaseType"]) if item.get("$BaseType") else ""
        if entity:
            key: list[str] = []
            aliases: dict[str, str] = {}
            declared = item.get("$Key", ())
            if not isinstance(declared, (list, tuple)):
                raise CsdlError(f"Malformed CSDL JSON: {qname}: $Key must be an array of property names")
            for part in declared:
                if isinstance(part, dict):
                    for alias, path in part.items():
                        if not isinstance(path, str):
                            raise CsdlError(f"Malformed CSDL JSON: {qname}: $Key alias {alias!r} is not a path")
                        key.append(str(alias))
                        aliases[str(alias)] = path
                elif isinstance(part, str):
                    key.append(part)
                else:
                    raise CsdlError(f"Malformed CSDL JSON: {qname}: $Key holds {part!r}, not a property name")
            return EntityType(name, ns, tuple(key), tuple(props), tuple(navs), base, bool(item.get("$Abstract")),
                              bool(item.get("$OpenType")), bool(item.get("$HasStream")), annotations, aliases)
        return ComplexType(name, ns, tuple(props), tuple(navs), base, bool(item.get("$Abstract")),
                           bool(item.get("$OpenType")), annotations)

    def enum_type(self, ns: str, name: str, item: dict[str, Any]) -> EnumType:
        qname = f"{ns}.{name}"
        members = tuple(
            EnumMember(member, _member_value(qname, member, value),
                       self.merged(self.annotations(item, member), f"{qname}/{member}"))
            for member, value in item.items()
            if not member.startswith("$") and not member.startswith("@") and "@" not in member
        )
        inline = [a for a in self.annotations(item)]
        return EnumType(name, ns, members, bool(item.get("$IsFlags")),
                        default_object(self.q(item.get("$UnderlyingType") or EDM_INT32)), self.merged(inline, qname))

    def operation(self, ns: str, name: str, item: dict[str, Any], is_function: bool) -> Function | Action:
        params = tuple(Parameter(p["$Name"], self.q(p.get("$Type", "Edm.String")), bool(p.get("$Collection")),
                                 bool(p.get("$Nullable", False)), _facet(p.get("$MaxLength")), p.get("$Precision"),
                                 _facet(p.get("$Scale")), tuple(self.annotations(p)))
                       for p in item.get("$Parameter", ()))
        returns = None
        if isinstance(item.get("$ReturnType"), dict):
            rt = item["$ReturnType"]
            returns = ReturnType(self.q(rt.get("$Type", "Edm.String")), bool(rt.get("$Collection")),
                                 bool(rt.get("$Nullable", False)), tuple(self.annotations(rt)))
        is_bound = bool(item.get("$IsBound"))
        qname = f"{ns}.{name}"
        if is_function:
            signature = ",".join(p.type_name for p in params)
        else:
            signature = params[0].type_name if is_bound and params else ""
        annotations = (*self.merged(self.annotations(item), qname), *self.external.get(f"{qname}({signature})", ()))
        if is_function:
            return Function(name, ns, params, returns, is_bound, bool(item.get("$IsComposable")),
                            item.get("$EntitySetPath", ""), annotations)
        return Action(name, ns, params, returns, is_bound, item.get("$EntitySetPath", ""), annotations)

    def container(self, ns: str, name: str, item: dict[str, Any], default_container: str) -> EntityContainer:
        qname = f"{ns}.{name}"
        sets: list[EntitySet] = []
        singletons: list[Singleton] = []
        function_imports: list[FunctionImport] = []
        action_imports: list[ActionImport] = []
        for child, body in item.items():
            if child.startswith("$") or child.startswith("@") or not isinstance(body, dict):
                continue
            target = f"{qname}/{child}"
            annotations = self.merged(self.annotations(body), target)
            bindings = tuple(NavigationBinding(path, tgt) for path, tgt in
                             (body.get("$NavigationPropertyBinding") or {}).items())
            if "$Function" in body:
                function_imports.append(FunctionImport(child, self.q(body["$Function"]), body.get("$EntitySet", ""),
                                                       bool(body.get("$IncludeInServiceDocument")), annotations, name))
            elif "$Action" in body:
                action_imports.append(ActionImport(child, self.q(body["$Action"]), body.get("$EntitySet", ""),
                                                   annotations, name))
            elif body.get("$Collection"):
                sets.append(EntitySet(child, self.q(body.get("$Type", "")), bindings,
                                      body.get("$IncludeInServiceDocument", True) is not False, annotations, name))
            else:
                singletons.append(Singleton(child, self.q(body.get("$Type", "")), bindings, annotations, name,
                                            bool(body.get("$Nullable"))))
        return EntityContainer(name, ns, tuple(sets), tuple(singletons), tuple(function_imports), tuple(action_imports),
                               self.q(item["$Extends"]) if item.get("$Extends") else "",
                               not default_container or default_container == qname,
                               self.merged(self.annotations(item), qname))


def _default(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _member_value(qname: str, member: str, value: Any) -> int:
    """An enum member's value (CSDL JSON §10.2: an integer), or a message naming the member."""
    number = None
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        with contextlib.suppress(ValueError, OverflowError):  # "x", `1e999`
            number = int(value)
    if number is None or isinstance(value, float) and number != value:  # 1.5 is no member value
        raise CsdlError(f"Malformed CSDL JSON: {qname}/{member}: the value {value!r} is not an integer")
    return number
