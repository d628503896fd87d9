"""The OAuth 2.0 part of the Auth tab: the grant's fields, discovery, and the token box.

The Auth panel picks a scheme; this form holds everything OAuth 2.0 needs beyond that, so the
panel stays a small scheme switch. Token work (discovery, "Get new access token") calls core
entry points (`oauth2.discover`, `oauth2.obtain_token`) as asyncio tasks on the qasync loop;
the task handle is kept and cancelled when the user asks again, presses Cancel or the panel
closes, so the UI never blocks and never gets a late answer for a changed form.

The token box also serves a request that inherits OAuth 2.0 from its folder or collection:
then the fields are hidden and the panel tells the form (through `token_auth`) which auth the
box works on.

The token actions and the one-line result (`token_bar`) can be placed by the host: the Auth
panel pins them above its scrolling fields, so "Get new access token" and a failure are in
sight in a short request tab.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any, Callable, Coroutine, Mapping

from PySide6.QtCore import Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.auth import jwt, oauth2
from workbench.core.collections import Auth, Request, Settings
from workbench.core.context.resolve import resolve_text
from workbench.core.errors import (
    AuthError,
    TokenError,
    UnresolvedVariableError,
    WorkbenchError,
)
from workbench.core.sending.send import SendContext
from workbench.ui.palette import current
from workbench.ui.widgets.request.secret_edit import secret_edit

# The params this form edits; anything else found in a loaded Auth is kept by the panel.
OWN_PARAMS = {"grant_type", "token_url", "discovery_url", "auth_url", "client_id", "client_secret", "client_auth",
              "scope", "audience", "resource", "username", "password", "header_prefix", "extra", "redirect_port",
              "refresh_token"}


def _format_left(seconds: int) -> str:
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60}:{seconds % 60:02d}"


def relative_time(seconds: float) -> str:
    """"in 59 min" / "3 h ago": how far a date is from now, rounded down to a unit a person reads."""
    span = int(abs(seconds))
    if span < 5:
        return "just now"
    if span < 60:
        text = f"{span} s"
    elif span < 3600:
        text = f"{span // 60} min"
    elif span < 2 * 86400:
        text = f"{span // 3600} h"
    else:
        text = f"{span // 86400} days"
    return f"in {text}" if seconds >= 0 else f"{text} ago"


def local_time_claims(claims: Mapping[str, Any], now: float | None = None) -> list[str]:
    """The NumericDate claims (`exp`, `iat`, `nbf`, … RFC 7519 §4.1) as local dates plus "in 59 min".

    A user checks "has it expired, was it issued just now" against the clock on the wall, so
    the date is the computer's local time (with its zone), not the epoch number in the claims.
    """
    now = time.time() if now is None else now
    lines = []
    for name in jwt.TIME_CLAIMS:
        value = claims.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        try:
            when = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(float(value))).strip()
        except (OverflowError, OSError, ValueError):
            continue
        lines.append(f"{name}: {when} ({relative_time(float(value) - now)})")
    return lines


class OAuth2Form(QWidget):
    """OAuth 2.0 fields (grant, endpoints, client, scopes) and the token box with its results.

    `changed` fires on every edit, `token_obtained(oauth2.Token)` after "Get new access token",
    and `reveal(QWidget)` asks the scrolling parent to bring a result into view.
    """

    changed = Signal()
    token_obtained = Signal(object)  # oauth2.Token
    reveal = Signal(QWidget)

    def __init__(self, parent: QWidget | None = None,
                 token_auth: Callable[[], Auth | None] | None = None, place_token_bar: bool = True) -> None:
        super().__init__(parent)
        self._loading = False
        self._token_auth_source = token_auth
        self._context: SendContext | None = None
        self._context_request = Request("(auth)")
        self._settings: Settings | None = None
        self._browser: oauth2.BrowserOpener = self._open_system_browser
        self._task: asyncio.Task[Any] | None = None
        self._token: oauth2.Token | None = None
        self._last_error: WorkbenchError | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._build_token_bar()
        if place_token_bar:
            layout.addWidget(self.token_bar)
        self.fields = QWidget()
        layout.addWidget(self.fields)
        self._build_fields()
        self._build_token_box(layout)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.update_rows()

    # ------------------------------------------------------------------ building

    def _edit(self, label: str, edit: QLineEdit | None = None, placeholder: str = "") -> QLineEdit:
        edit = edit or QLineEdit()
        if placeholder:
            edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._edited)
        self.oauth_form.addRow(label, edit)
        return edit

    def _build_fields(self) -> None:
        form = QFormLayout(self.fields)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.oauth_form = form
        self.grant_combo = QComboBox()
        for key, label in oauth2.GRANT_LABELS.items():
            self.grant_combo.addItem(label, key)
        self.grant_combo.currentIndexChanged.connect(self.update_rows)
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
        self.token_url = self._edit("Token URL", placeholder="https://…/oauth/token")
        self.auth_url = self._edit("Authorization URL", placeholder="https://…/authorize (or from discovery)")
        self.redirect_port = self._edit("Redirect port", placeholder="any free port")
        self.redirect_port.setToolTip("The browser returns to http://127.0.0.1:<port>/callback; register that URI.")
        self.client_id = self._edit("Client ID")
        self.client_secret = self._edit("Client secret", secret_edit("empty for a public client"))
        self.client_auth = QComboBox()
        for key, label in oauth2.CLIENT_AUTH_LABELS.items():
            self.client_auth.addItem(label, key)
        self.client_auth.currentIndexChanged.connect(self._edited)
        form.addRow("Client authentication", self.client_auth)
        self.oauth_username = self._edit("Username")
        self.oauth_password = self._edit("Password", secret_edit())
        self.refresh_token_edit = self._edit("Refresh token", secret_edit())
        self.scope = self._edit("Scope", placeholder="space-separated, e.g. openid api.read")
        self.audience = self._edit("Audience", placeholder="optional (Auth0, some gateways)")
        self.resource = self._edit("Resource", placeholder="optional (RFC 8707, Azure AD v1)")
        self.extra = self._edit("Extra token params", placeholder="k=v&k2=v2 (URL-encoded)")
        self.header_prefix = self._edit("Header prefix")
        self.header_prefix.setText("Bearer")
        self.discovery_info = QLabel()
        self.discovery_info.setWordWrap(True)
        self.discovery_info.setObjectName("discoveryInfo")
        form.addRow(self.discovery_info)

    def _build_token_bar(self) -> None:
        """The token actions and the one-line result or error: what the host keeps in sight."""
        self.token_bar = QWidget()
        self.token_bar.setObjectName("tokenBar")
        bar = QVBoxLayout(self.token_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        self.token_buttons = QHBoxLayout()
        self.get_token_button = QPushButton("Get new access token")
        self.get_token_button.setObjectName("primary")
        self.get_token_button.setToolTip("Ask the token server now; Send uses the token until it expires")
        self.get_token_button.clicked.connect(self._get_token_clicked)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()  # only while a request runs
        self.cancel_button.clicked.connect(lambda: self.cancel_pending())
        self.copy_button = QPushButton("Copy token")
        self.copy_button.setEnabled(False)
        self.copy_button.setToolTip("Copy the access token to the clipboard")
        self.copy_button.clicked.connect(self._copy_clicked)
        self.clear_button = QPushButton("Clear token")
        self.clear_button.setToolTip("Forget the cached token for this auth (memory and secret store)")
        self.clear_button.clicked.connect(self._clear_clicked)
        for button in (self.get_token_button, self.cancel_button, self.copy_button, self.clear_button):
            self.token_buttons.addWidget(button)
        self.token_buttons.addStretch(1)
        bar.addLayout(self.token_buttons)
        self.status_label = QLabel()
        self.status_label.setObjectName("tokenStatus")
        self.status_label.hide()  # shown with its first text (`_status`)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(self.status_label.textInteractionFlags()
                                                  | self.status_label.textInteractionFlags().TextSelectableByMouse)
        bar.addWidget(self.status_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("tokenError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(self.status_label.textInteractionFlags())
        self.error_label.setStyleSheet(f"color: {current().danger}")
        self.error_label.hide()
        self.details_button = QToolButton()
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.hide()
        error_row = QHBoxLayout()
        error_row.addWidget(self.error_label, 1)
        error_row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        bar.addLayout(error_row)

    def _build_token_box(self, root: QVBoxLayout) -> None:
        self.token_box = QFrame()
        self.token_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.token_box)
        self.details_text = QPlainTextEdit()
        self.details_text.setReadOnly(True)
        self.details_text.setObjectName("tokenDetails")
        self.details_text.hide()
        self.details_button.toggled.connect(self._details_toggled)
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

    def set_params(self, p: Mapping[str, str]) -> None:
        """Fill the fields from an oauth2 Auth's params (without emitting `changed`)."""
        self._loading = True
        try:
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
        finally:
            self._loading = False

    def params(self, kept: Mapping[str, str] | None = None) -> dict[str, str]:
        """`kept` (params of a loaded Auth this form does not edit) plus the form's fields.

        Empty optional fields are left out (small YAML diffs).
        """
        params: dict[str, str] = dict(kept or {})
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
        return params

    def show_parts(self, fields: bool, token_box: bool) -> None:
        """Show the fields (own OAuth 2.0) and/or the token box (own or inherited OAuth 2.0)."""
        self.fields.setVisible(fields)
        self.token_bar.setVisible(token_box)
        self.token_box.setVisible(token_box and self._box_has_content())
        self.setVisible(fields or token_box)

    def _status(self, text: str) -> None:
        """The one-line result under the buttons; hidden when empty, so an error sits right below them."""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _box_has_content(self) -> bool:
        """The framed box below the fields holds error details and the decoded JWT: hide it empty."""
        return self._token is not None or self.details_button.isChecked()

    def _refresh_box(self) -> None:
        self.token_box.setVisible(not self.token_bar.isHidden() and self._box_has_content())

    @Slot(bool)
    def _details_toggled(self, on: bool) -> None:
        self.details_text.setVisible(on)
        self._refresh_box()
        if on:
            self.reveal.emit(self.details_text)

    def set_context(self, context: SendContext | None, request: Request | None = None) -> None:
        """The context (from `core/context/`) the token and discovery requests resolve `{{variables}}` in.

        `request` places the form: a request, or an empty one in the folder or collection whose
        settings dialog shows the form, so folder variables apply as they do to a send.
        """
        self._context = context
        self._context_request = request or Request("(auth)")

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
            self._status("Cancelled: no token was requested or the answer is ignored.")

    def stop(self) -> None:
        """Cancel running token work and the expiry countdown: the form is going away."""
        self._cancel_task()
        self._countdown.stop()

    def show_cached_token(self) -> None:
        """Show the token the cache holds for the current auth, if any (after a load)."""
        auth = self._token_auth()
        try:
            cached = oauth2.cached_token(self._resolved(auth)) if auth is not None else None
        except UnresolvedVariableError:
            cached = None  # nothing can be cached for an auth that cannot be resolved
        self._show_token(cached)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.stop()
        super().closeEvent(event)

    # ------------------------------------------------------------------ reactions

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()

    def update_rows(self, *_: object) -> None:
        """Show only the rows the chosen grant uses (password, authorization code, refresh token)."""
        grant = str(self.grant_combo.currentData())
        form = self.oauth_form
        form.setRowVisible(self.oauth_username, grant == "password")
        form.setRowVisible(self.oauth_password, grant == "password")
        form.setRowVisible(self.auth_url, grant == "authorization_code")
        form.setRowVisible(self.redirect_port, grant == "authorization_code")
        form.setRowVisible(self.refresh_token_edit, grant == "refresh_token")
        self._edited()

    def _cancel_task(self) -> bool:
        running = self._task is not None and not self._task.done()
        if running:
            assert self._task is not None
            self._task.cancel()
        self._task = None
        self._set_busy(False)
        return running

    def _token_auth(self) -> Auth | None:
        """The OAuth 2.0 auth the token box works on: the panel's choice, else this form's fields."""
        if self._token_auth_source is not None:
            return self._token_auth_source()
        return Auth("oauth2", self.params())

    def _resolved(self, auth: Auth) -> Auth:
        """`auth` with its variables resolved as a send resolves them; UnresolvedVariableError names the missing."""
        if self._context is None:
            return auth
        from workbench.core.context.resolve import auth_for

        return auth_for(self._context, replace(self._context_request, auth=auth))

    def _run(self, coro: Coroutine[Any, Any, Any], busy_text: str) -> None:
        self._cancel_task()  # asking again replaces the running request
        self._set_busy(True, busy_text)
        self._task = asyncio.get_event_loop().create_task(coro)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.get_token_button.setEnabled(not busy)
        self.discover_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self._show_error(None)
            self._status(text)

    def _show_error(self, error: WorkbenchError | None) -> None:
        self._last_error = error
        if error is None:
            self.error_label.hide()
            self.details_button.hide()
            self.details_button.setChecked(False)
            self.details_text.hide()
            return
        # Core masks the request's secrets in every TokenError text (oauth2.masked_token_error):
        # what is shown here is that masked message, never the raw server answer.
        self.error_label.setText(error.message)
        self.error_label.show()
        detail = error.detail or ""
        if isinstance(error, TokenError) and error.status is not None:
            detail = f"HTTP status {error.status}\n\n{error.body or detail}"
        self.details_text.setPlainText(detail)
        self.details_button.setVisible(bool(detail))

    @Slot()
    def _discover_clicked(self) -> None:
        text = self.discovery_url.text().strip()
        try:
            url = resolve_text(self._context, text, self._context_request, "the discovery request") \
                if self._context is not None else text
        except UnresolvedVariableError as exc:
            self._show_token(None)
            self._show_error(exc)
            return
        if not url:
            self._show_error(AuthError("Type the issuer URL or the discovery URL first."))
            return
        self._run(self._discover(url), "Reading the provider metadata…")

    async def _discover(self, url: str) -> None:
        try:
            found = await oauth2.discover(url, self._settings, refresh=True)
        except WorkbenchError as exc:
            self._set_busy(False)
            self._status("")
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
        self._status("Endpoints found by discovery.")
        self.changed.emit()

    @Slot()
    def _get_token_clicked(self) -> None:
        auth = self._token_auth()
        if auth is None:
            return
        try:
            resolved = self._resolved(auth)
        except UnresolvedVariableError as exc:
            self._show_token(None)
            self._show_error(exc)
            return
        busy = ("Waiting for you to sign in in the browser (redirect to 127.0.0.1)… Cancel stops waiting."
                if resolved.get("grant_type") in ("authorization_code", "implicit") else "Requesting a token…")
        self._run(self._get_token(resolved), busy)

    async def _get_token(self, auth: Auth) -> None:
        try:
            token = await oauth2.obtain_token(auth, force=True, settings=self._settings, open_browser=self._browser)
        except WorkbenchError as exc:
            self._set_busy(False)
            self._show_token(None)  # the old token's expiry and claims must not sit beside the error
            self._show_error(exc)
            return
        self._set_busy(False)
        self._show_token(token)
        self.token_obtained.emit(token)

    @Slot()
    def _clear_clicked(self) -> None:
        auth = self._token_auth()
        if auth is not None:
            try:
                oauth2.forget(self._resolved(auth))
            except UnresolvedVariableError:
                pass  # nothing was cached for it
        self._show_token(None)
        self._status("Token cleared.")

    @Slot()
    def _copy_clicked(self) -> None:
        if self._token is not None:
            QGuiApplication.clipboard().setText(self._token.access_token)
            self._status(self.status_label.text() + "\nCopied to the clipboard.")

    def _show_token(self, token: oauth2.Token | None) -> None:
        self._token = token
        self.copy_button.setEnabled(token is not None)
        if token is None:
            self._countdown.stop()
            self._status("")
            self.jwt_label.hide()
            self.jwt_text.clear()
            self.jwt_text.hide()
            self._refresh_box()
            return
        self._tick()
        self._countdown.start()
        parts = []
        for title, value in (("Access token", token.access_token), ("ID token", token.id_token)):
            if not value:
                continue
            try:
                decoded = jwt.decode(value)
            except AuthError as exc:
                parts.append(f"— {title} —\n{exc.message}")
                continue
            dates = local_time_claims(decoded.claims)
            when = "Dates (local time):\n" + "\n".join(f"  {line}" for line in dates) + "\n\n" if dates else ""
            parts.append(f"— {title} —\n{when}{_pretty_without_utc_dates(decoded)}")
        self.jwt_text.setPlainText("\n\n".join(parts))
        self.jwt_label.show()
        self.jwt_text.show()
        self._refresh_box()

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
        # One line under the buttons: Send uses this token, so say so where the button is.
        self._status("✔ Send uses this token · " + " · ".join(lines))


def _pretty_without_utc_dates(decoded: jwt.DecodedJwt) -> str:
    """`jwt.pretty` without its UTC "Dates:" section: the form shows local dates above instead."""
    text = jwt.pretty(decoded)
    head, sep, _ = text.partition("\n\nDates:")
    return head if sep else text
