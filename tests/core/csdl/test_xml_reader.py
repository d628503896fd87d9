"""CSDL XML → model: v4/4.01 constructs, v2/v3 associations, shared real documents, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.csdl.model import (
    Annotation,
    EnumType,
    NavigationProperty,
    Property,
    TypeDefinition,
)
from workbench.core.csdl.xml_reader import parse_xml
from workbench.core.errors import CsdlError

DATA = Path(__file__).resolve().parents[2] / "data" / "csdl"
EDMX4 = ('<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>'
         '<Schema Namespace="N" xmlns="http://docs.oasis-open.org/odata/ns/edm">{}</Schema>'
         '</edmx:DataServices></edmx:Edmx>')


def test_v4_constructs() -> None:
    """Every construct of tests/data/csdl/constructs-v4.xml lands in the model (CSDL XML 4.01)."""
    model = parse_xml((DATA / "constructs-v4.xml").read_bytes(), "constructs")
    assert model.version == "4.01" and model.source == "constructs"
    assert model.counts() == {"entity_sets": 3, "singletons": 1, "entity_types": 6, "complex_types": 1,
                              "enum_types": 2, "functions": 3, "actions": 2}
    assert [r.includes[0].alias for r in model.references] == ["Core", "Capabilities"]
    assert model.references[1].include_annotations[0].qualifier == "Tablet"
    customer = model.entity_type("Example.Shop.Customer")
    assert customer is not None and customer.open_type and customer.base_type == "Example.Shop.Entity"
    assert customer.description == "Someone who buys"
    name = model.property(customer, "Name")
    assert name is not None and name.default == "anonymous" and name.description == "Full name"
    emails = model.property(customer, "Emails")
    assert emails is not None and emails.collection and emails.type == "Edm.String"
    address = model.property(customer, "Address")
    assert address is not None and address.type == "Example.Shop.Address"  # alias resolved
    assert model.property(customer, "Location").srid == "4326"  # type: ignore[union-attr]
    orders = customer.navigation_properties[0]
    assert (orders.type, orders.collection, orders.partner, orders.on_delete) == (
        "Example.Shop.Order", True, "Customer", "Cascade")
    order = model.entity_type("shop.Order")
    assert order is not None and order.has_stream and order.key == ("Number", "Year")
    total = model.property(order, "Total")
    assert total is not None and (total.precision, total.scale) == (10, "variable")
    back = model.navigation_property(order, "Customer")
    assert back is not None and not back.nullable
    assert back.referential_constraints[0].property == "CustomerID"
    complex_type = model.structured_type("shop.Address")
    assert complex_type is not None and complex_type.open_type
    street, city = complex_type.properties
    assert street.max_length == "max" and city.max_length == 60 and not city.nullable
    assert complex_type.navigation_properties[0].type == "Example.Shop.Country"


def test_enums_type_definitions_terms() -> None:
    model = parse_xml((DATA / "constructs-v4.xml").read_bytes())
    color = model.find_type("shop.Color")
    assert isinstance(color, EnumType) and color.underlying_type == "Edm.Byte"
    assert [(m.name, m.value) for m in color.members] == [("Red", 0), ("Green", 1), ("Blue", 10)]
    assert color.members[0].annotations[0].value == "like a rose"  # external Annotations on a member
    assert color.members[2].annotations[0].value == "the sky"
    access = model.find_type("shop.Access")
    assert isinstance(access, EnumType) and access.is_flags
    money = model.find_type("shop.Money")
    assert isinstance(money, TypeDefinition) and (money.underlying_type, money.precision, money.scale) == (
        "Edm.Decimal", 12, 2)
    term = model.schema("shop").terms[0]  # type: ignore[union-attr]
    assert term.qualified_name == "Example.Shop.Tag" and term.applies_to == ("Property", "EntityType")
    assert term.type == "Org.OData.Core.V1.Tag"


def test_operations_imports_and_overload_annotations() -> None:
    model = parse_xml((DATA / "constructs-v4.xml").read_bytes())
    top = model.operations("shop.TopCustomers")[0]
    assert top.is_composable and not top.is_bound  # type: ignore[union-attr]
    assert top.return_type is not None and top.return_type.type_name == "Collection(Example.Shop.Customer)"
    total_one, total_many = model.operations("shop.Total")
    assert total_one.description == "" and total_many.description == "Sum over orders"
    ship = model.operations("shop.Ship")[0]
    assert ship.entity_set_path == "order" and ship.return_type is None
    fi = model.function_import("TopCustomers")
    assert fi is not None and fi.function == "Example.Shop.TopCustomers" and fi.entity_set == "Customers"
    assert fi.include_in_service_document
    ai = model.action_import("Reset")
    assert ai is not None and ai.action == "Example.Shop.Reset"


def test_enum_member_annotation_values() -> None:
    """EnumMember values become member names (CSDL JSON §14.3.6 form), flags joined by commas."""
    doc = EDMX4.format(
        '<EntityType Name="T"><Key><PropertyRef Name="k"/></Key><Property Name="k" Type="Edm.Int32" Nullable="false">'
        '<Annotation Term="Org.OData.Core.V1.Permissions" EnumMember="Org.OData.Core.V1.Permission/Read '
        'Org.OData.Core.V1.Permission/Write"/></Property></EntityType>')
    model = parse_xml(doc)
    assert model.entity_type("N.T").properties[0].permissions == "Read,Write"  # type: ignore[union-attr]


def test_annotation_expressions() -> None:
    doc = EDMX4.format(
        '<EntityType Name="T"><Key><PropertyRef Name="k"/></Key><Property Name="k" Type="Edm.Int32"/>'
        '<Annotation Term="X.Rec"><Record Type="X.R"><PropertyValue Property="a" Int="3"/>'
        '<PropertyValue Property="b"><Collection><String>x</String><Null/></Collection></PropertyValue>'
        '<PropertyValue Property="c"><Path>k</Path></PropertyValue>'
        '<PropertyValue Property="d" Decimal="1.5"/><Annotation Term="X.Inner" Bool="false"/></Record></Annotation>'
        '<Annotation Term="X.Tag"/>'
        '<Annotation Term="X.Fn"><Apply Function="odata.concat"><String>a</String><Path>k</Path></Apply></Annotation>'
        '</EntityType>')
    annotations = {a.term: a.value for a in parse_xml(doc).entity_type("N.T").annotations}  # type: ignore[union-attr]
    assert annotations["X.Rec"] == {"@type": "X.R", "a": 3, "b": ("x", None), "c": {"$Path": "k"}, "d": 1.5,
                                    "@X.Inner": False}
    assert annotations["X.Tag"] is True  # a tag term without a value means true
    assert annotations["X.Fn"] == {"$Apply": ["a", {"$Path": "k"}], "$Function": "odata.concat"}


def test_v2_associations_resolve_to_navigation_properties() -> None:
    """CSDL 1.0 associations → v4 navigation properties with partner, multiplicity, constraints."""
    model = parse_xml((DATA / "sap-v2.xml").read_bytes())
    assert model.version == "2.0"
    customer = model.entity_type("ZSALES_SRV.Customer")
    order = model.entity_type("ZSALES_SRV.Order")
    assert customer is not None and order is not None
    orders = customer.navigation_properties[0]
    assert (orders.type, orders.multiplicity, orders.partner) == ("ZSALES_SRV.Order", "*", "Customer")
    assert orders.relationship == "ZSALES_SRV.CustomerOrders"
    back = order.navigation_properties[0]
    assert (back.type, back.multiplicity, back.partner) == ("ZSALES_SRV.Customer", "1", "Orders")
    assert [(c.property, c.referenced_property) for c in back.referential_constraints] == [("CustomerId", "CustomerId")]
    customer_set = model.entity_set("CustomerSet")
    assert customer_set is not None
    assert [(b.path, b.target) for b in customer_set.navigation_bindings] == [("Orders", "OrderSet")]
    assert [(b.path, b.target) for b in model.entity_set("OrderSet").navigation_bindings] == [  # type: ignore[union-attr]
        ("Customer", "CustomerSet")]
    assert order.has_stream
    assert order.description == "A sales order"


def test_v2_sap_annotations_become_capabilities() -> None:
    """SAP's v2 attributes map to the Capabilities/Core terms odata-csdl's converter uses."""
    model = parse_xml((DATA / "sap-v2.xml").read_bytes())
    caps = model.entity_set("CustomerSet").capabilities  # type: ignore[union-attr]
    assert not caps.insertable and not caps.deletable and caps.updatable
    assert not caps.top_supported and not caps.skip_supported and caps.filter_required
    assert caps.non_filterable_properties == ("Notes",) and caps.non_sortable_properties == ("Notes",)
    assert caps.required_filter_properties == ("Name",)
    customer = model.entity_type("ZSALES_SRV.Customer")
    assert customer is not None
    key = model.property(customer, "CustomerId")
    changed = model.property(customer, "ChangedAt")
    name = model.property(customer, "Name")
    assert key is not None and key.immutable and not key.computed
    assert changed is not None and changed.computed and changed.type == "Edm.DateTime"
    assert name is not None and name.description == "Name of the customer"


def test_v2_service_operations_split_by_http_method() -> None:
    """m:HttpMethod GET → function import, POST → action import (as odata-csdl xml2json does)."""
    model = parse_xml((DATA / "sap-v2.xml").read_bytes())
    assert [f.name for f in model.function_imports()] == ["OpenOrders"]
    assert [a.name for a in model.action_imports()] == ["ReleaseOrder"]
    release = model.operations("ZSALES_SRV.ReleaseOrder")[0]
    assert release.kind == "action" and release.return_type.type == "ZSALES_SRV.Order"  # type: ignore[union-attr]
    assert model.counts()["functions"] == 1 and model.counts()["actions"] == 1


def test_shared_trippin(shared_data: Path) -> None:
    model = parse_xml((shared_data / "csdl" / "TripPin.xml").read_bytes())
    assert model.version == "4.0"
    assert model.counts() == {"entity_sets": 4, "singletons": 1, "entity_types": 9, "complex_types": 4,
                              "enum_types": 1, "functions": 4, "actions": 2}
    person = model.entity_type_of_set("People")
    assert person is not None and model.key_of(person) == ("UserName",)
    friends = model.navigation_property(person, "Friends")
    assert friends is not None and friends.collection
    assert model.binding_target(model.entity_set("People"), "Friends") is model.entity_set("People")  # type: ignore[arg-type]
    assert model.entity_set("People").capabilities.searchable  # type: ignore[union-attr]


def test_shared_northwind_v2(shared_data: Path) -> None:
    model = parse_xml((shared_data / "csdl" / "Northwind-V2-service.edmx").read_bytes())
    assert model.version == "1.0"
    assert model.counts()["entity_sets"] == 26 and model.counts()["entity_types"] == 26
    category = model.entity_type("NorthwindModel.Category")
    product = model.entity_type("NorthwindModel.Product")
    assert category is not None and product is not None
    products = model.navigation_property(category, "Products")
    assert products is not None and products.multiplicity == "*" and products.partner == "Category"
    back = model.navigation_property(product, "Category")
    assert back is not None and back.multiplicity == "0..1" and back.partner == "Products"
    assert [(c.property, c.referenced_property) for c in back.referential_constraints] == [("CategoryID", "CategoryID")]
    assert ("Category", "Categories") in [(b.path, b.target) for b in model.entity_set("Products").navigation_bindings]  # type: ignore[union-attr]


def test_shared_v2_and_v3_versions(shared_data: Path) -> None:
    demo = parse_xml((shared_data / "csdl" / "ODataDemo-V2-service.edmx").read_bytes())
    assert demo.version == "2.0" and demo.counts()["functions"] == 1
    v3 = parse_xml((shared_data / "csdl" / "odata-openapi-examples" / "odata-rw-v3.xml").read_bytes())
    assert v3.version == "3.0"


def test_shared_examples_all_parse(shared_data: Path) -> None:
    files = sorted((shared_data / "csdl" / "odata-openapi-examples").glob("*.xml"))
    assert files
    for file in files:
        model = parse_xml(file.read_bytes(), file.name)
        assert model.schemas, file.name
        for es in model.entity_sets():
            assert model.entity_type(es.entity_type) is not None, (file.name, es.name)


def test_shared_msgraph(shared_data: Path) -> None:
    """The very large document: counts by an independent count of its elements, alias `graph` resolved."""
    raw = (shared_data / "csdl" / "msgraph-v1.0-cleanMetadata.xml").read_bytes()
    model = parse_xml(raw)
    counts = model.counts()
    assert counts["entity_types"] == raw.count(b"<EntityType ")
    assert counts["complex_types"] == raw.count(b"<ComplexType ")
    assert counts["actions"] == raw.count(b"<Action ")
    assert counts["functions"] == raw.count(b"<Function ")
    user = model.entity_type_of_set("users")
    assert user is not None and user.qualified_name == "microsoft.graph.user"
    assert model.key_of(user) == ("id",)  # inherited from microsoft.graph.entity
    assert model.find_type("graph.user") is user
    assert model.entity_set("users").capabilities.skip_supported is False  # type: ignore[union-attr]


def test_properties_read_from_attribute_items_in_any_shape() -> None:
    """Shared properties built from attribute items match those read attribute by attribute.

    The fast path reads `Name Type [Nullable]` from one tuple; other orders and facets take the
    general one; an external annotation on one use of a shared property stays on that use.
    """
    xml = EDMX4.format(
        '<ComplexType Name="A"><Property Name="id" Type="Edm.String"/>'
        '<Property Type="Edm.Int32" Name="n" Nullable="false"/>'
        '<Property Name="m" Type="Collection(A.B)" Nullable="false"/>'
        '<Property Name="s" Type="Edm.String" MaxLength="max" Unicode="false"/>'
        '<Property Name="d" Type="Edm.Decimal" Nullable="true" Precision="10" Scale="variable"/>'
        '<Property Name="t" Type="self.B" DefaultValue="x"/></ComplexType>'
        '<ComplexType Name="B"><Property Name="id" Type="Edm.String"/></ComplexType>'
        '<Annotations Target="self.B/id"><Annotation Term="Core.Description" String="B id"/></Annotations>'
        '<EntityType Name="E"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String"/>'
        '<NavigationProperty Type="Collection(self.B)" Name="bs" Partner="e" ContainsTarget="true"/></EntityType>'
    ).replace('Namespace="N"', 'Namespace="N" Alias="self"')
    schema = parse_xml(xml).schemas[0]
    a, b = schema.complex_types
    assert a.properties == (
        Property("id", "Edm.String"), Property("n", "Edm.Int32", nullable=False),
        Property("m", "A.B", collection=True, nullable=False),
        Property("s", "Edm.String", max_length="max", unicode=False),
        Property("d", "Edm.Decimal", precision=10, scale="variable"), Property("t", "N.B", default="x"))
    assert b.properties == (Property("id", "Edm.String", annotations=(Annotation("Core.Description", "B id"),)),)
    assert a.properties[0].annotations == () and schema.entity_types[0].properties[0].annotations == ()
    assert schema.entity_types[0].navigation_properties == (
        NavigationProperty("bs", "N.B", True, True, "e", True),)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edmx:Edmx [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="N" xmlns="http://docs.oasis-open.org/odata/ns/edm"><EntityType Name="T">
<Annotation Term="Core.Description" String="&xxe;"/></EntityType></Schema></edmx:DataServices></edmx:Edmx>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="N" xmlns="http://docs.oasis-open.org/odata/ns/edm"><EntityType Name="T">
<Annotation Term="Core.Description" String="&lol9;"/></EntityType></Schema></edmx:DataServices></edmx:Edmx>"""


def test_xxe_is_refused() -> None:
    """OWASP XXE: an external entity reading a local file must never be resolved."""
    with pytest.raises(CsdlError, match="Refused.*entities"):
        parse_xml(XXE)


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(CsdlError, match="Refused.*entities"):
        parse_xml(LAUGHS)


def test_billion_laughs_in_utf16_is_refused() -> None:
    with pytest.raises(CsdlError, match="Refused"):
        parse_xml(LAUGHS.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"))


def test_external_dtd_is_refused() -> None:
    doc = b'<!DOCTYPE edmx:Edmx SYSTEM "http://127.0.0.1:9/evil.dtd"><edmx:Edmx Version="4.0" xmlns:edmx="x"/>'
    with pytest.raises(CsdlError, match="external DTD"):
        parse_xml(doc)


def test_malformed_and_foreign_documents() -> None:
    with pytest.raises(CsdlError, match="Malformed XML"):
        parse_xml(b"<edmx:Edmx Version='4.0'")
    with pytest.raises(CsdlError, match="Not a CSDL document.*<html>"):
        parse_xml(b"<html><body>Login</body></html>")
    with pytest.raises(CsdlError, match="unknown association"):
        parse_xml(b'<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">'
                  b'<edmx:DataServices><Schema Namespace="N" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">'
                  b'<EntityType Name="T"><NavigationProperty Name="x" Relationship="N.Missing" FromRole="a" '
                  b'ToRole="b"/></EntityType></Schema></edmx:DataServices></edmx:Edmx>')


def test_text_input_with_declaration() -> None:
    """A str with an encoding declaration (as an editor pane holds it) still parses."""
    doc = '<?xml version="1.0" encoding="utf-8"?>' + EDMX4.format('<EnumType Name="E"><Member Name="ä"/></EnumType>')
    model = parse_xml(doc)
    assert model.find_type("N.E").members[0].name == "ä"  # type: ignore[union-attr]
