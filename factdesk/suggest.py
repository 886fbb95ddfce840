"""A fact to add for an unverified claim, prefilled from the claim: who, what, the value and its unit.

The journalist checks and completes it (the source above all) before it is saved; nothing here is
stored. Attribute names are taken from the database where one fits the sentence, so the reference
keeps one name for one kind of fact.
"""
from __future__ import annotations

import re
from datetime import date

from extractors.lexicon import _CANON, STOPWORDS, concepts, normalize, stem
from extractors.model import Kind

from .evidence import claim_context
from .store import ReferenceStore
from .units import comparable
from .verdicts import Verdict

_SCALE = {1e3: "1K", 1e6: "1M", 1e9: "1B"}
_CHANGE_NAMES = {"change", "growth", "decline", "cut", "increase", "decrease", "uplift", "rise", "drop"}
# verbs that carry a number without saying what it measures ("has 12", "costs $9")
_CARRIERS = {"has", "have", "had", "holds", "hold", "costs", "cost", "gets", "get", "offers", "offer", "comes",
             "come", "runs", "run", "tops", "reaches", "hits", "sits", "stands", "brings", "packs", "gives",
             "scored", "scores", "managed", "posted", "reported", "said", "says", "now", "up", "down",
             # words that point back at something named before ("on the same benchmark")
             "same", "other", "another", "previous", "former", "latter", "new", "own", "lasts", "last"}


def addable(v: Verdict) -> bool:
    """Whether a claim is a value a fact can hold: not a period label ("Q3", "fiscal 2026") or a date
    without its year ("in June")."""
    q = v.claim.quantity
    if q.kind is Kind.DATE:
        text = str(q.value)
        return bool(re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text)) and q.precision in ("year", "month", "day")
    return True


def similar_facts(v: Verdict, record: dict, store: ReferenceStore) -> list:
    """Facts of the same entity already on file with the same value: the fact may be there under
    another name ("release date" for a suggested "API date")."""
    if not record.get("entity") or not record.get("value"):
        return []
    out = []
    for f in store.facts_for(store.canonical_entity(record["entity"])):
        if f.unit.casefold() == record.get("unit", "").casefold() or record.get("unit", "") in ("", f.unit):
            if f.value == record["value"] or _same(f.value, record["value"]):
                out.append(f)
    return out


def _same(a: str, b: str) -> bool:
    try:
        return float(a.replace(",", "")) == float(b.replace(",", ""))
    except ValueError:
        return False


def suggest_fact(v: Verdict, store: ReferenceStore, as_of: str | None = None) -> dict[str, str]:
    """Prefilled fields (FACT_COLUMNS) for a fact that would verify this claim; empty where unknown."""
    claim = v.claim
    q = claim.quantity
    entity = v.entity or (claim.entity.name if claim.entity else "")
    value, unit = _value_and_unit(q)
    attribute = _attribute_on_file(v, store) or _attribute_from_words(v)
    if q.kind is Kind.MONEY and not attribute:
        attribute = "price"
    if q.kind in (Kind.PERCENT, Kind.NUMBER) and attribute and " " not in attribute and \
            any(ch.isupper() or ch.isdigit() for ch in attribute[1:]):
        attribute += " score"        # "84.0 percent on MMMU": a benchmark's score
    if claim.mention.change and attribute and not any(w in attribute.split() for w in _CHANGE_NAMES):
        attribute += " change"       # "cut prices by 50%": a change, not the price
    if q.per is not None and attribute and "per" not in attribute.split():
        counted = f" {q.per.noun}s" if q.per.noun else ""     # "per million": the noun was left unsaid
        attribute += (f" per {q.per.noun}" if q.per.amount == 1 else
                      f" per {_SCALE.get(q.per.amount, _number(q.per.amount))}{counted}")
    return {"entity": entity, "attribute": attribute, "value": value, "unit": unit,
            "as_of": as_of or date.today().isoformat(), "source_url": "", "note": "", "valid_from": "",
            "valid_to": ""}


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _value_and_unit(q) -> tuple[str, str]:
    if q.kind is Kind.DATE:
        return str(q.value), "date"
    if not isinstance(q.value, float):
        return str(q.value), q.unit or ""
    value = _number(q.value)
    step = q.precision if isinstance(q.precision, float) else None
    if step is not None and 0 < step < 1:          # "84.0 percent" keeps the precision it was written at
        value = f"{q.value:.{max(0, round(-__import__('math').log10(step)))}f}"
    if q.kind is Kind.PERCENT:
        return value, "percent"
    if q.kind is Kind.POINTS:
        return value, "percentage points"
    if q.kind is Kind.MULTIPLIER:
        return value, "x"
    if q.kind in (Kind.COUNT, Kind.NUMBER) and not q.unit:
        return value, (q.unit_words[-1] + "s" if q.unit_words and not q.unit_words[-1].endswith("s")
                       else q.unit_words[-1] if q.unit_words else "count")
    return value, q.unit or ""


def _attribute_on_file(v: Verdict, store: ReferenceStore) -> str:
    """The attribute name already used in the database whose words the sentence says best, for a value
    of the same kind and unit ("weight" for "weighs 188 grams")."""
    claim = v.claim
    ctx = claim_context(claim)
    best, best_score = "", 0.0
    seen: set[str] = set()
    for fact in store.all_facts():
        if fact.attribute.casefold() in seen:
            continue
        seen.add(fact.attribute.casefold())
        if comparable(claim.quantity, fact.reading) is None:
            continue
        # the attribute's core ("input price" of "input price per 1M tokens"): every word must be said
        words = [w for w in (*fact.reading.identifiers, *fact.reading.descriptors) if not w.isdigit()] \
            or [w for w in concepts(fact.attribute) if not w.isdigit()]
        if not words:
            continue
        weights = [ctx.get(w, 0.0) for w in words]
        if min(weights) < 0.5:        # every word of the name must be said
            continue
        score = sum(weights) / len(words) + 0.05 * len(words)     # the more specific name wins ties
        if score > best_score:
            best, best_score = fact.attribute, score
    return best


def _attribute_from_words(v: Verdict) -> str:
    """The sentence's own words for what was measured: the strongest content words near the number, as
    their concept where the lexicon has one ("weighs" -> "weight"), leaving out the entity's name, the
    number itself and the verbs that only carry it."""
    claim = v.claim
    q = claim.quantity
    if q.kind in (Kind.COUNT, Kind.NUMBER) and q.unit_words:
        noun = q.unit_words[-1]
        return f"number of {noun}s" if not noun.endswith("s") else f"number of {noun}"
    ctx = claim_context(claim)
    name_words = {normalize(w) for w in re.findall(r"\w+", v.entity or "")}
    rate_words = {normalize(q.per.noun)} if q.per is not None else set()
    own = (claim.start - claim.sentence_start, claim.end - claim.sentence_start)
    picked: dict[str, tuple[float, int]] = {}
    for m in re.finditer(r"[A-Za-z][\w-]*", claim.sentence):
        word = m.group()
        if own[0] <= m.start() < own[1] or word.lower() in _CARRIERS or word.lower() in STOPWORDS:
            continue
        norm = normalize(word)
        if not norm or norm in STOPWORDS or norm in name_words or norm in rate_words:
            continue
        weight = ctx.get(norm, 0.0)
        shown = _CANON.get(stem(word.lower()), word if word.isupper() else word.lower())
        if weight >= 0.85 and shown not in picked:
            picked[shown] = (weight, m.start())
    top = max((w for w, _ in picked.values()), default=0.0)
    strongest = sorted(((w, p) for w, p in picked.items() if p[0] >= top - 0.1), key=lambda kv: (-kv[1][0], kv[1][1]))
    words = " ".join(w for w, _ in sorted(strongest[:3], key=lambda kv: kv[1][1]))
    if q.kind is Kind.DATE and words and not words.endswith("date"):
        words += " date"
    return words
