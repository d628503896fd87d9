"""Where an OpenAPI descriptor comes from: a file, a folder, a ZIP upload or a URL.

A descriptor may be one document or several joined by relative `$ref`s (OpenAPI 3.1 §4.3,
"Relative References in URIs"; Swagger 2.0 "Relative Files"). A `DocumentStore` hands out
parsed documents by URI, reading each at most once, from whichever container holds them, so
`$ref` resolution (`openapi_refs.py`) never needs to know if the bytes sat in a ZIP or on disk.

Safety rules for ZIP uploads (vendors' admin pages hand these out, but a ZIP is still
untrusted input): entries with `..`, absolute or drive paths and symlinks are refused; the total
uncompressed size and the compression ratio are capped, and sizes are enforced while reading
(the sizes in the central directory can lie). Nothing is extracted to disk and the source
file is only ever opened for reading.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urljoin, urlsplit

import orjson
import yaml

from workbench.core import safe_yaml
from workbench.core.collections import Auth
from workbench.core.errors import HttpStatus, SpecImportError
from workbench.core.workspace.storage import describe_yaml_error

try:  # libyaml is ~10x faster than the pure-Python parser on large descriptors
    from yaml import CSafeLoader as _YamlLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _YamlLoader  # type: ignore[assignment]

ZIP_MAX_TOTAL = 256 * 1024 * 1024  # bytes uncompressed, all entries together
ZIP_MAX_RATIO = 200  # uncompressed/compressed, per entry above ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 1024 * 1024  # small entries may compress very well (repetitive YAML)
ZIP_MAX_ENTRIES = 10_000
URL_MAX_BYTES = 128 * 1024 * 1024
FOLDER_MAX_FILES = 5_000  # a folder source is a descriptor's folder, not a home directory
FOLDER_MAX_FILE_BYTES = 128 * 1024 * 1024
FILE_MAX_BYTES = 128 * 1024 * 1024  # one file of a descriptor (the largest real ones are ~40 MB)
BUNDLE_MAX_BYTES = 256 * 1024 * 1024  # all files one import reads, together
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
_DRIVE = re.compile(r"^[A-Za-z]:")


class _NoDatesLoader(_YamlLoader):
    """YAML without implicit dates/times: `example: 2024-01-02` must stay the string a server expects."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _YamlLoader.yaml_implicit_resolvers.items()
}


def parse_document(data: bytes, name: str) -> Any:
    """Parse JSON or YAML bytes; a syntax error becomes a one-line error with line and column.

    JSON goes through orjson (several times faster than the stdlib on multi-MB descriptors);
    anything else is YAML (JSON is also YAML, but libyaml is much slower on it).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise SpecImportError(
                f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", detail=str(exc)) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecImportError(f"{name}: not UTF-8 text (byte {exc.start}); is it a descriptor?") from exc
    try:
        return safe_yaml.load(text, _NoDatesLoader)
    except yaml.YAMLError as exc:
        raise SpecImportError(f"{name}: invalid YAML{describe_yaml_error(exc)}", detail=str(exc)) from exc
    except safe_yaml.YamlTooLarge as exc:
        raise SpecImportError(f"{name}: {exc}") from exc


def spec_version(doc: Any) -> str | None:
    """`2.0`, `3.0.x`, `3.1.x`… when `doc` looks like a descriptor root, else None."""
    if not isinstance(doc, Mapping):
        return None
    for key in ("openapi", "swagger"):
        if key in doc:
            return str(doc[key])
    return None


@dataclass
class DocumentStore:
    """Parsed documents by URI (`file:`, `zip:` or `http(s):`), each read and parsed once."""

    root_uri: str
    reader: Callable[[str], bytes]
    label: str = ""
    cache: dict[str, Any] = field(default_factory=dict)

    def document(self, uri: str) -> Any:
        """The parsed document at `uri` (no fragment)."""
        uri = urldefrag(uri)[0]
        if uri not in self.cache:
            self.cache[uri] = parse_document(self.reader(uri), display_name(uri))
        return self.cache[uri]

    @property
    def root(self) -> Any:
        return self.document(self.root_uri)


def urldefrag(uri: str) -> tuple[str, str]:
    """(`uri` without fragment, fragment); unlike urllib's, keeps `zip:///a` as written."""
    base, _, frag = uri.partition("#")
    return base, frag


def display_name(uri: str) -> str:
    """What a user recognises: a file name, a ZIP entry or a URL, not our internal URI."""
    if uri.startswith("zip:///"):
        return uri[len("zip:///"):]
    if uri.startswith("file://"):
        return Path(urlsplit(uri).path).name
    return uri


def join_uri(base: str, ref: str) -> str:
    """Resolve `ref` against `base` (RFC 3986 §5.2); works for our `zip:///` URIs too."""
    if base.startswith("zip:///"):
        target, frag = urldefrag(ref)
        if not target:
            return base + (f"#{frag}" if frag else "")
        if "://" in target:
            return ref
        path = posixpath.normpath(posixpath.join(posixpath.dirname(base[len("zip:///"):]), target))
        return f"zip:///{path}" + (f"#{frag}" if frag else "")
    return urljoin(base, ref)


# --------------------------------------------------------------------------- files and folders


def _file_uri(path: Path) -> str:
    return path.resolve().as_uri()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _contained_reader(root: Path) -> Callable[[str], bytes]:
    """A reader of `file:` URIs that stay inside `root` (the descriptor's folder or the folder given).

    A descriptor is a stranger's file: its `$ref`s may not read `/etc/passwd`, `../../secret`,
    `file:///…` elsewhere, a symlink pointing out, or a device or FIFO (`/dev/zero` never ends,
    a FIFO blocks forever). Only regular files inside `root`, after resolving symlinks, each at
    most FILE_MAX_BYTES and all of them together at most BUNDLE_MAX_BYTES, are read.
    """
    from urllib.parse import unquote

    root = root.resolve()
    budget = [BUNDLE_MAX_BYTES]

    def read(uri: str) -> bytes:
        if not uri.startswith("file://"):
            raise SpecImportError(f"{uri} is not a file beside the descriptor; refused (only files inside "
                                  f"{root} are read)")
        raw = unquote(urlsplit(uri).path)
        if "\x00" in raw:
            raise SpecImportError("the path holds a NUL character; refused")
        path = Path(raw)
        try:
            real = path.resolve(strict=True)
        except FileNotFoundError as exc:
            raise SpecImportError(f"{path.name}: file not found") from exc
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on older Pythons
            raise SpecImportError(f"{path.name}: cannot read ({getattr(exc, 'strerror', None) or exc})") from exc
        if not _inside(real, root):
            what = "a symlink pointing" if _inside(Path(os.path.normpath(path)), root) else "a path"
            raise SpecImportError(f"{raw} is {what} outside the descriptor's folder {root}; refused "
                                  "(only files inside it are read; import the folder that holds them all)")
        return _read_regular(real, budget)

    return read


def _read_regular(path: Path, budget: list[int]) -> bytes:
    """A regular file's bytes, at most FILE_MAX_BYTES and what is left of `budget` (shared per import)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except IsADirectoryError as exc:
        raise SpecImportError(f"{path.name}: is a folder, not a descriptor") from exc
    except OSError as exc:
        raise SpecImportError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise SpecImportError(f"{path.name}: is a folder, not a descriptor")
        if not stat.S_ISREG(info.st_mode):
            raise SpecImportError(f"{path.name}: is a device, FIFO or socket, not a file; refused")
        limit = min(FILE_MAX_BYTES, budget[0])
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise SpecImportError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > limit:
        if limit < FILE_MAX_BYTES:
            raise SpecImportError(f"{path.name}: the descriptor's files together exceed "
                                  f"{BUNDLE_MAX_BYTES // (1024 * 1024)} MB; refused")
        raise SpecImportError(f"{path.name}: larger than {FILE_MAX_BYTES // (1024 * 1024)} MB; refused")
    budget[0] -= len(data)
    return data


def _candidates(named: Mapping[str, Callable[[], bytes]], store_parse: Callable[[str], Any]) -> list[str]:
    found = []
    for name in named:
        if name.lower().endswith(SPEC_SUFFIXES):
            try:
                doc = store_parse(name)
            except SpecImportError:
                continue
            if spec_version(doc) is not None:
                found.append(name)
    return found


def _pick_root(candidates: list[str], root: str | None, where: str) -> str:
    """The root document: the caller's choice, the only candidate, or an error listing them."""
    if root:
        wanted = root.replace("\\", "/").strip("/")
        match = [c for c in candidates if c == wanted or c.endswith("/" + wanted)]
        if len(match) == 1:
            return match[0]
        listing = ", ".join(candidates) or "none"
        raise SpecImportError(f"{where}: no descriptor {root!r} (descriptors found: {listing})")
    if not candidates:
        raise SpecImportError(f"{where}: holds no OpenAPI or Swagger descriptor (no JSON/YAML file with "
                              "`openapi` or `swagger` at the top)")
    if len(candidates) > 1:
        raise SpecImportError(f"{where}: holds several descriptors, choose one with --root: {', '.join(candidates)}",
                              detail="\n".join(candidates))
    return candidates[0]


def list_roots(source: str | Path) -> list[str]:
    """The descriptor roots in a ZIP or folder (for the dialog's choice), relative names."""
    path = Path(source)
    if path.is_dir():
        store = open_folder(path, root=None, pick=False)
        return store.extra_roots
    if _is_zip_path(path):
        return open_zip(path.read_bytes(), str(path), root=None, pick=False).extra_roots
    return []


class _RootedStore(DocumentStore):
    extra_roots: list[str]


def open_folder(folder: Path, root: str | None = None, pick: bool = True) -> _RootedStore:
    """A folder holding a descriptor (and the files its `$ref`s point at).

    The walk does not follow symlinked folders (a `loop -> .` would never end) and lists only
    regular files; `$ref`s are read through the same containment as a single file's.
    """
    base = folder.resolve()
    files: dict[str, Callable[[], bytes]] = {}
    count = 0
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            count += 1
            if count > FOLDER_MAX_FILES:
                raise SpecImportError(f"{folder}: more than {FOLDER_MAX_FILES} files; "
                                      "choose the descriptor's own folder")
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_size <= FOLDER_MAX_FILE_BYTES:
                files[path.relative_to(base).as_posix()] = lambda: b""
    store = _RootedStore("", _contained_reader(base), str(folder))
    candidates = _candidates(files, lambda rel: store.document(_file_uri(base / rel)))
    store.extra_roots = candidates
    if pick:
        chosen = _pick_root(candidates, root, str(folder))
        store.root_uri = _file_uri(base / chosen)
    return store


def open_file(path: Path) -> DocumentStore:
    """One descriptor file; its `$ref`s may read files in its folder and below, nothing else."""
    resolved = path.resolve()
    return DocumentStore(resolved.as_uri(), _contained_reader(resolved.parent), str(path))


# --------------------------------------------------------------------------- ZIP


def _is_zip_path(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _check_entry(info: zipfile.ZipInfo, where: str) -> None:
    name = info.filename
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise SpecImportError(f"{where}: unsafe ZIP entry {name!r} (absolute path)")
    parts = re.split(r"[\\/]", name)
    if ".." in parts:
        raise SpecImportError(f"{where}: unsafe ZIP entry {name!r} (`..` leaves the archive)")
    if info.flag_bits & 0x1 and not info.is_dir():  # APPNOTE 4.4.4 bit 0: the entry is encrypted
        raise SpecImportError(f"{where}: ZIP entry {name!r} is encrypted (password-protected ZIP); unzip it first")
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        raise SpecImportError(f"{where}: unsafe ZIP entry {name!r} (symbolic link)")
    if info.file_size > ZIP_RATIO_FLOOR and info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
        raise SpecImportError(f"{where}: ZIP entry {name!r} expands {info.file_size // info.compress_size}× "
                              f"(limit {ZIP_MAX_RATIO}×): refused as a possible ZIP bomb")


def open_zip(data: bytes, where: str, root: str | None = None, pick: bool = True) -> _RootedStore:
    """A ZIP upload read in memory; entries are checked before any is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise SpecImportError(f"{where}: not a readable ZIP file ({exc})") from exc
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise SpecImportError(f"{where}: ZIP has {len(infos)} entries (limit {ZIP_MAX_ENTRIES})")
    total = 0
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_entry(info, where)
        total += info.file_size
        if total > ZIP_MAX_TOTAL:
            raise SpecImportError(f"{where}: ZIP expands to more than {ZIP_MAX_TOTAL // (1024 * 1024)} MB: "
                                  "refused as a possible ZIP bomb")
        if not info.is_dir() and not posixpath.basename(info.filename).startswith(".") \
                and not info.filename.startswith("__MACOSX/"):
            entries[posixpath.normpath(info.filename.replace("\\", "/"))] = info
    budget = [ZIP_MAX_TOTAL]

    def read_entry(name: str) -> bytes:
        info = entries.get(name)
        if info is None:
            raise SpecImportError(f"{where}: $ref to {name!r}, which is not in the ZIP")
        limit = min(budget[0], max(info.file_size, 0) + 1)
        try:
            with archive.open(info) as fh:
                chunk = fh.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            # RuntimeError: an encrypted entry ("password required")
            raise SpecImportError(f"{where}: ZIP entry {name!r} cannot be read ({exc})") from exc
        if len(chunk) > info.file_size or len(chunk) > budget[0]:
            raise SpecImportError(f"{where}: ZIP entry {name!r} is larger than it declares: "
                                  "refused as a possible ZIP bomb")
        budget[0] -= len(chunk)
        return chunk

    def reader(uri: str) -> bytes:
        if not uri.startswith("zip:///"):
            raise SpecImportError(f"$ref to {uri} leaves the ZIP (only entries inside it are read)")
        return read_entry(uri[len("zip:///"):])

    store = _RootedStore("", reader, where)
    candidates = _candidates({n: (lambda: b"") for n in entries}, lambda n: store.document(f"zip:///{n}"))
    store.extra_roots = candidates
    if pick:
        store.root_uri = "zip:///" + _pick_root(candidates, root, where)
    return store


# --------------------------------------------------------------------------- URLs


def _auth_headers_and_params(auth: Auth | None) -> tuple[dict[str, str], dict[str, str]]:
    """Headers/query for fetching a descriptor behind basic, bearer or API-key auth."""
    from workbench.core.auth.schemes import basic_header

    if auth is None or auth.type in ("none", "inherit"):
        return {}, {}
    if auth.type == "basic":
        return {"Authorization": basic_header(auth.get("username"), auth.get("password"))}, {}
    if auth.type == "bearer":
        return {"Authorization": f"{auth.get('prefix', 'Bearer')} {auth.get('token')}".strip()}, {}
    if auth.type == "apikey":
        name, value, where = auth.get("name") or "Authorization", auth.get("value"), auth.get("in", "header")
        if where == "query":
            return {}, {name: value}
        if where == "cookie":
            return {"Cookie": f"{name}={value}"}, {}
        return {name: value}, {}
    raise SpecImportError(f"fetching a descriptor with {auth.type} auth is not supported: "
                          "get a token first and use bearer auth")


def fetch_url(url: str, auth: Auth | None = None, timeout: float = 30.0,
              extra_headers: Mapping[str, str] | None = None) -> bytes:
    """GET a descriptor (or a ZIP of one) over HTTP(S) with the user's auth and headers; size capped."""
    import httpx

    headers, params = _auth_headers_and_params(auth)
    for name, value in (extra_headers or {}).items():
        headers.setdefault(name, value)
    headers.setdefault("Accept", "application/json, application/yaml, application/zip;q=0.9, */*;q=0.5")
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, trust_env=False) as client:
            with client.stream("GET", url, headers=headers, params=params or None) as response:
                if response.status_code >= 400:
                    raise SpecImportError(f"{url}: the server answered {response.status_code} "
                                          f"{response.reason_phrase}" +
                                          (" (check the auth)" if response.status_code in (401, 403) else "")
                                          ) from HttpStatus(response.status_code)
                buffer = bytearray()
                for chunk in response.iter_bytes():
                    buffer += chunk
                    if len(buffer) > URL_MAX_BYTES:
                        raise SpecImportError(f"{url}: larger than {URL_MAX_BYTES // (1024 * 1024)} MB")
                return bytes(buffer)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise SpecImportError(f"{url}: not a valid URL ({exc})") from exc
    except httpx.HTTPError as exc:
        from workbench.core.sending.transport import describe_transport_error

        raise SpecImportError(describe_transport_error(exc, url), detail=repr(exc)) from exc


def open_source(source: str | Path, auth: Auth | None = None, root: str | None = None,
                headers: Mapping[str, str] | None = None) -> DocumentStore:
    """A store for `source`: a URL, a ZIP, a folder or a single JSON/YAML file.

    `headers` go with every download of a URL source (a collection's `x-client-id`, say).
    """
    text = str(source)
    if re.match(r"^https?://", text, re.I):
        try:
            host = urlsplit(text).netloc
        except ValueError as exc:
            raise SpecImportError(f"{text}: not a valid URL ({exc})") from exc
        data = fetch_url(text, auth, extra_headers=headers)
        if data[:4] == b"PK\x03\x04":
            return open_zip(data, text, root)
        cache: dict[str, Any] = {}
        budget = [BUNDLE_MAX_BYTES - len(data)]

        def reader(uri: str) -> bytes:
            if uri == urldefrag(text)[0]:
                return data
            try:
                same_host = urlsplit(uri).netloc == host and uri.lower().startswith(("http://", "https://"))
            except ValueError:
                same_host = False
            if not same_host:
                raise SpecImportError(f"$ref to {uri} points to another host than the descriptor; refused")
            fetched = fetch_url(uri, auth, extra_headers=headers)
            budget[0] -= len(fetched)
            if budget[0] < 0:
                raise SpecImportError(f"the descriptor's documents together exceed "
                                      f"{BUNDLE_MAX_BYTES // (1024 * 1024)} MB; refused")
            return fetched

        return DocumentStore(urldefrag(text)[0], reader, text, cache)
    if "\x00" in text:
        raise SpecImportError(f"{text!r}: the path holds a NUL character")
    path = Path(text)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise SpecImportError(f"{path}: no such file or folder") from None
    except OSError as exc:
        raise SpecImportError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(mode):
        return open_folder(path, root)
    if not stat.S_ISREG(mode):
        raise SpecImportError(f"{path}: is a device, FIFO or socket, not a descriptor file; refused")
    if _is_zip_path(path):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SpecImportError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        return open_zip(data, str(path), root)
    return open_file(path)
