"""Files of facts or aliases to import (CSV, or a JSON feed), read into rows and checked row by row.

Reading never touches a database: `ReferenceStore.plan_import` compares the rows with what is on file
(new, updated, unchanged) and `ReferenceStore.apply_import` writes a plan in one transaction.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from .errors import ImportFormatError
from .records import (ALIAS_COLUMNS, FACT_COLUMNS, FACT_COLUMNS_V1, alias_problem, clean_fact, fact_problem,
                      formula_like, spreadsheet_plain)


@dataclass(frozen=True)
class ParsedRow:
    """One row of an import file: where it was, what it says, and why it cannot be imported (if so)."""

    line: int                  # line in a CSV, item number in a JSON feed
    record: dict
    problem: str | None = None


@dataclass(frozen=True)
class ParsedFile:
    """An import file read and checked: facts or aliases, row by row."""

    name: str
    kind: str                  # "facts" or "aliases"
    rows: tuple[ParsedRow, ...] = field(default=())
    origin: str = ""           # the registry the rows came from; "" for a file of primary-source facts

    @property
    def invalid(self) -> list[ParsedRow]:
        return [r for r in self.rows if r.problem]

    @property
    def warnings(self) -> list[str]:
        """Cells a spreadsheet would run as formulas: imported as written, but worth a look."""
        out = []
        for r in self.rows:
            cells = [k for k, v in r.record.items() if formula_like(v)]
            if cells and not r.problem:
                out.append(f"[FD312] {self.name} line {r.line}: {cells[0]} starts with "
                           f"'{r.record[cells[0]][:1]}', which a spreadsheet would run as a formula; it is stored "
                           f"as text (exports mark it with a leading apostrophe)")
        return out


def parse_text(text: str, name: str = "<import>") -> ParsedFile:
    """Read CSV or a JSON feed, whichever the text is; raises only when the file as a whole is unreadable."""
    head = text.lstrip()[:1]
    return parse_json(text, name) if head in ("[", "{") else parse_csv(text, name)


def parse_csv(text: str, name: str = "<csv>") -> ParsedFile:
    """Rows of a facts or aliases CSV in the import format (the header's columns choose which, in any order).

    Row numbers are the file's line numbers where each record starts, also after a quoted note that runs
    over several lines.
    """
    lines = io.StringIO(text)
    reader = csv.reader(lines, strict=True)
    header: list[str] = []
    try:
        while not any(h.strip() for h in header):      # blank lines before the header do not count
            header = next(reader)
    except StopIteration:
        raise ImportFormatError(f"{name} is empty; it needs a header line", code="FD303") from None
    except csv.Error as exc:
        raise ImportFormatError(f"{name}: not CSV ({exc})", code="FD303") from None
    header = [h.strip().lower() for h in header]
    kind = _kind_of(header)
    if kind is None:
        hint = " (the file uses semicolons: save it with commas)" if len(header) == 1 and ";" in header[0] else ""
        raise ImportFormatError(
            f"{name}: header must name the columns {','.join(FACT_COLUMNS)} (facts; valid_from and valid_to "
            f"optional) or {','.join(ALIAS_COLUMNS)} (aliases), found '{','.join(header)[:120]}'{hint}",
            code="FD304")
    rows: list[ParsedRow] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            line_no, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                rows.append(ParsedRow(line_no, dict(zip(header, row)), f"{len(row)} fields, expected {len(header)}"))
                continue
            rows.append(_checked(kind, line_no, dict(zip(header, row))))
    except csv.Error as exc:
        rows.append(ParsedRow(start, {}, f"{exc} (a quote opened here is never closed?)"
                              if "EOF" in str(exc) or "end of data" in str(exc) else str(exc)))
    return ParsedFile(name, kind, tuple(rows))


def _kind_of(header: list[str]) -> str | None:
    """ "facts" or "aliases" when the header names those columns (in any order), else None."""
    cols = set(header)
    if len(cols) != len(header):
        return None
    if cols in (set(FACT_COLUMNS), set(FACT_COLUMNS_V1)):
        return "facts"
    if cols == set(ALIAS_COLUMNS):
        return "aliases"
    return None


def parse_json(text: str, name: str = "<json>") -> ParsedFile:
    """A JSON feed: a list of fact objects, or {"facts": [...]} / {"aliases": [...]} with the CSV's columns."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{name}: not JSON ({exc.msg} at line {exc.lineno})", code="FD303") from None
    if isinstance(data, dict):
        kinds = [k for k in ("facts", "aliases") if k in data]
        if len(kinds) != 1 or not isinstance(data[kinds[0]], list):
            raise ImportFormatError(f"{name}: a JSON feed is a list of facts, or an object with one list under "
                                    f"\"facts\" or \"aliases\"", code="FD304")
        kind, items = kinds[0], data[kinds[0]]
    elif isinstance(data, list):
        kind, items = "facts", data
    else:
        raise ImportFormatError(f"{name}: a JSON feed is a list of facts", code="FD304")
    columns = FACT_COLUMNS if kind == "facts" else ALIAS_COLUMNS
    rows = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.append(ParsedRow(i, {}, "not an object"))
            continue
        unknown = sorted(set(item) - set(columns))
        if unknown:
            rows.append(ParsedRow(i, {}, f"unknown field(s) {', '.join(unknown[:3])}"))
            continue
        bad = [k for k, v in item.items() if isinstance(v, bool) or
               (v is not None and not isinstance(v, (str, int, float)))]
        if bad:
            rows.append(ParsedRow(i, {}, f"field {bad[0]} is {json.dumps(item[bad[0]])[:30]}, not text or a number"))
            continue
        rows.append(_checked(kind, i, {k: _text(v) for k, v in item.items()}))
    return ParsedFile(name, kind, tuple(rows))


def _text(value) -> str:
    """A JSON value as the CSV would write it: 7.9 -> "7.9", 188.0 -> "188", 1e-07 -> "0.0000001"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        from decimal import Decimal

        return format(Decimal(repr(value)), "f")
    return str(value)


def _checked(kind: str, line: int, raw: dict) -> ParsedRow:
    if kind == "facts":
        record = clean_fact(raw)
        return ParsedRow(line, record, fact_problem(record))
    record = {k: spreadsheet_plain(str(raw.get(k) or "").strip()) for k in ALIAS_COLUMNS}
    return ParsedRow(line, record, alias_problem(record))


def problems_message(name: str, problems: list[str], noun: str = "line") -> str:
    """ "facts.csv: nothing imported: 7 bad lines; the first 5: line 2: ...; line 4: ..." (a JSON feed or a
    registry has items, a CSV lines)."""
    n = len(problems)
    lead = f"{n} bad {noun}" if n == 1 else f"{n} bad {noun}s" + ("; the first 5" if n > 5 else "")
    return f"{name}: nothing imported: {lead}: " + "; ".join(problems[:5])
