"""Which format a file to import holds, and the one entry point that imports any of them.

Formats are tried in a fixed order: a curl command (text), a Postman collection or
environment, an Insomnia export, an OpenAPI/Swagger descriptor, an OData `$metadata`
document. A file that is none of these gets one sentence naming what is accepted, never a
parse error from a parser that had no business reading it ("invalid YAML" about a curl line).

`import_file(path, workspace_root)` is what the CLI and the import dialog call; it is
synchronous and Qt-free (the UI runs it through `workers.in_worker`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from workbench.core.errors import SpecImportError
from workbench.core.interchange import curl, insomnia, postman
from workbench.core.interchange.result import Imported
from workbench.core.interchange.writer import write_import
from workbench.core.openapi.results import ImportSummary

FileFormat = Literal["curl", "postman", "postman-environment", "insomnia", "openapi", "csdl"]
MAX_FILE_BYTES = 64 * 1024 * 1024
ACCEPTED = ("a curl command, a Postman collection (v2.0/v2.1) or environment, an Insomnia export (v4), "
            "an OpenAPI/Swagger descriptor or an OData $metadata document")
_OPENAPI_HEAD = re.compile(r'^\s*["\']?(openapi|swagger)["\']?\s*:', re.M)
_INSOMNIA_HEAD = re.compile(r'^\s*["\']?_type["\']?\s*:\s*["\']?export', re.M)


def _unsupported(path: Path, what: str = "") -> SpecImportError:
    return SpecImportError(f"{path.name}: {what or 'not a format workbench can import'} (accepted: {ACCEPTED})")


def _read(path: Path) -> bytes:
    try:
        import stat as _stat

        info = path.stat()
        if not _stat.S_ISREG(info.st_mode):
            # A FIFO or device would block or never end: only regular files are read.
            raise SpecImportError(f"{path.name}: not a regular file (a pipe, socket or device); refused")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise SpecImportError(f"{path.name}: too big to import ({size // (1024 * 1024)} MB; "
                                  f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise SpecImportError(f"{path}: file not found") from exc
    except OSError as exc:
        raise SpecImportError(f"{path}: cannot read ({exc.strerror})") from exc


def _classify(doc: Any) -> FileFormat | None:
    if postman.is_collection(doc):
        return "postman"
    if postman.is_environment(doc):
        return "postman-environment"
    if insomnia.is_export(doc):
        return "insomnia"
    if isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc):
        return "openapi"
    if isinstance(doc, dict) and "$Version" in doc:
        return "csdl"
    return None


def _parse(path: Path) -> tuple[FileFormat, Any]:
    """(format, parsed document or text); SpecImportError when no importer fits."""
    if path.is_dir():
        return "openapi", None  # a folder of descriptor files
    data = _read(path)
    if data.startswith(b"PK\x03\x04"):
        return "openapi", None  # a ZIP of descriptor files
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = "\x00"
    if "\x00" in text:
        # UTF-16 or UTF-32 (a BOM-less UTF-16 file decodes as UTF-8 full of NULs): only a
        # `$metadata` document is read in those, as `workbench metadata` reads it.
        if _looks_like_csdl(path):
            return "csdl", None
        raise _unsupported(path, "not a text file")
    if curl.looks_like_curl(text):
        return "curl", text
    head = text.lstrip()
    if head.startswith(("{", "[")):
        if _is_openapi_json(data):
            return "openapi", None  # its importer reads the file again with its own reader
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:
            if _OPENAPI_HEAD.search(text[:4096]) or '"$Version"' in text[:4096]:
                return ("openapi" if _OPENAPI_HEAD.search(text[:4096]) else "csdl"), None  # its reader names the error
            line = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise SpecImportError(f"{path.name}: invalid JSON{line}: {getattr(exc, 'msg', exc)}") from exc
        fmt = _classify(doc)
        if fmt is None:
            raise _unsupported(path, "a JSON document of no format workbench can import")
        return fmt, doc
    if head.startswith("<"):
        if _looks_like_csdl(path):
            return "csdl", None
        raise _unsupported(path, "an XML document that is not an OData $metadata (EDMX) document")
    if _OPENAPI_HEAD.search(text):
        return "openapi", None
    if _INSOMNIA_HEAD.search(text[:4096]):
        return "insomnia", _yaml(path, text)
    raise _unsupported(path)


def _looks_like_csdl(path: Path) -> bool:
    """`csdl.to_collection.looks_like_csdl`, imported only for a file that may be one: the CSDL
    chain (model, reader, requests) costs an OpenAPI import ~25 ms of start-up it never uses."""
    from workbench.core.csdl.to_collection import looks_like_csdl

    return looks_like_csdl(str(path))


def _is_openapi_json(data: bytes) -> bool:
    """A JSON OpenAPI/Swagger descriptor, told with orjson (Stripe's 6 MB in a third of `json`'s time).

    Only a yes counts: anything orjson refuses (NaN, lone surrogates, huge integers, bad
    syntax) or reads as another format goes on to `json.loads`, which decides and words the
    errors as before; the OpenAPI importer reads the file itself, so this parse is not kept.
    """
    import orjson

    try:
        doc = orjson.loads(data)
    except (orjson.JSONDecodeError, RecursionError):
        return False
    return _classify(doc) == "openapi"


def _yaml(path: Path, text: str) -> Any:
    """A YAML file already known to be one (an Insomnia YAML export), parsed safely."""
    import yaml

    from workbench.core import safe_yaml
    from workbench.core.workspace.storage import describe_yaml_error

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return safe_yaml.load(text, loader)
    except yaml.YAMLError as exc:
        raise SpecImportError(f"{path.name}: invalid YAML{describe_yaml_error(exc)}") from exc
    except safe_yaml.YamlTooLarge as exc:
        raise SpecImportError(f"{path.name}: {exc}") from exc


def detect_format(path: str | Path) -> FileFormat:
    """The format of the file (or folder/ZIP: OpenAPI) at `path`; SpecImportError naming what is accepted."""
    return _parse(Path(path))[0]


def read_file(path: str | Path) -> Imported:
    """A curl, Postman or Insomnia file converted (nothing written); SpecImportError for other formats."""
    p = Path(path)
    fmt, content = _parse(p)
    return _convert(p, fmt, content)


def _convert(p: Path, fmt: FileFormat, content: Any) -> Imported:
    if fmt == "curl":
        return curl.import_curl(content)
    if fmt == "postman":
        return postman.import_collection(content, p.name)
    if fmt == "postman-environment":
        return postman.import_environment(content)
    if fmt == "insomnia":
        if not insomnia.is_export(content):
            raise _unsupported(p, "an Insomnia file without `resources`")
        return insomnia.import_export(content, p.name)
    raise SpecImportError(f"{p.name}: an {'OpenAPI descriptor' if fmt == 'openapi' else 'OData $metadata document'}"
                          " is imported with import_file")


def import_file(path: str | Path, workspace_root: str | Path, *, target_collection: str = "", name: str = "",
                group_by: Literal["tag", "path"] = "tag", root: str | None = None,
                service_root: str = "") -> ImportSummary:
    """Import the file at `path`, whatever its format, into a workspace (created when absent).

    - curl: the requests join `target_collection` (default "Imported from curl"), created when absent.
    - Postman collection, Insomnia export: a new collection (named `name` when given) with its environments.
    - Postman environment: into `target_collection`'s own environments, else the shared ones.
    - OpenAPI/Swagger (file, folder, ZIP): `openapi.importer.import_into_workspace` (`group_by`, `root`).
    - OData `$metadata`: `csdl.to_collection.import_metadata_into_workspace` (`service_root`, `name`).
    """
    p = Path(path)
    fmt, content = _parse(p)
    if fmt == "openapi":
        from workbench.core.openapi.importer import import_into_workspace

        return import_into_workspace(p, workspace_root, group_by=group_by, root=root)
    if fmt == "csdl":
        from workbench.core.csdl.to_collection import import_metadata_into_workspace

        return import_metadata_into_workspace(str(p), workspace_root, service_root=service_root, name=name)
    return write_import(_convert(p, fmt, content), workspace_root, target_collection=target_collection, name=name)
