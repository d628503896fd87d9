"""The metadata browser's details as HTML: one element of a CSDL model described for a reader.

Plain functions over `core.csdl.model` values, apart from the browser widget so they can be
tested without Qt and reused by anything that renders HTML. Links use two schemes the browser
follows: `type:<qualified name>` and `set:<entity set name>`; a key property shows the image
`icon:key`, which the browser registers with its text document.
"""

from __future__ import annotations

import html

from workbench.core.csdl.model import (
    Action,
    ActionImport,
    Annotation,
    ComplexType,
    EntitySet,
    EntityType,
    EnumType,
    Function,
    FunctionImport,
    Model,
    NavigationProperty,
    Property,
    Schema,
    Singleton,
    TypeDefinition,
    annotation,
)


def overview_html(model: Model) -> str:
    """What the details pane shows before anything is selected: counts and references."""
    counts = model.counts()
    rows = "".join(f"<tr><td>{k.replace('_', ' ')}</td><td align='right'>{v}</td></tr>" for k, v in counts.items())
    refs = "".join(f"<li>{html.escape(r.uri)}</li>" for r in model.references)
    return (f"<h3>OData {html.escape(model.version)} metadata</h3><table>{rows}</table>"
            + (f"<p><b>References</b></p><ul>{refs}</ul>" if refs else "")
            + "<p>Select an element on the left; links jump to types.</p>")


def _type_link(model: Model, type_name: str, collection: bool = False) -> str:
    found = model.find_type(type_name)
    text = html.escape(type_name.rpartition(".")[2] if found is not None else type_name)
    inner = f"<a href='type:{html.escape(type_name)}'>{text}</a>" if found is not None else text
    return f"Collection({inner})" if collection else inner


def details_html(model: Model, obj: object, kind: str) -> str:
    """The details of one element of `model` (`kind` is the tree's kind, e.g. "schema"); "" for others.

    Every name and description is escaped: they come from a service's `$metadata`, which may
    hold `<` and `&` like any text, and the pane renders HTML.
    """
    if obj is None:
        return ""
    if isinstance(obj, (EntitySet, Singleton)):
        return _set_html(model, obj)
    if isinstance(obj, (EntityType, ComplexType)):
        return _structured_html(model, obj)
    if isinstance(obj, EnumType):
        rows = "".join(
            f"<tr><td>{html.escape(m.name)}</td><td>{m.value}</td>"
            f"<td>{html.escape(str(annotation(m.annotations, 'Core.Description') or ''))}</td></tr>"
            for m in obj.members)
        return (f"<h3>{html.escape(obj.name)} <small>enum{' (flags)' if obj.is_flags else ''} of "
                f"{html.escape(obj.underlying_type)}</small></h3>{_para(obj.description)}"
                f"<table border='0' cellspacing='6'><tr><th align='left'>Member</th><th>Value</th>"
                f"<th align='left'>Description</th></tr>{rows}</table>")
    if isinstance(obj, TypeDefinition):
        return (f"<h3>{html.escape(obj.name)}</h3><p>Underlying type {html.escape(obj.underlying_type)}"
                f"{_facets(obj)}</p>{_para(obj.description)}")
    if isinstance(obj, (Function, Action)):
        return _operation_html(model, obj)
    if isinstance(obj, (FunctionImport, ActionImport)):
        target = obj.function if isinstance(obj, FunctionImport) else obj.action
        parts = [_operation_html(model, op) for op in model.operations(target)]
        return (f"<h3>{html.escape(obj.name)} <small>{'function' if isinstance(obj, FunctionImport) else 'action'}"
                f" import ({html.escape(obj.http_method)})</small></h3>{_para(obj.description)}"
                + (f"<p>Returns entities of <a href='set:{html.escape(obj.entity_set)}'>"
                   f"{html.escape(obj.entity_set)}</a></p>" if obj.entity_set else "") + "".join(parts))
    if isinstance(obj, NavigationProperty):
        return (f"<h3>{html.escape(obj.name)} <small>navigation</small></h3>"
                f"<p>Target: {_type_link(model, obj.type, obj.collection)} — multiplicity {obj.multiplicity}"
                + (f", partner {html.escape(obj.partner)}" if obj.partner else "")
                + (", containment" if obj.contains_target else "") + f"</p>{_para(obj.description)}")
    if isinstance(obj, Property):
        return (f"<h3>{html.escape(obj.name)} <small>property</small></h3>"
                f"<p>Type: {_type_link(model, obj.type, obj.collection)}{_facets(obj)}"
                f"{'' if obj.nullable else ', not nullable'}"
                + (f", default {html.escape(obj.default)}" if obj.default is not None else "")
                + f"</p>{_para(obj.description)}{_annotations_html(obj.annotations)}")
    if kind == "schema" and isinstance(obj, Schema):
        return f"<h3>Schema {html.escape(obj.namespace)}</h3>" + (
            f"<p>Alias {html.escape(obj.alias)}</p>" if obj.alias else "")
    return ""


def _set_html(model: Model, es: EntitySet | Singleton) -> str:
    entity_type = model.entity_type(es.entity_type)
    caps = es.capabilities
    notes = []
    if not caps.insertable:
        notes.append("no insert")
    if not caps.updatable:
        notes.append("no update")
    if not caps.deletable:
        notes.append("no delete")
    if not caps.top_supported:
        notes.append("no $top")
    if not caps.skip_supported:
        notes.append("no $skip")
    if caps.filter_required:
        notes.append("$filter required" + (f" on {', '.join(caps.required_filter_properties)}"
                                           if caps.required_filter_properties else ""))
    if caps.non_filterable_properties:
        notes.append("not filterable: " + ", ".join(caps.non_filterable_properties))
    if caps.non_sortable_properties:
        notes.append("not sortable: " + ", ".join(caps.non_sortable_properties))
    bindings = "".join(f"<li>{html.escape(b.path)} → <a href='set:{html.escape(b.target.rpartition('/')[2])}'>"
                       f"{html.escape(b.target)}</a></li>" for b in es.navigation_bindings)
    kind = "entity set" if isinstance(es, EntitySet) else "singleton"
    return (f"<h3>{html.escape(es.name)} <small>{kind} of {_type_link(model, es.entity_type)}</small></h3>"
            f"{_para(es.description)}"
            + (f"<p><b>Capabilities:</b> {html.escape('; '.join(notes))}</p>" if notes else "")
            + (f"<p><b>Navigation bindings</b></p><ul>{bindings}</ul>" if bindings else "")
            + (_members_html(model, entity_type) if entity_type is not None else ""))


def _structured_html(model: Model, structured: EntityType | ComplexType) -> str:
    flags = []
    if structured.abstract:
        flags.append("abstract")
    if structured.open_type:
        flags.append("open")
    if isinstance(structured, EntityType) and structured.has_stream:
        flags.append("media entity")
    base = f" : {_type_link(model, structured.base_type)}" if structured.base_type else ""
    derived = model.derived_types(structured)
    derived_html = ("<p>Derived: " + ", ".join(_type_link(model, d) for d in derived) + "</p>") if derived else ""
    kind = "entity type" if isinstance(structured, EntityType) else "complex type"
    return (f"<h3>{html.escape(structured.name)} <small>{kind}{base}"
            f"{' [' + ', '.join(flags) + ']' if flags else ''}</small></h3>"
            f"<p><small>{html.escape(structured.qualified_name)}</small></p>{_para(structured.description)}"
            f"{derived_html}{_members_html(model, structured)}")


def _members_html(model: Model, structured: EntityType | ComplexType) -> str:
    keys = set(model.key_of(structured)) if isinstance(structured, EntityType) else set()
    rows = []
    for prop in model.all_properties(structured):
        key = "<img src='icon:key' width='14' height='14'>" if prop.name in keys else ""
        rows.append(f"<tr><td>{key}</td><td><b>{html.escape(prop.name)}</b></td>"
                    f"<td>{_type_link(model, prop.type, prop.collection)}{_facets(prop)}</td>"
                    f"<td>{'yes' if prop.nullable else 'no'}</td><td>{html.escape(prop.description)}</td></tr>")
    props = ("<p><b>Properties</b></p><table border='0' cellspacing='0' cellpadding='4'><tr><th></th><th align='left'>Name</th>"
             "<th align='left'>Type</th><th align='left'>Nullable</th><th align='left'>Description</th></tr>"
             + "".join(rows) + "</table>") if rows else ""
    navs = []
    for nav in model.all_navigation_properties(structured):
        navs.append(f"<tr><td><a href='type:{html.escape(nav.type)}'>{html.escape(nav.name)}</a></td>"
                    f"<td>{_type_link(model, nav.type, nav.collection)}</td><td>{nav.multiplicity}</td>"
                    f"<td>{html.escape(nav.partner)}</td><td>{html.escape(nav.description)}</td></tr>")
    nav_html = ("<p><b>Navigation properties</b></p><table border='0' cellspacing='0' cellpadding='4'><tr>"
                "<th align='left'>Name</th><th align='left'>Target</th><th>Multiplicity</th>"
                "<th align='left'>Partner</th><th align='left'>Description</th></tr>" + "".join(navs)
                + "</table>") if navs else ""
    bound = model.bound_operations(structured.qualified_name)
    bound_html = ("<p><b>Bound operations</b>: " + ", ".join(
        f"{html.escape(op.name)}{' (collection)' if op.binding_parameter and op.binding_parameter.collection else ''}"
        for op in bound) + "</p>") if bound else ""
    return props + nav_html + bound_html


def _operation_html(model: Model, op: Function | Action) -> str:
    params = "".join(f"<li>{html.escape(p.name)}: {_type_link(model, p.type, p.collection)}"
                     f"{'' if p.nullable else ' (required)'}</li>" for p in op.parameters)
    ret = (f"<p>Returns {_type_link(model, op.return_type.type, op.return_type.collection)}</p>"
           if op.return_type else "<p>Returns nothing</p>")
    kind = "function" if isinstance(op, Function) else "action"
    flags = ", bound" if op.is_bound else ""
    if isinstance(op, Function) and op.is_composable:
        flags += ", composable"
    return (f"<h4>{html.escape(op.name)} <small>{kind}{flags}</small></h4>{_para(op.description)}"
            + (f"<ul>{params}</ul>" if params else "<p>No parameters</p>") + ret)


def _para(text: str) -> str:
    return f"<p>{html.escape(text)}</p>" if text else ""


def _facets(item: Property | TypeDefinition) -> str:
    parts = []
    if item.max_length is not None:
        parts.append(f"max length {item.max_length}")
    if item.precision is not None:
        parts.append(f"precision {item.precision}")
    if item.scale is not None:
        parts.append(f"scale {item.scale}")
    return f" <small>({', '.join(parts)})</small>" if parts else ""


def _annotations_html(annotations: tuple[Annotation, ...]) -> str:
    if not annotations:
        return ""
    rows = "".join(f"<li>{html.escape(a.term)}{'#' + html.escape(a.qualifier) if a.qualifier else ''}: "
                   f"{html.escape(str(a.value))[:300]}</li>" for a in annotations)
    return f"<p><b>Annotations</b></p><ul>{rows}</ul>"
