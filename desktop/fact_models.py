"""Table models for the reference database: facts (editable), aliases, history, and an import's preview."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from factdesk.facts import Fact
from factdesk.store import Change, ImportPlan

from .models import RowTable, less_by_sort_role, sort_number
from .style import VERDICT_STYLE

Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

FACT_FIELDS = ("entity", "attribute", "value", "unit", "as_of", "source_url", "note", "valid_from", "valid_to")
FACT_TITLES = ("Entity", "Attribute", "Value", "Unit", "As of", "Source", "Note", "Valid from", "Valid to")


class FactsModel(RowTable):
    """Facts as rows; editing a cell saves it through `save(fact_id, {field: text})`, which returns the fact as
    stored or raises FactdeskError (the edit is then refused and `editFailed` says why)."""

    HEADERS = FACT_TITLES
    editFailed = Signal(str, int, int, str)     # message, row, column, the text that was refused
    edited = Signal(object)        # the Fact as saved

    def __init__(self, save: Callable[[int, dict], Fact], parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Fact] = []
        self._save = save

    def set_facts(self, facts: list[Fact]) -> None:
        self._reset(facts)

    def fact(self, row: int) -> Fact:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self._valid(index):
            return None
        f = self._rows[index.row()]
        text = getattr(f, FACT_FIELDS[index.column()])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == SortRole:
            # values sort as numbers, dates after them in date order, anything else last
            if FACT_FIELDS[index.column()] == "value":
                if f.unit == "date":
                    return (1, 0.0, text)
                n = sort_number(text)
                if n is not None:
                    return (0, n, "")
            return (2, 0.0, text.casefold())
        if role == IdRole:
            return f.id
        if role == Qt.ItemDataRole.ToolTipRole:
            origin = f"per the {f.origin}" if f.origin else "primary source"
            return (f"Fact #{f.id} ({origin}): {text}" if text else f"Fact #{f.id} ({origin})")
        if role == Qt.ItemDataRole.ForegroundRole and FACT_FIELDS[index.column()] == "source_url" and \
                text.startswith(("http://", "https://")):
            return QBrush(QColor("#0969da"))
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        from factdesk.errors import FactdeskError

        if role != Qt.ItemDataRole.EditRole or not self._valid(index):
            return False
        f = self._rows[index.row()]
        field = FACT_FIELDS[index.column()]
        text = str(value or "").strip()
        if getattr(f, field) == text:
            return False
        try:
            saved = self._save(f.id, {field: text})
        except FactdeskError as exc:
            self.editFailed.emit(str(exc), index.row(), index.column(), text)
            return False
        self._rows[index.row()] = saved
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.HEADERS) - 1))
        self.edited.emit(saved)
        return True


class AliasesModel(RowTable):
    HEADERS = ("Entity", "Alias")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str]] = []

    def set_aliases(self, rows: list[tuple[str, str]]) -> None:
        self._reset(rows)

    def alias(self, row: int) -> tuple[str, str]:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if self._valid(index) else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self._valid(index):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            text = self._rows[index.row()][index.column()]
            return text if role == Qt.ItemDataRole.DisplayRole else text.casefold()
        return None


class HistoryModel(RowTable):
    """Changes, newest first: when, who, what."""

    HEADERS = ("#", "When (UTC)", "Who", "Change")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Change] = []

    def set_changes(self, changes: list[Change]) -> None:
        self._reset(changes)

    def change(self, row: int) -> Change:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if self._valid(index) else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self._valid(index):
            return None
        c = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(c.id), c.at.replace("T", " ").replace("+00:00", ""), c.who, c.describe())[col]
        if role == SortRole:
            return (c.id, c.at, c.who.casefold(), c.describe().casefold())[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            old = ", ".join(f"{k}: {v}" for k, v in (c.old or {}).items() if v)
            new = ", ".join(f"{k}: {v}" for k, v in (c.new or {}).items() if v)
            return "\n".join(x for x in (f"Before: {old}" if old else "", f"After: {new}" if new else "") if x) or None
        return None


_STATUS_STYLE = {"new": "verified", "updated": "unverified", "invalid": "conflicting", "unchanged": None}


class ImportPlanModel(RowTable):
    """An import's preview: one row per line of the file, with what importing it would do."""

    HEADERS = ("Line", "Change", "Entity", "Attribute / alias", "Value", "Unit", "Details")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows = []

    def set_plan(self, plan: ImportPlan | None) -> None:
        self._reset(plan.rows if plan else ())

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if self._valid(index) else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self._valid(index):
            return None
        r = self._rows[index.row()]
        col = index.column()
        rec = r.record
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            values = (r.line, r.status, rec.get("entity", ""), rec.get("attribute", rec.get("alias", "")),
                      rec.get("value", ""), rec.get("unit", ""), r.reason)
            v = values[col]
            return str(v) if role == Qt.ItemDataRole.DisplayRole else (v if col == 0 else str(v).casefold())
        kind = _STATUS_STYLE[r.status]
        if role == Qt.ItemDataRole.ForegroundRole and kind and col == 1:
            return QBrush(QColor(VERDICT_STYLE[kind].ink))
        if role == Qt.ItemDataRole.BackgroundRole and kind and col == 1:
            return QBrush(QColor(VERDICT_STYLE[kind].fill))
        if role == Qt.ItemDataRole.ToolTipRole and r.reason:
            return r.reason
        return None


class SortProxy(QSortFilterProxyModel):
    """Sorts by SortRole values compared as Python values (tuples element by element)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)

    def lessThan(self, left: Index, right: Index) -> bool:
        return less_by_sort_role(left, right, SortRole)
