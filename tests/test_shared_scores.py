"""Scores on ../shared (CI has it beside the clone; a user's clone does not, and these skip)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
needs_shared = pytest.mark.skipif(not (SHARED / "tools").is_dir(), reason="../shared is not beside this clone")


def factdesk(*args):
    return subprocess.run([sys.executable, "-m", "factdesk.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=600)


@needs_shared
def test_example_article_core_expectations(tmp_path):
    db = tmp_path / "g.db"
    ex = SHARED / "examples"
    assert factdesk("db", "import", str(ex / "gpt-4.1-facts.csv"), str(ex / "gpt-4.1-aliases.csv"),
                    "--db", str(db)).returncode == 0
    r = factdesk("check", str(ex / "gpt-4.1-article.txt"), "--db", str(db), "--format", "json")
    report = tmp_path / "report.json"
    report.write_text(r.stdout, encoding="utf-8")
    s = subprocess.run([sys.executable, str(SHARED / "tools" / "score_expected.py"), str(ex / "gpt-4.1-article.txt"),
                        str(ex / "gpt-4.1-expected.json"), str(report)], capture_output=True, text=True)
    # the fitted matcher holds the core expectations but two, and misses only on the cautious side: a
    # miss is "unverified" for a figure the expectations call wrong, never the opposite verdict
    held, total = map(int, re.search(r"core: (\d+)/(\d+)", s.stdout).groups())
    assert held >= total - 2, s.stdout
    for miss in re.findall(r"MISS \[core\].*want (\w+), got \[(.*)\]", s.stdout):
        assert re.fullmatch(r"(\('[^']*', 'unverified'\)(, )?)+", miss[1]), s.stdout


@needs_shared
def test_devset_has_no_false_verified(tmp_path):
    wrapper = tmp_path / "factdesk"
    wrapper.write_text(f"#!/bin/sh\ncd {REPO} && exec {sys.executable} -m factdesk.cli \"$@\"\n")
    wrapper.chmod(0o755)
    r = subprocess.run([sys.executable, str(SHARED / "tools" / "score_devset.py"), str(wrapper), str(SHARED / "devset")],
                       capture_output=True, text=True, timeout=900)
    figures = _scored(r.stdout)
    assert float(figures["false verified"]) == 0
    assert float(figures["extraction recall"]) >= 0.97
    assert float(figures["verdict accuracy"]) >= 0.85
    # eval/score.py, in process, gives the same figures as the shared scorer does through the command line
    import json
    out = tmp_path / "ours.json"
    subprocess.run([sys.executable, str(REPO / "eval" / "score.py"), str(SHARED / "devset"), "--json", str(out)],
                   capture_output=True, text=True, timeout=900, cwd=REPO)
    ours = json.loads(out.read_text())["summary"]
    for key in ("checkable", "verdict accuracy", "conflict recall", "verified recall", "false verified",
                "wrong conflicts", "entity attribution"):
        assert float(ours[key]) == float(figures[key]), key


def _scored(stdout: str) -> dict[str, str]:
    line = next(x for x in stdout.splitlines() if x.startswith("scored:"))
    return dict(part.strip().rsplit(" ", 1) for part in line.removeprefix("scored:").split(","))
