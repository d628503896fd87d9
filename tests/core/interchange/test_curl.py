"""curl commands as requests: the quoting of sh, cmd and PowerShell, every flag the issue names, and a round trip."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from workbench.core.codegen import generate
from workbench.core.collections import Auth, Body, FormPart, KeyValue, Request
from workbench.core.errors import SpecImportError
from workbench.core.interchange.curl import parse_curl, read_curl, read_curl_commands
from workbench.core.workspace import secrets, storage


def test_posix_continuations_method_headers_and_switches() -> None:
    """`\\` continuations (sh); -u becomes basic auth, -k/-L settings, --compressed an Accept-Encoding."""
    request = parse_curl("curl -X PUT 'https://api.example.com/items/7?expand=a%20b&x' \\\n"
                         "  -H 'Accept: application/json' -H \"X-Trace: t 1\" \\\n"
                         "  -H 'Content-Type: application/json' --data-raw '{\"n\": 1}' \\\n"
                         "  -u alice:s3cr:et -k -L --compressed")
    assert (request.method, request.url) == ("PUT", "https://api.example.com/items/7")
    assert request.params == (KeyValue("expand", "a b"), KeyValue("x", ""))
    assert [(h.name, h.value) for h in request.headers] == [("Accept", "application/json"), ("X-Trace", "t 1"),
                                                             ("Accept-Encoding", "gzip, deflate")]
    assert request.body == Body("raw", "application/json", '{"n": 1}')
    assert request.auth == Auth("basic", {"username": "alice", "password": "s3cr:et"})
    assert dict(request.settings) == {"verify_tls": False, "follow_redirects": True}


def test_windows_cmd_caret_style() -> None:
    """DevTools' "Copy as cURL (cmd)": `^` continues lines and escapes quotes inside double quotes."""
    text = ('curl ^"https://h.example/post^" ^\n  -H ^"content-type: application/json^" ^\n'
            '  --data-raw ^"^{^\\^"a^\\^":1^}^" ^\n  --compressed')
    request = parse_curl(text)
    assert (request.method, request.url, request.body.text) == ("POST", "https://h.example/post", '{"a":1}')


def test_double_quotes_and_powershell_backticks() -> None:
    request = parse_curl('curl.exe "https://h.example/x" `\n  -H "X-A: 1" `\n  -d "a=1&b=two words"')
    assert request.headers == (KeyValue("X-A", "1"),)
    assert request.body == Body("form", form=(KeyValue("a", "1"), KeyValue("b", "two words")))


def test_data_flags_forms_and_files() -> None:
    """-d pairs are a form; --data-urlencode rows; -F parts with files; --data-binary @file a binary body; -G a query."""
    assert parse_curl("curl h.example/p --data-urlencode 'q=a&b' --data-urlencode 'n=1'").body.form == (
        KeyValue("q", "a&b"), KeyValue("n", "1"))
    multipart = parse_curl("curl https://h/u -F 'file=@/tmp/a.png;type=image/png' -F name=joe --form-string 'l=@x'")
    assert multipart.body == Body("multipart", parts=(FormPart("file", file="/tmp/a.png", content_type="image/png"),
                                                      FormPart("name", "joe"), FormPart("l", "@x")))
    binary = parse_curl("curl https://h/b -H 'Content-Type: application/pdf' --data-binary @doc.pdf")
    assert (binary.method, binary.body, binary.headers) == ("POST", Body("binary", "application/pdf", file="doc.pdf"), ())
    get = parse_curl("curl -G https://h/s -d q=x -d n=2")
    assert (get.method, get.params, get.body.kind) == ("GET", (KeyValue("q", "x"), KeyValue("n", "2")), "none")
    assert parse_curl("curl -sSIL example.com").method == "HEAD"
    assert parse_curl("curl -XDELETE https://h/1").method == "DELETE"


def test_credentials_leave_the_headers() -> None:
    """An Authorization header becomes auth (kept in the secret store on save), never a clear-text header."""
    bearer = parse_curl("curl https://h -H 'Authorization: Bearer abc.def'")
    assert (bearer.auth, bearer.headers) == (Auth("bearer", {"token": "abc.def"}), ())
    basic = parse_curl("curl https://h -H 'Authorization: Basic dTpwdw=='")
    assert basic.auth == Auth("basic", {"username": "u", "password": "pw"})
    key = parse_curl("curl https://h -H 'X-Api-Key: k1'")
    assert key.auth == Auth("apikey", {"name": "X-Api-Key", "value": "k1", "in": "header"})


def test_password_goes_to_the_secret_store(tmp_path: Path) -> None:
    storage.init_workspace(tmp_path)
    saved = storage.save_request(tmp_path, "c", parse_curl("curl -u bob:hunter2 https://h/x"))
    text = (tmp_path / "c" / saved.path).read_text()
    assert "hunter2" not in text and "secret:" in text
    assert secrets.reveal(next(line.split(": ", 1)[1] for line in text.splitlines() if "password" in line)) == "hunter2"


def test_several_commands_pipes_and_warnings() -> None:
    requests, warnings = read_curl_commands("# list, then get\n$ curl https://h/a | jq .\ncurl https://h/b --foo\n")
    assert [r.url for r in requests] == ["https://h/a", "https://h/b"]
    assert warnings == ("curl option --foo was ignored",)


@pytest.mark.parametrize("text, message", [("curl 'https://h", "quotes"), ("curl -H 'A: b'", "no URL"),
                                           ("wget https://h", "not a curl command")])
def test_bad_input_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(SpecImportError, match=message):
        read_curl(text)


ROUND_TRIP = [
    Request("raw", "POST", "https://h.example/post", params=(KeyValue("a", "1 2"), KeyValue("b", "x/y")),
            headers=(KeyValue("X-One", "1"), KeyValue("Accept", "application/json")),
            body=Body("raw", "application/json", '{"it\'s": "quoted \\"json\\""}')),
    Request("form", "PATCH", "https://h.example/f", body=Body("form", form=(KeyValue("k", "v&w"), KeyValue("e", "")))),
    Request("multipart", "POST", "https://h.example/m",
            body=Body("multipart", parts=(FormPart("f", file="a b.txt", content_type="text/plain"), FormPart("t", "x")))),
    Request("binary", "PUT", "https://h.example/b", body=Body("binary", "application/pdf", file="doc.pdf")),
    Request("get", "GET", "https://h.example/g", headers=(KeyValue("X-Empty", "v"),)),
]


@pytest.mark.parametrize("request_", ROUND_TRIP, ids=lambda r: r.name)
def test_copy_as_curl_round_trips(request_: Request) -> None:
    """Our own "Copy as curl", re-imported, is the same request: same fields, and the same curl again."""
    code = generate(request_, "curl")
    back = parse_curl(code)
    assert (back.method, back.url, back.params, back.body) == (request_.method, request_.url, request_.params,
                                                             request_.body)
    assert [h for h in back.headers if h.name.lower() != "content-type"] == list(request_.headers)
    assert generate(replace(back, name=request_.name), "curl") == code


def test_round_trip_keeps_basic_auth_as_a_variable() -> None:
    """Copy as curl reads the password from $WORKBENCH_PASSWORD; the import makes that a {{WORKBENCH_PASSWORD}} variable."""
    code = generate(Request("r", "GET", "https://h/x", auth=Auth("basic", {"username": "u", "password": "p"})), "curl")
    assert parse_curl(code).auth == Auth("basic", {"username": "u", "password": "{{WORKBENCH_PASSWORD}}"})
