"""The ER diagram: boxes for the types around an entity, edges with multiplicities, export PNG/SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from workbench.core.csdl.model import Model
from workbench.core.csdl.source import load_file
from workbench.ui.widgets.odata.er_diagram import ErDiagram, relations_around

DATA = Path(__file__).resolve().parents[3] / "data" / "csdl"


@pytest.fixture
def diagram(qtbot) -> ErDiagram:  # type: ignore[no-untyped-def]
    view = ErDiagram()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    return view


@pytest.fixture(scope="module")
def shop() -> Model:
    return load_file(DATA / "constructs-v4.xml")


def test_relations_around_with_partner_multiplicities(shop: Model) -> None:
    """Both ends: Customer 1 —Orders→ * Order (partner `Customer` is not nullable)."""
    order = shop.entity_type("shop.Order")
    types, edges = relations_around(shop, order)  # type: ignore[arg-type]
    names = {t.name for t in types}
    assert names == {"Order", "Customer", "OrderLine"}
    by_name = {e.name: e for e in edges}
    assert (by_name["Customer"].source_multiplicity, by_name["Customer"].target_multiplicity) == ("*", "1")
    assert by_name["Lines"].containment and by_name["Lines"].source_multiplicity == "1"
    assert by_name["Lines"].target_multiplicity == "*"


def test_one_way_relations_into_the_center_are_shown() -> None:
    """v2 SAP: Customer ↔ Order through an association; from Order's side the edge is Customer."""
    model = load_file(DATA / "sap-v2.xml")
    customer = model.entity_type("ZSALES_SRV.Customer")
    types, edges = relations_around(model, customer)  # type: ignore[arg-type]
    assert {t.name for t in types} == {"Customer", "Order"}
    assert [(e.name, e.source_multiplicity, e.target_multiplicity) for e in edges] == [("Orders", "1", "*")]


def test_draw_pan_zoom_and_self_relation(diagram: ErDiagram, shared_data: Path) -> None:
    model = load_file(shared_data / "csdl" / "TripPin.xml")
    assert diagram.show_type(model, "Microsoft.OData.SampleService.Models.TripPin.Person")
    assert set(diagram.boxes) >= {"Microsoft.OData.SampleService.Models.TripPin.Person",
                                  "Microsoft.OData.SampleService.Models.TripPin.Trip"}
    labels = [item.text() for item in diagram.edge_labels]
    assert "Friends" in labels and "Trips" in labels and "*" in labels  # self relation drawn as a loop
    person_box = diagram.boxes["Microsoft.OData.SampleService.Models.TripPin.Person"]
    assert person_box.sceneBoundingRect().contains(0, 0)  # the chosen type is in the middle
    before = diagram.transform().m11()
    diagram.zoom(1.25)
    assert diagram.transform().m11() == pytest.approx(before * 1.25)
    assert not diagram.show_type(model, "Microsoft.OData.SampleService.Models.TripPin.Location")  # complex type


def test_export_png_and_svg(diagram: ErDiagram, shop: Model, tmp_path: Path) -> None:
    assert not diagram.export_png(str(tmp_path / "empty.png"))  # nothing drawn yet
    diagram.show_type(shop, "shop.Customer")
    png = tmp_path / "customer.png"
    svg = tmp_path / "customer.svg"
    assert diagram.export_png(str(png)) and diagram.export_svg(str(svg))
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 400
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert "Customer" in text and "Orders" in text and "VipCustomer" not in text


def test_msgraph_user_diagram_is_bounded(diagram: ErDiagram, shared_data: Path) -> None:
    """Graph's `user` has ~100 navigation properties: the diagram keeps to a readable number of boxes."""
    model = load_file(shared_data / "csdl" / "msgraph-v1.0-cleanMetadata.xml")
    assert diagram.show_type(model, "microsoft.graph.user")
    assert 2 <= len(diagram.boxes) <= 26
