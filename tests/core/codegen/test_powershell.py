"""PowerShell 7 code (workbench/core/codegen/powershell.py), checked as text.

`pwsh` is not installable here (no `powershell` package in this machine's Debian sources and
no other registry carries it), so these tests check the generated script's structure: the
token request, the environment checks, exit 1 on an HTTP error, quoting, balanced brackets.
"""

from __future__ import annotations

import re

from workbench.core.codegen import generate
from workbench.core.collections import (
    Auth,
    Body,
    Environment,
    FormPart,
    KeyValue,
    Request,
)


def _balanced(code: str) -> bool:
    """Brackets balance once comments and string literals ('' and "" escapes) are taken out."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("#")]
    text = re.sub(r"'(?:[^']|'')*'", "''", "\n".join(lines))
    text = re.sub(r'"(?:[^"`]|`.)*"', '""', text)
    return all(text.count(a) == text.count(b) for a, b in ("()", "{}", "[]"))


def test_oauth_client_credentials_by_discovery() -> None:
    env = Environment("E", (KeyValue("clientSecret", "cs-SECRET"),), frozenset({"clientSecret"}))
    request = Request("Create", "POST", "http://wf:8077/workflowapi/createinstance/{{$guid}}",
                      body=Body("raw", "application/json", '{"schemeCode": "SimpleWF"}'),
                      auth=Auth("oauth2", {"discovery_url": "http://wf:8077", "client_id": "workflowapi",
                                           "client_secret": "{{clientSecret}}", "client_auth": "basic",
                                           "scope": "api"}))
    code = generate(request, "powershell", env=env)
    assert "cs-SECRET" not in code and _balanced(code)
    assert "#Requires -Version 7.0" in code and "environment variables: clientSecret" in code
    assert "foreach ($name in @('clientSecret'))" in code and "exit 1" in code
    assert "Invoke-WebRequest -Uri 'http://wf:8077/.well-known/openid-configuration' -SkipHttpErrorCheck" in code
    assert "ConvertTo-FormEncoded $env:clientSecret" in code and "Replace('%20', '+')" in code
    assert "'grant_type=' + [Uri]::EscapeDataString('client_credentials')" in code
    assert "$accessToken = ($tokenResponse.Content | ConvertFrom-Json).access_token" in code
    assert "'Authorization' = ('Bearer ' + $accessToken)" in code
    assert "([guid]::NewGuid().ToString())" in code
    assert code.rstrip().endswith("if ([int]$response.StatusCode -ge 400) {\n    exit 1\n}")
    assert "-Body ([Text.Encoding]::UTF8.GetBytes($body)) -ContentType 'application/json'" in code


def test_password_grant_in_the_body_and_literal_secrets() -> None:
    request = Request("R", "GET", "http://h/x", auth=Auth("oauth2", {
        "grant_type": "password", "token_url": "http://h/token", "client_id": "c", "client_secret": "lit-SECRET",
        "client_auth": "body", "username": "alice", "password": "pw-SECRET"}))
    code = generate(request, "powershell")
    assert "SECRET" not in code.replace("WORKBENCH_CLIENT_SECRET", "") and _balanced(code)
    assert "'client_secret=' + [Uri]::EscapeDataString($env:WORKBENCH_CLIENT_SECRET)" in code
    assert "'password=' + [Uri]::EscapeDataString($env:WORKBENCH_PASSWORD)" in code
    assert "ConvertTo-FormEncoded" not in code and "$tokenUrl = 'http://h/token'" in code


def test_quotes_are_doubled_and_dollars_stay_literal() -> None:
    """Single-quoted strings: `$x` is not expanded; ' and the typographic quotes PowerShell also ends on are doubled."""
    request = Request("Q", "GET", "http://h/x", headers=(KeyValue("X-Note", "it's ’quoted’ $HOME"),))
    code = generate(request, "powershell")
    assert "'X-Note' = 'it''s ’’quoted’’ $HOME'" in code and _balanced(code)


def test_body_kinds_and_query_key() -> None:
    form = generate(Request("F", "POST", "http://h/f", body=Body("form", form=(KeyValue("a b", "1&2"),))), "powershell")
    assert "[Uri]::EscapeDataString('a b') + '=' + [Uri]::EscapeDataString('1&2')" in form
    assert "-ContentType 'application/x-www-form-urlencoded'" in form
    multipart = generate(Request("M", "POST", "http://h/m", body=Body("multipart", parts=(
        FormPart("file", file="spec.json"), FormPart("note", "hi")))), "powershell")
    assert "'file' = Get-Item -LiteralPath 'spec.json'" in multipart and "-Form $form" in multipart
    binary = generate(Request("B", "PUT", "http://h/b", body=Body("binary", "application/pdf", file="doc.pdf")),
                      "powershell")
    assert "-InFile 'doc.pdf'" in binary and "-ContentType 'application/pdf'" in binary
    key = generate(Request("K", "GET", "http://h/k?a=1", auth=Auth("apikey", {"name": "code", "value": "k-SECRET",
                                                                          "in": "query"})), "powershell")
    assert "'&code=' + [Uri]::EscapeDataString($env:WORKBENCH_API_KEY)" in key and "k-SECRET" not in key
    for code in (form, multipart, binary, key):
        assert _balanced(code) and "-SkipHttpErrorCheck -SkipHeaderValidation" in code
