#!/usr/bin/env python3
"""The fault suite's longer variant: more killed imports and more concurrent rounds than CI runs, every bad
draft with its timing, and a table of probes tried, handled with their code, and data lost.

usage: python benchmarks/bench_faults.py [--kills N] [--rounds N]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "faults"))

import test_faults as suite  # noqa: E402  (the probes and their expectations are the suite's own)


def drafts(db: Path, tmp: Path) -> list[tuple[str, bool, bool, float]]:
    rows = []
    for name, content, code, seconds in suite.DRAFTS:
        draft = tmp / name
        draft.write_bytes(content())
        before = suite.digest(db)
        started = time.monotonic()
        r = suite.factdesk("check", str(draft), "--db", str(db), "--format", "json", timeout=seconds + 60)
        took = time.monotonic() - started
        handled = "Traceback" not in r.stderr and (code is None or code in r.stderr) and took < seconds
        rows.append((f"draft {name}", handled, suite.digest(db) != before, took))
    return rows


def kills(tmp: Path, n: int) -> list[tuple[str, bool, bool, float]]:
    rows, rng = [], random.Random(11)
    csv_path = tmp / "big.csv"
    suite._big_import(csv_path, 20000)
    seed = tmp / "seed.csv"
    seed.write_text(suite.FACTS)
    for run in range(n):
        started = time.monotonic()
        ok, facts, added = suite.kill_import(csv_path, tmp / f"killed-{run}.db", seed, rng)
        whole = facts in (2, 20002) and added == facts
        rows.append((f"import killed ({'all' if facts == 20002 else 'none'} kept)", ok, not whole,
                     time.monotonic() - started))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        db = tmp / "ref.db"
        (tmp / "facts.csv").write_text(suite.FACTS)
        suite.factdesk("db", "import", str(tmp / "facts.csv"), "--db", str(db))
        rows = drafts(db, tmp) + kills(tmp, args.kills)
        for r in range(args.rounds):
            started = time.monotonic()
            try:
                suite.test_two_writers_and_a_checker_lose_nothing_and_never_see_a_lock(db, _fresh(tmp, r))
                rows.append((f"concurrency round {r + 1}", True, False, time.monotonic() - started))
            except AssertionError as exc:
                rows.append((f"concurrency round {r + 1}: {exc}", False, True, time.monotonic() - started))
    print(f"{'probe':<46} {'handled':>8} {'data lost':>10} {'seconds':>8}")
    for name, handled, lost, took in rows:
        print(f"{name:<46} {str(handled):>8} {str(lost):>10} {took:8.1f}")
    print(f"probes {len(rows)}, handled {sum(r[1] for r in rows)}, data lost {sum(r[2] for r in rows)}")
    return 0 if all(r[1] and not r[2] for r in rows) else 1


def _fresh(tmp: Path, r: int) -> Path:
    folder = tmp / f"round-{r}"
    folder.mkdir()
    return folder


if __name__ == "__main__":
    sys.exit(main())
