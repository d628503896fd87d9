"""From a saved request to what goes on the wire (core/sending/prepare.py): variables, inheritance, bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    Environment,
    Folder,
    FormPart,
    KeyValue,
    Request,
)
from workbench.core.errors import SendError
from workbench.core.sending.prepare import (
    effective_auth,
    inherited_headers,
    prepare,
    variables_for,
)


def _collection() -> Collection:
    inner = Request("R", "GET", "{{base}}/items", path="F/R.yaml")
    return Collection(
        "C", folders=(Folder("F", requests=(inner,), auth=Auth("bearer", {"token": "{{tok}}"}),
                             headers=(KeyValue("x-tenant-id", "folder"),), path="F"),),
        variables=(KeyValue("base", "http://coll"), KeyValue("tok", "coll-token"), KeyValue("off", "x", False)),
        auth=Auth("basic", {"username": "u", "password": "p"}),
        headers=(KeyValue("x-client-id", "c1"), KeyValue("x-tenant-id", "coll")),
    )


def test_precedence_collection_env_overrides() -> None:
    env = Environment("E", (KeyValue("base", "http://env"), KeyValue("tok", "env-token")))
    coll = _collection()
    assert variables_for(coll, env, {"tok": "cli"}) == {"base": "http://env", "tok": "cli"}
    prepared = prepare(coll.folders[0].requests[0], coll, env, {"tok": "cli"})
    assert prepared.url == "http://env/items"
    assert prepared.auth == Auth("bearer", {"token": "cli"})


def test_auth_inheritance_nearest_wins() -> None:
    coll = _collection()
    inner = coll.folders[0].requests[0]
    assert effective_auth(coll, inner).type == "bearer"
    top = Request("Top", path="Top.yaml")
    assert effective_auth(coll, top).type == "basic"
    own = Request("Own", auth=Auth("none"), path="F/Own.yaml")
    assert effective_auth(coll, own).type == "none"
    assert effective_auth(None, Request("x")).type == "none"


def test_headers_inherit_and_later_wins_case_insensitively() -> None:
    coll = _collection()
    request = Request("R", "GET", "http://h/", headers=(KeyValue("X-Tenant-ID", "request"), KeyValue("off", "1", False)),
                      path="F/R.yaml")
    assert [h.name for h in inherited_headers(coll, request)] == ["x-client-id", "x-tenant-id", "x-tenant-id", "X-Tenant-ID"]
    prepared = prepare(request, coll)
    assert prepared.headers == (("x-client-id", "c1"), ("X-Tenant-ID", "request"))


def test_query_params_are_encoded_and_merged_with_the_typed_query() -> None:
    request = Request("R", "GET", "http://h/People?$top=2", params=(
        KeyValue("$filter", "Name eq '{{who}}'"), KeyValue("debug", "1", False)))
    prepared = prepare(request, overrides={"who": "Scott Ke"})
    assert prepared.url == "http://h/People?$top=2&$filter=Name%20eq%20'Scott%20Ke'"


def test_missing_variables_are_reported() -> None:
    prepared = prepare(Request("R", "GET", "http://h/{{nope}}"))
    assert prepared.missing_variables == {"nope"}


def test_scheme_is_added_and_empty_url_rejected() -> None:
    assert prepare(Request("R", "GET", "127.0.0.1:8080/x")).url == "http://127.0.0.1:8080/x"
    with pytest.raises(SendError, match="no URL"):
        prepare(Request("R", "GET", ""))


@pytest.mark.parametrize("text, expected", [
    ('{"a": 1}', "application/json"), ("[1, 2]", "application/json"), ("{not json", "text/plain"),
    ("<a/>", "application/xml"), ("hello", "text/plain"),
])
def test_raw_body_content_type_is_sniffed(text: str, expected: str) -> None:
    prepared = prepare(Request("R", "POST", "http://h/", body=Body("raw", text=text)))
    assert prepared.header("content-type") == expected and prepared.body == text.encode()


def test_declared_content_type_wins() -> None:
    prepared = prepare(Request("R", "POST", "http://h/", headers=(KeyValue("Content-Type", "application/merge-patch+json"),),
                               body=Body("raw", "application/json", "{}")))
    assert [v for k, v in prepared.headers if k.lower() == "content-type"] == ["application/merge-patch+json"]


def test_form_and_multipart_bodies(tmp_path: Path) -> None:
    form = prepare(Request("R", "POST", "http://h/", body=Body("form", form=(KeyValue("a b", "c&d"), KeyValue("x", "y", False)))))
    assert form.body == b"a%20b=c%26d" and form.header("content-type") == "application/x-www-form-urlencoded"
    (tmp_path / "doc.xml").write_text("<a/>")
    multi = prepare(Request("R", "POST", "http://h/", body=Body("multipart", parts=(
        FormPart("file", file="doc.xml"), FormPart("meta", '{"k":1}', content_type="application/json"),
        FormPart("plain", "v"), FormPart("off", "v", enabled=False)))), base_dir=tmp_path)
    assert [(f.name, f.filename, f.content, f.content_type) for f in multi.files] == [
        ("file", "doc.xml", b"<a/>", "application/xml"), ("meta", None, b'{"k":1}', "application/json")]
    assert multi.form_fields == (("plain", "v"),)


def test_missing_multipart_file_names_the_part(tmp_path: Path) -> None:
    with pytest.raises(SendError, match="'upload'"):
        prepare(Request("R", "POST", "http://h/", body=Body("multipart", parts=(FormPart("upload", file="no.bin"),))),
                base_dir=tmp_path)
