"""Import facts or aliases from a CSV or JSON file: a preview of every row's change first, then one atomic write."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from factdesk.errors import FactdeskError
from factdesk.store import ImportPlan, ReferenceStore

from .fact_models import ImportPlanModel, SortProxy
from .worker import JobContext, Worker

IMPORT_FILTER = "Facts or aliases (*.csv *.json);;All files (*)"


def apply_import_job(plan: ImportPlan, db_path: Path):
    """A worker job: write a previewed import into the database at `db_path` (the engine's connection when it
    has that database open, so the next check uses the new facts at once)."""
    def job(ctx: JobContext):
        checker = ctx.state.get("checker")
        if checker is not None and checker.store.path and Path(checker.store.path).resolve() == Path(db_path).resolve():
            result = checker.store.apply_import(plan)
            checker.facts_changed()
            return result
        store = ReferenceStore.open(db_path)
        try:
            return store.apply_import(plan)
        finally:
            store.close()
    return job


class ImportDialog(QDialog):
    """Pick a file, see what importing it would change (new, updated, unchanged, invalid), then import."""

    imported = Signal(object)        # ImportResult

    def __init__(self, store: ReferenceStore, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import facts")
        self.resize(900, 520)
        self.store = store
        self.worker = worker
        self.plan: ImportPlan | None = None
        self.job: int | None = None

        self.file_label = QLabel("Choose a CSV or JSON file in the import format: nothing is written until you "
                                 "press Import.")
        self.file_label.setWordWrap(True)
        choose = QPushButton("Choose File…")
        choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)

        self.summary = QLabel("")
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.model = ImportPlanModel(self)
        proxy = SortProxy(self)
        proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((52, 84, 140, 190, 90, 70)):
            self.table.setColumnWidth(col, width)

        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import facts or aliases", "", IMPORT_FILTER)
        if path:
            self.preview(Path(path))

    def preview(self, path: Path) -> ImportPlan | None:
        """Read `path` and show what importing it would change; writes nothing."""
        from factdesk.imports import parse_text
        from factdesk.store import read_import_file

        self.file_label.setText(str(path))
        try:
            self.plan = self.store.plan_import(parse_text(read_import_file(path), str(path)))
        except FactdeskError as exc:
            self.plan = None
            self.model.set_plan(None)
            self._say(str(exc), error=True)
            self.import_button.setEnabled(False)
            return None
        self.model.set_plan(self.plan)
        c = self.plan.counts
        invalid = c["invalid"]
        text = f"{self.plan.summary()}."
        if invalid:
            text += f" Nothing can be imported while {invalid} row{'s' if invalid > 1 else ''} " \
                    f"{'are' if invalid > 1 else 'is'} invalid: fix the file and choose it again."
        elif not self.plan.changes:
            text += " The database already holds all of it."
        self._say(text, error=bool(invalid))
        self.import_button.setEnabled(bool(self.plan.changes) and not invalid)
        self.import_button.setText(f"Import {self.plan.changes} change{'s' if self.plan.changes != 1 else ''}"
                                   if self.plan.changes else "Import")
        return self.plan

    def apply(self) -> int | None:
        """Write the previewed import (off the GUI thread); returns the worker job id."""
        if self.plan is None or self.job is not None or self.store.path is None:
            return None
        self.import_button.setEnabled(False)
        self._say("Importing…")
        self.job = self.worker.submit(apply_import_job(self.plan, self.store.path))
        return self.job

    def _finished(self, job: int, result) -> None:
        if job != self.job:
            return
        self.job = None
        self._say(f"Imported: {result.added} added, {result.updated} updated, {result.unchanged} unchanged.")
        self.plan = None
        self.imported.emit(result)

    def _failed(self, job: int, message: str) -> None:
        if job != self.job:
            return
        self.job = None
        self._say(message, error=True)
        self.import_button.setEnabled(False)

    def _say(self, text: str, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #b42318;" if error else "")
