"""A secret never reaches stderr, stdout or a file when a download or a send fails (issue 18).

Failure messages repeat the URL they failed on, as sent: `{{apiKey}}` resolved, `user:pass@`
included. The CLI masks them by value (the context's secret variables and auth secrets) and
by structure (userinfo, `api_key=`-like query values). Real httpbin answers 404/401/500.
"""

from __future__ import annotations

from pathlib import Path

import peers
import pytest

from workbench import cli

KEY, PASSWORD = "KEY-4f9a-secret", "PW-77e1-secret"


def _workspace(root: Path, httpbin: str) -> Path:
    collection = root / "c"
    (collection / "environments").mkdir(parents=True)
    (root / "workspace.yaml").write_text("name: w\n")
    (collection / "collection.yaml").write_text("name: c\n")
    (collection / "environments" / "E.yaml").write_text(
        f"name: E\nvariables:\n  - {{name: key, value: {KEY}, secret: true}}\n"
        f"  - {{name: pw, value: {PASSWORD}, secret: true}}\n")
    (collection / "r401.yaml").write_text(f"name: r401\nmethod: GET\nurl: {httpbin}/status/401?tag={{{{key}}}}\n")
    (collection / "refused.yaml").write_text("name: refused\nmethod: GET\nurl: http://u:{{pw}}@127.0.0.1:9/x?k={{key}}\n")
    oauth = root / "oauth"  # a token endpoint that echoes the form, client_secret included
    (oauth / "environments").mkdir(parents=True)
    (oauth / "environments" / "E.yaml").write_text(f"name: E\nvariables:\n  - {{name: key, value: {KEY}, secret: true}}\n")
    (oauth / "collection.yaml").write_text(
        f"name: oauth\nauth: {{type: oauth2, grant: client_credentials, token_url: '{httpbin}/anything', "
        "client_id: cid, client_secret: '{{key}}', client_auth: body}\n")
    return collection


def _leaks(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.is_file() and
            (KEY.encode() in p.read_bytes() or PASSWORD.encode() in p.read_bytes())
            and p.parent.name != "environments"]  # the environment file is where the user put them


def test_failed_downloads_and_sends_print_no_secret(httpbin: peers.Peer, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    collection = _workspace(tmp_path / "ws", httpbin.url)
    scope = ["--collection", str(collection), "--env", "E"]
    runs = [
        (["metadata", *scope, f"{httpbin.url}/status/404?api_key={{{{key}}}}"], 1),
        (["import", *scope, f"{httpbin.url}/status/500?x={{{{key}}}}", "--into", str(tmp_path / "out")], 1),
        (["import", *scope, f"http://u:{{{{pw}}}}@{httpbin.url.split('://')[1]}/status/404", "--into",
          str(tmp_path / "out")], 1),
        (["odata", "check", "http://h/svc/P", "--metadata", f"{httpbin.url}/status/404?q={{{{key}}}}", *scope], 1),
        (["import", f"http://bob:{PASSWORD}@127.0.0.1:9/x?api_key={KEY}", "--into", str(tmp_path / "out")], 1),
        (["send", str(collection / "r401.yaml"), "--env", "E", "--fail"], 1),
        (["send", str(collection / "refused.yaml"), "--env", "E"], 1),
        (["run", str(collection), "--env", "E"], 1),
        (["token", str(collection.parent / "oauth"), "--env", "E", "--new"], 1),
    ]
    for argv, code in runs:
        assert cli.main(argv) == code, argv
        out, err = capsys.readouterr()
        assert (err if argv[0] != "run" else out).strip(), argv  # run reports on stdout
        assert KEY not in out + err and PASSWORD not in out + err, (argv, out[-300:], err)
    assert not _leaks(tmp_path)  # history, .workbench state, partial imports
