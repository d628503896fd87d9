"""The request editor: URL <-> Params both ways, dirty marker, every body kind becomes the right Request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    FormPart,
    KeyValue,
    Request,
)
from workbench.ui.widgets.request.editor import RequestEditor


def _editor(qtbot, request: Request | None = None) -> RequestEditor:  # type: ignore[no-untyped-def]
    editor = RequestEditor("C", request or Request("R", "GET", "http://h/items", path="R.yaml"))
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _choose(combo, data: str) -> None:  # type: ignore[no-untyped-def]
    combo.setCurrentIndex(combo.findData(data))


def test_typing_a_query_adds_param_rows(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot)
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "?$top=5&$filter=Name eq 'x'")
    assert editor.params.rows() == [KeyValue("$top", "5"), KeyValue("$filter", "Name eq 'x'")]
    model = editor.to_model()
    assert model.url == "http://h/items" and model.params == (KeyValue("$top", "5"), KeyValue("$filter", "Name eq 'x'"))


def test_editing_param_rows_rewrites_the_url(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, Request("R", "GET", "http://h/items", params=(KeyValue("a", "1"), KeyValue("b", "2")), path="R.yaml"))
    assert editor.url.text() == "http://h/items?a=1&b=2"
    editor.params.item(0, 1).setText("10")
    assert editor.url.text() == "http://h/items?a=10&b=2"
    editor.params.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # disable b: leaves the URL, stays in the table
    assert editor.url.text() == "http://h/items?a=10"
    assert editor.to_model().params == (KeyValue("a", "10"), KeyValue("b", "2", False))
    last = editor.params.rowCount() - 1
    editor.params.item(last, 0).setText("c")
    assert editor.url.text() == "http://h/items?a=10&c="
    assert editor.params.rowCount() == last + 2  # a new blank add-row appeared
    editor.params.remove_rows([0])
    assert editor.url.text() == "http://h/items?c="


def test_disabled_rows_survive_url_edits(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, Request("R", "GET", "http://h/", params=(KeyValue("debug", "1", False, "optional"),), path="R.yaml"))
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "?x=1")
    assert editor.to_model().params == (KeyValue("x", "1"), KeyValue("debug", "1", False, "optional"))


def test_dirty_marker_follows_edits(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot)
    seen: list[bool] = []
    editor.dirty_changed.connect(seen.append)
    assert not editor.is_dirty()
    editor.method.setCurrentText("POST")
    assert editor.is_dirty() and seen == [True]
    editor.method.setCurrentText("GET")  # back to the saved value: clean again
    assert not editor.is_dirty() and seen == [True, False]
    editor.headers.item(0, 0).setText("Accept")
    assert editor.is_dirty()
    editor.mark_saved(editor.to_model())
    assert not editor.is_dirty()


def test_sample_requests_open_clean(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Opening a saved request must not mark it changed (widgets may not rewrite what they show)."""
    from workbench.core.workspace import storage

    root = Path(__file__).resolve().parents[4] / "resources" / "sample-workspace"
    ws = storage.load_workspace(root)
    for coll in ws.collections:
        for request in coll.all_requests():
            editor = _editor(qtbot, request)
            editor.set_context(coll, {"baseUrl": "http://x"})
            assert not editor.is_dirty(), request.name
            assert editor.to_model() == editor.saved_request


def test_body_kinds_produce_the_right_request(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, Request("R", "POST", "http://h/", path="R.yaml"))
    editor.multipart.base_dir = str(tmp_path)
    _choose(editor.body_kind, "raw")
    editor.body_text.setPlainText('{"a": 1}')
    editor.raw_type.setCurrentText("application/json")
    assert editor.to_model().body == Body("raw", "application/json", '{"a": 1}')
    assert editor.body_highlighter.language == "json"
    editor.raw_type.setCurrentText("application/xml")
    assert editor.body_highlighter.language == "xml"

    _choose(editor.body_kind, "form")
    editor.form.item(0, 0).setText("grant_type")
    editor.form.item(0, 1).setText("client_credentials")
    assert editor.to_model().body == Body("form", form=(KeyValue("grant_type", "client_credentials"),))

    _choose(editor.body_kind, "multipart")
    (tmp_path / "spec.json").write_text("{}")
    editor.multipart.add_file_part(str(tmp_path / "spec.json"))
    editor.multipart.add_text_part()
    editor.multipart.item(1, 0).setText("note")
    editor.multipart.item(1, 1).setText("hello")
    assert editor.to_model().body == Body("multipart", parts=(FormPart("spec", "", "spec.json"), FormPart("note", "hello")))

    _choose(editor.body_kind, "binary")
    editor.binary_file.setText("/data/archive.zip")
    editor.binary_type.setText("application/zip")
    assert editor.to_model().body == Body("binary", "application/zip", file="/data/archive.zip")

    assert editor.is_dirty()
    _choose(editor.body_kind, "none")
    assert editor.to_model().body == Body()
    assert not editor.is_dirty()  # back to what is saved


def test_beautify_json(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, Request("R", "POST", "http://h/", body=Body("raw", "application/json", '{"a":[1,2]}'), path="R.yaml"))
    editor.beautify.click()
    assert editor.body_text.toPlainText() == '{\n  "a": [\n    1,\n    2\n  ]\n}'


def test_url_variables_are_coloured_and_explained(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, Request("R", "GET", "{{baseUrl}}/x/{{missing}}/{{token}}", path="R.yaml"))
    editor.set_context(Collection("C"), {"baseUrl": "http://h", "token": "t0p"}, frozenset({"token"}))
    block = editor.url.document().firstBlock()
    formats = {(r.start, r.length): r.format.foreground().color().name() for r in block.layout().formats()}
    assert formats[(0, 11)] == "#1a7f37"  # known: green
    assert formats[(14, 11)] == "#cf222e"  # unknown: red
    assert editor.url.resolved_tooltip(3) == "{{baseUrl}} = http://h"
    assert "not defined" in editor.url.resolved_tooltip(16)
    assert "t0p" not in editor.url.resolved_tooltip(30) and "secret" in editor.url.resolved_tooltip(30)


def test_url_box_is_one_line_and_enter_sends(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot)
    editor.url.setFocus()
    with qtbot.waitSignal(editor.send_requested, timeout=1000):
        qtbot.keyClick(editor.url, Qt.Key.Key_Return)
    assert "\n" not in editor.url.text()
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setText("?a=1\n&b=2\n")
    editor.url.insertFromMimeData(mime)
    assert editor.url.text() == "http://h/items?a=1&b=2"
    assert [p.name for p in editor.params.rows()] == ["a", "b"]


def test_docs_render_markdown_and_edit(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot, Request("R", "GET", "http://h/", docs="# Title\n\nSome **bold** text.", path="R.yaml"))
    assert "Title" in editor.docs_view.toPlainText() and "**" not in editor.docs_view.toPlainText()
    editor.docs_toggle.setChecked(True)
    assert editor.docs_stack.currentWidget() is editor.docs_edit
    editor.docs_edit.setPlainText("Changed")
    editor.docs_toggle.setChecked(False)
    assert editor.docs_view.toPlainText().strip() == "Changed" and editor.to_model().docs == "Changed"


def test_auth_tab_round_trips(qtbot) -> None:  # type: ignore[no-untyped-def]
    request = Request("R", "GET", "http://h/", auth=Auth("basic", {"username": "u", "password": "p"}), path="R.yaml")
    editor = _editor(qtbot, request)
    assert editor.to_model().auth == request.auth
    editor.sections.setCurrentIndex(3)  # the panel is built when the Auth tab is first shown
    assert editor.auth.isVisible()
    assert editor.to_model().auth.type == "basic"
    assert editor.to_model().auth.get("username") == "u" and editor.to_model().auth.get("password") == "p"
    assert not editor.is_dirty()
    editor.auth.set_auth(Auth("bearer", {"token": "t"}))
    editor.auth.changed.emit()
    assert editor.is_dirty() and editor.to_model().auth.type == "bearer"


def test_send_button_turns_into_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot)
    editor.set_sending(True)
    assert editor.send_button.text() == "Cancel"
    with qtbot.waitSignal(editor.cancel_requested, timeout=1000):
        editor.send_button.click()
    editor.set_sending(False)
    with qtbot.waitSignal(editor.send_requested, timeout=1000):
        editor.send_button.click()


def test_settings_tab_overrides_only_what_is_ticked(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: a slow import gets its own timeout; the rest is inherited and says from where."""
    from workbench.core.collections import Collection, Settings
    from workbench.core.sending.send import SendContext

    request = Request("Import", "POST", "http://h/import", settings={"timeout_s": 300.0})
    editor = _editor(qtbot, request)
    form = editor.settings_form
    assert form.ticks["timeout_s"].isChecked() and form.timeout.value() == 300.0
    assert not form.ticks["verify_tls"].isChecked() and not form.verify.isEnabled()
    assert not editor.is_dirty()
    ctx = SendContext(collection=Collection("Frends", settings={"verify_tls": False}), settings=Settings(timeout_s=30))
    editor.set_context(ctx.collection, {}, context=ctx)
    assert form.hints["verify_tls"].text() == "inherits off from the collection, its folders and the workspace"
    form.ticks["timeout_s"].setChecked(False)
    assert editor.is_dirty() and editor.to_model().settings == {}
    assert form.hints["timeout_s"].text().startswith("inherits 30 s from")
    form.ticks["follow_redirects"].setChecked(True)
    form.follow.setChecked(False)
    assert editor.to_model().settings == {"follow_redirects": False}


def test_pasting_a_curl_command_fills_the_whole_request(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: paste a curl command copied from docs into the URL box, as in Postman."""
    from PySide6.QtCore import QMimeData

    editor = _editor(qtbot)
    mime = QMimeData()
    mime.setText("curl -X POST 'https://api.example.com/items?x=1' \\\n  -H 'Content-Type: application/json' \\\n"
                 "  -u ann:s3cret -d '{\"a\": 1}'")
    editor.url.insertFromMimeData(mime)
    model = editor.to_model()
    assert (model.method, model.url, model.name, model.path) == ("POST", "https://api.example.com/items", "R", "R.yaml")
    assert [(p.name, p.value) for p in model.params] == [("x", "1")]
    assert model.body.kind == "raw" and model.body.text == '{"a": 1}' and model.auth.type == "basic"
    assert editor.is_dirty()
    plain = QMimeData()
    plain.setText("https://other.example.com/x\n")
    editor.url.setText("")
    editor.url.insertFromMimeData(plain)
    assert editor.url.text() == "https://other.example.com/x"


def _tab_texts(editor: RequestEditor) -> list[str]:
    return [editor.sections.tabText(i) for i in range(editor.sections.count())]


def test_tab_counts_follow_enabled_rows_live(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: "Params (2)", "Headers (1)": enabled rows only; the blank add-row is neither ticked nor counted."""
    request = Request("R", "GET", "http://h/items",
                      params=(KeyValue("a", "1"), KeyValue("b", "2"), KeyValue("c", "3", enabled=False)),
                      headers=(KeyValue("Accept", "application/json"), KeyValue("X-Off", "1", enabled=False)),
                      path="R.yaml")
    editor = _editor(qtbot, request)
    assert _tab_texts(editor)[:2] == ["Params (2)", "Headers (1)"]
    # The add-row shows no tick box: its check area is one flat colour, unlike a real row's.
    table = editor.params

    def check_area_colours(row: int) -> int:
        rect = table.visualRect(table.model().index(row, table.NAME))
        rect.setWidth(22)
        image = table.viewport().grab(rect).toImage()
        return len({image.pixel(x, y) for x in range(image.width()) for y in range(image.height())})

    assert check_area_colours(table.rowCount() - 1) <= 2 < check_area_colours(0)
    # Ticking the disabled row, as a user does, counts it at once.
    off = editor.params.item(2, editor.params.NAME)
    off.setCheckState(Qt.CheckState.Checked)
    assert editor.sections.tabText(0) == "Params (3)"
    # Typing in the URL adds a row and the count follows.
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "&d=4")
    assert editor.sections.tabText(0) == "Params (4)"
    editor.headers.item(0, editor.headers.NAME).setCheckState(Qt.CheckState.Unchecked)
    assert editor.sections.tabText(1) == "Headers"
    # Showing another request (a reload) recounts.
    editor.set_request(Request("S", "GET", "http://h/", path="S.yaml"))
    assert _tab_texts(editor)[:2] == ["Params", "Headers"]


def test_save_button_is_enabled_only_with_unsaved_changes(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = _editor(qtbot)
    save = editor.save_button
    assert save.isVisible() and not save.isEnabled()
    editor.url.setFocus()
    qtbot.keyClicks(editor.url, "/1")
    assert save.isEnabled()
    with qtbot.waitSignal(editor.save_requested, timeout=1000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    editor.mark_saved(editor.to_model())  # what the window does after writing the file
    assert not save.isEnabled()
    # Disabled must look disabled: the same button renders other pixels when enabled.
    disabled = save.grab().toImage()
    save.setEnabled(True)
    assert save.grab().toImage() != disabled
    # A request without a file (new, or from history) can always be saved.
    unsaved = _editor(qtbot, Request("New", "GET", "http://h/"))
    assert unsaved.save_button.isEnabled()


def test_breadcrumb_names_collection_and_folders_and_links_them(qtbot) -> None:  # type: ignore[no-untyped-def]
    from workbench.core.collections import Folder

    inner = Folder("Very long folder name about customer accounts", path="Accounts/Customers")
    coll = Collection("Shop API", folders=(Folder("Accounts", folders=(inner,), path="Accounts"),), path="shop")
    request = Request("Get the customer by its identifier", "GET", "http://h/", path="Accounts/Customers/Get.yaml")
    editor = RequestEditor("shop", request)
    qtbot.addWidget(editor)
    editor.set_context(coll, {})
    editor.resize(900, 300)
    editor.show()
    crumb = editor.breadcrumb
    assert crumb.parts() == ["Shop API", "Accounts", "Very long folder name about customer accounts",
                             "Get the customer by its identifier"]
    assert "shop/Accounts/Customers" in crumb.text()  # the folder is a link to its tree key
    with qtbot.waitSignal(editor.location_clicked, timeout=1000) as clicked:
        crumb.linkActivated.emit("shop/Accounts")  # what QLabel emits when the link is clicked
    assert clicked.args == ["shop/Accounts"]
    # Narrow: the middle folders give way first, the request's name stays whole.
    narrow = crumb.elided(crumb.fontMetrics().horizontalAdvance("Shop API › A › V › Get the customer by its identifier")
                          + 30)
    assert narrow[-1] == "Get the customer by its identifier" and narrow[2].endswith("…")
    assert crumb.fontMetrics().horizontalAdvance(" › ".join(narrow)) <= crumb.fontMetrics().horizontalAdvance(
        "Shop API › A › V › Get the customer by its identifier") + 30
    # Not saved yet: says so.
    loose = _editor(qtbot, Request("Draft", "GET", "http://h/"))
    assert loose.breadcrumb.parts()[-1] == "Draft (not saved)"
