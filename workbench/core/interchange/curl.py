"""A curl command, as copied from API docs, a browser's DevTools or our own "Copy as curl", as a request.

Words are split with `shlex` (POSIX shell quoting). Line continuations come in three styles:
`\\` (sh), `^` (Windows cmd, which also escapes with `^`: DevTools' "Copy as cURL (cmd)"),
and a backtick (PowerShell). The flags follow curl's manual (https://curl.se/docs/manpage.html):
a flag we do not know is reported in the warnings, never guessed at.

Credentials never stay in headers: `-u`, `--oauth2-bearer` and an `Authorization: Basic/Bearer`
header become the request's auth, whose secret fields storage keeps in the secret store.
"""

from __future__ import annotations

import base64
import binascii
import re
import shlex
from dataclasses import replace
from typing import Iterator
from urllib.parse import parse_qsl, quote_plus

from workbench.core.collections import (
    Auth,
    Body,
    Collection,
    FormPart,
    KeyValue,
    Request,
)
from workbench.core.errors import SpecImportError
from workbench.core.interchange.result import Imported
from workbench.core.urls import split_url
from workbench.core.workspace import settings as settings_yaml

COLLECTION_NAME = "Imported from curl"
MAX_TEXT = 2_000_000  # a pasted command, or a file of them; a bigger "curl command" is something else

# Flags that take an argument (curl 8 manual); the others are switches.
_WITH_ARG_SHORT = set("XHdFuAebomxTwrUKEcYyztQDC")
_WITH_ARG_LONG = {
    "request", "header", "data", "data-raw", "data-binary", "data-ascii", "data-urlencode", "json", "form",
    "form-string", "user", "user-agent", "referer", "cookie", "url", "output", "max-time", "connect-timeout",
    "proxy", "oauth2-bearer", "upload-file", "write-out", "cacert", "capath", "cert", "key", "cert-type",
    "key-type", "pass", "cookie-jar", "retry", "retry-delay", "retry-max-time", "range", "proxy-user", "config",
    "resolve", "connect-to", "interface", "limit-rate", "speed-limit", "speed-time", "time-cond", "telnet-option",
    "quote", "dump-header", "stderr", "trace", "trace-ascii", "max-redirs", "aws-sigv4", "variable", "local-port",
    "tls-max", "ciphers", "netrc-file", "pinnedpubkey", "unix-socket", "abstract-unix-socket", "noproxy",
    "preproxy", "proxy-header", "continue-at", "expect100-timeout", "keepalive-time", "max-filesize",
    "output-dir", "happy-eyeballs-timeout-ms", "dns-servers", "doh-url", "hostpubmd5", "krb", "login-options",
    "mail-from", "mail-rcpt", "sasl-authzid", "service-name", "socks4", "socks5", "socks5-hostname", "url-query",
}
# Switches that change nothing about the request itself (output, progress, protocol details).
_QUIET_SWITCHES = set("sSivfNg#nOJZ46qlBjR") | {
    "silent", "show-error", "include", "verbose", "fail", "fail-with-body", "no-buffer", "http1.0", "http1.1",
    "http2", "http2-prior-knowledge", "http3", "globoff", "progress-bar", "netrc", "netrc-optional",
    "remote-name", "remote-header-name", "path-as-is", "raw", "tr-encoding", "no-keepalive", "no-sessionid",
    "tcp-nodelay", "tcp-fastopen", "styled-output", "no-progress-meter", "ipv4", "ipv6", "disable",
    "remote-name-all", "create-dirs", "no-alpn", "no-npn", "ssl", "ssl-reqd", "tlsv1.2", "tlsv1.3", "basic",
    "fail-early", "parallel", "remote-time", "xattr",
}
SHORT_TO_LONG = {
    "X": "request", "H": "header", "d": "data", "F": "form", "u": "user", "A": "user-agent", "e": "referer",
    "b": "cookie", "o": "output", "m": "max-time", "x": "proxy", "T": "upload-file", "w": "write-out",
    "r": "range", "U": "proxy-user", "K": "config", "E": "cert", "c": "cookie-jar", "Y": "speed-limit",
    "y": "speed-time", "z": "time-cond", "t": "telnet-option", "Q": "quote", "D": "dump-header", "C": "continue-at",
    "L": "location", "k": "insecure", "G": "get", "I": "head", "s": "silent", "S": "show-error", "i": "include",
    "v": "verbose", "f": "fail", "N": "no-buffer", "g": "globoff", "n": "netrc", "O": "remote-name",
    "J": "remote-header-name", "4": "ipv4", "6": "ipv6", "Z": "parallel", "R": "remote-time", "#": "progress-bar",
}
_ENDERS = {"|", "||", "&&", ";", "&", ">", ">>", "2>", "2>&1", "<"}
# `${NAME}`, `$NAME`, and `${NAME:?message}` (our own curl stops so when a secret is unset).
_SHELL_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_CREDENTIAL = re.compile(r"authorization|cookie|key|token|secret|passw|session|signature|credential", re.I)


def looks_like_curl(text: str) -> bool:
    """Does `text` start (after comments and a `$ ` prompt) with a curl command?"""
    for line in text.lstrip("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "//", "REM ", "rem ")):
            continue
        stripped = stripped.removeprefix("$ ").removeprefix("> ").lstrip()
        match = re.match(r"^curl(?:\.exe)?(?:\s+|(?=[\^\\`]))(\S*)", stripped + " ", re.I)
        if match is None:
            return False
        # The next word is a flag, a quoted word, a continuation or a URL: not prose ("curl is great").
        first = match.group(1)
        return not first or first[0] in "-'\"^\\`{$" or bool(re.search(r"[./:]|^localhost", first))
    return False


def _normalise(text: str) -> str:
    """One line of POSIX shell words, whatever the shell the command was written for."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = [ln for ln in text.split("\n") if not ln.strip().startswith(("#", "REM ", "rem "))]
    text = "\n".join(lines)
    if re.search(r"\^\s*\n", text) or '^"' in text:
        # cmd.exe: `^` escapes the next character; `^` at a line's end continues the line.
        text = re.sub(r"\^[ \t]*\n", " ", text)
        text = re.sub(r"\^(.)", r"\1", text)
    text = re.sub(r"`[ \t]*\n", " ", text)  # PowerShell
    text = re.sub(r"\\[ \t]*\n", " ", text)  # sh
    return text


def _words(text: str) -> list[str]:
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars="|&;<>")
        lexer.whitespace_split = True
        lexer.commenters = ""
        return list(lexer)
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise SpecImportError(f"not a complete curl command: {exc} (check the quotes)") from exc


def _commands(words: list[str]) -> Iterator[list[str]]:
    """Each curl command's words; pipes, redirections and whatever they feed are dropped."""
    current: list[str] | None = None
    expect_arg = False
    for word in words:
        if expect_arg:
            expect_arg = False
            if current is not None:
                current.append(word)
            continue
        if current is None or word in _ENDERS:
            if current:
                yield current
            current = [] if word.lower() in ("curl", "curl.exe") else None
            continue
        if word.lower() in ("curl", "curl.exe") and not current:
            continue
        if word.lower() in ("curl", "curl.exe"):
            yield current
            current = []
            continue
        current.append(word)
        if word.startswith("--") and word[2:] in _WITH_ARG_LONG:
            expect_arg = True
        elif re.fullmatch(r"-[A-Za-z#]+", word) and word[-1] in _WITH_ARG_SHORT \
                and all(c not in _WITH_ARG_SHORT for c in word[1:-1]):
            expect_arg = True
    if current:
        yield current


def _options(words: list[str], warnings: list[str]) -> Iterator[tuple[str, str | None]]:
    """(long flag name or "url", argument) pairs; short flags and bundles (`-sSL`, `-XPOST`) unfolded."""
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word.startswith("--") and len(word) > 2:
            name = word[2:]
            if name in _WITH_ARG_LONG:
                if i >= len(words):
                    raise SpecImportError(f"curl flag {word} needs a value")
                yield name, words[i]
                i += 1
            else:
                yield name, None
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            j = 0
            while j < len(letters):
                letter = letters[j]
                long = SHORT_TO_LONG.get(letter, letter)
                if letter in _WITH_ARG_SHORT:
                    value = letters[j + 1:]
                    if not value:
                        if i >= len(words):
                            raise SpecImportError(f"curl flag -{letter} needs a value")
                        value = words[i]
                        i += 1
                    yield long, value
                    break
                yield long, None
                j += 1
        else:
            yield "url", word


def _unshell(value: str) -> str:
    """`$TOKEN`/`${TOKEN}`/`${TOKEN:?…}` (our own curl reads secrets so) become `{{TOKEN}}` variables."""
    return _SHELL_VAR.sub(lambda m: "{{" + (m.group(1) or m.group(2)) + "}}", value)


def _urlencode_item(item: str) -> tuple[str, str] | None:
    """A `--data-urlencode` argument as a (name, value) row; None when it names a file."""
    if item.startswith("@") or re.match(r"^[^=]*@", item) and "=" not in item.split("@", 1)[0]:
        return None
    name, sep, value = item.partition("=")
    if not sep:
        return ("", item)
    return (name, value)


def _form_part(item: str, literal: bool, warnings: list[str]) -> FormPart:
    name, _, rest = item.partition("=")
    if literal:
        return FormPart(name, value=rest)
    if rest.startswith("@") or rest.startswith("<"):
        pieces = rest[1:].split(";")
        ctype = next((p.split("=", 1)[1] for p in pieces[1:] if p.strip().startswith("type=")), "")
        if rest.startswith("<"):
            warnings.append(f"form part {name!r}: its value is read from {pieces[0]!r}; kept as a file part")
        return FormPart(name, file=pieces[0].strip('"'), content_type=ctype)
    value, _, extra = rest.partition(";type=")
    if rest.startswith('"') and rest.endswith('"'):
        value = rest[1:-1]
    return FormPart(name, value=value, content_type=extra)


def _auth_from_header(value: str) -> Auth | None:
    scheme, _, credentials = value.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        return Auth("bearer", {"token": credentials})
    if scheme.lower() == "basic" and credentials:
        try:
            user, sep, password = base64.b64decode(credentials, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if sep:
            return Auth("basic", {"username": user, "password": password})
    return None


def _request_name(method: str, url: str) -> str:
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.I) or "/"
    return f"{method} {path}"[:80]


def read_curl(text: str) -> tuple[Request, tuple[str, ...]]:
    """The first curl command of `text` as a request, with what could not be carried over."""
    requests, warnings = read_curl_commands(text)
    return requests[0], warnings


def parse_curl(text: str) -> Request:
    """The request a pasted curl command sends (the URL box calls this when the text starts with `curl`)."""
    return read_curl(text)[0]


def read_curl_commands(text: str) -> tuple[list[Request], tuple[str, ...]]:
    """Every curl command of `text` (a file may hold several) as requests; SpecImportError when none."""
    if len(text) > MAX_TEXT:
        raise SpecImportError(f"too long for a curl command ({len(text)} characters)")
    if not looks_like_curl(text):
        raise SpecImportError("not a curl command (it does not start with `curl`)")
    warnings: list[str] = []
    requests = [_one(words, warnings) for words in _commands(_words(_normalise(text)))]
    if not requests:
        raise SpecImportError("not a curl command (it does not start with `curl`)")
    return requests, tuple(dict.fromkeys(warnings))


def _one(words: list[str], warnings: list[str]) -> Request:
    url = ""
    method = ""
    head = get = False
    headers: list[KeyValue] = []
    data: list[str] = []
    data_file = ""
    form_rows: list[KeyValue] = []
    only_urlencode = True
    parts: list[FormPart] = []
    json_body = False
    upload = ""
    auth = Auth("inherit")
    settings: dict[str, float | int | bool | str] = {}
    compressed = False
    params_extra: list[str] = []
    for name, value in _options(words, warnings):
        if name == "url" and value is not None:
            if url:
                warnings.append(f"a second URL {value!r} was ignored (one request per curl command)")
            else:
                url = value
        elif value is None:
            if name in ("location", "location-trusted"):
                settings["follow_redirects"] = True
            elif name == "insecure":
                settings["verify_tls"] = False
            elif name == "compressed":
                compressed = True
            elif name == "get":
                get = True
            elif name == "head":
                head = True
            elif name not in _QUIET_SWITCHES:
                warnings.append(f"curl option {'-' + name if len(name) == 1 else '--' + name} was ignored")
        elif name == "request":
            method = value.upper()
        elif name == "header":
            hname, sep, hvalue = value.partition(":")
            if not sep:
                if hname.endswith(";"):
                    headers.append(KeyValue(hname[:-1].strip(), ""))
                continue
            hvalue = hvalue.strip()
            if not hvalue:
                continue  # `-H 'Name:'` removes a header curl would send
            headers.append(KeyValue(hname.strip(), _unshell(hvalue)))
        elif name == "user-agent":
            headers.append(KeyValue("User-Agent", value))
        elif name == "referer":
            headers.append(KeyValue("Referer", value))
        elif name == "cookie":
            if "=" in value:
                headers.append(KeyValue("Cookie", value))
            else:
                warnings.append(f"cookies read from the file {value!r} were not imported")
        elif name in ("data", "data-ascii", "data-binary", "data-raw", "json"):
            only_urlencode = False
            json_body = json_body or name == "json"
            if name != "data-raw" and value.startswith("@"):
                data_file = value[1:]
            else:
                data.append(_unshell(value))
        elif name == "data-urlencode":
            row = _urlencode_item(value)
            if row is None:
                warnings.append(f"--data-urlencode {value!r} reads a file: not imported")
                continue
            form_rows.append(KeyValue(row[0], _unshell(row[1])))
            data.append(f"{quote_plus(row[0])}={quote_plus(row[1])}" if row[0] else quote_plus(row[1]))
        elif name in ("form", "form-string"):
            parts.append(_form_part(_unshell(value), name == "form-string", warnings))
        elif name == "user":
            user, _, password = value.partition(":")
            auth = Auth("basic", {"username": _unshell(user), "password": _unshell(password)})
        elif name == "oauth2-bearer":
            auth = Auth("bearer", {"token": _unshell(value)})
        elif name == "upload-file":
            upload = value
        elif name == "max-time":
            _setting(settings, "timeout_s", value, warnings)
        elif name == "connect-timeout":
            _setting(settings, "connect_timeout_s", value, warnings)
        elif name == "proxy":
            _setting(settings, "proxy", value if "://" in value else f"http://{value}", warnings)
        elif name == "url-query":
            params_extra.append(value)
        elif name not in ("output", "write-out", "dump-header", "stderr", "trace", "trace-ascii", "retry",
                          "retry-delay", "retry-max-time", "output-dir", "cookie-jar"):
            warnings.append(f"curl option --{name} {value!r} was ignored")
    if not url:
        raise SpecImportError("the curl command has no URL")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I) and not url.startswith("{{"):
        url = "http://" + url  # curl's default scheme
    base, params = split_url(_unshell(url))
    params += [KeyValue(*_pair(p)) for piece in params_extra for p in piece.split("&") if p]

    # Credentials out of the headers, into the auth storage protects.
    kept: list[KeyValue] = []
    for header in headers:
        if header.name.lower() == "authorization" and auth.type == "inherit" and \
                (found := _auth_from_header(header.value)) is not None:
            auth = found
        elif _CREDENTIAL.search(header.name) and auth.type == "inherit" and header.name.lower() != "cookie":
            auth = Auth("apikey", {"name": header.name, "value": header.value, "in": "header"})
        else:
            if _CREDENTIAL.search(header.name):
                warnings.append(f"header {header.name!r} holds a credential and is saved as typed: "
                                "move it into a {{variable}} of a secret environment value")
            kept.append(header)
    headers = kept
    content_type = next((h.value for h in headers if h.name.lower() == "content-type"), "")
    without_ct = [h for h in headers if h.name.lower() != "content-type"]

    body = Body()
    if get and data:
        params += [KeyValue(*_pair(p)) for piece in data for p in piece.split("&") if p]
        data = []
    if parts:
        body = Body("multipart", parts=tuple(parts))
        headers = without_ct if content_type.lower().startswith("multipart/") or not content_type else headers
    elif data_file or upload:
        body = Body("binary", content_type=content_type, file=data_file or upload)
        headers = without_ct
    elif data:
        text = "&".join(data)
        if json_body:
            content_type = content_type or "application/json"
            if not any(h.name.lower() == "accept" for h in headers):
                without_ct.append(KeyValue("Accept", "application/json"))
        if form_rows and only_urlencode and content_type in ("", "application/x-www-form-urlencoded"):
            body = Body("form", form=tuple(form_rows))
        elif content_type in ("", "application/x-www-form-urlencoded") and _plain_pairs(text):
            body = Body("form", form=tuple(KeyValue(*_pair(p)) for p in text.split("&") if p))
        else:
            body = Body("raw", content_type=content_type or "application/x-www-form-urlencoded", text=text)
        headers = without_ct
    if compressed and not any(h.name.lower() == "accept-encoding" for h in headers):
        headers.append(KeyValue("Accept-Encoding", "gzip, deflate"))
    method = method or ("HEAD" if head else "PUT" if upload and not data else
                        "POST" if body.kind != "none" else "GET")
    return Request(_request_name(method, base), method, base, tuple(params), tuple(headers), body, auth,
                   settings=settings)


def _pair(piece: str) -> tuple[str, str]:
    name, _, value = piece.partition("=")
    return _unquote(name), _unquote(value)


def _unquote(text: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(text)


def _plain_pairs(text: str) -> bool:
    """`a=1&b=two` decodes to rows and back without loss (so the Form table can edit it)."""
    try:
        parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return False
    return not text.lstrip().startswith(("{", "[", "<"))


def _setting(settings: dict[str, float | int | bool | str], key: str, value: str, warnings: list[str]) -> None:
    from workbench.core.errors import StorageError

    try:
        parsed: float | str = float(value) if key.endswith("_s") else value
        settings[key] = settings_yaml.check_value(key, parsed, "curl")
    except (ValueError, StorageError):
        warnings.append(f"curl {key.replace('_', ' ')} {value!r} was ignored (not a valid value)")


def import_curl(text: str) -> Imported:
    """A file or paste of curl commands as requests of the "Imported from curl" collection."""
    requests, warnings = read_curl_commands(text)
    named = _unique_names(requests)
    return Imported("curl", Collection(COLLECTION_NAME, requests=tuple(named)), (), warnings, append=True)


def _unique_names(requests: list[Request]) -> list[Request]:
    seen: dict[str, int] = {}
    out = []
    for request in requests:
        count = seen.get(request.name, 0) + 1
        seen[request.name] = count
        out.append(request if count == 1 else replace(request, name=f"{request.name} ({count})"))
    return out
