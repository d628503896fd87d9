"""The workspace's data: collections, folders, requests, environments — plain, immutable values.

Everything the UI edits and the CLI sends is one of these dataclasses. They know nothing of
files (see `storage.py`) or of httpx (see `http.py`), so they stay easy to test and to diff.
Edits produce new values with `dataclasses.replace`; the on-disk workspace is the truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]
HTTP_METHODS: tuple[HttpMethod, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")

BodyKind = Literal["none", "raw", "form", "multipart", "binary"]
BODY_KINDS: tuple[BodyKind, ...] = ("none", "raw", "form", "multipart", "binary")

AuthType = Literal["inherit", "none", "basic", "bearer", "apikey", "oauth2"]

#: A partial `Settings` (`timeout_s`, `verify_tls`, …) set on a collection, folder or request:
#: the nearest one to a request wins, key by key (see `core/context/`).
SettingsOverrides = Mapping[str, "float | int | bool | str"]
AUTH_TYPES: tuple[AuthType, ...] = ("inherit", "none", "basic", "bearer", "apikey", "oauth2")


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One row of a params, headers, form or variables table.

    Disabled rows are kept (not dropped) because users toggle optional parameters on and off;
    an imported optional parameter arrives disabled with its description.
    """

    name: str
    value: str = ""
    enabled: bool = True
    description: str = ""


@dataclass(frozen=True, slots=True)
class FormPart:
    """One part of a multipart/form-data body: a text value or a file read at send time."""

    name: str
    value: str = ""
    file: str = ""
    content_type: str = ""
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Body:
    """A request body; `kind` picks which of the other fields matters."""

    kind: BodyKind = "none"
    content_type: str = ""
    text: str = ""
    form: tuple[KeyValue, ...] = ()
    parts: tuple[FormPart, ...] = ()
    file: str = ""


@dataclass(frozen=True, slots=True)
class Auth:
    """How a request authenticates; `inherit` takes the parent folder's or collection's.

    `params` holds the scheme's settings (e.g. `username`, `password`, `token`, `key`, `in`,
    `token_url`, `client_id`, `client_secret`, `client_auth`, `scope`). Secret values are never
    kept in clear text on disk: storage replaces them with `{{variable}}` or `secret:` references
    (see `secrets.py`).
    """

    type: AuthType = "inherit"
    params: Mapping[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        return self.params.get(key, default)


CheckKind = Literal["status", "header", "json", "time", "contract"]
CHECK_KINDS: tuple[CheckKind, ...] = ("status", "header", "json", "time", "contract")
#: `equals`/`contains`/`exists` for headers and JSON paths, `below` for the response time.
CheckOp = Literal["equals", "contains", "exists", "below", ""]
SaveSource = Literal["json", "header"]


@dataclass(frozen=True, slots=True)
class Check:
    """One assertion on a response, kept in the request's YAML (`checks:`) and run by the runner.

    `kind` says what is looked at: the `status` (`expected` "200" or a class "2xx"), a
    `header` or a `json` path (`target`, with `op` equals/contains/exists), the response
    `time` (`expected` milliseconds, op `below`), or the body against the imported operation's
    `contract`. `expected` is text and may hold `{{variables}}` (e.g. an id saved earlier).
    """

    kind: CheckKind
    target: str = ""
    op: CheckOp = ""
    expected: str = ""
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class SaveStep:
    """After a response: put a JSON path's value or a header into `variable` for later requests."""

    variable: str
    source: SaveSource = "json"
    path: str = ""
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Request:
    """One saved request.

    `url` holds the URL without its query string; the query lives in `params` so disabled
    parameters survive. `path` is the request's file, relative to its collection folder (empty
    for a request that was never saved); it is identity, not content, and is not written.
    `meta` keeps where the request came from (e.g. `operationId`, `openapi_path`, `odata_service`)
    so a re-import can match it and a response can be checked against its contract.
    `method` is any RFC 9110 method token, not only an `HttpMethod`: the editor's method box
    takes extension methods (WebDAV's PROPFIND, a vendor's own), as Postman's does.
    `checks` and `save` are what the runner asserts on and keeps from the response.
    `path_variables` fill the URL's `{name}` placeholders at send time (see `path_variables.py`),
    like Postman's Path Variables; values may hold `{{variables}}`.
    """

    name: str
    method: str = "GET"
    url: str = ""
    params: tuple[KeyValue, ...] = ()
    headers: tuple[KeyValue, ...] = ()
    body: Body = field(default_factory=Body)
    auth: Auth = field(default_factory=Auth)
    docs: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)
    path: str = ""
    settings: SettingsOverrides = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    save: tuple[SaveStep, ...] = ()
    path_variables: tuple[KeyValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder of requests and sub-folders; auth and headers here apply to everything below."""

    name: str
    requests: tuple[Request, ...] = ()
    folders: tuple["Folder", ...] = ()
    auth: Auth = field(default_factory=Auth)
    headers: tuple[KeyValue, ...] = ()
    docs: str = ""
    path: str = ""
    variables: tuple[KeyValue, ...] = ()
    settings: SettingsOverrides = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Collection:
    """A collection: the root folder plus variables; usually one imported API.

    `path` is the collection's directory relative to the workspace. `environments` are the
    collection's own (its `environments/` folder), as in Bruno and Insomnia: two APIs in one
    workspace each reach their own server. Shared environments live at the workspace level.
    """

    name: str
    requests: tuple[Request, ...] = ()
    folders: tuple[Folder, ...] = ()
    variables: tuple[KeyValue, ...] = ()
    auth: Auth = field(default_factory=lambda: Auth("none"))
    headers: tuple[KeyValue, ...] = ()
    docs: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)
    path: str = ""
    environments: tuple["Environment", ...] = ()
    settings: SettingsOverrides = field(default_factory=dict)

    def environment(self, name: str) -> "Environment | None":
        return next((e for e in self.environments if e.name == name), None)

    def all_requests(self) -> list[Request]:
        """Every request below the collection in tree order (as the tree shows it: folders first)."""
        out: list[Request] = []

        def walk(folders: tuple["Folder", ...], requests: tuple[Request, ...]) -> None:
            for folder in folders:
                walk(folder.folders, folder.requests)
            out.extend(requests)

        walk(self.folders, self.requests)
        return out

    def count_folders(self) -> int:
        """How many folders the collection holds, at any depth (an import reports it)."""

        def count(folders: tuple["Folder", ...]) -> int:
            return sum(1 + count(f.folders) for f in folders)

        return count(self.folders)

    def find_request(self, path: str) -> Request | None:
        """The request saved at `path` (relative to the collection folder), if any."""
        for request in self.all_requests():
            if request.path == path:
                return request
        return None

    def chain(self, request_path: str) -> list[Folder]:
        """The folders from the root down to the one holding `request_path` (for inheritance)."""
        parts = request_path.split("/")[:-1]
        chain: list[Folder] = []
        folders = self.folders
        prefix = ""
        for part in parts:
            prefix = f"{prefix}/{part}" if prefix else part
            match = next((f for f in folders if f.path == prefix), None)
            if match is None:
                break
            chain.append(match)
            folders = match.folders
        return chain


@dataclass(frozen=True, slots=True)
class Environment:
    """A named set of variables (e.g. Development, Testing, Production) a user switches between.

    Variables marked secret in `secret_names` are kept out of the YAML file (see `secrets.py`).
    """

    name: str
    variables: tuple[KeyValue, ...] = ()
    secret_names: frozenset[str] = frozenset()
    path: str = ""

    def as_dict(self) -> dict[str, str]:
        return {v.name: v.value for v in self.variables if v.enabled}


@dataclass(frozen=True, slots=True)
class Settings:
    """Send settings a user sets once per workspace (Settings dialog, `workspace.yaml`)."""

    timeout_s: float = 30.0
    connect_timeout_s: float = 10.0
    follow_redirects: bool = True
    verify_tls: bool = True
    proxy: str = ""
    max_body_mb: int = 512


@dataclass(frozen=True, slots=True)
class Workspace:
    """A folder on disk holding collections and environments, usually kept in git.

    `environments` are the shared ones (the workspace's `environments/` folder), usable by every
    collection; `variables` are the workspace's globals. `active_environment` is the legacy
    workspace-wide choice read from old `workspace.yaml` files: which environment a collection
    uses is user state now (`core/context/selection.py`), never written into the workspace.
    """

    root: str
    name: str = ""
    collections: tuple[Collection, ...] = ()
    environments: tuple[Environment, ...] = ()
    settings: Settings = field(default_factory=Settings)
    active_environment: str = ""
    problems: tuple[str, ...] = ()
    variables: tuple[KeyValue, ...] = ()

    def environment(self, name: str) -> Environment | None:
        return next((e for e in self.environments if e.name == name), None)

    def collection(self, path_or_name: str) -> Collection | None:
        return next((c for c in self.collections if path_or_name in (c.path, c.name)), None)
