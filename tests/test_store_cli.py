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
    rows = len((sample_csvs / "facts.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert rows > 20
    assert first.added == rows and second.added == 0 and second.unchanged == rows
    assert store.stats().facts == rows


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
    with pytest.raises(ImportFormatError, match="header must name the columns"):
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


def test_shipped_database_matches_its_sources(tmp_path):
    from factdesk.shipped import shipped_sources

    rebuilt = build_database(shipped_sources(), tmp_path / "rebuilt.db")
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


PRICE_HISTORY = """entity,attribute,value,unit,as_of,source_url,note,valid_from,valid_to
Nimbus 3,input price per 1M tokens,3.00,USD,2025-03-04,https://example.org/pricing,launch price,,2025-06-01
Nimbus 3,input price per 1M tokens,2.00,USD,2025-06-01,https://example.org/pricing,after the cut,2025-06-01,
Nimbus 3,Arcbench Pro score,71.4,percent,2025-03-04,https://example.org/nimbus-3,,,
"""


@pytest.fixture()
def history_db(tmp_path):
    from factdesk.store import ReferenceStore

    (tmp_path / "f.csv").write_text(PRICE_HISTORY, encoding="utf-8")
    store = ReferenceStore.open(tmp_path / "h.db", create=True)
    store.import_csv(tmp_path / "f.csv")
    return store


def test_facts_that_change_over_time_are_judged_at_the_article_date(history_db):
    from factdesk.check import Checker

    text = "Nimbus 3 costs $3 per million input tokens and scored 71.4 percent on Arcbench Pro."
    spring = Checker(history_db, as_of="2025-04-01").check_text(text)
    kinds = {v.claim.text: v.kind.value for v in spring.verdicts}
    assert kinds == {"$3 per million input tokens": "verified", "71.4 percent": "verified"}   # undated applies
    summer = Checker(history_db, as_of="2025-07-01").check_text(text)
    price = next(v for v in summer.verdicts if v.claim.text.startswith("$3"))
    assert price.kind.value == "conflicting"
    assert "matches the input price per 1M tokens until 2025-06-01 ($3.00)" in price.explanation
    assert "the value on 2025-07-01 is $2.00" in price.explanation


def test_validity_columns_round_trip_and_are_validated(history_db, tmp_path):
    exported = history_db.export_csv()
    assert exported.splitlines()[0].endswith(",valid_from,valid_to")
    assert ",launch price,,2025-06-01" in exported
    again = history_db.import_text(exported)
    assert again.added == 0 and again.unchanged == 3
    from factdesk.errors import ImportFormatError
    bad = PRICE_HISTORY.replace(",after the cut,2025-06-01,", ",after the cut,June 2025,")
    with pytest.raises(ImportFormatError) as err:
        history_db.import_text(bad)
    assert "valid_from 'June 2025' is not a date" in str(err.value)


def test_an_older_database_is_migrated_after_a_backup(tmp_path):
    from factdesk.store import ReferenceStore

    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from factdesk.store import m001_initial

    old = tmp_path / "old.db"
    first = Migrations("factdesk")     # exactly what factdesk 0.1 applied
    first()(m001_initial)
    db = Database(old)
    first.apply(db)
    db["entities"].insert({"id": 1, "name": "Nimbus 3"})
    db["facts"].insert({"id": 1, "fact_key": "k", "entity_id": 1, "attribute": "context window", "value": "262144",
                        "unit": "tokens", "as_of": "2025-03-04", "source_url": "https://example.org/nimbus-3",
                        "note": ""})
    db.close()
    store = ReferenceStore.open(old)
    backups = list(tmp_path.glob("old.db.bak-*"))
    assert len(backups) == 1
    backup = Database(backups[0])
    assert "valid_from" not in backup["facts"].columns_dict and backup["facts"].count == 1   # as it was
    fact = store.facts_for("Nimbus 3")[0]
    assert fact.value == "262144" and fact.valid_from == "" and fact.valid_on("2030-01-01")


def test_every_imported_change_is_recorded(history_db):
    rows = history_db.history()
    assert [r["action"] for r in rows] == ["add"] * 3
    assert rows[-1]["entity"] == "Nimbus 3" and rows[-1]["who"] and rows[-1]["at"].startswith("20")
    changed = PRICE_HISTORY.replace("launch price", "launch price (press release)")
    assert history_db.import_text(changed).updated == 1
    latest = history_db.history(1)[0]
    assert latest["action"] == "update" and json.loads(latest["old"]) == {"note": "launch price"}
    assert json.loads(latest["new"]) == {"note": "launch price (press release)"}


def test_concurrent_writers_and_readers_lose_nothing_and_see_no_half_import(tmp_path):
    import threading

    from factdesk.store import ReferenceStore

    path = tmp_path / "shared.db"
    ReferenceStore.open(path, create=True).close()
    batches, per_batch = 6, 40

    def csv_for(b):
        lines = ["entity,attribute,value,unit,as_of,source_url,note"]
        lines += [f"Board {b},spec {i},{i},GB,2025-01-01,https://example.org/{b},writer {b}" for i in range(per_batch)]
        return "\n".join(lines) + "\n"

    errors, seen = [], []
    done = threading.Event()

    def writer(b):
        try:
            store = ReferenceStore.open(path)      # one connection per thread, as the app does
            store.import_text(csv_for(b), name=f"batch {b}")
            store.close()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    def editor(n):
        # the desktop's reference browser: single facts typed in, edited and deleted, one transaction each
        try:
            store = ReferenceStore.open(path)
            for i in range(per_batch):
                f = store.add_fact({"entity": f"Desk {n}", "attribute": f"spec {i}", "value": "1", "unit": "GB",
                                    "as_of": "2025-01-01", "source_url": f"https://example.org/desk/{n}"})
                store.update_fact(f.id, {"value": "2", "note": "edited"})
                if i % 2:
                    store.delete_fact(f.id)
            store.close()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    def reader():
        store = ReferenceStore.open(path)
        while not done.is_set():
            rows = store.db.execute("select note, count(*) from facts where note like 'writer %' "
                                    "group by note").fetchall()
            seen.extend(count for _, count in rows)
        store.close()

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(b,)) for b in range(batches)]
    writers += [threading.Thread(target=editor, args=(n,)) for n in range(2)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    for t in readers:
        t.join()
    assert not errors
    final = ReferenceStore.open(path)
    kept = per_batch // 2
    assert final.stats().facts == batches * per_batch + 2 * kept              # no write lost
    edited = [f for f in final.all_facts() if f.entity.startswith("Desk")]
    assert len(edited) == 2 * kept and all(f.value == "2" and f.note == "edited" for f in edited)
    actions = [c.action for c in final.changes(10_000)]
    assert actions.count("add") == batches * per_batch + 2 * per_batch and actions.count("delete") == 2 * kept
    # every import was seen whole or not at all (edited single facts have their own notes)
    assert seen and set(seen) == {per_batch}
