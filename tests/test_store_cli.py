"""Reference store and command line: atomic, idempotent imports and one-line errors."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.cli import main
from factdesk.errors import DatabaseError, ImportFormatError
from factdesk.store import ReferenceStore, build_database

REPO = Path(__file__).resolve().parent.parent


def test_import_is_idempotent(sample_csvs, tmp_path):
    store = ReferenceStore.open(tmp_path / "a.db", create=True)
    first = store.import_csv(sample_csvs / "facts.csv")
    second = store.import_csv(sample_csvs / "facts.csv")
    assert first.added == 26 and second.added == 0 and second.unchanged == 26
    assert store.stats().facts == 26


def test_bad_row_imports_nothing_and_names_the_line(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("entity,attribute,value,unit,as_of,source_url,note\n"
                   "Nimbus 3,context window,262144,tokens,2025-03-04,https://example.org/a,\n"
                   "Nimbus 3,release date,soon,date,2025-03-04,https://example.org/a,\n"
                   "Nimbus 3,output price,12,USD,2025-03-04,ftp://example.org/a,\n", encoding="utf-8")
    store = ReferenceStore.open(tmp_path / "b.db", create=True)
    with pytest.raises(ImportFormatError) as exc:
        store.import_csv(csv)
    msg = str(exc.value)
    assert "line 3" in msg and "line 4" in msg and "\n" not in msg and msg.startswith("[FD305]")
    assert store.stats().facts == 0


def test_wrong_header_is_refused(tmp_path):
    csv = tmp_path / "h.csv"
    csv.write_text("name,value\nx,1\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="header must be"):
        ReferenceStore.open(tmp_path / "c.db", create=True).import_csv(csv)


def test_export_round_trips(sample_db, tmp_path):
    store = ReferenceStore.open(sample_db)
    out = tmp_path / "facts.csv"
    out.write_text(store.export_csv(), encoding="utf-8")
    copy = ReferenceStore.open(tmp_path / "copy.db", create=True)
    copy.import_csv(out)
    copy.import_text(store.export_csv("aliases"))
    assert copy.fingerprint() == store.fingerprint()


def test_missing_and_corrupt_databases_are_refused_untouched(tmp_path):
    with pytest.raises(DatabaseError, match="FD202"):
        ReferenceStore.open(tmp_path / "none.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 10)
    before = junk.read_bytes()
    with pytest.raises(DatabaseError, match="FD203"):
        ReferenceStore.open(junk)
    assert junk.read_bytes() == before


def test_build_never_overwrites_by_accident(sample_csvs, tmp_path):
    out = tmp_path / "built.db"
    build_database([sample_csvs / "facts.csv"], out)
    with pytest.raises(DatabaseError, match="--replace"):
        build_database([sample_csvs / "facts.csv"], out)


def test_shipped_database_matches_its_csv_sources(tmp_path):
    assets = sorted((REPO / "assets").glob("*facts*.csv")) + sorted((REPO / "assets").glob("*aliases*.csv"))
    rebuilt = build_database(assets, tmp_path / "rebuilt.db")
    shipped = ReferenceStore.open(REPO / "claims.db")
    assert shipped.fingerprint() == rebuilt.fingerprint, "claims.db is stale: run 'factdesk db build --replace'"


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "factdesk.cli", *args], capture_output=True, text=True,
                          input=stdin, cwd=REPO, timeout=300)


def test_check_json_contract(sample_db, tmp_path):
    article = tmp_path / "draft.txt"
    article.write_text("Nimbus 3 costs $3 per million input tokens 🚀 and scored 74.1 percent on Arcbench Pro.\r\n",
                       encoding="utf-8")
    r = run_cli("check", str(article), "--db", str(sample_db), "--format", "json")
    assert r.returncode == 1, r.stderr        # a conflicting claim: findings
    data = json.loads(r.stdout)
    text = article.read_text(encoding="utf-8")
    assert set(data) >= {"source", "claims", "summary"}
    for c in data["claims"]:
        assert text[c["start"]:c["end"]] == c["text"]
        assert set(c) >= {"start", "end", "text", "kind", "value", "unit", "entity", "attribute", "verdict",
                          "reference", "explanation"}
    verdicts = {c["text"]: c["verdict"] for c in data["claims"]}
    assert verdicts["74.1 percent"] == "conflicting"
    assert data["summary"]["conflicting"] == 1


@pytest.mark.parametrize("content,code", [(None, "FD101"), (b"", "FD104"), (b"\x00\x01\x02binary", "FD105")])
def test_bad_input_gets_one_line(sample_db, tmp_path, content, code):
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    r = run_cli("check", str(path), "--db", str(sample_db))
    assert r.returncode == 2
    assert code in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_windows_1252_is_read_with_a_warning(sample_db, tmp_path):
    path = tmp_path / "cp.txt"
    path.write_bytes("Nimbus 3 costs \u20ac3 \u2014 or so they say.".encode("cp1252"))
    r = run_cli("check", str(path), "--db", str(sample_db))
    assert r.returncode == 0 and "FD107" in r.stderr


def test_extract_jsonl_answers_each_line_in_order():
    lines = "\n".join(json.dumps({"id": i, "text": t}) for i, t in enumerate(["It costs $5.", "Up 12% in 2024."]))
    r = run_cli("extract", "--jsonl", stdin=lines + "\n")
    out = [json.loads(x) for x in r.stdout.strip().splitlines()]
    assert [[m["text"] for m in o] for o in out] == [["$5"], ["12%", "2024"]]


def test_missing_database_message(tmp_path):
    assert main(["db", "stats", "--db", str(tmp_path / "x.db")]) == 2


def test_core_imports_no_qt():
    code = ("import sys, factdesk.cli, factdesk.check, factdesk.report, extractors.claims; "
            "bad=[m for m in sys.modules if m.startswith(('PySide6','PyQt','shiboken'))]; print(bad); "
            "sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr
