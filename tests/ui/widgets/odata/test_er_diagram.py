"""The ER diagram: boxes for the types around an entity, edges with multiplicities, export PNG/SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsSimpleTextItem, QMenu

from workbench.core.csdl.model import Model
from workbench.core.csdl.source import load_file
from workbench.ui.widgets.odata.er_diagram import (
    MAX_NEIGHBOURS,
    ErDiagram,
    relations_around,
)

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


def test_msgraph_user_diagram_caps_neighbours_and_stays_readable(diagram: ErDiagram, shared_data: Path) -> None:
    """Graph's `user` relates ~60 types: 8 are drawn, "+N more" lists the rest, text ≥ 9 pt and inside its box."""
    model = load_file(shared_data / "csdl" / "msgraph-v1.0-cleanMetadata.xml")
    user = model.entity_type("microsoft.graph.user")
    related = len(relations_around(model, user)[0]) - 1  # type: ignore[arg-type]
    assert diagram.show_type(model, "microsoft.graph.user")
    assert len(diagram.boxes) == MAX_NEIGHBOURS + 1 and related > MAX_NEIGHBOURS
    assert diagram.more_node is not None and len(diagram.hidden_types) == related - MAX_NEIGHBOURS
    texts = [c.text() for c in diagram.more_node.childItems() if isinstance(c, QGraphicsSimpleTextItem)]
    assert f"+{related - MAX_NEIGHBOURS} more" in texts
    assert diagram.effective_point_size() >= 9
    for box in diagram.boxes.values():
        inside = box.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
        assert all(inside.contains(t.sceneBoundingRect()) for t in box.texts), box.entity_type.name
    # The list behind "+N more": one entry per hidden type, then "draw them all".
    seen: list[str] = []
    diagram.type_activated.connect(seen.append)
    menu = diagram.more_menu()
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert len(entries) == len(diagram.hidden_types) + 1
    entries[0].trigger()
    assert seen == [diagram.hidden_types[0].qualified_name]
    entries[-1].trigger()  # draw them all
    assert len(diagram.boxes) == related + 1 and diagram.more_node is None
    assert diagram.effective_point_size() >= 9  # still readable: the view starts on `user`
    seen_center = diagram.mapToScene(diagram.viewport().rect().center())
    user_center = diagram.boxes["microsoft.graph.user"].sceneBoundingRect().center()
    assert (seen_center - user_center).manhattanLength() < 4


def test_clicking_more_opens_its_list(diagram: ErDiagram, shared_data: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = load_file(shared_data / "csdl" / "msgraph-v1.0-cleanMetadata.xml")
    diagram.show_type(model, "microsoft.graph.user")
    assert diagram.more_node is not None
    diagram.fit()  # the node in view
    where = diagram.mapFromScene(diagram.more_node.sceneBoundingRect().center())
    qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=where)
    menus = [m for m in diagram.findChildren(QMenu) if m.isVisible()]
    assert menus and any("Draw all" in a.text() for a in menus[-1].actions())
    menus[-1].close()


def test_self_relation_label_is_clear_of_its_loop(diagram: ErDiagram, shared_data: Path) -> None:
    model = load_file(shared_data / "csdl" / "TripPin.xml")
    diagram.show_type(model, "Microsoft.OData.SampleService.Models.TripPin.Person")
    assert len(diagram.loop_paths) == 1
    loop = diagram.loop_paths[0]
    friends = next(item for item in diagram.edge_labels if item.text() == "Friends")
    assert not loop.intersects(friends.sceneBoundingRect())
    star = [item for item in diagram.edge_labels if item.text() == "*"
            and item.sceneBoundingRect().top() > friends.sceneBoundingRect().top()]
    assert star and not loop.intersects(star[0].sceneBoundingRect())
    others = [b.sceneBoundingRect() for n, b in diagram.boxes.items() if not n.endswith(".Person")]
    assert not any(r.intersects(friends.sceneBoundingRect()) for r in others)  # nor on a neighbour's box
