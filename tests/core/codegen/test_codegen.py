"""Generated calling code (workbench/core/codegen/): it runs and reaches the server, and holds no secret in clear text."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import peers

from workbench.core.codegen import LANGUAGES, generate
from workbench.core.collections import (
    Auth,
    Body,
    Environment,
    FormPart,
    KeyValue,
    Request,
)
from workbench.core.sending.send import SendContext

if TYPE_CHECKING:
    from conftest import RunCode  # tests/core/codegen/conftest.py

SECRET = "pw-Zq81-SECRET"
TOKEN = "tok-77-SECRET"


def _env(httpbin: peers.Peer) -> Environment:
    return Environment("Dev", (KeyValue("base", httpbin.url), KeyValue("password", SECRET), KeyValue("apiToken", TOKEN)),
                       frozenset({"password"}))


def _assert_no_secret(code: str) -> None:
    assert SECRET not in code and TOKEN not in code


def _body(stdout: str) -> dict:  # type: ignore[type-arg]
    """The JSON after the status line the Python and JavaScript code print."""
    return json.loads(stdout.split("\n", 1)[1])


def test_basic_auth_python_reads_the_password_from_the_variables_name(httpbin: peers.Peer, run_code: RunCode) -> None:
    """`{{password}}` is read from the environment variable `password` (issue 13: the workspace variable's name)."""
    request = Request("Basic", "GET", "{{base}}/basic-auth/demo/letmein",
                      auth=Auth("basic", {"username": "demo", "password": "{{password}}"}))
    code = generate(request, "python", env=_env(httpbin))
    _assert_no_secret(code)
    assert 'os.environ["password"]' in code and "environment variables: password" in code
    result = run_code("python", code, {"password": "letmein"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("200 OK") and '"authenticated": true' in result.stdout
    wrong = run_code("python", code, {"password": "wrong"})
    assert wrong.stdout.startswith("401") and wrong.returncode != 0


def test_literal_secrets_in_auth_are_read_from_workbench_field(httpbin: peers.Peer, run_code: RunCode) -> None:
    """A secret typed into the auth itself has no variable name: it is read from WORKBENCH_<FIELD>."""
    request = Request("Bearer", "GET", f"{httpbin.url}/bearer", auth=Auth("bearer", {"token": TOKEN}))
    for lang in LANGUAGES:
        code = generate(request, lang)
        _assert_no_secret(code)
        assert "WORKBENCH_TOKEN" in code
    result = run_code("python", generate(request, "python"), {"WORKBENCH_TOKEN": "from-env"})
    assert result.stdout.startswith("200") and '"token": "from-env"' in result.stdout


def test_credential_headers_and_secretish_variables_are_hidden(httpbin: peers.Peer) -> None:
    request = Request("H", "GET", "{{base}}/headers", headers=(
        KeyValue("X-API-Key", "literal-key-SECRET"), KeyValue("X-Token", "{{apiToken}}"), KeyValue("Accept", "*/*")))
    for lang in LANGUAGES:
        code = generate(request, lang, env=_env(httpbin))
        _assert_no_secret(code)
        assert "literal-key-SECRET" not in code and "*/*" in code and httpbin.url in code
        assert "WORKBENCH_X_API_KEY" in code and "apiToken" in code


def test_json_body_python_and_node(httpbin: peers.Peer, run_code: RunCode) -> None:
    request = Request("Create", "POST", "{{base}}/post", params=(KeyValue("$filter", "Name eq 'A B'"),),
                      headers=(KeyValue("Accept", "application/json"),),
                      body=Body("raw", "application/json", '{\n  "schemeCode": "Onboarding",\n  "pw": "{{password}}"\n}'))
    env = _env(httpbin)
    code = generate(request, "python", env=env)
    _assert_no_secret(code)
    result = run_code("python", code, {"password": "p1"})
    assert result.returncode == 0, result.stderr
    echoed = _body(result.stdout)
    assert echoed["json"] == {"schemeCode": "Onboarding", "pw": "p1"} and echoed["args"] == {"$filter": "Name eq 'A B'"}
    out = run_code("javascript", generate(request, "javascript", env=env), {"password": "p2"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("200 OK")
    assert _body(out.stdout)["json"] == {"schemeCode": "Onboarding", "pw": "p2"}


def test_curl_runs_and_stops_when_a_secret_is_unset(httpbin: peers.Peer, run_code: RunCode) -> None:
    """The curl stays one command (it imports back), yet bash stops before it, naming the unset variable."""
    request = Request("Form", "POST", "{{base}}/post", body=Body("form", form=(KeyValue("a", "1 2"), KeyValue("pw", "{{password}}"))),
                      auth=Auth("basic", {"username": "demo", "password": "{{password}}"}))
    code = generate(request, "curl", env=_env(httpbin))
    _assert_no_secret(code)
    out = run_code("curl", code, {"password": "p3"})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["form"] == {"a": "1 2", "pw": "p3"} and data["headers"]["Authorization"].startswith("Basic ")
    unset = run_code("curl", code, {})
    assert unset.returncode != 0 and "password" in unset.stderr and unset.stdout == ""


def test_multipart_with_file_python_and_curl(httpbin: peers.Peer, run_code: RunCode, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "spec.json").write_text('{"openapi": "3.0.0"}')
    request = Request("Upload", "POST", f"{httpbin.url}/post", body=Body("multipart", parts=(
        FormPart("file", file=str(tmp_path / "spec.json"), content_type="application/json"), FormPart("note", "hi"))))
    data = _body(run_code("python", generate(request, "python"), {}).stdout)
    assert data["files"] == {"file": '{"openapi": "3.0.0"}'} and data["form"] == {"note": "hi"}
    out = run_code("curl", generate(request, "curl"), {})
    assert json.loads(out.stdout)["files"] == {"file": '{"openapi": "3.0.0"}'}


def test_api_key_in_query(httpbin: peers.Peer, run_code: RunCode) -> None:
    request = Request("Key", "GET", f"{httpbin.url}/get", auth=Auth("apikey", {"name": "api_key", "value": "k-SECRET", "in": "query"}))
    code = generate(request, "python")
    assert "k-SECRET" not in code
    result = run_code("python", code, {"WORKBENCH_API_KEY": "from-env"})
    assert _body(result.stdout)["args"] == {"api_key": "from-env"}


def test_environment_variable_names() -> None:
    """Issue 13's naming, which scripts rely on: the variable's own name, else WORKBENCH_<FIELD>.

    `{{clientSecret}}` → `clientSecret`; a literal client secret → WORKBENCH_CLIENT_SECRET; a
    variable a shell cannot name (`api.key`) → `api_key`; every name listed in the top comment.
    """
    env = Environment("E", (KeyValue("clientSecret", "cs-SECRET"), KeyValue("api.key", "ak-SECRET"),
                            KeyValue("user", "u1")), frozenset({"clientSecret", "api.key"}))
    oauth = Request("O", "GET", "http://h/x", headers=(KeyValue("X-Key", "{{api.key}}"),),
                    auth=Auth("oauth2", {"grant_type": "password", "token_url": "http://h/token", "client_id": "c",
                                         "client_secret": "{{clientSecret}}", "username": "{{user}}",
                                         "password": "pw-SECRET", "client_auth": "body"}))
    literal = Request("L", "GET", "http://h/x", auth=Auth("oauth2", {"token_url": "http://h/token", "client_id": "c",
                                                                     "client_secret": "lit-SECRET"}))
    for lang in LANGUAGES:
        code = generate(oauth, lang, env=env)
        comment = next(line for line in code.splitlines() if "environment variables:" in line)
        listed = comment.split("environment variables: ", 1)[1].split(", ")
        assert sorted(listed) == ["WORKBENCH_PASSWORD", "api_key", "clientSecret"], (lang, comment)
        assert not re.search(r"SECRET\b", code.replace("WORKBENCH_", "")), lang
        assert "u1" in code  # a plain variable is resolved, not read from the environment
        assert "WORKBENCH_CLIENT_SECRET" in generate(literal, lang)
        assert "lit-SECRET" not in generate(literal, lang)


def test_a_grant_needing_a_person_reads_the_token_from_the_environment() -> None:
    request = Request("A", "GET", "http://h/x", auth=Auth("oauth2", {"grant_type": "authorization_code",
                                                                     "auth_url": "http://h/auth",
                                                                     "token_url": "http://h/token", "client_id": "c"}))
    for lang in LANGUAGES:
        code = generate(request, lang)
        assert "WORKBENCH_ACCESS_TOKEN" in code and "http://h/token" not in code


def test_csharp_and_javascript_shapes_for_workflow_server() -> None:
    """Workflow Server users expect JS and C#: a createinstance call with a bearer token from the environment."""
    request = Request("Create instance", "POST", "http://localhost:8077/workflowapi/createinstance/{{id}}",
                      body=Body("raw", "application/json", '{"schemeCode": "SimpleWF"}'),
                      auth=Auth("bearer", {"token": "{{accessToken}}"}))
    cs = generate(request, "csharp", overrides={"id": "6f1c"})
    assert 'new HttpMethod("POST")' in cs and "createinstance/6f1c" in cs
    assert 'Environment.GetEnvironmentVariable("accessToken")' in cs and "StringContent" in cs
    assert "Environment.Exit(1)" in cs and "return" not in cs
    assert cs.count("{") == cs.count("}") and cs.count("(") == cs.count(")")
    js = generate(request, "javascript", overrides={"id": "6f1c"})
    assert "process.env.accessToken" in js and 'method: "POST"' in js and "await fetch(" in js


def test_dynamic_variables_are_computed_by_the_generated_code(httpbin: peers.Peer, run_code: RunCode) -> None:
    """`{{$guid}}` and friends are drawn per send in the workbench, so per run in generated code."""
    request = Request("D", "POST", f"{httpbin.url}/post", params=(KeyValue("t", "{{$timestamp}}"),),
                      body=Body("raw", "application/json", '{"id": "{{$guid}}", "at": "{{$isoTimestamp}}", "n": {{$randomInt}}}'))
    code = generate(request, "python")
    runs = [_body(run_code("python", code, {}).stdout) for _ in range(2)]
    ids = [r["json"]["id"] for r in runs]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids) and ids[0] != ids[1]
    assert runs[0]["args"]["t"].isdigit() and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", runs[0]["json"]["at"])
    assert 0 <= runs[0]["json"]["n"] <= 1000
    out = run_code("javascript", generate(request, "javascript"), {})
    assert re.fullmatch(r"[0-9a-f-]{36}", _body(out.stdout)["json"]["id"])
    out = run_code("curl", generate(request, "curl"), {})
    assert re.fullmatch(r"[0-9a-f-]{36}", json.loads(out.stdout)["json"]["id"])


def test_unknown_variables_stay_placeholders() -> None:
    code = generate(Request("U", "GET", "http://h/{{tenant}}/x"), "curl")
    assert "{{tenant}}" in code


def test_inherited_collection_auth_is_used(httpbin: peers.Peer) -> None:
    """The effective (inherited) auth decides, as in a send: the collection's OAuth becomes a token request."""
    from workbench.core.collections import Collection

    collection = Collection("C", auth=Auth("oauth2", {"token_url": "http://idp/token", "client_id": "c",
                                                      "client_secret": "{{clientSecret}}"}))
    request = Request("R", "GET", "http://h/x", auth=Auth("inherit"))
    code = generate(request, "python", context=SendContext(collection=collection))
    assert 'os.environ["clientSecret"]' in code and "http://idp/token" in code and "access_token" in code
