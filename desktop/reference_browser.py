"""Facts > Reference Facts…: search, filter, sort and edit the reference database; aliases; history with undo.

The browser works on its own connection on the GUI thread (edits are single rows); the checking engine,
on the worker thread, sees each committed change at its next check.
"""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget)

from factdesk.errors import FactdeskError
from factdesk.store import ReferenceStore

from .fact_models import AliasesModel, FactsModel, HistoryModel, IdRole, SortProxy
from .message_label import MessageLabel

ALL_SOURCES = "All sources"
ALL_ENTITIES = "All entities"
SEARCH_DELAY_MS = 150


def _table(parent: QWidget, model, sort_column: int = 0, order=Qt.SortOrder.AscendingOrder) -> QTableView:
    proxy = SortProxy(parent)
    proxy.setSourceModel(model)
    t = QTableView(parent)
    t.setModel(proxy)
    t.setSortingEnabled(True)
    t.sortByColumn(sort_column, order)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.verticalHeader().setDefaultSectionSize(24)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return t


class ReferenceBrowser(QDialog):
    """The reference database as tables a journalist can search and correct."""

    factsChanged = Signal()          # something was written: re-check the article
    workingCopyWanted = Signal()     # the user asked for an editable copy of the shipped database

    def __init__(self, store: ReferenceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referenceBrowser")
        self.setWindowTitle(f"Reference facts — {store.path.name if store.path else 'in memory'}")
        self.resize(1100, 620)
        self.store = store

        # -- facts tab
        self.search = QLineEdit(self)
        self.search.setObjectName("factSearch")
        self.search.setPlaceholderText("Search entities, aliases, attributes, notes, values and sources…")
        self.search.setClearButtonEnabled(True)
        self.entity_filter = QComboBox(self)
        self.entity_filter.setObjectName("entityFilter")
        self.entity_filter.setMinimumWidth(200)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_facts)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.entity_filter.currentTextChanged.connect(lambda _t: self.refresh_facts())
        # where facts come from: the maker's own pages, or a registry that compiles them
        self.source_filter = QComboBox(self)
        self.source_filter.setObjectName("sourceFilter")
        self.source_filter.setToolTip("Show facts from primary sources, or from one registry")
        self.source_filter.currentIndexChanged.connect(lambda _i: self.refresh_facts())
        self.coverage_label = QLabel("")
        self.coverage_label.setObjectName("coverageLabel")
        self.coverage_label.setWordWrap(True)

        self.facts = FactsModel(self._save_edit, self)
        self.facts.editFailed.connect(self._edit_failed)
        self.facts.edited.connect(self._edited)
        self.facts_table = _table(self, self.facts, 0)
        self.facts_table.setObjectName("factsTable")
        self.facts_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                         | QAbstractItemView.EditTrigger.EditKeyPressed
                                         | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for col, width in enumerate((150, 210, 90, 80, 90, 230, 140, 86, 86)):
            self.facts_table.setColumnWidth(col, width)
        self.count_label = QLabel("")
        add = QPushButton("Add Fact…")
        add.clicked.connect(self.add_fact)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteFact")
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setEnabled(False)
        self.facts_table.selectionModel().selectionChanged.connect(
            lambda *_: self.delete_button.setEnabled(bool(self.selected_facts())))
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.entity_filter)
        bar.addWidget(self.source_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(add)
        actions.addWidget(self.delete_button)
        facts_page = QWidget(self)
        v = QVBoxLayout(facts_page)
        v.addLayout(bar)
        v.addWidget(self.coverage_label)
        v.addWidget(self.facts_table, 1)
        v.addLayout(actions)

        # -- aliases tab
        self.aliases = AliasesModel(self)
        self.aliases_table = _table(self, self.aliases, 0)
        self.aliases_table.setObjectName("aliasesTable")
        self.alias_entity = QComboBox(self)
        self.alias_entity.setEditable(True)
        self.alias_entity.setMinimumWidth(200)
        self.alias_edit = QLineEdit(self)
        self.alias_edit.setPlaceholderText("Another name the articles use, e.g. 'the Pro'")
        add_alias = QPushButton("Add Alias")
        add_alias.clicked.connect(self.add_alias)
        self.alias_edit.returnPressed.connect(self.add_alias)
        delete_alias = QPushButton("Delete Alias")
        delete_alias.clicked.connect(self.delete_selected_alias)
        delete_alias.setEnabled(False)
        self.aliases_table.selectionModel().selectionChanged.connect(
            lambda *_: delete_alias.setEnabled(bool(self.aliases_table.selectionModel().selectedRows())))
        row = QHBoxLayout()
        row.addWidget(QLabel("Entity"))
        row.addWidget(self.alias_entity)
        row.addWidget(self.alias_edit, 1)
        row.addWidget(add_alias)
        row.addWidget(delete_alias)
        aliases_page = QWidget(self)
        v = QVBoxLayout(aliases_page)
        v.addWidget(self.aliases_table, 1)
        v.addLayout(row)

        # -- history tab
        self.history = HistoryModel(self)
        self.history_table = _table(self, self.history, 0, Qt.SortOrder.DescendingOrder)
        self.history_table.setObjectName("historyTable")
        for col, width in enumerate((56, 150, 150)):
            self.history_table.setColumnWidth(col, width)
        self.undo_button = QPushButton("Undo Selected Change")
        self.undo_button.setObjectName("undoChange")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        self.history_table.selectionModel().selectionChanged.connect(self._history_selected)
        history_page = QWidget(self)
        v = QVBoxLayout(history_page)
        v.addWidget(QLabel("Every change to facts and aliases, newest first. A deleted fact comes back with Undo."))
        v.addWidget(self.history_table, 1)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(self.undo_button)
        v.addLayout(h)

        # the shipped database is read here, never changed: say so where the editing happens
        self.banner = QWidget(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setStyleSheet("QWidget#readOnlyBanner { background: #fff4c2; border: 1px solid #d4a72c; "
                                  "border-radius: 4px; }")
        b = QHBoxLayout(self.banner)
        b.setContentsMargins(10, 6, 10, 6)
        b.addWidget(QLabel("This is the shipped claims.db: it is rebuilt from its CSV files and not edited here. "
                           "Make a working copy to add, edit or import facts."), 1)
        copy_button = QPushButton("Make Working Copy")
        copy_button.clicked.connect(self.workingCopyWanted)
        b.addWidget(copy_button)
        self.banner.setVisible(store.read_only)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(facts_page, "Facts")
        self.tabs.addTab(aliases_page, "Aliases")
        self.tabs.addTab(history_page, "History")
        self.tabs.currentChanged.connect(lambda _i: (self.message.clear_message(), self.refresh_all()))
        self.message = MessageLabel(self)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.refresh_all()

    # -- showing -------------------------------------------------------------------------------------
    def changeEvent(self, e) -> None:
        # coming back to the browser: show what the command line or a colleague changed meanwhile
        from PySide6.QtCore import QEvent

        if e.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.store.refresh():
            self.refresh_all()
        super().changeEvent(e)

    def say(self, text: str, error: bool = False) -> None:
        self.message.show_message(text, error, 0 if error else 10_000)

    def refresh_all(self) -> None:
        entities = self.store.entities()
        current = self.entity_filter.currentText() or ALL_ENTITIES
        self.entity_filter.blockSignals(True)
        self.entity_filter.clear()
        self.entity_filter.addItems([ALL_ENTITIES, *entities])
        self.entity_filter.setCurrentText(current if current in entities else ALL_ENTITIES)
        self.entity_filter.blockSignals(False)
        parts = self.store.breakdown()
        chosen = self.source_filter.currentData()
        self.source_filter.blockSignals(True)
        self.source_filter.clear()
        self.source_filter.addItem(ALL_SOURCES, None)
        for label, n in parts.by_origin:
            self.source_filter.addItem(f"{label} ({n:,})", "" if label == "primary sources" else label)
        index = self.source_filter.findData(chosen) if chosen is not None else 0
        self.source_filter.setCurrentIndex(max(0, index))
        self.source_filter.blockSignals(False)
        beats = ", ".join(f"{label} {n:,}" for label, n in parts.by_beat)
        sources = ", ".join(f"{label} {n:,}" for label, n in parts.by_origin)
        self.coverage_label.setText(f"By beat: {beats}.  By source: {sources}."
                                    + (f"  {len(parts.duplicates)} entity names look like duplicates."
                                       if parts.duplicates else ""))
        alias_entity = self.alias_entity.currentText()
        self.alias_entity.clear()
        self.alias_entity.addItems(entities)
        self.alias_entity.setCurrentText(alias_entity)
        self.refresh_facts()
        self.aliases.set_aliases(self.store.aliases())
        self.history.set_changes(self.store.changes(500))
        self._history_selected()

    def refresh_facts(self) -> None:
        entity = self.entity_filter.currentText()
        facts = self.store.search_facts(self.search.text(), None if entity in ("", ALL_ENTITIES) else entity,
                                        origin=self.source_filter.currentData())
        self.facts.set_facts(facts)
        total = self.store.stats().facts
        self.count_label.setText(f"{len(facts):,} of {total:,} facts" if len(facts) != total else f"{total:,} facts")

    def visible_facts(self):
        proxy = self.facts_table.model()
        return [self.facts.fact(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]

    def selected_facts(self):
        proxy = self.facts_table.model()
        rows = {proxy.mapToSource(i).row() for i in self.facts_table.selectionModel().selectedRows()}
        return [self.facts.fact(r) for r in sorted(rows)]

    def select_fact(self, fact_id: int) -> bool:
        proxy = self.facts_table.model()
        for r in range(proxy.rowCount()):
            if proxy.index(r, 0).data(IdRole) == fact_id:
                self.facts_table.selectionModel().setCurrentIndex(
                    proxy.index(r, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                return True
        return False

    # -- editing -------------------------------------------------------------------------------------
    def _save_edit(self, fact_id: int, changes: dict):
        # typed in by hand: a fact keeps the page it comes from
        return self.store.update_fact(fact_id, changes, require_source=True)

    def _edit_failed(self, message: str, row: int, column: int, text: str) -> None:
        """Say why an edit was refused; when the database was only busy, give the typed text back to edit."""
        self.say(message + (" — your text is back in the cell: press Enter to try again" if "[FD208]" in message
                            else ""), error=True)
        if "[FD208]" not in message:
            return
        proxy = self.facts_table.model()
        fact_id = self.facts.fact(row).id

        def reopen() -> None:
            # found again by id: the table may have been refreshed or sorted in the meantime
            rows = [r for r in range(self.facts.rowCount()) if self.facts.fact(r).id == fact_id]
            if not rows or not self.isVisible():
                return
            index = proxy.mapFromSource(self.facts.index(rows[0], column))
            self.facts_table.setCurrentIndex(index)
            self.facts_table.edit(index)
            editor = self.facts_table.focusWidget()
            if isinstance(editor, QLineEdit):
                editor.setText(text)
        QTimer.singleShot(0, reopen)

    def _edited(self, fact) -> None:
        self.say(f"Saved {fact.entity} {fact.attribute} = {fact.value} {fact.unit}".rstrip())
        self.history.set_changes(self.store.changes(500))
        self.factsChanged.emit()

    def add_fact(self, prefill: dict | None = None):
        from .fact_dialog import FactDialog

        entity = self.entity_filter.currentText()
        seed = prefill or ({"entity": entity} if entity != ALL_ENTITIES else {})
        dialog = FactDialog(self.store, seed, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self._fact_added(d.saved))
        dialog.open()
        self.fact_dialog = dialog
        return dialog

    def _fact_added(self, fact) -> None:
        self._after_write(f"Added {fact.entity} {fact.attribute} (fact #{fact.id})")
        self.select_fact(fact.id)

    def delete_selected(self) -> None:
        facts = self.selected_facts()
        if not facts:
            return
        try:
            for f in facts:
                self.store.delete_fact(f.id)
        except FactdeskError as exc:
            self.say(str(exc), error=True)
        else:
            what = f"{facts[0].entity} {facts[0].attribute}" if len(facts) == 1 else f"{len(facts)} facts"
            self._after_write(f"Deleted {what}; the History tab can bring it back")
            return
        self._after_write(None)

    def add_alias(self) -> None:
        try:
            self.store.add_alias(self.alias_entity.currentText(), self.alias_edit.text())
        except FactdeskError as exc:
            self.say(str(exc), error=True)
            return
        self._after_write(f"'{self.alias_edit.text().strip()}' now names {self.alias_entity.currentText().strip()}")
        self.alias_edit.clear()

    def delete_selected_alias(self) -> None:
        proxy = self.aliases_table.model()
        rows = [proxy.mapToSource(i).row() for i in self.aliases_table.selectionModel().selectedRows()]
        if not rows:
            return
        entity, alias = self.aliases.alias(rows[0])
        try:
            self.store.delete_alias(alias)
        except FactdeskError as exc:
            self.say(str(exc), error=True)
            return
        self._after_write(f"Deleted alias '{alias}' of {entity}")

    def _history_selected(self, *_) -> None:
        c = self.selected_change()
        self.undo_button.setEnabled(bool(c and c.undoable))

    def selected_change(self):
        proxy = self.history_table.model()
        rows = self.history_table.selectionModel().selectedRows()
        return self.history.change(proxy.mapToSource(rows[0]).row()) if rows else None

    def undo_selected(self) -> None:
        c = self.selected_change()
        if c is None:
            return
        try:
            done = self.store.undo(c.id)
        except FactdeskError as exc:
            self.say(str(exc), error=True)
            return
        self._after_write(f"Undid change #{c.id}: {done.describe()}")

    def _after_write(self, message: str | None) -> None:
        self.refresh_all()
        if message:
            self.say(message)
        self.factsChanged.emit()

    # -- files ---------------------------------------------------------------------------------------
    def export_csv(self, path: str | None = None, kind: str = "facts") -> bool:
        from factdesk.atomic import write_text_atomic

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, f"Export {kind}", f"{kind}.csv", "CSV (*.csv)")
            if not path:
                return False
        try:
            write_text_atomic(path, self.store.export_csv(kind))
        except FactdeskError as exc:
            self.say(str(exc), error=True)
            return False
        self.say(f"Exported {kind} to {path}")
        return True
