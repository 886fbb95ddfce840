"""Check a folder of drafts: find them, check them in batches, write one report each and an index.

Used by `factdesk check DIR --out OUT` and by the desktop's batch dialog. Drafts stream through in
batches, so memory does not grow with the number of drafts; a draft that cannot be read becomes an
error line in the results and the run goes on.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .atomic import AtomicFile, write_text_atomic
from .check import Checker, Report
from .errors import FactdeskError, InputError
from .records import spreadsheet_safe
from .textio import DRAFT_SUFFIXES, read_document, read_source

BATCH_DOCS = 8             # small enough that progress moves and Cancel answers within a few drafts
BATCH_CHARS = 200_000      # a batch also ends when its texts add up to this much


class FailOn(str, Enum):
    """Which verdicts make `factdesk check` exit 1 (a newsroom's publishing gate)."""

    CONFLICTING = "conflicting"
    UNVERIFIED = "unverified"
    NEVER = "never"


@dataclass(frozen=True)
class DraftResult:
    """One draft's outcome: its report, or why it could not be checked."""

    path: Path | str             # a file, or the address of a web article
    name: str                    # path relative to the folder given (or host/path of an address)
    report: Report | None
    error: str | None = None

    @property
    def summary(self) -> dict[str, int]:
        return self.report.summary if self.report else {"verified": 0, "conflicting": 0, "unverified": 0}


@dataclass(frozen=True)
class IndexEntry:
    """What the index keeps of a draft once its report is written (not the text: memory stays flat)."""

    name: str
    summary: dict[str, int]
    error: str | None
    link: str | None             # report path relative to the output folder
    warnings: tuple[str, ...] = ()

    @property
    def claims(self) -> int:
        return sum(self.summary.values())


@dataclass(frozen=True)
class Progress:
    """Where a batch run is: drafts done of total, claims found so far, the draft being read."""

    done: int
    total: int
    claims: int
    current: str
    within: float = 0.0     # how far into the current draft (0..1), for long drafts read in pieces


def find_drafts(inputs: Iterable[str | Path], skip: Path | None = None
                ) -> tuple[list[tuple[Path, str]], list[DraftResult]]:
    """Drafts under the given files and folders (recursively, by suffix), with display names; plus misses.

    A file named explicitly is taken whatever its suffix; in folders only .txt .md .html .docx count.
    Hidden files and folders are skipped, and so is `skip` (the folder reports are written to). Display
    names are unique: a folder's drafts are named under the folder when several inputs are given.
    """
    from .web import is_url

    found: list[tuple[Path | str, str]] = []
    missing: list[DraftResult] = []
    seen: set = set()
    urls = [str(i).strip() for i in inputs if is_url(str(i))]
    for other in (str(i) for i in inputs if re.match(r"^[a-z][a-z0-9+.-]*://", str(i), re.IGNORECASE)
                  and not is_url(str(i))):
        missing.append(DraftResult(other, other, None, f"[FD501] '{other[:80]}' is not a web address factdesk "
                                                        f"can fetch; give an http:// or https:// address or a file"))
    inputs = [Path(i) for i in inputs if not re.match(r"^[a-z][a-z0-9+.-]*://", str(i), re.IGNORECASE)]
    for url in urls:
        if url not in seen:
            seen.add(url)
            found.append((url, url_name(url)))
    skip = skip.resolve() if skip is not None else None
    several = sum(1 for p in inputs if p.is_dir()) > 1
    for p in inputs:
        if p.is_dir():
            prefix = f"{p.resolve().name}/" if several else ""
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                if skip is not None and (f.resolve() == skip or skip in f.resolve().parents):
                    continue   # earlier reports inside the folder being checked are not drafts
                if f.suffix.lower() in DRAFT_SUFFIXES and f.resolve() not in seen:
                    seen.add(f.resolve())
                    found.append((f, prefix + rel.as_posix()))
        elif p.exists():
            if p.resolve() not in seen:
                seen.add(p.resolve())
                found.append((p, p.name))
        else:
            missing.append(DraftResult(p, p.name, None, f"[FD101] no file or folder at {p}; check the path"))
    return found, _unique_names(found, missing)


def url_name(url: str) -> str:
    """A report name for a web article: its host and path as folders and a file name, nothing a file
    system would refuse ("https://example.org/news/a?id=2" -> "example.org/news/a_id_2")."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:           # "http://[oops/": fetching it will say what is wrong
        return re.sub(r"[^\w.-]+", "_", url)[:200]
    path = (parts.path.strip("/") or "index") + (f"?{parts.query}" if parts.query else "")
    segments = [re.sub(r"[^\w.-]+", "_", seg).strip("._") or "_" for seg in path.split("/")]
    host = re.sub(r"[^\w.-]+", "_", parts.netloc)
    return "/".join([host, *segments])[:200]


def _unique_names(found: list[tuple[Path | str, str]], missing: list[DraftResult]) -> list[DraftResult]:
    """Give drafts that would share a report name ("story.txt" from two folders) a numbered name."""
    counts: dict[str, int] = {}
    for i, (path, name) in enumerate(found):
        key = name.casefold()
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > 1:
            stem, dot, suffix = name.rpartition(".")
            found[i] = (path, f"{stem} ({counts[key]}).{suffix}" if dot else f"{name} ({counts[key]})")
    return missing


def check_drafts(checker: Checker, drafts: list[tuple[Path, str]],
                 progress: Callable[[Progress], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Iterator[DraftResult]:
    """Check drafts in `nlp.pipe` batches, yielding results in order; unreadable drafts yield errors."""
    total, done, claims = len(drafts), 0, 0
    batch: list[tuple[Path, str, object]] = []
    size = 0

    def flush() -> Iterator[DraftResult]:
        nonlocal done, claims
        readable = [(p, n, d) for p, n, d in batch if not isinstance(d, str)]
        name_of = {id(d): n for p, n, d in readable}

        def within(d):
            if progress is None:
                return None
            return lambda part, whole: progress(Progress(done, total, claims, name_of[id(d)], part / max(1, whole)))
        reports = iter(checker.check_texts([(d.source, d.text, d.warnings, d.date) for p, n, d in readable],
                                           batch_size=4, progress=[within(d) for p, n, d in readable]))
        for p, n, d in batch:
            if cancelled and cancelled():
                return
            if isinstance(d, str):
                result = DraftResult(p, n, None, d)
            else:
                report = next(reports)
                claims += len(report.verdicts)
                result = DraftResult(p, n, report)
            done += 1
            if progress:
                progress(Progress(done, total, claims, n))
            yield result

    for path, name in drafts:
        if cancelled and cancelled():
            return
        if progress and not batch:
            progress(Progress(done, total, claims, name))   # the next draft to come out
        try:
            doc: object = read_source(path) if isinstance(path, str) else read_document(path)
            checker.admit(doc.text, doc.source)     # an oversized draft is skipped with its code
            size += len(doc.text)
        except FactdeskError as exc:
            doc = str(exc)
        batch.append((path, name, doc))
        if len(batch) >= BATCH_DOCS or size >= BATCH_CHARS:
            yield from flush()
            batch, size = [], 0
    if batch and not (cancelled and cancelled()):
        yield from flush()


def exit_status(results: Iterable[DraftResult | IndexEntry], fail_on: FailOn) -> int:
    """0 clean, 1 findings (per --fail-on), 2 when any draft could not be checked."""
    results = list(results)
    if any(r.error for r in results):
        return 2
    if fail_on is FailOn.NEVER:
        return 0
    kinds = ("conflicting",) if fail_on is FailOn.CONFLICTING else ("conflicting", "unverified")
    return 1 if any(r.summary[k] for r in results for k in kinds) else 0


# -- writing --------------------------------------------------------------------------------------------

def report_filename(name: str, fmt: str) -> str:
    """The report's path under the output folder: the draft's relative path plus the format's suffix."""
    return f"{name}.{fmt}"


CSV_COLUMNS = ("file", "start", "end", "text", "verdict", "disputed", "entity", "attribute", "claimed", "unit",
               "reference", "reference_unit", "source_url", "as_of", "facts_valid_on", "explanation")
COMBINED_CSV = "claims.csv"      # every draft's claims in one sheet, beside the per-draft files


def csv_rows(result: DraftResult) -> list[list[str]]:
    """One row per claim, in CSV_COLUMNS order."""
    from .report import verdict_dict

    rows = []
    if result.report is None:
        return rows
    for v in result.report.verdicts:
        d = verdict_dict(v)
        ref = d["reference"] or {}
        rows.append([result.name, d["start"], d["end"], d["text"], d["verdict"], "yes" if d["disputed"] else "",
                     d["entity"] or "", d["attribute"] or "",
                     json.dumps(d["value"]) if isinstance(d["value"], list) else d["value"],
                     d["unit"] or "", ref.get("value", ""), ref.get("unit") or "", ref.get("source_url", ""),
                     ref.get("as_of") or "", result.report.as_of, d["explanation"]])
    return rows


def _csv_text(rows: list[list], header: bool = True) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(CSV_COLUMNS)
    for row in rows:
        w.writerow([spreadsheet_safe(c) for c in row])
    return buf.getvalue()


def write_report(result: DraftResult, out_dir: Path, fmt: str, meta, claimreview: bool = False) -> str | None:
    """Write one draft's report (atomically); returns its path relative to `out_dir`, or None for errors."""
    from .html_report import render_html
    from .report import report_dict

    if result.report is None:
        return None
    rel = report_filename(result.name, fmt)
    target = out_dir / rel
    if fmt == "html":
        text = render_html(result.report, meta, claimreview=claimreview)
    elif fmt == "json":
        text = json.dumps(report_dict(result.report), ensure_ascii=False, indent=1)
    elif fmt == "csv":
        text = _csv_text(csv_rows(result))
    else:
        raise InputError(f"unknown report format {fmt!r}; use html, json or csv", code="FD112")
    write_text_atomic(target, text)
    return rel


def worst_first(entries: Iterable[IndexEntry]) -> list[IndexEntry]:
    """Drafts that could not be checked, then most conflicting, then most unverified, then by name."""
    return sorted(entries, key=lambda e: (e.error is None, -e.summary["conflicting"], -e.summary["unverified"],
                                          e.name))


def write_index(entries: list[IndexEntry], out_dir: Path, meta) -> Path:
    """index.html: every draft with its counts, worst first, linked to its report."""
    from .html_report import render_index

    path = out_dir / "index.html"
    write_text_atomic(path, render_index(worst_first(entries), meta))
    return path


def run_batch(checker: Checker, inputs: Iterable[str | Path], out_dir: Path, fmt: str, meta,
              claimreview: bool = False, progress: Callable[[Progress], None] | None = None,
              cancelled: Callable[[], bool] | None = None,
              on_entry: Callable[[IndexEntry, Path], None] | None = None) -> list[IndexEntry]:
    """Check every draft under `inputs`, write a report each plus index.html into `out_dir`; the index entries.

    Reports are written as each batch finishes (atomically: a re-run never leaves half a file); the
    index is written last, also when the run is cancelled, and lists what was done.
    """
    out_dir = Path(out_dir)
    drafts, missing = find_drafts(inputs, skip=out_dir)
    entries = [IndexEntry(m.name, m.summary, m.error, None) for m in missing]
    combined = _CombinedCsv(out_dir / COMBINED_CSV) if fmt == "csv" else None
    try:
        for result in check_drafts(checker, drafts, progress, cancelled):
            if combined is not None:
                combined.add(result)
            link = write_report(result, out_dir, fmt, meta, claimreview) if result.report else None
            warnings = tuple(result.report.warnings) if result.report else ()
            entry = IndexEntry(result.name, result.summary, result.error, link, warnings)
            entries.append(entry)
            if on_entry:
                on_entry(entry, result.path)
    finally:
        # also on Ctrl-C: the index lists what was done, never what an earlier run did
        if combined is not None:
            combined.close()
        write_index(entries, out_dir, meta)
    return entries


class _CombinedCsv:
    """claims.csv for a whole batch, streamed (memory stays flat) and moved into place when the run ends."""

    def __init__(self, path: Path):
        self.file = AtomicFile(path)
        self.file.write(_csv_text([]))

    def add(self, result: DraftResult) -> None:
        self.file.write(_csv_text(csv_rows(result), header=False))

    def close(self) -> None:
        self.file.commit()
