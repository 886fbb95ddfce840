"""Self-check for the held-out set (does not run factdesk). Usage: python check.py [--show]"""
import csv, difflib, json, re, sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHOW = "--show" in sys.argv
problems = []


def bad(msg):
    problems.append(msg)
    print("PROBLEM:", msg)


# ---- facts.csv
REQ = ["entity", "attribute", "value", "unit", "as_of", "source_url", "note"]
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
with open(HERE / "facts.csv", newline="") as fh:
    rd = csv.DictReader(fh)
    cols = rd.fieldnames
    facts = list(rd)
if cols[:7] != REQ or cols[7:] not in ([], ["valid_from", "valid_to"]):
    bad(f"facts.csv columns {cols}")
factmap = {}
for i, r in enumerate(facts, 2):
    if r["unit"] == "date":
        if not ISO.match(r["value"]):
            bad(f"facts.csv line {i}: date value {r['value']!r}")
    else:
        try:
            float(r["value"])
        except ValueError:
            bad(f"facts.csv line {i}: non-numeric value {r['value']!r}")
        if "," in r["value"]:
            bad(f"facts.csv line {i}: comma in value")
    for c in ("as_of", "valid_from", "valid_to"):
        if r.get(c) and not ISO.match(r[c]):
            bad(f"facts.csv line {i}: bad {c} {r[c]!r}")
    if not r["source_url"].startswith("https://") or ".example." not in r["source_url"]:
        bad(f"facts.csv line {i}: source_url not on an example domain")
    factmap.setdefault((r["entity"], r["attribute"]), []).append(r)
entities = {r["entity"] for r in facts}
with open(HERE / "aliases.csv", newline="") as fh:
    rd = csv.DictReader(fh)
    if rd.fieldnames != ["entity", "alias"]:
        bad(f"aliases.csv columns {rd.fieldnames}")
    for r in rd:
        if r["entity"] not in entities:
            bad(f"alias for unknown entity {r['entity']!r}")


def decimals(s):
    m = re.search(r"\d[\d,]*(?:\.(\d+))?", s)
    return len(m.group(1)) if m and m.group(1) else 0


def consistent(nt, value, ref):
    """Is the written value consistent with the reference at the precision written?"""
    if isinstance(value, str) or isinstance(ref, str) and not re.match(r"^-?[\d.]+$", ref):
        v, r = str(value), str(ref)
        return r.startswith(v) or v.startswith(r)
    v, r = float(value), float(ref)
    if v == r:
        return True
    # rounding at the written precision, in the value's own scale
    # ("about 2,450" vs 2448, "nearly 6GHz" vs 5.9, "above $5 billion" vs 5.05)
    d = decimals(nt)
    step = 10.0 ** -d
    if d == 0:
        m = re.search(r"\d[\d,]*", nt)
        digits = m.group().replace(",", "") if m else ""
        step *= 10 ** (len(digits) - len(digits.rstrip("0")))
    return abs(v - r) <= step / 2 + 1e-9


def occurrences(text, s):
    out, i = [], text.find(s)
    while i != -1:
        out.append(i)
        i = text.find(s, i + 1)
    return out


counts = Counter()
per_article = {}
FIELDS = ["number_text", "occurrence", "check_worthy", "entity", "attribute", "value", "unit", "expected", "reference_value", "rationale"]
for gpath in sorted((HERE / "gold").glob("*.json")):
    aid = gpath.stem
    tpath = HERE / "articles" / f"{aid}.txt"
    mpath = HERE / "articles" / f"{aid}.meta.json"
    text = tpath.read_text()
    meta = json.loads(mpath.read_text())
    if set(meta) != {"source_url", "title", "publisher", "published", "notes"}:
        bad(f"{aid}: meta fields {sorted(meta)}")
    if meta["title"] != text.splitlines()[0]:
        bad(f"{aid}: meta title differs from headline")
    gold = json.loads(gpath.read_text())
    c = Counter()
    spans = []
    for g in gold:
        if list(g) != FIELDS:
            bad(f"{aid}: fields {list(g)}")
        occ = occurrences(text, g["number_text"])
        if g["occurrence"] < 1 or g["occurrence"] > len(occ):
            bad(f"{aid}: {g['number_text']!r} occurrence {g['occurrence']} not in text ({len(occ)} found)")
            continue
        p = occ[g["occurrence"] - 1]
        span = (p, p + len(g["number_text"]))
        for s in spans:
            if s[0] < span[1] and span[0] < s[1]:
                bad(f"{aid}: overlapping gold spans at {g['number_text']!r}")
        spans.append(span)
        if g["check_worthy"] != (g["expected"] != "ignore"):
            bad(f"{aid}: check_worthy/expected mismatch for {g['number_text']!r}")
        e = g["expected"]
        c[e] += 1
        if e in ("verified", "conflicting"):
            rows = factmap.get((g["entity"], g["attribute"]))
            if not rows:
                bad(f"{aid}: no fact for {g['entity']!r} / {g['attribute']!r}")
                continue
            vals = [r["value"] for r in rows]
            if str(g["reference_value"]) not in vals and not any(
                    r["unit"] != "date" and float(v) == float(g["reference_value"]) for r, v in zip(rows, vals)):
                bad(f"{aid}: reference_value {g['reference_value']} not among fact values {vals}")
            if g["unit"] != rows[0]["unit"]:
                bad(f"{aid}: unit {g['unit']!r} != fact unit {rows[0]['unit']!r} for {g['number_text']!r}")
            ok = consistent(g["number_text"], g["value"], g["reference_value"])
            if e == "verified" and not ok:
                bad(f"{aid}: verified but {g['value']} vs {g['reference_value']} ({g['number_text']!r})")
            if e == "conflicting" and ok:
                bad(f"{aid}: conflicting but consistent {g['value']} vs {g['reference_value']}")
        else:
            if g["reference_value"] is not None:
                bad(f"{aid}: reference_value set on {e} item {g['number_text']!r}")
            if e == "unverified" and (g["entity"], g["attribute"]) in factmap:
                bad(f"{aid}: unverified item has a fact: {g['entity']} / {g['attribute']}")
        if SHOW:
            ctx = text[max(0, p - 35):p].replace("\n", " ") + "[" + g["number_text"] + "]" + text[span[1]:span[1] + 25].replace("\n", " ")
            print(f"{aid[:14]:14} {e[:5]:5} {str(g['value'])[:12]:>12} {ctx!r}")
    if [s for s in spans] != sorted(spans):
        bad(f"{aid}: gold not in text order")
    counts.update(c)
    per_article[aid] = (len(text.split()), len(gold), dict(c))

# ---- perturbed copies differ only at the changed numbers
for ppath in sorted((HERE / "articles").glob("*-perturbed.txt")):
    orig = ppath.with_name(ppath.name.replace("-perturbed", ""))
    a, b = orig.read_text(), ppath.read_text()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pg = json.loads((HERE / "gold" / (ppath.stem + ".json")).read_text())
    og = json.loads((HERE / "gold" / (orig.stem + ".json")).read_text())
    if len(pg) != len(og):
        bad(f"{ppath.name}: gold length differs from original")
    changed = [(x, y) for x, y in zip(og, pg) if x["number_text"] != y["number_text"]]
    if len(changed) != 4:
        bad(f"{ppath.name}: {len(changed)} changed gold items, expected 4")
    for x, y in changed:
        if y["expected"] != "conflicting" or x["expected"] != "verified":
            bad(f"{ppath.name}: changed item {y['number_text']!r} is {y['expected']} (was {x['expected']})")
    for x, y in zip(og, pg):
        if x["number_text"] == y["number_text"] and (x["expected"], x["value"]) != (y["expected"], y["value"]):
            bad(f"{ppath.name}: unchanged item {x['number_text']!r} has a different verdict")
    # every textual difference must lie inside a changed number
    diffs = [op for op in sm.get_opcodes() if op[0] != "equal"]
    pos_b = []
    for y in [y for _, y in changed]:
        occ = occurrences(b, y["number_text"])
        p = occ[y["occurrence"] - 1]
        pos_b.append((p, p + len(y["number_text"])))
    for tag, i1, i2, j1, j2 in diffs:
        if not any(s <= j1 and j2 <= e for s, e in pos_b):
            bad(f"{ppath.name}: difference outside changed numbers: {a[i1:i2]!r} -> {b[j1:j2]!r}")
    print(f"{ppath.name}: {len(diffs)} edit regions, changes: " + ", ".join(f"{x['number_text']} -> {y['number_text']}" for x, y in changed))

print()
for aid, (words, n, c) in per_article.items():
    print(f"{aid:42} {words:4} words {n:3} gold  {c}")
print("TOTAL", dict(counts), sum(counts.values()))
print("facts:", len(facts), "entities:", len(entities))
print("OK" if not problems else f"{len(problems)} PROBLEMS")
sys.exit(1 if problems else 0)
