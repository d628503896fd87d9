"""Each auth scheme applied by `auth.apply` and checked at a real echo server (httpbin)."""

from __future__ import annotations

import asyncio
import base64
import json

import peers
import pytest

from workbench.core.auth import schemes as auth_mod
from workbench.core.collections import Auth, Collection, Folder, Request
from workbench.core.errors import AuthError
from workbench.core.sending.prepare import PreparedRequest
from workbench.core.sending.send import SendContext, send


def _send(request: Request, collection: Collection | None = None):  # type: ignore[no-untyped-def]
    return asyncio.run(send(request, SendContext(collection=collection)))


def test_bearer_at_httpbin(httpbin: peers.Peer) -> None:
    ex = _send(Request("b", url=f"{httpbin.url}/bearer", auth=Auth("bearer", {"token": "abc.def-123"})))
    assert ex.response.status == 200
    assert json.loads(ex.response.text()) == {"authenticated": True, "token": "abc.def-123"}


def test_bearer_custom_and_empty_prefix(httpbin: peers.Peer) -> None:
    ex = _send(Request("b", url=f"{httpbin.url}/headers", auth=Auth("bearer", {"token": "t1", "prefix": "Token"})))
    assert json.loads(ex.response.text())["headers"]["Authorization"] == "Token t1"
    ex = _send(Request("b", url=f"{httpbin.url}/headers", auth=Auth("bearer", {"token": "raw", "prefix": ""})))
    assert json.loads(ex.response.text())["headers"]["Authorization"] == "raw"


def test_basic_at_httpbin_with_non_ascii_password(httpbin: peers.Peer) -> None:
    ok = _send(Request("b", url=f"{httpbin.url}/basic-auth/u/p", auth=Auth("basic", {"username": "u", "password": "p"})))
    assert ok.response.status == 200 and json.loads(ok.response.text()) == {"authenticated": True, "user": "u"}
    bad = _send(Request("b", url=f"{httpbin.url}/basic-auth/u/p", auth=Auth("basic", {"username": "u", "password": "x"})))
    assert bad.response.status == 401
    header = auth_mod.basic_header("zoë", "pä:ss")
    assert base64.b64decode(header[6:]).decode("utf-8") == "zoë:pä:ss"  # RFC 7617 §2.1 UTF-8


def test_basic_refuses_colon_in_username() -> None:
    with pytest.raises(AuthError, match="RFC 7617"):
        auth_mod.basic_header("a:b", "c")


@pytest.mark.parametrize("name", ["X-API-Key", "Authorization"])
def test_apikey_header_any_name_including_bare_authorization(httpbin: peers.Peer, name: str) -> None:
    ex = _send(Request("k", url=f"{httpbin.url}/headers",
                       auth=Auth("apikey", {"name": name, "value": "k-123", "in": "header"})))
    headers = {k.lower(): v for k, v in json.loads(ex.response.text())["headers"].items()}
    assert headers[name.lower()] == "k-123"


def test_apikey_query_and_cookie(httpbin: peers.Peer) -> None:
    ex = _send(Request("k", url=f"{httpbin.url}/get?x=1",
                       auth=Auth("apikey", {"name": "api key", "value": "v&=1", "in": "query"})))
    assert json.loads(ex.response.text())["args"] == {"x": "1", "api key": "v&=1"}
    ex = _send(Request("k", url=f"{httpbin.url}/cookies", auth=Auth("apikey", {"name": "session", "value": "s1",
                                                                             "in": "cookie"})))
    assert json.loads(ex.response.text())["cookies"] == {"session": "s1"}


def test_apikey_cookie_joins_existing_cookie_header(httpbin: peers.Peer) -> None:
    from workbench.core.collections import KeyValue

    request = Request("k", url=f"{httpbin.url}/cookies", headers=(KeyValue("Cookie", "a=1"),),
                      auth=Auth("apikey", {"name": "key", "value": "needs space", "in": "cookie"}))
    cookies = json.loads(_send(request).response.text())["cookies"]
    assert cookies == {"a": "1", "key": "needs%20space"}


def test_auth_inherited_from_folder_and_collection(httpbin: peers.Peer) -> None:
    request = Request("r", url=f"{httpbin.url}/headers", path="f/r.yaml")
    folder = Folder("f", requests=(request,), path="f", auth=Auth("bearer", {"token": "from-folder"}))
    coll = Collection("c", folders=(folder,), auth=Auth("apikey", {"name": "X-Key", "value": "from-coll"}))
    headers = json.loads(_send(request, coll).response.text())["headers"]
    assert headers["Authorization"] == "Bearer from-folder" and "X-Key" not in headers
    folder_inherits = Folder("f", requests=(request,), path="f")
    coll2 = Collection("c", folders=(folder_inherits,), auth=Auth("apikey", {"name": "X-Key", "value": "from-coll"}))
    headers = json.loads(_send(request, coll2).response.text())["headers"]
    assert headers["X-Key"] == "from-coll" and "Authorization" not in headers


def test_oauth2_without_provider_and_unknown_location() -> None:
    prepared = PreparedRequest("GET", "http://127.0.0.1/", auth=Auth("oauth2", {"token_url": "http://t"}))
    with pytest.raises(AuthError, match="needs a token"):
        asyncio.run(auth_mod.apply(prepared))
    with pytest.raises(AuthError, match="location"):
        asyncio.run(auth_mod.apply(PreparedRequest("GET", "http://x/", auth=Auth("apikey", {"in": "body"}))))


def test_oauth2_uses_provider_and_header_prefix() -> None:
    async def provider(auth: Auth) -> str:
        return "tok"

    prepared = PreparedRequest("GET", "http://x/", auth=Auth("oauth2", {"header_prefix": "JWT"}))
    assert asyncio.run(auth_mod.apply(prepared, provider)).header("Authorization") == "JWT tok"


def test_describe_hides_secrets() -> None:
    assert auth_mod.describe(Auth("basic", {"username": "al", "password": "pw"})) == "Basic auth as 'al'"
    assert "pw" not in auth_mod.describe(Auth("basic", {"username": "al", "password": "pw"}))
    assert auth_mod.describe(Auth("apikey", {"name": "k", "value": "SECRET", "in": "query"})) == \
        "API key in query parameter 'k'"
    text = auth_mod.describe(Auth("oauth2", {"grant_type": "password", "client_id": "c", "client_secret": "S3",
                                             "token_url": "https://t/token"}))
    assert text == "OAuth 2.0, password, client 'c' at https://t/token" and "S3" not in text
    assert auth_mod.describe(None) == "No auth"


def test_collection_extra_headers_travel_with_the_auth(httpbin: peers.Peer) -> None:
    """Headers set once on the collection (x-client-id, x-tenant-id) go with every request, beside its auth."""
    from workbench.core.collections import KeyValue

    request = Request("r", url=f"{httpbin.url}/headers", path="r.yaml")
    coll = Collection("c", requests=(request,), headers=(KeyValue("x-client-id", "app-1"), KeyValue("x-tenant-id", "t9")),
                      auth=Auth("apikey", {"name": "Ocp-Apim-Subscription-Key", "value": "sub-key"}))
    headers = {k.lower(): v for k, v in json.loads(_send(request, coll).response.text())["headers"].items()}
    assert headers["x-client-id"] == "app-1" and headers["x-tenant-id"] == "t9"
    assert headers["ocp-apim-subscription-key"] == "sub-key"
