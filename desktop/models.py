"""Table models for the claims panel: one row per judged claim, filterable by verdict and text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from factdesk.verdicts import Verdict, VerdictKind, fact_value_text

from .style import VERDICT_STYLE, shown_kind

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    tip: str


COLUMNS = (
    Column("Verdict", "Verified, conflicting or unverified"),
    Column("Claim", "The number as written in the article"),
    Column("Entity", "What the number is about"),
    Column("Attribute", "The reference fact it was judged against"),
    Column("Claimed", "The value the article states"),
    Column("Reference", "The value on file"),
    Column("Source", "Where the reference value comes from (double-click to open)"),
)
VERDICT, CLAIM, ENTITY, ATTRIBUTE, CLAIMED, REFERENCE, SOURCE = range(len(COLUMNS))

VerdictRole = Qt.ItemDataRole.UserRole + 1    # the VerdictKind value of a row
RowRole = Qt.ItemDataRole.UserRole + 2        # the row's index in the source model
StaleRole = Qt.ItemDataRole.UserRole + 3      # True once the claim's text was edited
SortRole = Qt.ItemDataRole.UserRole + 4


def claimed_text(v: Verdict) -> str:
    """The claim's value and unit as the table shows them (the same words as the HTML report)."""
    from factdesk.report import claimed_text as text_of   # imported here: keeps spaCy out of start-up

    return text_of(v.claim)


class RowTable(QAbstractTableModel):
    """Shared plumbing of the app's tables: fixed headers, rows in a list (`_rows`)."""

    HEADERS: tuple[str, ...] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def _valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self.HEADERS)

    def _reset(self, rows) -> None:
        """Show `rows` in place of the table's rows (views are told to start over)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


def less_by_sort_role(left: Index, right: Index, role: int) -> bool:
    """Order two cells by their values for `role`; mixed types (a number beside text) compare as text."""
    a, b = left.data(role), right.data(role)
    try:
        return a < b
    except TypeError:
        return str(a) < str(b)


def sort_number(text: str) -> float | None:
    """The first number in a cell ("$0.40 per 1M tokens" -> 0.4), for numeric sorting."""
    m = _NUMBER.search(text.replace(",", ""))
    return float(m.group()) if m else None


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _claim_number(v: Verdict) -> float | None:
    value = v.claim.quantity.value
    return float(value) if isinstance(value, (int, float)) else None


class ClaimsModel(QAbstractTableModel):
    """The verdicts of the current check, in document order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Verdict] = []
        self._claimed: dict[int, str] = {}     # made when a row is first shown: a long article has thousands
        self._stale: set[int] = set()

    # -- contents ------------------------------------------------------------------------------------
    def set_verdicts(self, verdicts: tuple[Verdict, ...] | list[Verdict]) -> None:
        self.beginResetModel()
        self._rows = list(verdicts)
        self._claimed = {}
        self._stale = set()
        self.endResetModel()

    def clear(self) -> None:
        self.set_verdicts([])

    def verdict(self, row: int) -> Verdict:
        return self._rows[row]

    def verdicts(self) -> list[Verdict]:
        return list(self._rows)

    def mark_stale(self, rows: set[int]) -> None:
        """Grey out rows whose text was edited since the check."""
        new = rows - self._stale
        if not new:
            return
        self._stale |= new
        for r in new:
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))

    def is_stale(self, row: int) -> bool:
        return row in self._stale

    # -- Qt model API --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMNS[section].tip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, col = index.row(), index.column()
        v = self._rows[row]
        kind = shown_kind(v)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == SortRole:
            if col == VERDICT:
                return VERDICT_STYLE[kind].order
            if col == CLAIM:
                return v.claim.start
            if col in (CLAIMED, REFERENCE):
                n = sort_number(self._text(row, col)) if col == REFERENCE else _claim_number(v)
                return (0, n, "") if n is not None else (1, 0.0, self._text(row, col).casefold())
            text = self._text(row, col).casefold()
            return (0 if text else 1, text)
        if role == VerdictRole:
            return kind
        if role == RowRole:
            return row
        if role == StaleRole:
            return row in self._stale
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == SOURCE:
                return (v.fact.source_url + " — double-click or press Enter to open") if v.fact else ""
            if col == ENTITY and v.entity:
                return v.entity + ("" if v.entity_on_file else
                                   " — not on file: Facts > Add Claim as Fact starts its record")
            if col == VERDICT and v.disputed:
                return "Verified against one source, but another source on file gives a different value. " \
                       + v.explanation
            return v.explanation
        if role == Qt.ItemDataRole.ForegroundRole:
            if row in self._stale:
                return QBrush(QColor("#8c959f"))
            if col == VERDICT:
                return QBrush(QColor(VERDICT_STYLE[kind].ink))
            if col == SOURCE and v.fact and v.fact.source_url.startswith(("http://", "https://")):
                return QBrush(QColor("#0969da"))
        if role == Qt.ItemDataRole.BackgroundRole and col == VERDICT and row not in self._stale:
            return QBrush(QColor(VERDICT_STYLE[kind].fill))
        if role == Qt.ItemDataRole.FontRole:
            if row in self._stale:
                f = QFont()
                f.setItalic(True)
                return f
            if col == VERDICT:
                f = QFont()
                f.setBold(True)
                return f
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{VERDICT_STYLE[kind].label}: {self._text(row, col)}"
        return None

    def _text(self, row: int, col: int) -> str:
        v = self._rows[row]
        f = v.fact
        if col == VERDICT:
            label = f"{VERDICT_STYLE[shown_kind(v)].glyph} {VERDICT_STYLE[shown_kind(v)].label}"
            if v.disputed:
                label += " · disputed"
            return label + (" (edited)" if row in self._stale else "")
        if col == CLAIM:
            return v.claim.text
        if col == ENTITY:
            return (v.entity or "") + ("  (not on file)" if v.entity and not v.entity_on_file else "")
        if col == ATTRIBUTE:
            return f.attribute if f else ""
        if col == CLAIMED:
            text = self._claimed.get(row)
            if text is None:
                text = self._claimed[row] = claimed_text(v)
            return text
        if col == REFERENCE:
            return fact_value_text(f) if f else ""
        if col == SOURCE:
            if not f:
                return ""
            return f.source_url + (f" ({f.as_of})" if f.as_of else "")
        return ""


class ClaimsFilter(QSortFilterProxyModel):
    """Shows the rows whose verdict is switched on and whose text contains the filter words."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._kinds = {k.value for k in VerdictKind}     # numbers that are no claim: off until asked for
        self._needle = ""
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def set_kind_visible(self, kind: str, visible: bool) -> None:
        new = set(self._kinds)
        (new.add if visible else new.discard)(kind)
        if new != self._kinds:
            self._refilter(lambda: setattr(self, "_kinds", new))

    def kind_visible(self, kind: str) -> bool:
        return kind in self._kinds

    def counts_by_kind(self) -> dict[str, int]:
        """Claims per verdict that pass the text filter (whether or not their verdict is switched on)."""
        model = self.sourceModel()
        counts: dict[str, int] = {}
        if model is None:
            return counts
        for row in range(model.rowCount()):
            if self._matches_text(model, row, QModelIndex()):
                kind = model.data(model.index(row, VERDICT), VerdictRole)
                counts[kind] = counts.get(kind, 0) + 1
        return counts

    def set_text(self, text: str) -> None:
        needle = text.strip().casefold()
        if needle != self._needle:
            self._refilter(lambda: setattr(self, "_needle", needle))

    def _refilter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):        # Qt 6.10 and later
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def lessThan(self, left: Index, right: Index) -> bool:
        return less_by_sort_role(left, right, SortRole)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if model is None:
            return False
        kind = model.data(model.index(source_row, VERDICT, source_parent), VerdictRole)
        if kind not in self._kinds:
            return False
        return self._matches_text(model, source_row, source_parent)

    def _matches_text(self, model, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        for col in range(model.columnCount(source_parent)):
            text = model.data(model.index(source_row, col, source_parent), Qt.ItemDataRole.DisplayRole) or ""
            if self._needle in text.casefold():
                return True
        return False
