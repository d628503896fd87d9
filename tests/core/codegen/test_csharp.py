"""C# code (workbench/core/codegen/csharp.py), checked as text: there is no .NET SDK on this machine."""

from __future__ import annotations

import re

from workbench.core.codegen import generate
from workbench.core.collections import Auth, Request


def _balanced(code: str) -> bool:
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("//")]
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', "\n".join(lines))
    return all(text.count(a) == text.count(b) for a, b in ("()", "{}", "[]"))


def test_oauth_token_request_before_the_call() -> None:
    """Workflow Server: client `workflowapi`, the API token as the secret in the body, token URL by discovery."""
    request = Request("Create", "POST", "http://wf:8077/workflowapi/createinstance/1", auth=Auth("oauth2", {
        "discovery_url": "http://wf:8077/.well-known/openid-configuration", "client_id": "workflowapi",
        "client_secret": "{{apiToken}}", "client_auth": "body"}))
    code = generate(request, "csharp")
    assert _balanced(code) and "using System.Text.Json;" in code and "return" not in code
    assert 'await client.GetAsync("http://wf:8077/.well-known/openid-configuration")' in code
    assert ('new KeyValuePair<string, string>("client_secret", Environment.GetEnvironmentVariable("apiToken")!)'
            in code)
    assert 'GetProperty("access_token")' in code and '"Bearer " + accessToken' in code
    assert code.count("Environment.Exit(1);") == 4  # unset secret, discovery, token request, the call
    basic = generate(Request("B", "GET", "http://h/x", auth=Auth("oauth2", {
        "token_url": "http://h/token", "client_id": "c", "client_secret": "{{clientSecret}}"})), "csharp")
    assert 'Uri.EscapeDataString(value).Replace("%20", "+")' in basic and _balanced(basic)
    assert 'FormEncode(Environment.GetEnvironmentVariable("clientSecret")!)' in basic
