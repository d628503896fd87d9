"""Imported requests are valid as imported: Prism (a validating mock of the same spec) accepts them.

For each descriptor Prism can load: start `prism mock SPEC`, import SPEC, send every request
unchanged through `workbench.core.sending.send.send` with an environment whose `baseUrl` points at
Prism and whose auth variables hold dummy credentials (Prism checks that credentials are present,
not their value; OAuth2 requests get their token from a token provider as in the app). Prism
answers 422/400 when a parameter or body breaks the spec (a refusal, printed with Prism's
validation messages and the request), so the share of 2xx answers is the share of imported
requests that are valid.

Two corpora (issue 17): every shared descriptor (`../shared/data/openapi/*` and the OData CSDL
examples converted to OpenAPI), at least 90% accepted; and the held-out edge cases in
`tests/data/openapi/edge/` (oneOf with and without discriminator, anyOf, nested allOf,
boolean enums, recursion, nullable, readOnly/writeOnly, 3.1 type arrays, formats, numeric
bounds), all accepted: every one of them has a valid request, so a refusal there is ours.

Prism 5.14 has bugs of its own: it crashes on an absent optional array header (Iceberg) and
answers 500 when it cannot build a response (OASIS ExampleService: "Invalid reference token:
paths", "Schema too complex"). Such answers count as failures, not refusals; when Prism dies it
is restarted so one crash does not fail the rest of a spec. It also refuses every call of
TripPin's `GetFriendsTrips(userName=…)` whatever the value (a hand-written
`/Me/…GetFriendsTrips(userName='abc')` gets the same 422): it asks for path parameters
`username` (lower-cased) and `tripid_1` (another route's), so those two refusals are Prism's.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from workbench.core.collections import Auth, Environment, KeyValue
from workbench.core.errors import SendError
from workbench.core.openapi.importer import import_openapi
from workbench.core.openapi.sources import list_roots
from workbench.core.sending.send import SendContext, send

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "servers"))
import peers  # noqa: E402

pytestmark = pytest.mark.peers

EDGE = Path(__file__).resolve().parents[2] / "data" / "openapi" / "edge"
DUMMY = {"apiKey": "dummy-api-key", "bearerToken": "dummy-token", "username": "user", "password": "pass",
         "clientId": "client", "clientSecret": "client-secret"}
# Shared descriptors this test does not send, and why. A new file in ../shared/data/openapi is
# run unless it is listed here (test_every_shared_descriptor_is_run_or_has_a_reason).
NOT_RUN = {
    "stripe-spec3.json": "Prism 5.14 does not finish loading it within 120 s (4 MB, 500+ operations)",
    "kubernetes-swagger.json": "Prism needs ~50 s to load it and ~4 min to answer its 1,123 requests on this "
                               "2-core machine; WORKBENCH_PRISM_ALL=1 runs it (last run: 1121/1123, the two "
                               "failures are 401s on GET /logs/ and /logs/{logpath})",
    "webhook-example-v3.1.yaml": "webhooks only (OAS 3.1): the API calls the client, nothing is imported to send",
}
SLOW = {"kubernetes-swagger.json"}  # run when WORKBENCH_PRISM_ALL=1
# Small hand-written specs must pass completely: a failure there is ours, not Prism's.
EXACT = {"petstore-v3.0.yaml", "petstore-v2.0.json", "swagger-petstore3-openapi.yaml", "tictactoe-v3.1.yaml",
         "paypal-invoicing_v2.json", "petstore-separate", "petstore-separate.zip"}


@dataclass(frozen=True)
class Target:
    """What to import (file, folder or ZIP) and the file Prism mocks (Prism reads no ZIP or folder)."""

    name: str
    source: Path
    prism_spec: Path


@dataclass
class SpecRun:
    spec: str
    sent: int = 0
    ok: int = 0
    failures: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # 4xx: Prism found the request invalid

    @property
    def rejected(self) -> int:
        return len(self.refusals)


def prism_environment(template: Environment, prism_url: str) -> Environment:
    """The imported environment with baseUrl at Prism and dummy credentials in the auth variables."""
    rows = []
    for var in template.variables:
        if var.name == "baseUrl":
            rows.append(KeyValue("baseUrl", prism_url))
        elif var.value:
            rows.append(var)
        else:
            rows.append(KeyValue(var.name, DUMMY.get(var.name.rsplit("_", 1)[-1], "dummy")))
    return Environment("prism", tuple(rows))


async def _dummy_token(auth: Auth) -> str:
    return "dummy-oauth-token"


def refusal_reason(text: str, header: str) -> str:
    """Prism's validation messages from a 422/400 (its problem+json body, or `sl-violations`)."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    messages = body.get("validation") if isinstance(body, dict) else None
    if not messages and header:
        try:
            messages = json.loads(header)
        except ValueError:
            return header[:400]
    if isinstance(messages, list) and messages:
        return "; ".join(str(m.get("message", m)) if isinstance(m, dict) else str(m) for m in messages)[:600]
    return text[:300]


async def run_spec(target: Target) -> SpecRun:
    """Import the target, send each request to a fresh Prism; restart Prism if one request kills it."""
    result = import_openapi(target.source)
    run = SpecRun(target.name)
    peer = await asyncio.to_thread(peers.start_prism, target.prism_spec)
    try:
        for request in result.collection.all_requests():
            env = prism_environment(result.environments[0], peer.url)
            ctx = SendContext(collection=result.collection, environment=env, token_provider=_dummy_token)
            run.sent += 1
            label = str(request.meta.get("openapi_operation") or f"{request.method} {request.name}")
            try:
                exchange = await send(request, ctx)
            except SendError as exc:
                run.failures.append(f"{label}: {re.sub(r'127.0.0.1:[0-9]+', 'Prism', exc.message)}")
                try:  # did this request crash Prism? then the next one gets a fresh Prism
                    await asyncio.to_thread(peer.process.wait, 5)
                except subprocess.TimeoutExpired:
                    continue
                peer.stop()
                peer = await asyncio.to_thread(peers.start_prism, target.prism_spec)
                continue
            status = exchange.response.status
            if 200 <= status < 300:
                run.ok += 1
                continue
            text = exchange.response.text()
            if 400 <= status < 500:
                reason = refusal_reason(text, exchange.response.header("sl-violations") or "")
                sent = (request.body.text or "").replace("\n", " ")
                sent = " ".join(sent.split())[:300]
                run.refusals.append(f"{label} -> {status}: {reason}" + (f"\n      body sent: {sent}" if sent else ""))
            run.failures.append(f"{label}: {_failure_kind(f'{status} {text}')}")
    finally:
        peer.stop()
    return run


async def run_all(targets: list[Target]) -> list[SpecRun]:
    return list(await asyncio.gather(*(run_spec(t) for t in targets)))


def _root_of(folder: Path) -> Path:
    roots = list_roots(folder)
    assert len(roots) == 1, f"{folder}: {roots}"
    return folder / roots[0]


def shared_targets(shared_data: Path, unpack_to: Path) -> list[Target]:
    """Every shared descriptor not in NOT_RUN (SLOW ones too under WORKBENCH_PRISM_ALL=1)."""
    run_all_specs = os.environ.get("WORKBENCH_PRISM_ALL") == "1"
    targets = []
    for entry in sorted((shared_data / "openapi").iterdir()):
        if entry.name in NOT_RUN and not (run_all_specs and entry.name in SLOW):
            continue
        if entry.is_dir():
            targets.append(Target(entry.name, entry, _root_of(entry)))
        elif entry.suffix == ".zip":
            folder = unpack_to / entry.stem
            with zipfile.ZipFile(entry) as archive:
                archive.extractall(folder)  # our own test data: Prism reads no ZIP
            targets.append(Target(entry.name, entry, _root_of(folder)))
        else:
            targets.append(Target(entry.name, entry, entry))
    for spec in sorted((shared_data / "csdl" / "odata-openapi-examples").glob("*.openapi3.json")):
        targets.append(Target(spec.name, spec, spec))
    return targets


def edge_targets() -> list[Target]:
    return [Target(p.name, p, p) for p in sorted(EDGE.glob("*.yaml"))]


def report(title: str, runs: list[SpecRun]) -> str:
    sent = sum(r.sent for r in runs)
    ok = sum(r.ok for r in runs)
    lines = [f"--- {title}"]
    lines += [f"{r.spec:42} {r.ok:4}/{r.sent:<4} {r.ok / max(r.sent, 1):6.1%}  refused (4xx): {r.rejected}"
              for r in runs]
    lines.append(f"TOTAL {ok}/{sent} = {ok / max(sent, 1):.1%}; refused as invalid (4xx): "
                 f"{sum(r.rejected for r in runs)}; the rest are Prism 5xx answers or crashes")
    for r in runs:
        for refusal in r.refusals:
            lines.append(f"  REFUSED {r.spec}: {refusal}")
        # Not refusals (Prism 5xx, crashes): one line per kind, with a count and an example.
        kinds: dict[str, list[str]] = {}
        for label, _, problem in (f.partition(": ") for f in r.failures):
            if not problem.startswith("4"):
                kinds.setdefault(problem, []).append(label)
        for kind, labels in kinds.items():
            lines.append(f"  FAILED  {r.spec}: {len(labels)} x {kind} (e.g. {labels[0]})")
    return "\n".join(lines)


def _failure_kind(problem: str) -> str:
    try:
        title = json.loads(problem.split(" ", 1)[1]).get("title")
    except (ValueError, IndexError, AttributeError):
        title = None
    return f"{problem.split(' ', 1)[0]} {title}" if title else problem[:200]


def test_every_shared_descriptor_is_run_or_has_a_reason(shared_data: Path) -> None:
    """A descriptor added to the shared data is sent to Prism unless NOT_RUN says why not."""
    names = {p.name for p in (shared_data / "openapi").iterdir()}
    assert set(NOT_RUN) <= names, set(NOT_RUN) - names
    assert names - set(NOT_RUN), "no shared descriptor left to run"


def test_prism_accepts_imported_requests(shared_data: Path, tmp_path: Path) -> None:
    """Issue 17: Prism accepts ≥ 90% of the requests imported from the shared descriptors, as
    imported, and every request imported from the edge-case corpus. Each refusal is printed
    with Prism's reasons and the body sent."""
    shared = shared_targets(shared_data, tmp_path)
    edge = edge_targets()
    assert len(shared) >= 15 and len(edge) >= 5
    runs = asyncio.run(run_all(shared + edge))
    shared_runs, edge_runs = runs[:len(shared)], runs[len(shared):]
    text = report("shared descriptors", shared_runs) + "\n" + report("edge-case corpus", edge_runs)
    text += "\n--- not run\n" + "\n".join(f"  {name}: {why}" for name, why in NOT_RUN.items())
    print("\n" + text)
    sent = sum(r.sent for r in shared_runs)
    assert sent > 500
    assert sum(r.ok for r in shared_runs) / sent >= 0.90, text
    for r in shared_runs:
        if r.spec in EXACT:
            assert r.ok == r.sent, f"{r.spec}: {r.failures}"
    for r in edge_runs:
        assert r.sent > 0 and r.ok == r.sent, text
