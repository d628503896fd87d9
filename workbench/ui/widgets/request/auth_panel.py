"""The "Auth" tab of a request, folder or collection: pick a scheme and fill it in.

A thin form over `collections.Auth`: `set_auth()` fills it, `to_model()` reads it back, and
`changed` fires on every edit. The panel holds the scheme switch and the simple schemes (basic,
bearer, API key); OAuth 2.0, with its discovery and token work, is an `OAuth2Form` it embeds,
so each file holds one job.

Layout: the scheme and, for OAuth 2.0, the token actions with their one-line result stay at the
top; only the fields below scroll (one scroll area: the request tab adds none of its own), so
"Get new access token" and its outcome are in sight even in a 700-pixel-high window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.auth import oauth2
from workbench.core.auth.schemes import AUTH_LABELS, describe
from workbench.core.collections import Auth, Request, Settings
from workbench.core.errors import WorkbenchError
from workbench.core.sending.send import SendContext
from workbench.core.workspace import secrets
from workbench.ui.palette import current
from workbench.ui.widgets.request.oauth2_form import OWN_PARAMS as _OAUTH2_PARAMS
from workbench.ui.widgets.request.oauth2_form import OAuth2Form
from workbench.ui.widgets.request.secret_edit import secret_edit

_APIKEY_IN = (("header", "Header"), ("query", "Query parameter"), ("cookie", "Cookie"))
# Params each page shows; anything else found in a loaded Auth is kept as it was.
_OWN_PARAMS = {
    "basic": {"username", "password"},
    "bearer": {"token", "prefix"},
    "apikey": {"name", "value", "in"},
    "oauth2": _OAUTH2_PARAMS,
}


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

        # The OAuth 2.0 form plus token results is taller than a request tab: the fields scroll,
        # never squeeze; the type and the token actions above them do not scroll.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.setSpacing(4)
        top = QHBoxLayout()
        top.setContentsMargins(9, 0, 9, 0)
        scheme = QWidget()
        scheme_row = QHBoxLayout(scheme)
        scheme_row.setContentsMargins(0, 0, 0, 0)
        scheme_row.addWidget(QLabel("Type"))
        self.type_combo = QComboBox()
        for key, label in AUTH_LABELS.items():
            if key == "inherit" and not allow_inherit:
                continue
            self.type_combo.addItem(label, key)
        scheme_row.addWidget(self.type_combo)
        top.addWidget(scheme, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(12)
        outer.addLayout(top)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.scroll_area.setWidget(content)
        root = QVBoxLayout(content)

        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        self._build_inherit_page()
        self._build_none_page()
        self._build_basic_page()
        self._build_bearer_page()
        self._build_apikey_page()
        root.addWidget(self.stack)
        # Below the simple pages, not one of them: its token box also serves "inherit" when the
        # parent uses OAuth 2.0, under the inherit page's text.
        self.oauth2 = OAuth2Form(token_auth=self._token_auth, place_token_bar=False)
        self.oauth2.changed.connect(self._edited)
        self.oauth2.token_obtained.connect(self.token_obtained)
        self.oauth2.reveal.connect(self._reveal)
        self.token_box = self.oauth2.token_box
        # The token buttons sit on the type's line; their result and errors right below it.
        self.token_bar = self.oauth2.token_bar
        top.addWidget(self.token_bar, 1)
        top.addStretch(0)
        root.addWidget(self.oauth2)
        self.store_label = QLabel(f"Secrets are kept in: {secrets.backend_label()}")
        self.store_label.setObjectName("secretStoreLabel")
        self.store_label.setWordWrap(True)
        self.store_label.setStyleSheet(f"color: {current().muted}")
        root.addWidget(self.store_label)
        root.addStretch(1)
        outer.addWidget(self.scroll_area, 1)

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
        self.basic_password = self._edit(form, "Password", secret_edit("password or secret key"))

    def _build_bearer_page(self) -> None:
        form = self._page("bearer")
        self.bearer_token = self._edit(form, "Token", secret_edit("token or {{variable}}"))
        self.bearer_prefix = self._edit(form, "Header prefix")
        self.bearer_prefix.setText("Bearer")
        self.bearer_prefix.setToolTip("Sent as `Authorization: <prefix> <token>`; empty sends the token alone.")

    def _build_apikey_page(self) -> None:
        form = self._page("apikey")
        self.apikey_name = self._edit(form, "Key name", placeholder="e.g. X-API-Key, apikey, or Authorization")
        self.apikey_value = self._edit(form, "Value", secret_edit("key or {{variable}}"))
        self.apikey_in = QComboBox()
        for key, label in _APIKEY_IN:
            self.apikey_in.addItem(label, key)
        self.apikey_in.currentIndexChanged.connect(self._edited)
        form.addRow("Add to", self.apikey_in)

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
                self.oauth2.set_params(p)
            self._update_inherit_label()
            self._type_changed()
        finally:
            self._loading = False
        self.oauth2.show_cached_token()

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
            params = self.oauth2.params(params)
        return Auth(kind, params)  # type: ignore[arg-type]

    def set_context(self, context: SendContext | None, request: Request | None = None) -> None:
        """The context (`core/context/`) token and discovery requests resolve `{{variables}}` in."""
        self.oauth2.set_context(context, request)

    def set_settings(self, settings: Settings | None) -> None:
        """Workspace send settings (timeouts, TLS verification, proxy) used for token requests."""
        self.oauth2.set_settings(settings)

    def set_browser_opener(self, opener: oauth2.BrowserOpener | None) -> None:
        """How the authorization-code sign-in page is opened (default: the system browser via Qt)."""
        self.oauth2.set_browser_opener(opener)

    def current_token(self) -> oauth2.Token | None:
        return self.oauth2.current_token()

    def last_error(self) -> WorkbenchError | None:
        return self.oauth2.last_error()

    def is_busy(self) -> bool:
        return self.oauth2.is_busy()

    @Slot()
    def cancel_pending(self) -> None:
        """Cancel a running discovery or token request (Cancel button, closing the panel)."""
        self.oauth2.cancel_pending()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.oauth2.stop()
        super().closeEvent(event)

    # ------------------------------------------------------------------ reactions

    def _edited(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit()

    @Slot(QWidget)
    def _reveal(self, widget: QWidget) -> None:
        self.scroll_area.ensureWidgetVisible(widget)

    def _type_changed(self, *_: object) -> None:
        kind = str(self.type_combo.currentData())
        current = self._pages.get(kind, self._pages["none"])
        # A stack is as tall as its tallest page; let only the shown page count, so "No auth"
        # is not followed by the empty height of the API key form.
        for page in self._pages.values():
            policy = QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(current)
        self.stack.setVisible(kind != "oauth2")
        self._update_inherit_label()
        self.oauth2.update_rows()
        self.oauth2.show_parts(fields=kind == "oauth2", token_box=self._token_auth() is not None)
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
