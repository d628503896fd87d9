"""Descriptor sources: files, folders, ZIP uploads (and their safety rules), URLs with auth."""

from __future__ import annotations

import base64
import io
import json
import stat
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from workbench.core.collections import Auth
from workbench.core.errors import SpecImportError
from workbench.core.openapi.importer import import_openapi
from workbench.core.openapi.sources import ZIP_MAX_TOTAL, list_roots, parse_document

MINI = {"openapi": "3.0.0", "info": {"title": "Mini", "version": "1"},
        "paths": {"/ping": {"get": {"responses": {"200": {"$ref": "common.yaml#/Ok"}}}}}}
COMMON = {"Ok": {"description": "ok"}}


def make_zip(entries: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_json_and_yaml_files(tmp_path: Path) -> None:
    """JSON (orjson) and YAML (libyaml) files both import; a UTF-8 BOM is tolerated."""
    (tmp_path / "a.json").write_bytes(b"\xef\xbb\xbf" + json.dumps({**MINI, "paths": {}}).encode())
    (tmp_path / "b.yaml").write_text(yaml.safe_dump({**MINI, "paths": {}}))
    assert import_openapi(tmp_path / "a.json").collection.name == "Mini"
    assert import_openapi(tmp_path / "b.yaml").collection.name == "Mini"


def test_yaml_dates_stay_strings() -> None:
    """`example: 2024-01-02` must stay the string the server expects, not a Python date."""
    assert parse_document(b"example: 2024-01-02\n", "x.yaml") == {"example": "2024-01-02"}


def test_folder_with_one_root_and_relative_refs(tmp_path: Path) -> None:
    """A folder: the root is the one file with `openapi`/`swagger`; its relative $refs resolve."""
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(MINI))
    (tmp_path / "common.yaml").write_text(yaml.safe_dump(COMMON))
    result = import_openapi(tmp_path)
    assert [r.url for r in result.collection.all_requests()] == ["{{baseUrl}}/ping"]


def test_folder_with_several_roots_asks(tmp_path: Path) -> None:
    """Several candidate roots: an error listing them, unless the caller picks one."""
    (tmp_path / "one.yaml").write_text(yaml.safe_dump(MINI))
    (tmp_path / "two.yaml").write_text(yaml.safe_dump({**MINI, "info": {"title": "Two", "version": "1"}}))
    (tmp_path / "common.yaml").write_text(yaml.safe_dump(COMMON))
    with pytest.raises(SpecImportError, match=r"several descriptors.*one.yaml, two.yaml"):
        import_openapi(tmp_path)
    assert import_openapi(tmp_path, root="two.yaml").collection.name == "Two"
    assert list_roots(tmp_path) == ["one.yaml", "two.yaml"]


def test_shared_multi_file_zip(shared_data: Path) -> None:
    """The shared ZIP (root in a subfolder, refs to `../common`, fragments, allOf across files)."""
    result = import_openapi(shared_data / "openapi" / "petstore-separate.zip")
    requests = {r.meta["openapi_operation"]: r for r in result.collection.all_requests()}
    assert sorted(requests) == ["delete /pets/{id}", "get /pets", "get /pets/{id}", "post /pets"]
    find = requests["get /pets"]
    assert {p.name for p in find.params} == {"tags", "limit"}  # from parameters.yaml#/tagsParam etc.
    body = json.loads(requests["post /pets"].body.text)
    assert "name" in body  # NewPet.yaml: allOf of Pet.yaml plus its own properties


def test_zip_with_several_roots_lists_them_and_root_picks(tmp_path: Path) -> None:
    data = make_zip({"a/one.yaml": yaml.safe_dump(MINI).encode(), "a/common.yaml": yaml.safe_dump(COMMON).encode(),
                     "b/two.json": json.dumps({**MINI, "paths": {}}).encode()})
    (tmp_path / "api.zip").write_bytes(data)
    with pytest.raises(SpecImportError, match="a/one.yaml, b/two.json"):
        import_openapi(tmp_path / "api.zip")
    assert len(import_openapi(tmp_path / "api.zip", root="a/one.yaml").collection.all_requests()) == 1
    assert list_roots(tmp_path / "api.zip") == ["a/one.yaml", "b/two.json"]


@pytest.mark.parametrize("entries, symlinks, message", [
    ({"../evil.yaml": b"x"}, (), "`..` leaves the archive"),
    ({"/etc/spec.yaml": b"x"}, (), "absolute path"),
    ({"C:/spec.yaml": b"x"}, (), "absolute path"),
    ({"spec.yaml": b"/etc/passwd"}, ("spec.yaml",), "symbolic link"),
    ({"bomb.yaml": b"a" * (8 * 1024 * 1024)}, (), "possible ZIP bomb"),
])
def test_unsafe_zips_are_refused(tmp_path: Path, entries: dict[str, bytes], symlinks: tuple[str, ...],
                                 message: str) -> None:
    """ZIP safety: `..`, absolute paths, symlinks and extreme compression ratios are refused."""
    (tmp_path / "x.zip").write_bytes(make_zip(entries, symlinks))
    with pytest.raises(SpecImportError, match=message):
        import_openapi(tmp_path / "x.zip")


def test_zip_total_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sum of uncompressed sizes is capped (checked before anything is read)."""
    from workbench.core.openapi import sources as openapi_sources

    monkeypatch.setattr(openapi_sources, "ZIP_MAX_TOTAL", 1000)
    entries = {f"f{i}.yaml": bytes(range(256)) * 2 for i in range(3)}
    (tmp_path / "x.zip").write_bytes(make_zip(entries))
    with pytest.raises(SpecImportError, match="expands to more than"):
        import_openapi(tmp_path / "x.zip")
    assert ZIP_MAX_TOTAL >= 100 * 1024 * 1024


def test_zip_entry_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    """Sizes in the central directory can lie: reading stops at the declared size."""
    data = bytearray(make_zip({"spec.yaml": yaml.safe_dump(MINI).encode()}))
    # Patch the declared uncompressed size (central directory, offset 24 in the entry) down to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    with pytest.raises(SpecImportError):
        import_openapi(tmp_path / "liar.zip")


def test_not_a_zip_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(SpecImportError, match="not a readable ZIP"):
        import_openapi(tmp_path / "broken.zip")
    with pytest.raises(SpecImportError, match="no such file or folder"):
        import_openapi(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- URL sources


class _SpecServer(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        expected = "Basic " + base64.b64encode(b"alice:secret").decode()
        if self.path.startswith("/private/") and self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="specs"')
            self.end_headers()
            return
        data = self.files.get(self.path.split("?")[0].replace("/private", "", 1))
        if data is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def spec_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving descriptors, some behind Basic auth."""
    no_servers = {**MINI}
    relative_server = {**MINI, "servers": [{"url": "/api/v2"}]}
    _SpecServer.files = {
        "/spec.yaml": yaml.safe_dump(no_servers).encode(),
        "/rel.yaml": yaml.safe_dump(relative_server).encode(),
        "/common.yaml": yaml.safe_dump(COMMON).encode(),
        "/bundle.zip": make_zip({"api/spec.yaml": yaml.safe_dump(MINI).encode(),
                                 "api/common.yaml": yaml.safe_dump(COMMON).encode()}),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SpecServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_with_relative_refs_and_server(spec_server: str) -> None:
    """A URL source: relative $refs are fetched beside it; a relative server URL is relative to it."""
    result = import_openapi(f"{spec_server}/rel.yaml")
    assert result.collection.variables[0].value == f"{spec_server}/api/v2"
    assert len(result.collection.all_requests()) == 1
    assert import_openapi(f"{spec_server}/spec.yaml").environments[0].as_dict()["baseUrl"] == spec_server


def test_url_behind_basic_auth(spec_server: str) -> None:
    """The user's auth is sent with the download (and with $ref fetches); without it: a clear error."""
    with pytest.raises(SpecImportError, match="answered 401.*check the auth"):
        import_openapi(f"{spec_server}/private/spec.yaml")
    auth = Auth("basic", {"username": "alice", "password": "secret"})
    assert len(import_openapi(f"{spec_server}/private/spec.yaml", auth=auth).collection.all_requests()) == 1


def test_url_serving_a_zip(spec_server: str) -> None:
    assert len(import_openapi(f"{spec_server}/bundle.zip").collection.all_requests()) == 1


def test_url_errors_are_one_line(spec_server: str) -> None:
    with pytest.raises(SpecImportError, match="answered 404"):
        import_openapi(f"{spec_server}/missing.yaml")
    with pytest.raises(SpecImportError, match="(?i)connection refused"):
        import_openapi("http://127.0.0.1:9/spec.yaml")
