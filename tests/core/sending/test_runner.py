"""Running a collection: every request in tree order, results as they come, bail on failure."""

from __future__ import annotations

import asyncio

from workbench.core.collections import Collection, Folder, Request
from workbench.core.sending.runner import requests_under, run
from workbench.core.sending.send import SendContext


def _collection(base: str) -> Collection:
    return Collection("c", requests=(Request("root teapot", "GET", f"{base}/status/418", path="t.yaml"),),
                      folders=(Folder("f", requests=(Request("ok", "GET", f"{base}/get", path="f/ok.yaml"),
                                                     Request("created", "POST", f"{base}/status/201", path="f/c.yaml")),
                                      path="f"),))


def test_run_sends_every_request_in_tree_order(httpbin) -> None:
    seen: list[str] = []
    coll = _collection(httpbin.url)
    report = asyncio.run(run(requests_under(coll), SendContext(collection=coll), lambda r: seen.append(r.request.name)))
    assert seen == ["ok", "created", "root teapot"]
    assert [r.status for r in report.results] == [200, 201, 418]
    assert report.failed == 1


def test_run_of_one_folder_and_bail(httpbin) -> None:
    coll = _collection(httpbin.url)
    assert [r.name for r in requests_under(coll, "f")] == ["ok", "created"]
    bad = Collection("b", requests=(Request("refused", "GET", "http://127.0.0.1:9/", path="a.yaml"),
                                    Request("never", "GET", f"{httpbin.url}/get", path="b.yaml")))
    report = asyncio.run(run(requests_under(bad), SendContext(collection=bad), bail=True))
    assert len(report.results) == 1
    assert report.results[0].status is None and "refused" in report.results[0].error.lower()
