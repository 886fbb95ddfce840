"""What the shipped reference database knows of real articles: eval/real checked against claims.db alone.

For every check-worthy number whose reference the corpus's own fact sheets hold (gold verified or conflicting),
prints the share whose reference the shipped database also holds (an entity of that name or alias with a fact
of the same value: coverage), the share that gets a verdict other than unverified, how many of those are right,
and the errors that matter: a false verified (a wrong number confirmed) and a wrong conflict. Per beat, then all.

    python benchmarks/bench_coverage.py [--db claims.db] [--baseline OLD.db] [--corpus eval/real]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "eval"))

from extractors.periods import reporting_periods  # noqa: E402
from factdesk.corpus import find_sets, gold_span  # noqa: E402
from factdesk.store import ReferenceStore  # noqa: E402
from score import check_set  # noqa: E402


def _number(value) -> float | None:
    try:
        return float(str(value).replace(",", "").replace("$", "").replace("%", "").strip())
    except ValueError:
        return None


def holds(store: ReferenceStore, entity: str | None, reference, attribute: str = "") -> bool:
    """Whether the database has a fact of this entity (by name or alias) with this value (1% or the same day),
    for the reporting period the corpus's attribute names, if it names one."""
    if not entity or reference in (None, ""):
        return False
    period = tuple(sorted(reporting_periods(attribute or "").items()))
    row = store.db.execute(
        "select name from entities where lower(name) = lower(?) union "
        "select entities.name from aliases join entities on entities.id = aliases.entity_id "
        "where aliases.alias_key = lower(?)", [entity, entity]).fetchone()
    if row is None:
        return False
    want = _number(reference)
    for f in store.facts_for(row[0]):
        if period and f.reading.periods != period:
            continue
        r = f.reading.value
        if want is not None and isinstance(r, float):
            if abs(r - want) <= 0.01 * max(abs(want), 1e-9) or any(
                    abs(r - want * s) <= 0.01 * abs(want * s) for s in (1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9) if want):
                return True
        elif isinstance(r, str) and str(reference)[:7] and str(r).startswith(str(reference)[:10]):
            return True
    return False


def measure(db: Path, corpus: Path) -> dict[str, Counter]:
    store = ReferenceStore.open(db, read_only=True)
    out: dict[str, Counter] = {}
    for s in find_sets([corpus]):
        claims, _ = check_set(s, list(s.articles), shipped=str(db))
        t = out.setdefault(s.name, Counter())
        for a in s.articles:
            for g in a.gold:
                span = gold_span(a.text, g.number_text, g.occurrence)
                if span is None or g.expected == "ignore":
                    continue
                lo, hi = span
                hits = sorted((c for c in claims[a.id] if c["start"] < hi and lo < c["end"]),
                              key=lambda c: -(min(hi, c["end"]) - max(lo, c["start"])))
                got = hits[0]["verdict"] if hits and hits[0].get("check_worthy") is not False else "ignore"
                t["check-worthy"] += 1
                t["wrong conflict"] += got == "conflicting" and g.expected != "conflicting"
                t["verified, corpus has no reference"] += got == "verified" and g.expected == "unverified"
                if g.expected not in ("verified", "conflicting"):
                    continue
                t["referenced"] += 1
                t["held"] += holds(store, g.entity, g.reference_value, g.attribute or "")
                t["answered"] += got in ("verified", "conflicting")
                t["right"] += got == g.expected
                t["FALSE VERIFIED"] += g.expected == "conflicting" and got == "verified"
    store.close()
    return out


def report(label: str, db: Path, results: dict[str, Counter]) -> None:
    facts = ReferenceStore.open(db, read_only=True).stats().facts
    print(f"{label}: {db} ({facts:,} facts)")
    print(f"  {'set':<18} {'refs':>5} {'coverage':>9} {'answered':>9} {'right':>7} {'FV':>4} {'WC':>4} "
          f"{'ver.unref':>9}")
    total = Counter()
    for name, t in list(results.items()) + [("all", None)]:
        t = t if t is not None else total
        if name != "all":
            total.update(t)
        n = max(1, t["referenced"])
        print(f"  {name:<18} {t['referenced']:>5} {t['held'] / n:>9.3f} {t['answered'] / n:>9.3f} "
              f"{t['right'] / n:>7.3f} {t['FALSE VERIFIED']:>4} {t['wrong conflict']:>4} "
              f"{t['verified, corpus has no reference']:>9}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=REPO / "claims.db")
    ap.add_argument("--baseline", type=Path, help="an older database to print beside it (e.g. the 46-fact one)")
    ap.add_argument("--corpus", type=Path, default=REPO / "eval" / "real")
    args = ap.parse_args()
    if args.baseline:
        report("baseline", args.baseline, measure(args.baseline, args.corpus))
    report("shipped", args.db, measure(args.db, args.corpus))
    print("coverage: its reference is on file; answered: verified or conflicting; right: the corpus's verdict; "
          "FV: a wrong number confirmed; WC: wrong conflicts; ver.unref: verified where the corpus has no fact "
          "(right or wrong, the corpus cannot say)")


if __name__ == "__main__":
    main()
