"""An HTTP error status on a download is "the thing asked failed" (exit 1), a malformed document "bad input" (2).

README's exit codes: 1 when the thing asked failed (transport error, token refused, …), 2 when
the input itself is bad, "a file or a downloaded document". A 404 or 500 page is not the user's
document: `import`, `metadata` and `odata check --metadata` all say exit 1 for it, and keep 2
for a document that arrived (200) but is not a descriptor or CSDL. Real httpbin answers.
"""

from __future__ import annotations

from pathlib import Path

import peers
import pytest

from workbench import cli


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    assert "unexpected error" not in err and len(err.strip().splitlines()) == 1, err
    return code, err


@pytest.mark.parametrize("status", [401, 404, 500])
def test_import_of_a_url_answering_an_error_status_is_exit_1(status: int, httpbin: peers.Peer, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "import", f"{httpbin.url}/status/{status}", "--into", str(tmp_path / "ws"))
    assert code == 1 and f"answered {status}" in err


def test_metadata_and_odata_check_answering_404_are_exit_1(httpbin: peers.Peer, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    service = f"{httpbin.url}/status/404"  # `$metadata` is appended: still 404
    code, err = _run(capsys, "metadata", service)
    assert code == 1 and "answered 404" in err
    code, err = _run(capsys, "import", service + "/$metadata", "--into", str(tmp_path / "ws"))
    assert code == 1 and "answered 404" in err
    code, err = _run(capsys, "odata", "check", "http://h/svc/People", "--metadata", service)
    assert code == 1 and "cannot load the metadata" in err and "answered 404" in err
    code, err = _run(capsys, "odata", "check", "http://h/svc/People", "--metadata", "http://127.0.0.1:9/svc")
    assert code == 1 and "cannot load the metadata" in err  # nobody listening: failed, not bad input


def test_a_downloaded_document_that_is_malformed_stays_exit_2(httpbin: peers.Peer, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """httpbin's `/anything` answers 200 with a JSON echo: neither a descriptor nor CSDL."""
    code, err = _run(capsys, "import", f"{httpbin.url}/anything", "--into", str(tmp_path / "ws"))
    assert code == 2 and "not an OpenAPI or Swagger descriptor" in err
    for argv in (["metadata", f"{httpbin.url}/anything/$metadata"],
                 ["odata", "check", "http://h/svc/People", "--metadata", f"{httpbin.url}/anything/$metadata"]):
        code, err = _run(capsys, *argv)
        assert code == 2 and "Not a CSDL JSON document" in err
