"""`workbench send` and `workbench --screenshot` as a script would run them: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import peers
import pytest

from workbench.core.collections import Collection, Environment, KeyValue, Request
from workbench.core.workspace import storage

WORKBENCH = [sys.executable, "-m", "workbench"]


def _run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory"}
    return subprocess.run([*WORKBENCH, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


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


def test_send_prints_status_headers_body(ws: Path) -> None:
    result = _run("send", str(ws / "Echo" / "Get.yaml"), "--no-history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("HTTP/1.1 200 OK")
    assert any(line.lower().startswith("content-type: application/json") for line in lines)
    assert '"who": "collection"' in result.stdout


def test_exit_0_on_any_http_response_even_418(ws: Path) -> None:
    result = _run("send", str(ws / "Echo" / "Teapot.yaml"))
    assert result.returncode == 0 and " 418 " in result.stdout.splitlines()[0]


def test_json_output_shape(ws: Path) -> None:
    result = _run("send", str(ws / "Echo" / "Get.yaml"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"status", "headers", "elapsed_ms", "body"} <= set(data)
    assert data["status"] == 200 and isinstance(data["headers"], dict) and isinstance(data["elapsed_ms"], float)
    assert json.loads(data["body"])["args"] == {"who": "collection"}
    # The send is in the workspace history.
    assert (ws / ".workbench" / "history.jsonl").read_text().count("\n") == 1


def test_env_and_var_precedence(ws: Path) -> None:
    env = json.loads(_run("send", str(ws / "Echo" / "Get.yaml"), "--json", "--env", "Dev").stdout)
    assert json.loads(env["body"])["args"] == {"who": "dev-env"}
    var = json.loads(_run("send", str(ws / "Echo" / "Get.yaml"), "--json", "--env", "Dev", "--var", "who=cli").stdout)
    assert json.loads(var["body"])["args"] == {"who": "cli"}
    header = json.loads(_run("send", str(ws / "Echo" / "Post.yaml"), "--json", "--var", "who=a=b").stdout)
    assert json.loads(header["body"])["headers"]["X-Env"] == "a=b"


def test_transport_error_exits_1_with_one_line(ws: Path) -> None:
    result = _run("send", str(ws / "Echo" / "Get.yaml"), "--env", "Refused")
    assert result.returncode == 1
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1
    assert "refused" in result.stderr.lower()
    _no_traceback(result)


@pytest.mark.parametrize("case", ["missing", "corrupt", "bad-var", "unknown-env", "no-args", "not-a-mapping"])
def test_bad_input_exits_2_with_one_line(ws: Path, case: str) -> None:
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
    result = _run(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("workbench")
    _no_traceback(result)
    if case == "corrupt":
        assert "invalid YAML at line" in result.stderr and (ws / "Echo" / "Bad.yaml").read_text() == "name: [broken\n"


def test_help_for_window_and_send() -> None:
    main = _run("--help")
    assert main.returncode == 0 and "send" in main.stdout and "--screenshot" in main.stdout
    send = _run("send", "--help")
    assert send.returncode == 0 and "--env" in send.stdout and "--var" in send.stdout and "--json" in send.stdout


def test_screenshot_writes_a_png(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    env_dir = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SECRETS": "memory", "WORKBENCH_DATA_DIR": str(env_dir)}
    result = subprocess.run([*WORKBENCH, "--screenshot", str(png)], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    # The first start opened (a copy of) the sample workspace.
    assert (env_dir / "workspaces" / "Sample workspace" / "workspace.yaml").is_file()
    _no_traceback(result)


def test_screenshot_of_a_new_workspace_folder(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    result = _run("--screenshot", str(png), str(tmp_path / "fresh"))
    assert result.returncode == 0 and png.stat().st_size > 5_000
    assert (tmp_path / "fresh" / "workspace.yaml").is_file()


def test_sample_workspace_requests_work_against_a_local_echo(tmp_path: Path, httpbin: peers.Peer) -> None:
    """The default workspace a newcomer sees: every echo request answers as its docs promise."""
    import shutil

    sample = Path(__file__).resolve().parents[1] / "resources" / "sample-workspace"
    root = tmp_path / "sample"
    shutil.copytree(sample, root, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    expected = {"Echo query parameters.yaml": 200, "Create a record (JSON).yaml": 200, "Teapot status.yaml": 418,
                "Auth/Basic auth.yaml": 200, "Auth/Bearer token.yaml": 200}
    for rel, status in expected.items():
        result = _run("send", str(root / "Getting started" / rel), "--env", "Local echo", "--var",
                      f"baseUrl={httpbin.url}", "--json", "--no-history")
        assert result.returncode == 0, (rel, result.stderr)
        assert json.loads(result.stdout)["status"] == status, rel
    offline = _run("send", str(root / "Getting started" / "Teapot status.yaml"), "--env", "Local echo",
                   "--var", f"baseUrl=http://127.0.0.1:{peers.free_port()}")
    assert offline.returncode == 1 and "is the server running?" in offline.stderr


def test_no_display_is_one_line_not_a_qt_abort(tmp_path: Path) -> None:
    """On a headless Linux box Qt would abort with a page of plugin messages: say what to do instead."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WORKBENCH_DATA_DIR"] = str(tmp_path / "data")
    sample = tmp_path / "x.json"
    sample.write_text('{"a": 1}')
    for args in ([str(tmp_path / "ws")], ["view", str(sample)]):
        result = subprocess.run([*WORKBENCH, *args], capture_output=True, text=True, timeout=60, env=env)
        assert result.returncode == 1, result.stderr
        assert result.stderr.count("\n") == 1 and "--screenshot" in result.stderr and "Traceback" not in result.stderr
