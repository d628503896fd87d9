"""The "Auth" tab of a request, folder or collection: pick a scheme, fill it in, get a token.

A thin form over `collections.Auth`: `set_auth()` fills it, `to_model()` reads it back, and
`changed` fires on every edit. Token work (discovery, "Get new access token") calls core
entry points (`oauth2.discover`, `oauth2.obtain_token`) as asyncio tasks on the qasync loop;
the task handle is kept and cancelled when the user asks again, presses Cancel or the panel
closes, so the UI never blocks and never gets a late answer for a changed form.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Coroutine

from PySide6.QtCore import QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.auth import jwt, oauth2
from workbench.core.workspace import secrets
from workbench.core.auth.schemes import AUTH_LABELS, describe
from workbench.core.collections import Auth, Settings
from workbench.core.errors import AuthError, WorkbenchError

Resolver = Callable[[str], str]

_APIKEY_IN = (("header", "Header"), ("query", "Query parameter"), ("cookie", "Cookie"))
# Params each page shows; anything else found in a loaded Auth is kept as it was.
_OWN_PARAMS = {
    "basic": {"username", "password"},
    "bearer": {"token", "prefix"},
    "apikey": {"name", "value", "in"},
    "oauth2": {"grant_type", "token_url", "discovery_url", "auth_url", "client_id", "client_secret", "client_auth",
               "scope", "audience", "resource", "username", "password", "header_prefix", "extra", "redirect_port",
               "refresh_token"},
}


def _secret_edit(placeholder: str = "") -> QLineEdit:
    """A password-style line edit with an eye action to show what was typed."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    action = QAction("Show", edit)
    action.setCheckable(True)
    action.setToolTip("Show or hide the value")
    action.toggled.connect(lambda on: edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
    edit.addAction(action, QLineEdit.ActionPosition.TrailingPosition)
    return edit


def _format_left(seconds: int) -> str:
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60}:{seconds % 60:02d}"


class AuthPanel(QWidget):
    """Auth editor: inherit / none / basic / bearer / API key / OAuth 2.0, with token results."""

    changed = Signal()
    token_obtained = Signal(object)  # oauth2.Token

    def __init__(self, parent: QWidget | None = None, allow_inherit: bool = True) -> None:
        super().__init__(parent)
        self._loading = False
        self._inherited: Auth | None = None
        self._inherited_from = ""
        self._kept: dict[str, str] = {}
        self._kept_type = ""
        self._resolver: Resolver = lambda text: text
        self._settings: Settings | None = None
        self._browser: oauth2.BrowserOpener = self._open_system_browser
        self._task: asyncio.Task[Any] | None = None
        self._token: oauth2.Token | None = None
        self._last_error: WorkbenchError | None = None

        # The OAuth 2.0 form plus token results is taller than a request tab: scroll, never squeeze.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.scroll_area.setWidget(content)
        outer.addWidget(self.scroll_area)
        root = QVBoxLayout(content)
        top = QHBoxLayout()
        top.addWidget(QLabel("Type"))
        self.type_combo = QComboBox()
        for key, label in AUTH_LABELS.items():
            if key == "inherit" and not allow_inherit:
                continue
            self.type_combo.addItem(label, key)
        top.addWidget(self.type_combo)
        top.addStretch(1)
        root.addLayout(top)

        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        self._build_inherit_page()
        self._build_none_page()
        self._build_basic_page()
        self._build_bearer_page()
        self._build_apikey_page()
        self._build_oauth2_page()
        root.addWidget(self.stack)
        self._build_token_box(root)
        self.store_label = QLabel(f"Secrets are kept in: {secrets.backend_label()}")
        self.store_label.setObjectName("secretStoreLabel")
        self.store_label.setWordWrap(True)
        self.store_label.setStyleSheet("color: gray")
        root.addWidget(self.store_label)
        root.addStretch(1)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self._type_changed()

    # ------------------------------------------------------------------ pages

    def _page(self, key: str) -> QFormLayout:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._pages[key] = page
        self.stack.addWidget(page)
        return form

    def _edit(self, form: QFormLayout, label: str, edit: QLineEdit | None = None, placeholder: str = "") -> QLineEdit:
        edit = edit or QLineEdit()
        if placeholder:
            edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._edited)
        form.addRow(label, edit)
        return edit

    def _build_inherit_page(self) -> None:
        form = self._page("inherit")
        self.inherit_label = QLabel()
        self.inherit_label.setWordWrap(True)
        self.inherit_label.setObjectName("inheritLabel")
        form.addRow(self.inherit_label)

    def _build_none_page(self) -> None:
        form = self._page("none")
        form.addRow(QLabel("This request sends no credentials (requests below that inherit send none either)."))

    def _build_basic_page(self) -> None:
        form = self._page("basic")
        self.basic_user = self._edit(form, "Username", placeholder="user or access key")
        self.basic_password = self._edit(form, "Password", _secret_edit("password or secret key"))

    def _build_bearer_page(self) -> None:
        form = self._page("bearer")
        self.bearer_token = self._edit(form, "Token", _secret_edit("token or {{variable}}"))
        self.bearer_prefix = self._edit(form, "Header prefix")
        self.bearer_prefix.setText("Bearer")
        self.bearer_prefix.setToolTip("Sent as `Authorization: <prefix> <token>`; empty sends the token alone.")

    def _build_apikey_page(self) -> None:
        form = self._page("apikey")
        self.apikey_name = self._edit(form, "Key name", placeholder="e.g. X-API-Key, apikey, or Authorization")
        self.apikey_value = self._edit(form, "Value", _secret_edit("key or {{variable}}"))
        self.apikey_in = QComboBox()
        for key, label in _APIKEY_IN:
            self.apikey_in.addItem(label, key)
        self.apikey_in.currentIndexChanged.connect(self._edited)
        form.addRow("Add to", self.apikey_in)

    def _build_oauth2_page(self) -> None:
        form = self._page("oauth2")
        self.oauth_form = form
        self.grant_combo = QComboBox()
        for key, label in oauth2.GRANT_LABELS.items():
            self.grant_combo.addItem(label, key)
        self.grant_combo.currentIndexChanged.connect(self._grant_changed)
        form.addRow("Grant type", self.grant_combo)

        disc_row = QWidget()
        disc_layout = QHBoxLayout(disc_row)
        disc_layout.setContentsMargins(0, 0, 0, 0)
        self.discovery_url = QLineEdit()
        self.discovery_url.setPlaceholderText("issuer URL or …/.well-known/openid-configuration (optional)")
        self.discovery_url.textEdited.connect(self._edited)
        self.discover_button = QPushButton("Discover")
        self.discover_button.setToolTip("Read the provider's OpenID Connect metadata and fill in the endpoints")
        self.discover_button.clicked.connect(self._discover_clicked)
        disc_layout.addWidget(self.discovery_url, 1)
        disc_layout.addWidget(self.discover_button)
        form.addRow("Discovery URL", disc_row)
        self.token_url = self._edit(form, "Token URL", placeholder="https://…/oauth/token")
        self.auth_url = self._edit(form, "Authorization URL", placeholder="https://…/authorize (or from discovery)")
        self.redirect_port = self._edit(form, "Redirect port", placeholder="any free port")
        self.redirect_port.setToolTip("The browser returns to http://127.0.0.1:<port>/callback; register that URI.")
        self.client_id = self._edit(form, "Client ID")
        self.client_secret = self._edit(form, "Client secret", _secret_edit("empty for a public client"))
        self.client_auth = QComboBox()
        for key, label in oauth2.CLIENT_AUTH_LABELS.items():
            self.client_auth.addItem(label, key)
        self.client_auth.currentIndexChanged.connect(self._edited)
        form.addRow("Client authentication", self.client_auth)
        self.oauth_username = self._edit(form, "Username")
        self.oauth_password = self._edit(form, "Password", _secret_edit())
        self.refresh_token_edit = self._edit(form, "Refresh token", _secret_edit())
        self.scope = self._edit(form, "Scope", placeholder="space-separated, e.g. openid api.read")
        self.audience = self._edit(form, "Audience", placeholder="optional (Auth0, some gateways)")
        self.resource = self._edit(form, "Resource", placeholder="optional (RFC 8707, Azure AD v1)")
        self.extra = self._edit(form, "Extra token params", placeholder="k=v&k2=v2 (URL-encoded)")
        self.header_prefix = self._edit(form, "Header prefix")
        self.header_prefix.setText("Bearer")
        self.discovery_info = QLabel()
        self.discovery_info.setWordWrap(True)
        self.discovery_info.setObjectName("discoveryInfo")
        form.addRow(self.discovery_info)

    def _build_token_box(self, root: QVBoxLayout) -> None:
        self.token_box = QFrame()
        self.token_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.token_box)
        buttons = QHBoxLayout()
        self.get_token_button = QPushButton("Get new access token")
        self.get_token_button.clicked.connect(self._get_token_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(lambda: self.cancel_pending())
        self.clear_button = QPushButton("Clear token")
        self.clear_button.setToolTip("Forget the cached token for this auth (memory and secret store)")
        self.clear_button.clicked.connect(self._clear_clicked)
        self.copy_button = QPushButton("Copy token")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self._copy_clicked)
        for button in (self.get_token_button, self.cancel_button, self.clear_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.status_label = QLabel()
        self.status_label.setObjectName("tokenStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(self.status_label.textInteractionFlags()
                                                  | self.status_label.textInteractionFlags().TextSelectableByMouse)
        box.addWidget(self.status_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("tokenError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b")
        self.error_label.hide()
        box.addWidget(self.error_label)
        self.details_button = QToolButton()
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.hide()
        box.addWidget(self.details_button)
        self.details_text = QPlainTextEdit()
        self.details_text.setReadOnly(True)
        self.details_text.setObjectName("tokenDetails")
        self.details_text.hide()
        self.details_button.toggled.connect(self.details_text.setVisible)
        box.addWidget(self.details_text)
        self.jwt_label = QLabel("Decoded JWT (signature not verified)")
        self.jwt_label.hide()
        box.addWidget(self.jwt_label)
        self.jwt_text = QPlainTextEdit()
        self.jwt_text.setReadOnly(True)
        self.jwt_text.setObjectName("jwtText")
        self.jwt_text.hide()
        box.addWidget(self.jwt_text)
        root.addWidget(self.token_box)

    # ------------------------------------------------------------------ public API

    def set_auth(self, auth: Auth, inherited: Auth | None = None, inherited_from: str = "") -> None:
        """Show `auth`; for "inherit", say what comes from where (`inherited_from`, e.g. "collection Petstore")."""
        self._loading = True
        try:
            self._inherited = inherited
            self._inherited_from = inherited_from
            kind = auth.type
            index = self.type_combo.findData(kind)
            if index < 0:  # e.g. "inherit" on a collection root
                index = self.type_combo.findData("none")
            self.type_combo.setCurrentIndex(index)
            own = _OWN_PARAMS.get(kind, set())
            self._kept = {k: v for k, v in auth.params.items() if k not in own}
            self._kept_type = kind
            p = auth.params
            if kind == "basic":
                self.basic_user.setText(p.get("username", ""))
                self.basic_password.setText(p.get("password", ""))
            elif kind == "bearer":
                self.bearer_token.setText(p.get("token", ""))
                self.bearer_prefix.setText(p.get("prefix", "Bearer"))
            elif kind == "apikey":
                self.apikey_name.setText(p.get("name", ""))
                self.apikey_value.setText(p.get("value", ""))
                self.apikey_in.setCurrentIndex(max(0, self.apikey_in.findData(p.get("in", "header"))))
            elif kind == "oauth2":
                grant = p.get("grant_type", "client_credentials")
                if grant == "implicit":  # deprecated (RFC 9700 §2.1.2); core runs code + PKCE instead
                    grant = "authorization_code"
                    self.discovery_info.setText("The imported implicit flow is deprecated: authorization code "
                                                "with PKCE is used instead (same authorization URL).")
                else:
                    self.discovery_info.setText("")
                self.grant_combo.setCurrentIndex(max(0, self.grant_combo.findData(grant)))
                self.token_url.setText(p.get("token_url", ""))
                self.discovery_url.setText(p.get("discovery_url", ""))
                self.auth_url.setText(p.get("auth_url", ""))
                self.redirect_port.setText(p.get("redirect_port", ""))
                self.client_id.setText(p.get("client_id", ""))
                self.client_secret.setText(p.get("client_secret", ""))
                self.client_auth.setCurrentIndex(max(0, self.client_auth.findData(p.get("client_auth", "basic"))))
                self.oauth_username.setText(p.get("username", ""))
                self.oauth_password.setText(p.get("password", ""))
                self.refresh_token_edit.setText(p.get("refresh_token", ""))
                self.scope.setText(p.get("scope", ""))
                self.audience.setText(p.get("audience", ""))
                self.resource.setText(p.get("resource", ""))
                self.extra.setText(p.get("extra", ""))
                self.header_prefix.setText(p.get("header_prefix", "Bearer"))
            self._update_inherit_label()
            self._type_changed()
        finally:
            self._loading = False
        self._show_cached_token()

    def to_model(self) -> Auth:
        """The Auth the form shows; empty optional fields are left out (small YAML diffs)."""
        kind = str(self.type_combo.currentData())
        params: dict[str, str] = dict(self._kept) if kind == self._kept_type else {}
        if kind == "basic":
            params.update(username=self.basic_user.text(), password=self.basic_password.text())
        elif kind == "bearer":
            params["token"] = self.bearer_token.text()
            if self.bearer_prefix.text() != "Bearer":
                params["prefix"] = self.bearer_prefix.text()
        elif kind == "apikey":
            params.update(name=self.apikey_name.text(), value=self.apikey_value.text(),
                          **{"in": str(self.apikey_in.currentData())})
        elif kind == "oauth2":
            params["grant_type"] = str(self.grant_combo.currentData())
            params["client_auth"] = str(self.client_auth.currentData())
            fields = {
                "token_url": self.token_url, "discovery_url": self.discovery_url, "auth_url": self.auth_url,
                "redirect_port": self.redirect_port, "client_id": self.client_id,
                "client_secret": self.client_secret, "scope": self.scope, "audience": self.audience,
                "resource": self.resource, "extra": self.extra, "username": self.oauth_username,
                "password": self.oauth_password, "refresh_token": self.refresh_token_edit,
            }
            for name, edit in fields.items():
                text = edit.text() if name in ("client_secret", "password") else edit.text().strip()
                if text:
                    params[name] = text
                else:
                    params.pop(name, None)
            if self.header_prefix.text() != "Bearer":
                params["header_prefix"] = self.header_prefix.text()
            else:
                params.pop("header_prefix", None)
        return Auth(kind, params)  # type: ignore[arg-type]

    def set_resolver(self, resolver: Resolver | None) -> None:
        """How `{{variables}}` in the fields are resolved before a token request (the editor's environment)."""
        self._resolver = resolver or (lambda text: text)

    def set_settings(self, settings: Settings | None) -> None:
        """Workspace send settings (timeouts, TLS verification, proxy) used for token requests."""
        self._settings = settings

    def set_browser_opener(self, opener: oauth2.BrowserOpener | None) -> None:
        """How the authorization-code sign-in page is opened (default: the system browser via Qt)."""
        self._browser = opener or self._open_system_browser

    @staticmethod
    def _open_system_browser(url: str) -> None:
        if not QDesktopServices.openUrl(QUrl(url)):
            raise AuthError("Could not open a web browser; open this URL yourself: " + url)

    def current_token(self) -> oauth2.Token | None:
        return self._token

    def last_error(self) -> WorkbenchError | None:
        return self._last_error

    def is_busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @Slot()
    def cancel_pending(self) -> None:
        """Cancel a running discovery or token request (Cancel button, closing the panel)."""
        if self._cancel_task():
            self.status_label.setText("Cancelled: no token was requested or the answer is ignored.")

    def _cancel_task(self) -> bool:
        running = self._task is not None and not self._task.done()
        if running:
            assert self._task is not None
            self._task.cancel()
        self._task = None
        self._set_busy(False)
        return running

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._cancel_task()
        self._countdown.stop()
        super().closeEvent(event)

    # ------------------------------------------------------------------ reactions

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()

    def _type_changed(self, *_: object) -> None:
        kind = str(self.type_combo.currentData())
        current = self._pages.get(kind, self._pages["none"])
        # A stack is as tall as its tallest page; let only the shown page count, so "No auth"
        # is not followed by the empty height of the OAuth 2.0 form.
        for page in self._pages.values():
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(current)
        self._update_inherit_label()
        self._grant_changed()
        self.token_box.setVisible(self._token_auth() is not None)
        self._edited()

    def _grant_changed(self, *_: object) -> None:
        grant = str(self.grant_combo.currentData())
        form = self.oauth_form
        form.setRowVisible(self.oauth_username, grant == "password")
        form.setRowVisible(self.oauth_password, grant == "password")
        form.setRowVisible(self.auth_url, grant == "authorization_code")
        form.setRowVisible(self.redirect_port, grant == "authorization_code")
        form.setRowVisible(self.refresh_token_edit, grant == "refresh_token")
        self._edited()

    def _update_inherit_label(self) -> None:
        source = self._inherited_from or "the parent"
        if self._inherited is None:
            text = f"Uses the auth of {source}." if self._inherited_from else \
                "Uses the auth of the parent folder or collection."
        else:
            text = f"Inherited from {source}: {describe(self._inherited)}."
        self.inherit_label.setText(text)

    def _token_auth(self) -> Auth | None:
        """The OAuth 2.0 auth the token box works on: this one, or the inherited one."""
        kind = str(self.type_combo.currentData())
        if kind == "oauth2":
            return self.to_model()
        if kind == "inherit" and self._inherited is not None and self._inherited.type == "oauth2":
            return self._inherited
        return None

    def _resolved(self, auth: Auth) -> Auth:
        return Auth(auth.type, {k: self._resolver(v) for k, v in auth.params.items()})

    def _run(self, coro: Coroutine[Any, Any, Any], busy_text: str) -> None:
        self._cancel_task()  # asking again replaces the running request
        self._set_busy(True, busy_text)
        self._task = asyncio.get_event_loop().create_task(coro)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.get_token_button.setEnabled(not busy)
        self.discover_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self._show_error(None)
            self.status_label.setText(text)

    def _show_error(self, error: WorkbenchError | None) -> None:
        self._last_error = error
        if error is None:
            self.error_label.hide()
            self.details_button.hide()
            self.details_button.setChecked(False)
            self.details_text.hide()
            return
        self.error_label.setText(error.message)
        self.error_label.show()
        detail = error.detail or ""
        if isinstance(error, oauth2.TokenError) and error.status is not None:
            detail = f"HTTP status {error.status}\n\n{error.body or detail}"
        self.details_text.setPlainText(detail)
        self.details_button.setVisible(bool(detail))
        self.scroll_area.ensureWidgetVisible(self.error_label)

    @Slot()
    def _discover_clicked(self) -> None:
        url = self._resolver(self.discovery_url.text().strip())
        if not url:
            self._show_error(AuthError("Type the issuer URL or the discovery URL first."))
            return
        self._run(self._discover(url), "Reading the provider metadata…")

    async def _discover(self, url: str) -> None:
        try:
            found = await oauth2.discover(url, self._settings, refresh=True)
        except WorkbenchError as exc:
            self._set_busy(False)
            self.status_label.setText("")
            self._show_error(exc)
            return
        self._set_busy(False)
        self.token_url.setText(found.token_endpoint)
        if found.authorization_endpoint and not self.auth_url.text().strip():
            self.auth_url.setText(found.authorization_endpoint)
        methods = set(found.auth_methods)
        if methods and "client_secret_basic" not in methods and "client_secret_post" in methods:
            self.client_auth.setCurrentIndex(self.client_auth.findData("body"))
        lines = [f"Issuer: {found.issuer}", f"Token endpoint: {found.token_endpoint}"]
        if found.grant_types:
            lines.append("Grants: " + ", ".join(found.grant_types))
        if found.auth_methods:
            lines.append("Client auth methods: " + ", ".join(found.auth_methods))
        if found.scopes:
            lines.append("Scopes: " + " ".join(found.scopes))
        self.discovery_info.setText("\n".join(lines))
        self.status_label.setText("Endpoints found by discovery.")
        self.changed.emit()

    @Slot()
    def _get_token_clicked(self) -> None:
        auth = self._token_auth()
        if auth is None:
            return
        resolved = self._resolved(auth)
        busy = ("Waiting for you to sign in in the browser (redirect to 127.0.0.1)… Cancel stops waiting."
                if resolved.get("grant_type") in ("authorization_code", "implicit") else "Requesting a token…")
        self._run(self._get_token(resolved), busy)

    async def _get_token(self, auth: Auth) -> None:
        try:
            token = await oauth2.obtain_token(auth, force=True, settings=self._settings, open_browser=self._browser)
        except WorkbenchError as exc:
            self._set_busy(False)
            self.status_label.setText("")
            self._show_error(exc)
            return
        self._set_busy(False)
        self._show_token(token)
        self.token_obtained.emit(token)

    @Slot()
    def _clear_clicked(self) -> None:
        auth = self._token_auth()
        if auth is not None:
            oauth2.forget(self._resolved(auth))
        self._show_token(None)
        self.status_label.setText("Token cleared.")

    @Slot()
    def _copy_clicked(self) -> None:
        if self._token is not None:
            QGuiApplication.clipboard().setText(self._token.access_token)
            self.status_label.setText(self.status_label.text() + "\nCopied to the clipboard.")

    def _show_cached_token(self) -> None:
        auth = self._token_auth()
        cached = oauth2.cached_token(self._resolved(auth)) if auth is not None else None
        self._show_token(cached)

    def _show_token(self, token: oauth2.Token | None) -> None:
        self._token = token
        self.copy_button.setEnabled(token is not None)
        if token is None:
            self._countdown.stop()
            self.status_label.setText("")
            self.jwt_label.hide()
            self.jwt_text.hide()
            return
        self._tick()
        self._countdown.start()
        parts = []
        for title, value in (("Access token", token.access_token), ("ID token", token.id_token)):
            if not value:
                continue
            try:
                parts.append(f"— {title} —\n" + jwt.pretty(jwt.decode(value)))
            except AuthError as exc:
                parts.append(f"— {title} —\n{exc.message}")
        self.jwt_text.setPlainText("\n\n".join(parts))
        self.jwt_label.show()
        self.jwt_text.show()
        self.scroll_area.ensureWidgetVisible(self.status_label)

    def _tick(self) -> None:
        token = self._token
        if token is None:
            self._countdown.stop()
            return
        lines = [f"Token type: {token.token_type}", f"Scopes: {token.scope or '(none granted or not told)'}"]
        left = token.expires_in()
        if left is None:
            lines.append("Expiry: not told by the server")
        elif left == 0:
            lines.append("Expired: it will be refreshed on the next send")
            self._countdown.stop()
        else:
            at = time.strftime("%H:%M:%S", time.localtime(token.expires_at or 0))
            lines.append(f"Expires in {_format_left(left)} (at {at})")
        if token.refresh_token:
            lines.append("Refresh token: yes (used before expiry)")
        self.status_label.setText("\n".join(lines))
