"""$batch: JSON (OData 4.01 JSON §19) and multipart/mixed with change sets (Protocol §11.7, v2),
built offline and exchanged with the real CAP server."""

from __future__ import annotations

import asyncio
import json

import pytest

from workbench.core.collections import Body, Collection, Environment, KeyValue, Request
from workbench.core.errors import SendError
from workbench.core.odata.batch import (
    BatchPart,
    batch_request,
    build_json_batch,
    build_multipart_batch,
    parts_from_requests,
    split_batch_response,
)
from workbench.core.sending.send import send
from workbench.core.sending.transport import Response

JSON_CT = (("Content-Type", "application/json"),)


def test_json_batch_shape() -> None:
    built = build_json_batch([
        BatchPart("1", "get", "Users?$top=1"),
        BatchPart("2", "POST", "Users", JSON_CT, b'{"ID": 1}', atomicity_group="g"),
        BatchPart("3", "PATCH", "$2", JSON_CT, b'{"city": "Rome"}', depends_on=("2",), atomicity_group="g"),
        BatchPart("4", "PUT", "Files(1)/$value", (("Content-Type", "image/png"),), b"\x89PNG"),
        BatchPart("5", "PUT", "Notes(1)/text/$value", (("Content-Type", "text/plain"),), b"hello"),
    ])
    assert built.content_type == "application/json"
    data = json.loads(built.body)
    first, second, third, binary, text = data["requests"]
    assert first == {"id": "1", "method": "GET", "url": "Users?$top=1"}
    assert second["body"] == {"ID": 1} and second["atomicityGroup"] == "g"
    assert third["dependsOn"] == ["2"] and third["headers"] == {"content-type": "application/json"}
    assert binary["body"] == "iVBORw"  # base64url, no padding
    assert text["body"] == "hello"


def test_json_batch_rejects_bad_ids_and_order() -> None:
    with pytest.raises(SendError, match="used twice"):
        build_json_batch([BatchPart("1", "GET", "A"), BatchPart("1", "GET", "B")])
    with pytest.raises(SendError, match="does not come before"):
        build_json_batch([BatchPart("1", "GET", "A", depends_on=("2",)), BatchPart("2", "GET", "B")])
    with pytest.raises(SendError, match="not valid JSON"):
        build_json_batch([BatchPart("1", "POST", "A", JSON_CT, b"{oops")])


def test_multipart_batch_wire_format() -> None:
    built = build_multipart_batch([
        BatchPart("1", "GET", "Products(1)?$select=title"),
        BatchPart("2", "PATCH", "Products(1)", JSON_CT, b'{"stock":999}', atomicity_group="cs"),
        BatchPart("3", "DELETE", "Products(2)", atomicity_group="cs"),
    ], boundary="batch_1")
    assert built.content_type == "multipart/mixed; boundary=batch_1"
    text = built.body.decode()
    assert "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    assert text.startswith("--batch_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n")
    assert "GET Products(1)?$select=title HTTP/1.1\r\n" in text
    assert text.count("Content-Type: multipart/mixed; boundary=changeset_") == 1
    cs = text.split("boundary=")[1].split("\r\n")[0]
    assert text.count(f"--{cs}\r\n") == 2 and f"--{cs}--\r\n" in text
    assert "Content-ID: 2\r\n" in text and "Content-ID: 3\r\n" in text
    assert "PATCH Products(1) HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"stock\":999}\r\n" in text
    assert text.endswith("--batch_1--\r\n")


def test_multipart_rejects_get_in_a_change_set() -> None:
    with pytest.raises(SendError, match="GET cannot be inside a change set"):
        build_multipart_batch([BatchPart("1", "GET", "A", atomicity_group="g")])


def test_v2_batch_is_multipart_with_dataserviceversion() -> None:
    request = batch_request([BatchPart("1", "GET", "Products(1)")], "http://h/V2/Northwind.svc", "multipart",
                            version="2.0")
    assert request.url == "http://h/V2/Northwind.svc/$batch"
    assert "DataServiceVersion: 2.0\r\n" in request.body.text
    assert any(h.name == "DataServiceVersion" for h in request.headers)
    with pytest.raises(SendError, match="only accept multipart"):
        batch_request([BatchPart("1", "GET", "Products(1)")], "http://h/svc", "json", version="2.0")


def test_split_multipart_response_with_nested_change_set() -> None:
    body = (
        "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n"
        "--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n"
        "--cs\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n"
        "--cs\r\nContent-Type: application/http\r\nContent-ID: 3\r\n\r\n"
        "HTTP/1.1 201 Created\r\nLocation: X(1)\r\n\r\n{\"id\":1}\r\n--cs--\r\n"
        "--b--\r\n").encode()
    response = Response(200, "OK", "HTTP/1.1", (("Content-Type", 'multipart/mixed; boundary="b"'),), len(body), 1.0,
                        body=body)
    parts = split_batch_response(response, [BatchPart("1", "GET", "A"), BatchPart("2", "DELETE", "B", atomicity_group="g"),
                                            BatchPart("3", "POST", "C", atomicity_group="g")])
    assert [(p.id, p.response.status, p.atomicity_group) for p in parts] == [
        ("", 200, ""), ("2", 204, "g"), ("3", 201, "g")]
    assert parts[0].response.body == b'{"a":1}' and parts[0].response.content_type == "application/json"
    assert parts[1].response.body == b""
    assert parts[2].response.header("location") == "X(1)"


def test_split_json_response_and_error() -> None:
    body = json.dumps({"responses": [
        {"id": "1", "status": 200, "headers": {"content-type": "application/json"}, "body": {"value": []}},
        {"id": "2", "status": 204, "atomicityGroup": "g"}]}).encode()
    response = Response(200, "OK", "HTTP/1.1", (("Content-Type", "application/json"),), len(body), 1.0, body=body)
    parts = split_batch_response(response)
    assert [(p.id, p.response.status, p.atomicity_group) for p in parts] == [("1", 200, ""), ("2", 204, "g")]
    assert json.loads(parts[0].response.body) == {"value": []}
    err = json.dumps({"error": {"code": "400", "message": "bad batch"}}).encode()
    with pytest.raises(SendError, match="bad batch"):
        split_batch_response(Response(400, "Bad Request", "HTTP/1.1", (("Content-Type", "application/json"),),
                                      len(err), 1.0, body=err))


def test_parts_from_saved_requests_resolve_variables_and_drop_auth() -> None:
    collection = Collection("c", variables=(KeyValue("root", "http://h/svc"),))
    env = Environment("dev", (KeyValue("city", "Oslo"),))
    requests = [
        Request("list", "GET", "{{root}}/Users", params=(KeyValue("$filter", "city eq '{{city}}'"),),
                headers=(KeyValue("Authorization", "Bearer x"), KeyValue("Accept", "application/json"))),
        Request("create", "POST", "{{root}}/Users", body=Body("raw", "application/json", '{"city":"{{city}}"}')),
    ]
    parts = parts_from_requests(requests, "{{root}}", collection=collection, environment=env, atomicity_group="g")
    assert parts[0].url == "Users?$filter=city%20eq%20'Oslo'"
    assert parts[0].headers == (("Accept", "application/json"),) and parts[0].atomicity_group == ""
    assert parts[1].body == b'{"city":"Oslo"}' and parts[1].atomicity_group == "g"


# --------------------------------------------------------------------------- real server


def _cleanup(root: str, ids: list[int]) -> None:
    async def go() -> None:
        for i in ids:
            await send(Request("del", "DELETE", f"{root}/Users({i})"))

    asyncio.run(go())


@pytest.mark.peers
def test_json_batch_against_cap(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    parts = [
        BatchPart("1", "GET", "Users?$filter=city eq 'Oslo'&$select=ID&$orderby=ID".replace(" ", "%20")),
        BatchPart("2", "POST", "Users", JSON_CT, b'{"ID":901,"userName":"batch-bob"}', atomicity_group="g1"),
        BatchPart("3", "PATCH", "Users(901)", JSON_CT, b'{"city":"Rome"}', depends_on=("2",), atomicity_group="g1"),
        BatchPart("4", "GET", "Users(901)?$select=city", depends_on=("g1",)),
    ]
    try:
        exchange = asyncio.run(send(batch_request(parts, root, "json")))
        assert exchange.response.status == 200
        results = split_batch_response(exchange.response, parts)
        assert [(r.id, r.response.status) for r in results] == [("1", 200), ("2", 201), ("3", 200), ("4", 200)]
        import csv
        from pathlib import Path

        seed = Path(__file__).resolve().parents[2] / "servers" / "odata" / "db" / "data" / "wb-Users.csv"
        with seed.open(encoding="utf-8") as fh:
            oslo = sorted(int(r["ID"]) for r in csv.DictReader(fh, delimiter=";") if r["city"] == "Oslo")
        assert [u["ID"] for u in json.loads(results[0].response.body)["value"]] == oslo
        assert json.loads(results[3].response.body)["city"] == "Rome"
        assert results[1].atomicity_group == "g1"
    finally:
        _cleanup(root, [901])


@pytest.mark.peers
def test_multipart_batch_with_change_set_against_cap(odata_server) -> None:  # type: ignore[no-untyped-def]
    root = odata_server.url
    parts = [
        BatchPart("1", "GET", "Users(1)?$select=userName"),
        BatchPart("2", "POST", "Users", JSON_CT, b'{"ID":902,"userName":"mp"}', atomicity_group="cs"),
        BatchPart("3", "PATCH", "$2", JSON_CT, b'{"city":"Bergen"}', atomicity_group="cs"),
        BatchPart("4", "GET", "Users(902)?$select=city,userName"),
    ]
    try:
        exchange = asyncio.run(send(batch_request(parts, root, "multipart")))
        assert exchange.response.status == 200
        assert exchange.response.content_type == "multipart/mixed"
        results = split_batch_response(exchange.response, parts)
        assert [(r.id, r.response.status, r.atomicity_group) for r in results] == [
            ("1", 200, ""), ("2", 201, "cs"), ("3", 200, "cs"), ("4", 200, "")]
        assert json.loads(results[0].response.body)["userName"] == "anna"
        last = json.loads(results[3].response.body)
        assert (last["city"], last["userName"]) == ("Bergen", "mp")
    finally:
        _cleanup(root, [902])


@pytest.mark.peers
def test_failed_change_set_is_reported_per_part(odata_server) -> None:  # type: ignore[no-untyped-def]
    """A change set that fails is rolled back as a whole: the POST before the failing PATCH is undone."""
    root = odata_server.url
    parts = [
        BatchPart("1", "POST", "Users", JSON_CT, b'{"ID":903,"userName":"gone"}', atomicity_group="cs"),
        BatchPart("2", "PATCH", "Users(999999)", JSON_CT, b'{"city":"x"}', atomicity_group="cs"),
    ]
    try:
        exchange = asyncio.run(send(batch_request(parts, root, "multipart")))
        results = split_batch_response(exchange.response, parts)
        assert any(r.response.status == 404 for r in results)
        check = asyncio.run(send(Request("get", "GET", f"{root}/Users(903)")))
        assert check.response.status == 404
    finally:
        _cleanup(root, [903])
