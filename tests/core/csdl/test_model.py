"""The CSDL model's lookups (CSDL 4.01 §5 names and aliases, §6 inheritance, Capabilities)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from workbench.core.csdl.model import (
    Annotation,
    Capabilities,
    EntityType,
    Model,
    NavigationProperty,
    Property,
    Schema,
    annotation,
    capabilities_of,
    expand_term,
    model_json,
)
from workbench.core.csdl.xml_reader import parse_xml

DATA = Path(__file__).resolve().parents[2] / "data" / "csdl"


@pytest.fixture(scope="module")
def shop() -> Model:
    return parse_xml((DATA / "constructs-v4.xml").read_bytes())


def test_alias_and_namespace_find_the_same_type(shop: Model) -> None:
    """CSDL 4.01 §5.3: an alias is only a shorthand for its namespace."""
    assert shop.find_type("shop.Customer") is shop.find_type("Example.Shop.Customer")
    assert shop.find_type("Collection(shop.Order)") is shop.find_type("Example.Shop.Order")
    assert shop.resolve("shop.Order") == "Example.Shop.Order"
    assert shop.resolve("Collection(shop.Order)") == "Collection(Example.Shop.Order)"
    assert shop.find_type("shop.Nope") is None
    assert shop.schema("shop") is shop.schema("Example.Shop")


def test_inherited_properties_and_key(shop: Model) -> None:
    """CSDL 4.01 §6.1.1: a derived type has its base type's properties and key."""
    vip = shop.entity_type("shop.VipCustomer")
    assert vip is not None and vip.key == ()
    assert shop.key_of(vip) == ("ID",)
    names = [p.name for p in shop.all_properties(vip)]
    assert names[:2] == ["ID", "CreatedAt"] and names[-1] == "Level"
    assert shop.property(vip, "Name") is not None and shop.property(vip, "Nope") is None
    assert [n.name for n in shop.all_navigation_properties(vip)] == ["Orders"]
    assert [t.name for t in shop.base_types(vip)] == ["Customer", "Entity"]
    assert shop.derived_types("shop.Customer") == ["Example.Shop.VipCustomer"]


def test_entity_set_lookups(shop: Model) -> None:
    assert shop.entity_set("Customers") is shop.entity_set("Container/Customers")
    assert shop.entity_set("shop.Container/Customers") is shop.entity_set("Customers")
    assert shop.entity_type_of_set("Customers").name == "Customer"  # type: ignore[union-attr]
    assert shop.entity_type_of_set("Me").name == "Customer"  # type: ignore[union-attr]
    assert shop.entity_type_of_set("Nope") is None
    orders = shop.entity_set("Orders")
    assert orders is not None and orders.include_in_service_document is False
    assert shop.binding_target(orders, "Customer") is shop.entity_set("Customers")
    assert shop.binding_target(shop.singleton("Me"), "Orders") is orders  # type: ignore[arg-type]


def test_navigation_target_and_multiplicity(shop: Model) -> None:
    order = shop.entity_type("shop.Order")
    assert order is not None
    customer = shop.navigation_property(order, "Customer")
    assert customer is not None and customer.multiplicity == "1"
    assert shop.navigation_target(customer).name == "Customer"  # type: ignore[union-attr]
    lines = shop.navigation_property(order, "Lines")
    assert lines is not None and lines.multiplicity == "*" and lines.contains_target
    assert NavigationProperty("x", "T").multiplicity == "0..1"


def test_key_properties_compound(shop: Model) -> None:
    order = shop.entity_type("shop.Order")
    assert [p.type for p in shop.key_properties(order)] == ["Edm.Int64", "Edm.Int16"]  # type: ignore[arg-type]


def test_operations_and_overloads(shop: Model) -> None:
    """Each overload is its own Function; counts add them up (issue 6: overloads count one each)."""
    totals = shop.operations("shop.Total")
    assert len(totals) == 2
    assert all(op.is_bound for op in totals)
    assert totals[1].binding_parameter.collection is True  # type: ignore[union-attr]
    assert [p.name for p in totals[1].call_parameters] == ["currency"]
    assert shop.counts()["functions"] == 3
    assert [op.name for op in shop.bound_operations("shop.Order", collection=False)] == ["Total", "Ship"]
    assert [op.name for op in shop.bound_operations("shop.Order", collection=True)] == ["Total"]


def test_annotation_lookup_by_alias_and_qualifier(shop: Model) -> None:
    customers = shop.entity_set("Customers")
    assert customers is not None
    assert customers.description == "All customers"
    assert annotation(customers.annotations, "Core.Description", "Tablet") == "Customers (short)"
    assert annotation(customers.annotations, "Org.OData.Core.V1.Description") == "All customers"
    assert expand_term("Capabilities.TopSupported") == "Org.OData.Capabilities.V1.TopSupported"
    only_qualified = (Annotation("Org.OData.Core.V1.Description", "q", "Phone"),)
    assert annotation(only_qualified, "Core.Description") == "q"
    assert annotation(only_qualified, "Core.Description", "Tablet") is None


def test_capabilities_parsed_into_usable_form(shop: Model) -> None:
    caps = shop.entity_set("Customers").capabilities  # type: ignore[union-attr]
    assert caps.filter_required and caps.required_filter_properties == ("Name",)
    assert caps.non_filterable_properties == ("Emails", "Location")
    assert caps.non_sortable_properties == ("Emails",)
    assert not caps.insertable and not caps.deletable and caps.updatable
    assert not caps.top_supported and caps.skip_supported
    assert shop.entity_set("Orders").capabilities == Capabilities()  # type: ignore[union-attr]


def test_capabilities_default_is_allowed() -> None:
    """Org.OData.Capabilities.V1: an absent restriction means allowed."""
    caps = capabilities_of(())
    assert caps.filterable and caps.sortable and caps.insertable and caps.top_supported
    caps = capabilities_of((Annotation("Org.OData.Capabilities.V1.CountRestrictions", {"Countable": False}),
                            Annotation("Org.OData.Capabilities.V1.SkipSupported", False)))
    assert not caps.countable and not caps.skip_supported


def test_property_conveniences(shop: Model) -> None:
    entity = shop.entity_type("shop.Entity")
    assert entity is not None and entity.abstract
    identifier = shop.property(entity, "ID")
    created = shop.property(entity, "CreatedAt")
    assert identifier is not None and identifier.computed and not identifier.nullable
    assert created is not None and created.permissions == "Read" and created.precision == 3
    assert Property("Emails", "Edm.String", collection=True).type_name == "Collection(Edm.String)"


def test_model_built_in_code_and_dict() -> None:
    model = Model("4.0", (Schema("NS", "n", entity_types=(
        EntityType("A", "NS", key=("ID",), properties=(Property("ID", "Edm.Int32", nullable=False),)),)),))
    assert model.find_type("n.A") is not None
    plain = json.loads(model_json(model))["model"]
    assert plain["schemas"][0]["entity_types"][0] == {
        "name": "A", "namespace": "NS", "key": ["ID"], "properties": [{"name": "ID", "type": "Edm.Int32",
                                                                       "nullable": False}]}
    assert model.counts() == {"entity_sets": 0, "singletons": 0, "entity_types": 1, "complex_types": 0,
                              "enum_types": 0, "functions": 0, "actions": 0}


def test_base_type_cycle_is_cut() -> None:
    """A broken document with a base type cycle must not hang the lookups."""
    model = Model("4.0", (Schema("NS", entity_types=(
        EntityType("A", "NS", base_type="NS.B", properties=(Property("a", "Edm.Int32"),)),
        EntityType("B", "NS", base_type="NS.A", properties=(Property("b", "Edm.Int32"),)),)),))
    a = model.entity_type("NS.A")
    assert a is not None
    assert [p.name for p in model.all_properties(a)] == ["b", "a"]


def _reference_plain(value: Any) -> Any:
    """Every field whose value *equals* its default left out, the rest as JSON values."""
    if isinstance(value, msgspec.Struct):
        out: dict[str, Any] = {}
        for f in msgspec.structs.fields(value):
            item = getattr(value, f.name)
            default = f.default if f.default is not msgspec.NODEFAULT else (
                f.default_factory() if f.default_factory is not msgspec.NODEFAULT else msgspec.NODEFAULT)
            if default is not msgspec.NODEFAULT and item == default:
                continue
            out[f.name] = _reference_plain(item)
        return out
    if isinstance(value, (tuple, list)):
        return [_reference_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _reference_plain(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", ["constructs-v4.xml", "sap-v2.xml"])
def test_json_leaves_out_every_default(name: str) -> None:
    """msgspec leaves a field out only when it *is* its default object; the readers must hand over
    the model's own default objects (`EDM_INT32`, `GET`, ...) so nothing equal to a default is kept."""
    model = parse_xml((DATA / name).read_bytes())
    expected = {"version": model.version, "references": _reference_plain(model.references),
                "schemas": _reference_plain(model.schemas)}
    assert json.loads(model_json(model)) == {"version": model.version, "counts": model.counts(), "model": expected}


def test_annotation_without_value_still_says_true() -> None:
    """A bare `<Annotation Term="Core.Computed"/>` is `true`, and its JSON must keep the value."""
    model = Model("4.0", (Schema("NS", annotations=(Annotation("Org.OData.Core.V1.Computed", True),)),))
    assert json.loads(model_json(model))["model"]["schemas"][0]["annotations"] == [{"term": "Org.OData.Core.V1.Computed", "value": True}]
