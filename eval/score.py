#!/usr/bin/env python3
"""Score factdesk's verdicts on labelled corpora, in process, the way ../shared/tools/score_devset.py scores
`factdesk check --format json` (same matching of gold numbers to claims, same figures).

usage: python eval/score.py CORPUS_OR_SET ... [--per-article] [--show N] [--json OUT]
                            [--drop-entities F] [--shipped-db DB] [--strictness S]
                            [--loo [--train SET ...] [--fold-seed N]]

Each set is imported into a fresh in-memory database and each article checked against it. Prints verdict
accuracy, verified recall, conflict recall, false verified, wrong conflicts, entity attribution and how many
"ignore" numbers were kept quiet, overall and per set (beat), and per article with --per-article.
With --loo, each article is judged by weights fitted on every other article of the sets given (its perturbed
copy or original left out with it) plus the --train sets, which are never scored: leave-one-article-out.
--fold-seed N shuffles the fit's inner folds (which choose the thresholds): the same code scored under two seeds
differs by the fit's own noise (the README gives the figures), so compare a change under two seeds.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from factdesk.corpus import Article, CorpusSet, dropped_entities, find_sets, gold_span, without_entities  # noqa: E402

GREY = {"ignore", "not a claim", "not_a_claim"}


def tally_article(a: Article, claims: list[dict], t: Counter, misses: list, set_name: str,
                  dropped: set[str] = frozenset()) -> None:
    """Add one article's gold against its reported claims to the tally (score_devset's rules)."""
    for g in a.gold:
        want = g.expected
        span = gold_span(a.text, g.number_text, g.occurrence)
        if span is None:
            t["gold span not found"] += 1
            continue
        s, e = span
        hits = sorted((c for c in claims if c["start"] < e and s < c["end"]),
                      key=lambda c: -(min(e, c["end"]) - max(s, c["start"])))
        got = hits[0]["verdict"] if hits else None
        if hits and (hits[0].get("check_worthy") is False or str(got).lower() in GREY):
            got = "ignore"
        if g.entity in dropped and want != "ignore":
            t["about a dropped entity"] += 1
            if got in ("verified", "conflicting"):
                t["credited to a stranger"] += 1
                misses.append((set_name, a.id, g, got, hits[0], "unverified (its facts were dropped)"))
            continue
        t[f"gold {want}"] += 1
        if want == "ignore":
            t["non-claim quiet"] += got in (None, "ignore")
            if got == "conflicting":
                t["false alarm on a non-claim"] += 1
                t["wrong conflict"] += 1
                misses.append((set_name, a.id, g, got, hits[0] if hits else None, want))
            continue
        if want == "conflicting" and got == "ignore":
            t["conflict greyed"] += 1
        t["checkable"] += 1
        if g.entity and want in ("verified", "conflicting"):
            t["entity named"] += 1
            t["entity right"] += bool(hits) and str(hits[0].get("entity", "")).casefold() == g.entity.casefold()
        t["extracted"] += bool(hits)
        t["verdict right"] += got == want
        if got != want:
            misses.append((set_name, a.id, g, got, hits[0] if hits else None, want))
        if want == "conflicting":
            t["conflict caught"] += got == "conflicting"
            t["FALSE VERIFIED"] += got == "verified"
        if want == "verified":
            t["verified confirmed"] += got == "verified"
        if want == "unverified" and got == "conflicting":
            t["false alarm on an unreferenced claim"] += 1
        if want != "conflicting" and got == "conflicting":
            t["wrong conflict"] += 1


def summary(t: Counter) -> dict:
    ratio = lambda a, b: round(t[a] / t[b], 3) if t[b] else 0.0  # noqa: E731
    return {
        "checkable": t["checkable"],
        "extraction recall": ratio("extracted", "checkable"),
        "verdict accuracy": ratio("verdict right", "checkable"),
        "verified recall": ratio("verified confirmed", "gold verified"),
        "conflict recall": ratio("conflict caught", "gold conflicting"),
        "false verified": t["FALSE VERIFIED"],
        "wrong conflicts": t["wrong conflict"],
        "entity attribution": ratio("entity right", "entity named"),
        "non-claims quiet": ratio("non-claim quiet", "gold ignore"),
        "conflicts greyed": t["conflict greyed"],
    }


def line(name: str, t: Counter) -> str:
    s = summary(t)
    return (f"{name:<44} n={s['checkable']:<4} acc {s['verdict accuracy']:.3f}  ver.rec {s['verified recall']:.3f}  "
            f"conf.rec {s['conflict recall']:.3f}  FV {s['false verified']}  WC {s['wrong conflicts']}  "
            f"ent {s['entity attribution']:.3f}  quiet {s['non-claims quiet']:.3f}")


def check_set(s: CorpusSet, articles: list[Article], drop: float = 0.0, shipped: str | None = None,
              **checker_options) -> tuple[dict[str, list[dict]], set[str]]:
    """Check these articles of a set against a fresh database of its facts; claims (as JSON dicts) by id."""
    from factdesk.check import Checker
    from factdesk.report import report_dict
    from factdesk.store import ReferenceStore

    if shipped:
        store = ReferenceStore.open(shipped, read_only=True)
        gone: set[str] = set()
    else:
        store = ReferenceStore.memory()
        gone = dropped_entities({r["entity"] for r in s.facts}, drop) if drop else set()
        store.import_many(without_entities(s, drop) if drop else s.sources())
    checker = Checker(store, **checker_options)
    out = {}
    for a in articles:
        out[a.id] = report_dict(checker.check_text(a.text, source=a.id, published=a.published))["claims"]
    store.close()
    return out, gone


def leave_one_out_claims(sets: list[CorpusSet], train: list[CorpusSet], drop: float, strictness: str,
                         fold_seed: int = 0):
    """Per set: each article's claims (JSON dicts) judged by weights fitted without it, and the dropped entities."""
    from factdesk import fitting
    from factdesk.report import report_dict

    arts = fitting.collect(sets, drop)
    extra = fitting.collect(train)
    reports = fitting.leave_one_out(arts, extra, strictness,
                                    progress=lambda n, k: print(f"  fold {n}/{k}", end="\r", file=sys.stderr),
                                    fold_seed=fold_seed)
    out: dict[str, tuple[dict, set]] = {}
    for s in sets:
        gone = dropped_entities({r["entity"] for r in s.facts}, drop) if drop else set()
        out[s.name] = ({a.id: report_dict(reports[f"{s.name}/{a.id}"])["claims"] for a in s.articles}, gone)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="corpus roots (eval/real) or set folders (../shared/devset)")
    ap.add_argument("--per-article", action="store_true", help="a line per article too")
    ap.add_argument("--show", type=int, default=0,
                    help="list this many misses (with --drop-entities, numbers credited to a stranger among them)")
    ap.add_argument("--json", type=Path, help="write the summary and tallies here")
    ap.add_argument("--drop-entities", type=float, default=0.0, metavar="F",
                    help="leave out the facts of this share of each set's entities (chosen by a hash of the name)")
    ap.add_argument("--shipped-db", help="check every article against this database instead of its set's facts")
    ap.add_argument("--strictness", choices=("strict", "balanced", "lenient"), default="balanced")
    ap.add_argument("--loo", action="store_true", help="leave-one-article-out: refit the weights for each article")
    ap.add_argument("--train", nargs="*", default=[], metavar="SET",
                    help="with --loo: sets always trained on and never scored (invented sets)")
    ap.add_argument("--fold-seed", type=int, default=0, metavar="N",
                    help="with --loo: shuffle the fit's inner folds by N (0: name order, as the shipped fit)")
    args = ap.parse_args(argv)

    sets = find_sets(args.paths)
    if args.loo:
        claims_by_set = leave_one_out_claims(sets, find_sets(args.train), args.drop_entities, args.strictness,
                                             args.fold_seed)
    total, misses, per_set, per_article = Counter(), [], {}, {}
    for s in sets:
        if args.loo:
            claims, gone = claims_by_set[s.name]
        else:
            claims, gone = check_set(s, list(s.articles), args.drop_entities, args.shipped_db,
                                     strictness=args.strictness)
        st = Counter()
        for a in s.articles:
            at = Counter()
            tally_article(a, claims[a.id], at, misses, s.name, gone)
            per_article[f"{s.name}/{a.id}"] = at
            st.update(at)
        per_set[s.name] = st
        total.update(st)
    if args.per_article:
        for name, t in per_article.items():
            print(line(name, t))
    for name, t in per_set.items():
        print(line(name, t))
    print(line("ALL", total))
    if args.drop_entities:
        print(f"dropped entities: {total['about a dropped entity']} numbers about them, "
              f"{total['credited to a stranger']} credited to a stranger")
    for set_name, aid, g, got, claim, want in misses[:args.show]:
        print(f"  {set_name}/{aid}: {g.number_text!r}#{g.occurrence} want {want} got {got}  "
              f"[{g.entity} / {g.attribute}]" + (f"  <- {claim.get('explanation', '')[:160]}" if claim else ""))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary(total), "tally": total,
                                         "sets": {k: summary(v) for k, v in per_set.items()},
                                         "articles": {k: summary(v) for k, v in per_article.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
