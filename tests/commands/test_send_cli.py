"""`workbench send` as a script would run it: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import peers
import pytest

from workbench.core.collections import Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage


@pytest.fixture
def ws(tmp_path: Path, httpbin: peers.Peer) -> Path:
    """A workspace with a collection variable, two environments and a few requests against httpbin."""
    root = tmp_path / "ws"
    storage.init_workspace(root, "CLI")
    storage.save_collection(str(root), Collection("Echo", requests=(
        Request("Get", "GET", "{{base}}/get", params=(KeyValue("who", "{{who}}"),)),
        Request("Teapot", "GET", "{{base}}/status/418"),
        Request("Post", "POST", "{{base}}/post", headers=(KeyValue("X-Env", "{{who}}"),)),
    ), variables=(KeyValue("base", httpbin.url), KeyValue("who", "collection"))))
    storage.save_environment(str(root), Environment("Dev", (KeyValue("who", "dev-env"),)))
    storage.save_environment(str(root), Environment("Refused", (KeyValue("base", f"http://127.0.0.1:{peers.free_port()}"),)))
    return root


def test_send_prints_status_headers_body(workbench_run, ws: Path) -> None:
    result = workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--no-history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("HTTP/1.1 200 OK")
    assert any(line.lower().startswith("content-type: application/json") for line in lines)
    assert '"who": "collection"' in result.stdout


def test_exit_0_on_any_http_response_even_418(workbench_run, ws: Path) -> None:
    result = workbench_run("send", str(ws / "Echo" / "Teapot.yaml"))
    assert result.returncode == 0 and " 418 " in result.stdout.splitlines()[0]


def test_json_output_shape(workbench_run, ws: Path) -> None:
    result = workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"status", "headers", "elapsed_ms", "body"} <= set(data)
    assert data["status"] == 200 and isinstance(data["headers"], dict) and isinstance(data["elapsed_ms"], float)
    assert json.loads(data["body"])["args"] == {"who": "collection"}
    # The send is in the workspace history.
    assert (ws / ".workbench" / "history.jsonl").read_text().count("\n") == 1


def test_env_and_var_precedence(workbench_run, ws: Path) -> None:
    env = json.loads(workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--json", "--env", "Dev").stdout)
    assert json.loads(env["body"])["args"] == {"who": "dev-env"}
    var = json.loads(workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--json", "--env", "Dev", "--var", "who=cli").stdout)
    assert json.loads(var["body"])["args"] == {"who": "cli"}
    header = json.loads(workbench_run("send", str(ws / "Echo" / "Post.yaml"), "--json", "--var", "who=a=b").stdout)
    assert json.loads(header["body"])["headers"]["X-Env"] == "a=b"


def test_transport_error_exits_1_with_one_line(workbench_run, ws: Path) -> None:
    result = workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--env", "Refused")
    assert result.returncode == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "refused" in result.stderr.lower()


@pytest.mark.parametrize("case", ["missing", "corrupt", "bad-var", "unknown-env", "no-args", "not-a-mapping"])
def test_bad_input_exits_2_with_one_line(workbench_run, ws: Path, case: str) -> None:
    get = str(ws / "Echo" / "Get.yaml")
    if case == "missing":
        args = ["send", str(ws / "nope.yaml")]
    elif case == "corrupt":
        (ws / "Echo" / "Bad.yaml").write_text("name: [broken\n")
        args = ["send", str(ws / "Echo" / "Bad.yaml")]
    elif case == "bad-var":
        args = ["send", get, "--var", "novalue"]
    elif case == "unknown-env":
        args = ["send", get, "--env", "Nope"]
    elif case == "not-a-mapping":
        (ws / "Echo" / "List.yaml").write_text("- a\n- b\n")
        args = ["send", str(ws / "Echo" / "List.yaml")]
    else:
        args = ["send"]
    result = workbench_run(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("workbench")
    if case == "corrupt":
        assert "invalid YAML at line" in result.stderr and (ws / "Echo" / "Bad.yaml").read_text() == "name: [broken\n"


def test_help_for_send(workbench_run) -> None:
    send = workbench_run("send", "--help")
    assert send.returncode == 0 and "--env" in send.stdout and "--var" in send.stdout and "--json" in send.stdout


def test_sample_workspace_requests_work_against_a_local_echo(workbench_run, tmp_path: Path, httpbin: peers.Peer) -> None:
    """The default workspace a newcomer sees: every echo request answers as its docs promise."""
    import shutil

    sample = Path(__file__).resolve().parents[2] / "resources" / "sample-workspace"
    root = tmp_path / "sample"
    shutil.copytree(sample, root, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    expected = {"Echo query parameters.yaml": 200, "Create a record (JSON).yaml": 200, "Teapot status.yaml": 418,
                "Auth/Basic auth.yaml": 200, "Auth/Bearer token.yaml": 200}
    for rel, status in expected.items():
        result = workbench_run("send", str(root / "Getting started" / rel), "--env", "Local echo", "--var",
                      f"baseUrl={httpbin.url}", "--json", "--no-history")
        assert result.returncode == 0, (rel, result.stderr)
        assert json.loads(result.stdout)["status"] == status, rel
    offline = workbench_run("send", str(root / "Getting started" / "Teapot status.yaml"), "--env", "Local echo",
                   "--var", f"baseUrl=http://127.0.0.1:{peers.free_port()}")
    assert offline.returncode == 1 and "is the server running?" in offline.stderr


def test_fail_exits_1_on_http_errors_and_still_prints(workbench_run, ws: Path) -> None:  # type: ignore[no-untyped-def]
    """`--fail`, as `curl --fail`: a 418 is exit 1 (the response printed all the same), a 200 exit 0."""
    teapot = workbench_run("send", str(ws / "Echo" / "Teapot.yaml"), "--fail", "--no-history")
    assert teapot.returncode == 1 and "418" in teapot.stdout and "(--fail)" in teapot.stderr
    ok = workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--fail", "--no-history")
    assert ok.returncode == 0


def test_an_unresolved_variable_is_not_sent(workbench_run, ws: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: `{{baseUrl}}` undefined went out and came back as a DNS error for the host "{{baseurl}}"."""
    (ws / "Echo" / "Typo.yaml").write_text("name: Typo\nmethod: GET\nurl: '{{baseUrl}}/get'\n", encoding="utf-8")
    result = workbench_run("send", str(ws / "Echo" / "Typo.yaml"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "{{baseUrl}} is not defined" in result.stderr and "--var baseUrl=VALUE" in result.stderr
    assert "DNS" not in result.stderr


def test_env_names_match_case_insensitively(workbench_run, ws: Path) -> None:  # type: ignore[no-untyped-def]
    result = workbench_run("send", str(ws / "Echo" / "Get.yaml"), "--json", "--env", "dev", "--no-history")
    assert result.returncode == 0 and json.loads(json.loads(result.stdout)["body"])["args"]["who"] == "dev-env"


def test_send_names_a_broken_file_the_request_inherits_from(echo_collection: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """A broken collection.yaml, workspace.yaml or environment file is named (exit 2, one line) instead
    of `{{baseUrl}}` going out literally; a broken file of another collection does not stop the send."""
    ws = echo_collection.parent
    request = str(echo_collection / "get.yaml")
    other = storage.save_collection(ws, Collection("Other", requests=(Request("x", "GET", "http://h/x"),)))
    (ws / other.path / "collection.yaml").write_text("name: Other\nvariables: [\n", encoding="utf-8")
    sent = cli("send", request, "--env", "local", "--json")
    assert sent.returncode == 0 and json.loads(sent.stdout)["status"] == 200, sent.stderr
    for broken in (echo_collection / "collection.yaml", ws / "workspace.yaml", ws / "environments" / "local.yaml"):
        kept = broken.read_text(encoding="utf-8")
        broken.write_text("name: x\nvariables: [\n", encoding="utf-8")
        result = cli("send", request)
        broken.write_text(kept, encoding="utf-8")
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert f"{broken}: invalid YAML at line 3" in result.stderr and "was not sent" in result.stderr
        assert "{{baseUrl}}" not in result.stderr
