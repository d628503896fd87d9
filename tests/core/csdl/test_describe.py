"""The metadata browser's details as HTML, from a small CSDL: names, types, links, keys and escaping."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.csdl.describe import details_html, overview_html
from workbench.core.csdl.model import Model
from workbench.core.csdl.xml_reader import parse_xml

DATA = Path(__file__).resolve().parents[2] / "data" / "csdl"

CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Demo" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="Size">
        <Member Name="Small" Value="1"><Annotation Term="Core.Description" String="fits &lt;10 cm"/></Member>
      </EnumType>
      <EntityType Name="Shop">
        <Key><PropertyRef Name="ID"/></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Title" Type="Edm.String" MaxLength="40">
          <Annotation Term="Core.Description" String="Name &lt;b&gt;shown&lt;/b&gt; to Tom &amp; Jerry"/>
        </Property>
        <Property Name="Size" Type="Demo.Size"/>
        <NavigationProperty Name="Owner" Type="Demo.Person" Nullable="false"/>
      </EntityType>
      <EntityType Name="Person">
        <Key><PropertyRef Name="Name"/></Key>
        <Property Name="Name" Type="Edm.String" Nullable="false"/>
      </EntityType>
      <Function Name="Nearest">
        <Parameter Name="km" Type="Edm.Double" Nullable="false"/>
        <ReturnType Type="Collection(Demo.Shop)"/>
      </Function>
      <EntityContainer Name="Container">
        <EntitySet Name="Shops" EntityType="Demo.Shop">
          <NavigationPropertyBinding Path="Owner" Target="People"/>
          <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions">
            <Record><PropertyValue Property="Insertable" Bool="false"/></Record>
          </Annotation>
        </EntitySet>
        <EntitySet Name="People" EntityType="Demo.Person"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


@pytest.fixture(scope="module")
def demo() -> Model:
    return parse_xml(CSDL)


def test_entity_type_lists_members_with_key_types_and_links(demo: Model) -> None:
    shop = demo.entity_type("Demo.Shop")
    text = details_html(demo, shop, "entity_type")
    assert "<h3>Shop <small>entity type</small></h3>" in text
    assert "<img src='icon:key' width='14' height='14'></td><td><b>ID</b>" in text  # the key is marked
    assert "<b>Title</b></td><td>Edm.String <small>(max length 40)</small>" in text
    assert "<a href='type:Demo.Size'>Size</a>" in text  # a model type links to itself
    assert "<a href='type:Demo.Person'>Owner</a>" in text and "<td>1</td>" in text  # navigation, multiplicity


def test_descriptions_are_escaped(demo: Model) -> None:
    """Descriptions come from the service: `<` and `&` are text, never markup."""
    shop = demo.entity_type("Demo.Shop")
    text = details_html(demo, shop, "entity_type")
    assert "Name &lt;b&gt;shown&lt;/b&gt; to Tom &amp; Jerry" in text
    assert "<b>shown</b>" not in text
    title = demo.property(shop, "Title")  # type: ignore[arg-type]
    assert "<p>Name &lt;b&gt;shown&lt;/b&gt; to Tom &amp; Jerry</p>" in details_html(demo, title, "property")
    size = demo.find_type("Demo.Size")
    assert "fits &lt;10 cm" in details_html(demo, size, "enum_type")


def test_entity_set_shows_capabilities_bindings_and_members(demo: Model) -> None:
    text = details_html(demo, demo.entity_set("Shops"), "entity_set")
    assert "<h3>Shops <small>entity set of <a href='type:Demo.Shop'>Shop</a></small></h3>" in text
    assert "<b>Capabilities:</b> no insert" in text
    assert "<li>Owner → <a href='set:People'>People</a></li>" in text
    assert "<b>ID</b>" in text  # the members of its entity type follow


def test_property_and_function(demo: Model) -> None:
    shop = demo.entity_type("Demo.Shop")
    text = details_html(demo, demo.property(shop, "ID"), "property")  # type: ignore[arg-type]
    assert "<h3>ID <small>property</small></h3><p>Type: Edm.Int32, not nullable</p>" in text
    nearest = demo.operations("Demo.Nearest")[0]
    text = details_html(demo, nearest, "function")
    assert "<h4>Nearest <small>function</small></h4>" in text
    assert "<li>km: Edm.Double (required)</li>" in text
    assert "<p>Returns Collection(<a href='type:Demo.Shop'>Shop</a>)</p>" in text


def test_nothing_selected_and_unknown_elements_render_empty(demo: Model) -> None:
    assert details_html(demo, None, "") == ""
    assert details_html(demo, object(), "other") == ""


def test_overview_counts_and_references() -> None:
    model = parse_xml((DATA / "constructs-v4.xml").read_bytes())
    text = overview_html(model)
    assert text.startswith(f"<h3>OData {model.version} metadata</h3>")
    assert "<td>entity sets</td>" in text
    assert "<li>https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml</li>" in text
