"""Regression tests for issue 18: every reproducer of the hostile-input report, small and fast.

Containment of `$ref`s, YAML alias bombs, `$ref` amplification, unbounded samples and regex
work, the workspace walk (symlink loops, FIFOs), concurrent imports, secrets masked by value,
and parsers that end in a clean error instead of a RecursionError.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import peers
import pytest
from test_hostile_corpus import BOMB, SPEC_HEAD, _csdl_json, _encrypted_zip, _op_with

from workbench import cli
from workbench.core.collections import Auth, KeyValue, Request
from workbench.core.csdl.json_reader import parse_json
from workbench.core.errors import (
    CsdlError,
    ODataQueryError,
    SpecImportError,
    TokenError,
)
from workbench.core.odata.deep import run_deep
from workbench.core.odata.parser import MAX_NESTING, parse_url
from workbench.core.odata.validate import check_url
from workbench.core.openapi import samples
from workbench.core.openapi.importer import import_into_workspace, import_openapi
from workbench.core.sending.send import SendContext, send
from workbench.core.workspace import history, storage


def _spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _ref_spec(tmp_path: Path, ref: str) -> Path:
    return _spec(tmp_path, _op_with(f"              $ref: '{ref}'\n"))


def _refused(source: Path | str, *words: str) -> str:
    with pytest.raises(SpecImportError) as caught:
        import_openapi(source)
    message = caught.value.message
    for word in words:
        assert word in message, message
    return message


# --------------------------------------------------------------------------- containment


@pytest.mark.parametrize("ref", ["/etc/passwd", "../../../../../../../etc/hostname", "file:///etc/hostname",
                                 "/dev/zero"])
def test_refs_outside_the_descriptors_folder_are_refused(tmp_path: Path, ref: str) -> None:
    message = _refused(_ref_spec(tmp_path / "api", ref), repr(ref), "outside", "refused")
    assert "root:" not in message


def test_a_symlink_pointing_outside_is_refused_in_a_folder_and_a_file_source(tmp_path: Path) -> None:
    secret = _spec(tmp_path, "type: string\nx-secret: s3cr3t\n", "outside/secret.yaml")
    spec = _ref_spec(tmp_path / "api", "secret.yaml")
    os.symlink(secret, tmp_path / "api" / "secret.yaml")
    _refused(spec, "symlink pointing outside")
    _refused(tmp_path / "api", "symlink pointing outside")


def test_fifos_and_devices_are_never_opened_for_reading(tmp_path: Path) -> None:
    spec = _ref_spec(tmp_path / "api", "pipe.yaml")
    os.mkfifo(tmp_path / "api" / "pipe.yaml")
    started = time.monotonic()
    _refused(spec, "FIFO")
    os.mkfifo(tmp_path / "source.yaml")
    _refused(tmp_path / "source.yaml", "FIFO")
    assert time.monotonic() - started < 5


def test_refs_inside_the_folder_still_resolve(tmp_path: Path) -> None:
    _spec(tmp_path, "type: object\nproperties: {name: {type: string, example: Rex}}\n", "api/schemas/pet.yaml")
    result = import_openapi(_ref_spec(tmp_path / "api", "schemas/pet.yaml"))
    (request,) = result.collection.all_requests()
    assert "Rex" in request.body.text


def test_a_nul_in_a_ref_is_a_clean_error(tmp_path: Path) -> None:
    _refused(_spec(tmp_path, _op_with('              $ref: "a\\0b.yaml"\n')), "NUL")


# --------------------------------------------------------------------------- YAML aliases


def test_an_alias_bomb_under_an_unused_key_fails_fast(tmp_path: Path) -> None:
    spec = _spec(tmp_path, SPEC_HEAD + BOMB + "paths: {}\n")
    assert spec.stat().st_size < 3000
    started = time.monotonic()
    _refused(spec, "alias", "spec.yaml")
    assert time.monotonic() - started < 2
    _refused(_spec(tmp_path, SPEC_HEAD + "x-loop: &l [*l]\npaths: {}\n", "loop.yaml"), "recursive")


def test_ordinary_anchors_still_work(tmp_path: Path) -> None:
    text = _op_with("              &s {type: object, properties: {a: {type: string, example: hi}}}\n")
    text += "components: {schemas: {Copy: *s}}\n"
    result = import_openapi(_spec(tmp_path, text))
    assert result.spec["components"]["schemas"]["Copy"]["properties"]["a"]["example"] == "hi"


def test_a_workspace_file_with_an_alias_bomb_is_a_problem_and_never_cached(tmp_path: Path) -> None:
    storage.init_workspace(tmp_path)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "collection.yaml").write_text("name: c\n")
    (tmp_path / "c" / "ok.yaml").write_text("name: ok\nmethod: GET\nurl: http://x/\n")
    (tmp_path / "c" / "bomb.yaml").write_text("name: b\nmethod: GET\nurl: http://x/\n" + BOMB)
    started = time.monotonic()
    ws = storage.load_workspace(tmp_path)
    assert time.monotonic() - started < 3
    assert any("bomb.yaml" in p and "alias" in p for p in ws.problems)
    assert [r.name for r in ws.collections[0].all_requests()] == ["ok"]
    cache = tmp_path / ".workbench" / storage.PARSE_CACHE_FILE
    assert cache.stat().st_size < 10_000


def test_a_corrupt_parse_cache_is_ignored(tmp_path: Path) -> None:
    storage.init_workspace(tmp_path)
    for junk in ('{"version": 1, "entries": [1, 2]}', '[1]', '{"version": 1, "entries": {"a": 5}}', "\x00"):
        (tmp_path / ".workbench" / storage.PARSE_CACHE_FILE).write_text(junk)
        assert storage.load_workspace(tmp_path).problems == ()


# --------------------------------------------------------------------------- amplification


def test_ref_fan_out_is_capped(tmp_path: Path) -> None:
    for level in range(21):
        body = {"type": "object", "properties": {f"p{i}": {"$ref": f"f{level + 1}.json"} for i in range(4)}}
        (tmp_path / f"f{level}.json").write_text(json.dumps(body if level < 20 else {"type": "string"}))
    started = time.monotonic()
    _refused(_ref_spec(tmp_path, "f0.json"), "expand", "refused")
    assert time.monotonic() - started < 20


def test_a_long_chain_of_ref_files_is_a_clean_error(tmp_path: Path) -> None:
    for level in range(1500):
        (tmp_path / f"c{level}.json").write_text(json.dumps({"$ref": f"c{level + 1}.json"}))
    _refused(_ref_spec(tmp_path, "c0.json"), "nested more than")


# --------------------------------------------------------------------------- samples and regexes


def test_sample_sizes_are_capped(tmp_path: Path) -> None:
    result = import_openapi(_spec(tmp_path, _op_with("              {type: object, properties: {"
                                                     "s: {type: string, minLength: 1000000000},"
                                                     "a: {type: array, minItems: 1000000000, items: {type: integer}}},"
                                                     "required: [s, a]}\n")))
    (request,) = result.collection.all_requests()
    body = json.loads(request.body.text)
    assert len(body["s"]) == samples.MAX_SAMPLE_STRING and len(body["a"]) == samples.MAX_SAMPLE_ITEMS


def test_a_backtracking_pattern_never_hangs_the_import(tmp_path: Path) -> None:
    started = time.monotonic()
    result = import_openapi(_spec(tmp_path, _op_with("              {type: string, pattern: '^(a+)+$', example: '"
                                                     + "a" * 41 + "!'}\n")))
    assert time.monotonic() - started < 5
    assert result.collection.all_requests()
    media_example = (SPEC_HEAD + "paths:\n  /p:\n    post:\n      requestBody:\n        content:\n"
                     "          application/json:\n            schema: {type: string, pattern: '^(a+)+$'}\n"
                     "            example: '" + "a" * 41 + "!'\n      responses: {'200': {description: ok}}\n")
    result = import_openapi(_spec(tmp_path, media_example, "media.yaml"))
    assert time.monotonic() - started < 10
    assert any("(a+)+" in w and "not checked" in w for w in result.warnings)
    assert not samples.pattern_is_checkable("^(a+)+$") and not samples.pattern_is_checkable("(a|aa)*")
    assert not samples.pattern_is_checkable(r"(a)\1") and not samples.pattern_is_checkable("([")
    assert samples.pattern_is_checkable("^[A-Z]{2}[0-9]+$")
    assert samples.regex_sample("(a{1000}){1000}") is None  # a million characters: not generated


def test_a_schema_example_its_pattern_cannot_check_is_used_with_a_warning(tmp_path: Path) -> None:
    """A schema-level `example` whose `pattern` the bounded engine refuses was trusted silently."""
    spec = (SPEC_HEAD + "paths:\n  /p:\n    post:\n      requestBody:\n        content:\n"
            "          application/json:\n            schema: {$ref: '#/components/schemas/Code'}\n"
            "      responses: {'200': {description: ok}}\n"
            "components: {schemas: {Code: {type: string, pattern: '^(a+)+$', example: aaaa}}}\n")
    result = import_openapi(_spec(tmp_path, spec))
    assert json.loads(result.collection.all_requests()[0].body.text) == "aaaa"
    assert [w for w in result.warnings if "#/components/schemas/Code" in w and "example is used unchecked" in w
            and "(a+)+" in w]
    checkable = import_openapi(_spec(tmp_path, spec.replace("^(a+)+$", "^a+$"), "ok.yaml"))
    assert not [w for w in checkable.warnings if "unchecked" in w]


def test_malformed_schemas_do_not_crash_the_import(tmp_path: Path) -> None:
    for i, schema in enumerate(("{type: object, required: [{a: 1}], properties: {a: {type: string}}}",
                                "{type: object, required: true, properties: {a: {type: string}}}",
                                "{type: object, properties: [1, 2], example: {a: 1}}",
                                "{type: string, pattern: '(['}",
                                "{type: integer, maximum: 18446744073709551616, example: 18446744073709551617}")):
        import_into_workspace(_spec(tmp_path, _op_with(f"              {schema}\n"), f"s{i}.yaml"), tmp_path / f"ws{i}")
    saved = next((tmp_path / "ws4").glob("*/openapi.json")).read_text()
    assert "18446744073709551616" in saved
    swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nproduces: true\npaths: {/p: {get: {responses: {'200': {description: ok}}}}}\n"
    import_openapi(_spec(tmp_path, swagger, "sw.yaml"))


def test_an_encrypted_zip_entry_and_a_broken_url_are_clean_errors(tmp_path: Path) -> None:
    _refused(_encrypted_zip(tmp_path / "enc.zip"), "'openapi.yaml' is encrypted (password-protected ZIP); unzip it first")
    _refused("http://[::1/x", "not a valid URL")


def test_a_password_protected_zip_says_so_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Made by Info-ZIP's `zip -P` (ZipCrypto), as a user would; the message says what to do."""
    zip_tool = shutil.which("zip")
    if zip_tool is None:
        pytest.skip("Info-ZIP `zip` is not installed")
    _spec(tmp_path, SPEC_HEAD + "paths: {}\n", "openapi.yaml")
    subprocess.run([zip_tool, "-q", "-P", "secret", "locked.zip", "openapi.yaml"], cwd=tmp_path, check=True)
    assert cli.main(["import", str(tmp_path / "locked.zip"), "--into", str(tmp_path / "ws")]) == 2
    assert capsys.readouterr().err.strip() == (f"workbench: {tmp_path / 'locked.zip'}: ZIP entry 'openapi.yaml' is "
                                               "encrypted (password-protected ZIP); unzip it first")


# --------------------------------------------------------------------------- workspace walk and lock


def test_the_workspace_walk_skips_symlinked_folders_and_fifos(tmp_path: Path) -> None:
    storage.init_workspace(tmp_path)
    coll = tmp_path / "c"
    (coll / "f").mkdir(parents=True)
    (coll / "collection.yaml").write_text("name: c\n")
    (coll / "f" / "r.yaml").write_text("name: r\nmethod: POST\nurl: http://x/\n")
    os.symlink(".", coll / "loop")
    os.symlink("..", coll / "f" / "up")
    os.mkfifo(coll / "pipe.yaml")
    started = time.monotonic()
    ws = storage.load_workspace(tmp_path)
    assert time.monotonic() - started < 3
    assert [r.name for r in ws.collections[0].all_requests()] == ["r"]
    problems = "\n".join(ws.problems)
    assert "loop: skipped, a symbolic link to a folder" in problems and "pipe.yaml: skipped, not a regular file" in problems


def test_stale_temp_files_are_removed_on_load_but_fresh_ones_kept(tmp_path: Path) -> None:
    storage.init_workspace(tmp_path)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "collection.yaml").write_text("name: c\n")
    stale, fresh = tmp_path / "c" / ".r.yaml.abc.tmp", tmp_path / "c" / ".s.yaml.def.tmp"
    stale.write_text("half")
    fresh.write_text("half")
    old = time.time() - storage.STALE_TEMP_SECONDS - 5
    os.utime(stale, (old, old))
    storage.load_workspace(tmp_path)
    assert not stale.exists() and fresh.exists()


def test_two_imports_into_a_new_workspace_queue(tmp_path: Path) -> None:
    paths = "".join(f"  /p{i}: {{get: {{tags: [t{i % 5}], responses: {{'200': {{description: ok}}}}}}}}\n"
                    for i in range(150))
    spec = _spec(tmp_path, SPEC_HEAD + "paths:\n" + paths, "api.yaml")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            import_into_workspace(spec, tmp_path / "ws")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ws = storage.load_workspace(tmp_path / "ws")
    assert len(ws.collections) == 1
    assert len(ws.collections[0].all_requests()) == 150
    assert not list((tmp_path / "ws").rglob("* 2.yaml"))


# --------------------------------------------------------------------------- parsers


def test_deep_csdl_json_and_a_bad_key_are_clean_errors() -> None:
    with pytest.raises(CsdlError, match="nested too deeply"):
        parse_json(_csdl_json(', "x": ' + "[" * 5000 + "]" * 5000))
    with pytest.raises(CsdlError, match=r"\$Key holds 1.5"):
        parse_json(_csdl_json(key="[1.5]"))


@pytest.mark.parametrize("query", ["(" * 900 + "ID eq 1" + ")" * 900, "not " * 5000 + "true",
                                   "ID eq " + "-" * 5000 + "1"])
def test_deep_odata_nesting_is_a_clean_error(query: str) -> None:
    with pytest.raises(ODataQueryError, match=f"more than {MAX_NESTING} levels"):
        parse_url("http://h/svc/People?$filter=" + query)
    with pytest.raises(ODataQueryError, match="levels"):
        parse_url("http://h/svc/People?$expand=" + "a($expand=" * 600 + "b" + ")" * 600)


def test_a_5000_term_or_filter_parses_and_checks() -> None:
    from workbench.core.csdl.json_reader import parse_json as read

    model = read(_csdl_json())
    url = "http://h/svc/People?$filter=" + " or ".join(f"ID eq {i}" for i in range(5000))
    assert parse_url(url).options.filter is not None
    assert run_deep(lambda: check_url(url, model)) == []


# --------------------------------------------------------------------------- secrets


def test_history_masks_secret_values_under_any_name(tmp_path: Path, httpbin: peers.Peer) -> None:
    secret = "sub-KEY-77aa"
    ctx = SendContext(overrides={"key": secret})
    request = Request("R", "GET", f"{httpbin.url}/anything/{{{{key}}}}",
                      params=(KeyValue("subscription-key", "{{key}}"), KeyValue("secret", "{{key}}")),
                      headers=(KeyValue("X-Auth", "{{key}}"),))
    exchange = asyncio.run(send(request, ctx))
    assert exchange.response.status == 200 and secret in exchange.request.url
    entry = history.record(tmp_path, exchange, secrets=history.secret_values({"key": secret}, ["key"]))
    raw = (tmp_path / ".workbench" / "history.jsonl").read_text()
    assert secret not in raw and "/anything/•••" in entry.url and dict(entry.headers)["X-Auth"] == "•••"


def test_token_errors_mask_the_secrets_a_server_reflects(httpbin: peers.Peer) -> None:
    from workbench.core.auth import oauth2

    auth = Auth("oauth2", {"grant_type": "password", "token_url": f"{httpbin.url}/anything",
                           "client_id": "cid", "client_secret": "CS-very-secret", "username": "u",
                           "password": "PW-very-secret", "client_auth": "basic"})
    with pytest.raises(TokenError) as caught:
        asyncio.run(oauth2.obtain_token(auth))
    error = caught.value
    shown = " ".join([error.message, error.body, error.detail or "", error.error_description])
    assert "CS-very-secret" not in shown and "PW-very-secret" not in shown
    assert "•••" in error.body
