"""The metadata browser clicked through with qtbot: open, search, select a type, jump along a navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from workbench.core.collections import Collection, Request
from workbench.core.csdl.model import EntitySet, EntityType, Model
from workbench.core.csdl.source import load_file
from workbench.ui.models.csdl_tree import (
    CsdlTreeModel,
    KindRole,
    ObjectRole,
    SearchIndex,
)
from workbench.ui.widgets.odata.metadata_browser import (
    BROWSER_NAME,
    MetadataBrowser,
    open_metadata_browser,
)

DATA = Path(__file__).resolve().parents[3] / "data" / "csdl"


@pytest.fixture
def browser(qtbot) -> MetadataBrowser:  # type: ignore[no-untyped-def]
    widget = MetadataBrowser()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


@pytest.fixture(scope="module")
def trippin(shared_data: Path) -> Model:  # type: ignore[misc]
    return load_file(shared_data / "csdl" / "TripPin.xml")


def _rows(model: CsdlTreeModel, parent: QModelIndex = QModelIndex()) -> list[str]:
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def _find(model: CsdlTreeModel, label: str, parent: QModelIndex = QModelIndex()) -> QModelIndex:
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data() == label or str(index.data()).startswith(label + " ("):
            return index
    raise AssertionError(f"{label!r} not under {parent.data()!r}: {_rows(model, parent)}")


def test_tree_model_passes_qtmodeltester(qapp, qtmodeltester, trippin: Model) -> None:  # type: ignore[no-untyped-def]
    model = CsdlTreeModel()
    model.set_csdl_model(trippin)
    qtmodeltester.check(model)
    model.set_filter("air")
    qtmodeltester.check(model)
    model.set_filter("name", members=True)
    qtmodeltester.check(model)


def test_tree_model_v2_and_constructs(qapp, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = CsdlTreeModel()
    model.set_csdl_model(load_file(DATA / "constructs-v4.xml"))
    qtmodeltester.check(model)
    model.set_csdl_model(load_file(DATA / "sap-v2.xml"))
    qtmodeltester.check(model)


def test_tree_structure(qapp, trippin: Model) -> None:
    """Schemas → categories → elements → members, with the key marked."""
    model = CsdlTreeModel()
    model.set_csdl_model(trippin)
    assert _rows(model) == ["Microsoft.OData.SampleService.Models.TripPin"]
    schema = model.index(0, 0)
    assert _rows(model, schema) == ["Entity sets (4)", "Singletons (1)", "Function imports (1)", "Action imports (1)",
                                    "Entity types (9)", "Complex types (4)", "Enum types (1)", "Functions (4)",
                                    "Actions (2)"]
    types = _find(model, "Entity types", schema)
    person = _find(model, "Person", types)
    assert person.data(KindRole) == "entity_type"
    members = _rows(model, person)
    assert members[0] == "UserName" and "Friends" in members
    key = _find(model, "UserName", person)
    assert key.data(KindRole) == "property"
    assert model.node(key).is_key and key.data(Qt.ItemDataRole.FontRole).bold()
    friends = _find(model, "Friends", person)
    assert friends.data(KindRole) == "navigation"
    assert model.index(friends.row(), 1, person).data() == "Collection(Person) [*]"
    assert "Collection(Microsoft.OData.SampleService.Models.TripPin.Person)" in friends.data(Qt.ItemDataRole.ToolTipRole)


def test_search_index_matches_names_and_members(trippin: Model) -> None:
    index = SearchIndex(trippin)
    names = {e.element.name for e in index.search("air")}
    assert names == {"Airlines", "Airports", "Airline", "Airport", "AirportLocation", "GetNearestAirport",
                     "GetFavoriteAirline"}
    assert {e.element.name for e in index.search("models.tripPin.person")} == {"Person", "PersonGender"}
    assert "Person" in {e.element.name for e in index.search("emails", members=True)}
    assert index.search("emails") == []


def test_open_search_select_and_jump(browser: MetadataBrowser, qtbot, trippin: Model) -> None:  # type: ignore[no-untyped-def]
    """The issue's UI test: open the browser, search, select a type, jump along a navigation property."""
    browser.load_model(trippin)
    assert "OData 4.0" in browser.status.text()
    qtbot.keyClicks(browser.search_edit, "Trip")
    qtbot.waitUntil(lambda: browser.match_label.text() != "", timeout=3000)
    model = browser.tree_model
    visible = [model.index(r, 0, cat).data()
               for cat in (model.index(c, 0, model.index(0, 0)) for c in range(model.rowCount(model.index(0, 0))))
               for r in range(model.rowCount(cat))]
    assert "Trip" in visible and "Person" not in visible
    trip_index = model.index_of_type("Microsoft.OData.SampleService.Models.TripPin.Trip")
    assert trip_index.isValid()
    browser.tree.setCurrentIndex(trip_index)
    details = browser.details.toHtml()
    assert "TripId" in details and "icon:key" in details and "PlanItems" in details
    assert "type:Microsoft.OData.SampleService.Models.TripPin.PlanItem" in details
    # Follow the PlanItems link: PlanItem is filtered out, so the filter is cleared to show it.
    assert browser.follow_link("type:Microsoft.OData.SampleService.Models.TripPin.PlanItem")
    current = browser.current_object()
    assert isinstance(current, EntityType) and current.name == "PlanItem"
    assert browser.search_edit.text() == ""
    assert "PlanItemId" in browser.details.toPlainText()
    # Back returns to Trip.
    assert browser.act_back.isEnabled()
    browser.act_back.trigger()
    assert browser.current_object().name == "Trip"


def test_jump_by_double_click_on_navigation(browser: MetadataBrowser, qtbot, trippin: Model) -> None:  # type: ignore[no-untyped-def]
    browser.load_model(trippin)
    model = browser.tree_model
    person = model.index_of_type("Microsoft.OData.SampleService.Models.TripPin.Person")
    browser.tree.expand(person)
    trips = _find(model, "Trips", person)
    browser.tree.scrollTo(trips)
    rect = browser.tree.visualRect(trips)
    qtbot.mouseClick(browser.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(browser.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: getattr(browser.current_object(), "name", "") == "Trip", timeout=3000)


def test_new_request_and_generate_collection(browser: MetadataBrowser, qtbot, trippin: Model) -> None:  # type: ignore[no-untyped-def]
    browser.load_model(trippin)
    assert not browser.new_request_button.isEnabled()
    browser.navigate_to_entity_set("People")
    assert isinstance(browser.current_object(), EntitySet)
    assert browser.new_request_button.isEnabled() and browser.act_query_builder.isEnabled()
    with qtbot.waitSignal(browser.request_created) as blocker:
        browser.request_actions["create"].trigger()
    request = blocker.args[0]
    assert isinstance(request, Request) and request.method == "POST" and "UserName" in request.body.text
    with qtbot.waitSignal(browser.request_created) as blocker:
        browser.request_actions["get"].trigger()
    assert blocker.args[0].url == "{{serviceRoot}}/People('{{People_UserName}}')"
    with qtbot.waitSignal(browser.open_in_query_builder) as blocker:
        browser.act_query_builder.trigger()
    assert blocker.args == ["People"]
    with qtbot.waitSignal(browser.collection_generated) as blocker:
        browser.act_generate.trigger()
    collection = blocker.args[0]
    assert isinstance(collection, Collection) and {"People", "Airlines", "Operations"} <= {f.name for f in collection.folders}
    # Singletons: read and update only.
    browser.navigate_to_entity_set("Me")
    assert not browser.request_actions["create"].isEnabled() and browser.request_actions["update"].isEnabled()
    assert not browser.act_query_builder.isEnabled()


def test_capabilities_disable_actions(browser: MetadataBrowser) -> None:
    browser.load_model(load_file(DATA / "sap-v2.xml"))
    assert browser.navigate_to_entity_set("CustomerSet")
    assert not browser.request_actions["create"].isEnabled()
    assert not browser.request_actions["delete"].isEnabled()
    assert browser.request_actions["update"].isEnabled()
    text = browser.details.toPlainText()
    assert "no insert" in text and "not filterable: Notes" in text and "Orders" in text


def test_load_bytes_off_thread_and_errors(browser: MetadataBrowser, qtbot, qasync_loop, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    data = (shared_data / "csdl" / "Northwind-V2-service.edmx").read_bytes()
    with qtbot.waitSignal(browser.model_loaded, timeout=10000):
        browser.load_bytes(data, "Northwind")
    assert browser.model is not None and browser.model.version == "1.0"
    with qtbot.waitSignal(browser.load_failed, timeout=10000) as blocker:
        browser.load_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert "Refused" in blocker.args[0] and "Refused" in browser.status.text()
    assert browser.model is not None  # the previous model stays


@pytest.mark.peers
def test_load_service_url_and_cancel(browser: MetadataBrowser, qtbot, qasync_loop, odata_server) -> None:  # type: ignore[no-untyped-def]
    task = browser.load_source(odata_server.url)
    assert task is not None and browser.cancel_button.isVisibleTo(browser)
    browser.cancel_load()
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.cancelled() and browser.model is None and "cancelled" in browser.status.text()
    with qtbot.waitSignal(browser.model_loaded, timeout=15000):
        browser.load_source(odata_server.url)
    assert browser.navigate_to_entity_set("Cases")
    with qtbot.waitSignal(browser.request_created) as blocker:
        browser.request_actions["list"].trigger()
    assert blocker.args[0].url == f"{odata_server.url}/Cases"  # the service root, not a variable
    assert not browser.cancel_button.isVisibleTo(browser)


def test_msgraph_tree_and_search(browser: MetadataBrowser, shared_data: Path) -> None:
    """The very large document: the lazy tree shows at once and the filter finds `user` types."""
    model = load_file(shared_data / "csdl" / "msgraph-v1.0-cleanMetadata.xml")
    browser.load_model(model)
    assert browser.last_show_ms < 1000
    browser.search_edit.setText("user")
    browser.apply_filter()
    count = int(re.match(r"(\d+)", browser.match_label.text()).group(1))  # type: ignore[union-attr]
    assert count > 50
    assert browser.tree_model.index_of_type("microsoft.graph.user").isValid()
    assert browser.navigate_to_type("microsoft.graph.user")
    assert "displayName" in browser.details.toPlainText()
    browser.search_edit.setText("")
    browser.apply_filter()
    assert browser.match_label.text() == ""
    assert browser.tree_model.index(0, 0).data(ObjectRole) is model.schemas[0]


def test_tools_menu_opens_browser_wired_to_the_window(main_window, qtbot, trippin: Model) -> None:  # type: ignore[no-untyped-def]
    """Tools → Metadata browser…: new requests open as tabs, a generated collection lands in the workspace."""
    from workbench.core.workspace import storage

    action = next(a for a in main_window.tools_menu().actions() if a.text() == "Metadata browser…")
    tabs_before = main_window.tabs.count()
    action.trigger()
    browser = main_window.findChild(MetadataBrowser, BROWSER_NAME)
    assert isinstance(browser, MetadataBrowser) and browser.isVisible()
    assert open_metadata_browser(main_window) is browser  # one browser per window, found again
    browser.load_model(trippin)
    assert browser.navigate_to_entity_set("Airlines")
    browser.request_actions["list"].trigger()
    assert main_window.tabs.count() == tabs_before + 1
    assert main_window.current_editor().to_model().url.endswith("/Airlines")
    browser.act_generate.trigger()
    workspace = storage.load_workspace(main_window.workspace_root)
    generated = workspace.collection("DefaultContainer")
    assert generated is not None
    assert {"People", "Airlines", "Airports", "Photos"} <= {f.name for f in generated.folders}
    assert any(v.name == "serviceRoot" for v in generated.variables)
    browser.close()


def test_empty_browser_says_how_to_start_and_is_not_prefilled_with_a_rest_url(main_window) -> None:  # type: ignore[no-untyped-def]
    """Opened over a non-OData request: guidance, an empty source box; over an OData one: its $metadata."""
    from workbench.core.collections import Request

    main_window.open_unsaved(Request(name="echo", url="http://127.0.0.1:9/get?search=x"))
    browser = open_metadata_browser(main_window)
    assert browser.source_edit.text() == ""
    assert "Open a service's $metadata" in browser.details.toPlainText()
    browser.close()
    main_window.open_unsaved(Request(name="people", url="http://127.0.0.1:9/odata/v4/svc/People?$top=2"))
    assert open_metadata_browser(main_window).source_edit.text() == "http://127.0.0.1:9/odata/v4/svc/$metadata"
    browser.close()


def test_status_line_elides_a_long_source(browser: MetadataBrowser, trippin: Model) -> None:
    """A long path or URL in the status line is elided, never widening the browser; the full text stays readable."""
    browser.resize(700, 500)
    long_source = "/data/" + "very-long-folder-name/" * 20 + "service.xml"
    browser.status.setText(f"Loaded {long_source}")
    assert browser.status.text() == f"Loaded {long_source}" and browser.status.toolTip() == browser.status.text()
    assert browser.minimumSizeHint().width() < 700
