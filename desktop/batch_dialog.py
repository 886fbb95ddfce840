"""File > Batch Check Folder…: check every draft in a folder, see counts per draft, open or export them."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget)

from .models import RowTable
from .style import VERDICT_STYLE
from .worker import JobContext, Worker

Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class BatchRow:
    name: str
    path: str
    summary: dict
    error: str | None


class BatchModel(RowTable):
    """One row per draft: name, counts by verdict, and why it could not be checked."""

    HEADERS = ("Draft", "✗ Conflicting", "? Unverified", "✓ Verified", "Problem")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[BatchRow] = []

    @property
    def rows(self) -> list[BatchRow]:
        return self._rows

    def add(self, row: BatchRow) -> None:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()

    def clear(self) -> None:
        self._reset(())

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self._valid(index):
            return None
        r, col = self._rows[index.row()], index.column()
        kind = (None, "conflicting", "unverified", "verified", None)[col]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.name
            if kind:
                return "" if r.error else str(r.summary.get(kind, 0))
            return r.error or ""
        if role == Qt.ItemDataRole.TextAlignmentRole and kind:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and r.error:
                return QBrush(QColor(VERDICT_STYLE["conflicting"].ink))
            if kind and r.summary.get(kind):
                return QBrush(QColor(VERDICT_STYLE[kind].ink))
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.error or r.path
        if role == SortRole:
            if col == 0:
                return r.name.casefold()
            if col == 4:
                return (r.error or "").casefold()
            # a draft that could not be checked is worse than any count; ties go to the next-worse verdict
            worse = {"conflicting": ("unverified",), "unverified": ("conflicting",), "verified": ()}[kind]
            return (1 if r.error else 0, r.summary.get(kind, 0), *(r.summary.get(k, 0) for k in worse))
        return None


class BatchSort(QSortFilterProxyModel):
    """Sorts drafts by each column's sort key (Python values: tuples compare element by element)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def lessThan(self, left: Index, right: Index) -> bool:
        return left.data(SortRole) < right.data(SortRole)


def batch_job(folder: str, out_dir: str):
    """A worker job: check every draft under `folder`, writing HTML reports into `out_dir`."""
    def job(ctx: JobContext):
        from factdesk.batch import run_batch
        from factdesk.html_report import ReportMeta

        checker = ctx.state.get("checker")
        if checker is None:
            from factdesk.errors import DatabaseError
            raise DatabaseError("no reference database is open; choose one with File > Open Database…",
                                code="FD202")
        store = checker.store
        meta = ReportMeta.now(checker.pipeline.model, store.path or "(in memory)", store.fingerprint())
        return run_batch(checker, [folder], Path(out_dir), "html", meta,
                         progress=lambda p: ctx.progress(("progress", p)),
                         cancelled=ctx.cancelled,
                         on_entry=lambda e, path: ctx.progress(("entry", e, str(path))))
    return job


class BatchDialog(QDialog):
    """Runs a batch on the app's worker; rows appear as drafts finish; Cancel stops between drafts."""

    openDraft = Signal(str)
    finished_run = Signal(list)        # IndexEntry list (partial when cancelled)

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Batch check folder")
        self.setObjectName("batchDialog")
        self.resize(760, 480)
        self.worker = worker
        self.job: int | None = None
        self.folder: str | None = None
        self._cancel_requested = False
        self._tmp = tempfile.TemporaryDirectory(prefix="factdesk-batch-")
        self.out_dir = Path(self._tmp.name)

        self.folder_label = QLabel("Choose a folder of drafts (.txt, .md, .html, .docx); subfolders are included.")
        self.folder_label.setWordWrap(True)
        self.choose_button = QPushButton("Choose Folder…")
        self.choose_button.clicked.connect(self.choose_folder)
        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.choose_button)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setObjectName("batchStatus")

        self.model = BatchModel(self)
        self.proxy = BatchSort(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # worst first, as the index page: drafts not checked, then the most conflicting
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_row)

        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton("Open in Editor")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentIndex()))
        self.export_button = QPushButton("Export Reports…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.choose_export)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        worker.progressed.connect(self._progressed)
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._job_cancelled)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.open_button.setEnabled(cur.isValid() and not self.row_at(cur).error))

    # -- running ------------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of drafts")
        if folder:
            self.start(folder)

    def start(self, folder: str) -> int:
        """Check every draft under `folder`; returns the worker job id."""
        if self.job is not None:
            return self.job
        self.folder = folder
        self._cancel_requested = False
        self.folder_label.setText(folder)
        self.model.clear()
        for child in self.out_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        self.progress.setRange(0, 0)       # busy until the drafts are counted
        self.status.setText("Looking for drafts…")
        self.cancel_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.job = self.worker.submit(batch_job(folder, str(self.out_dir)))
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.worker.cancel(self.job)
            self._cancel_requested = True
            self.status.setText("Cancelling after the current draft…")
            self.cancel_button.setEnabled(False)

    def _progressed(self, job: int, payload) -> None:
        if job != self.job:
            return
        if payload[0] == "progress":
            p = payload[1]
            self.progress.setRange(0, max(1, p.total))
            self.progress.setValue(p.done)
            self.status.setText(f"{p.done} of {p.total} drafts, {p.claims:,} claims — {p.current}")
        else:
            _, e, path = payload
            self.model.add(BatchRow(e.name, path, dict(e.summary), e.error))

    def _finished(self, job: int, entries) -> None:
        if job != self.job:
            return
        self.job = None
        done = len(entries)
        bad = sum(1 for e in entries if e.error)
        total = {k: sum(e.summary[k] for e in entries) for k in ("conflicting", "unverified", "verified")}
        was_cancelled = self._cancel_requested
        head = f"Cancelled after {done} drafts" if was_cancelled else f"Checked {done - bad} of {done} drafts"
        self.status.setText(f"{head}: {total['conflicting']} conflicting, {total['unverified']} unverified, "
                            f"{total['verified']} verified" + (f"; {bad} could not be checked" if bad else "."))
        if not was_cancelled:
            self.progress.setRange(0, max(1, done))
            self.progress.setValue(max(1, done))
        self.cancel_button.setEnabled(False)
        self.choose_button.setEnabled(True)
        self.export_button.setEnabled(done > 0)
        self.finished_run.emit(list(entries))

    def _failed(self, job: int, message: str) -> None:
        if job != self.job:
            return
        self.job = None
        self.status.setText(message)
        self.progress.setRange(0, 1)
        self.cancel_button.setEnabled(False)
        self.choose_button.setEnabled(True)
        self.finished_run.emit([])

    def _job_cancelled(self, job: int) -> None:
        if job == self.job:
            self._finished(job, [])

    # -- using the results ----------------------------------------------------------------------------
    def row_at(self, index: QModelIndex) -> BatchRow:
        """The draft behind a row of the (sorted) table."""
        return self.model.rows[self.proxy.mapToSource(index).row()]

    def shown_names(self) -> list[str]:
        """Draft names in the order the table shows them."""
        return [self.row_at(self.proxy.index(r, 0)).name for r in range(self.proxy.rowCount())]

    def _open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.row_at(index)
            if not row.error:
                self.openDraft.emit(row.path)

    def choose_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export reports to folder")
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> Path | None:
        """Copy the batch's reports and index.html into `folder`; returns the index, or None (with the
        reason in the status line) when the folder cannot be written."""
        from factdesk.atomic import write_text_atomic
        from factdesk.errors import FactdeskError

        try:
            for src in sorted(self.out_dir.rglob("*")):
                if src.is_file():
                    dst = folder / src.relative_to(self.out_dir)
                    write_text_atomic(dst, src.read_text(encoding="utf-8"))
        except FactdeskError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet("color: #b42318;")
            return None
        self.status.setStyleSheet("")
        self.status.setText(f"Reports exported to {folder}")
        return folder / "index.html"

    def closeEvent(self, e) -> None:
        if self.job is not None:
            self.worker.cancel(self.job)
        super().closeEvent(e)

    def done(self, result: int) -> None:
        if self.job is not None:
            self.worker.cancel(self.job)
        super().done(result)
