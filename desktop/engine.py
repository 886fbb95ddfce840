"""Jobs the worker runs for the window: load the engine, check a text, read a draft, export a report.

Each runs on the worker thread; the engine (spaCy pipeline plus the SQLite connection that thread
opened) is kept in the worker's state between jobs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factdesk.errors import DatabaseError

from .worker import JobContext


@dataclass(frozen=True)
class EngineInfo:
    """What the status bar shows about the loaded engine."""

    database: str
    facts: int
    entities: int
    model: str
    reduced_accuracy: bool
    notice: str


@dataclass(frozen=True)
class CheckResult:
    """A report plus the editor revision and database it belongs to (older revisions are dropped)."""

    revision: int
    text: str
    report: object    # factdesk.check.Report
    database: str
    facts: int | None = None    # the new number of facts when the database changed since the last check


def load_engine(db_path: Path):
    """A job that opens `db_path` in the worker thread and builds a Checker for it."""
    def job(ctx: JobContext) -> EngineInfo:
        from factdesk.check import Checker
        from factdesk.store import ReferenceStore

        if not Path(db_path).exists():
            raise DatabaseError(f"no database at {db_path}; choose one with File > Open Database…", code="FD201")
        store = ReferenceStore.open(db_path)
        try:
            ctx.check_cancelled()
            checker = Checker(store)
        except BaseException:
            store.close()
            raise
        old = ctx.state.pop("checker", None)
        if old is not None:
            old.store.close()
        ctx.state["checker"] = checker
        stats = store.stats()
        info = checker.pipeline
        return EngineInfo(str(db_path), stats.facts, stats.entities, info.model, info.reduced_accuracy,
                          info.notice if info.reduced_accuracy else "")
    return job


def check_text(text: str, source: str, revision: int, as_of: str | None = None, published: str | None = None,
               strictness: str = "balanced"):
    """A job that checks one text with the loaded engine, on the facts valid `as_of` (else the dateline's
    or today's), with the thresholds `strictness` names; changes others made to the database since the last
    check are picked up first."""
    def job(ctx: JobContext) -> CheckResult:
        checker = ctx.state.get("checker")
        if checker is None:
            raise DatabaseError("no reference database is open; choose one with File > Open Database…",
                                code="FD202")
        from factdesk.check import CheckInterrupted

        from .worker import Cancelled

        from factdesk.weights import Strictness

        checker.strictness = Strictness(strictness)
        changed = checker.refresh()
        try:
            report = checker.check_text(text, source=source, should_stop=ctx.cancelled, as_of=as_of,
                                        published=published)
        except CheckInterrupted:
            raise Cancelled() from None
        facts = checker.store.stats().facts if changed else None
        return CheckResult(revision, text, report, str(checker.store.path), facts)
    return job


def fetch_article(url: str):
    """A job that fetches a web article (httpx, with limits) and returns it as a Document; Stop ends it
    between pieces of the page."""
    def job(ctx: JobContext):
        from factdesk.web import FetchStopped, read_article

        from .worker import Cancelled

        try:
            return read_article(url, should_stop=ctx.cancelled)
        except FetchStopped:
            raise Cancelled() from None
    return job


def export_html(report, path: str):
    """A job that writes the annotated HTML report for `report` atomically to `path`."""
    def job(ctx: JobContext) -> str:
        from factdesk.atomic import write_text_atomic
        from factdesk.html_report import ReportMeta, render_html

        checker = ctx.state["checker"]
        meta = ReportMeta.now(report.model, checker.store.path or "(in memory)", checker.store.fingerprint())
        write_text_atomic(Path(path), render_html(report, meta))
        return path
    return job
