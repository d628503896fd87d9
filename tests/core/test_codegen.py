"""Generated calling code (core/codegen.py): it runs and reaches the server, and holds no secret in clear text."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import peers
import pytest

from workbench.core.codegen import LANGUAGES, generate
from workbench.core.collections import (
    Auth,
    Body,
    Environment,
    FormPart,
    KeyValue,
    Request,
)

SECRET = "pw-Zq81-SECRET"
TOKEN = "tok-77-SECRET"


def _env(httpbin: peers.Peer) -> Environment:
    return Environment("Dev", (KeyValue("base", httpbin.url), KeyValue("password", SECRET), KeyValue("apiToken", TOKEN)),
                       frozenset({"password"}))


def _run_python(code: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "call.py"
    script.write_text(code)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env}, cwd=tmp_path)


def _assert_no_secret(code: str) -> None:
    assert SECRET not in code and TOKEN not in code


def test_basic_auth_python_runs_and_reads_the_password_from_the_environment(httpbin: peers.Peer, tmp_path: Path) -> None:
    request = Request("Basic", "GET", "{{base}}/basic-auth/demo/letmein",
                      auth=Auth("basic", {"username": "demo", "password": "{{password}}"}))
    code = generate(request, "python", env=_env(httpbin))
    _assert_no_secret(code)
    assert 'os.environ["PASSWORD"]' in code
    result = _run_python(code, tmp_path, {"PASSWORD": "letmein"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("200 OK") and '"authenticated": true' in result.stdout
    wrong = _run_python(code, tmp_path, {"PASSWORD": "wrong"})
    assert wrong.stdout.startswith("401")


def test_literal_secrets_in_auth_become_environment_reads(httpbin: peers.Peer, tmp_path: Path) -> None:
    request = Request("Bearer", "GET", f"{httpbin.url}/bearer", auth=Auth("bearer", {"token": TOKEN}))
    for lang in LANGUAGES:
        code = generate(request, lang)
        _assert_no_secret(code)
        assert "TOKEN" in code
    result = _run_python(generate(request, "python"), tmp_path, {"TOKEN": "from-env"})
    assert result.stdout.startswith("200") and '"token": "from-env"' in result.stdout


def test_credential_headers_and_secretish_variables_are_hidden(httpbin: peers.Peer) -> None:
    request = Request("H", "GET", "{{base}}/headers", headers=(
        KeyValue("X-API-Key", "literal-key-SECRET"), KeyValue("X-Token", "{{apiToken}}"), KeyValue("Accept", "*/*")))
    for lang in LANGUAGES:
        code = generate(request, lang, env=_env(httpbin))
        _assert_no_secret(code)
        assert "literal-key-SECRET" not in code and "*/*" in code and httpbin.url in code


def test_json_body_python_and_node(httpbin: peers.Peer, tmp_path: Path) -> None:
    request = Request("Create", "POST", "{{base}}/post", params=(KeyValue("$filter", "Name eq 'A B'"),),
                      headers=(KeyValue("Accept", "application/json"),),
                      body=Body("raw", "application/json", '{\n  "schemeCode": "Onboarding",\n  "pw": "{{password}}"\n}'))
    env = _env(httpbin)
    code = generate(request, "python", env=env)
    _assert_no_secret(code)
    result = _run_python(code, tmp_path, {"PASSWORD": "p1"})
    assert result.returncode == 0, result.stderr
    echoed = json.loads(result.stdout.split("\n", 1)[1])
    assert echoed["json"] == {"schemeCode": "Onboarding", "pw": "p1"} and echoed["args"] == {"$filter": "Name eq 'A B'"}
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    js = tmp_path / "call.mjs"
    js.write_text(generate(request, "javascript", env=env))
    out = subprocess.run(["node", str(js)], capture_output=True, text=True, timeout=60, env={**os.environ, "PASSWORD": "p2"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("200 OK")
    assert json.loads(out.stdout.split("\n", 1)[1])["json"] == {"schemeCode": "Onboarding", "pw": "p2"}


def test_curl_runs(httpbin: peers.Peer, tmp_path: Path) -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("curl or bash is not installed")
    request = Request("Form", "POST", "{{base}}/post", body=Body("form", form=(KeyValue("a", "1 2"), KeyValue("pw", "{{password}}"))),
                      auth=Auth("basic", {"username": "demo", "password": "{{password}}"}))
    code = generate(request, "curl", env=_env(httpbin))
    _assert_no_secret(code)
    script = tmp_path / "call.sh"
    script.write_text(code)
    out = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PASSWORD": "p3"})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["form"] == {"a": "1 2", "pw": "p3"} and data["headers"]["Authorization"].startswith("Basic ")


def test_multipart_with_file_python_and_curl(httpbin: peers.Peer, tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text('{"openapi": "3.0.0"}')
    request = Request("Upload", "POST", f"{httpbin.url}/post", body=Body("multipart", parts=(
        FormPart("file", file=str(tmp_path / "spec.json"), content_type="application/json"), FormPart("note", "hi"))))
    result = _run_python(generate(request, "python"), tmp_path, {})
    data = json.loads(result.stdout.split("\n", 1)[1])
    assert data["files"] == {"file": '{"openapi": "3.0.0"}'} and data["form"] == {"note": "hi"}
    if shutil.which("curl"):
        script = tmp_path / "up.sh"
        script.write_text(generate(request, "curl"))
        out = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=60)
        assert json.loads(out.stdout)["files"] == {"file": '{"openapi": "3.0.0"}'}


def test_api_key_in_query_and_oauth2(httpbin: peers.Peer, tmp_path: Path) -> None:
    request = Request("Key", "GET", f"{httpbin.url}/get", auth=Auth("apikey", {"name": "api_key", "value": "k-SECRET", "in": "query"}))
    code = generate(request, "python")
    assert "k-SECRET" not in code
    result = _run_python(code, tmp_path, {"API_KEY": "from-env"})
    assert json.loads(result.stdout.split("\n", 1)[1])["args"] == {"api_key": "from-env"}
    oauth = Request("O", "GET", f"{httpbin.url}/bearer", auth=Auth("oauth2", {"client_id": "c", "client_secret": "cs-SECRET",
                                                                              "token_url": "http://t/token"}))
    for lang in LANGUAGES:
        code = generate(oauth, lang)
        assert "cs-SECRET" not in code and "ACCESS_TOKEN" in code


def test_csharp_and_javascript_shapes_for_workflow_server() -> None:
    """Workflow Server users expect JS and C#: a createinstance call with a bearer token from the environment."""
    request = Request("Create instance", "POST", "http://localhost:8077/workflowapi/createinstance/{{id}}",
                      body=Body("raw", "application/json", '{"schemeCode": "SimpleWF"}'),
                      auth=Auth("bearer", {"token": "{{accessToken}}"}))
    cs = generate(request, "csharp", overrides={"id": "6f1c"})
    assert 'new HttpMethod("POST")' in cs and "createinstance/6f1c" in cs
    assert 'Environment.GetEnvironmentVariable("ACCESS_TOKEN")' in cs and "StringContent" in cs
    assert cs.count("{") == cs.count("}") and cs.count("(") == cs.count(")")
    js = generate(request, "javascript", overrides={"id": "6f1c"})
    assert "process.env.ACCESS_TOKEN" in js and 'method: "POST"' in js and "await fetch(" in js


def test_dynamic_variables_are_computed_by_the_generated_code(httpbin: peers.Peer, tmp_path: Path) -> None:
    """`{{$guid}}` and friends are drawn per send in the workbench, so per run in generated code."""
    import re

    request = Request("D", "POST", f"{httpbin.url}/post", params=(KeyValue("t", "{{$timestamp}}"),),
                      body=Body("raw", "application/json", '{"id": "{{$guid}}", "at": "{{$isoTimestamp}}", "n": {{$randomInt}}}'))
    code = generate(request, "python")
    runs = [json.loads(_run_python(code, tmp_path, {}).stdout.split("\n", 1)[1]) for _ in range(2)]
    ids = [r["json"]["id"] for r in runs]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids) and ids[0] != ids[1]
    assert runs[0]["args"]["t"].isdigit() and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", runs[0]["json"]["at"])
    assert 0 <= runs[0]["json"]["n"] <= 1000
    if shutil.which("node"):
        js = tmp_path / "d.mjs"
        js.write_text(generate(request, "javascript"))
        out = subprocess.run(["node", str(js)], capture_output=True, text=True, timeout=60)
        assert re.fullmatch(r"[0-9a-f-]{36}", json.loads(out.stdout.split("\n", 1)[1])["json"]["id"])
    if shutil.which("curl"):
        sh = tmp_path / "d.sh"
        sh.write_text(generate(request, "curl"))
        out = subprocess.run(["bash", str(sh)], capture_output=True, text=True, timeout=60)
        assert re.fullmatch(r"[0-9a-f-]{36}", json.loads(out.stdout)["json"]["id"])


def test_unknown_variables_stay_placeholders() -> None:
    code = generate(Request("U", "GET", "http://h/{{tenant}}/x"), "curl")
    assert "{{tenant}}" in code
