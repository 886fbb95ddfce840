"""Text layout the parser should not see, and layout a copy lost: lines a plain-text draft was hard-wrapped at,
and pipe tables whose rows a copy from the web ran together onto one line.

A newline in the middle of a sentence ("GPT-4o managed\\n33.2 percent") breaks the parse around it, so
the figure loses its subject. Such newlines become spaces before parsing, and the space between two rows of a
run-together table becomes the newline it was; the text keeps its length, so every offset still points at the
same character of the original.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

WRAP_MIN = 70     # shorter lines are list items, headings and datelines, whatever follows them

# a line ending like this ends a sentence, a heading's label or a list lead-in; one starting like this is
# its own item
_ENDS = re.compile(r"[.!?:;)\]\"'”’|]\s*$")
_STARTS_ITEM = re.compile(r"\s*(?:[-*•+>#|]|\d{1,3}[.)]\s|[A-Z][\w .&/-]{0,30}:\s)")


# hyphens and spaces typeset with other characters ("Grok‑1", "314‑billion", "131 072") read as the plain ones,
# and trademark signs as spaces ("Ryzen™ 9"), so names and numbers are found however the page set them; one
# character for one, so offsets hold
_PLAIN = str.maketrans({"\u2122": " ", "\u00ae": " ", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ",
                        "\u2007": " ", "\u2009": " ", "\u200a": " "})


def join_wrapped_lines(text: str) -> str:
    """`text` with each hard-wrap newline (inside a paragraph, after a long line that does not end a sentence,
    before a line that does not start an item) replaced by a space, the rows of a run-together pipe table put
    back on lines of their own, and typeset hyphens and spaces made plain. Same length as `text`."""
    text = text.translate(_PLAIN)
    if "|" in text and _RUN_TOGETHER_RULE.search(text):
        text = _split_table_rows(text)
    if "\n" not in text:
        return text
    out = list(text)
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)            # the newline after this line
        nxt = lines[i + 1]
        if (len(line.strip()) >= WRAP_MIN and nxt.strip() and not _ENDS.search(line)
                and not _STARTS_ITEM.match(nxt)):
            out[pos] = " "
        pos += 1
    return "".join(out)


# a pipe table's rule row right after its header row, on the same line: "| Model | Score | |---|---|"
_RUN_TOGETHER_RULE = re.compile(r"\|[ \t]+\|[ \t]*:?-{3,}")


def _split_table_rows(text: str) -> str:
    """`text` with each line that holds a whole pipe table (header, rule row, rows, one space between rows)
    cut back into its rows. A row has as many pipes as the header row, so an empty cell ("| |") is never taken
    for the gap between two rows; a line that does not keep that count to its end is left as it is."""
    out = list(text)
    start = 0
    for line in text.split("\n"):
        m = _RUN_TOGETHER_RULE.search(line)
        if m:
            pipes = [i for i, ch in enumerate(line) if ch == "|"]
            k = pipes.index(m.start())          # the header row's last pipe
            width = k + 1                       # pipes per row
            cuts = []
            j = k
            while j + width < len(pipes):
                gap = line[pipes[j] + 1:pipes[j + 1]]
                if not gap or gap.strip():
                    break
                cuts.append(pipes[j] + 1)
                j += width
            if cuts and j == len(pipes) - 1 and not line[pipes[-1] + 1:].strip():
                # the text before the table, if any, is a line of its own too
                lead = line[:pipes[0]]
                if lead.strip() and lead[-1:].isspace():
                    cuts.insert(0, pipes[0] - 1)
                for c in cuts:
                    out[start + c] = "\n"
        start += len(line) + 1
    return "".join(out)


@dataclass(frozen=True)
class TableCell:
    """Where a figure sits in a pipe table ("Pim Metro | 360 Wh | 70 km"): its cell, what the row is about (its
    first cell, or the first left of the figure that names something when that is empty), its column's header
    and every cell left of it that labels it rather than holding another figure, as (start, end) offsets."""

    cell: tuple[int, int]
    first: tuple[int, int]
    header: tuple[int, int] | None
    column: int
    labels: tuple[tuple[int, int], ...] = ()


_FIGURE_CELL = re.compile(r"[$€£¥]?\s*\d")


_RULE_ROW = re.compile(r"^[\s|:\-+]*$")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one table line, without the outer pipes and the spaces around each cell."""
    line = text[start:end]
    cuts = [-1] + [i for i, ch in enumerate(line) if ch == "|"] + [len(line)]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        s, e = start + a + 1, start + b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    if line.lstrip().startswith("|"):
        out = out[1:]
    if line.rstrip().endswith("|"):
        out = out[:-1]
    return out


def table_cell(text: str, pos: int) -> TableCell | None:
    """The table cell holding offset `pos`, if its line is a row of a pipe table (two or more columns).
    The header is the first line of the table (the block of lines with as many cells) when that is not the
    row itself."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    le = len(text) if le < 0 else le
    if text.count("|", ls, le) < 2:
        return None
    cells = _cells(text, ls, le)
    col = next((k for k, (s, e) in enumerate(cells) if s <= pos < e), None)
    if col is None or len(cells) < 2:
        return None
    header = None
    top = ls
    while top > 0:
        ps = text.rfind("\n", 0, top - 1) + 1
        prev = text[ps:top - 1]
        if not prev.strip() or prev.count("|") < 2:
            break
        if not _RULE_ROW.match(prev) and len(_cells(text, ps, top - 1)) != len(cells):
            break
        top = ps
    if top < ls and not _RULE_ROW.match(text[top:text.find("\n", top)]):
        head = _cells(text, top, text.find("\n", top))
        header = head[col] if col < len(head) else None
    # "| General | MMLU | 5 | 66.7 |" and, under a merged cell, "|  | BoolQ | 0 | 75.7 |": every cell left of the
    # figure that names something labels it; the first of them is what the row is about
    labels = tuple((s, e) for k, (s, e) in enumerate(cells[:col]) if any(ch.isalpha() for ch in text[s:e])
                   and (k == 0 or not _FIGURE_CELL.match(text, s)))
    return TableCell(cells[col], labels[0] if labels else cells[0], header, col, labels)


# a figure of a borderless table's row, and a word too long to be a unit (a row holds only figures and units)
_ROW_FIGURE = re.compile(r"[$€£¥]?\d[\d,.]*")
_ROW_LABEL = re.compile(r"[ \t]*([A-Za-z][^\n]*?)[ \t]+(?=[$€£¥]?\d)")
_LONG_WORD = re.compile(r"[A-Za-z]{5,}")
_NAME_GLUE = re.compile(r"(?:[\s/|,&]|\b[A-Za-z0-9]{1,3}\b|\bvs\.?)*")
COLUMN_ROWS = 12        # rows between a borderless table's header and a figure, at most


def _row(text: str, start: int, end: int) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """(label, figures) of a line that is a label and then only figures with their units
    ("L3/L2 Cache 36MB / 32MB 33MB / 28MB"), else None."""
    m = _ROW_LABEL.match(text, start, end)
    if m is None:
        return None
    rest = m.end()
    figures = [(f.start(), f.end()) for f in _ROW_FIGURE.finditer(text, rest, end)]
    if len(figures) < 2 or _LONG_WORD.search(text, rest, end):
        return None
    return (m.start(1), m.end(1)), figures


def column_cell(text: str, pos: int, names: Sequence[tuple[int, int]]) -> TableCell | None:
    """The cell holding offset `pos` in a table whose borders a copy lost: a header line of two or more names
    (`names`: the offsets of every name the text gives, in order) over rows of a label and figures, with as many figures
    under each name ("Core i9-14900K/KF Core i7-14700K/KF" over "Cores/Threads 24 (8+16) / 32 20 (8+12) / 28").
    A row's figures are dealt to the names in order, in equal shares; a row they do not divide is no row."""
    ls = text.rfind("\n", 0, pos) + 1
    le = text.find("\n", pos)
    le = len(text) if le < 0 else le
    row = _row(text, ls, le)
    if row is None:
        return None
    label, figures = row
    top, header = ls, None
    for _ in range(COLUMN_ROWS):
        if top == 0:
            return None
        ps = text.rfind("\n", 0, top - 1) + 1
        first = bisect.bisect_left(names, (ps, ps))
        heads = [(s, e) for s, e in names[first:bisect.bisect_left(names, (top - 1, top - 1))] if e <= top - 1]
        glue = "".join(text[a:b] for a, b in zip([ps] + [e for _, e in heads], [s for s, _ in heads] + [top - 1]))
        if len(heads) >= 2 and _NAME_GLUE.fullmatch(glue):
            header = heads
            break
        if _row(text, ps, top - 1) is None:
            return None
        top = ps
    if header is None or len(figures) % len(header):
        return None
    share = len(figures) // len(header)
    k = next((i for i, (s, e) in enumerate(figures) if s <= pos < e), None)
    if k is None:
        return None
    col = k // share
    cell = (figures[col * share][0], figures[col * share + share - 1][1])
    # the header names what each column is about; a row's label says what is measured, never of what
    return TableCell(cell, (label[0], label[0]), header[col], col + 1, (label,))
