"""Throughput of `factdesk check` against raw spaCy `nlp.pipe` on the same text, in the same process.

Prints words per second for both and their ratio (target >= 1.0: a check takes no longer than the raw parse,
issue 13), then the same with 100 and with 100,000 facts in the reference database (target: no slower with
100,000), and the shipped database against 100 facts (target: no slower, issue 14).
    python benchmarks/bench_check.py [--repeat N]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import spacy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factdesk.check import Checker  # noqa: E402
from factdesk.store import ReferenceStore  # noqa: E402


def corpus() -> list[str]:
    base = (REPO / "assets" / "examples" / "launch-draft.txt").read_text(encoding="utf-8")
    return [base] * 40


def synthetic_db(path: Path, n: int) -> ReferenceStore:
    store = ReferenceStore.open(path, create=True)
    for p in sorted((REPO / "assets").glob("*facts*.csv")) + sorted((REPO / "assets").glob("*aliases*.csv")):
        store.import_csv(p)
    rng = random.Random(7)
    rows = ["entity,attribute,value,unit,as_of,source_url,note"]
    for i in range(n):
        rows.append(f"Widget {i // 10} Pro,benchmark {i % 10} score,{rng.uniform(10, 90):.1f},percent,2025-01-01,"
                    f"https://example.org/{i},")
    store.import_text("\n".join(rows) + "\n", name="synthetic")
    return store


def words_per_second(fn, texts, repeat: int) -> float:
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - t0)
    return words / best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--shipped", default=str(REPO / "claims.db"), help="the shipped database to compare")
    args = ap.parse_args()
    texts = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for n in (100, 100_000):
            store = synthetic_db(Path(tmp) / f"f{n}.db", n)
            checker = Checker(store)
            raw = spacy.load(checker.info.model) if not checker.info.reduced_accuracy else spacy.blank("en")
            raw_wps = words_per_second(lambda ts: list(raw.pipe(ts, batch_size=16)), texts, args.repeat)
            fd_wps = words_per_second(lambda ts: list(checker.check_texts([("b", t, ()) for t in ts])), texts,
                                      args.repeat)
            results[n] = fd_wps
            print(f"facts={n:>7}  raw spaCy nlp.pipe {raw_wps:8.0f} words/s   factdesk check {fd_wps:8.0f} words/s"
                  f"   ratio {fd_wps / raw_wps:.2f} (target >= 1.00)")
        print(f"100,000 facts vs 100 facts: {results[100_000] / results[100]:.2f}x the speed (target >= ~1.0)")
        # the shipped database (tens of thousands of facts over thousands of names) against its own 100 facts
        # about the draft's subject: what a journalist's check costs with the reference data that ships
        shipped = Path(args.shipped)
        if shipped.exists():
            small = synthetic_db(Path(tmp) / "small.db", 54)
            t0 = time.perf_counter()
            big = Checker(ReferenceStore.open(shipped, read_only=True))
            load_big = time.perf_counter() - t0
            t0 = time.perf_counter()
            little = Checker(small)
            load_small = time.perf_counter() - t0
            rates = {}
            for label, checker in (("100 facts", little), ("shipped", big)):
                rates[label] = words_per_second(lambda ts: list(checker.check_texts([("b", t, ()) for t in ts])),
                                                texts, args.repeat)
            n_facts = big.store.stats().facts
            print(f"shipped {shipped.name} ({n_facts:,} facts): {rates['shipped']:8.0f} words/s, load "
                  f"{load_big:.2f} s; 100 facts: {rates['100 facts']:8.0f} words/s, load {load_small:.2f} s")
            print(f"shipped vs 100 facts: {rates['shipped'] / rates['100 facts']:.2f}x the speed (target >= ~1.0)")


if __name__ == "__main__":
    main()
