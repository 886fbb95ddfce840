"""Batch throughput and memory: a folder of generated drafts checked into HTML reports.

    python benchmarks/bench_batch.py [--drafts 500] [--words 2000]

Generates N drafts of about W words each (N x W >= 1 million words by default), runs the same code as
`factdesk check DIR --out OUT` on them, and prints throughput as a ratio to raw spaCy `nlp.pipe` on the same
texts in the same process, and peak memory (the process's maximum resident size) after a run over a tenth
of the drafts and after the run over all of them: if memory grew with the number of drafts the second would be
far above the first.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import resource
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SENTENCES = [
    "GPT-4.1 scored {p}% on SWE-bench Verified, the coding test most vendors now quote.",
    "It costs ${a} per million input tokens and ${b} per million output tokens.",
    "GPT-4.1 mini accepts one million tokens, up from 128,000 tokens for GPT-4o.",
    "Analysts expect {n} developers to try it in the first {m} weeks.",
    "The company said the release shipped on April 14, 2025, after a short preview.",
    "Reviewers compared it with earlier models and found the answers shorter and more direct.",
    "Several start-ups told us they would move their agents over within a quarter.",
    "Latency fell by roughly {p} percent in our own tests, though results varied by region.",
]


def make_draft(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        paragraph = " ".join(rng.choice(SENTENCES).format(p=rng.choice([54.6, 52.0, 38.3]),
                                                           a=rng.choice([2, 3]), b=rng.choice([8, 9]),
                                                           n=rng.randint(2, 900) * 1000, m=rng.randint(2, 9))
                             for _ in range(5))
        out.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drafts", type=int, default=500)
    ap.add_argument("--words", type=int, default=2000)
    args = ap.parse_args()

    from factdesk.batch import run_batch
    from factdesk.check import Checker
    from factdesk.html_report import ReportMeta
    from factdesk.store import ReferenceStore

    rng = random.Random(7)
    tmp = Path(tempfile.mkdtemp(prefix="factdesk-bench-"))
    src = tmp / "drafts"
    src.mkdir()
    total_words = 0
    for i in range(args.drafts):
        text = make_draft(rng, args.words)
        total_words += len(text.split())
        (src / f"draft-{i:04}.txt").write_text(text, encoding="utf-8")

    store = ReferenceStore.open(REPO / "claims.db")
    checker = Checker(store)
    meta = ReportMeta.now(checker.pipeline.model, store.path, store.fingerprint())
    tenth = tmp / "tenth"
    tenth.mkdir()
    for p in sorted(src.iterdir())[: max(1, args.drafts // 10)]:
        (tenth / p.name).write_bytes(p.read_bytes())
    run_batch(checker, [tenth], tmp / "out-tenth", "html", meta)
    rss_tenth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    b0 = time.perf_counter()
    entries = run_batch(checker, [src], tmp / "out", "html", meta)
    batch_s = time.perf_counter() - b0
    rss_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    texts = [p.read_text(encoding="utf-8") for p in sorted(src.iterdir())]
    r0 = time.perf_counter()
    for _ in checker.nlp.pipe(texts, batch_size=16):
        pass
    raw_s = time.perf_counter() - r0
    del texts

    claims = sum(e.claims for e in entries)
    print(f"{args.drafts} drafts, {total_words:,} words, {claims:,} claims -> {len(entries)} HTML reports + index")
    print(f"raw spaCy nlp.pipe {total_words / raw_s:,.0f} words/s; factdesk batch (check + HTML reports) "
          f"{total_words / batch_s:,.0f} words/s; ratio {raw_s / batch_s:.2f}")
    print(f"peak memory (max RSS) after {len(list(tenth.iterdir()))} drafts {rss_tenth:.0f} MB, after "
          f"{args.drafts} drafts {rss_all:.0f} MB (ratio {rss_all / rss_tenth:.2f}; ~1.0 = flat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
