"""Batch checking a folder of drafts from the command line (drafts written for these tests)."""
import csv
import io
import json
import re
import subprocess
import sys

import docx
import pytest

from factdesk import atomic
from factdesk.batch import FailOn, check_drafts, exit_status, find_drafts, worst_first
from factdesk.errors import InputError

REPO = __import__("pathlib").Path(__file__).resolve().parent.parent

CLEAN = "Nimbus 3 scored 71.4 percent on Arcbench Pro and costs $3 per million input tokens.\n"
WRONG = "Nimbus 3 costs $5 per million input tokens, its maker says.\n"
UNKNOWN = "Zephyr 7 has 12 experts and costs $9 per month.\n"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "factdesk.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=300)


@pytest.fixture()
def drafts(tmp_path):
    root = tmp_path / "drafts"
    (root / "desk" / "late").mkdir(parents=True)
    (root / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (root / "desk" / "wrong.md").write_text("# Pricing\n\n" + WRONG, encoding="utf-8")
    (root / "desk" / "photo.txt").write_bytes(bytes(range(256)) * 20)          # a bad draft in the middle
    (root / "desk" / "late" / "unknown.html").write_text(f"<html><body><p>{UNKNOWN}</p></body></html>",
                                                         encoding="utf-8")
    d = docx.Document()
    d.add_paragraph(CLEAN)
    d.save(root / "desk" / "memo.docx")
    (root / "notes.csv").write_text("not,a,draft\n", encoding="utf-8")        # not a draft type: skipped
    (root / ".hidden.txt").write_text(WRONG, encoding="utf-8")                 # hidden: skipped
    return root


def test_finds_drafts_recursively_by_type(drafts):
    found, missing = find_drafts([drafts, drafts / "nowhere"])
    assert [name for _, name in found] == ["clean.txt", "desk/late/unknown.html", "desk/memo.docx",
                                           "desk/photo.txt", "desk/wrong.md"]
    assert len(missing) == 1 and missing[0].error.startswith("[FD101]")


def test_bad_draft_in_the_middle_does_not_stop_the_run(checker, drafts):
    found, _ = find_drafts([drafts])
    seen = []
    results = list(check_drafts(checker, found, progress=seen.append))
    assert [r.name for r in results] == [n for _, n in found]
    bad = [r for r in results if r.error]
    assert [r.name for r in bad] == ["desk/photo.txt"] and bad[0].error.startswith("[FD105]")
    assert seen[-1].done == seen[-1].total == 5 and seen[-1].claims == sum(len(r.report.verdicts)
                                                                          for r in results if r.report)
    by_name = {r.name: r.summary for r in results}
    assert by_name["desk/wrong.md"]["conflicting"] == 1 and by_name["clean.txt"]["conflicting"] == 0


def test_exit_status_is_the_publishing_gate(checker, drafts):
    found, _ = find_drafts([drafts / "clean.txt", drafts / "desk" / "wrong.md"])
    results = list(check_drafts(checker, found))
    assert exit_status(results, FailOn.CONFLICTING) == 1
    assert exit_status(results, FailOn.NEVER) == 0
    assert exit_status(results[:1], FailOn.CONFLICTING) == 0
    unknown, _ = find_drafts([drafts / "desk" / "late" / "unknown.html"])
    only_unverified = list(check_drafts(checker, unknown))
    assert exit_status(only_unverified, FailOn.CONFLICTING) == 0
    assert exit_status(only_unverified, FailOn.UNVERIFIED) == 1


def test_cli_writes_reports_and_a_worst_first_index(sample_db, drafts, tmp_path):
    out = tmp_path / "out"
    r = run_cli("check", str(drafts), "--db", str(sample_db), "--out", str(out))
    assert r.returncode == 2, r.stderr                   # one draft could not be read
    assert "desk/photo.txt: [FD105]" in r.stderr and "checked 4 of 5 drafts" in r.stderr
    assert "Traceback" not in r.stderr
    for name in ("clean.txt", "desk/wrong.md", "desk/memo.docx", "desk/late/unknown.html"):
        assert (out / f"{name}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    index = (out / "index.html").read_text(encoding="utf-8")
    order = [index.index(n) for n in ("desk/photo.txt", "desk/wrong.md", "desk/late/unknown.html", "clean.txt")]
    assert order == sorted(order)                          # errors, then conflicts, then unverified, then clean
    assert 'href="./desk/wrong.md.html"' in index and "[FD105]" in index
    assert not list(out.rglob("*.tmp"))


def test_cli_exit_codes_for_clean_findings_and_usage(sample_db, drafts, tmp_path):
    clean = drafts / "clean.txt"
    assert run_cli("check", str(clean), "--db", str(sample_db)).returncode == 0
    wrong = drafts / "desk" / "wrong.md"
    assert run_cli("check", str(wrong), "--db", str(sample_db)).returncode == 1
    assert run_cli("check", str(wrong), "--db", str(sample_db), "--fail-on", "never").returncode == 0
    usage = run_cli("check", str(clean), "--db", str(sample_db), "--format", "csv")
    assert usage.returncode == 2 and usage.stderr.startswith("factdesk: [FD114]") and usage.stderr.count("\n") == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run_cli("check", str(empty), "--db", str(sample_db), "--out", str(tmp_path / "o"))
    assert none.returncode == 2 and "[FD113]" in none.stderr


def test_json_and_csv_reports_agree_with_the_engine(sample_db, drafts, tmp_path, checker):
    out = tmp_path / "json"
    assert run_cli("check", str(drafts / "desk" / "wrong.md"), "--db", str(sample_db), "--out", str(out),
                   "--format", "json").returncode == 1
    data = json.loads((out / "wrong.md.json").read_text(encoding="utf-8"))
    from factdesk.textio import read_document
    text = read_document(drafts / "desk" / "wrong.md").text     # offsets refer to the draft's readable text
    engine = checker.check_text(text)
    assert [(c["start"], c["verdict"]) for c in data["claims"]] == [(v.claim.start, v.kind.value)
                                                                    for v in engine.verdicts]
    out_csv = tmp_path / "csv"
    run_cli("check", str(drafts / "desk" / "wrong.md"), "--db", str(sample_db), "--out", str(out_csv),
            "--format", "csv")
    rows = list(csv.DictReader(io.StringIO((out_csv / "wrong.md.csv").read_text(encoding="utf-8"))))
    assert [(int(r["start"]), r["verdict"]) for r in rows] == [(c["start"], c["verdict"]) for c in data["claims"]]
    conflict = next(r for r in rows if r["verdict"] == "conflicting")
    assert text[int(conflict["start"]):int(conflict["end"])] == conflict["text"]
    assert conflict["reference"] == "3" and conflict["source_url"] == "https://example.org/pricing"


def test_rerun_rewrites_reports_atomically(sample_db, drafts, tmp_path, monkeypatch):
    out = tmp_path / "out"
    target = drafts / "clean.txt"
    run_cli("check", str(target), "--db", str(sample_db), "--out", str(out))
    first = (out / "clean.txt.html").read_text(encoding="utf-8")
    target.write_text(WRONG, encoding="utf-8")
    assert run_cli("check", str(target), "--db", str(sample_db), "--out", str(out)).returncode == 1
    second = (out / "clean.txt.html").read_text(encoding="utf-8")
    assert second != first and '<span class="claim conflicting"' in second
    # a write that fails half way leaves the previous report whole and no temporary file behind
    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(InputError) as err:
        atomic.write_text_atomic(out / "clean.txt.html", "<html>half")
    assert err.value.code == "FD111"
    assert (out / "clean.txt.html").read_text(encoding="utf-8") == second
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_hostile_file_names_never_become_script_links(sample_db, tmp_path):
    root = tmp_path / "d"
    root.mkdir()
    (root / "javascript:alert(1).txt").write_text(CLEAN, encoding="utf-8")
    (root / '"><img src=x onerror=alert(1)>.md').write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("check", str(root), "--db", str(sample_db), "--out", str(out)).returncode == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert hrefs and all(h.startswith("./") for h in hrefs)
    assert "<img src=x" not in index


def test_worst_first_order():
    from factdesk.batch import IndexEntry

    def e(name, c=0, u=0, err=None):
        return IndexEntry(name, {"verified": 1, "conflicting": c, "unverified": u}, err, None)
    ordered = worst_first([e("a"), e("b", u=2), e("c", c=1), e("d", err="[FD105] x"), e("e", c=3)])
    assert [x.name for x in ordered] == ["d", "e", "c", "b", "a"]


def test_reports_are_readable_by_colleagues(tmp_path):
    import os
    import stat

    path = tmp_path / "r.html"
    atomic.write_text_atomic(path, "<html></html>")
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode & stat.S_IRGRP or mode & stat.S_IROTH or atomic._umask() & 0o044 == 0o044


def test_csv_keeps_signed_numbers_and_defuses_formulas():
    from factdesk.batch import spreadsheet_safe

    for data in ("-5%", "+0.4", "-$12", "-1,200.5"):
        assert spreadsheet_safe(data) == data          # a figure stays a figure
    for formula in ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx"):
        assert spreadsheet_safe(formula) == "'" + formula
    assert spreadsheet_safe(-5) == -5


def test_csv_batch_writes_one_sheet_for_all_drafts(sample_db, drafts, tmp_path):
    out = tmp_path / "csv"
    result = run_cli("check", str(drafts), "--db", str(sample_db), "--out", str(out), "--format", "csv")
    assert result.returncode == 2                       # the binary draft could not be checked
    combined = list(csv.DictReader(io.StringIO((out / "claims.csv").read_text(encoding="utf-8"))))
    per_draft = []
    for report in sorted(out.rglob("*.csv")):
        if report.name != "claims.csv":
            per_draft += list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    key = lambda r: (r["file"], int(r["start"]))  # noqa: E731
    assert sorted(combined, key=key) == sorted(per_draft, key=key) and len(combined) >= 5
    assert {r["file"] for r in combined} == {"clean.txt", "desk/wrong.md", "desk/memo.docx",
                                             "desk/late/unknown.html"}
    assert all(r["facts_valid_on"] for r in combined)
