"""The `factdesk` command: a thin client of the core. Expected failures print one line and exit 2."""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from .errors import FactdeskError, ImportFormatError, InputError
from .locations import ASSETS, SHIPPED_DB, default_db


# the registries `db import --format` reads (listed here so --help needs no import of them)
_REGISTRIES = ("litellm", "epoch-benchmarks", "epoch-models", "buildcores", "gpu-info", "lineage", "edgar")


class UsageError(InputError):
    """Options that do not go together."""

    code = "FD114"


def _iso_date(text: str) -> str:
    """YYYY-MM-DD, or YYYY-MM / YYYY for the first day of that month or year (as imports accept)."""
    from .check import parse_day

    try:
        return parse_day(text)
    except FactdeskError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


class _Parser(argparse.ArgumentParser):
    """argparse, with its complaints as factdesk's one-line messages."""

    def error(self, message: str):
        self.exit(2, f"factdesk: [FD114] {message}; see '{self.prog} --help'\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="factdesk", description="Check the numbers in tech news against sourced facts.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="judge every numeric claim in drafts (files or folders)",
                       description="Exit status: 0 clean, 1 findings (see --fail-on), 2 usage or input error.")
    c.add_argument("files", nargs="+", metavar="DRAFT_OR_DIR",
                   help="drafts (.txt, .md, .html, .docx) or folders of them (searched recursively)")
    c.add_argument("--db", type=Path, help="reference database (default: the shipped claims.db)")
    c.add_argument("--format", choices=("text", "json", "html", "csv"),
                   help="output format (default: text on the terminal, html with --out)")
    c.add_argument("--out", type=Path, metavar="OUTDIR",
                   help="write one report per draft plus index.html into this folder")
    c.add_argument("--fail-on", choices=("conflicting", "unverified", "never"), default="conflicting",
                   help="which findings make the exit status 1 (default conflicting)")
    c.add_argument("--claimreview", action="store_true", help="html: add a schema.org ClaimReview block per claim")
    c.add_argument("--as-of", metavar="DATE", type=_iso_date,
                   help="judge against the facts valid on this date (YYYY-MM-DD; default today)")
    c.add_argument("--hide-unverified", action="store_true", help="text format: list only verified and conflicting")
    c.add_argument("--max-size", type=float, default=1.0, metavar="MB",
                   help="refuse drafts with more than this many million characters (default 1)")
    c.add_argument("--strictness", choices=("strict", "balanced", "lenient"), default="balanced",
                   help="how much evidence a verdict needs: strict says less and errs less (default balanced)")

    e = sub.add_parser("extract", help="print every numeric mention as JSON (no verdicts)")
    e.add_argument("file", nargs="?", default="-", help="article file, or - for standard input")
    e.add_argument("--format", choices=("json",), default="json", help="output format (json)")
    e.add_argument("--jsonl", action="store_true",
                   help='read lines {"id": ..., "text": ...} on stdin, answer each with one JSON line')

    f = sub.add_parser("fit", help="re-fit the weights that weigh evidence, on labelled corpora",
                       description="Fits the candidate, conflict and check-worthiness models on the corpora (default: "
                                   "the corpus shipped in eval/) and writes the weights file factdesk reads.")
    f.add_argument("corpora", nargs="*", type=Path, metavar="CORPUS",
                   help="corpus roots or set folders in the eval/ layout (default: eval/real eval eval/holdout)")
    f.add_argument("-o", "--output", type=Path, help="where to write the weights (default: the shipped weights file)")

    d = sub.add_parser("db", help="manage the reference database")
    dsub = d.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    di = dsub.add_parser("import", help="import a facts or aliases CSV or JSON feed (atomic, idempotent)")
    di.add_argument("csv", type=Path, nargs="+", help="CSV or JSON file(s) in the import format, or a registry's "
                                                        "file or folder with --format")
    di.add_argument("--db", type=Path, help="database to import into (created if absent)")
    di.add_argument("--dry-run", action="store_true", help="show what would change, row by row; write nothing")
    dp = dsub.add_parser("pull", help="import a facts CSV or JSON feed from a web address (atomic)")
    dp.add_argument("url", help="http(s) address of the CSV or JSON feed, or of a registry's file with --format")
    dp.add_argument("--db", type=Path, help="database to import into (created if absent)")
    dp.add_argument("--dry-run", action="store_true", help="show what would change, row by row; write nothing")
    for sp in (di, dp):
        sp.add_argument("--format", default="facts", metavar="FORMAT",
                        help="'facts' (the import format, default) or a public registry: " + ", ".join(_REGISTRIES))
        sp.add_argument("--as-of", metavar="DATE", type=_iso_date, help="a registry snapshot's date (default today)")
    dh = dsub.add_parser("history", help="list the latest changes to facts and aliases, newest first")
    dh.add_argument("--db", type=Path)
    dh.add_argument("--limit", type=int, default=30, help="how many changes (default 30)")
    du = dsub.add_parser("undo", help="reverse one change from the history (restores a deleted fact)")
    du.add_argument("change", type=int, help="the change number shown by 'factdesk db history'")
    du.add_argument("--db", type=Path)
    de = dsub.add_parser("export", help="print facts (or aliases) as CSV in the import format")
    de.add_argument("--db", type=Path)
    de.add_argument("--aliases", action="store_true", help="export aliases instead of facts")
    de.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    ds = dsub.add_parser("stats", help="count entities, aliases, facts and sources")
    ds.add_argument("--db", type=Path)
    db_ = dsub.add_parser("build", help="rebuild a database from the reviewable CSV files under assets/")
    db_.add_argument("--out", type=Path, default=SHIPPED_DB, help="database to write (default claims.db)")
    db_.add_argument("--replace", action="store_true", help="replace an existing database")
    db_.add_argument("csv", type=Path, nargs="*", help="CSV files (default: assets/*facts*.csv then *aliases*.csv)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "extract":
            return _extract(args)
        if args.command == "fit":
            return _fit(args)
        return _db(args)
    except FactdeskError as exc:
        print(f"factdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("factdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except sqlite3.DatabaseError as exc:
        print(f"factdesk: [FD204] the reference database cannot be read ({exc}); restore it from a backup or "
              f"rebuild it from CSV", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line for the person, the traceback for the log
        log = _log_exception()
        print(f"factdesk: [FD900] unexpected error ({type(exc).__name__}: {exc}); details in {log}", file=sys.stderr)
        return 2


def _quiet_stdout() -> None:
    """After the reader of a pipe went away ("| head"), drop what is left instead of complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _log_exception() -> Path:
    import traceback

    from platformdirs import user_log_dir

    folder = Path(user_log_dir("factdesk", appauthor=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "factdesk.log", "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except OSError:
        pass
    return folder / "factdesk.log"


def _check(args) -> int:
    from .batch import FailOn, exit_status
    from .check import Checker
    from .store import ReferenceStore

    fmt = args.format or ("html" if args.out else "text")
    if args.out is None and fmt in ("html", "csv"):
        raise UsageError(f"--format {fmt} writes files: add --out OUTDIR")
    if args.out is not None and fmt == "text":
        raise UsageError("--out writes html, json or csv reports: pick one with --format")
    if args.claimreview and (args.out is None or fmt != "html"):
        raise UsageError("--claimreview adds ClaimReview blocks to html reports: use it with --out OUTDIR")
    if args.hide_unverified and fmt != "text":
        raise UsageError("--hide-unverified shortens the text listing; json, csv and html keep every claim")
    store = ReferenceStore.open(args.db or default_db())
    if not 0 < args.max_size <= 50:
        raise UsageError("--max-size is in millions of characters, from 0 to 50")
    checker = Checker(store, as_of=args.as_of, strictness=args.strictness, max_chars=int(args.max_size * 1_000_000))
    if args.out is not None:
        return _check_to_folder(args, checker, store, fmt)
    return _check_to_stdout(args, checker, fmt, FailOn(args.fail_on), exit_status)


def _check_to_stdout(args, checker, fmt: str, fail_on, exit_status) -> int:
    from .batch import DraftResult, check_drafts, find_drafts
    from .report import to_json, to_text

    drafts, missing = find_drafts(args.files)
    results: list[DraftResult] = list(missing)
    for m in missing:
        print(f"factdesk: {m.error}", file=sys.stderr)
    big = len(drafts) > 1 or any(p.stat().st_size > 200_000 for p, _ in drafts if isinstance(p, Path) and p.exists())
    with _progress_bar(big) as progress:
        say = progress.console_print if progress else lambda line: print(line, file=sys.stderr)
        for r in check_drafts(checker, drafts, progress):
            results.append(r)
            for line in ([r.error] if r.error else list(r.report.warnings)):
                say(f"factdesk: {line}")
    if not drafts and not missing:
        print("factdesk: [FD113] no drafts (.txt, .md, .html, .docx) found; check the folder", file=sys.stderr)
        return 2
    status = exit_status(results, fail_on)
    reports = [r.report for r in results if r.report is not None]
    try:
        if fmt == "json":
            # one object for one draft; a list for several, with an entry for each draft that failed
            if len(results) == 1 and reports:
                print(to_json(reports))
            else:
                items = [json.loads(to_json([r.report])) if r.report else {"source": str(r.path), "error": r.error}
                         for r in results]
                print(json.dumps(items, ensure_ascii=False, indent=1))
        elif reports:
            print("\n\n".join(to_text(r, show_unverified=not args.hide_unverified) for r in reports))
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()    # "| head" stopped reading: the verdicts still decide the status
    return status


class _Bar:
    """A rich progress bar on the terminal for a batch or a long draft: drafts done, claims, the current one."""

    def __init__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

        self.bar = Bar(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[claims]} claims"), TimeRemainingColumn(),
                       TextColumn("{task.fields[current]}"), transient=True, console=None)
        self.task = self.bar.add_task("check", total=None, claims=0, current="")

    def __call__(self, p) -> None:
        self.bar.update(self.task, total=p.total, completed=p.done + p.within, claims=p.claims,
                        current=p.current[-40:])

    def console_print(self, line: str) -> None:
        self.bar.console.print(line, markup=False, highlight=False)


class _progress_bar:
    """`with _progress_bar(wanted) as progress:` a callback that draws a bar on a terminal, else None."""

    def __init__(self, wanted: bool):
        self.bar = _Bar() if wanted and sys.stderr.isatty() else None

    def __enter__(self):
        if self.bar:
            self.bar.bar.start()
        return self.bar

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.bar.stop()


def _check_to_folder(args, checker, store, fmt: str) -> int:
    from .batch import FailOn, Progress, exit_status, run_batch
    from .html_report import ReportMeta

    meta = ReportMeta.now(checker.pipeline.model, store.path or "(in memory)", store.fingerprint())
    with _progress_bar(True) as progress:
        entries = run_batch(checker, args.files, args.out, fmt, meta, args.claimreview, progress)
    for e in entries:
        if e.error:
            print(f"factdesk: {e.name}: {e.error}", file=sys.stderr)
    total = {k: sum(e.summary[k] for e in entries) for k in ("conflicting", "unverified", "verified")}
    bad = sum(1 for e in entries if e.error)
    print(f"factdesk: checked {len(entries) - bad} of {len(entries)} drafts: {total['conflicting']} conflicting, "
          f"{total['unverified']} unverified, {total['verified']} verified"
          + (f"; {bad} could not be checked" if bad else "") + f"; index at {args.out / 'index.html'}",
          file=sys.stderr)
    if not entries:
        print("factdesk: [FD113] no drafts (.txt, .md, .html, .docx) found; check the folder", file=sys.stderr)
        return 2
    return exit_status(entries, FailOn(args.fail_on))


def _extract(args) -> int:
    from extractors.claims import extract_claims
    from extractors.layout import join_wrapped_lines
    from extractors.pipeline import load_pipeline
    from .extract_json import mention_dicts

    nlp, info = load_pipeline()
    if info.reduced_accuracy:
        print(f"factdesk: {info.notice}", file=sys.stderr)
    if args.jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            item_id = None
            try:
                item = json.loads(line)
                item_id = item.get("id") if isinstance(item, dict) else None
                text = item["text"]
                if not isinstance(text, str):
                    raise TypeError
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                print(json.dumps({"id": item_id, "error": "[FD109] each line must be a JSON object with a 'text' "
                                                          "string"}), flush=True)
                continue
            doc = nlp(join_wrapped_lines(text))
            print(json.dumps(mention_dicts(extract_claims(doc)), ensure_ascii=False), flush=True)
        return 0
    from .textio import decode, read_document

    doc_in = decode(sys.stdin.buffer.read(), "<stdin>") if args.file == "-" else read_document(args.file)
    print(json.dumps(mention_dicts(extract_claims(nlp(join_wrapped_lines(doc_in.text)))), ensure_ascii=False,
                     indent=1))
    return 0


DEFAULT_CORPORA = ("eval/real", "eval", "eval/holdout")


def _fit(args) -> int:
    """`fit`: the weights fitted on the corpora, written where `check` reads them (or to -o)."""
    from . import fitting
    from .corpus import find_sets
    from .locations import REPO_ROOT
    from .weights import WEIGHTS_FILE

    corpora = args.corpora or [REPO_ROOT / c for c in DEFAULT_CORPORA]
    missing = [str(c) for c in corpora if not Path(c).is_dir()]
    if missing:
        raise UsageError(f"no corpus folder at {missing[0]}; pass corpus folders in the eval/ layout")
    sets = find_sets(corpora)
    if not sets:
        raise UsageError("no labelled sets (facts.csv with articles/ and gold/) in the folders given")
    print(f"fitting on {len(sets)} sets ...", file=sys.stderr)
    arts = fitting.collect(sets)
    weights = fitting.fit(arts, fitting.describe(arts))
    out = args.output or WEIGHTS_FILE
    from .atomic import write_text_atomic
    write_text_atomic(out, weights.to_json())
    b = weights.policy("balanced")
    print(f"wrote {out}: {len(arts)} articles; balanced thresholds verify {b.verify}, conflict {b.conflict}, "
          f"plausible {b.plausible}, least {b.least}, override {b.override}, not-a-claim below {b.worthy}")
    return 0


def _db_import(args, path: Path) -> int:
    """`db import FILE...` and `db pull URL`: all files in one transaction (or, with --dry-run, what each
    would do, in order, written nowhere). A database that does not exist yet is created only if the
    import succeeds."""
    from .store import ReferenceStore, read_import_file

    if args.format != "facts":
        from .registries import parse_registry, registry, registry_files

        registry(args.format)                           # an unknown format is refused before any reading
        if args.db_command == "pull":
            from .web import read_feed

            text, where = read_feed(args.url)
            files = [(where, text)]
        else:
            files = [f for p in args.csv for f in registry_files(p, args.format)]
        sources = parse_registry(files, args.format, args.as_of or "", args.url if args.db_command == "pull" else "")
    elif args.db_command == "pull":
        from .web import read_feed

        text, where = read_feed(args.url)
        sources = [(where, text)]
    else:
        sources = [(str(p), read_import_file(p)) for p in args.csv]
    exists = path.exists()
    if args.dry_run:
        store = ReferenceStore.open(path) if exists else ReferenceStore.memory()
        plans = store.preview_many(sources)
        for plan in plans:
            label = "item" if plan.items else "line"
            for r in plan.rows:
                if r.status != "unchanged":
                    what = " ".join(x for x in (r.record.get("entity", ""),
                                                r.record.get("attribute", r.record.get("alias", ""))) if x)
                    print(f"  {label} {r.line:<5} {r.status:<9} {what or '(unreadable row)'}"
                          + (f": {r.reason}" if r.reason else ""))
            print(f"{plan.name}: would import {plan.summary()} (dry run, nothing written)")
        return 2 if any(p.count("invalid") for p in plans) else 0
    if not exists:
        ReferenceStore.memory().import_many(sources)     # refused here, no file or folder is left behind
    store = ReferenceStore.open(path, create=True)
    for plan, res in store.import_many(sources):
        print(f"{plan.name}: {_count(res.added, res.kind[:-1])} added, {res.updated} updated, "
              f"{res.unchanged} unchanged ({path})")
        for warning in res.warnings[:5]:
            print(f"factdesk: {warning}", file=sys.stderr)
        if len(res.warnings) > 5:
            print(f"factdesk: [FD312] {len(res.warnings) - 5} more rows with formula-like cells", file=sys.stderr)
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _db(args) -> int:
    from .store import ReferenceStore, build_database

    if args.db_command == "build":
        from .shipped import shipped_sources

        files = args.csv or shipped_sources()
        if not files:
            raise ImportFormatError(f"no CSV files under {ASSETS}", code="FD307")
        stats = build_database(files, args.out, replace=args.replace)
        print(f"built {args.out}: {stats.facts} facts, {stats.entities} entities, {stats.aliases} aliases "
              f"(fingerprint {stats.fingerprint})")
        return 0
    path = args.db or default_db()
    if args.db_command in ("import", "pull", "undo"):
        if path.resolve() == SHIPPED_DB.resolve() and args.db is None and not getattr(args, "dry_run", False):
            raise UsageError(f"refusing to change the shipped {SHIPPED_DB.name}: pass --db PATH (or set FACTDESK_DB) "
                             f"for your own database, or add rows to assets/ and run 'factdesk db build --replace'")
    if args.db_command in ("import", "pull"):
        return _db_import(args, path)
    store = ReferenceStore.open(path)
    if args.db_command == "history":
        if args.limit < 1:
            raise UsageError("--limit must be 1 or more")
        changes = store.changes(args.limit)
        if not changes:
            print(f"no changes recorded in {path}")
        width = max((len(c.who) for c in changes), default=0)
        for c in changes:
            print(f"#{c.id:<5} {c.at.replace('+00:00', 'Z')}  {c.who:<{width}}  {c.describe()}")
        return 0
    if args.db_command == "undo":
        done = store.undo(args.change)
        print(f"undid change #{args.change}: {done.describe()} (change #{done.id}, {path})")
        return 0
    if args.db_command == "export":
        data = store.export_csv("aliases" if args.aliases else "facts")
        if args.output:
            from .atomic import write_text_atomic

            if args.output.is_dir():
                raise InputError(f"{args.output} is a folder; give a file name for the CSV", code="FD111")
            if not args.output.parent.exists():
                raise InputError(f"no folder {args.output.parent}; create it or choose another", code="FD111")
            write_text_atomic(args.output, data)
        else:
            sys.stdout.write(data)
        return 0
    s = store.stats()
    print(f"{path}\n  entities   {s.entities}\n  aliases    {s.aliases}\n  facts      {s.facts}\n"
          f"  attributes {s.attributes}\n  sources    {s.sources}\n  fingerprint {s.fingerprint}")
    b = store.breakdown()
    print("facts by source")
    for label, n in b.by_origin:
        print(f"  {label:<24} {n:>7}")
    print("facts by beat")
    for label, n in b.by_beat:
        print(f"  {label:<24} {n:>7}")
    shown = "; ".join(" / ".join(g) for g in b.duplicates[:5])
    print(f"likely duplicates left  {len(b.duplicates)} entity names equal after normalisation"
          + (f" (e.g. {shown})" if shown else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
