"""One request tab: where it lives, method, URL, Save, and the Params / Headers / Body / Auth / Docs tabs.

The editor turns its form into a `Request` (`to_model`) and shows a `Request` (`set_request`);
it never sends, saves or generates code by itself — it asks the window through signals.
The URL box and the Params table edit the same query: `core/urls.py` converts both ways, so
typing `?a=1` adds a row and ticking a row off removes it from the URL (disabled rows stay).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QFocusEvent,
    QFontDatabase,
    QKeyEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workbench.core.collections import (
    HTTP_METHODS,
    Auth,
    Body,
    BodyKind,
    Collection,
    FormPart,
    Request,
)
from workbench.core.urls import join_url, merge_params, split_url
from workbench.core.variables import VARIABLE, Resolver
from workbench.ui.palette import current
from workbench.ui.theme import METHOD_COLORS
from workbench.ui.widgets.key_value_table import KeyValueTable
from workbench.ui.widgets.request.breadcrumb import Breadcrumb
from workbench.ui.widgets.request.highlighter import CodeHighlighter, language_for
from workbench.ui.widgets.settings_overrides import SettingsOverridesForm

if TYPE_CHECKING:
    from workbench.core.sending.send import SendContext
    from workbench.ui.widgets.request.auth_panel import AuthPanel

RAW_TYPES = ("", "application/json", "application/xml", "text/plain", "text/xml", "application/merge-patch+json",
             "text/html", "application/problem+json")
BODY_LABELS = {"none": "None", "raw": "Raw", "form": "Form URL-encoded", "multipart": "Multipart form", "binary": "Binary file"}


def _mono_font() -> object:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 9.5))
    return font


class UrlEdit(QPlainTextEdit):
    """A one-line text box that colours `{{variables}}` (known green, unknown red).

    A QLineEdit cannot carry a QSyntaxHighlighter, so this is a QPlainTextEdit kept to one
    line: no wrapping, no scroll bars, newlines from paste become nothing, Enter emits
    `returnPressed`. Hovering a variable shows its resolved value (secrets masked).
    """

    textEdited = Signal(str)  # noqa: N815 - mirrors QLineEdit's signal name
    returnPressed = Signal()  # noqa: N815
    curl_pasted = Signal(str)  # a whole curl command was pasted: the editor turns it into the request

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._programmatic = False
        self._values: Mapping[str, str] = {}
        self._secrets: frozenset[str] = frozenset()
        self.setObjectName("url")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.document().setDocumentMargin(4)
        self.setFixedHeight(self.fontMetrics().height() + 16)
        self.highlighter = CodeHighlighter(self.document(), "text")
        self.highlighter.set_variables({})
        self.textChanged.connect(self._text_changed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(400, self.fontMetrics().height() + 16)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        if text == self.toPlainText():
            return
        self._programmatic = True
        try:
            self.setPlainText(text.replace("\n", ""))
            self.moveCursor(QTextCursor.MoveOperation.End)  # as QLineEdit.setText does
        finally:
            self._programmatic = False

    def cursorPosition(self) -> int:  # noqa: N802 - mirrors QLineEdit
        return self.textCursor().position()

    def setCursorPosition(self, position: int) -> None:  # noqa: N802 - mirrors QLineEdit
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, len(self.toPlainText()))))
        self.setTextCursor(cursor)

    def set_variables(self, values: Mapping[str, str], secrets: frozenset[str] = frozenset()) -> None:
        self._values = values
        self._secrets = secrets
        self.highlighter.set_variables(values)

    def resolved_tooltip(self, position: int) -> str:
        """What the variable under `position` resolves to ('' when there is none)."""
        for match in VARIABLE.finditer(self.toPlainText()):
            if match.start() <= position <= match.end():
                name = match.group(1)
                if name in self._secrets:
                    return f"{{{{{name}}}}} = •••••• (secret)"
                if name in self._values:
                    return f"{{{{{name}}}}} = {Resolver(self._values)(match.group(0))}"
                if name.startswith("$"):
                    return f"{{{{{name}}}}}: computed at send time"
                return f"{{{{{name}}}}} is not defined in the collection or the active environment"
        return ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            tip = self.resolved_tooltip(self.cursorForPosition(pos).position())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        popup = getattr(self, "completion_popup", None)  # set by a completer attached to this box
        if popup is not None and popup.isVisible() and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            event.ignore()  # the completer's popup takes these: Enter picks a name instead of sending
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        from workbench.core.interchange.curl import looks_like_curl

        if source.hasText() and looks_like_curl(source.text()):
            self.curl_pasted.emit(source.text())  # as Postman does: a pasted curl fills the whole request
            return
        text = source.text().replace("\r", "").replace("\n", "").strip() if source.hasText() else ""
        if text:
            self.textCursor().insertText(text)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        if event.reason() != Qt.FocusReason.MouseFocusReason:
            self.moveCursor(QTextCursor.MoveOperation.End)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        cursor = self.textCursor()
        cursor.clearSelection()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.setTextCursor(cursor)
        super().focusOutEvent(event)

    @Slot()
    def _text_changed(self) -> None:
        if not self._programmatic:
            self.textEdited.emit(self.toPlainText())


class MultipartTable(QTableWidget):
    """Parts of a multipart/form-data body (RFC 7578): text values or files picked from disk."""

    changed = Signal()
    NAME, VALUE, FILE, CTYPE = 0, 1, 2, 3

    def __init__(self, base_dir: str = "", parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.base_dir = base_dir
        self._loading = False
        self.setHorizontalHeaderLabels(["Name", "Value", "File", "Content type"])
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.FILE, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(self.NAME, 160)
        self.setColumnWidth(self.CTYPE, 160)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemChanged.connect(self._item_changed)
        self.cellDoubleClicked.connect(self._double_clicked)

    def set_parts(self, parts: tuple[FormPart, ...] | list[FormPart]) -> None:
        self._loading = True
        try:
            self.setRowCount(0)
            for part in parts:
                self._append(part)
        finally:
            self._loading = False

    def parts(self) -> list[FormPart]:
        out = []
        for r in range(self.rowCount()):
            name_item = self.item(r, self.NAME)
            name = name_item.text().strip() if name_item else ""
            value, file, ctype = (self._text(r, c) for c in (self.VALUE, self.FILE, self.CTYPE))
            if not (name or value or file):
                continue
            enabled = name_item.checkState() == Qt.CheckState.Checked if name_item else True
            out.append(FormPart(name, "" if file else value, file, ctype.strip(), enabled))
        return out

    def add_text_part(self) -> None:
        self._append(FormPart("", ""))
        self.changed.emit()
        item = self.item(self.rowCount() - 1, self.NAME)
        if item is not None:
            self.editItem(item)

    def add_file_part(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a file to upload", self.base_dir)
            if not path:
                return
        self._append(FormPart(Path(path).stem or "file", "", self._relative(path)))
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        for r in rows:
            self.removeRow(r)
        if rows:
            self.changed.emit()

    def _relative(self, path: str) -> str:
        """Paths inside the collection folder are stored relative, so the workspace stays portable."""
        try:
            return str(Path(path).resolve().relative_to(Path(self.base_dir).resolve())) if self.base_dir else path
        except ValueError:
            return path

    def _text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item else ""

    def _append(self, part: FormPart) -> None:
        self._loading = True
        try:
            r = self.rowCount()
            self.insertRow(r)
            name = QTableWidgetItem(part.name)
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Checked if part.enabled else Qt.CheckState.Unchecked)
            self.setItem(r, self.NAME, name)
            value = QTableWidgetItem(part.value if not part.file else "")
            if part.file:
                value.setFlags(value.flags() & ~Qt.ItemFlag.ItemIsEditable)
                value.setToolTip("A file part: its content is read from the file at send time")
            self.setItem(r, self.VALUE, value)
            file = QTableWidgetItem(part.file)
            file.setFlags(file.flags() & ~Qt.ItemFlag.ItemIsEditable)
            file.setToolTip("Double-click to choose a file" if not part.file else f"{part.file}\nDouble-click to change")
            self.setItem(r, self.FILE, file)
            self.setItem(r, self.CTYPE, QTableWidgetItem(part.content_type))
        finally:
            self._loading = False

    @Slot(int, int)
    def _double_clicked(self, row: int, column: int) -> None:
        if column != self.FILE:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Choose a file to upload", self.base_dir)
        if path:
            self.set_file(row, path)

    def set_file(self, row: int, path: str) -> None:
        """Turn `row` into a file part reading `path`."""
        item = self.item(row, self.FILE)
        if item is not None:
            item.setText(self._relative(path))
        value = self.item(row, self.VALUE)
        if value is not None:
            value.setText("")
            value.setFlags(value.flags() & ~Qt.ItemFlag.ItemIsEditable)

    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading:
            self.changed.emit()


class RequestEditor(QWidget):
    """Signals: `send_requested`, `cancel_requested`, `code_requested`, `save_requested`,
    `dirty_changed(bool)`, and `location_clicked(key)` (a breadcrumb part: select it in the tree)."""

    send_requested = Signal()
    cancel_requested = Signal()
    code_requested = Signal()
    save_requested = Signal()
    dirty_changed = Signal(bool)
    location_clicked = Signal(str)

    def __init__(self, collection_path: str, request: Request, parent: QWidget | None = None,
                 base_dir: str = "") -> None:
        super().__init__(parent)
        self.collection_path = collection_path
        self._saved = request
        self._loading = False
        self._dirty = False
        self._sending = False

        # -- request line
        self.method = QComboBox(self)
        self.method.setEditable(True)
        self.method.addItems(list(HTTP_METHODS))
        self.method.setFixedWidth(104)
        self.method.setObjectName("method")
        self.url = UrlEdit(self)
        self.url.setPlaceholderText("https://example.com/api/resource?param=value   ({{variables}} allowed)")
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("primary")
        self.send_button.setToolTip("Send (Ctrl+Enter); Esc cancels")
        self.send_button.setMinimumWidth(84)
        self.send_button.clicked.connect(self._send_clicked)
        self.code_button = QToolButton(self)
        self.code_button.setText("</>")
        self.code_button.setObjectName("code")
        self.code_button.setToolTip("Generate code for this request (curl, Python, JavaScript, C#)")
        self.code_button.clicked.connect(self.code_requested)
        # Save sits beside Send as in Postman; enabled only while there is something to save.
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("save")
        self.save_button.setToolTip("Save the request (Ctrl+S)")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_requested)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.method)
        top.addWidget(self.url, 1)
        top.addWidget(self.send_button)
        top.addWidget(self.save_button)
        top.addWidget(self.code_button)
        self.breadcrumb = Breadcrumb(self)
        self.breadcrumb.part_clicked.connect(self.location_clicked)

        # -- params / headers
        self.params = KeyValueTable(self, placeholder="parameter")
        self.headers = KeyValueTable(self, placeholder="header")
        self.inherited_headers = QLabel("", self)
        self.inherited_headers.setObjectName("muted")
        self.inherited_headers.setWordWrap(True)
        headers_page = self._headers_page = QWidget(self)
        hl = QVBoxLayout(headers_page)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.headers, 1)
        hl.addWidget(self.inherited_headers)

        # -- body
        self.body_kind = QComboBox(self)
        for kind, label in BODY_LABELS.items():
            self.body_kind.addItem(label, kind)
        self.raw_type = QComboBox(self)
        self.raw_type.setEditable(True)
        self.raw_type.addItems(list(RAW_TYPES))
        raw_line = self.raw_type.lineEdit()
        if raw_line is not None:
            raw_line.setPlaceholderText("Content-Type: detected from the text")
        self.raw_type.setMinimumWidth(260)
        self.beautify = QPushButton("Beautify", self)
        self.beautify.setToolTip("Re-indent a JSON or XML body")
        self.beautify.clicked.connect(self._beautify)
        self.body_text = QPlainTextEdit(self)
        self.body_text.setFont(_mono_font())  # type: ignore[arg-type]
        self.body_text.setPlaceholderText('{\n  "name": "{{user}}"\n}')
        self.body_text.setTabStopDistance(self.body_text.fontMetrics().horizontalAdvance(" ") * 2)
        self.body_highlighter = CodeHighlighter(self.body_text.document(), "json")
        self.form = KeyValueTable(self, placeholder="field")
        self.multipart = MultipartTable(base_dir, self)
        add_text = QPushButton("Add text part", self)
        add_text.clicked.connect(self.multipart.add_text_part)
        add_file = QPushButton("Add file part…", self)
        add_file.clicked.connect(lambda: self.multipart.add_file_part())
        remove_part = QPushButton("Remove", self)
        remove_part.clicked.connect(self.multipart.remove_selected)
        multipart_page = QWidget(self)
        ml = QVBoxLayout(multipart_page)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.multipart, 1)
        mb = QHBoxLayout()
        for b in (add_text, add_file, remove_part):
            mb.addWidget(b)
        mb.addStretch(1)
        ml.addLayout(mb)
        self.binary_file = QLineEdit(self)
        self.binary_file.setPlaceholderText("File sent as the whole body")
        browse = QPushButton("Choose file…", self)
        browse.clicked.connect(self._choose_binary)
        self.binary_type = QLineEdit(self)
        self.binary_type.setPlaceholderText("Content-Type: guessed from the file name")
        binary_page = QWidget(self)
        bl = QVBoxLayout(binary_page)
        bl.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.binary_file, 1)
        row.addWidget(browse)
        bl.addLayout(row)
        bl.addWidget(self.binary_type)
        bl.addStretch(1)
        none_page = QLabel("This request has no body.", self)
        none_page.setObjectName("empty")
        none_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        raw_page = QWidget(self)
        rl = QVBoxLayout(raw_page)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.body_text, 1)
        self.body_stack = QStackedWidget(self)
        self._body_pages = {"none": none_page, "raw": raw_page, "form": self.form, "multipart": multipart_page,
                            "binary": binary_page}
        for page in self._body_pages.values():
            self.body_stack.addWidget(page)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.body_kind)
        bar.addWidget(self.raw_type)
        bar.addWidget(self.beautify)
        bar.addStretch(1)
        body_layout.addLayout(bar)
        body_layout.addWidget(self.body_stack, 1)

        # -- auth: the panel (and the OAuth2 code behind it) is built when the Auth tab is first
        # shown; until then the request's Auth value is kept as it is.
        self._auth_panel: AuthPanel | None = None
        self._auth_value: Auth = request.auth
        self._inherited: tuple[Auth | None, str] = (None, "")
        self._context: SendContext | None = None
        # The panel scrolls its own fields under a fixed bar (type, token actions): one scroll
        # area, so "Get new access token" is never below the fold of a nested one.
        self._auth_page = QWidget(self)
        self._auth_layout = QVBoxLayout(self._auth_page)
        self._auth_layout.setContentsMargins(0, 0, 0, 0)

        # -- docs: rendered Markdown, editable on demand
        self.docs_view = QTextBrowser(self)
        self.docs_view.setOpenExternalLinks(True)
        self.docs_edit = QPlainTextEdit(self)
        self.docs_edit.setPlaceholderText("Describe this request in Markdown…")
        self.docs_stack = QStackedWidget(self)
        self.docs_stack.addWidget(self.docs_view)
        self.docs_stack.addWidget(self.docs_edit)
        self.docs_toggle = QPushButton("Edit", self)
        self.docs_toggle.setCheckable(True)
        self.docs_toggle.toggled.connect(self._docs_toggled)
        docs = QWidget(self)
        dl = QVBoxLayout(docs)
        dl.setContentsMargins(0, 6, 0, 0)
        dbar = QHBoxLayout()
        dbar.addStretch(1)
        dbar.addWidget(self.docs_toggle)
        dl.addLayout(dbar)
        dl.addWidget(self.docs_stack, 1)

        self.sections = QTabWidget(self)
        self.sections.setDocumentMode(True)
        from workbench.ui.widgets.request.path_variables import (  # issue 14
            PathVariables,
            params_page,
        )

        self.path_variables = PathVariables(self)
        self._params_page = params_page(self.params, self.path_variables)
        self.sections.addTab(self._params_page, "Params")
        self.sections.addTab(headers_page, "Headers")
        self.sections.addTab(body, "Body")
        self.sections.addTab(self._auth_page, "Auth")
        self.sections.addTab(docs, "Docs")
        # Per-request send settings (a slow import's own timeout): only ticked keys are its own.
        self.settings_form = SettingsOverridesForm(self, "the collection and folders")
        self.sections.addTab(self.settings_form, "Settings")
        # -- runner checks tab (issue 15, runner half): checks and save-to-variable steps
        from workbench.ui.widgets.request.checks_table import ChecksTable

        self.checks = ChecksTable(self)
        self.checks.changed.connect(self._changed)
        self.sections.addTab(self.checks, "Checks")
        # -- end runner checks tab

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 4)
        layout.setSpacing(6)
        layout.addWidget(self.breadcrumb)
        layout.addLayout(top)
        layout.addWidget(self.sections, 1)

        self._collection: Collection | None = None
        self.set_request(request)
        if request.body.kind != "none" and not request.params:
            self.sections.setCurrentIndex(2)  # a request with a body opens on its Body tab
        self.method.currentTextChanged.connect(self._method_changed)
        self.url.textEdited.connect(self._url_edited)
        self.url.curl_pasted.connect(self._curl_pasted)
        self.url.returnPressed.connect(self._send_clicked)
        self.params.changed.connect(self._params_edited)
        self.path_variables.changed.connect(self._changed)
        self.headers.changed.connect(self._changed)
        self.body_kind.currentIndexChanged.connect(self._body_kind_changed)
        self.raw_type.currentTextChanged.connect(self._raw_type_changed)
        self.body_text.textChanged.connect(self._changed)
        self.form.changed.connect(self._changed)
        self.multipart.changed.connect(self._changed)
        self.binary_file.textChanged.connect(self._changed)
        self.binary_type.textChanged.connect(self._changed)
        self.docs_edit.textChanged.connect(self._changed)
        self.settings_form.changed.connect(self._changed)
        self.sections.currentChanged.connect(self._section_shown)

    # ------------------------------------------------------------------ identity
    @property
    def key(self) -> tuple[str, str]:
        return (self.collection_path, self._saved.path)

    @property
    def saved_request(self) -> Request:
        return self._saved

    def title(self) -> str:
        return self._saved.name or "Untitled"

    def set_key(self, collection_path: str, request_path: str) -> None:
        """The request's file moved (drag and drop, rename): follow it without touching edits."""
        self.collection_path = collection_path
        self._saved = replace(self._saved, path=request_path)
        self._show_location()
        self._update_save_button()

    # ------------------------------------------------------------------ auth panel (built on demand)
    @property
    def auth(self) -> AuthPanel:
        """The Auth tab's panel, created the first time it is needed."""
        if self._auth_panel is None:
            from workbench.ui.widgets.request.auth_panel import AuthPanel

            panel = AuthPanel(self)
            self._loading = True
            try:
                panel.set_auth(self._auth_value, *self._inherited)
                panel.set_context(self._context, self._saved)
            finally:
                self._loading = False
            if not self._dirty and panel.to_model() != self._auth_value:
                # The form shows the saved auth in its own normal form: not an edit.
                self._saved = replace(self._saved, auth=panel.to_model())
            panel.changed.connect(self._changed)
            self._auth_panel = panel
            self._auth_layout.addWidget(panel)
            panel.show()
        return self._auth_panel

    @Slot(int)
    def _section_shown(self, index: int) -> None:
        if self.sections.widget(index) is self._auth_page:
            self.auth  # noqa: B018 - build the panel now that it is shown

    def _auth_model(self) -> Auth:
        return self._auth_panel.to_model() if self._auth_panel is not None else self._auth_value

    # ------------------------------------------------------------------ context
    def set_context(self, collection: Collection | None, variables: Mapping[str, str],
                    secret_names: frozenset[str] = frozenset(), base_dir: str = "",
                    context: SendContext | None = None) -> None:
        """Where the request lives: colours variables, shows inherited auth and headers.

        `context` is the window's `send_context` for this request's collection: the Auth tab's
        token and discovery buttons resolve variables in it, exactly as Send does.
        """
        self._collection = collection
        self.url.set_variables(variables, secret_names)
        self.body_highlighter.set_variables(variables)
        if base_dir:
            self.multipart.base_dir = base_dir
        self._inherited = self._inherited_auth()
        self._context = context
        if context is not None:
            inherited = context.settings_for(replace(self._saved, settings={}))
            self.settings_form.set_inherited(inherited, "the collection, its folders and the workspace")
        if self._auth_panel is not None:
            self._loading = True
            try:
                self._auth_panel.set_auth(self._auth_panel.to_model(), *self._inherited)
                self._auth_panel.set_context(context, self._saved)
            finally:
                self._loading = False
        rows: list[str] = []
        if collection is not None:
            rows.extend(f"{h.name} (collection)" for h in collection.headers if h.enabled and h.name)
            for folder in collection.chain(self._saved.path or "x"):
                rows.extend(f"{h.name} (folder {folder.name})" for h in folder.headers if h.enabled and h.name)
        self.inherited_headers.setText("Also sent: " + ", ".join(rows) if rows else "")
        self.inherited_headers.setVisible(bool(rows))
        self._show_location()

    def _show_location(self) -> None:
        """collection › folder › … › request, each container a link to its tree item."""
        coll = self._collection
        parts: list[tuple[str, str]] = []
        if self.collection_path:
            parts.append((coll.name if coll is not None else self.collection_path, self.collection_path))
            if coll is not None and self._saved.path:
                parts.extend((f.name, f"{self.collection_path}/{f.path}") for f in coll.chain(self._saved.path))
        parts.append((self.title() if self._saved.path else f"{self.title()} (not saved)", ""))
        self.breadcrumb.set_parts(parts)

    def _inherited_auth(self) -> tuple[Auth | None, str]:
        coll = self._collection
        if coll is None:
            return None, ""
        for folder in reversed(coll.chain(self._saved.path or "x")):
            if folder.auth.type != "inherit":
                return folder.auth, f"folder “{folder.name}”"
        return coll.auth, f"collection “{coll.name}”"

    # ------------------------------------------------------------------ model <-> form
    def set_request(self, request: Request) -> None:
        """Show `request` (as saved): the form becomes clean."""
        self._loading = True
        try:
            self.method.setCurrentText(request.method)
            self._color_method(request.method)
            self.url.setText(join_url(request.url, request.params))
            self.params.set_rows(request.params)
            self.path_variables.set_rows(request.path_variables, request.url)
            self.headers.set_rows(request.headers)
            body = request.body
            self.body_kind.setCurrentIndex(max(0, self.body_kind.findData(body.kind)))
            self.raw_type.setCurrentText(body.content_type if body.kind == "raw" else "")
            self.body_text.setPlainText(body.text)
            self.form.set_rows(body.form)
            self.multipart.set_parts(body.parts)
            self.binary_file.setText(body.file)
            self.binary_type.setText(body.content_type if body.kind == "binary" else "")
            self._show_body_page(body.kind)
            self._auth_value = request.auth
            self._inherited = self._inherited_auth()
            if self._auth_panel is not None:
                self._auth_panel.set_auth(request.auth, *self._inherited)
            self.docs_edit.setPlainText(request.docs)
            self._render_docs()
            self.settings_form.set_overrides(request.settings)
            self.checks.set_steps(request.checks, request.save)  # runner checks tab
        finally:
            self._loading = False
        self._saved = request
        # Widgets may normalise what they show (e.g. an auth form fills defaults); that is not an edit.
        self._saved = self.to_model() if self._normalised_equal(request) else request
        self._set_dirty(False)
        self.update_counts()
        self._show_location()

    def _normalised_equal(self, request: Request) -> bool:
        model = self.to_model()
        return (model.method, model.url, model.params, model.headers, model.docs) == \
            (request.method, request.url, request.params, request.headers, request.docs)

    def to_model(self) -> Request:
        """The request as the form shows it now."""
        base, _ = split_url(self.url.text())
        kind: BodyKind = self.body_kind.currentData() or "none"
        if kind == "raw":
            ctype = self.raw_type.currentText().strip()
        elif kind == "binary":
            ctype = self.binary_type.text().strip()
        else:
            ctype = self._saved.body.content_type if self._saved.body.kind == kind else ""
        body = Body(kind, ctype, self.body_text.toPlainText() if kind == "raw" else "",
                    tuple(self.form.rows()) if kind == "form" else (),
                    tuple(self.multipart.parts()) if kind == "multipart" else (),
                    self.binary_file.text().strip() if kind == "binary" else "")
        return replace(self._saved, method=self.method.currentText().strip().upper() or "GET", url=base,
                       params=tuple(self.params.rows()), headers=tuple(self.headers.rows()), body=body,
                       auth=self._auth_model(), docs=self.docs_edit.toPlainText(),
                       settings=self.settings_form.overrides(), path_variables=self.path_variables.rows(),
                       checks=self.checks.checks(), save=self.checks.saves())  # runner checks tab

    # ------------------------------------------------------------------ dirty state
    def is_dirty(self) -> bool:
        return self._dirty

    def mark_saved(self, request: Request) -> None:
        self._saved = request
        self._set_dirty(self.to_model() != request)
        self._show_location()
        self._update_save_button()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._update_save_button()

    def _update_save_button(self) -> None:
        """Save is enabled for unsaved changes, and for a request that has no file yet."""
        self.save_button.setEnabled(self._dirty or not self._saved.path)

    def update_counts(self) -> None:
        """"Params (2)", "Headers (3)": the enabled rows each tab sends (the add-row is not one)."""
        for widget, name, rows in ((self._params_page, "Params", self.params.rows()),
                                   (self._headers_page, "Headers", self.headers.rows())):
            count = sum(1 for row in rows if row.enabled and row.name)
            self.sections.setTabText(self.sections.indexOf(widget), f"{name} ({count})" if count else name)

    @Slot()
    def _changed(self, *_: object) -> None:
        self.update_counts()
        if not self._loading:
            self._set_dirty(self.to_model() != self._saved)

    # ------------------------------------------------------------------ sending state
    def set_sending(self, sending: bool) -> None:
        """While a send runs the Send button becomes Cancel."""
        self._sending = sending
        self.send_button.setText("Cancel" if sending else "Send")
        self.send_button.setObjectName("danger" if sending else "primary")
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)

    @Slot()
    def _send_clicked(self) -> None:
        if self._sending:
            self.cancel_requested.emit()
        else:
            self.send_requested.emit()

    # ------------------------------------------------------------------ slots
    @Slot(str)
    def _method_changed(self, method: str) -> None:
        self._color_method(method)
        self._changed()

    def _color_method(self, method: str) -> None:
        color = METHOD_COLORS.get(method.strip().upper(), "#57606a")
        self.method.setStyleSheet(f"QComboBox#method {{ color: {color}; font-weight: 700; }}")

    @Slot(str)
    def _curl_pasted(self, text: str) -> None:
        """Method, URL, headers, body, auth and settings from a pasted curl command (an edit, not a save)."""
        from workbench.core.errors import WorkbenchError
        from workbench.core.interchange.curl import parse_curl

        try:
            parsed = parse_curl(text)
        except WorkbenchError as exc:
            QToolTip.showText(self.url.mapToGlobal(self.url.rect().bottomLeft()), exc.message, self.url)
            return
        saved = self._saved
        self.set_request(replace(parsed, name=saved.name, path=saved.path, docs=saved.docs or parsed.docs,
                                 meta=saved.meta))
        self._saved = saved
        self._set_dirty(self.to_model() != saved)

    @Slot(str)
    def _url_edited(self, text: str) -> None:
        """URL → Params: the typed query becomes the enabled rows; disabled rows stay."""
        _, typed = split_url(text)
        self._loading = True
        try:
            self.params.set_rows(merge_params(tuple(self.params.rows()), typed))
            self.path_variables.follow_url(text)
        finally:
            self._loading = False
        self._changed()

    @Slot()
    def _params_edited(self) -> None:
        """Params → URL."""
        if self._loading:
            return
        base, _ = split_url(self.url.text())
        position = self.url.cursorPosition()
        self.url.setText(join_url(base, self.params.rows()))
        self.url.setCursorPosition(min(position, len(self.url.text())))
        self._changed()

    @Slot(int)
    def _body_kind_changed(self, _index: int) -> None:
        kind = self.body_kind.currentData() or "none"
        self._show_body_page(kind)
        self._changed()

    def _show_body_page(self, kind: str) -> None:
        self.body_stack.setCurrentWidget(self._body_pages.get(kind, self._body_pages["none"]))
        self.raw_type.setVisible(kind == "raw")
        self.beautify.setVisible(kind == "raw")
        self._raw_type_changed(self.raw_type.currentText(), emit=False)

    def _raw_type_changed(self, text: str, emit: bool = True) -> None:
        self.body_highlighter.set_language(language_for(text, self.body_text.toPlainText()))
        if emit:
            self._changed()

    @Slot()
    def _beautify(self) -> None:
        import json

        text = self.body_text.toPlainText()
        lang = language_for(self.raw_type.currentText(), text)
        try:
            if lang == "json":
                pretty = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
            elif lang == "xml":
                from workbench.core import safe_xml

                pretty = safe_xml.pretty(safe_xml.parse(text.encode("utf-8"), remove_blank_text=True))
            else:
                return
        except Exception as exc:  # noqa: BLE001 - json/lxml parse errors: show, do not crash
            QToolTip.showText(self.beautify.mapToGlobal(self.beautify.rect().bottomLeft()),
                              f"Not valid {lang.upper()}: {exc}", self.beautify)
            return
        cursor = self.body_text.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(pretty.rstrip("\n"))  # one undo step

    @Slot()
    def _choose_binary(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the body file", self.multipart.base_dir)
        if path:
            self.binary_file.setText(self.multipart._relative(path))

    @Slot(bool)
    def _docs_toggled(self, editing: bool) -> None:
        self.docs_toggle.setText("Preview" if editing else "Edit")
        if not editing:
            self._render_docs()
        self.docs_stack.setCurrentWidget(self.docs_edit if editing else self.docs_view)

    def _render_docs(self) -> None:
        text = self.docs_edit.toPlainText()
        if text.strip():
            self.docs_view.setMarkdown(text)
        else:
            self.docs_view.setHtml(f"<p style='color:{current().faint}'>No documentation yet. Click <b>Edit</b> to write "
                                   "some in Markdown.</p>")
