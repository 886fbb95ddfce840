"""The `factdesk` command: a thin client of the core. Expected failures print one line and exit 2."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import FactdeskError, ImportFormatError

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DB = REPO_ROOT / "claims.db"
ASSETS = REPO_ROOT / "assets"


def default_db() -> Path:
    """--db, else $FACTDESK_DB, else the claims.db shipped beside the package."""
    env = os.environ.get("FACTDESK_DB")
    return Path(env) if env else SHIPPED_DB


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="factdesk", description="Check the numbers in tech news against sourced facts.")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="judge every numeric claim in one or more articles")
    c.add_argument("files", nargs="+", help="article files (.txt, .md)")
    c.add_argument("--db", type=Path, help="reference database (default: the shipped claims.db)")
    c.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    c.add_argument("--hide-unverified", action="store_true", help="text format: list only verified and conflicting")

    e = sub.add_parser("extract", help="print every numeric mention as JSON (no verdicts)")
    e.add_argument("file", nargs="?", default="-", help="article file, or - for standard input")
    e.add_argument("--format", choices=("json",), default="json", help="output format (json)")
    e.add_argument("--jsonl", action="store_true",
                   help='read lines {"id": ..., "text": ...} on stdin, answer each with one JSON line')

    d = sub.add_parser("db", help="manage the reference database")
    dsub = d.add_subparsers(dest="db_command", required=True)
    di = dsub.add_parser("import", help="import a facts or aliases CSV (atomic, idempotent)")
    di.add_argument("csv", type=Path, nargs="+", help="CSV file(s) in the import format")
    di.add_argument("--db", type=Path, help="database to import into (created if absent)")
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
        return _db(args)
    except FactdeskError as exc:
        print(f"factdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("factdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _check(args) -> int:
    from .check import Checker
    from .report import to_json, to_text
    from .store import ReferenceStore
    from .textio import read_document

    store = ReferenceStore.open(args.db or default_db())
    docs, failed = [], 0
    for f in args.files:
        try:
            docs.append(read_document(f))
        except FactdeskError as exc:
            print(f"factdesk: {exc}", file=sys.stderr)
            failed += 1
    if not docs:
        return 2
    checker = Checker(store)
    reports = list(checker.check_texts([(d.source, d.text, d.warnings) for d in docs]))
    for r in reports:
        for w in r.warnings:
            print(f"factdesk: {w}", file=sys.stderr)
    if args.format == "json":
        print(to_json(reports))
    else:
        print("\n\n".join(to_text(r, show_unverified=not args.hide_unverified) for r in reports))
    return 2 if failed else 0


def _extract(args) -> int:
    from extractors.claims import extract_claims
    from extractors.pipeline import load_pipeline
    from .extract_json import mention_dicts

    nlp, info = load_pipeline()
    if info.reduced_accuracy:
        print(f"factdesk: {info.notice}", file=sys.stderr)
    if args.jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item["text"]
            except (json.JSONDecodeError, KeyError, TypeError):
                print(json.dumps({"error": "[FD109] each line must be a JSON object with a 'text' field"}), flush=True)
                continue
            doc = nlp(text)
            print(json.dumps(mention_dicts(extract_claims(doc)), ensure_ascii=False), flush=True)
        return 0
    from .textio import decode, read_document

    doc_in = decode(sys.stdin.buffer.read(), "<stdin>") if args.file == "-" else read_document(args.file)
    print(json.dumps(mention_dicts(extract_claims(nlp(doc_in.text))), ensure_ascii=False, indent=1))
    return 0


def _db(args) -> int:
    from .store import ReferenceStore, build_database

    if args.db_command == "build":
        files = args.csv or sorted(ASSETS.glob("*facts*.csv")) + sorted(ASSETS.glob("*aliases*.csv"))
        if not files:
            raise ImportFormatError(f"no CSV files under {ASSETS}", code="FD307")
        stats = build_database(files, args.out, replace=args.replace)
        print(f"built {args.out}: {stats.facts} facts, {stats.entities} entities, {stats.aliases} aliases "
              f"(fingerprint {stats.fingerprint})")
        return 0
    path = args.db or default_db()
    if args.db_command == "import":
        store = ReferenceStore.open(path, create=True)
        for csv_path in args.csv:
            res = store.import_csv(csv_path)
            extra = f", {res.updated} updated" if res.updated else ""
            print(f"{csv_path}: {res.added} {res.kind} added, {res.unchanged} already present{extra} ({path})")
        return 0
    store = ReferenceStore.open(path)
    if args.db_command == "export":
        data = store.export_csv("aliases" if args.aliases else "facts")
        if args.output:
            tmp = args.output.with_name(args.output.name + ".tmp")
            tmp.write_text(data, encoding="utf-8")
            tmp.replace(args.output)
        else:
            sys.stdout.write(data)
        return 0
    s = store.stats()
    print(f"{path}\n  entities   {s.entities}\n  aliases    {s.aliases}\n  facts      {s.facts}\n"
          f"  attributes {s.attributes}\n  sources    {s.sources}\n  fingerprint {s.fingerprint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
