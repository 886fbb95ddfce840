"""The labelled corpus (eval/real) checks out, and its checker finds each kind of mistake in a corpus."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))

import validate  # noqa: E402


def test_the_real_corpus_is_valid_and_large_enough(capsys):
    status = validate.main([str(REPO / "eval" / "real"), "--min-articles", "40", "--min-beats", "3",
                            "--min-numbers", "1200", "--min-perturbed", "10"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.rstrip().endswith("valid")


@pytest.fixture
def beat(tmp_path):
    """A small copy of one beat: two articles and a perturbed copy, with a README that agrees."""
    src = REPO / "eval" / "real" / "company-results"
    dst = tmp_path / "corpus" / "results"
    (dst / "articles").mkdir(parents=True)
    (dst / "gold").mkdir()
    keep = ["cr-fool-amd-q4-2024", "cr-fool-amd-q4-2024-perturbed", "cr-venturebeat-amd-q4-2024"]
    for aid in keep:
        for f in src.glob(f"articles/{aid}.*"):
            shutil.copy(f, dst / "articles" / f.name)
        shutil.copy(src / "gold" / f"{aid}.json", dst / "gold" / f"{aid}.json")
    for name in ("facts.csv", "aliases.csv"):
        shutil.copy(src / name, dst / name)
    s = validate.find_sets([dst])
    (dst / "README.md").write_text(validate.table(s), encoding="utf-8")
    (dst.parent / "README.md").write_text(validate.table(s), encoding="utf-8")
    return dst


def errors(path) -> list[str]:
    return validate.validate([str(path)])[0]


def test_a_consistent_copy_has_no_errors(beat):
    assert errors(beat.parent) == []


def test_a_number_missing_from_the_text_is_an_error(beat):
    gold = json.loads((beat / "gold" / "cr-venturebeat-amd-q4-2024.json").read_text())
    gold[0]["occurrence"] = 99
    (beat / "gold" / "cr-venturebeat-amd-q4-2024.json").write_text(json.dumps(gold))
    assert any("not found in the text" in e for e in errors(beat))


def test_a_reference_value_not_on_file_is_an_error(beat):
    path = beat / "gold" / "cr-venturebeat-amd-q4-2024.json"
    gold = json.loads(path.read_text())
    item = next(g for g in gold if g["expected"] == "verified")
    item["reference_value"] = 123456.0
    path.write_text(json.dumps(gold))
    assert any("is not the value on file" in e for e in errors(beat))


def test_a_change_the_gold_does_not_list_is_an_error(beat):
    path = beat / "articles" / "cr-fool-amd-q4-2024-perturbed.txt"
    text = path.read_text()
    path.write_text(text.replace("fourth quarter", "fourth  quarter", 1))
    assert any("where the gold marks no change" in e for e in errors(beat))


def test_a_fact_without_a_web_source_is_an_error(beat):
    path = beat / "facts.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("https://", "ftp://", 1)
    path.write_text("\n".join(lines) + "\n")
    assert any("is not an http(s) URL" in e for e in errors(beat))


def test_readme_counts_must_agree_with_the_gold(beat):
    readme = beat / "README.md"
    readme.write_text(readme.read_text().replace("| cr-venturebeat-amd-q4-2024 | ", "| cr-venturebeat-amd-q4-2024 | 1", 1))
    assert any("row cr-venturebeat-amd-q4-2024 says" in e for e in errors(beat))


def test_the_command_exits_non_zero_on_an_error(beat):
    (beat / "gold" / "cr-venturebeat-amd-q4-2024.json").write_text("[{\"number_text\": \"zzz\", \"expected\": \"verified\"}]")
    r = subprocess.run([sys.executable, str(REPO / "eval" / "validate.py"), str(beat)], capture_output=True, text=True)
    assert r.returncode == 1 and "ERROR" in r.stdout


def test_dropping_entities_keeps_the_rest_and_a_set_without_aliases(tmp_path):
    """`--drop-entities` leaves a hash-chosen share of a set's entities out of its database; a set whose
    aliases.csv is a header alone still imports."""
    from factdesk.corpus import dropped_entities, find_sets, without_entities
    from factdesk.store import ReferenceStore

    root = tmp_path / "beat"
    (root / "articles").mkdir(parents=True)
    (root / "gold").mkdir()
    names = [f"Tarn {i}" for i in range(1, 9)]
    (root / "facts.csv").write_text("entity,attribute,value,unit,as_of,source_url,note\n" + "".join(
        f"{n},context window,{128000 + i},tokens,2026-01-05,https://example.org/tarn-{i},\n"
        for i, n in enumerate(names)), encoding="utf-8")
    (root / "aliases.csv").write_text("entity,alias\n", encoding="utf-8")
    (root / "articles" / "a.txt").write_text("Tarn 1 reads 128,000 tokens.\n", encoding="utf-8")
    (root / "gold" / "a.json").write_text(json.dumps([{"number_text": "128,000", "occurrence": 1,
                                                        "expected": "verified", "entity": "Tarn 1"}]))
    (s,) = find_sets([root])
    gone = dropped_entities(names, 0.5)
    assert 0 < len(gone) < len(names)
    store = ReferenceStore.memory()
    store.import_many(without_entities(s, 0.5))
    kept = {n for n in names if store.facts_for(n)}
    assert kept == set(names) - gone
