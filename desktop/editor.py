"""The article editor: plain text with each judged claim marked in place, like a grammar checker's marks."""
from __future__ import annotations

import bisect
import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (QColor, QFont, QHelpEvent, QPainter, QPalette, QSyntaxHighlighter, QTextCharFormat,
                           QTextCursor)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from factdesk.verdicts import Verdict, fact_value_text

from .positions import OffsetMap
from .style import VERDICT_STYLE, shown_kind

_UNDERLINE = {
    "solid": QTextCharFormat.UnderlineStyle.SingleUnderline,
    "wave": QTextCharFormat.UnderlineStyle.WaveUnderline,
    "dots": QTextCharFormat.UnderlineStyle.DotLine,
}


@dataclass
class Mark:
    """One claim's span in the editor; the cursor moves with edits around it."""

    row: int
    verdict: Verdict
    cursor: QTextCursor
    text: str           # the span's text when checked: if it changes, the mark is stale
    live: bool = True


GUTTER_WIDTH = 24        # the margin where each line's worst verdict shows as a glyph


def _format(kind: str, current: bool) -> QTextCharFormat:
    style = VERDICT_STYLE[kind]
    fmt = QTextCharFormat()
    fill = QColor(style.fill)
    if current:
        fill = fill.darker(125)
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setBackground(fill)
    fmt.setUnderlineStyle(_UNDERLINE[style.underline])
    fmt.setUnderlineColor(QColor(style.ink))
    return fmt


class _MarkHighlighter(QSyntaxHighlighter):
    """Paints the editor's marks block by block, without touching the text or its undo history."""

    def __init__(self, editor: "ArticleEditor") -> None:
        super().__init__(editor.document())
        self.editor = editor

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        start = block.position()
        end = start + block.length()
        for m in self.editor.marks_in(start, end):
            a = max(m.cursor.selectionStart(), start) - start
            b = min(m.cursor.selectionEnd(), end) - start
            if b > a:
                self.setFormat(a, b - a, self.editor.mark_format(m))


def normalize_newlines(text: str) -> str:
    """Line breaks as the engine reads them: CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def local_files(mime: QMimeData) -> list[str]:
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []


def note_html(v: Verdict) -> str:
    """The tooltip for a claim: verdict, claimed and reference values, source and date, explanation."""
    from .models import claimed_text

    style = VERDICT_STYLE[shown_kind(v)]
    e = html.escape
    parts = [f"<b style='color:{style.ink}'>{style.glyph} {style.label}</b>"
             + (" &mdash; <b style='color:#8a5a00'>sources on file disagree</b>" if v.disputed else ""),
             f"<br><b>Claimed:</b> {e(claimed_text(v))}"]
    if v.fact:
        f = v.fact
        parts.append(f"<br><b>Reference:</b> {e(fact_value_text(f))} &mdash; {e(f.entity)}, {e(f.attribute)}")
        source = e(f.source_url or "no source on file")
        parts.append(f"<br><b>Source:</b> {source}" + (f" (as of {e(f.as_of)})" if f.as_of else "")
                     + (f", per the {e(f.origin)}" if f.origin else ""))
    elif v.entity:
        parts.append(f"<br><b>About:</b> {e(v.entity)}")
    if v.check_worthy and v.confidence:
        parts.append(f"<br><b>Confidence:</b> {v.confidence:.2f}")
    if v.candidates:
        rows = "".join(f"<br>&nbsp;&nbsp;{p:.2f} &nbsp;{e(f.entity)}, {e(f.attribute)} = {e(fact_value_text(f))}"
                       for f, p in v.candidates[:3])
        parts.append(f"<br><b>Candidates:</b>{rows}")
    parts.append(f"<br><i>{e(v.explanation)}</i>")
    return "<qt><div style='max-width:420px'>" + "".join(parts) + "</div></qt>"


class _Gutter(QWidget):
    """The strip left of the text: a verdict glyph beside every line that holds a claim (the worst one)."""

    def __init__(self, editor: "ArticleEditor") -> None:
        super().__init__(editor)
        self.setObjectName("verdictGutter")
        self.editor = editor
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(GUTTER_WIDTH, 0)

    def paintEvent(self, e) -> None:
        self.editor.paint_gutter(self, e.rect())

    def mousePressEvent(self, e) -> None:
        row = self.editor.gutter_mark_at(e.position().y())
        if row is not None:
            self.editor.select_mark(row)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            rows = self.editor.gutter_marks_at(e.pos().y())
            if rows:
                counts: dict[str, int] = {}
                for r in rows:
                    kind = shown_kind(self.editor.marks()[r].verdict)
                    counts[kind] = counts.get(kind, 0) + 1
                text = ", ".join(f"{VERDICT_STYLE[k].glyph} {n} {VERDICT_STYLE[k].label.lower()}"
                                 for k, n in sorted(counts.items(), key=lambda kv: VERDICT_STYLE[kv[0]].order))
                QToolTip.showText(e.globalPos(), text + " — click to select", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(e)


class ArticleEditor(QPlainTextEdit):
    """Plain-text editor that marks claims by verdict and tells which mark the cursor is in."""

    marksEdited = Signal(object)        # set of rows whose text changed since the check
    textEdited = Signal()               # the text itself changed (re-painting marks does not count)
    filesDropped = Signal(list)         # local paths dropped on the editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleEditor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("Paste or type an article, open a draft (Ctrl+O) or drop a file here, "
                                "then press Check (Ctrl+Return).")
        font = QFont("Georgia")
        font.setStyleHint(QFont.StyleHint.Serif)
        font.setPointSizeF(max(11.0, font.pointSizeF() + 1))
        self.setFont(font)
        self.document().setDocumentMargin(18)
        self._marks: list[Mark] = []
        self._live: list[Mark] = []
        self._current: int | None = None
        self._formats = {(kind, current): _format(kind, current) for kind in VERDICT_STYLE for current in (False, True)}
        self._painting = False
        # connected before the highlighter exists, so an edited mark is retired before blocks repaint
        self.document().contentsChange.connect(self._on_contents_change)
        self._highlighter = _MarkHighlighter(self)
        # a light selection keeps a selected claim's underline and colour readable
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#b6d4fe"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#1f2328"))
        self.setPalette(palette)
        self._gutter = _Gutter(self)
        self.setViewportMargins(GUTTER_WIDTH, 0, 0, 0)
        self.updateRequest.connect(self._update_gutter)

    # -- gutter -------------------------------------------------------------------------------------
    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        r = self.contentsRect()
        self._gutter.setGeometry(QRect(r.left(), r.top(), GUTTER_WIDTH, r.height()))

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def _visible_lines(self, top_px: float, bottom_px: float):
        """(y, height, rows) for each visible line that holds live marks, rows worst first."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom_px:
                break
            if block.isVisible() and geometry.bottom() >= top_px:
                layout = block.layout()
                lines: dict[int, list[int]] = {}
                for m in self.marks_in(block.position(), block.position() + block.length()):
                    at = max(m.cursor.selectionStart(), block.position()) - block.position()
                    line = layout.lineForTextPosition(at)
                    if line.isValid():
                        lines.setdefault(line.lineNumber(), []).append(m.row)
                for number, rows in lines.items():
                    line = layout.lineAt(number)
                    rows.sort(key=lambda r: VERDICT_STYLE[shown_kind(self._marks[r].verdict)].order)
                    yield geometry.top() + line.y(), line.height(), rows
            block = block.next()

    def paint_gutter(self, gutter: QWidget, rect: QRect) -> None:
        painter = QPainter(gutter)
        painter.fillRect(rect, QColor("#f6f8fa"))
        painter.setPen(QColor("#d0d7de"))
        painter.drawLine(gutter.width() - 1, rect.top(), gutter.width() - 1, rect.bottom())
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        painter.setFont(font)
        for y, h, rows in self._visible_lines(rect.top(), rect.bottom()):
            kind = shown_kind(self._marks[rows[0]].verdict)
            style = VERDICT_STYLE[kind]
            box = QRect(0, round(y), gutter.width() - 2, round(h))
            if self._current in rows:
                painter.fillRect(box.adjusted(2, 1, -1, -1), QColor(style.fill).darker(110))
            painter.setPen(QColor(style.ink))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), style.glyph)
        painter.end()

    def gutter_marks_at(self, y: float) -> list[int]:
        """Rows of the marks on the line at gutter height `y`, worst first."""
        for top, h, rows in self._visible_lines(y - 1, y + 1):
            if top <= y < top + h:
                return rows
        return []

    def gutter_mark_at(self, y: float) -> int | None:
        rows = self.gutter_marks_at(y)
        return rows[0] if rows else None

    # -- marks --------------------------------------------------------------------------------------
    def set_marks(self, verdicts: tuple[Verdict, ...] | list[Verdict], offsets: OffsetMap,
                  first: int = 0, count: int | None = None) -> int:
        """Mark claims `first`..`first+count` (all by default); returns the index after the last marked.

        `offsets` maps the checked text's offsets to this document's positions. Starting at 0 replaces
        the marks; later calls add to them, so a caller can mark thousands of claims in short steps.
        """
        doc = self.document()
        if first == 0:
            self._marks = []
            self._current = None
        stop = len(verdicts) if count is None else min(len(verdicts), first + count)
        for row in range(first, stop):
            v = verdicts[row]
            c = QTextCursor(doc)
            c.setPosition(offsets.to_qt(v.claim.start))
            c.setPosition(offsets.to_qt(v.claim.end), QTextCursor.MoveMode.KeepAnchor)
            self._marks.append(Mark(row, v, c, c.selectedText()))
        self._paint()
        return stop

    def clear_marks(self) -> None:
        self._marks = []
        self._current = None
        self._paint()

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def live_marks(self) -> list[Mark]:
        return [m for m in self._marks if m.live]

    def mark_span(self, row: int) -> tuple[int, int] | None:
        """Qt positions (start, end) of a live mark."""
        m = self._marks[row] if 0 <= row < len(self._marks) else None
        if m is None or not m.live:
            return None
        return m.cursor.selectionStart(), m.cursor.selectionEnd()

    def mark_cursor(self, row: int) -> QTextCursor:
        """A cursor at the start of a mark (for finding where it is on screen)."""
        c = QTextCursor(self.document())
        span = self.mark_span(row)
        c.setPosition(span[0] if span else 0)
        return c

    def mark_at(self, position: int) -> int | None:
        """Row of the live mark containing a Qt position (its end counts, so a cursor after it selects it)."""
        for m in self._marks:
            if m.live and m.cursor.selectionStart() <= position <= m.cursor.selectionEnd():
                return m.row
        return None

    def select_mark(self, row: int) -> bool:
        span = self.mark_span(row)
        if span is None:
            return False
        c = self.textCursor()
        c.setPosition(span[0])
        c.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)
        self.ensureCursorVisible()
        self.set_current(row)
        return True

    def set_current(self, row: int | None) -> None:
        if row != self._current:
            changed = {r for r in (row, self._current) if r is not None}
            self._current = row
            self._paint(changed)

    def neighbour_mark(self, forward: bool, allowed: set[int] | None = None) -> int | None:
        """The next (or previous) live mark after (before) the cursor, wrapping round; limited to `allowed`."""
        marks = sorted((m for m in self._marks if m.live and (allowed is None or m.row in allowed)),
                       key=lambda m: m.cursor.selectionStart())
        if not marks:
            return None
        c = self.textCursor()
        here = c.selectionStart() if c.hasSelection() else c.position()
        if forward:
            after = [m for m in marks if m.cursor.selectionStart() > here]
            return (after[0] if after else marks[0]).row
        before = [m for m in marks if m.cursor.selectionStart() < here]
        return (before[-1] if before else marks[-1]).row

    def _paint(self, rows: set[int] | None = None) -> None:
        """Re-apply the marks' formats (all blocks, or only those holding `rows`)."""
        self._live = [m for m in self._marks if m.live]
        self._gutter.update()
        self._painting = True      # formatting reports itself as a change to the document: not an edit
        try:
            if rows is None:
                self._highlighter.rehighlight()
                return
            doc = self.document()
            for row in rows:
                if 0 <= row < len(self._marks):
                    m = self._marks[row]
                    block = doc.findBlock(m.cursor.selectionStart())
                    last = doc.findBlock(max(m.cursor.selectionStart(), m.cursor.selectionEnd() - 1))
                    while block.isValid():
                        self._highlighter.rehighlightBlock(block)
                        if block == last:
                            break
                        block = block.next()
        finally:
            self._painting = False

    def marks_in(self, start: int, end: int) -> list[Mark]:
        """Live marks overlapping positions [start, end), in document order."""
        live = self._live
        i = bisect.bisect_left(live, start, key=lambda m: m.cursor.selectionEnd())
        out = []
        while i < len(live) and live[i].cursor.selectionStart() < end:
            if live[i].cursor.selectionEnd() > start:
                out.append(live[i])
            i += 1
        return out

    def mark_format(self, m: Mark) -> QTextCharFormat:
        return self._formats[(shown_kind(m.verdict), m.row == self._current)]

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        if self._painting or (removed == 0 and added == 0):
            return
        self.textEdited.emit()
        if not self._live:
            return
        # marks move with the text; a mark the edit touches (inside it or right next to it: "1" typed
        # before "200,000" makes "1200,000") no longer shows what was checked
        edited = {m.row for m in self.marks_in(position - 1, position + max(added, 1) + 1)}
        if edited:
            for row in edited:
                self._marks[row].live = False
            if self._current in edited:
                self._current = None
            self._live = [m for m in self._marks if m.live]
            QTimer.singleShot(0, lambda rows=edited: self._paint(rows))
            self.marksEdited.emit(edited)

    # -- tooltips, paste, drops -----------------------------------------------------------------------
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            pos = self.cursorForPosition(e.pos()).position()
            row = self.mark_at(pos)
            if row is not None:
                QToolTip.showText(e.globalPos(), note_html(self._marks[row].verdict), self.viewport())
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if local_files(source) and not source.hasText():
            self.filesDropped.emit(local_files(source))
            return
        if source.hasText():
            self.textCursor().insertText(normalize_newlines(source.text()))
            self.ensureCursorVisible()
            return
        super().insertFromMimeData(source)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def dragEnterEvent(self, e) -> None:
        if local_files(e.mimeData()):
            e.acceptProposedAction()
        else:
            super().dragEnterEvent(e)

    def dragMoveEvent(self, e) -> None:
        if local_files(e.mimeData()):
            e.acceptProposedAction()
        else:
            super().dragMoveEvent(e)

    def dropEvent(self, e) -> None:
        files = local_files(e.mimeData())
        if files:
            e.acceptProposedAction()
            self.filesDropped.emit([str(Path(f)) for f in files])
            return
        super().dropEvent(e)
