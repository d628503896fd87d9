"""History of sent requests (core/workspace/history.py): one JSON line each, secrets redacted, newest first."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import peers

from workbench.core.collections import Auth, KeyValue, Request
from workbench.core.sending.prepare import prepare
from workbench.core.sending.send import SendContext, send
from workbench.core.workspace import history, storage


def test_sent_requests_are_recorded_with_secrets_redacted(tmp_path: Path, httpbin: peers.Peer) -> None:
    ws = storage.init_workspace(tmp_path)
    request = Request("R", "GET", f"{httpbin.url}/anything", params=(KeyValue("access_token", "tok-SECRET"),
                                                                      KeyValue("page", "2")),
                      headers=(KeyValue("X-API-Key", "key-SECRET"), KeyValue("Accept", "application/json")),
                      auth=Auth("basic", {"username": "u", "password": "pw-SECRET"}))
    exchange = asyncio.run(send(request))
    assert exchange.response.status == 200
    entry = history.record(ws.root, exchange, "R.yaml", "C")
    raw = (Path(ws.root) / ".workbench" / "history.jsonl").read_text()
    assert "SECRET" not in raw and "pw-SECRET" not in raw
    assert "access_token=•••" in entry.url and "page=2" in entry.url
    headers = dict(entry.headers)
    assert headers["X-API-Key"] == "•••" and headers["Authorization"] == "Basic •••"
    assert headers["Accept"] == "application/json"
    (loaded,) = history.load(ws.root)
    assert loaded == entry and loaded.request_path == "R.yaml" and loaded.collection == "C"
    assert (Path(ws.root) / ".workbench" / ".gitignore").read_text() == "*\n"  # never committed


def test_credentials_in_the_url_are_redacted() -> None:
    assert history.redact_url("https://user:pw@h/x?key=abc&b=1") == "https://•••@h/x?key=•••&b=1"


def test_newest_first_and_torn_lines_skipped(tmp_path: Path, httpbin: peers.Peer) -> None:
    ws = storage.init_workspace(tmp_path)
    for path in ("status/200", "status/404"):
        history.record(ws.root, asyncio.run(send(Request("R", "GET", f"{httpbin.url}/{path}"))))
    with open(Path(ws.root) / ".workbench" / "history.jsonl", "a") as fh:
        fh.write('{"method": "GET", "url": "torn')
    entries = history.load(ws.root)
    assert [e.status for e in entries] == [404, 200]
    assert all(isinstance(json.loads(line), dict) for line in
               (Path(ws.root) / ".workbench" / "history.jsonl").read_text().splitlines()[:2])


def test_no_history_file_means_empty(tmp_path: Path) -> None:
    assert history.load(tmp_path) == []


def test_prepared_secret_header_values_never_reach_the_file(tmp_path: Path, httpbin: peers.Peer) -> None:
    ctx = SendContext(overrides={"token": "bearer-SECRET"})
    request = Request("R", "GET", f"{httpbin.url}/bearer", auth=Auth("bearer", {"token": "{{token}}"}))
    exchange = asyncio.run(send(request, ctx))
    assert exchange.response.status == 200
    assert prepare(request, overrides={"token": "bearer-SECRET"}).auth.get("token") == "bearer-SECRET"
    history.record(tmp_path, exchange)
    assert "bearer-SECRET" not in (tmp_path / ".workbench" / "history.jsonl").read_text()


def test_api_keys_under_custom_names_are_redacted(tmp_path: Path, httpbin: peers.Peer) -> None:
    """The service picks the key's name (`sig`, `x-frends-key`…): history must hide it whatever it is."""
    ws = storage.init_workspace(tmp_path)
    for where, name in (("query", "my key"), ("header", "X-Frends-Key")):
        request = Request("K", "GET", f"{httpbin.url}/anything",
                          auth=Auth("apikey", {"name": name, "value": "KEY-SECRET-1", "in": where}))
        exchange = asyncio.run(send(request))
        assert "KEY-SECRET-1" in json.dumps(exchange.response.text())  # it did reach the server
        history.record(ws.root, exchange, "K.yaml", "C")
    raw = (Path(ws.root) / ".workbench" / "history.jsonl").read_text()
    assert "KEY-SECRET-1" not in raw
    assert "my%20key=•••" in raw


def test_context_secrets_mask_a_secret_under_any_name_and_the_inherited_auth(tmp_path: Path,
                                                                               httpbin: peers.Peer) -> None:
    """A secret variable sent as `subscription-key`, in `X-Auth` and in the path, and the collection's
    API key inherited by the request, are all masked by value (their names say nothing)."""
    from workbench.core.collections import Collection, Environment
    from workbench.core.context.resolve import resolve_context

    secret, key = "Zx9-s3cr3t/v+1", "inherited-KEY-42"
    storage.init_workspace(tmp_path)
    coll = storage.save_collection(tmp_path, Collection(
        "Masked", auth=Auth("apikey", {"name": "X-Odd", "value": key, "in": "header"}),
        requests=(Request("leak", "GET", "{{baseUrl}}/anything/{{apiKey}}?subscription-key={{apiKey}}",
                          headers=(KeyValue("X-Auth", "{{apiKey}}"),), auth=Auth("inherit")),)))
    storage.save_environment(tmp_path, Environment("local", (KeyValue("baseUrl", httpbin.url),
                                                             KeyValue("apiKey", secret)), frozenset({"apiKey"})))
    ws = storage.load_workspace(tmp_path)
    collection = next(c for c in ws.collections if c.path == coll.path)
    ctx = resolve_context(ws, collection, environment="local")
    request = collection.requests[0]
    assert {secret, key} <= history.context_secrets(ctx, request)
    exchange = asyncio.run(send(request, ctx))
    assert exchange.response.status == 200
    history.record(tmp_path, exchange, "leak.yaml", coll.path, secrets=history.context_secrets(ctx, request))
    raw = (tmp_path / ".workbench" / "history.jsonl").read_text(encoding="utf-8")
    for form in (secret, "Zx9-s3cr3t%2Fv%2B1", "s3cr3t", key):
        assert form not in raw
    assert "subscription-key=•••" in raw and '"X-Auth", "•••"' in raw
