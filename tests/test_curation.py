"""Curating the reference database: import previews, edits, history and undo, search, migrations
(facts written for these tests)."""
import json
import sqlite3

import pytest

from factdesk.errors import DatabaseError, ImportFormatError
from factdesk.imports import parse_text
from factdesk.store import ReferenceStore, fts_query

BASE = """entity,attribute,value,unit,as_of,source_url,note,valid_from,valid_to
Tarn 4,battery capacity,5000,mAh,2025-01-10,https://example.org/tarn-spec,,,
Tarn 4,weight,188,g,2025-01-10,https://example.org/tarn-spec,,,
Tarn 4,US launch price (256GB),899,USD,2025-01-10,https://example.org/tarn-spec,,,
Brisa Pad,display size (diagonal),11,in,2025-02-02,https://example.org/brisa,tablet,,
"""


@pytest.fixture()
def store(tmp_path):
    s = ReferenceStore.open(tmp_path / "c.db", create=True)
    s.import_text(BASE, name="base.csv")
    s.add_alias("Tarn 4", "Tarn Four")
    return s


def test_preview_sorts_rows_into_new_updated_unchanged_and_invalid_and_writes_nothing(store):
    before = store.fingerprint()
    incoming = """entity,attribute,value,unit,as_of,source_url,note,valid_from,valid_to
Tarn 4,battery capacity,5000,mAh,2025-01-10,https://example.org/tarn-spec,,,
Tarn 4,weight,187,g,2025-03-01,https://example.org/tarn-spec,corrected by the maker,,
Tarn 4,thickness,7.9,mm,2025-01-10,https://example.org/tarn-spec,,,
Tarn 4,height,about 150,mm,2025-01-10,https://example.org/tarn-spec,,,
Brisa Pad,release date,2025-02-30,date,2025-02-02,https://example.org/brisa,,,
Brisa Pad,display size (diagonal),11,in,2025-02-02,javascript:alert(1),,,
"""
    plan = store.plan_import(parse_text(incoming, "fix.csv"))
    assert [(r.line, r.status) for r in plan.rows] == [(2, "unchanged"), (3, "updated"), (4, "new"),
                                                       (5, "invalid"), (6, "invalid"), (7, "invalid")]
    updated = plan.rows[1]
    assert updated.reason == "value: 188 → 187; as_of: 2025-01-10 → 2025-03-01; note: ∅ → corrected by the maker"
    assert "is not a number" in plan.rows[3].reason and "is not a date" in plan.rows[4].reason
    assert "is not an http(s) URL" in plan.rows[5].reason
    assert plan.summary() == "1 new, 1 updated, 1 unchanged, 3 invalid facts"
    assert store.fingerprint() == before                       # a preview writes nothing
    with pytest.raises(ImportFormatError) as err:
        store.apply_import(plan)
    assert err.value.code == "FD305" and store.fingerprint() == before


def test_a_corrected_value_updates_the_fact_and_history_keeps_the_old_one(store):
    fixed = BASE.replace("Tarn 4,weight,188,g", "Tarn 4,weight,187,g")
    result = store.import_text(fixed, name="fixed.csv")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 3)
    weights = [f for f in store.facts_for("Tarn 4") if f.attribute == "weight"]
    assert [f.value for f in weights] == ["187"]             # corrected, not a second, disagreeing fact
    change = store.changes(1)[0]
    assert change.action == "update" and change.old == {"value": "188"} and change.new == {"value": "187"}
    assert change.describe() == "changed Tarn 4 weight: value 188 → 187"


def test_a_file_that_gives_one_fact_two_values_is_refused(store):
    twice = BASE + "Tarn 4,weight,190,g,2025-01-10,https://example.org/tarn-spec,,,\n"
    with pytest.raises(ImportFormatError) as err:
        store.import_text(twice, name="twice.csv")
    assert "line 6: the same fact as line 3 with a different value" in str(err.value)
    assert "\n" not in str(err.value)


def test_the_database_changing_after_a_preview_refuses_the_import(store, tmp_path):
    plan = store.plan_import(parse_text(BASE.replace(",188,", ",187,"), "fix.csv"))
    other = ReferenceStore.open(tmp_path / "c.db")          # a colleague edits the same fact meanwhile
    weight = next(f for f in other.facts_for("Tarn 4") if f.attribute == "weight")
    other.update_fact(weight.id, {"value": "187"})
    other.close()
    with pytest.raises(DatabaseError) as err:
        store.apply_import(plan)
    assert err.value.code == "FD210" and "preview it again" in str(err.value)


def test_a_json_feed_imports_like_the_csv(store, tmp_path):
    feed = json.dumps({"facts": [
        {"entity": "Tarn 4", "attribute": "thickness", "value": 7.9, "unit": "mm", "as_of": "2025-01-10",
         "source_url": "https://example.org/tarn-spec"},
        {"entity": "Tarn 4", "attribute": "weight", "value": 188, "unit": "g", "as_of": "2025-01-10",
         "source_url": "https://example.org/tarn-spec"},
    ]})
    result = store.import_text(feed, name="feed.json")
    assert (result.added, result.unchanged) == (1, 1)
    assert {f.attribute: f.value for f in store.facts_for("Tarn 4")}["thickness"] == "7.9"
    with pytest.raises(ImportFormatError) as err:
        store.import_text(json.dumps([{"entity": "X", "attribute": "y", "value": True, "colour": "red"}]), name="f")
    assert "unknown field(s) colour" in str(err.value)


def test_facts_typed_in_are_validated_and_unique(store):
    good = {"entity": "Brisa Pad", "attribute": "weight", "value": "480", "unit": "g", "as_of": "2025-02-02",
            "source_url": "https://example.org/brisa"}
    for bad, needle in (({"value": "heavy"}, "is not a number"), ({"source_url": ""}, "source_url is empty"),
                        ({"source_url": "ftp://example.org/x"}, "is not an http(s) URL"),
                        ({"as_of": "2025-13-01"}, "is not a date"), ({"attribute": " "}, "attribute is empty")):
        with pytest.raises(ImportFormatError) as err:
            store.add_fact({**good, **bad})
        assert err.value.code == "FD310" and needle in str(err.value)
    fact = store.add_fact(good)
    assert fact.value == "480" and store.search_facts("brisa weight")[0].id == fact.id
    with pytest.raises(ImportFormatError) as err:
        store.add_fact({**good, "value": "470"})
    assert err.value.code == "FD311" and f"#{fact.id}" in str(err.value)


def test_edits_are_recorded_and_can_be_undone_in_order(store):
    fact = next(f for f in store.facts_for("Tarn 4") if f.attribute == "battery capacity")
    store.update_fact(fact.id, {"value": "5100", "note": "spec sheet v2"})
    first = store.changes(1)[0]
    assert first.old == {"value": "5000", "note": ""} and first.new == {"value": "5100", "note": "spec sheet v2"}
    store.update_fact(fact.id, {"value": "5200"})
    with pytest.raises(DatabaseError) as err:
        store.undo(first.id)                      # a later edit stands in the way
    assert err.value.code == "FD212"
    store.undo(store.changes(1)[0].id)
    store.undo(first.id)
    assert store.fact(fact.id).value == "5000" and store.fact(fact.id).note == ""
    with pytest.raises(ImportFormatError):
        store.update_fact(fact.id, {"valid_from": "2025-05-01", "valid_to": "2025-04-01"})
    assert store.fact(fact.id).valid_from == ""


def test_a_deleted_fact_comes_back_from_the_history(store):
    fact = next(f for f in store.facts_for("Tarn 4") if f.attribute == "US launch price (256GB)")
    change = store.delete_fact(fact.id)
    assert store.fact(fact.id) is None and change.describe() == "deleted Tarn 4 US launch price (256GB) (899 USD)"
    assert store.search_facts("launch price") == []
    restored = store.undo(change.id)
    assert restored.action == "restore" and store.fact(fact.id) == fact      # same id, same values
    assert store.search_facts("launch price")[0].id == fact.id
    with pytest.raises(DatabaseError):
        store.undo(change.id)                                                # it is on file again
    assert [c.action for c in store.changes(2)] == ["restore", "delete"]
    assert all(c.who and c.at.startswith("20") for c in store.changes())


def test_aliases_are_checked_recorded_and_undone(store):
    with pytest.raises(ImportFormatError) as err:
        store.add_alias("Brisa Pad", "Tarn Four")
    assert "already names Tarn 4" in str(err.value)
    assert store.search_facts("four battery")[0].attribute == "battery capacity"   # aliases are searched
    change = store.delete_alias("Tarn Four")
    assert ("Tarn 4", "Tarn Four") not in store.aliases() and store.search_facts("four battery") == []
    store.undo(change.id)
    assert ("Tarn 4", "Tarn Four") in store.aliases()


@pytest.mark.parametrize("query", ['"', 'battery"capacity', "AND", "NEAR(tarn", "tarn*", "-tarn", "^", "a:b",
                                   "weight OR price", "(", "'); drop table facts; --"])
def test_search_text_is_never_read_as_search_syntax(store, query):
    store.search_facts(query)                  # never an FTS syntax error
    assert store.db["facts"].count == 4


def test_search_finds_words_prefixes_notes_and_filters_by_entity(store):
    assert {f.attribute for f in store.search_facts("tarn")} == {"battery capacity", "weight",
                                                                 "US launch price (256GB)"}
    assert [f.attribute for f in store.search_facts("batt")] == ["battery capacity"]       # as you type
    assert [f.entity for f in store.search_facts("tablet")] == ["Brisa Pad"]                # notes
    assert store.search_facts("weight", entity="Brisa Pad") == []
    assert len(store.search_facts("", entity="Tarn 4")) == 3
    assert fts_query('battery "cap" and life') == '"battery" "cap" "life"*'     # little words left out
    assert fts_query("and") == '"and"*' and fts_query("1,047,576") == '"1047576"*'
    store.add_fact({"entity": "Tarn 4", "attribute": "SWE-bench Verified score", "value": "51.2", "unit": "percent",
                    "as_of": "2025-01-10", "source_url": "https://example.org/tarn-ai"})
    assert [f.value for f in store.search_facts("swebench")] == ["51.2"]               # joined as people type it
    assert [f.attribute for f in store.search_facts("5,000")] == ["battery capacity"]
    assert store.search_facts("tarn-spec") == []                                       # sources are not searched


def test_a_database_from_the_previous_version_is_migrated_after_a_backup(tmp_path):
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from factdesk.store import m001_initial, m002_validity_and_history

    old = tmp_path / "v2.db"
    v2 = Migrations("factdesk")
    v2()(m001_initial)
    v2()(m002_validity_and_history)
    db = Database(old)
    v2.apply(db)
    db["entities"].insert({"id": 1, "name": "Tarn 4"})
    for i, value in ((1, "188"), (2, "190")):   # the old identity let one fact hold two values
        db["facts"].insert({"id": i, "fact_key": f"old{i}", "entity_id": 1, "attribute": "weight", "value": value,
                            "unit": "g", "as_of": "2025-01-10", "source_url": "https://example.org/t", "note": ""})
    db.close()
    store = ReferenceStore.open(old)
    assert len(list(tmp_path.glob("v2.db.bak-*"))) == 1
    assert sorted(f.value for f in store.facts_for("Tarn 4")) == ["188", "190"]     # nothing lost
    assert len(store.search_facts("tarn weight")) == 2
    store.close()


def test_a_newer_or_damaged_database_is_refused_and_left_untouched(tmp_path):
    newer = tmp_path / "newer.db"
    ReferenceStore.open(newer, create=True).close()
    conn = sqlite3.connect(newer)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) "
                 "values ('factdesk', 'm099_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = newer.read_bytes()
    with pytest.raises(DatabaseError) as err:
        ReferenceStore.open(newer)
    assert err.value.code == "FD205" and newer.read_bytes() == before
    assert not list(tmp_path.glob("newer.db.bak-*"))
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(before[:4096] + b"\x00garbage" * 512)
    snapshot = damaged.read_bytes()
    with pytest.raises(DatabaseError) as err:
        ReferenceStore.open(damaged)
    assert err.value.code == "FD204" and damaged.read_bytes() == snapshot


def test_names_keep_their_stored_spelling(store):
    result = store.import_text("entity,attribute,value,unit,as_of,source_url,note\n"
                               "tarn 4,Battery Capacity,5100,mAh,2025-01-10,https://example.org/tarn-spec,\n"
                               "TARN 4,depth,8.1,mm,2025-01-10,https://example.org/tarn-spec,\n", name="case.csv")
    assert (result.updated, result.added) == (1, 1)
    assert "tarn 4" not in store.entities() and "TARN 4" not in store.entities()
    assert {f.attribute: f.value for f in store.facts_for("Tarn 4")}["battery capacity"] == "5100"
    store.undo(store.changes(2)[1].id)                                       # the update, undone
    assert {f.attribute: f.value for f in store.facts_for("Tarn 4")}["battery capacity"] == "5000"


def test_several_files_import_as_one_and_preview_in_sequence(store):
    first = "entity,attribute,value,unit,as_of,source_url,note\nTarn 4,depth,8.1,mm,2025-01-10,https://example.org/t,\n"
    second = first.replace("8.1", "8.0")
    bad = first.replace("8.1", "thin")
    plans = store.preview_many([("a.csv", first), ("b.csv", second)])
    assert [p.summary() for p in plans] == ["1 new, 0 updated, 0 unchanged, 0 invalid facts",
                                            "0 new, 1 updated, 0 unchanged, 0 invalid facts"]   # b sees a
    before = store.fingerprint()
    with pytest.raises(ImportFormatError):
        store.import_many([("a.csv", first), ("bad.csv", bad)])
    assert store.fingerprint() == before                                   # a.csv was not kept either
    done = store.import_many([("a.csv", first), ("b.csv", second)])
    assert [(r.added, r.updated) for _, r in done] == [(1, 0), (0, 1)]


def test_numbers_that_are_the_same_value_change_nothing(store):
    feed = json.dumps([{"entity": "Tarn 4", "attribute": "weight", "value": 188.0, "unit": "g",
                        "as_of": "2025-01-10", "source_url": "https://example.org/tarn-spec"},
                       {"entity": "Brisa Pad", "attribute": "display size (diagonal)", "value": "11.0", "unit": "in",
                        "as_of": "2025-02-02", "source_url": "https://example.org/brisa", "note": "tablet"}])
    result = store.import_text(feed, name="feed.json")
    assert (result.updated, result.unchanged) == (0, 2)
    tiny = store.plan_import(parse_text(json.dumps([{"entity": "X", "attribute": "leakage", "value": 1e-7, "unit": "A",
                                                     "source_url": "https://example.org/x"}]), "f.json"))
    assert tiny.rows[0].status == "new" and tiny.rows[0].record["value"] == "0.0000001"


def test_line_numbers_count_file_lines_and_columns_may_come_in_any_order(store):
    text = ("\nsource_url,entity,attribute,value,unit,as_of,note\n"
            "https://example.org/t,Tarn 4,depth,8.1,mm,2025-01-10,\"measured\nwith calipers\"\n"
            "https://example.org/t,Tarn 4,height,tall,mm,2025-01-10,\n")
    plan = store.plan_import(parse_text(text, "odd.csv"))
    assert [(r.line, r.status) for r in plan.rows] == [(3, "new"), (5, "invalid")]


def test_undo_bookkeeping(store):
    fact = next(f for f in store.facts_for("Tarn 4") if f.attribute == "weight")
    change = store.delete_fact(fact.id)
    undo = store.undo(change.id)
    assert undo.undoes == change.id and undo.describe() == f"restored Tarn 4 weight (188 g) (undoing #{change.id})"
    with pytest.raises(DatabaseError) as err:
        store.undo(change.id)
    assert f"was undone already (by change #{undo.id})" in str(err.value)
    store.undo(undo.id)                                   # a restore can be undone: the fact goes again
    assert store.fact(fact.id) is None
    with pytest.raises(DatabaseError) as err:
        store.undo(99_999)
    assert "there is no change #99999" in str(err.value)
    gone = store.delete_alias("Tarn Four")
    back = store.undo(gone.id)
    with pytest.raises(DatabaseError):
        store.undo(gone.id)                               # not "success" a second time
    assert back.action == "alias add" and ("Tarn 4", "Tarn Four") in store.aliases()


def test_aliases_must_name_an_entity_on_file(store):
    with pytest.raises(ImportFormatError) as err:
        store.add_alias("Tarn 5", "T5")
    assert "no entity named 'Tarn 5'" in str(err.value) and "Tarn 5" not in store.entities()
    with pytest.raises(ImportFormatError) as err:
        store.add_alias("tarn 4", "Tarn 4")
    assert "already the name of Tarn 4" in str(err.value)
