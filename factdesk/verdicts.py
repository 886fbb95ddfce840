"""Judge a matched claim: verified, conflicting or unverified, with a one-line explanation."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import Sequence

from extractors.model import Claim, Kind, Qualifier

from .facts import Fact
from .matching import Candidate, Match, claim_context
from .units import Comparable, comparable


class VerdictKind(str, Enum):
    VERIFIED = "verified"
    CONFLICTING = "conflicting"
    UNVERIFIED = "unverified"


@dataclass(frozen=True)
class Verdict:
    """The judgement on one claim, the fact behind it and why."""

    claim: Claim
    kind: VerdictKind
    explanation: str
    fact: Fact | None = None
    entity: str | None = None
    others: tuple[Fact, ...] = ()     # other facts considered (other sources, sibling readings)
    evidence: float = 0.0             # how strongly the sentence said the fact's attribute
    disputed: bool = False            # verified, but another source on file gives a different value
    other_time: Fact | None = None    # a version of the fact valid at another time that the figure matches
    displaced_from: int | None = None # the fact another figure of the sentence took from this one


_DATE_ORDER = {"year": 1, "half": 1, "quarter": 2, "month": 2, "day": 3}


def _date_agrees(claim_value: str, precision: str, ref: str) -> bool:
    ref = ref.strip()
    if claim_value.startswith("FY") or ref.startswith("FY"):
        return claim_value == ref
    if "-Q" in claim_value or claim_value.startswith("Q"):
        year, _, quarter = claim_value.rpartition("Q")
        year = year.rstrip("-")
        parts = ref.split("-")
        if year and parts[0] != year:
            return False
        if len(parts) < 2:
            return True
        return (int(parts[1]) - 1) // 3 + 1 == int(quarter)
    if claim_value.startswith("--"):
        parts = ref.split("-")
        said = claim_value[2:].split("-")      # "--05" (last May) or "--10-14" (October 14)
        return len(parts) < 2 or (parts[1] == said[0] and (len(said) < 2 or len(parts) < 3 or parts[2] == said[1]))
    cparts, rparts = claim_value.split("-"), ref.split("-")
    n = min(len(cparts), len(rparts))
    return cparts[:n] == rparts[:n]


def _last_digit_unit(value: float) -> float:
    """The place of a number's last significant digit: 2950 -> 10, 95 -> 1, 8e6 -> 1e6, 5.5e6 -> 1e5."""
    if value == 0:
        return 0.0
    digits = f"{abs(value):.12g}".split("e")[0].replace(".", "").strip("0")
    return 10 ** (math.floor(math.log10(abs(value))) - max(1, len(digits)) + 1)


def agrees(value: Comparable, ref: float | str, qualifier: Qualifier, binary: bool = False) -> bool:
    """Whether a reference value agrees with the claim at the precision and hedge the article used."""
    if isinstance(value.value, str) or isinstance(ref, str):
        if isinstance(value.value, str) and isinstance(ref, str):
            return _date_agrees(value.value, str(value.step), ref)
        return False
    v, step, r = value.value, float(value.step), float(ref)
    tol = step / 2 * (1 + 1e-9) + 1e-12
    if value.high is not None:
        return v - tol <= r <= value.high + tol
    candidates = [v]
    if binary and v >= 1000:
        # "128K tokens" is also 131,072; "1M" is also 1,048,576
        for base, binary_base in ((1e6, 1048576.0), (1e3, 1024.0)):
            if v >= base:
                candidates.append(v / base * binary_base)
                break
    for c in candidates:
        # a hedge allows one unit in the last digit written, at most a tenth: "about 2,950" is 2,940-2,960,
        # "about 8 million" 7.2-8.8 million, and "roughly $949" is not $999
        slack = max(step, min(_last_digit_unit(c), 0.1 * abs(c)))
        if qualifier is Qualifier.APPROX:
            if abs(r - c) <= slack + 1e-9 * abs(c):
                return True
        elif qualifier is Qualifier.NEARLY:
            if c - slack - tol <= r <= c + tol:
                return True
        elif qualifier is Qualifier.AT_LEAST:
            if r >= c - tol:
                return True
        elif qualifier is Qualifier.AT_MOST:
            if r <= c + tol:
                return True
        else:
            # exact, or "up to 240 minutes": a maximum of 200 makes "up to 240" wrong, however true as a bound
            if abs(r - c) <= tol:
                return True
            # truncation: "5.57M" for 5.576M, "$5.5M" for $5.576M
            if c >= 0 and c - 1e-12 <= r < c + step * (1 - 1e-9):
                return True
    return False


_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CNY", "INR", "KRW", "CAD", "AUD", "CHF", "NZD", "HKD"}


def fact_value_text(f: Fact) -> str:
    """A fact's value as people write it: "$2", "54.6%", "1,047,576 tokens"."""
    unit = f.unit or ""
    value = f.value
    money = unit.upper() in _CURRENCIES
    if re.fullmatch(r"\d{5,}(?:\.\d+)?", value) or (money and re.fullmatch(r"\d{4,}(?:\.\d+)?", value)):
        whole, _, frac = value.partition(".")
        value = f"{int(whole):,}" + (f".{frac}" if frac else "")
    if money and re.fullmatch(r"[\d,]+\.\d", value):
        value += "0"        # "$3.0" is written "$3.00"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}.get(unit.upper())
    if symbol:
        return f"{symbol}{value}"
    if unit in ("percent", "%"):
        return f"{value}%"
    if unit == "date":
        return f.value
    return f"{value} {unit}".strip()


def _source(f: Fact) -> str:
    bits = [f.source_url or "no source URL"]
    if f.as_of:
        bits.append(f"as of {f.as_of}")
    return ", ".join(bits)


def _why(c: Candidate) -> str:
    if c.matched:
        words = ", ".join(f"'{w}'" for w in c.matched[:4])
        return f"attribute matched on {words}"
    return "attribute is what the unit measures"


def _range_ends(chosen: Sequence[Candidate]) -> tuple[Candidate, Candidate] | None:
    """The facts a range's low and high ends stand for, when the match holds a pair of numeric siblings."""
    numeric = [c for c in chosen if isinstance(c.fact.reading.value, float) and c.value.high is not None]
    if len(numeric) < 2 or len({c.fact.entity for c in numeric}) > 1:
        return None
    ordered = sorted(numeric, key=lambda c: c.fact.reading.value)
    return ordered[0], ordered[-1]


IMPLAUSIBLE = 5000.0     # more than a slip of scale (thousand/million/billion is 1,000x) apart: not the same quantity


def _magnitude_gap(value: Comparable, ref: float | str) -> float | None:
    """How many times apart a claimed value and a reference are (>= 1), when both are non-zero numbers."""
    v = value.value
    if not isinstance(v, float) or not isinstance(ref, float) or v == 0 or ref == 0 or (v < 0) != (ref < 0):
        return None
    big, small = max(abs(v), abs(ref)), min(abs(v), abs(ref))
    return big / small


def judge(match: Match) -> Verdict:
    """Turn a match into a verdict; when in doubt, unverified."""
    claim = match.claim
    q = claim.quantity
    if not match.chosen:
        explanation = f"No reference: {match.reason}."
        if match.near_miss and match.near_miss.missing:
            nm = match.near_miss
            explanation += (f" Closest fact, '{nm.fact.attribute}' of {nm.fact.entity}, was not used: "
                            f"'{', '.join(nm.missing[:3])}' not in the sentence.")
        return Verdict(claim, VerdictKind.UNVERIFIED, explanation, None,
                       match.entity.name if match.entity else None)
    binary = q.binary_scale
    agreeing = [c for c in match.chosen if agrees(c.value, c.fact.reading.value, q.qualifier, binary)]
    ends = _range_ends(match.chosen) if q.is_range else None
    if ends is not None:
        # "from 2,700K to 6,500K" against a minimum and a maximum: each end against its own fact
        low, high = ends
        v = low.value
        both = agrees(Comparable(v.value, v.step, None), low.fact.reading.value, q.qualifier, binary) and \
            agrees(Comparable(v.high, v.step, None), high.fact.reading.value, q.qualifier, binary)
        agreeing = [low, high] if both else []
    best = match.chosen[0]
    entity = best.entity.name
    how = best.entity.how
    if agreeing:
        c = agreeing[0]
        others = tuple(o.fact for o in match.chosen if o is not c)
        text = (f"Matches {c.fact.entity} {c.fact.attribute} = {fact_value_text(c.fact)} ({_source(c.fact)}); "
                f"entity from {how}, {_why(c)}.")
        disagreeing = [o for o in match.chosen if o not in agreeing and
                       o.fact.attribute.casefold() == c.fact.attribute.casefold()]
        if disagreeing:
            d = disagreeing[0].fact
            text += f" Another source gives {fact_value_text(d)} ({_source(d)})."
        return Verdict(claim, VerdictKind.VERIFIED, text, c.fact, entity, others, c.attribute_score,
                       disputed=bool(disagreeing))
    ratio = _magnitude_gap(best.value, best.fact.reading.value)
    if ratio is not None and ratio > IMPLAUSIBLE:
        # "$499" against revenue of $4,812 million: a slip of scale is a thousandfold; this is another quantity
        return Verdict(claim, VerdictKind.UNVERIFIED,
                       f"Possibly {best.fact.entity} {best.fact.attribute} = {fact_value_text(best.fact)}, but the "
                       f"figure is {ratio:,.0f} times off, so it is another quantity (entity from {how}).",
                       best.fact, entity)
    if not match.confident:
        why = match.held or "the match is too weak to call a conflict"
        return Verdict(claim, VerdictKind.UNVERIFIED,
                       f"Possibly {best.fact.entity} {best.fact.attribute} = {fact_value_text(best.fact)}, but "
                       f"{why} (entity from {how}).", best.fact, entity)
    others = tuple(o.fact for o in match.chosen[1:])
    text = (f"Reference says {best.fact.entity} {best.fact.attribute} = {fact_value_text(best.fact)} "
            f"({_source(best.fact)}); entity from {how}, {_why(best)}.")
    if len(match.chosen) > 1:
        alts = "; ".join(f"{o.fact.attribute} = {fact_value_text(o.fact)}" for o in match.chosen[1:3])
        text += f" Also disagrees with {alts}."
    if q.kind is Kind.DATE:
        text = text.replace("Reference says", "Reference date:")
    return Verdict(claim, VerdictKind.CONFLICTING, text, best.fact, entity, others, best.attribute_score)


def settle_sentences(verdicts: Sequence[Verdict]) -> tuple[Verdict, ...]:
    """One fact, one figure per sentence: of several figures a sentence gives for the same fact, the one
    that agrees (else the one whose words say the fact best) keeps it; a different figure beside it is
    another quantity ("launched at $999 but now sells for $949", "$1.44, versus the $1.38 consensus")."""
    out = list(verdicts)
    groups: dict[tuple[int, int], list[int]] = {}
    for i, v in enumerate(out):
        if v.fact is not None and v.kind is not VerdictKind.UNVERIFIED:
            groups.setdefault((v.claim.sentence_start, v.fact.id), []).append(i)
    for (_, _), members in groups.items():
        if len(members) < 2:
            continue
        keep = max(members, key=lambda i: (out[i].kind is VerdictKind.VERIFIED, out[i].evidence, -i))
        kept = out[keep]
        for i in members:
            v = out[i]
            if i == keep or v.kind is not VerdictKind.CONFLICTING:
                continue
            if kept.kind is VerdictKind.VERIFIED and v.other_time is not None:
                # "$2.95 ($4.20)", "cut from $4.20 to $2.95": the sentence gives the value then and now
                f = v.other_time
                out[i] = replace(v, kind=VerdictKind.VERIFIED, fact=f, others=v.others + (kept.fact,), explanation=(
                    f"Matches {f.entity} {f.attribute} {_period_of(f)} = {fact_value_text(f)} ({_source(f)}); the "
                    f"sentence gives both this value and {kept.claim.text!r}, the one in force at the article's date."))
                continue
            out[i] = replace(v, kind=VerdictKind.UNVERIFIED, displaced_from=kept.fact.id, explanation=(
                f"No reference: the sentence gives {kept.claim.text!r} for {kept.fact.entity} "
                f"{kept.fact.attribute}, so this figure is another quantity, with no fact on file."))
    return tuple(out)


_CONVERTED = re.compile(r"\s*\(\s*(?:about\s+|roughly\s+|around\s+|or\s+|~)?$")


def restate_conversions(verdicts: Sequence[Verdict]) -> tuple[Verdict, ...]:
    """"140 km (87 mi)": a figure in parentheses right after another, in another unit of the same kind,
    restates it; it is judged against the fact its host was matched to, as confidently as its host was."""
    out = list(verdicts)
    for i in range(1, len(out)):
        host, v = out[i - 1], out[i]
        hq, q = host.claim.quantity, v.claim.quantity
        if host.fact is None or host.kind is VerdictKind.UNVERIFIED or not hq.unit or not q.unit or \
                hq.unit == q.unit or host.claim.sentence_start != v.claim.sentence_start:
            continue
        between = v.claim.sentence[host.claim.end - v.claim.sentence_start:v.claim.start - v.claim.sentence_start]
        if not _CONVERTED.fullmatch(between):
            continue
        value = comparable(q, host.fact.reading, claim_context(v.claim))
        ref = host.fact.reading.value
        if value is None or not isinstance(value.value, float) or not isinstance(ref, float) or \
                abs(value.value - ref) > 0.2 * abs(ref):
            # not the same kind of quantity, or far from it: a label ("1.32-inch (42 mm)" is the 42 mm
            # model's screen), not a conversion
            continue
        f = host.fact
        if agrees(value, f.reading.value, q.qualifier, q.binary_scale):
            out[i] = replace(v, kind=VerdictKind.VERIFIED, fact=f, entity=host.entity, evidence=host.evidence,
                             explanation=f"Matches {f.entity} {f.attribute} = {fact_value_text(f)} ({_source(f)}), "
                                         f"converted: it restates {host.claim.text!r}.")
        else:
            out[i] = replace(v, kind=VerdictKind.CONFLICTING, fact=f, entity=host.entity, evidence=host.evidence,
                             explanation=f"Reference says {f.entity} {f.attribute} = {fact_value_text(f)} "
                                         f"({_source(f)}); this restates {host.claim.text!r} in other units, "
                                         f"and the conversion does not agree with it.")
    return tuple(out)


def _period_of(f: Fact) -> str:
    if f.valid_from and f.valid_to:
        return f"from {f.valid_from} until {f.valid_to}"
    return f"from {f.valid_from}" if f.valid_from else f"until {f.valid_to}" if f.valid_to else ""


def note_superseded(v: Verdict, facts: Sequence[Fact], day: str, said_dates: set[str] = frozenset()) -> Verdict:
    """A conflict with a value that applied earlier (or later) says so: "matches the price until ...".

    `facts` are all the entity's facts, `day` the date the article is read at; only facts for the same
    attribute that were not valid on `day` are considered.
    """
    if v.fact is None or v.kind is VerdictKind.VERIFIED:
        return v
    # a weak match ("Possibly ...") may still be the value the sentence puts at another time: "goes from
    # $15.49 to $17.49" gives the new price, which no current fact holds
    weak = v.kind is VerdictKind.UNVERIFIED
    q = v.claim.quantity
    ctx = claim_context(v.claim)
    attribute = v.fact.attribute.casefold()
    for f in facts:
        if f.attribute.casefold() != attribute or f.valid_on(day) or f.entity != v.fact.entity:
            continue
        value = comparable(q, f.reading, ctx)
        if value is not None and agrees(value, f.reading.value, q.qualifier, q.binary_scale):
            past = bool(f.valid_to and f.valid_to <= day)
            future = bool(f.valid_from and f.valid_from > day)
            when = f"until {f.valid_to}" if past else f"from {f.valid_from}" if future else "at another time"
            # "from April 1" in the article: the value that takes effect then is the article's news
            announced = future and (f.valid_from in said_dates or f"--{f.valid_from[5:]}" in said_dates)
            if (past and v.claim.tense == "past") or (future and (v.claim.tense == "future" or announced)):
                # "goes to $17.49 on June 1", "(from $15.49)": the sentence itself puts the figure then
                text = (f"Matches {f.entity} {f.attribute} {when} = {fact_value_text(f)} ({_source(f)}), the "
                        f"time the sentence gives it; on {day} the value is {fact_value_text(v.fact)}.")
                return replace(v, kind=VerdictKind.VERIFIED, explanation=text, fact=f, others=v.others + (v.fact,))
            if weak:
                return v
            note = (f" It matches the {f.attribute} {when} ({fact_value_text(f)}); the value on {day} is "
                    f"{fact_value_text(v.fact)}.")
            return replace(v, explanation=v.explanation + note, others=v.others + (f,), other_time=f)
    return v
