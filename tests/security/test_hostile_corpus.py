"""Hostile inputs through the sub-commands, in-process: the catch-all never fires (issue 18).

Each case is a file or URL a stranger could hand a user (a descriptor, a CSDL document, an
OData URL, a workspace file). The contract is a clean exit 2 naming the input (or 1 for a real
failure), never `unexpected error:`, never a hang. `build_cases` is also what the measurement
script in the issue's note ran, one case per subprocess with a time and memory limit.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path

import pytest

from workbench import cli

SPEC_HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
BOMB = ("x-bomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"  {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
                  f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                  for i in range(9)))


def _op_with(schema: str) -> str:
    return (SPEC_HEAD + "paths:\n  /p:\n    post:\n      requestBody:\n        content:\n"
            "          application/json:\n            schema:\n" + schema
            + "      responses: {'200': {description: ok}}\n")


def _fill(template: str, value: str) -> str:
    return template.replace("REF", value)


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _encrypted_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("openapi.yaml", SPEC_HEAD + "paths: {}\n")
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        flags = struct.unpack_from("<H", data, at + offset)[0]
        struct.pack_into("<H", data, at + offset, flags | 1)
    path.write_bytes(bytes(data))
    return path


def _csdl_json(extra: str = "", key: str = '["ID"]') -> str:
    return ('{"$Version": "4.0", "$EntityContainer": "S.C", "S": {"P": {"$Kind": "EntityType", "$Key": '
            + key + ', "ID": {"$Type": "Edm.Int32"}' + extra + '}, "C": {"$Kind": "EntityContainer", '
            '"People": {"$Collection": true, "$Type": "S.P"}}}}')


def _workspace(tmp: Path, request_text: str) -> Path:
    ws = tmp / "ws"
    _write(ws / "workspace.yaml", "name: ws\n")
    _write(ws / "c" / "collection.yaml", "name: c\n")
    return _write(ws / "c" / "r.yaml", request_text)


def build_cases(tmp: Path) -> list[tuple[str, str, list[str]]]:
    """(area, case name, argv) for every hostile input; files are created under `tmp`."""
    into = str(tmp / "out")
    cases: list[tuple[str, str, list[str]]] = []

    def spec(area: str, name: str, text: str | bytes, suffix: str = ".yaml") -> None:
        path = _write(tmp / name / f"spec{suffix}", text)
        cases.append((area, name, ["import", str(path), "--into", f"{into}-{name}"]))

    ref = _op_with("              $ref: 'REF'\n")
    spec("containment", "abs-path", _fill(ref, "/etc/passwd"))
    spec("containment", "dotdot", _fill(ref, "../../../../../../etc/hostname"))
    spec("containment", "file-uri", _fill(ref, "file:///etc/hostname"))
    spec("containment", "dev-zero", _fill(ref, "/dev/zero"))
    spec("containment", "nul-in-ref", _fill(ref.replace("'REF'", '"REF"'), "a\\0b.yaml"))
    link_dir = tmp / "symlink-out"
    _write(link_dir / "spec.yaml", _fill(ref, "secret.yaml"))
    os.symlink("/etc/hostname", link_dir / "secret.yaml")
    cases.append(("containment", "symlink-out", ["import", str(link_dir), "--into", f"{into}-symlink"]))
    fifo_dir = tmp / "fifo-ref"
    _write(fifo_dir / "spec.yaml", _fill(ref, "pipe.yaml"))
    os.mkfifo(fifo_dir / "pipe.yaml")
    cases.append(("containment", "fifo-ref", ["import", str(fifo_dir / "spec.yaml"), "--into", f"{into}-fifo"]))
    os.mkfifo(tmp / "source.fifo")
    cases.append(("containment", "fifo-source", ["import", str(tmp / "source.fifo"), "--into", f"{into}-fifo2"]))

    spec("yaml", "bomb-x-key", SPEC_HEAD + BOMB + "paths: {}\n")
    spec("yaml", "recursive-alias", SPEC_HEAD + "x-loop: &l [*l]\npaths: {}\n")
    spec("yaml", "deep-flow", SPEC_HEAD + "x-deep: " + "[" * 20000 + "]" * 20000 + "\npaths: {}\n")
    request = _workspace(tmp / "ws-bomb", "name: r\nmethod: GET\nurl: http://127.0.0.1:9/x\n" + BOMB)
    for command in (["codegen", "--lang", "curl"], ["send", "--no-history"]):
        cases.append(("yaml", f"bomb-request-{command[0]}", [*command, str(request)]))

    fan = tmp / "fanout"
    for level in range(21):
        body = {"type": "object", "properties": {f"p{i}": {"$ref": f"f{level + 1}.json"} for i in range(4)}}
        _write(fan / f"f{level}.json", json.dumps(body if level < 20 else {"type": "string"}))
    _write(fan / "spec.yaml", _op_with("              $ref: 'f0.json'\n"))
    cases.append(("amplification", "fanout-21", ["import", str(fan / "spec.yaml"), "--into", f"{into}-fan"]))
    chain = tmp / "chain"
    for level in range(1500):
        _write(chain / f"c{level}.json", json.dumps({"$ref": f"c{level + 1}.json"} if level < 1499 else {"type": "string"}))
    _write(chain / "spec.yaml", _op_with("              $ref: 'c0.json'\n"))
    cases.append(("amplification", "chain-1500", ["import", str(chain / "spec.yaml"), "--into", f"{into}-chain"]))

    spec("samples", "minLength-1e9", _op_with("              {type: string, minLength: 1000000000}\n"))
    spec("samples", "minItems-1e9", _op_with("              {type: array, minItems: 1000000000, items: {type: integer}}\n"))
    spec("samples", "redos-pattern", _op_with("              {type: string, pattern: '^(a+)+$', example: '"
                                                + "a" * 41 + "!'}\n"))
    spec("samples", "bad-pattern", _op_with("              {type: string, pattern: '(['}\n"))
    spec("samples", "big-int", _op_with("              {type: integer, maximum: 18446744073709551616, "
                                          "example: 18446744073709551617}\n"))
    spec("samples", "required-mapping", _op_with("              {type: object, required: [{a: 1}], "
                                                   "properties: {a: {type: string}}}\n"))
    spec("samples", "malformed-schema", _op_with("              {type: object, properties: [1, 2], example: {a: 1}}\n"))
    spec("samples", "deep-schema", _op_with("              " + "{type: array, items: " * 300 + "{type: string}"
                                              + "}" * 300 + "\n"))
    spec("import", "produces-true", "swagger: '2.0'\ninfo: {title: t, version: '1'}\nproduces: true\n"
         "paths: {/p: {get: {responses: {'200': {description: ok}}}}}\n")
    spec("import", "not-a-mapping", "- openapi\n- 3.0.0\n")
    cases.append(("import", "encrypted-zip", ["import", str(_encrypted_zip(tmp / "enc.zip")), "--into", f"{into}-enc"]))
    cases.append(("import", "bad-url", ["import", "http://[::1/x", "--into", f"{into}-url"]))

    # Found by structural mutation (test_mutation_fuzz.py): each crashed with `unexpected error:`.
    spec("mutants", "non-string-path-key", SPEC_HEAD + "paths: {/p: {1: x, get: {responses: {'200': {description: ok}}}}}\n")
    spec("mutants", "tags-a-number", SPEC_HEAD + "paths: {/p: {get: {tags: 1.5, responses: {'200': {description: ok}}}}}\n")
    spec("mutants", "scopes-a-number", SPEC_HEAD + "components: {securitySchemes: {k: {type: apiKey, name: K, in: header}}}\n"
         "paths: {/p: {get: {security: [{k: 7}], responses: {'200': {description: ok}}}}}\n")
    spec("mutants", "allOf-a-number", _op_with("              {type: object, allOf: 1.5, required: [a]}\n"))
    proxy = _workspace(tmp / "ws-proxy", "name: r\nmethod: GET\nurl: http://127.0.0.1:9/x\n")
    _write(proxy.parents[1] / "workspace.yaml", "name: ws\nsettings: {proxy: '{{nope}}'}\n")
    cases.append(("mutants", "proxy-template-run", ["run", str(proxy.parent)]))
    enum = '"S": {"E": {"$Kind": "EnumType", "A": 1e999}, '
    cases.append(("mutants", "csdl-enum-infinity",
                  ["metadata", str(_write(tmp / "enuminf.json", _csdl_json().replace('"S": {', enum, 1)))]))
    parts = _workspace(tmp / "ws-parts", "name: r\nmethod: POST\nurl: http://127.0.0.1:9/x\n"
                                         "body: {kind: multipart, parts: 1.5}\n")
    cases.append(("mutants", "body-parts-a-number", ["codegen", "--lang", "curl", str(parts)]))
    listed = _workspace(tmp / "ws-env", "name: r\nmethod: GET\nurl: http://127.0.0.1:9/x\n")
    _write(listed.parents[1] / "environments" / "E.yaml", "name: E\nvariables: [{name: [a], value: x, secret: true}]\n")
    cases.append(("mutants", "secret-name-a-list", ["codegen", "--lang", "curl", str(listed)]))
    for name, request in (("nul-in-url", "url: \"http://127.0.0.1:9/a\\0b\"\n"),
                          ("non-ascii-header", "url: http://127.0.0.1:9/x\nheaders: [{name: X, value: \u00e9}]\n")):
        _workspace(tmp / f"ws-{name}", "name: r\nmethod: GET\n" + request)
        cases.append(("mutants", f"{name}-run", ["run", str(tmp / f"ws-{name}" / "ws" / "c")]))

    deep = tmp / "deep.json"
    _write(deep, _csdl_json(', "x": ' + "[" * 5000 + "]" * 5000))
    cases.append(("csdl", "json-nesting-5000", ["metadata", str(deep)]))
    cases.append(("csdl", "key-float", ["metadata", str(_write(tmp / "keyfloat.json", _csdl_json(key="[1.5]")))]))
    cases.append(("csdl", "key-mapping", ["metadata", str(_write(tmp / "keymap.json", _csdl_json(key='{"a": 1}')))]))

    meta = str(_write(tmp / "meta.json", _csdl_json(', "Name": {"$Type": "Edm.String", "$Nullable": true}')))
    base = "http://h/svc/People"
    odata_urls = {
        "parens-900": base + "?$filter=" + "(" * 900 + "ID eq 1" + ")" * 900,
        "not-5000": base + "?$filter=" + "not " * 5000 + "true",
        "minus-5000": base + "?$filter=ID eq " + "-" * 5000 + "1",
        "expand-deep": base + "?$expand=" + "a($expand=" * 600 + "b" + ")" * 600,
        "or-500": base + "?$filter=" + " or ".join(f"ID eq {i}" for i in range(500)),
        "or-5000": base + "?$filter=" + " or ".join(f"ID eq {i}" for i in range(5000)),
        "typo-entity-set": "http://h/svc/Peple",
        "braces": "http://h/svc/{{",
        "empty": "",
    }
    for name, url in odata_urls.items():
        cases.append(("odata", f"parse-{name}", ["odata", "parse", url]))
        cases.append(("odata", f"check-{name}", ["odata", "check", "--metadata", meta, url]))
    return cases


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, list[str]]]:
    return build_cases(tmp_path_factory.mktemp("hostile"))


def test_no_input_reaches_the_catch_all(corpus: list[tuple[str, str, list[str]]],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Every hostile input ends in exit 0/1/2 with a readable line, never `unexpected error:`."""
    leaks = []
    for area, name, argv in corpus:
        if argv[0] == "send":
            continue  # sending needs a peer; the request file's YAML is checked by codegen
        code = cli.main(argv)
        err = capsys.readouterr().err
        if "unexpected error" in err or code not in (0, 1, 2):
            leaks.append(f"{area}/{name}: exit {code}: {err.strip()[:200]}")
    assert not leaks, "\n".join(leaks)
