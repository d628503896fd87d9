"""Parse CSDL XML into a `csdl.Model`: OData v4/4.01 EDMX and v2/v3 EDMX 1.0.

Why one parser for both: users of low-code platforms meet SAP/Dynamics v2 services next to v4
ones, and the browser must show them alike. v2/v3 associations and association sets are
resolved into v4-style navigation properties (partner, multiplicity, referential constraints)
and navigation bindings; v2 service operations (`FunctionImport` with `m:HttpMethod`) become
functions (GET) or actions (other methods), and SAP's v2 annotation attributes
(`sap:filterable`, `sap:creatable`, ...) become the Capabilities/Core terms they stand for —
the same mapping the OASIS converter (odata-csdl `xml2json`) applies.

Security: `$metadata` comes from whatever server a user points at, so the document is parsed
with entity resolution, DTD loading and network access off, and any DOCTYPE declaring entities
or an external DTD is refused up front (XXE, "billion laughs"; OWASP XML Security Cheat Sheet).

Speed: one `etree.fromstring` and a tight loop over children with a dispatch on local names
(no XPath per element). Each lxml call costs a few hundred ns (`.tag` builds a new string, `.get`
looks an attribute up), so hot elements are read with one `items()` call where their shape is the
usual one, and references are qualified by a dict look-up. Tag-filtered `iterchildren`, custom
element classes and `remove_blank_text` were measured slower or no faster on Microsoft Graph.
"""

from __future__ import annotations

import gc
import re
from typing import Any, Callable, cast

import msgspec

from workbench.core import safe_xml
from workbench.core.csdl.model import (
    EDM_INT32,
    GET,
    POST,
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

M_NS = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
SAP_NS = "http://www.sap.com/Protocols/SAPData"
CORE = "Org.OData.Core.V1"
CAPS = "Org.OData.Capabilities.V1"
COMMON = "com.sap.vocabularies.Common.v1"

_LOCAL: dict[str, str] = {}


def _local(tag: Any) -> str:
    """Local name of an element tag (`{ns}Name` → `Name`), cached; "" for comments/PIs."""
    if not isinstance(tag, str):
        return ""
    found = _LOCAL.get(tag)
    if found is None:
        found = tag.rpartition("}")[2]
        _LOCAL[tag] = found
    return found


_CSDL_WHY = "CSDL never uses them."


def parse_root(data: bytes | str) -> Any:
    """Safely parse XML bytes into an lxml root element (CsdlError when unsafe or malformed)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if isinstance(data, str) and raw.lstrip().startswith(b"<?xml"):
        raw = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", raw, count=1)
    return safe_xml.parse(raw, error=CsdlError, why=_CSDL_WHY, remove_comments=True)


def parse_xml(data: bytes | str, source: str = "") -> Model:
    """Parse a CSDL XML document (`edmx:Edmx`, or a bare `Schema`) into a Model."""
    root = parse_root(data)
    local = _local(root.tag)
    if local not in ("Edmx", "Schema"):
        raise CsdlError(f"Not a CSDL document: the root element is <{local or root.tag}>, "
                        "expected <edmx:Edmx> (OData CSDL XML §3.1).")
    # A parse allocates ~100k small objects and no cycles; the cyclic GC would otherwise run
    # dozens of times over the growing heap (a third of the parse time on Microsoft Graph).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Reader(root, source).model()
    except CsdlError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CsdlError(f"Malformed CSDL: {exc.__class__.__name__}: {exc}", detail=repr(exc)) from exc
    finally:
        if gc_was_enabled:
            gc.enable()


def _facet_int(value: str | None) -> int | str | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        low = value.lower()
        return low if low in ("max", "variable", "floating") else value


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _with_facets(get: Callable[[str], str | None], type_name: str, collection: bool,
                 annotations: tuple[Annotation, ...]) -> Property:
    """A property with whatever facets its attributes carry (the uncommon shapes)."""
    max_length = get("MaxLength")
    precision = get("Precision")
    scale = get("Scale")
    unicode = get("Unicode")
    return Property(get("Name") or "", type_name, collection, get("Nullable") != "false",
                    _facet_int(max_length) if max_length is not None else None,
                    _int(precision) if precision is not None else None,
                    _facet_int(scale) if scale is not None else None,
                    get("SRID"), None if unicode is None else unicode != "false", get("DefaultValue"),
                    annotations)


def _split_type(type_name: str) -> tuple[str, bool]:
    if type_name.startswith("Collection(") and type_name.endswith(")"):
        return type_name[11:-1], True
    return type_name, False


def _enum_value(text: str) -> str:
    """`Org.OData.Core.V1.Permission/Read Org.OData.Core.V1.Permission/Write` → `Read,Write`."""
    return ",".join(part.rpartition("/")[2] for part in text.split())


_PATH_EXPRESSIONS = {"Path", "PropertyPath", "NavigationPropertyPath", "AnnotationPath", "ModelElementPath"}


class _Qualified(dict[str, str]):
    """Type/term references → qualified names, each worked out once (aliases are known first)."""

    def __init__(self, aliases: dict[str, str]) -> None:
        super().__init__()
        self.aliases = aliases

    def __missing__(self, name: str) -> str:
        if name.startswith("Collection(") and name.endswith(")"):
            found = f"Collection({self[name[11:-1]]})"
        else:
            prefix, dot, rest = name.rpartition(".")
            found = f"{self.aliases[prefix]}.{rest}" if dot and prefix in self.aliases else name
        self[name] = found
        return found


class _Reader:
    """One pass over an EDMX tree; external `Annotations` and v2 associations are read first."""

    def __init__(self, root: Any, source: str) -> None:
        self.root = root
        self.source = source
        self.aliases: dict[str, str] = {}
        self.qcache = _Qualified(self.aliases)
        # Qualify a type/term reference (a leading alias → its namespace): a dict look-up in C,
        # as ~18k references on Graph name a few thousand types.
        self.q: Callable[[str], str] = self.qcache.__getitem__
        self.property_cache: dict[tuple[tuple[str, str], ...], Property] = {}
        self.parameter_cache: dict[tuple[tuple[str, str], ...], Parameter] = {}
        self.return_cache: dict[tuple[tuple[str, str], ...], ReturnType] = {}
        self.external: dict[str, list[Annotation]] = {}
        self.member_targets: set[str] = set()  # heads of targets with a "/" (types with annotated members)
        self.annotated_members: dict[str, set[str]] = {}  # head → first segment after "/"
        self.version = "4.0"
        self.v2 = False
        self.references: list[Reference] = []
        self.schema_elements: list[Any] = []
        self.schema_children: list[list[tuple[str, Any]]] = []  # (local name, element) minus Annotations
        # v2/v3 association data
        self.associations: dict[str, dict[str, Any]] = {}
        self.association_sets: list[tuple[str, dict[str, str]]] = []
        self.v2_navs: dict[str, list[tuple[str, str, str, str]]] = {}  # type -> (name, rel, from, to)
        self.v2_base: dict[str, str] = {}  # type -> base type
        self.v2_nonfilterable: dict[str, list[str]] = {}
        self.v2_nonsortable: dict[str, list[str]] = {}
        self.v2_required_filter: dict[str, list[str]] = {}

    # -- names ---------------------------------------------------------------------------
    def target(self, text: str) -> str:
        """Normalise an annotation target: aliases resolved in the head and overload types."""
        head, slash, tail = text.partition("/")
        if "(" in head and head.endswith(")"):
            name, _, args = head[:-1].partition("(")
            params = ",".join(self.q(a.strip()) for a in args.split(",") if a.strip())
            head = f"{self.q(name)}({params})"
        else:
            head = self.q(head)
        return f"{head}{slash}{tail}"

    # -- top level -----------------------------------------------------------------------
    def model(self) -> Model:
        root = self.root
        if _local(root.tag) == "Schema":
            self.schema_elements = [root]
            self.version = "4.0" if "oasis-open.org" in root.tag else "3.0"
            self.v2 = self.version != "4.0"
        else:
            self.version = root.get("Version") or "4.0"
            for child in root:
                local = _LOCAL.get(child.tag) or _local(child.tag)
                if local == "Reference":
                    self.references.append(self.reference(child))
                elif local == "DataServices":
                    dsv = child.get(f"{{{M_NS}}}DataServiceVersion")
                    if dsv is None:
                        dsv = next((v for k, v in child.attrib.items() if k.endswith("}DataServiceVersion")), None)
                    if self.version.startswith("1") or dsv is not None and not self.version.startswith("4"):
                        self.version = dsv or "1.0"
                    self.schema_elements = [s for s in child if _local(s.tag) == "Schema"]
            self.v2 = not self.version.startswith("4")
        for ref in self.references:
            for inc in ref.includes:
                if inc.alias:
                    self.aliases[inc.alias] = inc.namespace
        for el in self.schema_elements:
            alias = el.get("Alias")
            if alias:
                self.aliases[alias] = el.get("Namespace") or ""
        self._prepass()
        schemas = tuple(self.schema(el, kids) for el, kids in zip(self.schema_elements, self.schema_children))
        return Model(version=self.version, schemas=schemas, references=tuple(self.references), source=self.source)

    def _prepass(self) -> None:
        """Collect external annotations (and, for v2/v3, associations) before building types."""
        for schema in self.schema_elements:
            ns = schema.get("Namespace") or ""
            kept: list[tuple[str, Any]] = []
            self.schema_children.append(kept)
            for el in schema:
                local = _LOCAL.get(el.tag) or _local(el.tag)
                if local != "Annotations":
                    kept.append((local, el))
                if local == "Annotations":
                    attributes = el.items()
                    if len(attributes) == 1 and attributes[0][0] == "Target":  # the usual shape, one lxml call
                        target, qualifier = self.target(attributes[0][1]), ""
                    else:
                        target = self.target(el.get("Target") or "")
                        qualifier = el.get("Qualifier") or ""
                    found = self.annotations_of(el, qualifier)
                    if found:
                        self.external.setdefault(target, []).extend(found)
                        head, slash, rest = target.partition("/")
                        if slash:
                            self.member_targets.add(head)
                            self.annotated_members.setdefault(head, set()).add(rest)
                elif self.v2 and local == "Association":
                    self._association(el, ns)
                elif self.v2 and local == "EntityType":
                    qname = f"{ns}.{el.get('Name')}"
                    if el.get("BaseType"):
                        self.v2_base[qname] = self.q(el.get("BaseType") or "")
                    for child in el:
                        if _local(child.tag) == "NavigationProperty":
                            self.v2_navs.setdefault(qname, []).append(
                                (child.get("Name") or "", self.q(child.get("Relationship") or ""),
                                 child.get("FromRole") or "", child.get("ToRole") or ""))
                elif self.v2 and local == "EntityContainer":
                    for child in el:
                        if _local(child.tag) == "AssociationSet":
                            ends = {e.get("Role") or "": e.get("EntitySet") or "" for e in child
                                    if _local(e.tag) == "End"}
                            self.association_sets.append((self.q(child.get("Association") or ""), ends))

    def _association(self, el: Any, ns: str) -> None:
        ends: dict[str, tuple[str, str]] = {}
        constraint: dict[str, tuple[str, list[str]]] = {}
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            if local == "End":
                ends[child.get("Role") or ""] = (self.q(child.get("Type") or ""), child.get("Multiplicity") or "*")
            elif local == "ReferentialConstraint":
                for side in child:
                    side_local = _local(side.tag)
                    if side_local in ("Principal", "Dependent"):
                        constraint[side_local] = (side.get("Role") or "",
                                                  [p.get("Name") or "" for p in side if _local(p.tag) == "PropertyRef"])
        self.associations[f"{ns}.{el.get('Name')}"] = {"ends": ends, "constraint": constraint}

    def reference(self, el: Any) -> Reference:
        includes: list[Include] = []
        include_annotations: list[IncludeAnnotations] = []
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            if local == "Include":
                includes.append(Include(child.get("Namespace") or "", child.get("Alias") or ""))
            elif local == "IncludeAnnotations":
                include_annotations.append(IncludeAnnotations(child.get("TermNamespace") or "",
                                                              child.get("Qualifier") or "",
                                                              child.get("TargetNamespace") or ""))
        return Reference(el.get("Uri") or "", tuple(includes), tuple(include_annotations))

    # -- annotations ---------------------------------------------------------------------
    def annotations_of(self, el: Any, qualifier: str = "") -> list[Annotation]:
        """`Annotation` children of `el` (also v3 `ValueAnnotation`), plus v2 `Documentation`."""
        out: list[Annotation] = []
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            if local == "Annotation" or local == "ValueAnnotation":
                out.append(self.annotation(child, qualifier))
            elif local == "Documentation":
                out.extend(_documentation(child))
        return out

    def annotation(self, el: Any, qualifier: str = "") -> Annotation:
        items = el.items()
        if len(items) == 2:  # the common case (`Term` and `String`: Core.Description) in one lxml call
            (first, term), (second, text) = items
            if first == "Term" and second == "String":
                return Annotation(self.q(term), text, qualifier)
        get = el.get
        term = self.q(get("Term") or "")
        text = get("String")
        if text is not None:  # the common case (Core.Description), without the generic walk
            return Annotation(term, text, get("Qualifier") or qualifier)
        return Annotation(term, self.value_of(el), get("Qualifier") or qualifier)

    def value_of(self, el: Any) -> Any:
        """The value of an annotation or property value: an attribute, else the child expression."""
        for key, value in el.attrib.items():
            if key not in _NOT_VALUE_ATTRS:
                converted = self.constant(key, value)
                if converted is not _NO_VALUE:
                    return converted
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            if local and local != "Annotation":
                return self.expression(child, local)
        return True if _local(el.tag) in ("Annotation", "ValueAnnotation") else None

    def constant(self, kind: str, text: str) -> Any:
        if kind == "String":
            return text
        if kind == "Bool":
            return text == "true"
        if kind == "Int":
            try:
                return int(text)
            except ValueError:
                return text
        if kind in ("Float", "Decimal"):
            try:
                return float(text)
            except ValueError:
                return text
        if kind == "EnumMember":
            return _enum_value(text)
        if kind in _PATH_EXPRESSIONS:
            # CSDL JSON 4.01 §14.4.1: typed paths are plain strings; only `Path` keeps its wrapper.
            return {"$Path": text} if kind == "Path" else text
        if kind in ("Date", "DateTimeOffset", "Duration", "Guid", "TimeOfDay", "Binary"):
            return text
        if kind == "UrlRef":
            return {"$UrlRef": text}
        return _NO_VALUE

    def expression(self, el: Any, local: str) -> Any:
        text = el.text or ""
        if local == "Collection":
            return tuple(self.expression(c, _local(c.tag)) for c in el if _local(c.tag))
        if local == "Record":
            record: dict[str, Any] = {}
            if el.get("Type"):
                record["@type"] = self.q(el.get("Type") or "")
            for child in el:
                child_local = _LOCAL.get(child.tag) or _local(child.tag)
                if child_local == "PropertyValue":
                    record[child.get("Property") or ""] = self.value_of(child)
                elif child_local == "Annotation":
                    ann = self.annotation(child)
                    key = f"@{ann.term}" + (f"#{ann.qualifier}" if ann.qualifier else "")
                    record[key] = ann.value
            return record
        if local == "Null":
            return None
        converted = self.constant(local, text.strip() if local != "String" else text)
        if converted is not _NO_VALUE:
            return converted
        args = [self.expression(c, _local(c.tag)) for c in el if _local(c.tag) and _local(c.tag) != "Annotation"]
        out: dict[str, Any] = {f"${local}": args if args else text}
        for key, value in el.attrib.items():
            out[f"${key}"] = value
        return out

    def merged(self, inline: list[Annotation] | tuple[Annotation, ...], target: str) -> tuple[Annotation, ...]:
        extra = self.external.get(target)
        if extra:
            return (*inline, *extra)
        return tuple(inline)

    # -- schema --------------------------------------------------------------------------
    def schema(self, el: Any, children: list[tuple[str, Any]]) -> Schema:
        ns = el.get("Namespace") or ""
        entity_types: list[EntityType] = []
        complex_types: list[ComplexType] = []
        enum_types: list[EnumType] = []
        type_definitions: list[TypeDefinition] = []
        functions: list[Function] = []
        actions: list[Action] = []
        terms: list[Term] = []
        container: EntityContainer | None = None
        inline: list[Annotation] = []
        for local, child in children:
            if local == "EntityType":
                entity_types.append(self.structured(child, ns, True))  # type: ignore[arg-type]
            elif local == "ComplexType":
                complex_types.append(self.structured(child, ns, False))  # type: ignore[arg-type]
            elif local == "EnumType":
                enum_types.append(self.enum_type(child, ns))
            elif local == "Function":
                functions.append(self.operation(child, ns, True))  # type: ignore[arg-type]
            elif local == "Action":
                actions.append(self.operation(child, ns, False))  # type: ignore[arg-type]
            elif local == "TypeDefinition":
                type_definitions.append(self.type_definition(child, ns))
            elif local == "Term":
                terms.append(self.term(child, ns))
            elif local == "EntityContainer":
                container, v2_ops = self.container(child, ns)
                for op in v2_ops:
                    (functions if isinstance(op, Function) else actions).append(op)  # type: ignore[arg-type]
            elif local == "Annotation":
                inline.append(self.annotation(child))
        if container is not None and self.v2:
            container = self._v2_capabilities(container)
        return Schema(ns, el.get("Alias") or "", tuple(entity_types), tuple(complex_types), tuple(enum_types),
                      tuple(type_definitions), tuple(functions), tuple(actions), tuple(terms), container,
                      self.merged(inline, ns))

    def structured(self, el: Any, ns: str, entity: bool) -> EntityType | ComplexType:
        name = el.get("Name") or ""
        qname = f"{ns}.{name}"
        annotated = self.annotated_members.get(qname)
        props: list[Property] = []
        navs: list[NavigationProperty] = []
        key: list[str] = []
        key_aliases: dict[str, str] = {}
        inline: list[Annotation] = []
        sap = self.v2
        external = self.external
        cache = self.property_cache
        local_get = _LOCAL.get
        for child in el:
            tag = child.tag
            local = local_get(tag) or _local(tag)
            if local == "Property":
                if not sap and not len(child):
                    # All attributes as the key: equal properties are one shared frozen value
                    # (a third of Graph's properties repeat, e.g. `id: Edm.String`); a new one
                    # is built from that same tuple, without asking lxml again.
                    items = tuple(child.items())
                    prop = cache.get(items)
                    if prop is None:
                        prop = cache[items] = self.plain_property(items)
                    if annotated is not None:
                        pname = items[0][1] if items and items[0][0] == "Name" else child.get("Name")
                        if pname in annotated:
                            extra = external.get(f"{qname}/{pname}")
                            if extra:
                                prop = _property_with(prop, tuple(extra))
                    props.append(prop)
                    continue
                extra = None
                if annotated is not None:
                    pname = child.get("Name")
                    if pname in annotated:
                        extra = external.get(f"{qname}/{pname}")
                prop = self.property(child, extra)
                if sap:
                    prop = self._v2_property(prop, child, qname)
                props.append(prop)
            elif local == "NavigationProperty":
                extra = None
                if annotated is not None:
                    nname = child.get("Name")
                    if nname in annotated:
                        extra = external.get(f"{qname}/{nname}")
                if sap:
                    nav = self.v2_navigation(child, qname)
                    if extra:
                        nav = _with_annotations(nav, extra)
                else:
                    nav = self.navigation(child, extra)
                navs.append(nav)
            elif local == "Key":
                for ref in child:
                    if _local(ref.tag) == "PropertyRef":
                        ref_name = ref.get("Name") or ""
                        alias = ref.get("Alias")
                        key.append(alias or ref_name)
                        if alias:
                            key_aliases[alias] = ref_name
            elif local == "Annotation" or local == "ValueAnnotation":
                inline.append(self.annotation(child))
            elif local == "Documentation":
                inline.extend(_documentation(child))
        if sap:
            label = el.get(f"{{{SAP_NS}}}label")
            if label:
                inline.append(Annotation(f"{COMMON}.Label", label))
        annotations = self.merged(inline, qname)
        base = el.get("BaseType")
        abstract = open_type = has_stream = False
        if len(el.attrib) > 1:  # only Name is common; flags are rare
            abstract = el.get("Abstract") == "true"
            open_type = el.get("OpenType") == "true"
            has_stream = (el.get("HasStream") or el.get(f"{{{M_NS}}}HasStream")) == "true"
        if entity:
            return EntityType(name, ns, tuple(key), tuple(props), tuple(navs), self.q(base) if base else "",
                              abstract, open_type, has_stream, annotations, key_aliases)
        return ComplexType(name, ns, tuple(props), tuple(navs), self.q(base) if base else "",
                           abstract, open_type, annotations)

    def property(self, el: Any, extra: list[Annotation] | None = None) -> Property:
        # The hottest function (10k calls on Graph): attributes read once, facets only when present.
        attrib = el.attrib
        type_name, collection = self.typed(attrib.get("Type") or "")
        annotations: tuple[Annotation, ...] = tuple(self.annotations_of(el)) if len(el) else ()
        if extra:
            annotations = (*annotations, *extra)
        if len(attrib) <= 2:
            return Property(attrib.get("Name") or "", type_name, collection, annotations=annotations)
        return _with_facets(attrib.get, type_name, collection, annotations)

    def plain_property(self, items: tuple[tuple[str, str], ...]) -> Property:
        """`property` of a childless element from its attribute items (the same value)."""
        if len(items) <= 3 and items[0][0] == "Name" and items[1][0] == "Type":
            # The common shapes (Graph: 7.5k `Name Type`, 3k `Name Type Nullable`).
            type_name, collection = self.typed(items[1][1])
            if len(items) == 2:
                return Property(items[0][1], type_name, collection)
            if items[2][0] == "Nullable":
                return Property(items[0][1], type_name, collection, items[2][1] != "false",
                                None, None, None, None, None, None, ())
        get = dict(items).get
        type_name, collection = self.typed(get("Type") or "")
        if len(items) <= 2:
            return Property(get("Name") or "", type_name, collection)
        return _with_facets(get, type_name, collection, ())

    def typed(self, type_name: str) -> tuple[str, bool]:
        """A property's `Type` split into (qualified type, is a collection)."""
        collection = False
        if type_name[:11] == "Collection(":
            type_name = type_name[11:-1]
            collection = True
        if type_name[:4] != "Edm.":
            type_name = self.q(type_name)
        return type_name, collection

    def navigation(self, el: Any, extra: list[Annotation] | None = None) -> NavigationProperty:
        get = dict(el.items()).get  # one lxml call for the five attributes read below
        type_name, collection = _split_type(get("Type") or "")
        constraints: list[ReferentialConstraint] = []
        on_delete = ""
        annotations: list[Annotation] = list(extra) if extra else []
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            if local == "ReferentialConstraint":
                constraints.append(ReferentialConstraint(child.get("Property") or "",
                                                         child.get("ReferencedProperty") or ""))
            elif local == "OnDelete":
                on_delete = child.get("Action") or ""
            elif local == "Annotation":
                annotations.append(self.annotation(child))
        return NavigationProperty(get("Name") or "", self.q(type_name), collection, get("Nullable") != "false",
                                  get("Partner") or "", get("ContainsTarget") == "true", on_delete,
                                  tuple(constraints), tuple(annotations), "")

    def v2_navigation(self, el: Any, owner: str) -> NavigationProperty:
        """A v2/v3 navigation property resolved through its association (CSDL 1.0 §NavigationProperty)."""
        name = el.get("Name") or ""
        relationship = self.q(el.get("Relationship") or "")
        from_role = el.get("FromRole") or ""
        to_role = el.get("ToRole") or ""
        assoc = self.associations.get(relationship)
        if assoc is None:
            raise CsdlError(f"Navigation property {owner}/{name} refers to an unknown association {relationship!r}.")
        target_type, multiplicity = assoc["ends"].get(to_role, ("", "*"))
        if not target_type:
            raise CsdlError(f"Association {relationship!r} has no end with role {to_role!r} "
                            f"(navigation property {owner}/{name}).")
        partner = ""
        for other_name, other_rel, other_from, other_to in self.v2_navs.get(target_type, ()):
            if other_rel == relationship and other_from == to_role and other_to == from_role and (
                    target_type != owner or other_name != name):
                partner = other_name
                break
        constraints: list[ReferentialConstraint] = []
        constraint = assoc["constraint"]
        dependent = constraint.get("Dependent")
        principal = constraint.get("Principal")
        if dependent and principal and dependent[0] == from_role and principal[0] == to_role:
            constraints = [ReferentialConstraint(d, p) for d, p in zip(dependent[1], principal[1])]
        annotations = tuple(self.annotations_of(el)) if len(el) else ()
        return NavigationProperty(name, target_type, multiplicity == "*", multiplicity != "1", partner, False, "",
                                  tuple(constraints), annotations, relationship)

    def _v2_property(self, prop: Property, el: Any, owner: str) -> Property:
        """Translate SAP v2 annotation attributes on a property (as odata-csdl xml2json does)."""
        attrib = el.attrib
        if len(attrib) <= 2:
            return prop
        extra: list[Annotation] = []
        creatable = updatable = True
        for key, value in attrib.items():
            if not key.startswith(f"{{{SAP_NS}}}"):
                continue
            local = key[len(SAP_NS) + 2:]
            if local == "label":
                extra.append(Annotation(f"{COMMON}.Label", value))
            elif local == "quickinfo":
                extra.append(Annotation(f"{CORE}.Description", value))
            elif local == "creatable":
                creatable = value == "true"
            elif local == "updatable":
                updatable = value == "true"
            elif local == "filterable" and value == "false":
                self.v2_nonfilterable.setdefault(owner, []).append(prop.name)
            elif local == "sortable" and value == "false":
                self.v2_nonsortable.setdefault(owner, []).append(prop.name)
            elif local == "required-in-filter" and value == "true":
                self.v2_required_filter.setdefault(owner, []).append(prop.name)
        if not creatable and not updatable:
            extra.append(Annotation(f"{CORE}.Computed", True))
        elif creatable and not updatable:
            extra.append(Annotation(f"{CORE}.Immutable", True))
        return _with_annotations(prop, extra) if extra else prop

    def _v2_capabilities(self, container: EntityContainer) -> EntityContainer:
        sets: list[EntitySet] = []
        for es in container.entity_sets:
            extra: list[Annotation] = []
            filt: dict[str, Any] = {}
            if es.entity_type in self.v2_nonfilterable:
                filt["NonFilterableProperties"] = tuple(
                    p for p in self.v2_nonfilterable[es.entity_type])
            if es.entity_type in self.v2_required_filter:
                filt["RequiredProperties"] = tuple(
                    p for p in self.v2_required_filter[es.entity_type])
            if filt:
                existing = next((a for a in es.annotations if a.term == f"{CAPS}.FilterRestrictions"), None)
                if existing is not None and isinstance(existing.value, dict):
                    filt = {**existing.value, **filt}
                extra.append(Annotation(f"{CAPS}.FilterRestrictions", filt))
            if es.entity_type in self.v2_nonsortable:
                extra.append(Annotation(f"{CAPS}.SortRestrictions", {"NonSortableProperties": tuple(
                    p for p in self.v2_nonsortable[es.entity_type])}))
            if extra:
                replaced = {a.term for a in extra}
                es = _with_annotations(es, extra, replace_terms=replaced)
            sets.append(es)
        return cast(EntityContainer, _replace(container, entity_sets=tuple(sets)))

    def enum_type(self, el: Any, ns: str) -> EnumType:
        name = el.get("Name") or ""
        qname = f"{ns}.{name}"
        members: list[EnumMember] = []
        inline: list[Annotation] = []
        next_value = 0
        annotated = self.annotated_members.get(qname, ())
        local_get = _LOCAL.get
        for child in el:
            tag = child.tag
            local = local_get(tag) or _local(tag)
            if local == "Member":
                get = child.get
                raw = get("Value")
                value = int(raw) if raw is not None else next_value
                next_value = value + 1
                mname = get("Name") or ""
                annotations = tuple(self.annotations_of(child)) if len(child) else ()
                if mname in annotated:
                    annotations = self.merged(annotations, f"{qname}/{mname}")
                members.append(EnumMember(mname, value, annotations))
            elif local == "Annotation":
                inline.append(self.annotation(child))
        return EnumType(name, ns, tuple(members), el.get("IsFlags") == "true",
                        default_object(self.q(el.get("UnderlyingType") or EDM_INT32)), self.merged(inline, qname))

    def type_definition(self, el: Any, ns: str) -> TypeDefinition:
        name = el.get("Name") or ""
        unicode = el.get("Unicode")
        return TypeDefinition(name, ns, self.q(el.get("UnderlyingType") or ""), _facet_int(el.get("MaxLength")),
                              _int(el.get("Precision")), _facet_int(el.get("Scale")), el.get("SRID"),
                              None if unicode is None else unicode != "false",
                              self.merged(self.annotations_of(el), f"{ns}.{name}"))

    def term(self, el: Any, ns: str) -> Term:
        name = el.get("Name") or ""
        type_name, collection = _split_type(el.get("Type") or "")
        return Term(name, ns, self.q(type_name), collection, tuple((el.get("AppliesTo") or "").split()),
                    self.q(el.get("BaseTerm") or "") if el.get("BaseTerm") else "", el.get("DefaultValue"),
                    self.merged(self.annotations_of(el), f"{ns}.{name}"))

    def parameter(self, el: Any) -> Parameter:
        type_name, collection = _split_type(el.get("Type") or "")
        if len(el.attrib) == 2 and not len(el):
            return Parameter(el.get("Name") or "", self.q(type_name), collection)
        return Parameter(el.get("Name") or "", self.q(type_name), collection, el.get("Nullable") != "false",
                         _facet_int(el.get("MaxLength")), _int(el.get("Precision")), _facet_int(el.get("Scale")),
                         tuple(self.annotations_of(el)) if len(el) else ())

    def operation(self, el: Any, ns: str, is_function: bool) -> Function | Action:
        name = el.get("Name") or ""
        params: list[Parameter] = []
        returns: ReturnType | None = None
        inline: list[Annotation] = []
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            if local == "Parameter":
                if len(child):
                    params.append(self.parameter(child))
                else:  # shared like properties: Graph's 3,000 parameters have 900 distinct shapes
                    cache_key = tuple(child.items())
                    param = self.parameter_cache.get(cache_key)
                    if param is None:
                        param = self.parameter_cache[cache_key] = self.parameter(child)
                    params.append(param)
            elif local == "ReturnType":
                cache_key = tuple(child.items())
                returns = None if len(child) else self.return_cache.get(cache_key)
                if returns is None:
                    type_name, collection = _split_type(child.get("Type") or "")
                    returns = ReturnType(self.q(type_name), collection, child.get("Nullable") != "false",
                                         tuple(self.annotations_of(child)) if len(child) else ())
                    if not len(child):
                        self.return_cache[cache_key] = returns
            elif local == "Annotation":
                inline.append(self.annotation(child))
        is_bound = el.get("IsBound") == "true"
        qname = f"{ns}.{name}"
        annotations = self.merged(inline, qname)
        if self.external:
            if is_function:
                signature = ",".join(p.type_name for p in params)
            else:
                signature = params[0].type_name if is_bound and params else ""
            annotations = self.merged(annotations, f"{qname}({signature})")
            if qname in self.member_targets or f"{qname}({signature})" in self.member_targets:
                params = [_with_annotations(p, [*self.external.get(f"{qname}/{p.name}", ()),
                                                *self.external.get(f"{qname}({signature})/{p.name}", ())])
                          for p in params]
        entity_set_path = el.get("EntitySetPath") or ""
        if is_function:
            return Function(name, ns, tuple(params), returns, is_bound, el.get("IsComposable") == "true",
                            entity_set_path, annotations)
        return Action(name, ns, tuple(params), returns, is_bound, entity_set_path, annotations)

    # -- containers ----------------------------------------------------------------------
    def container(self, el: Any, ns: str) -> tuple[EntityContainer, list[Function | Action]]:
        name = el.get("Name") or ""
        qname = f"{ns}.{name}"
        sets: list[EntitySet] = []
        singletons: list[Singleton] = []
        function_imports: list[FunctionImport] = []
        action_imports: list[ActionImport] = []
        v2_ops: list[Function | Action] = []
        inline: list[Annotation] = []
        for child in el:
            local = _LOCAL.get(child.tag) or _local(child.tag)
            child_name = child.get("Name") or ""
            target = f"{qname}/{child_name}"
            if local == "EntitySet":
                bindings: list[NavigationBinding] = []
                annotations: list[Annotation] = []
                entity_type = self.q(child.get("EntityType") or "")
                for sub in child:
                    sub_local = _local(sub.tag)
                    if sub_local == "NavigationPropertyBinding":
                        bindings.append(NavigationBinding(sub.get("Path") or "", sub.get("Target") or ""))
                    elif sub_local in ("Annotation", "ValueAnnotation"):
                        annotations.append(self.annotation(sub))
                    elif sub_local == "Documentation":
                        annotations.extend(_documentation(sub))
                if self.v2:
                    bindings.extend(self._v2_bindings(child_name, entity_type))
                    annotations.extend(_v2_set_annotations(child))
                sets.append(EntitySet(child_name, entity_type, tuple(bindings),
                                      child.get("IncludeInServiceDocument") != "false",
                                      self.merged(annotations, target), name))
            elif local == "Singleton":
                bindings = []
                annotations = []
                for sub in child:
                    sub_local = _local(sub.tag)
                    if sub_local == "NavigationPropertyBinding":
                        bindings.append(NavigationBinding(sub.get("Path") or "", sub.get("Target") or ""))
                    elif sub_local == "Annotation":
                        annotations.append(self.annotation(sub))
                singletons.append(Singleton(child_name, self.q(child.get("Type") or ""), tuple(bindings),
                                            self.merged(annotations, target), name,
                                            child.get("Nullable") == "true"))
            elif local == "FunctionImport" and self.v2:
                imp, op = self._v2_function_import(child, ns, name, target)
                if op is not None:
                    v2_ops.append(op)
                if isinstance(imp, FunctionImport):
                    function_imports.append(imp)
                elif isinstance(imp, ActionImport):
                    action_imports.append(imp)
            elif local == "FunctionImport":
                function_imports.append(FunctionImport(
                    child_name, self.q(child.get("Function") or ""), child.get("EntitySet") or "",
                    child.get("IncludeInServiceDocument") == "true",
                    self.merged(self.annotations_of(child), target), name))
            elif local == "ActionImport":
                action_imports.append(ActionImport(child_name, self.q(child.get("Action") or ""),
                                                   child.get("EntitySet") or "",
                                                   self.merged(self.annotations_of(child), target), name))
            elif local == "Annotation":
                inline.append(self.annotation(child))
        is_default = el.get(f"{{{M_NS}}}IsDefaultEntityContainer")
        return EntityContainer(name, ns, tuple(sets), tuple(singletons), tuple(function_imports),
                               tuple(action_imports), self.q(el.get("Extends") or "") if el.get("Extends") else "",
                               is_default != "false", self.merged(inline, qname)), v2_ops

    def _v2_bindings(self, set_name: str, entity_type: str) -> list[NavigationBinding]:
        """v2/v3 association sets → navigation bindings of the entity set on the `FromRole` end.

        Navigation properties of derived types get a type-cast path (`NS.Derived/nav`), as in
        CSDL 4.01 §13.4.1 and the odata-csdl converter.
        """
        out: list[NavigationBinding] = []
        for owner in (entity_type, *self._v2_derived(entity_type)):
            prefix = "" if owner == entity_type else f"{owner}/"
            for nav_name, relationship, from_role, to_role in self.v2_navs.get(owner, ()):
                for assoc, ends in self.association_sets:
                    if assoc == relationship and ends.get(from_role) == set_name and to_role in ends:
                        out.append(NavigationBinding(prefix + nav_name, ends[to_role]))
                        break
        return out

    def _v2_derived(self, base: str) -> list[str]:
        out: list[str] = []
        for derived, parent in self.v2_base.items():
            seen = {derived}
            while parent and parent not in seen:
                if parent == base:
                    out.append(derived)
                    break
                seen.add(parent)
                parent = self.v2_base.get(parent, "")
        return out

    def _v2_function_import(self, el: Any, ns: str, container: str, target: str
                            ) -> tuple[FunctionImport | ActionImport | None, Function | Action | None]:
        """A v2/v3 service operation: GET → function, other methods → action (as odata-csdl does)."""
        name = el.get("Name") or ""
        method = el.get(f"{{{M_NS}}}HttpMethod") or next(
            (v for k, v in el.attrib.items() if k.endswith("}HttpMethod") or k == "HttpMethod"), None)
        bindable = el.get("IsBindable") == "true"
        if method is None:
            is_function = el.get("IsSideEffecting") == "false"
        else:
            is_function = method.upper() == "GET"
        params = tuple(self.parameter(p) for p in el if _local(p.tag) == "Parameter")
        returns = None
        if el.get("ReturnType"):
            type_name, collection = _split_type(el.get("ReturnType") or "")
            returns = ReturnType(self.q(type_name), collection)
        annotations = self.merged(self.annotations_of(el), target)
        entity_set = el.get("EntitySet") or ""
        http = default_object((method or (GET if is_function else POST)).upper())
        op: Function | Action
        if is_function:
            op = Function(name, ns, params, returns, bindable, el.get("IsComposable") == "true", "", annotations)
        else:
            op = Action(name, ns, params, returns, bindable, "", annotations)
        if bindable:
            return None, op
        if is_function:
            return FunctionImport(name, f"{ns}.{name}", entity_set, True, annotations, container, http), op
        return ActionImport(name, f"{ns}.{name}", entity_set, annotations, container, http), op


_NO_VALUE = object()


def _property_with(prop: Property, annotations: tuple[Annotation, ...]) -> Property:
    """`prop` with other annotations (a shared property that an `Annotations` target names)."""
    return msgspec.structs.replace(prop, annotations=annotations)


_NOT_VALUE_ATTRS = frozenset({"Term", "Qualifier", "Property", "Target"})


def _documentation(el: Any) -> list[Annotation]:
    """v2/v3 `Documentation` (Summary, LongDescription) → Core.Description / Core.LongDescription."""
    out: list[Annotation] = []
    for doc in el:
        doc_local = _local(doc.tag)
        if doc_local == "Summary" and doc.text and doc.text.strip():
            out.append(Annotation(f"{CORE}.Description", doc.text.strip()))
        elif doc_local == "LongDescription" and doc.text and doc.text.strip():
            out.append(Annotation(f"{CORE}.LongDescription", doc.text.strip()))
    return out

_SAP_SET = {
    "creatable": ("false", f"{CAPS}.InsertRestrictions", {"Insertable": False}),
    "updatable": ("false", f"{CAPS}.UpdateRestrictions", {"Updatable": False}),
    "deletable": ("false", f"{CAPS}.DeleteRestrictions", {"Deletable": False}),
    "countable": ("false", f"{CAPS}.CountRestrictions", {"Countable": False}),
    "searchable": ("true", f"{CAPS}.SearchRestrictions", {"Searchable": True}),
    "requires-filter": ("true", f"{CAPS}.FilterRestrictions", {"RequiresFilter": True}),
    "addressable": ("false", f"{CAPS}.IndexableByKey", False),
}


def _v2_set_annotations(el: Any) -> list[Annotation]:
    """SAP v2 entity-set attributes → Capabilities terms (SAP annotations for OData v2)."""
    out: list[Annotation] = []
    for key, value in el.attrib.items():
        if not key.startswith(f"{{{SAP_NS}}}"):
            continue
        local = key[len(SAP_NS) + 2:]
        if local == "pageable" and value == "false":
            out.append(Annotation(f"{CAPS}.TopSupported", False))
            out.append(Annotation(f"{CAPS}.SkipSupported", False))
        elif local == "label":
            out.append(Annotation(f"{COMMON}.Label", value))
        elif local in _SAP_SET and value == _SAP_SET[local][0]:
            _, term, term_value = _SAP_SET[local]
            out.append(Annotation(term, term_value))
    return out


def _replace(obj: Any, **changes: Any) -> Any:
    return msgspec.structs.replace(obj, **changes)


def _with_annotations(obj: Any, extra: Any, replace_terms: set[str] | None = None) -> Any:
    extra = tuple(extra)
    if not extra:
        return obj
    kept = obj.annotations if not replace_terms else tuple(a for a in obj.annotations if a.term not in replace_terms)
    return _replace(obj, annotations=(*kept, *extra))

