#!/usr/bin/env python3
"""Check a labelled corpus itself (not factdesk): exits 1 on any error, else prints its counts.

usage: python eval/validate.py CORPUS_OR_SET ... [--table] [--min-articles N] [--min-beats N]
                               [--min-numbers N] [--min-perturbed N]

Checks that every gold number (number_text + occurrence) is in its article; every verified or conflicting gold
names an entity and attribute that facts.csv holds, with that reference value; every perturbed copy differs from
its original exactly at the numbers its gold marks PERTURBED (5 or 6 of them) and nowhere else; every fact is
importable and has an http(s) source; every original has its metadata; and the counts tables in each README
agree with the gold. `--table` prints those tables in the README's form.
"""
from __future__ import annotations

import argparse
import difflib
import math
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from factdesk.corpus import CHECKABLE, VERDICTS, Article, CorpusSet, find_sets, gold_span  # noqa: E402
from factdesk.records import FACT_COLUMNS_V1, clean_fact, fact_problem  # noqa: E402

COUNT_COLUMNS = ("numbers", "check-worthy", "verified", "conflicting", "unverified", "ignore")
META_FIELDS = ("source_url", "title", "publisher", "published")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def counts(articles: list[Article]) -> dict[str, int]:
    """Numbers, check-worthy numbers and each verdict, over these articles' gold."""
    c = Counter(g.expected for a in articles for g in a.gold)
    total = sum(c.values())
    return {"numbers": total, "check-worthy": total - c["ignore"], **{v: c[v] for v in VERDICTS}}


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return False
    try:
        x, y = float(str(a).replace(",", "")), float(str(b).replace(",", ""))
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
    except ValueError:
        return str(a).strip() == str(b).strip()


def check_facts(s: CorpusSet, errors: list[str]) -> dict[tuple[str, str], list[str]]:
    """Every fact importable with an http(s) source; returns (entity, attribute) -> values on file."""
    where = f"{s.name}/facts.csv"
    if tuple(s.fact_columns[:7]) != FACT_COLUMNS_V1:
        errors.append(f"{where}: columns are {list(s.fact_columns)}, want {list(FACT_COLUMNS_V1)} [+ valid_from, valid_to]")
    on_file: dict[tuple[str, str], list[str]] = {}
    for line, row in enumerate(s.facts, 2):
        r = clean_fact(row)
        problem = fact_problem(r, require_source=True)
        if problem:
            errors.append(f"{where} line {line}: {problem}")
        on_file.setdefault((r["entity"].casefold(), r["attribute"].casefold()), []).append(r["value"])
    known = {r["entity"].casefold() for r in s.facts}
    for line, row in enumerate(s.aliases, 2):
        if not (row.get("alias") or "").strip():
            errors.append(f"{s.name}/aliases.csv line {line}: alias is empty")
        elif (row.get("entity") or "").casefold() not in known:
            errors.append(f"{s.name}/aliases.csv line {line}: entity {row.get('entity')!r} has no facts")
    return on_file


def check_article(s: CorpusSet, a: Article, on_file, errors: list[str]) -> None:
    where = f"{s.name}/{a.id}"
    if not a.text:
        errors.append(f"{where}: articles/{a.id}.txt is missing or empty")
        return
    if not a.is_perturbed:
        if a.meta is None:
            errors.append(f"{where}: articles/{a.id}.meta.json is missing")
        else:
            for k in META_FIELDS:
                if k not in a.meta:
                    errors.append(f"{where}: meta has no '{k}'")
            if not str(a.meta.get("source_url", "")).startswith(("http://", "https://")):
                errors.append(f"{where}: meta source_url is not an http(s) address")
            pub = a.meta.get("published")
            if pub is not None and not _ISO.match(str(pub)):
                errors.append(f"{where}: meta published {pub!r} is not YYYY-MM-DD or null")
    seen = set()
    for g in a.gold:
        label = f"{where}: {g.number_text!r}#{g.occurrence}"
        if g.expected not in VERDICTS:
            errors.append(f"{label}: expected {g.expected!r} is not one of {', '.join(VERDICTS)}")
        if (g.expected == "ignore") != (not g.check_worthy):
            errors.append(f"{label}: check_worthy must be false exactly when expected is 'ignore'")
        if (g.number_text, g.occurrence) in seen:
            errors.append(f"{label}: annotated twice")
        seen.add((g.number_text, g.occurrence))
        if not g.number_text or gold_span(a.text, g.number_text, g.occurrence) is None:
            errors.append(f"{label}: not found in the text")
        if g.expected in ("verified", "conflicting"):
            values = on_file.get(((g.entity or "").casefold(), (g.attribute or "").casefold()))
            if values is None:
                errors.append(f"{label}: {g.expected} against {g.entity!r} / {g.attribute!r}, which facts.csv lacks")
            elif not any(_same_value(g.reference_value, v) for v in values):
                errors.append(f"{label}: reference_value {g.reference_value!r} is not the value on file ({', '.join(values)})")


def _changed_spans(original: str, perturbed: str) -> list[tuple[int, int]]:
    """Spans of the perturbed text that differ from the original, at number granularity."""
    sm = difflib.SequenceMatcher(None, original, perturbed, autojunk=False)
    return [(j1, j2) for tag, _i1, _i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


def check_perturbed(s: CorpusSet, a: Article, errors: list[str]) -> None:
    where = f"{s.name}/{a.id}"
    original = next((o for o in s.articles if o.id == a.original), None)
    if original is None:
        errors.append(f"{where}: its original {a.original} is not in the set")
        return
    marked = [g for g in a.gold if g.perturbed]
    if not 5 <= len(marked) <= 6:
        errors.append(f"{where}: {len(marked)} numbers marked PERTURBED, want 5 or 6")
    spans = [gold_span(a.text, g.number_text, g.occurrence) for g in marked]
    spans = [sp for sp in spans if sp]
    changed = _changed_spans(original.text, a.text)
    for lo, hi in changed:
        if not any(s0 <= hi and lo <= s1 for s0, s1 in spans):
            errors.append(f"{where}: text differs from the original at {lo} ({a.text[max(0, lo - 20):hi + 20]!r}) "
                          f"where the gold marks no change")
    for g, sp in zip(marked, spans):
        if not any(sp[0] <= hi and lo <= sp[1] for lo, hi in changed):
            errors.append(f"{where}: {g.number_text!r} is marked PERTURBED but reads as in the original")
        if g.expected != "conflicting":
            errors.append(f"{where}: {g.number_text!r} is marked PERTURBED but expected {g.expected!r}")
    if len(a.gold) != len(original.gold):
        errors.append(f"{where}: {len(a.gold)} gold numbers, the original has {len(original.gold)}")


def _readme_rows(readme: Path) -> dict[str, list[int]]:
    """Rows of the README's counts tables: first cell (without backticks or bold) -> its integers."""
    rows = {}
    if not readme.exists():
        return rows
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`*").strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7:
            continue
        nums = [c.replace(",", "") for c in cells[1:]]
        if all(re.fullmatch(r"\d+", n) for n in nums[-len(COUNT_COLUMNS):]):
            rows[cells[0]] = [int(n) for n in nums if re.fullmatch(r"\d+", n)]
    return rows


def check_readme(s: CorpusSet, errors: list[str]) -> None:
    rows = _readme_rows(s.path / "README.md")
    if not rows:
        errors.append(f"{s.name}/README.md: no counts table (see --table)")
        return
    for a in s.articles:
        want = list(counts([a]).values())
        got = rows.get(a.id)
        if got is None:
            errors.append(f"{s.name}/README.md: no counts row for {a.id}")
        elif got[-len(want):] != want:
            errors.append(f"{s.name}/README.md: row {a.id} says {got[-len(want):]}, the gold gives {want}")


def beat_row(s: CorpusSet) -> list[int]:
    originals = [a for a in s.articles if not a.is_perturbed]
    return [len(originals), len(s.articles) - len(originals), *counts(list(s.articles)).values()]


def check_root(root: Path, sets: list[CorpusSet], errors: list[str]) -> None:
    rows = _readme_rows(root / "README.md")
    for s in sets:
        got, want = rows.get(s.name), beat_row(s)
        if got is None:
            errors.append(f"{root.name}/README.md: no counts row for beat {s.name}")
        elif got[-len(want):] != want:
            errors.append(f"{root.name}/README.md: beat {s.name} says {got[-len(want):]}, the gold gives {want}")


def table(sets: list[CorpusSet]) -> str:
    """The counts tables, as the READMEs hold them."""
    out = []
    head = "| article | " + " | ".join(COUNT_COLUMNS) + " |"
    for s in sets:
        out += [f"### {s.name}", "", head, "|" + "---|" * (len(COUNT_COLUMNS) + 1)]
        for a in s.articles:
            out.append(f"| {a.id} | " + " | ".join(str(v) for v in counts([a]).values()) + " |")
        out.append("")
    out += ["| beat | articles | perturbed | " + " | ".join(COUNT_COLUMNS) + " |", "|" + "---|" * (len(COUNT_COLUMNS) + 3)]
    for s in sets:
        out.append(f"| {s.name} | " + " | ".join(str(v) for v in beat_row(s)) + " |")
    return "\n".join(out)


def validate(paths: list[str]) -> tuple[list[str], list[CorpusSet]]:
    """All errors found in these corpora or sets, and the sets read."""
    errors: list[str] = []
    sets = find_sets(paths)
    for s in sets:
        on_file = check_facts(s, errors)
        for a in s.articles:
            check_article(s, a, on_file, errors)
            if a.is_perturbed:
                check_perturbed(s, a, errors)
        check_readme(s, errors)
    for p in map(Path, paths):
        if not (p / "facts.csv").exists():
            check_root(p, [s for s in sets if s.path.parent == p], errors)
    return errors, sets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--table", action="store_true", help="print the counts tables and exit")
    for name in ("articles", "beats", "numbers", "perturbed"):
        ap.add_argument(f"--min-{name}", type=int, default=0)
    args = ap.parse_args(argv)
    errors, sets = validate(args.paths)
    if args.table:
        print(table(sets))
        return 0
    arts = [a for s in sets for a in s.articles]
    originals = [a for a in arts if not a.is_perturbed]
    c = counts(originals)
    print(f"{len(originals)} articles in {len(sets)} beats, {c['numbers']} numbers ({c['check-worthy']} check-worthy: "
          f"{c['verified']} verified, {c['conflicting']} conflicting, {c['unverified']} unverified; {c['ignore']} "
          f"ignore), {len(arts) - len(originals)} perturbed copies, {sum(len(s.facts) for s in sets)} facts")
    for s in sets:
        o = [a for a in s.articles if not a.is_perturbed]
        print(f"  {s.name}: {len(o)} articles, {counts(o)['numbers']} numbers, {len(s.articles) - len(o)} perturbed, "
              f"{len(s.facts)} facts")
    for name, have in (("articles", len(originals)), ("beats", len(sets)), ("numbers", c["numbers"]),
                       ("perturbed", len(arts) - len(originals))):
        if have < getattr(args, f"min_{name}"):
            errors.append(f"{have} {name}, want at least {getattr(args, f'min_{name}')}")
    for e in errors:
        print("ERROR", e)
    print("valid" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
