"""The workspace on disk: a folder of plain YAML files a user keeps in git.

Layout (each request one file, so a change to one request is a one-file diff):

    workspace/
      workspace.yaml                 name, settings, active environment
      environments/<name>.yaml       variables of one environment
      <collection>/collection.yaml   name, variables, auth, headers, docs
      <collection>/<folder>/folder.yaml   (optional) auth, headers, docs of a folder
      <collection>/<folder>/<request>.yaml
      .workbench/                    history and local state (ignored by git)

Files are written atomically (temp file in the same folder + `os.replace`) so a crash never
half-writes one, keys are written in a fixed order with defaults left out (small diffs), and a
file that fails to parse is reported in `Workspace.problems` and never overwritten.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from stat import S_ISDIR, S_ISLNK, S_ISREG
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from workbench.core import safe_yaml
from workbench.core.checks import codec as checks_yaml
from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    Environment,
    Folder,
    FormPart,
    KeyValue,
    Request,
    Settings,
    SettingsOverrides,
    Workspace,
)
from workbench.core.errors import StorageError
from workbench.core.workspace import secrets
from workbench.core.workspace import settings as settings_yaml

if TYPE_CHECKING:
    import yaml

COLLECTION_FILE = "collection.yaml"
FOLDER_FILE = "folder.yaml"
WORKSPACE_FILE = "workspace.yaml"
ENV_DIR = "environments"
STATE_DIR = ".workbench"
WORKSPACE_MAX_ALIAS_NODES = 100_000  # a hand-written request or environment file needs far fewer
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _str_representer(dumper: Any, data: str) -> Any:
    """Multi-line strings as `|` blocks so a JSON body diffs line by line."""
    style = "|" if "\n" in data and not any(c in data for c in "\t\r") and data == data.rstrip(" ") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


@functools.cache
def _yaml_codec() -> tuple[Any, Any, Any]:
    """(yaml module, loader, dumper), imported on first use: start-up paints before it is needed.

    libyaml's C loader/dumper are ~10x faster; the pure-Python ones serve when it is absent.
    """
    import yaml

    try:
        from yaml import CSafeDumper as Dumper
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeDumper as Dumper  # type: ignore[assignment]
        from yaml import SafeLoader as Loader  # type: ignore[assignment]

    class BlockDumper(Dumper):
        pass

    BlockDumper.add_representer(str, _str_representer)
    return yaml, Loader, BlockDumper


class _NotPlain(Exception):
    """A value the YAML short cut leaves to PyYAML's representer."""


@functools.cache
def _plain_emitter() -> Callable[[Any], str]:
    """`emit(data) -> str`: the YAML of plain data as PyYAML's dumper writes it, at twice the speed.

    PyYAML's representer and serializer spent more time on an import of 1,100 requests than the
    conversion: per value a node, an alias check, and four calls from the C emitter back into
    Python to ask which tag a scalar would read back as. Our files hold only dicts, lists,
    strings, bools, ints and None, none of them twice (no anchors), so the events the serializer
    would send are made directly, with the "would a plain scalar read back as a string?" answer
    cached per value, and handed to the same C emitter: the same events, hence the same text
    (tests/core/workspace/test_storage_batch.py compares). Anything else raises `_NotPlain`.
    """
    import yaml
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
    from yaml.nodes import ScalarNode

    _, _, dumper = _yaml_codec()
    resolver: Any = yaml.resolver.Resolver()
    str_tag, map_tag, seq_tag = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
    plain_is_str: dict[str, bool] = {}

    def plain_ok(value: str) -> bool:
        known = plain_is_str.get(value)
        if known is None:
            known = resolver.resolve(ScalarNode, value, (True, False)) == str_tag  # not `true`, `1`, `null`, …
            if len(value) < 200 and len(plain_is_str) < 100_000:
                plain_is_str[value] = known
        return known

    def events(data: Any, out: list[Any], seen: set[int]) -> None:
        kind = type(data)
        if kind is str:
            style = "|" if "\n" in data and not any(c in data for c in "\t\r") and data == data.rstrip(" ") else None
            out.append(ScalarEvent(None, str_tag, (plain_ok(data), True), data, style=style))
        elif kind is dict or kind is list:
            if id(data) in seen:
                raise _NotPlain  # the representer writes an anchor and an alias
            seen.add(id(data))
            if kind is dict:
                out.append(MappingStartEvent(None, map_tag, True, flow_style=False))
                for key, value in data.items():
                    events(key, out, seen)
                    events(value, out, seen)
                out.append(MappingEndEvent())
            else:
                out.append(SequenceStartEvent(None, seq_tag, True, flow_style=False))
                for value in data:
                    events(value, out, seen)
                out.append(SequenceEndEvent())
        elif kind is bool:
            out.append(ScalarEvent(None, "tag:yaml.org,2002:bool", (True, False), "true" if data else "false"))
        elif kind is int:
            text = str(data)
            tag = "tag:yaml.org,2002:int"
            out.append(ScalarEvent(None, tag, (resolver.resolve(ScalarNode, text, (True, False)) == tag, False), text))
        elif data is None:
            out.append(ScalarEvent(None, "tag:yaml.org,2002:null", (True, False), "null"))
        else:
            raise _NotPlain

    styles: dict[str, int] = {}  # `_scalar_style` of short strings (names, keys, media types)

    def emit(data: Any) -> str:
        try:
            return _block_text(data, plain_ok, styles)
        except _NotPlain:
            pass  # a scalar whose text needs libyaml's care (folding, escapes): its events, below
        out: list[Any] = [StreamStartEvent(), DocumentStartEvent(explicit=False)]
        events(data, out, set())
        out += [DocumentEndEvent(explicit=False), StreamEndEvent()]
        return str(yaml.emit(out, Dumper=dumper, allow_unicode=True, width=120))

    return emit


@functools.cache
def _easy_non_ascii() -> re.Pattern[str]:
    """Characters libyaml writes as they are in any style (printable, not a tab, not a line break
    but `\\n`, not a BOM, nothing past U+FFFF); anything else may need escapes or quoting rules.
    Compiled on first need (~4 ms: its ranges span the whole plane); ASCII text never needs it."""
    return re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def _easy_text(text: str) -> bool:
    if text.isascii():
        return text.isprintable() or text.replace("\n", "").isprintable()
    return _easy_non_ascii().fullmatch(text) is not None


_LINE_WIDTH = 120  # dump_yaml's `width`: no scalar written here reaches it (libyaml would fold it)
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`")
_PLAIN, _SINGLE, _LITERAL = 0, 1, 2


def _scalar_style(text: str, plain_ok: Callable[[str], bool]) -> int:
    """How libyaml's emitter writes `text` in block context (its scalar analysis and style choice,
    for the characters of `_EASY_TEXT`), or `_NotPlain` for what this short cut does not write."""
    if not _easy_text(text):
        raise _NotPlain
    if not text:
        return _SINGLE
    space_break, break_space = " \n" in text, "\n " in text
    if "\n" in text:
        # dump_yaml's representer asks for `|` exactly when there is no tab, CR or trailing space.
        if space_break or text[0] in " \n" or text.endswith("\n\n") or text.endswith(" "):
            raise _NotPlain  # double-quoted, an indentation hint, or `|+`: left to libyaml
        return _LITERAL
    indicators = text.startswith(("---", "...")) or text[0] in _FIRST_INDICATORS or (
        text[0] in "?:-" and (len(text) == 1 or text[1] == " ")) or ": " in text or " #" in text \
        or text.endswith(":")
    if not indicators and text[0] != " " and text[-1] != " " and not break_space and plain_ok(text):
        return _PLAIN
    return _SINGLE


def _folded(text: str, column: int, indent: int, quote: int) -> str:
    """A one-line plain (`quote` 0) or single-quoted (`quote` 1, `text` quoted) scalar as libyaml
    folds it: a lone space, not the scalar's first or last character, met past the line width
    becomes a line break and the scalar's indentation."""
    out: list[str] = []
    start = 0  # of the current output line's text
    base = column  # the column `text[start]` is written at
    end = len(text) - quote
    i = text.find(" ", max(quote + 1, start + _LINE_WIDTH - base + 1))  # the first space past the width
    while 0 <= i < end:
        if text[i - 1] != " " and text[i + 1] != " " and i != end - 1:
            out.append(text[start:i])
            start, base = i + 1, indent
            i = text.find(" ", start + _LINE_WIDTH - base + 1)
        else:
            i = text.find(" ", i + 1)
    out.append(text[start:])
    return ("\n" + " " * indent).join(out)


def _block_text(data: Any, plain_ok: Callable[[str], bool], styles: dict[str, int]) -> str:
    """The YAML libyaml's emitter writes for `data` (block style, indent 2, width 120, unicode),
    written directly: building ~50 event objects per request and handing them to the C emitter
    cost more than the text. Covers a mapping of plain data whose every scalar is plain or
    single-quoted on one line (folded at the width as libyaml folds), or a clipped/stripped `|`
    block. Anything else (an escape, a multi-line quoted scalar, `|+`, a long key, a shared
    object, a float) raises `_NotPlain` and goes through libyaml. tests/core/workspace/
    test_storage_text.py compares the two on fuzzed documents; every shared descriptor's import
    was compared byte for byte.
    """
    if type(data) is not dict or not data:
        raise _NotPlain
    parts: list[str] = []
    seen: set[int] = set()

    def style_of(text: str) -> int:
        style = styles.get(text)
        if style is None:
            style = _scalar_style(text, plain_ok)
            if len(text) < 200 and len(styles) < 100_000:
                styles[text] = style
        return style

    def scalar(value: Any, column: int, indent: int) -> str:
        kind = type(value)
        if kind is str:
            style = style_of(value)
            if style == _PLAIN:
                return value if column + len(value) <= _LINE_WIDTH else _folded(value, column, indent + 2, 0)
            if style == _SINGLE:
                quoted = "'" + value.replace("'", "''") + "'"
                return quoted if column + len(quoted) <= _LINE_WIDTH else _folded(quoted, column, indent + 2, 1)
            pad = " " * (indent + 2)
            body = value[:-1] if value.endswith("\n") else value
            lines = "\n".join(pad + line if line else "" for line in body.split("\n"))
            return ("|\n" if value.endswith("\n") else "|-\n") + lines
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if value is None:
            return "null"
        raise _NotPlain

    def key_text(key: Any) -> str:
        if type(key) is not str or len(key) > 32:
            raise _NotPlain  # a longer key may pass libyaml's 128-byte limit of a simple key
        style = style_of(key)
        if style == _PLAIN:
            return key
        if style == _SINGLE:
            return "'" + key.replace("'", "''") + "'"
        raise _NotPlain

    def mapping(value: dict[Any, Any], indent: int, first_inline: bool) -> None:
        pad = " " * indent
        first = True
        for key, item in value.items():
            label = key_text(key)
            if not (first and first_inline):
                parts.append(pad)
            first = False
            node(item, label, indent, indent + len(label) + 2)

    def node(item: Any, label: str, indent: int, column: int) -> None:
        """`label:` then `item`, as the value of a mapping at `indent`."""
        kind = type(item)
        if kind is dict or kind is list:
            if id(item) in seen:
                raise _NotPlain  # libyaml writes an anchor and an alias (an empty one too)
            seen.add(id(item))
        if (kind is dict or kind is list) and item:
            parts.append(label + ":\n")
            if kind is dict:
                mapping(item, indent + 2, False)
            else:
                sequence(item, indent)
            return
        parts.append(label + ": " + flow_or_scalar(item, column, indent) + "\n")

    def flow_or_scalar(item: Any, column: int, indent: int) -> str:
        if type(item) is dict:
            return "{}"
        if type(item) is list:
            return "[]"
        return scalar(item, column, indent)

    def sequence(value: list[Any], indent: int) -> None:
        pad = " " * indent
        for item in value:
            kind = type(item)
            if kind is dict or kind is list:
                if id(item) in seen:
                    raise _NotPlain
                seen.add(id(item))
            if (kind is dict or kind is list) and item:
                if kind is dict:
                    parts.append(pad + "- ")
                    mapping(item, indent + 2, True)
                else:
                    raise _NotPlain  # a list in a list: not in our files
            else:
                parts.append(pad + "- " + flow_or_scalar(item, indent + 2, indent) + "\n")

    seen.add(id(data))
    mapping(data, 0, False)
    return "".join(parts)


# --------------------------------------------------------------------------- low level


def sanitize_name(name: str, fallback: str = "untitled") -> str:
    """A file name safe on Linux, macOS and Windows, still readable (`Get pet by ID`)."""
    cleaned = _UNSAFE.sub("-", name).strip(" .-")
    cleaned = re.sub(r"\s+", " ", cleaned)[:80].rstrip(" .")
    if not cleaned or cleaned.upper() in _RESERVED:
        cleaned = fallback
    return cleaned


def dump_yaml(data: Any) -> str:
    try:
        return _plain_emitter()(data)
    except _NotPlain:
        pass
    yaml, _, dumper = _yaml_codec()
    return str(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False))


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error becomes a StorageError naming line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise StorageError(f"{path}: file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"{path}: cannot read ({exc})") from exc
    yaml, loader, _ = _yaml_codec()
    try:
        return safe_yaml.load(text, loader, WORKSPACE_MAX_ALIAS_NODES)
    except yaml.YAMLError as exc:
        raise StorageError(f"{path}: invalid YAML{describe_yaml_error(exc)}", detail=str(exc)) from exc
    except safe_yaml.YamlTooLarge as exc:
        raise StorageError(f"{path}: {exc}") from exc


def describe_yaml_error(exc: "yaml.YAMLError") -> str:
    """` at line L, column C: problem` — where a YAML document broke, in a user's words."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{where}: {problem}"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` so that `path` holds either the old or the new content, never a mix.

    Inside `batched_writes()`, a file that does not exist yet joins the batch instead: it
    appears, complete, when the batch ends.
    """
    batch = _BATCH.get()
    if batch is not None and batch.takes(path):
        batch.write(path, text)
        return
    tmp, _ = _temp_beside(path, text, durable=True)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _temp_beside(path: Path, text: str, *, durable: bool) -> tuple[str, int]:
    """`text` in a hidden temp file next to `path`, with `path`'s mode (0644 for a new file).

    Returns the temp file and its filesystem's device. `durable` flushes it to disk first (a
    lone write); a batch flushes all its files at once instead. A temp file left by a crash is
    swept by `remove_stale_temp_files`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
            device = os.fstat(fh.fileno()).st_dev
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp, device


class _Batch:
    """New files of one save: written to temp files, made durable with one flush, then renamed.

    One fsync per file is what an import of 1,100 requests waited on (seconds on a busy disk).
    A file that does not exist yet holds nothing a crash could lose, so, like git's
    `core.fsyncMethod=batch`, the batch writes every temp file, flushes them all at once
    (`syncfs` of their filesystem on Linux; one fsync each elsewhere), and only then renames
    them into place. The guarantee stays: a name appears only with its full content, after a
    kill -9 or a power cut alike; temp files a crash leaves are hidden and swept by
    `remove_stale_temp_files`. A file that replaces an existing one (a user's edit) is never
    batched: it keeps `write_atomic`'s own temp + fsync + rename.
    """

    def __init__(self) -> None:
        self.pending: dict[Path, tuple[str, int]] = {}  # target -> (temp file, st_dev)

    def takes(self, path: Path) -> bool:
        return path in self.pending or not os.path.lexists(path)

    def write(self, path: Path, text: str) -> None:
        if path in self.pending:
            tmp = self.pending[path][0]
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            return
        self.pending[path] = _temp_beside(path, text, durable=False)  # a new file: mode 0644

    def commit(self) -> None:
        _flush([tmp for tmp, _ in self.pending.values()], {dev for _, dev in self.pending.values()})
        while self.pending:
            path, (tmp, _) = next(iter(self.pending.items()))
            os.replace(tmp, path)
            del self.pending[path]

    def abort(self) -> None:
        for tmp, _ in self.pending.values():
            _unlink_quietly(tmp)
        self.pending.clear()


_BATCH: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("workbench_write_batch", default=None)


@contextlib.contextmanager
def batched_writes() -> Iterator[None]:
    """New files written inside appear together at the end, with one flush for all (see `_Batch`).

    Inside, a new file is not on disk yet: only code that never reads back what it just wrote
    belongs in here (`unique_child` knows the pending names). Nested blocks join the outer one;
    an exception discards the batch's files.
    """
    if _BATCH.get() is not None:
        yield
        return
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        try:
            yield
        finally:
            _BATCH.reset(token)
        batch.commit()
    except BaseException:
        batch.abort()
        raise


def _pending(path: Path) -> bool:
    batch = _BATCH.get()
    return batch is not None and path in batch.pending


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _flush(files: list[str], devices: set[int]) -> None:
    """Make `files` durable: one `syncfs` per filesystem on Linux, else one fsync per file.

    Measured on ext4 with 1,130 small files: fsync each 3.7-4.3 s, fdatasync each 4.3-5.3 s,
    `sync()` 0.5 s, `syncfs` 0.3-0.5 s (the whole write included).
    """
    if not files:
        return
    syncfs = _syncfs()
    if syncfs is not None and len(devices) == 1:
        fd = os.open(files[0], os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for name in files:  # other systems, several filesystems, or syncfs failed: flush each
        fd = os.open(name, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's `syncfs(2)` (flush one filesystem, wait for it), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


def write_yaml(path: Path, data: Any) -> None:
    try:
        write_atomic(path, dump_yaml(data))
    except OSError as exc:
        raise StorageError(f"{path}: cannot write ({exc.strerror or exc})") from exc


# --------------------------------------------------------------------------- model <-> YAML


def _rows_to_yaml(rows: tuple[KeyValue, ...]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item: dict[str, Any] = {"name": row.name, "value": row.value}
        if not row.enabled:
            item["enabled"] = False
        if row.description:
            item["description"] = row.description
        out.append(item)
    return out


def _rows_from_yaml(data: Any, where: str) -> tuple[KeyValue, ...]:
    if data is None:
        return ()
    if isinstance(data, Mapping):  # tolerate the short form `headers: {Accept: application/json}`
        return tuple(KeyValue(str(k), "" if v is None else str(v)) for k, v in data.items())
    if not isinstance(data, list):
        raise StorageError(f"{where}: expected a list of name/value rows")
    rows = []
    for item in data:
        if not isinstance(item, Mapping) or "name" not in item:
            raise StorageError(f"{where}: each row needs a `name`")
        value = item.get("value")
        rows.append(KeyValue(str(item["name"]), "" if value is None else str(value),
                             bool(item.get("enabled", True)), str(item.get("description") or "")))
    return tuple(rows)


def _auth_to_yaml(auth: Auth, workspace_root: str, field_id: str) -> dict[str, Any] | None:
    if auth.type == "inherit" and not auth.params:
        return None
    params = secrets.protect_params(workspace_root, field_id, auth.params)
    return {"type": auth.type, **{k: params[k] for k in sorted(params)}}


def _auth_from_yaml(data: Any, default: str, where: str) -> Auth:
    if data is None:
        return Auth(default)  # type: ignore[arg-type]
    if not isinstance(data, Mapping) or "type" not in data:
        raise StorageError(f"{where}: `auth` needs a `type`")
    params = {str(k): "" if v is None else str(v) for k, v in data.items() if k != "type"}
    return Auth(str(data["type"]), secrets.reveal_params(params))  # type: ignore[arg-type]


def _body_to_yaml(body: Body) -> dict[str, Any] | None:
    if body.kind == "none":
        return None
    out: dict[str, Any] = {"kind": body.kind}
    if body.content_type:
        out["content_type"] = body.content_type
    if body.kind == "raw":
        out["text"] = body.text
    elif body.kind == "form":
        out["form"] = _rows_to_yaml(body.form)
    elif body.kind == "multipart":
        parts = []
        for p in body.parts:
            item: dict[str, Any] = {"name": p.name}
            if p.file:
                item["file"] = p.file
            else:
                item["value"] = p.value
            if p.content_type:
                item["content_type"] = p.content_type
            if not p.enabled:
                item["enabled"] = False
            parts.append(item)
        out["parts"] = parts
    elif body.kind == "binary":
        out["file"] = body.file
    return out


def _body_from_yaml(data: Any, where: str) -> Body:
    if data is None:
        return Body()
    if isinstance(data, str):
        return Body("raw", text=data)
    if not isinstance(data, Mapping):
        raise StorageError(f"{where}: `body` must be a mapping")
    kind = str(data.get("kind", "raw"))
    if kind not in ("none", "raw", "form", "multipart", "binary"):
        raise StorageError(f"{where}: unknown body kind {kind!r}")
    raw_parts = data.get("parts") or []
    if not isinstance(raw_parts, list):
        raise StorageError(f"{where}: `body.parts` must be a list")
    parts = tuple(
        FormPart(str(p.get("name", "")), str(p.get("value") or ""), str(p.get("file") or ""),
                 str(p.get("content_type") or ""), bool(p.get("enabled", True)))
        for p in raw_parts if isinstance(p, Mapping)
    )
    return Body(kind, str(data.get("content_type") or ""), str(data.get("text") or ""),  # type: ignore[arg-type]
                _rows_from_yaml(data.get("form"), where), parts, str(data.get("file") or ""))


def rows_from_yaml(data: Any, where: str) -> tuple[KeyValue, ...]:
    """A params/headers/variables list as written in YAML (for other readers of our format: templates)."""
    return _rows_from_yaml(data, where)


def auth_from_yaml(data: Any, default: str, where: str) -> Auth:
    """An `auth:` mapping as written in YAML (secret references revealed)."""
    return _auth_from_yaml(data, default, where)


def request_to_yaml(request: Request, workspace_root: str = "", field_id: str = "") -> dict[str, Any]:
    """The YAML mapping for one request, keys in a fixed order, defaults left out."""
    out: dict[str, Any] = {"name": request.name, "method": request.method, "url": request.url}
    if request.path_variables:
        out["path_variables"] = _rows_to_yaml(request.path_variables)
    if request.params:
        out["params"] = _rows_to_yaml(request.params)
    if request.headers:
        out["headers"] = _rows_to_yaml(request.headers)
    if (body := _body_to_yaml(request.body)) is not None:
        out["body"] = body
    if (auth := _auth_to_yaml(request.auth, workspace_root, field_id or request.path)) is not None:
        out["auth"] = auth
    if request.docs:
        out["docs"] = request.docs
    if request.meta:
        out["meta"] = {k: request.meta[k] for k in sorted(request.meta)}
    if (overrides := settings_yaml.overrides_to_yaml(request.settings)) is not None:
        out["settings"] = overrides
    if request.checks:
        out["checks"] = checks_yaml.checks_to_yaml(request.checks)
    if request.save:
        out["save"] = checks_yaml.save_to_yaml(request.save)
    return out


_REQUEST_KEYS = ("method", "url")
_DESCRIPTOR_KEYS = {"openapi": "an OpenAPI descriptor", "swagger": "a Swagger descriptor",
                    "asyncapi": "an AsyncAPI descriptor", "$schema": "a JSON Schema"}


def not_a_request(data: Any) -> str:
    """Why a YAML file in a collection folder is not a request ("" when it is one).

    Users keep other files next to their requests (the spec they imported from, notes); those
    must neither show up as "GET petstore-v3.0" nor be sent by `run`.
    """
    if not isinstance(data, Mapping):
        return "not a request (a request file is a mapping with name, method and url)"
    for key, what in _DESCRIPTOR_KEYS.items():
        if key in data:
            return f"not a request: it looks like {what}"
    if not any(k in data for k in _REQUEST_KEYS):
        return "not a request (it has neither `method` nor `url`)"
    return ""


def request_from_yaml(data: Any, path: str = "", where: str = "") -> Request:
    where = where or path or "request"
    if not isinstance(data, Mapping):
        raise StorageError(f"{where}: a request file must be a mapping with name, method and url")
    method = str(data.get("method", "GET")).upper()
    if not re.fullmatch(r"[A-Z][A-Z0-9_-]*", method):
        raise StorageError(f"{where}: invalid HTTP method {method!r}")
    url = data.get("url", "")
    if not isinstance(url, str):
        raise StorageError(f"{where}: `url` must be a string")
    meta = data.get("meta") or {}
    return Request(
        name=str(data.get("name") or Path(path).stem or "request"),
        method=method,
        url=url,
        params=_rows_from_yaml(data.get("params"), where),
        headers=_rows_from_yaml(data.get("headers"), where),
        body=_body_from_yaml(data.get("body"), where),
        auth=_auth_from_yaml(data.get("auth"), "inherit", where),
        docs=str(data.get("docs") or ""),
        meta={str(k): str(v) for k, v in meta.items()} if isinstance(meta, Mapping) else {},
        path=path,
        settings=settings_yaml.overrides_from_yaml(data.get("settings"), where),
        checks=checks_yaml.checks_from_yaml(data.get("checks"), where),
        save=checks_yaml.save_from_yaml(data.get("save"), where),
        path_variables=_rows_from_yaml(data.get("path_variables"), where),
    )


def _env_secret_id(env: Environment) -> str:
    """Where an environment's secrets are filed: shared ones by name, a collection's under its folder."""
    owner = env.path.rsplit(f"/{ENV_DIR}/", 1)[0] if f"/{ENV_DIR}/" in env.path else ""
    return f"env/{owner}/{env.name}" if owner else f"env/{env.name}"


def environment_to_yaml(env: Environment, workspace_root: str) -> dict[str, Any]:
    rows = []
    secret_id = _env_secret_id(env)
    for var in env.variables:
        value = var.value
        if var.name in env.secret_names:
            value = secrets.protect(workspace_root, f"{secret_id}#{var.name}", value)
        item: dict[str, Any] = {"name": var.name, "value": value}
        if var.name in env.secret_names:
            item["secret"] = True
        if not var.enabled:
            item["enabled"] = False
        if var.description:
            item["description"] = var.description
        rows.append(item)
    return {"name": env.name, "variables": rows}


def _clear_secrets(data: Any, env: Environment) -> list[str]:
    """Names of variables marked `secret: true` whose value in the file is clear text."""
    raw = data.get("variables") if isinstance(data, Mapping) else None
    if not isinstance(raw, list):
        return []
    return [str(item["name"]) for item in raw
            if isinstance(item, Mapping) and item.get("secret") and str(item.get("name")) in env.secret_names
            and isinstance(item.get("value"), str) and item["value"]
            and not secrets.is_reference(item["value"]) and not secrets.is_template(item["value"])]


def environment_from_yaml(data: Any, path: str) -> Environment:
    if not isinstance(data, Mapping):
        raise StorageError(f"{path}: an environment file must be a mapping")
    raw = data.get("variables") or []
    if isinstance(raw, Mapping):
        raw = [{"name": k, "value": v} for k, v in raw.items()]
    rows = _rows_from_yaml(raw, path)
    secret_names = frozenset(str(item["name"]) for item in raw if isinstance(item, Mapping) and item.get("secret"))
    rows = tuple(replace(r, value=secrets.reveal(r.value)) if r.name in secret_names else r for r in rows)
    return Environment(str(data.get("name") or Path(path).stem), rows, secret_names, path)


# --------------------------------------------------------------------------- loading


PARSE_CACHE_FILE = "parse-cache.json"
_PARSE_CACHE_VERSION = 1


class _ParseCache:
    """The parsed content of unchanged files, kept in `.workbench/` between starts.

    Start-up is a feature: with every file unchanged (same size and modification time in ns)
    a workspace loads without importing or running the YAML parser. Cached data is what
    `read_yaml` returned, passed through JSON, which keeps every value the loaders read (they
    convert scalars with `str()` anyway). Broken files are never cached, so they are reported
    on every load.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / STATE_DIR / PARSE_CACHE_FILE
        self.entries: dict[str, Any] = {}
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            entries = stored.get("entries") if isinstance(stored, dict) else None
            if stored.get("version") == _PARSE_CACHE_VERSION and isinstance(entries, dict):
                self.entries = entries
        except (OSError, ValueError, AttributeError, RecursionError):
            pass  # a corrupt cache is only a slower start: every file is parsed again
        self.used: dict[str, Any] = {}
        self.changed = False

    def read(self, path: Path) -> Any:
        try:
            stat = path.stat()
            key = path.relative_to(self.root).as_posix()
        except (OSError, ValueError):
            return read_yaml(path)
        stamp = [stat.st_mtime_ns, stat.st_size]
        hit = self.entries.get(key)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == stamp:
            self.used[key] = hit
            return hit[1]
        data = json.loads(_json_text(read_yaml(path)))  # what the cache will give back next time
        self.used[key] = [stamp, data]
        self.changed = True
        return data

    def forget(self, path: Path) -> None:
        """Keep `path`'s parse out of the cache (it held a secret in clear text)."""
        try:
            key = path.relative_to(self.root).as_posix()
        except ValueError:
            return
        if self.used.pop(key, None) is not None or key in self.entries:
            self.changed = True

    def save(self) -> None:
        if not self.changed and len(self.used) == len(self.entries):
            return
        try:
            state_dir(self.root)
            write_atomic(self.path, _json_text({"version": _PARSE_CACHE_VERSION, "entries": self.used}))
        except OSError:
            pass  # a read-only workspace still loads; it just parses every time


def _json_text(value: Any) -> str:
    """`value` as the json module writes it (dates and other scalars as text), for the parse cache.

    Through orjson where the text reads back the same, ~5x faster (a tenth of a cold load of
    1,000 request files); through the json module where orjson would differ: it refuses an
    integer beyond 64 bits or a date as a key, and writes a NaN or infinity (`.nan`, `.inf`) as
    null, which the settings check must still see as the bad number it is. A null in orjson's
    text may be either, so it takes the json module's path too. orjson is imported here, off a
    warm start's path: only a parse or a changed cache gets here.
    """
    import orjson

    try:
        text = orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:
        text = b"null"
    if b"null" not in text:
        return text.decode("utf-8")
    return json.dumps(value, default=str, separators=(",", ":"))


class _Reader:
    """Reads a workspace's files, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, cache: _ParseCache | None = None) -> None:
        self.root = root
        self.problems: list[str] = []
        self.cache = cache
        self.read = cache.read if cache is not None else read_yaml

    def folder(self, folder_dir: Path, rel: str) -> tuple[tuple[Request, ...], tuple[Folder, ...]]:
        """Requests and sub-folders in `folder_dir`; a broken file is reported and skipped."""
        requests: list[Request] = []
        folders: list[Folder] = []
        try:
            entries = sorted(folder_dir.iterdir(), key=lambda p: p.name.lower())
        except OSError as exc:
            self.problems.append(f"{folder_dir}: cannot list ({exc.strerror})")
            return (), ()
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child_rel = f"{rel}/{entry.name}" if rel else entry.name
            kind = entry_kind(entry)
            if kind != "dir" and kind != "file":
                self.problems.append(f"{entry}: skipped, {kind}")
                continue
            if kind == "dir":
                if not rel and entry.name == ENV_DIR:
                    continue  # the collection's own environments, not a folder of requests
                folders.append(self.subfolder(entry, child_rel))
            elif entry.suffix in (".yaml", ".yml") and entry.name not in (COLLECTION_FILE, FOLDER_FILE):
                try:
                    data = self.read(entry)
                    self._keep_secrets_out_of_cache(entry, data)
                    why = not_a_request(data)
                    if why:
                        self.problems.append(f"{entry}: skipped, {why}")
                        continue
                    requests.append(request_from_yaml(data, child_rel, str(entry)))
                except StorageError as exc:
                    self.problems.append(exc.message)
        return tuple(requests), tuple(folders)

    def subfolder(self, entry: Path, rel: str) -> Folder:
        meta: dict[str, Any] = {}
        meta_file = entry / FOLDER_FILE
        if meta_file.exists():
            try:
                loaded = self.read(meta_file)
                self._keep_secrets_out_of_cache(meta_file, loaded)
                meta = dict(loaded) if isinstance(loaded, Mapping) else {}
            except StorageError as exc:
                self.problems.append(exc.message)
        sub_requests, sub_folders = self.folder(entry, rel)
        variables: tuple[KeyValue, ...] = ()
        overrides: SettingsOverrides = {}
        try:
            auth = _auth_from_yaml(meta.get("auth"), "inherit", str(meta_file))
            headers = _rows_from_yaml(meta.get("headers"), str(meta_file))
            variables = _rows_from_yaml(meta.get("variables"), str(meta_file))
            overrides = settings_yaml.overrides_from_yaml(meta.get("settings"), str(meta_file))
        except StorageError as exc:
            self.problems.append(exc.message)
            auth, headers = Auth("inherit"), ()
        return Folder(str(meta.get("name") or entry.name), sub_requests, sub_folders, auth, headers,
                      str(meta.get("docs") or ""), rel, variables, overrides)

    def collection(self, rel: str) -> Collection | None:
        coll_dir = self.root / rel
        try:
            data = self.read(coll_dir / COLLECTION_FILE) or {}
            self._keep_secrets_out_of_cache(coll_dir / COLLECTION_FILE, data)
            if not isinstance(data, Mapping):
                raise StorageError(f"{coll_dir / COLLECTION_FILE}: must be a mapping")
            where = str(coll_dir / COLLECTION_FILE)
            variables = _rows_from_yaml(data.get("variables"), where)
            auth = _auth_from_yaml(data.get("auth"), "none", where)
            headers = _rows_from_yaml(data.get("headers"), where)
            overrides = settings_yaml.overrides_from_yaml(data.get("settings"), where)
        except StorageError as exc:
            self.problems.append(exc.message)
            return None
        requests, folders = self.folder(coll_dir, "")
        meta = data.get("meta") or {}
        return Collection(str(data.get("name") or rel), requests, folders, variables, auth, headers,
                          str(data.get("docs") or ""),
                          {str(k): str(v) for k, v in meta.items()} if isinstance(meta, Mapping) else {}, rel,
                          self.environments(coll_dir / ENV_DIR, f"{rel}/{ENV_DIR}"), overrides)

    def _keep_secrets_out_of_cache(self, path: Path, data: Any) -> None:
        """A file whose auth holds a secret typed in clear text is not cached in `.workbench/`.

        Saving from the app moves such a value to the secret store; until then the file is
        the only copy, and the parse cache must not make a second one.
        """
        auth = data.get("auth") if isinstance(data, Mapping) else None
        if self.cache is None or not isinstance(auth, Mapping):
            return
        if any(k in secrets.SECRET_PARAMS and isinstance(v, str) and v and not secrets.is_reference(v)
               and not secrets.is_template(v) for k, v in auth.items()):
            self.cache.forget(path)

    def environments(self, env_dir: Path, rel: str) -> tuple[Environment, ...]:
        """The environment files in `env_dir` (shared ones, or a collection's own)."""
        found: list[Environment] = []
        if entry_kind(env_dir) == "dir":
            for entry in sorted(env_dir.glob("*.y*ml")):
                kind = entry_kind(entry)
                if kind != "file":
                    self.problems.append(f"{entry}: skipped, {kind}")
                    continue
                try:
                    data = self.read(entry)
                    env = environment_from_yaml(data, f"{rel}/{entry.name}")
                    if _clear_secrets(data, env):
                        if self.cache is not None:
                            self.cache.forget(entry)  # `.workbench/` never keeps a clear-text secret
                        # A secret typed into the file by hand goes to the secret store now, not at
                        # the next save: until then it sits in clear text in a file kept in git.
                        save_environment(self.root, env)
                        self.problems.append(f"{entry}: moved the value of {', '.join(_clear_secrets(data, env))} "
                                             f"to the secret store ({secrets.backend_label()}); the file now "
                                             "holds a secret: reference")
                    found.append(env)
                except StorageError as exc:
                    self.problems.append(exc.message)
        return tuple(found)


def entry_kind(path: Path) -> str:
    """`dir`, `file`, or why the workspace walk skips the entry (without following symlinked folders).

    A `loop -> .` link made `run` send every request 41 times and two of them hung every
    command; a FIFO blocks the reader forever; a device never ends. A symlink to a regular
    file is still read (people link shared environments), a symlink to a folder is not.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if S_ISLNK(info.st_mode):
        try:
            target = path.stat()
        except OSError:
            return "a broken symbolic link"
        if S_ISDIR(target.st_mode):
            return "a symbolic link to a folder (not followed)"
        info = target
    if S_ISDIR(info.st_mode):
        return "dir"
    if S_ISREG(info.st_mode):
        return "file"
    return "not a regular file (a FIFO, socket or device)"


STALE_TEMP_SECONDS = 600  # a write in progress takes milliseconds; older temp files are left by a crash


def remove_stale_temp_files(root: Path) -> None:
    """Delete `.name.xxxx.tmp` files a killed process left behind (`write_atomic`'s temp files).

    Only ones older than STALE_TEMP_SECONDS, so a save running right now in another process
    keeps its temp file; the walk skips hidden folders (`.git`, `.workbench`) and symlinks.
    """
    import time

    cutoff = time.time() - STALE_TEMP_SECONDS
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") and name.endswith(".tmp"):
                path = Path(dirpath) / name
                try:
                    info = path.lstat()
                    if info.st_mtime < cutoff and S_ISREG(info.st_mode):
                        path.unlink()
                except OSError:
                    pass


def load_collection(root: Path, rel: str, problems: list[str]) -> Collection | None:
    """One collection folder; None (with a problem noted) when its collection.yaml is broken."""
    reader = _Reader(root)
    collection = reader.collection(rel)
    problems.extend(reader.problems)
    return collection


def load_workspace(root: str | Path, *, use_cache: bool = True) -> Workspace:
    """Read a whole workspace; broken files end up in `problems`, never raise mid-way."""
    base = Path(root)
    if not base.is_dir():
        raise StorageError(f"{base}: not a workspace folder")
    cache = _ParseCache(base) if use_cache else None
    reader = _Reader(base, cache)
    name, settings, active = base.name, Settings(), ""
    global_vars: tuple[KeyValue, ...] = ()
    ws_file = base / WORKSPACE_FILE
    if ws_file.exists():
        try:
            data = reader.read(ws_file) or {}
            if not isinstance(data, Mapping):
                raise StorageError(f"{ws_file}: must be a mapping (name, settings, variables)")
            name = str(data.get("name") or name)
            active = str(data.get("environment") or "")  # legacy: the active environment is user state now
            global_vars = _rows_from_yaml(data.get("variables"), str(ws_file))
            settings = settings_yaml.settings_from_yaml(data.get("settings"), str(ws_file))
        except StorageError as exc:
            reader.problems.append(exc.message)
    collections = []
    remove_stale_temp_files(base)
    for entry in sorted(base.iterdir(), key=lambda p: p.name.lower()):
        if entry.name.startswith("."):
            continue
        kind = entry_kind(entry)
        if kind not in ("dir", "file"):
            reader.problems.append(f"{entry}: skipped, {kind}")
            continue
        if kind == "dir" and entry_kind(entry / COLLECTION_FILE) == "file":
            coll = reader.collection(entry.name)
            if coll is not None:
                collections.append(coll)
    environments = reader.environments(base / ENV_DIR, ENV_DIR)
    if cache is not None:
        cache.save()
    return Workspace(str(base), name, tuple(collections), environments, settings, active,
                     tuple(reader.problems), global_vars)


# --------------------------------------------------------------------------- saving


def _guard_not_broken(path: Path) -> None:
    """Refuse to overwrite a file we could not parse: the user's text there would be lost."""
    if path.exists():
        read_yaml(path)  # raises StorageError with line/column if broken


def save_request(workspace_root: str | Path, collection_path: str, request: Request) -> Request:
    """Write one request file; returns the request with its `path` set (new requests get one)."""
    coll_dir = Path(workspace_root) / collection_path
    path = request.path or unique_child(coll_dir, sanitize_name(request.name, "request"), ".yaml")
    target = coll_dir / path
    _guard_not_broken(target)
    field_id = f"{collection_path}/{path}"
    write_yaml(target, request_to_yaml(request, str(workspace_root), field_id))
    return replace(request, path=path)


def save_collection_settings(workspace_root: str | Path, collection: Collection) -> Collection:
    """Write collection.yaml (not its requests). A new collection gets a folder."""
    base = Path(workspace_root)
    rel = collection.path or unique_child(base, sanitize_name(collection.name, "collection"), "")
    target = base / rel / COLLECTION_FILE
    _guard_not_broken(target)
    out: dict[str, Any] = {"name": collection.name}
    if collection.variables:
        out["variables"] = _rows_to_yaml(collection.variables)
    if (auth := _auth_to_yaml(collection.auth, str(base), f"{rel}/{COLLECTION_FILE}")) is not None:
        out["auth"] = auth
    if collection.headers:
        out["headers"] = _rows_to_yaml(collection.headers)
    if collection.docs:
        out["docs"] = collection.docs
    if collection.meta:
        out["meta"] = {k: collection.meta[k] for k in sorted(collection.meta)}
    if (overrides := settings_yaml.overrides_to_yaml(collection.settings)) is not None:
        out["settings"] = overrides
    write_yaml(target, out)
    return replace(collection, path=rel)


def save_folder_settings(workspace_root: str | Path, collection_path: str, folder: Folder) -> None:
    """Write folder.yaml when the folder has anything of its own (auth, headers, docs, display name)."""
    folder_dir = Path(workspace_root) / collection_path / folder.path
    folder_dir.mkdir(parents=True, exist_ok=True)
    target = folder_dir / FOLDER_FILE
    out: dict[str, Any] = {}
    if folder.name != folder_dir.name:
        out["name"] = folder.name
    if (auth := _auth_to_yaml(folder.auth, str(workspace_root), f"{collection_path}/{folder.path}/{FOLDER_FILE}")) is not None:
        out["auth"] = auth
    if folder.headers:
        out["headers"] = _rows_to_yaml(folder.headers)
    if folder.docs:
        out["docs"] = folder.docs
    if folder.variables:
        out["variables"] = _rows_to_yaml(folder.variables)
    if (overrides := settings_yaml.overrides_to_yaml(folder.settings)) is not None:
        out["settings"] = overrides
    if out:
        _guard_not_broken(target)
        write_yaml(target, out)
    elif target.exists():
        _guard_not_broken(target)
        target.unlink()


def save_collection(workspace_root: str | Path, collection: Collection) -> Collection:
    """Write a whole collection (settings, folders, requests): used by import and "Save all".

    Its new files are written as one batch (`batched_writes`): one flush instead of one each.
    """
    with batched_writes():
        return _save_collection(workspace_root, collection)


def _save_collection(workspace_root: str | Path, collection: Collection) -> Collection:
    collection = save_collection_settings(workspace_root, collection)

    def save_folder_tree(folder: Folder, parent: str) -> Folder:
        rel = folder.path or unique_child(Path(workspace_root) / collection.path / parent,
                                          sanitize_name(folder.name, "folder"), "", parent)
        folder = replace(folder, path=rel)
        save_folder_settings(workspace_root, collection.path, folder)
        requests = tuple(_save_in(workspace_root, collection.path, rel, r) for r in folder.requests)
        subs = tuple(save_folder_tree(f, rel) for f in folder.folders)
        return replace(folder, requests=requests, folders=subs)

    requests = tuple(_save_in(workspace_root, collection.path, "", r) for r in collection.requests)
    folders = tuple(save_folder_tree(f, "") for f in collection.folders)
    return replace(collection, requests=requests, folders=folders)


def _save_in(workspace_root: str | Path, collection_path: str, folder_rel: str, request: Request) -> Request:
    if not request.path:
        coll_dir = Path(workspace_root) / collection_path
        name = unique_child(coll_dir / folder_rel, sanitize_name(request.name, "request"), ".yaml", folder_rel)
        request = replace(request, path=name)
    return save_request(workspace_root, collection_path, request)


def unique_child(parent: Path, stem: str, suffix: str, rel_prefix: str = "") -> str:
    """A child name of `parent` not yet taken (`Get pet.yaml`, `Get pet 2.yaml`, …), relative.

    A folder at the top (a collection in the workspace, a folder in a collection) is never named
    `environments`: that folder holds environments there, so an API titled "environments" would
    be loaded as one. It becomes `environments 2` (any case: macOS and Windows ignore case).
    """
    candidate = f"{stem}{suffix}"
    n = 2
    while ((parent / candidate).exists() or _pending(parent / candidate)
           or (not suffix and not rel_prefix and candidate.lower() == ENV_DIR)):
        candidate = f"{stem} {n}{suffix}"
        n += 1
    return f"{rel_prefix}/{candidate}" if rel_prefix else candidate


def save_environment(workspace_root: str | Path, env: Environment, collection_path: str = "") -> Environment:
    """Write an environment: a shared one (workspace `environments/`), or a collection's own."""
    base = Path(workspace_root)
    folder = f"{collection_path}/{ENV_DIR}" if collection_path else ENV_DIR
    rel = env.path or f"{folder}/{sanitize_name(env.name, 'environment')}.yaml"
    env = replace(env, path=rel)
    target = base / rel
    _guard_not_broken(target)
    write_yaml(target, environment_to_yaml(env, str(base)))
    return env


def save_workspace_settings(workspace: Workspace) -> None:
    base = Path(workspace.root)
    target = base / WORKSPACE_FILE
    _guard_not_broken(target)
    s = workspace.settings
    out: dict[str, Any] = {
        "name": workspace.name or base.name,
        "settings": {"timeout_s": s.timeout_s, "connect_timeout_s": s.connect_timeout_s,
                     "follow_redirects": s.follow_redirects, "verify_tls": s.verify_tls,
                     "proxy": s.proxy, "max_body_mb": s.max_body_mb},
    }
    if workspace.variables:
        out["variables"] = _rows_to_yaml(workspace.variables)
    # No `environment:` key: which environment is active is this user's state (.workbench/), not a diff in git.
    write_yaml(target, out)


def init_workspace(root: str | Path, name: str = "") -> Workspace:
    """Create an empty workspace folder (with a .gitignore for local state) and load it."""
    base = Path(root)
    base.mkdir(parents=True, exist_ok=True)
    state = base / STATE_DIR
    state.mkdir(exist_ok=True)
    if not (state / ".gitignore").exists():
        write_atomic(state / ".gitignore", "*\n")
    if not (base / WORKSPACE_FILE).exists():
        save_workspace_settings(Workspace(str(base), name or base.name))
    return load_workspace(base)


# --------------------------------------------------------------------------- tree edits


def _inside(base: Path, rel: str) -> Path:
    target = (base / rel).resolve()
    if base.resolve() not in target.parents and target != base.resolve():
        raise StorageError(f"{rel}: outside the workspace")
    return target


def delete_item(workspace_root: str | Path, rel: str) -> None:
    """Delete a request file or a folder (relative to the workspace)."""
    target = _inside(Path(workspace_root), rel)
    try:
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    except OSError as exc:
        raise StorageError(f"{rel}: cannot delete ({exc.strerror})") from exc


def move_item(workspace_root: str | Path, rel: str, new_parent_rel: str) -> str:
    """Move a request or folder into another folder of the workspace; returns its new path."""
    base = Path(workspace_root)
    source = _inside(base, rel)
    parent = _inside(base, new_parent_rel)
    if source.is_dir() and (parent == source or source in parent.parents):
        raise StorageError("a folder cannot be moved into itself")
    stem, suffix = (source.stem, source.suffix) if source.is_file() else (source.name, "")
    name = unique_child(parent, stem, suffix) if source.parent != parent else source.name
    try:
        os.replace(source, parent / name)
    except OSError as exc:
        raise StorageError(f"{rel}: cannot move ({exc.strerror})") from exc
    return str((parent / name).relative_to(base.resolve()))


def rename_request(workspace_root: str | Path, collection_path: str, request: Request, new_name: str) -> Request:
    """Rename a request: its `name` and its file name follow."""
    coll_dir = Path(workspace_root) / collection_path
    folder = str(Path(request.path).parent) if "/" in request.path else ""
    new_path = unique_child(coll_dir / folder, sanitize_name(new_name, "request"), ".yaml", folder)
    renamed = save_request(workspace_root, collection_path, replace(request, name=new_name, path=new_path))
    if request.path and (coll_dir / request.path).exists() and request.path != new_path:
        (coll_dir / request.path).unlink()
    return renamed


def duplicate_request(workspace_root: str | Path, collection_path: str, request: Request) -> Request:
    folder = str(Path(request.path).parent) if "/" in request.path else ""
    coll_dir = Path(workspace_root) / collection_path
    name = f"{request.name} copy"
    path = unique_child(coll_dir / folder, sanitize_name(name, "request"), ".yaml", folder)
    return save_request(workspace_root, collection_path, replace(request, name=name, path=path))


def duplicate_folder(workspace_root: str | Path, collection_path: str, folder_rel: str) -> str:
    """Copy a folder with everything in it beside itself (`Orders copy`); returns the copy's path.

    Secret references are per field path, so the copy's secrets are re-protected under its own
    paths: reading the originals and saving them anew keeps both independent.
    """
    coll_dir = Path(workspace_root) / collection_path
    source = coll_dir / folder_rel
    if not source.is_dir():
        raise StorageError(f"{folder_rel}: no such folder")
    parent = str(Path(folder_rel).parent) if "/" in folder_rel else ""
    reader = _Reader(Path(workspace_root))
    original = reader.subfolder(source, folder_rel)
    if reader.problems:
        raise StorageError(f"cannot duplicate {folder_rel}: {reader.problems[0]}")
    new_rel = unique_child(coll_dir / parent, f"{source.name} copy", "", parent)

    def rebase(folder: Folder, rel: str) -> Folder:
        return replace(folder, path=rel,
                       requests=tuple(replace(r, path=f"{rel}/{Path(r.path).name}") for r in folder.requests),
                       folders=tuple(rebase(f, f"{rel}/{Path(f.path).name}") for f in folder.folders))

    copy = rebase(replace(original, name=f"{original.name} copy"), new_rel)

    def write(folder: Folder) -> None:
        save_folder_settings(workspace_root, collection_path, folder)
        for request in folder.requests:
            save_request(workspace_root, collection_path, request)
        for sub in folder.folders:
            write(sub)

    write(copy)
    return new_rel


def create_folder(workspace_root: str | Path, collection_path: str, parent_rel: str, name: str) -> str:
    coll_dir = Path(workspace_root) / collection_path
    rel = unique_child(coll_dir / parent_rel, sanitize_name(name, "folder"), "", parent_rel)
    (coll_dir / rel).mkdir(parents=True)
    if sanitize_name(name, "folder") != name:
        save_folder_settings(workspace_root, collection_path, Folder(name, path=rel))
    return rel


def rename_folder(workspace_root: str | Path, collection_path: str, folder_rel: str, new_name: str) -> str:
    coll_dir = Path(workspace_root) / collection_path
    parent = str(Path(folder_rel).parent) if "/" in folder_rel else ""
    new_rel = unique_child(coll_dir / parent, sanitize_name(new_name, "folder"), "", parent)
    os.replace(coll_dir / folder_rel, coll_dir / new_rel)
    meta = coll_dir / new_rel / FOLDER_FILE
    if sanitize_name(new_name, "folder") != new_name or meta.exists():
        data = (read_yaml(meta) or {}) if meta.exists() else {}
        data["name"] = new_name
        write_yaml(meta, data)
    return new_rel


IMPORT_LOCK_FILE = "import.lock"


@contextlib.contextmanager
def workspace_lock(workspace_root: str | Path) -> Iterator[None]:
    """Hold the workspace's import lock: two imports into one workspace queue, never interleave.

    Without it, two imports started together both saw "no collection yet" and wrote two
    collections, or one with every request twice (`X 2.yaml`). An advisory lock on
    `.workbench/import.lock` (flock on POSIX, a byte-range lock on Windows); the OS releases it
    when a killed process exits, so a crash never leaves the workspace locked.
    """
    folder = Path(workspace_root) / STATE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / IMPORT_LOCK_FILE, "a+b")
    except OSError as exc:
        raise StorageError(f"{workspace_root}: cannot lock the workspace ({exc.strerror or exc})") from exc
    with handle:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def state_dir(workspace_root: str | Path) -> Path:
    """The workspace's local-state folder (history, UI state), ignored by git."""
    path = Path(workspace_root) / STATE_DIR
    path.mkdir(parents=True, exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        write_atomic(ignore, "*\n")
    return path


def locate(request_file: str | Path) -> tuple[Path | None, str, str]:
    """For a request file: (workspace root or None, collection path, request path in the collection).

    Lets `workbench send some/dir/req.yaml` find the collection's auth, headers and variables
    and the workspace's environments, however deep the file sits.
    """
    path = Path(request_file).resolve()
    collection_dir = None
    for parent in path.parents:
        if (parent / COLLECTION_FILE).exists():
            collection_dir = parent
            break
    if collection_dir is None:
        ws = next((p for p in path.parents if (p / WORKSPACE_FILE).exists()), None)
        return ws, "", path.name
    root = collection_dir.parent
    return root, collection_dir.name, str(path.relative_to(collection_dir))
