"""Running a collection: tree order, checks, save steps across requests, iterations, bail."""

from __future__ import annotations

import asyncio
import time

import peers

from workbench.core.collections import (
    Body,
    Check,
    Collection,
    Folder,
    Request,
    SaveStep,
)
from workbench.core.sending.runner import RunOptions, deletes_in, requests_under, run
from workbench.core.sending.send import SendContext


def _collection(base: str) -> Collection:
    return Collection("c", requests=(Request("root teapot", "GET", f"{base}/status/418", path="t.yaml"),),
                      folders=(Folder("f", requests=(Request("ok", "GET", f"{base}/get", path="f/ok.yaml"),
                                                     Request("created", "POST", f"{base}/status/201", path="f/c.yaml")),
                                      path="f"),))


def test_run_sends_every_request_in_tree_order(httpbin: peers.Peer) -> None:
    """Without checks any HTTP response passes (a 418 too), as in newman."""
    seen: list[str] = []
    coll = _collection(httpbin.url)
    report = asyncio.run(run(requests_under(coll), SendContext(collection=coll), lambda r: seen.append(r.request.name)))
    assert seen == ["ok", "created", "root teapot"]
    assert [r.status for r in report.results] == [200, 201, 418]
    assert report.failed == 0


def test_run_of_one_folder_and_bail(httpbin: peers.Peer) -> None:
    coll = _collection(httpbin.url)
    assert [r.name for r in requests_under(coll, "f")] == ["ok", "created"]
    bad = Collection("b", requests=(Request("refused", "GET", "http://127.0.0.1:9/", path="a.yaml"),
                                    Request("never", "GET", f"{httpbin.url}/get", path="b.yaml")))
    report = asyncio.run(run(requests_under(bad), SendContext(collection=bad), bail=True))
    assert len(report.results) == 1
    assert report.results[0].status is None and "refused" in report.results[0].error.lower()


def test_saved_variables_reach_later_requests_and_rows_iterate(httpbin: peers.Peer) -> None:
    """create saves `$.json.id` (and a header); read sees it; each data row is one iteration, `--var` below both."""
    create = Request("create", "POST", "{{base}}/anything", body=Body("raw", "application/json", '{"id": "{{who}}-7"}'),
                     save=(SaveStep("id", "json", "$.json.id"), SaveStep("ctype", "header", "content-type")),
                     checks=(Check("status", expected="2xx"),))
    read = Request("read", "GET", "{{base}}/anything/{{id}}",
                   checks=(Check("json", "$.url", "contains", "/{{id}}"), Check("json", "$.args", "equals", "{}"),
                           Check("header", "Content-Type", "equals", "{{ctype}}")))
    ctx = SendContext(overrides={"base": httpbin.url, "who": "cli"})
    options = RunOptions(data=({"who": "ann"}, {"who": "bob"}), delay_ms=20)
    t0 = time.perf_counter()
    report = asyncio.run(run([create, read], ctx, options=options))
    assert time.perf_counter() - t0 >= 0.06  # three pauses between four requests
    assert report.iterations == 2 and report.failed == 0, [r.reason() for r in report.results]
    assert [r.request.name for r in report.results] == ["create", "read", "create", "read"]
    assert [r.iteration for r in report.results] == [0, 0, 1, 1]
    assert all(len(r.checks) == n for r, n in zip(report.results, (1, 3, 1, 3)))


def test_failed_checks_and_missing_saves_fail_the_request(httpbin: peers.Peer) -> None:
    req = Request("get", "GET", f"{httpbin.url}/get",
                  checks=(Check("status", expected="4xx"), Check("json", "$.nope", "exists"),
                          Check("time", op="below", expected="0.001"), Check("contract")),
                  save=(SaveStep("x", "json", "$.missing"),))
    report = asyncio.run(run([req, Request("rm", "DELETE", f"{httpbin.url}/delete")], SendContext(),
                             options=RunOptions(iterations=2)))
    first = report.results[0]
    assert not first.ok and len(first.failures) == 5
    assert "status 200, expected 4xx" in first.reason() and "$.nope matched nothing" in first.reason()
    assert "not imported from an OpenAPI operation" in first.reason()
    assert report.failed == 2 and len(report.results) == 4 and len(report.deletes) == 2
    assert [r.name for r in deletes_in([req, Request("rm", "delete")])] == ["rm"]
