"""The main window: the article with its marks, the claims panel, and the status of the engine."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMainWindow, QMenu, QMessageBox, QSizePolicy, QSplitter, QTableView, QToolButton, QVBoxLayout,
                               QWidget)

from factdesk.errors import FactdeskError
from factdesk.verdicts import fact_value_text

from . import engine
from .editor import ArticleEditor
from .message_label import MessageLabel
from .models import SOURCE, ClaimsFilter, ClaimsModel, RowRole
from .positions import OffsetMap
from .settings import DesktopSettings
from .style import NOT_A_CLAIM, VERDICT_STYLE
from .worker import Worker

log = logging.getLogger("factdesk.desktop")

DRAFT_FILTER = "Drafts (*.txt *.md *.markdown *.html *.htm *.docx);;All files (*)"
SAVE_FILTER = "Text (*.txt);;Markdown (*.md)"
RECHECK_DELAY_MS = 1200
MARK_STEP = 1000          # claims marked per event-loop turn


class MainWindow(QMainWindow):
    """Paste or open an article, check it, and walk its claims."""

    engineReady = Signal(object)       # EngineInfo
    checkFinished = Signal(object)     # Report, once marks and table show it
    exported = Signal(str)             # path of an HTML report written
    problem = Signal(str)              # every one-line error shown to the user

    def __init__(self, settings: DesktopSettings, database: Path, parent: QWidget | None = None,
                 log_file: Path | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.log_file = log_file
        self.setAcceptDrops(True)
        self._jobs: dict[int, str] = {}
        self._revision = 0
        self._checked_revision = -1
        self._check_running = False
        self._check_wanted = False
        self._check_job: int | None = None
        self._syncing = False
        self.source = "untitled"
        self._published: str | None = None    # the open document's own publication date, if it gives one
        self._curation = None                 # the GUI thread's connection for editing facts
        self.save_path: Path | None = None    # where Save writes: the opened .txt/.md, or a Save As choice
        self._checked_database: Path | None = None
        self._checked_text = ""
        self.as_of: str | None = None         # the article date typed in, else the dateline's or today's
        self._file_warnings: tuple[str, ...] = ()
        self.report = None
        self.engine_info: engine.EngineInfo | None = None
        self.database = database
        self._pending_database: Path | None = None

        self._build_ui()
        self._build_actions()
        self._restore_layout()
        self.editor.document().setModified(False)     # setting up the editor is no edit
        self._update_title()
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(RECHECK_DELAY_MS)
        self._recheck_timer.timeout.connect(self.check_now)
        self.worker = Worker(self)
        self.worker.finished.connect(self._job_finished)
        self.worker.failed.connect(self._job_failed)
        self.worker.cancelled.connect(self._job_cancelled)
        # fetching waits on the network: its own thread, so checking and imports never queue behind it
        self.fetcher = Worker(self, name="factdesk-fetch")
        self.fetcher.finished.connect(self._fetch_finished)
        self.fetcher.failed.connect(self._fetch_failed)
        self.fetcher.cancelled.connect(self._fetch_cancelled)
        self._fetch_job: int | None = None
        self._load_engine(database)

    # -- construction -------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.editor = ArticleEditor(self)
        self.editor.textEdited.connect(self._text_changed)
        self.editor.cursorPositionChanged.connect(self._cursor_moved)
        self.editor.marksEdited.connect(self._marks_edited)
        self.editor.filesDropped.connect(self._files_dropped)
        self.editor.document().modificationChanged.connect(self.setWindowModified)

        self.model = ClaimsModel(self)
        self.proxy = ClaimsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("claimsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # long names differ at their end ("... 70B Instruct"): elide in the middle, the tooltip has them whole
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # fits the panel at 1280x800 without a horizontal scroll bar; the source column takes the rest
        for col, width in enumerate((112, 96, 88, 132, 78, 78)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(self._row_double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.open_source_action = QAction("Open &Source in Browser", self)
        self.open_source_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.open_source_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_source_action.triggered.connect(lambda: self.open_source(self.current_row()))
        self.table.addAction(self.open_source_action)

        # filter bar: one toggle per verdict (with counts) and a text filter
        self.kind_buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 2)
        bar.setSpacing(6)
        for kind in ("conflicting", "unverified", "verified", NOT_A_CLAIM):
            style = VERDICT_STYLE[kind]
            b = QToolButton(self)
            b.setObjectName(f"filter_{kind}")
            b.setCheckable(True)
            b.setChecked(kind != NOT_A_CLAIM)      # numbers that are no claim stay out of the way until asked for
            b.setToolTip(f"Show {style.label.lower()} claims")
            b.setStyleSheet(
                f"QToolButton {{ border: 1px solid #d0d7de; border-radius: 12px; padding: 3px 10px; "
                f"color: #57606a; background: #f6f8fa; }}"
                f"QToolButton:checked {{ color: {style.ink}; background: {style.fill}; border-color: {style.ink}; "
                f"font-weight: 600; }}")
            b.toggled.connect(lambda on, k=kind: self._kind_toggled(k, on))
            self.kind_buttons[kind] = b
            bar.addWidget(b)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("claimFilter")
        self.filter_edit.setPlaceholderText("Filter claims…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_text_changed)
        bar.addWidget(self.filter_edit, 1)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addLayout(bar)
        side_layout.addWidget(self.table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([580, 700])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        status = self.statusBar()
        self.message_label = MessageLabel(self)
        status.addWidget(self.message_label, 1)
        self.summary_label = QLabel("", self)
        self.summary_label.setObjectName("summaryLabel")
        self.model_label = QLabel("Loading language model…", self)
        self.model_label.setObjectName("modelLabel")
        self.db_label = QLabel("", self)
        self.db_label.setObjectName("databaseLabel")
        for w in (self.summary_label, self.model_label, self.db_label):
            w.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(w)
        self.resize(1280, 800)
        self._update_counts({})

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, self.choose_file, file_menu)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self._rebuild_recent()
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save, file_menu)
        self._action("Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as, file_menu)
        file_menu.addSeparator()
        self._action("Open &Web Article…", "Ctrl+L", self.choose_url, file_menu)
        self.stop_fetch_action = self._action("S&top Fetching", "Esc", self.stop_fetch, file_menu)
        self.stop_fetch_action.setEnabled(False)
        self._action("Open &Database…", "Ctrl+Shift+O", self.choose_database, file_menu)
        self._action("&Batch Check Folder…", "Ctrl+B", self.open_batch, file_menu)
        file_menu.addSeparator()
        self.export_action = self._action("&Export HTML…", "Ctrl+E", self.choose_export, file_menu)
        file_menu.addSeparator()
        self._action("&Quit", QKeySequence.StandardKey.Quit, self.close, file_menu)

        check_menu = menu.addMenu("&Check")
        self.check_action = self._action("&Check Article", "Ctrl+Return", self.check_now, check_menu)
        self.check_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.next_action = self._action("&Next Claim", "F8", lambda: self.goto_claim(True), check_menu)
        self.prev_action = self._action("&Previous Claim", "Shift+F8", lambda: self.goto_claim(False), check_menu)
        check_menu.addSeparator()
        self.auto_action = QAction("Re-check &Automatically After Edits", self)
        self.auto_action.setCheckable(True)
        self.auto_action.setChecked(self.settings.auto_recheck())
        self.auto_action.toggled.connect(self.settings.set_auto_recheck)
        check_menu.addAction(self.auto_action)
        self._action("Set Article &Date…", "Ctrl+D", lambda: (self.date_edit.setFocus(), self.date_edit.selectAll()),
                     check_menu)
        # how much evidence a verdict needs: strict says less and errs less
        strict_menu = check_menu.addMenu("&Strictness")
        strict_menu.setObjectName("strictnessMenu")
        self.strictness_group = QActionGroup(self)
        self.strictness_actions = {}
        for value, label, tip in (("strict", "&Strict", "Fewer verdicts, fewer mistakes"),
                                  ("balanced", "&Balanced", "The default"),
                                  ("lenient", "&Lenient", "More verdicts, more mistakes")):
            action = QAction(label, self, checkable=True)
            action.setStatusTip(tip)
            action.setChecked(self.settings.strictness() == value)
            action.triggered.connect(lambda _c=False, v=value: self.set_strictness(v))
            self.strictness_group.addAction(action)
            strict_menu.addAction(action)
            self.strictness_actions[value] = action

        facts_menu = menu.addMenu("F&acts")
        self._action("&Reference Facts…", "Ctrl+Shift+F", self.open_reference_browser, facts_menu)
        self.add_fact_action = self._action("&Add Claim as Fact…", "Ctrl+Shift+A",
                                            lambda: self.add_claim_as_fact(self.current_row()), facts_menu)
        facts_menu.addSeparator()
        self._action("&Import Facts…", None, self.open_import, facts_menu)
        self._action("Make &Working Copy", None, self.make_working_copy, facts_menu)
        self._action("&Export Facts…", None, lambda: self.open_reference_browser().export_csv(), facts_menu)

        help_menu = menu.addMenu("&Help")
        self._action("&About factdesk", None, self._about, help_menu)

        tools = self.addToolBar("Main")
        tools.setObjectName("mainToolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addAction(self.open_action)
        tools.addAction(self.check_action)
        tools.addSeparator()
        tools.addAction(self.prev_action)
        tools.addAction(self.next_action)
        tools.addSeparator()
        tools.addAction(self.export_action)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tools.addWidget(spacer)
        date_label = QLabel("Article date ", self)
        date_label.setStyleSheet("color: #57606a;")
        tools.addWidget(date_label)
        self.date_edit = QLineEdit(self)
        self.date_edit.setObjectName("articleDate")
        self.date_edit.setPlaceholderText("from dateline")
        self.date_edit.setFixedWidth(176)
        self.date_edit.setClearButtonEnabled(True)
        self.date_edit.setToolTip("Judge against the facts valid on this date (YYYY-MM-DD). Empty: the date in "
                                  "the article's dateline, else today.")
        self.date_edit.editingFinished.connect(self._date_entered)
        tools.addWidget(self.date_edit)
        self.check_action.setToolTip("Check every number in the article (Ctrl+Return)")
        tools.setStyleSheet("QToolBar { spacing: 4px; padding: 3px 6px; } QToolButton { padding: 4px 10px; }")
        check_button = tools.widgetForAction(self.check_action)
        if check_button is not None:
            check_button.setObjectName("checkButton")
            check_button.setStyleSheet("QToolButton#checkButton { font-weight: 600; color: white; background: #0969da;"
                                       " border-radius: 4px; padding: 4px 14px; }"
                                       "QToolButton#checkButton:pressed { background: #0550ae; }")

    def _action(self, text, shortcut, slot, menu) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _restore_layout(self) -> None:
        geometry = self.settings.layout("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.layout("windowState")
        if state is not None:
            self.restoreState(state)
        split = self.settings.layout("splitter")
        if split is not None:
            self.splitter.restoreState(split)

    # -- messages -----------------------------------------------------------------------------------
    def notify(self, message: str, error: bool = False, timeout_ms: int = 8000) -> None:
        """Show a one-line message in the status bar (errors are also logged and signalled, and stay)."""
        if error:
            if message.startswith("[FD900]") and self.log_file and str(self.log_file) not in message:
                message = message.replace("the log file", str(self.log_file))
            log.warning("%s", message)
            self.problem.emit(message)
        self.message_label.show_message(message, error, 0 if error else timeout_ms)

    def message(self) -> str:
        """The status bar's current message, whole."""
        return self.message_label.message()

    # -- engine -------------------------------------------------------------------------------------
    def _load_engine(self, path: Path) -> None:
        self._pending_database = Path(path)
        self.model_label.setText("Loading language model…")
        self.db_label.setText(f"Database: {Path(path).name} (opening…)")
        self._jobs[self.worker.submit(engine.load_engine(Path(path)))] = "load"

    def _engine_loaded(self, info: engine.EngineInfo) -> None:
        self.engine_info = info
        self.database = Path(info.database).resolve()
        self.settings.set_database(self.database)
        if self._curation is not None and Path(self._curation.path).resolve() != self.database:
            # the browser and forms edit the database in use, never the one before it
            for name in ("reference_browser", "import_dialog", "fact_dialog"):
                widget = getattr(self, name, None)
                if widget is not None:
                    try:
                        widget.close()
                    except RuntimeError:      # already deleted on close
                        pass
                    setattr(self, name, None)
            self._curation.close()
            self._curation = None
        model = info.model + (" — reduced accuracy" if info.reduced_accuracy else "")
        self.model_label.setText(f"Model: {model}")
        self.model_label.setStyleSheet("color: #8a5a00; font-weight: 600;" if info.reduced_accuracy else "")
        self.model_label.setToolTip(info.notice or "spaCy pipeline used to read the article")
        self._show_facts(info.facts)
        if not self.message_label.is_error:     # an error (a draft that would not open) stays in view
            self.notify("Ready to check." + (f" {info.notice}" if info.notice else ""))
        self.engineReady.emit(info)
        stale = self._checked_revision != self._revision or self._checked_database != self.database
        if self.editor.toPlainText().strip() and stale:
            self.check_now()      # a new database judges the same text afresh

    def _show_facts(self, facts: int) -> None:
        self.db_label.setText(f"Database: {self.database.name} ({facts:,} facts)")
        self.db_label.setToolTip(str(self.database))

    # -- files --------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open draft", "", DRAFT_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        """Load a draft into the editor and check it; False (with a status message) if it cannot be read."""
        from factdesk.textio import read_document

        try:
            doc = read_document(path)
        except FactdeskError as exc:
            self.notify(str(exc), error=True)
            if "FD101" in str(exc):
                self.settings.remove_recent(str(Path(path).resolve()))
                self._rebuild_recent()
            return False
        if not self.confirm_discard():
            return False
        # Save writes plain text back only where the draft was plain text; other formats Save As
        self.save_path = Path(path) if Path(path).suffix.lower() in (".txt", ".md", ".markdown") else None
        self._show_document(doc, str(path))
        self.settings.add_recent(path)
        self._rebuild_recent()
        return True

    def _show_document(self, doc, source: str) -> None:
        """Put a document's text in the editor and check it."""
        self.source = source
        self._published = doc.date
        self._file_warnings = tuple(doc.warnings)
        self.editor.setPlainText(doc.text)
        self.editor.document().setModified(False)
        self._update_title()
        for w in doc.warnings:
            self.notify(w, error=True)     # logged and signalled now; repeated with the result below
        self.check_now()

    def choose_url(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        url, ok = QInputDialog.getText(self, "Open web article", "Address of the article (http:// or https://):")
        if ok and url.strip():
            self.open_url(url.strip())

    def open_url(self, url: str) -> int | None:
        """Fetch a web article off the GUI thread, then show and check its main text; returns the job id."""
        from factdesk.web import is_url

        if not is_url(url):
            self.notify(f"[FD501] '{url[:80]}' is not a web address; give one that starts with http:// or https://",
                        error=True)
            return None
        if not self.confirm_discard():
            return None
        if self._fetch_job is not None:
            self.fetcher.cancel(self._fetch_job)
        self.notify(f"Fetching {url}… (Esc or File > Stop Fetching to stop)", timeout_ms=0)
        self._fetch_job = self.fetcher.submit(engine.fetch_article(url))
        self.stop_fetch_action.setEnabled(True)
        return self._fetch_job

    def stop_fetch(self) -> None:
        if self._fetch_job is not None:
            self.fetcher.cancel(self._fetch_job)
            self.notify("Stopping the fetch…")

    def _fetch_done(self, job: int) -> bool:
        if job != self._fetch_job:
            return False           # an older fetch, replaced by a newer one
        self._fetch_job = None
        self.stop_fetch_action.setEnabled(False)
        return True

    def _fetch_finished(self, job: int, doc) -> None:
        if self._fetch_done(job):
            self.save_path = None
            self._show_document(doc, doc.source)

    def _fetch_failed(self, job: int, message: str) -> None:
        if self._fetch_done(job):
            self.notify(message, error=True)

    def _fetch_cancelled(self, job: int) -> None:
        if self._fetch_done(job):
            self.notify("Stopped fetching; the editor keeps what it had.")

    def _files_dropped(self, files: list[str]) -> None:
        if files:
            self.open_file(files[0])

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls() and any(u.isLocalFile() for u in e.mimeData().urls()):
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        files = [u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()]
        if files:
            e.acceptProposedAction()
            self.open_file(files[0])

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        for p in files:
            folder = Path(p).parent
            a = self.recent_menu.addAction(f"{Path(p).name}  —  {folder.name or folder}")
            a.setToolTip(p)
            a.setStatusTip(p)
            a.triggered.connect(lambda _=False, p=p: self.open_file(p))
        self.recent_menu.setEnabled(bool(files))

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open reference database", str(self.database.parent),
                                              "factdesk databases (*.db *.sqlite *.sqlite3);;All files (*)")
        if path:
            self.open_database(Path(path))

    def open_database(self, path: Path) -> None:
        """Switch to another reference database; the current one stays if the new one is refused."""
        self._load_engine(path)

    # -- checking -----------------------------------------------------------------------------------
    def check_now(self) -> None:
        """Check the editor's text off the GUI thread; a newer edit makes the result stale and re-checks."""
        self._recheck_timer.stop()
        text = self.editor.toPlainText()
        if not text.strip():
            self.notify("Nothing to check yet: paste or open an article.")
            return
        if self._check_running:
            # the running check is for an older text: stop it (long texts stop between pieces)
            self._check_wanted = True
            if self._check_job is not None:
                self.worker.cancel(self._check_job)
            return
        self._check_running = True
        self._check_wanted = False
        words = len(text.split())
        waiting = "" if self.engine_info else " (starts when the language model is ready)"
        self.notify(f"Checking {words:,} words…{waiting}", timeout_ms=0)
        job = engine.check_text(text, self.source, self._revision, self.as_of, self._published,
                                self.settings.strictness())
        self._check_job = self.worker.submit(job)
        self._jobs[self._check_job] = "check"

    def _checked(self, result: engine.CheckResult) -> None:
        self._check_running = False
        if result.revision != self._revision:
            # the text changed while it was being checked: these offsets no longer fit
            if self._check_wanted or self.auto_action.isChecked():
                self.check_now()
            else:
                self.notify("The article changed during the check; press Ctrl+Return to check it again.")
            return
        report = result.report
        self.report = report
        self._checked_revision = result.revision
        self._checked_database = Path(result.database).resolve()
        self._checked_text = result.text
        if result.facts is not None:
            self._show_facts(result.facts)     # someone else changed the database since the last check
        self._syncing = True
        try:
            self.model.set_verdicts(report.verdicts)
        finally:
            self._syncing = False
        self._apply_marks(report, OffsetMap(result.text), result.revision, 0)

    def _apply_marks(self, report, offsets: OffsetMap, revision: int, first: int) -> None:
        """Mark the claims in steps of MARK_STEP so a long article never stalls the window."""
        if revision != self._revision or report is not self.report:
            # edited meanwhile: unmarked rows no longer point anywhere; the re-check marks the new text
            if report is self.report:
                self.model.mark_stale(set(range(first, len(report.verdicts))))
            return
        self._syncing = True
        try:
            nxt = self.editor.set_marks(report.verdicts, offsets, first, MARK_STEP)
        finally:
            self._syncing = False
        if nxt < len(report.verdicts):
            QTimer.singleShot(0, lambda: self._apply_marks(report, offsets, revision, nxt))
            return
        self._update_counts(report.summary)
        s = report.summary
        notes = [w for w in (*self._file_warnings, *report.warnings) if w]
        basis = {"given": "the article date set", "metadata": "the page's publication date",
                 "dateline": "the dateline", "today": "today"}.get(report.as_of_basis)
        message = (f"Checked: {s['conflicting']} conflicting, {s['unverified']} unverified, "
                   f"{s['verified']} verified; facts valid on {report.as_of} ({basis}).")
        self.notify(message + ("  Note: " + " ".join(notes) if notes else ""), timeout_ms=0)
        if report.as_of_basis in ("dateline", "metadata") and not self.as_of:
            where = "dateline" if report.as_of_basis == "dateline" else "page date"
            self.date_edit.setPlaceholderText(f"{report.as_of} ({where})")
        elif not self.as_of:
            self.date_edit.setPlaceholderText("from dateline")
        self.checkFinished.emit(report)
        if self._check_wanted:
            self.check_now()

    def _text_changed(self) -> None:
        self._revision += 1
        if self.report is not None and self._back_to_checked_text():
            return
        if self.auto_action.isChecked() and self.report is not None:
            self._recheck_timer.start()

    def _back_to_checked_text(self) -> bool:
        """After undo (or retyping) brings back exactly the text that was checked, its marks come back."""
        doc = self.editor.document()
        if doc.characterCount() - 1 != len(self._checked_text.encode("utf-16-le")) // 2:
            return False          # cheap length test first: most edits never get here
        if self.editor.toPlainText() != self._checked_text:
            return False
        self._recheck_timer.stop()
        self._checked_revision = self._revision
        report = self.report
        self._syncing = True
        try:
            self.model.set_verdicts(report.verdicts)
        finally:
            self._syncing = False
        # painted after the edit finishes: the document is mid-change while this signal runs
        QTimer.singleShot(0, lambda r=self._revision: self._apply_marks(report, OffsetMap(self._checked_text), r, 0))
        return True

    def _marks_edited(self, rows: set) -> None:
        self.model.mark_stale(set(rows))
        self._update_counts(self.report.summary if self.report else {}, stale=True)

    # -- jobs ---------------------------------------------------------------------------------------
    def _job_finished(self, job_id: int, result) -> None:
        kind = self._jobs.pop(job_id, None)
        if kind == "load":
            self._engine_loaded(result)
        elif kind == "check":
            self._checked(result)
        elif kind == "export":
            self.notify(f"Report saved to {result}")
            self.exported.emit(str(result))

    def _job_cancelled(self, job_id: int) -> None:
        if self._jobs.pop(job_id, None) == "check":
            self._check_running = False
            if self._check_wanted:
                self.check_now()

    def _job_failed(self, job_id: int, message: str) -> None:
        kind = self._jobs.pop(job_id, None)
        if kind == "check":
            self._check_running = False
        if kind == "load":
            if self.engine_info is not None:
                info = self.engine_info
                self.db_label.setText(f"Database: {self.database.name} ({info.facts} facts)")
                self.model_label.setText(f"Model: {info.model}" + (" — reduced accuracy" if info.reduced_accuracy else ""))
                message += f" — still using {self.database.name}"
            else:
                self.model_label.setText("Not ready")
                self.db_label.setText("No database")
        self.notify(message, error=True)
        if kind == "load" and self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "Database not opened", message,
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("databaseError")
            box.setInformativeText("Choose another database with File > Open Database…")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    # -- claims panel and navigation ------------------------------------------------------------------
    def _update_counts(self, summary: dict, stale: bool = False) -> None:
        self._update_filter_counts()
        if summary:
            text = "  ".join(f"{VERDICT_STYLE[k].glyph} {summary.get(k, 0)}"
                             for k in ("conflicting", "unverified", "verified"))
            self.summary_label.setText(text + ("  · edited" if stale else ""))
            self.summary_label.setToolTip("The article was edited since the check; re-check with Ctrl+Return"
                                          if stale else "Claims by verdict")
        else:
            self.summary_label.setText("")

    def set_strictness(self, value: str) -> None:
        """Remember how much evidence a verdict needs and check again with it."""
        self.settings.set_strictness(value)
        self.strictness_actions[value].setChecked(True)
        self.check_now()

    def _update_filter_counts(self) -> None:
        """Each verdict toggle counts the claims it would show: those matching the text filter."""
        counts = self.proxy.counts_by_kind()
        filtered = bool(self.filter_edit.text().strip())
        for kind, b in self.kind_buttons.items():
            style = VERDICT_STYLE[kind]
            b.setText(f"{style.glyph} {style.label} {counts.get(kind, 0)}")
            b.setToolTip(f"Show {style.label.lower()} claims" + (" matching the filter" if filtered else ""))

    def _filter_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_filter_counts()

    def _kind_toggled(self, kind: str, on: bool) -> None:
        self.proxy.set_kind_visible(kind, on)

    def visible_rows(self) -> set[int]:
        return {self.proxy.data(self.proxy.index(r, 0), RowRole) for r in range(self.proxy.rowCount())}

    def goto_claim(self, forward: bool) -> None:
        row = self.editor.neighbour_mark(forward, self.visible_rows())
        if row is None:
            self.notify("No claims to go to." if not self.model.rowCount() else "No visible claims to go to.")
            return
        self._select_row(row)

    def _select_row(self, row: int) -> None:
        """Select a claim in both views."""
        self._syncing = True
        try:
            self.editor.select_mark(row)
            self._select_table_row(row)
        finally:
            self._syncing = False

    def _select_table_row(self, row: int) -> None:
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        sm = self.table.selectionModel()
        if not proxy_index.isValid():
            sm.clearSelection()
            return
        sm.setCurrentIndex(proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                           | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(proxy_index)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        row = self.proxy.mapToSource(current).row()
        self._syncing = True
        try:
            if not self.editor.select_mark(row):
                self.notify("That claim was edited; re-check to see it again.")
        finally:
            self._syncing = False

    def _cursor_moved(self) -> None:
        if self._syncing:
            return
        row = self.editor.mark_at(self.editor.textCursor().position())
        self.editor.set_current(row)
        if row is not None:
            self._syncing = True
            try:
                self._select_table_row(row)
            finally:
                self._syncing = False

    def current_row(self) -> int | None:
        """The source-model row of the claim selected in the table."""
        index = self.table.currentIndex()
        return self.proxy.mapToSource(index).row() if index.isValid() else None

    def _row_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == SOURCE:
            self.open_source(self.proxy.mapToSource(index).row())

    def open_source(self, row: int | None) -> bool:
        """Open the claim's source in the browser; False (with a message) when it has no web link."""
        from factdesk.html_report import safe_link

        if row is None or not (0 <= row < self.model.rowCount()):
            return False
        v = self.model.verdict(row)
        url = safe_link(v.fact.source_url) if v.fact else None
        if url:
            return QDesktopServices.openUrl(QUrl(url))
        self.notify("This source is not a web link." if v.fact else "This claim has no reference fact, so no source.")
        return False

    def claim_menu(self, row: int) -> QMenu:
        """The context menu for one claim (built fresh: what it offers depends on the claim)."""
        v = self.model.verdict(row)
        menu = QMenu(self)
        menu.setObjectName("claimMenu")
        a = menu.addAction("Open Source in Browser", lambda: self.open_source(row))
        a.setEnabled(bool(v.fact and v.fact.source_url.startswith(("http://", "https://"))))
        menu.addAction("Copy Claim", lambda: QGuiApplication.clipboard().setText(v.claim.text))
        if v.fact:
            menu.addAction("Copy Reference and Source", lambda: QGuiApplication.clipboard().setText(
                f"{v.fact.entity} {v.fact.attribute}: {fact_value_text(v.fact)} ({v.fact.source_url})"))
        menu.addAction("Copy Explanation", lambda: QGuiApplication.clipboard().setText(v.explanation))
        menu.addSeparator()
        from factdesk.suggest import addable

        add = menu.addAction("Add as Fact…", lambda: self.add_claim_as_fact(row))
        add.setEnabled(v.kind.value == "unverified" and addable(v))
        return menu

    def _table_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.claim_menu(self.proxy.mapToSource(index).row()).popup(self.table.viewport().mapToGlobal(pos))

    # -- reference facts ----------------------------------------------------------------------------
    def curation_store(self):
        """This thread's own connection to the database in use, for editing facts (opened on first use)."""
        from factdesk.store import ReferenceStore

        from factdesk.locations import is_shipped

        if self._curation is None or Path(self._curation.path).resolve() != self.database:
            if self._curation is not None:
                self._curation.close()
            # the shipped claims.db is rebuilt from assets/: it is read here, never changed
            self._curation = ReferenceStore.open(self.database, read_only=is_shipped(self.database))
        return self._curation

    def make_working_copy(self) -> Path | None:
        """Copy the shipped database to the user's data folder (once) and switch to the copy."""
        from factdesk.locations import is_shipped, make_working_copy, working_copy_path

        target = working_copy_path()
        existed = target.exists()
        try:
            copy = make_working_copy(self.database if is_shipped(self.database) else self.database, target)
        except FactdeskError as exc:
            self.notify(str(exc), error=True)
            return None
        self.open_database(copy)
        self.notify(f"Using your working copy {copy}" + (" (made earlier)" if existed else "") +
                    "; the shipped claims.db stays as it came.", timeout_ms=0)
        return copy

    def _offer_working_copy(self, message: str) -> None:
        """A change was refused because the database is the shipped one: say so, and offer the copy."""
        self.notify(message, error=True)
        box = QMessageBox(QMessageBox.Icon.Information, "The shipped database is read-only",
                          "claims.db came with factdesk and is rebuilt from its CSV files, so it is not "
                          "edited here.", QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("workingCopyOffer")
        box.setInformativeText(f"Make your own working copy (in {self._working_copy_folder()}) and use it?")
        make = box.addButton("Make Working Copy", QMessageBox.ButtonRole.AcceptRole)
        make.clicked.connect(self.make_working_copy)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    @staticmethod
    def _working_copy_folder() -> str:
        from factdesk.locations import working_copy_path

        return str(working_copy_path().parent)

    def open_reference_browser(self):
        """Show the reference browser (one per window) for the database in use."""
        from .reference_browser import ReferenceBrowser

        try:
            store = self.curation_store()
        except FactdeskError as exc:
            self.notify(str(exc), error=True)
            return None
        browser = getattr(self, "reference_browser", None)
        if browser is None or browser.store is not store:
            if browser is not None:
                browser.close()
            browser = self.reference_browser = ReferenceBrowser(store, self)
            browser.factsChanged.connect(self._facts_changed)
            browser.workingCopyWanted.connect(self.make_working_copy)
        browser.refresh_all()
        browser.show()
        browser.raise_()
        return browser

    def _writable_store(self, action: str):
        """The database to change, or None after telling the journalist why not (unreadable, or the shipped
        claims.db, for which a working copy is offered)."""
        try:
            store = self.curation_store()
        except FactdeskError as exc:
            self.notify(str(exc), error=True)
            return None
        if store.read_only:
            self._offer_working_copy("[FD213] claims.db is the shipped reference database and is not changed "
                                     f"here; make a working copy (Facts > Make Working Copy) to {action}")
            return None
        return store

    def open_import(self, path: str | None = None):
        """Show the import dialog (preview, then import); with `path`, preview that file at once."""
        from .import_dialog import ImportDialog

        store = self._writable_store("import facts")
        if store is None:
            return None
        dialog = ImportDialog(store, self.worker, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda result: self._facts_changed(
            f"Imported {result.added} new and {result.updated} updated {result.kind}"))
        dialog.show()
        if path:
            dialog.preview(Path(path))
        self.import_dialog = dialog
        return dialog

    def add_claim_as_fact(self, row: int | None):
        """Open the fact form prefilled from an unverified claim; once saved, the article is checked again."""
        from factdesk.suggest import addable, similar_facts, suggest_fact

        from .fact_dialog import FactDialog

        if row is None or not (0 <= row < self.model.rowCount()):
            self.notify("Select an unverified claim first.")
            return None
        v = self.model.verdict(row)
        if v.kind.value != "unverified":
            self.notify("Only unverified claims can be added: this one was judged against a fact already.")
            return None
        if not addable(v):
            self.notify(f"'{v.claim.text}' names a period or part of a date, not a value a fact can hold.")
            return None
        store = self._writable_store("add facts")
        if store is None:
            return None
        prefill = suggest_fact(v, store, self.report.as_of if self.report else None)
        dialog = FactDialog(store, prefill, claim_text=v.claim.text, sentence=v.claim.sentence,
                            similar=similar_facts(v, prefill, store), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self._facts_changed(
            f"Added {d.saved.entity} {d.saved.attribute} = {d.saved.value} {d.saved.unit}".rstrip()))
        dialog.open()
        self.fact_dialog = dialog
        return dialog

    def _facts_changed(self, message: str | None = None) -> None:
        """The reference changed from this window: show the new count and check the article again."""
        try:
            self._show_facts(self.curation_store().stats().facts)
        except FactdeskError:
            pass
        browser = getattr(self, "reference_browser", None)
        if browser is not None and browser.isVisible():
            browser.refresh_all()
        if message:
            self.notify(message + (" — checking again…" if self.report is not None else ""))
        if self.report is not None and self.editor.toPlainText().strip():
            self.check_now()

    # -- article date -------------------------------------------------------------------------------
    def _date_entered(self) -> None:
        self.set_as_of(self.date_edit.text())

    def set_as_of(self, text: str) -> bool:
        """Judge against the facts valid on this date ("" = the dateline's, else today's); re-checks."""
        from factdesk.check import parse_day

        text = text.strip()
        try:
            day = parse_day(text) if text else None
        except FactdeskError as exc:
            self.date_edit.setStyleSheet("QLineEdit { border: 1px solid #b42318; }")
            self.notify(str(exc), error=True)
            return False
        self.date_edit.setStyleSheet("")
        if text and self.date_edit.text() != day:
            self.date_edit.setText(day)
        if day != self.as_of:
            self.as_of = day
            if self.report is not None:
                self.check_now()
        return True

    # -- saving -------------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = Path(self.source).name if self.source != "untitled" else "Untitled"
        self.setWindowTitle(f"{name}[*] — factdesk")
        self.setWindowModified(self.editor.document().isModified())

    def save(self) -> bool:
        """Write the article back to its file (plain text); Save As when it has none."""
        if self.save_path is None:
            return self.save_as()
        return self.save_to(self.save_path)

    def save_as(self) -> bool:
        start = str(self.save_path or (Path(self.source).with_suffix(".txt") if self.source != "untitled"
                                       else "article.txt"))
        path, _ = QFileDialog.getSaveFileName(self, "Save article as text", start, SAVE_FILTER)
        return self.save_to(Path(path)) if path else False

    def save_to(self, path: Path) -> bool:
        """Write the editor's text to `path` atomically; the window then edits that file."""
        from factdesk.atomic import write_text_atomic

        try:
            write_text_atomic(path, self.editor.toPlainText())
        except FactdeskError as exc:
            self.notify(str(exc), error=True)
            return False
        self.save_path = Path(path)
        self.source = str(path)
        self.editor.document().setModified(False)
        self.settings.add_recent(str(path))
        self._rebuild_recent()
        self._update_title()
        self.notify(f"Saved {path}")
        return True

    def confirm_discard(self) -> bool:
        """Whether unsaved edits may be dropped: asks Save / Discard / Cancel when there are any."""
        doc = self.editor.document()
        if not doc.isModified() or not self.editor.toPlainText().strip():
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          "The article has changes that are not saved.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedChanges")
        box.setInformativeText("Save them before going on?")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        choice = box.exec()
        if choice == QMessageBox.StandardButton.Save:
            return self.save()
        return choice == QMessageBox.StandardButton.Discard

    # -- batch --------------------------------------------------------------------------------------
    def open_batch(self, folder: str | None = None):
        """Show the batch dialog (one per window); start it on `folder` if given."""
        from .batch_dialog import BatchDialog

        if getattr(self, "batch_dialog", None) is None:
            self.batch_dialog = BatchDialog(self.worker, self)
            self.batch_dialog.openDraft.connect(self.open_file)
        self.batch_dialog.show()
        self.batch_dialog.raise_()
        if folder:
            self.batch_dialog.start(folder)
        return self.batch_dialog

    # -- export -------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.report is None:
            self.notify("Check the article first (Ctrl+Return), then export.")
            return
        if self._checked_revision != self._revision:
            self.notify("The article changed since the check; re-check (Ctrl+Return) before exporting.")
            return
        default = str(Path(self.source).with_suffix(".factdesk.html")) if self.source != "untitled" else "article.html"
        path, _ = QFileDialog.getSaveFileName(self, "Export annotated HTML", default, "HTML (*.html)")
        if path:
            self.export_html(path)

    def export_html(self, path: str) -> int | None:
        """Write the current report as annotated HTML (off the GUI thread); returns the job id."""
        if self.report is None:
            return None
        job = self.worker.submit(engine.export_html(self.report, path))
        self._jobs[job] = "export"
        return job

    # -- about and closing --------------------------------------------------------------------------
    def _about(self) -> None:
        from factdesk import __version__

        info = self.engine_info
        QMessageBox.about(self, "About factdesk",
                          f"<b>factdesk {__version__}</b><br>Checks the numbers in tech news against a local "
                          f"database of sourced facts.<br><br>Database: {self.database}<br>"
                          f"Model: {info.model if info else 'loading'}")

    def closeEvent(self, e: QCloseEvent) -> None:
        if self.isVisible() and not self.confirm_discard():
            e.ignore()
            return
        self.settings.set_layout("geometry", self.saveGeometry())
        self.settings.set_layout("windowState", self.saveState())
        self.settings.set_layout("splitter", self.splitter.saveState())
        self.settings.sync()
        self._recheck_timer.stop()
        self.hide()                      # the window goes at once, even if a long check must first stop
        self.fetcher.shutdown()
        self.worker.shutdown()
        if self._curation is not None:
            self._curation.close()
            self._curation = None
        super().closeEvent(e)
