"""Judge a claim from its ranked candidate facts: verified, conflicting or unverified, with why.

The value is evidence too: a figure that agrees with a candidate makes that candidate more probable, the
more so the rarer such a value is among the database's facts of its kind (`Vocabulary.coincidence`).
A figure is verified when a candidate it agrees with is probable enough after that; conflicting only when
one candidate is clearly the fact meant without looking at the value, no plausible candidate agrees, and the
value disagrees; otherwise unverified. The thresholds are the `Policy` of the strictness asked for.
"""
from __future__ import annotations

import math
import re
from datetime import date
from dataclasses import dataclass, replace
from enum import Enum
from typing import Sequence

from extractors.lexicon import versioned
from extractors.model import Claim, EntityRef, Kind

from .evidence import Candidate, Vocabulary, unended
from .registries import accuses
from .facts import Fact
from .matching import Match, kind_words, not_on_file
from .units import Comparable, agreement_span, bound_holds, comparable, states
from .weights import Policy, Weights


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
    evidence: float = 0.0             # how probable the fact used is, the value unseen
    disputed: bool = False            # verified, but another source on file gives a different value
    other_time: Fact | None = None    # a version of the fact valid at another time that the figure matches
    displaced_from: int | None = None # the fact another figure of the sentence took from this one
    confidence: float = 0.0           # how sure the verdict is (see `judge`)
    candidates: tuple[tuple[Fact, float], ...] = ()   # the top candidate facts and their probabilities
    check_worthy: bool = True         # False: shown greyed as "not a claim"
    entity_on_file: bool = True       # False: the entity is a name the text gives that the database does not know


def coincidence(vocab: Vocabulary, c: Candidate, q) -> float:
    """How often a figure like this one would agree with a fact of this kind by chance: the smoothed share of
    the database's values of the fact's dimension it agrees with (a bare "2" agrees with many; 1,047,576
    tokens with one)."""
    key = (c.fact.reading.dimension, c.value, q.qualifier, q.binary_scale, q.kind)
    rate = vocab.coincidences.get(key)
    if rate is None:
        dim = c.fact.reading.dimension
        values = vocab.values.get(dim, [])
        v = c.value
        near = vocab.near(dim, *agreement_span(v, q.qualifier, q.binary_scale)) if isinstance(v.value, float) \
            else values
        hits = sum(states(q, v, r) for r in near)
        rate = vocab.coincidences[key] = (hits + 0.5) / (len(values) + 1.0)
    return rate


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
    if f.origin:
        bits.append(f"per the {f.origin}")
    return ", ".join(bits)


_GROUPS = (("ent_", "the entity link"), ("how_", "the entity link"), ("w_", "the attribute's words"),
           ("u_", "the unit"), ("k_", "the kind of figure"), ("p_", "the period"), ("c_", "change or level"),
           ("x_", "what the sentence makes the figure"))


def _separated(weights: Weights, a: Candidate, b: Candidate) -> str:
    """What set candidate `a` ahead of `b`, in words: the feature groups that gave it most log-odds."""
    diff: dict[str, float] = {}
    ca, cb = weights.contributions(a.features), weights.contributions(b.features)
    for name in set(ca) | set(cb):
        group = next((g for prefix, g in _GROUPS if name.startswith(prefix)), None)
        if group:
            diff[group] = diff.get(group, 0.0) + ca.get(name, 0.0) - cb.get(name, 0.0)
    top = [g for g, d in sorted(diff.items(), key=lambda kv: -kv[1]) if d > 0.25][:2]
    return " and ".join(top) if top else "little"


def _said(c: Candidate, claim: Claim) -> str:
    r = c.fact.reading
    said = [w for w in (*r.identifiers, *r.descriptors) if any(cw.norm == w and cw.weight >= 0.5 for cw in claim.context)]
    return f"words said: {', '.join(repr(w) for w in said[:4])}" if said else "no attribute word said"


def _runner_up(weights: Weights, ranked, chosen: Candidate) -> str:
    other = next(((c, p) for c, p in ranked if c is not chosen), None)
    if other is None:
        return "no other candidate"
    c, p = other
    if c.phantom:
        return (f"runner-up {c.entity.name} (not on file) ({p:.2f}), set apart by "
                f"{_separated(weights, chosen, c)}")
    return (f"runner-up {c.fact.entity} {c.fact.attribute} = {fact_value_text(c.fact)} ({p:.2f}), "
            f"set apart by {_separated(weights, chosen, c)}")


IMPLAUSIBLE = 5000.0     # more than a slip of scale (thousand/million/billion is 1,000x) apart: not the same quantity


def _magnitude_gap(value: Comparable, ref: float | str) -> float | None:
    """How many times apart a claimed value and a reference are (>= 1), when both are non-zero numbers."""
    v = value.value
    if not isinstance(v, float) or not isinstance(ref, float) or v == 0 or ref == 0 or (v < 0) != (ref < 0):
        return None
    return max(abs(v), abs(ref)) / min(abs(v), abs(ref))


UNKNOWN_SCOPE = 0.6     # an entity not on file linked this firmly (its clause, row, heading) owns the figure
_OWNING_LINKS = ("subject of the clause", "possessive", "line heading", "table row", "table column", "list lead-in",
                 "the name right before it", "the thing measured", "after the number", "the name the figure qualifies")


def _when(f: Fact, day: str) -> str:
    if unended(f, day):
        return f"for a period that had not ended on {day}"
    return f"until {f.valid_to}" if f.valid_to and f.valid_to <= day else f"from {f.valid_from}"


@dataclass(frozen=True)
class Weighing:
    """What a verdict is decided on: the candidates the figure agrees with (with their value-free probability
    and their probability once the value is counted), and the groups of readings of one thing (one entity's
    attribute in one period, whatever the setting or source), most probable first."""

    agreeing: tuple[tuple[Candidate, float, float], ...]      # (candidate, p, posterior), best posterior first
    then: tuple[Candidate, ...]                               # agree, at a time the sentence does not give
    groups: tuple[tuple[float, bool, Candidate], ...]    # (probability, a member agrees or bounds, best member)
    blocked: str = ""                                         # why the best group cannot be contradicted
    outdated: tuple[tuple[Candidate, Candidate, float], ...] = ()   # (old value it states, value now, posterior)
    disagreeing: tuple[tuple[Candidate, float], ...] = ()    # candidates the figure does not agree with, and p

    @property
    def rival(self) -> float:
        """The most probable group the figure agrees with nowhere."""
        return max((g for g, agree, _ in self.groups if not agree), default=0.0)

    @property
    def primary_agrees(self) -> bool:
        """Whether a primary source on file (not a registry's row) states the figure."""
        return any(not c.fact.origin for c, _, _ in self.agreeing)

    def primary_contradicts(self, least: float) -> dict[tuple, Candidate]:
        """Per group of readings, a primary fact at least `least` probable that the figure disagrees with: a
        registry's row of that group confirms nothing."""
        out: dict[tuple, Candidate] = {}
        for c, p in self.disagreeing:
            if not c.fact.origin and p >= least:
                out.setdefault(_group_key(c), c)
        return out


def _group_key(c: Candidate) -> tuple:
    r = c.fact.reading
    return (c.entity.name if c.phantom else c.fact.entity, frozenset(r.identifiers + r.descriptors), r.periods,
            bool(c.feature("t_other_time")))


def weigh(match: Match, vocab: Vocabulary) -> Weighing:
    """Count the value as evidence: which candidates the figure agrees with, and how probable each then is."""
    q, ranked = match.claim.quantity, match.ranked
    # an amount something rose or fell by ("its clock rose by 3.1 GHz") is not the level a fact gives, whatever
    # the digits: agreement with one is a coincidence
    by_amount = q.kind in (Kind.MONEY, Kind.QUANTITY, Kind.COUNT, Kind.NUMBER)
    agreeing = [(c, p) for c, p in ranked if c.agrees and not (by_amount and c.feature("c_claim_only"))]
    then = tuple(c for c, _ in agreeing if c.feature("t_other_time") and not c.feature("t_time_said"))
    rows = sorted(((c, p, p / (p + (1 - p) * coincidence(vocab, c, q))) for c, p in agreeing if c not in then),
                  key=lambda row: -row[2])
    agreed = {id(c) for c, _ in agreeing}
    # a phantom (a name not on file in a fact's place) only competes for the figure: it never agrees, holds a
    # bound, dates a value or disagrees
    real = [(c, p) for c, p in ranked if not c.phantom]
    # a bound a value satisfies from afar confirms nothing, nor does it contradict
    held = {id(c) for c, _ in real if not c.agrees and bound_holds(q, c.value, c.fact.reading)}
    groups: dict[tuple, list] = {}
    for c, p in ranked:
        groups.setdefault(_group_key(c), []).append((c, p))
    summary = []
    for members in groups.values():
        miss = 1.0
        for _, p in members:
            miss *= 1.0 - p
        summary.append((1.0 - miss, any(id(c) in agreed or id(c) in held for c, _ in members), members[0][0]))
    summary.sort(key=lambda row: -row[0])
    # the figure states a value the fact had at another time: as good a sign as any that the fact is meant,
    # and that the figure is out of date ("$2 per million input tokens" after a cut to $1.50)
    outdated = []
    for old in then:
        now = next((c for c, _ in real if not c.feature("t_other_time") and c.fact.entity == old.fact.entity
                    and c.fact.attribute.casefold() == old.fact.attribute.casefold()), None)
        if now is not None:
            p = next(p for c, p in ranked if c is old) + next(p for c, p in ranked if c is now)
            outdated.append((old, now, p / (p + (1 - p) * coincidence(vocab, old, q))))
    outdated.sort(key=lambda row: -row[2])
    blocked = ""
    if summary:
        best = summary[0][2]
        ratio = _magnitude_gap(best.value, best.fact.reading.value)
        if best.phantom:
            blocked = f"the sentence puts the figure on {not_on_file(best.entity.name)}"
        elif ratio is not None and ratio > IMPLAUSIBLE:
            blocked = f"the figure is {ratio:,.0f} times off, so it is another quantity"
        elif best.feature("t_other_time"):
            blocked = f"that value applies {_when(best.fact, match.scope.day)}"
    disagreeing = tuple((c, p) for c, p in real if id(c) not in agreed and id(c) not in held
                        and not c.feature("t_other_time"))
    return Weighing(tuple(rows), then, tuple(summary), blocked, tuple(outdated), disagreeing)


CONFLICT_FEATURES = ("bias", "group_logit", "group_lead", "distance", "distance_sq", "within_3pct",
                     "within_10pct", "within_30pct", "within_2x", "agree_p", "is_date", "id_said", "entity_here",
                     "setting_said")


def _distance(c: Candidate) -> float:
    """How far the figure lies from the fact's value: |log ratio| for amounts, log months apart for dates."""
    v, r = c.value.value, c.fact.reading.value
    if isinstance(v, float) and isinstance(r, float):
        if v > 0 and r > 0:
            return min(5.0, abs(math.log(v / r)))
        return min(5.0, abs(v - r) / max(abs(r), 1.0))
    v, r = str(v), str(r)
    if v.startswith("--") and len(r) >= 4:
        v = r[:4] + v[1:]       # "April 28" is read in the reference's year
    try:
        a, b = (date.fromisoformat((x + "-01-01")[:10] if len(x) == 4 else (x + "-01")[:10]) for x in (v, r))
        return min(5.0, math.log1p(abs((a - b).days) / 30.0))
    except ValueError:
        return 5.0


def conflict_features(w: Weighing) -> tuple[float, ...]:
    """What says the figure states its best group wrongly rather than something not on file: how clearly the
    group is meant (value unseen), and how near the value lies (errors sit near the truth; other quantities
    anywhere)."""
    g1, _, best = w.groups[0]
    g2 = w.groups[1][0] if len(w.groups) > 1 else 0.0
    d = _distance(best)
    clipped = min(max(g1, 1e-4), 1 - 1e-4)
    x = {"bias": 1.0, "group_logit": math.log(clipped / (1 - clipped)), "group_lead": g1 - g2, "distance": d,
         "distance_sq": d * d, "within_3pct": d < 0.03, "within_10pct": d < 0.1, "within_30pct": d < 0.3,
         "within_2x": d < 0.7, "agree_p": max((p for _, p, _ in w.agreeing), default=0.0),
         "is_date": isinstance(best.value.value, str),
         # a figure put beside the fact's own name ("scored 86.1 percent on MultiChallenge") by the entity's own
         # sentence is meant as that fact however far off it is; one reached by inference is not
         "id_said": best.feature("w_id_cover"), "entity_here": best.feature("ent_local"),
         # a fact measured under a setting or snapshot the sentence does not say ("MMLU (5-shot)", "(simple-evals,
         # 2024-08-06)") may differ from the figure for that reason alone
         "setting_said": best.feature("w_qualifier") if best.fact.reading.qualifiers else 1.0}
    return tuple(float(x[k]) for k in CONFLICT_FEATURES)


def _coarser(c: Candidate) -> bool:
    """A reference less precise than the figure ("2024" for "July 2024"): consistent with it, no confirmation."""
    v, r = c.value.value, c.fact.reading.value
    if not (isinstance(v, str) and isinstance(r, str)) or v.startswith(("FY", "Q")) or "-Q" in v:
        return False
    said = len([p for p in v.split("-") if p])
    return len(r.strip().split("-")) < said


def decide(w: Weighing, policy: Policy, weights: Weights) -> tuple[VerdictKind, Candidate | None, float]:
    """The verdict, the fact it rests on, and its probability.

    Verified: the most probable agreeing candidate (value counted) is probable enough, was plausible before
    the value was counted, and no group of readings the figure disagrees with all through is `override` times as
    probable or more.
    Conflicting: the figure agrees with none of the readings of its most probable group, no plausible candidate
    anywhere agrees, and either the fitted conflict model, which weighs how clearly that group is meant against
    how near the value lies, says an error is probable enough, or the group is all but certainly the one meant.
    """
    # a registry's row does not confirm what a primary source of the same fact on file contradicts
    primary_says = w.primary_contradicts(policy.least)
    usable = [(c, p, post) for c, p, post in w.agreeing if p >= policy.least and not _coarser(c)
              and not (c.fact.origin and _group_key(c) in primary_says)]
    # a primary source that agrees is the one to cite when it is as good as a registry's row
    usable.sort(key=lambda row: (row[2] < policy.verify, bool(row[0].fact.origin)))
    if usable:
        c, p, post = usable[0]
        if post >= policy.verify and w.rival < policy.override * p:
            return VerdictKind.VERIFIED, c, post
    if w.outdated and w.outdated[0][2] >= policy.verify and not w.agreeing:
        return VerdictKind.CONFLICTING, w.outdated[0][1], w.outdated[0][2]
    if w.groups and not w.blocked:
        g1, agree1, best = w.groups[0]
        p_agree = max((p for _, p, _ in w.agreeing), default=0.0)
        # a registry's row never accuses a figure that a primary source on file states, and a compilation's
        # (a leaderboard's, a wiki's) never accuses at all: it measured or copied, the maker did not say
        outvoted = bool(best.fact.origin) and w.primary_agrees
        if not agree1 and p_agree < policy.plausible and not outvoted and accuses(best.fact.origin):
            error = weights.error(conflict_features(w))
            if error >= policy.conflict or g1 >= policy.sure:
                return VerdictKind.CONFLICTING, best, max(error, g1 if g1 >= policy.sure else 0.0)
    return VerdictKind.UNVERIFIED, None, 0.0


def judge(match: Match, policy: Policy, vocab: Vocabulary, weights: Weights) -> Verdict:
    """Turn ranked candidates into a verdict with its explanation; when in doubt, unverified.

    `confidence` is the probability behind the verdict: the posterior of the fact verified (the value
    counted), the value-free probability of the group of readings contradicted, or for unverified, that no
    candidate is meant. A value that applied only at another time than the article's verifies a figure only
    when the sentence puts the figure then ("goes to $17.49 on June 1"); otherwise the explanation names it.
    """
    claim, q, day = match.claim, match.claim.quantity, match.scope.day
    # the facts behind the verdict and its alternatives: a phantom is a name's claim to the figure, not a fact
    real = [(c, p) for c, p in match.ranked if not c.phantom]
    top = tuple((c.fact, round(p, 3)) for c, p in real[:3])
    named = claim.entities[0] if claim.entities else None
    rival_name = any(e.known and e.local and e.weight >= UNKNOWN_SCOPE for e in claim.entities[1:])
    firm = named is not None and named.weight >= UNKNOWN_SCOPE and not rival_name
    # a name not on file holds the figure as firmly as a known one would: a product's name, with its model
    # number or version, says its neighbours' facts are not its own ("Orca 3 Mini costs $0.15" with only
    # Orca 3 on file). A name without one may be a label the recogniser took for a name (a table's "YOY"
    # column): whether its neighbours' facts still say something is the fitted ranking's call, and when they
    # do not, the figure is the name's own, unverified. So for a name on file with nothing of this kind
    # ("Claude 3.5 Sonnet charges $15 per million output tokens" with no price on file for it)
    own = None          # why an unverified figure is the sentence's own name's
    if firm and not named.known and any(how in named.how for how in _OWNING_LINKS):
        own = f"about {not_on_file(named.name)}"
        if not match.ranked or versioned(named.name):
            return _own_name(claim, named, own, top)
    elif firm and named.known and named.local and match.ranked \
            and not any(c.fact.entity == named.name or named.name in c.entity.how for c, _ in match.ranked):
        own = f"no {kind_words(q)} on file for {named.name}"
    if not match.ranked:
        return Verdict(claim, VerdictKind.UNVERIFIED, f"No reference: {match.reason}.", None,
                       match.entity.name if match.entity else None, confidence=1.0)
    ranked = match.ranked
    best, p_best = ranked[0]
    w = weigh(match, vocab)
    kind, chosen, certainty = decide(w, policy, weights)
    if kind is VerdictKind.UNVERIFIED and own:
        return _own_name(claim, named, own, top)
    if kind is VerdictKind.UNVERIFIED and best.phantom:
        return _own_name(claim, best.entity, f"about {not_on_file(best.entity.name)}", top)
    if kind is VerdictKind.VERIFIED:
        c, p, post = next(row for row in w.agreeing if row[0] is chosen)
        f = c.fact
        agreed = {id(a) for a, _, _ in w.agreeing}
        disagreeing = [o for o, _ in real if o.fact.attribute.casefold() == f.attribute.casefold()
                       and o.fact.entity == f.entity and not o.feature("t_other_time") and id(o) not in agreed]
        when = f" {_when(f, day)}" if c.feature("t_other_time") else ""
        text = (f"Matches {f.entity} {f.attribute}{when} = {fact_value_text(f)} ({_source(f)}); "
                f"confidence {post:.2f}: entity from {c.entity.how}, {_said(c, claim)}; "
                f"{_runner_up(weights, ranked, c)}.")
        if f.origin and not w.primary_agrees:
            text += f" Only the {f.origin} is on file for this value, not the maker's own page."
        if when:
            text += " The sentence puts the figure at that time."
        elif disagreeing:
            text += f" Another source gives {fact_value_text(disagreeing[0].fact)} ({_source(disagreeing[0].fact)})."
        return Verdict(claim, VerdictKind.VERIFIED, text, f, c.entity.name,
                       tuple(o.fact for o, _ in real[:3] if o is not c), p,
                       disputed=bool(disagreeing), confidence=round(post, 3), candidates=top)
    if kind is VerdictKind.CONFLICTING:
        earlier = next((c.fact for c in w.then if c.fact.entity == chosen.fact.entity
                        and c.fact.attribute.casefold() == chosen.fact.attribute.casefold()), None)
        g1 = certainty
        text = (f"Reference says {chosen.fact.entity} {chosen.fact.attribute} = {fact_value_text(chosen.fact)} "
                f"({_source(chosen.fact)}); confidence {g1:.2f} that this is the fact meant and misstated: entity from "
                f"{chosen.entity.how}, {_said(chosen, claim)}; {_runner_up(weights, ranked, chosen)}.")
        if q.kind is Kind.DATE:
            text = text.replace("Reference says", "Reference date:")
        if earlier is not None:
            text += (f" It matches the {earlier.attribute} {_when(earlier, day)} ({fact_value_text(earlier)}); the "
                     f"value on {day} is {fact_value_text(chosen.fact)}.")
        return Verdict(claim, VerdictKind.CONFLICTING, text, chosen.fact, chosen.entity.name,
                       tuple(o.fact for o, _ in real[:3] if o is not chosen), g1, other_time=earlier,
                       confidence=round(g1, 3), candidates=top)
    if w.then and not w.agreeing:
        f = w.then[0].fact
        why = (f"{fact_value_text(f)} is the value {_when(f, day)}; on {day} "
               + (f"the value is {fact_value_text(best.fact)}" if not best.feature("t_other_time")
                  else "nothing for it is on file") + ", and the article does not say when this figure applies")
    elif w.blocked:
        why = w.blocked
    elif best.fact.origin and w.primary_agrees:
        why = f"a primary source on file agrees with the figure, and only the {best.fact.origin} differs"
    elif best.fact.origin and not accuses(best.fact.origin) and not any(
            p >= policy.plausible for _, p, _ in w.agreeing):
        why = f"only the {best.fact.origin} is on file for it, which confirms figures but does not overrule them"
    elif (contra := next((o for key, o in w.primary_contradicts(policy.least).items() if any(
            c.fact.origin and _group_key(c) == key for c, _, _ in w.agreeing)), None)):
        why = (f"a registry agrees, but the primary source on file gives {fact_value_text(contra.fact)} "
               f"({_source(contra.fact)})")
    elif any(_coarser(c) for c, _, _ in w.agreeing):
        c = next(c for c, _, _ in w.agreeing if _coarser(c))
        why = f"the reference on file, {fact_value_text(c.fact)}, is less precise than the figure"
    elif any(p >= policy.plausible for _, p, _ in w.agreeing):
        c, p = next((c, p) for c, p, _ in w.agreeing if p >= policy.plausible)
        why = (f"the figure agrees with {c.fact.entity} {c.fact.attribute} = {fact_value_text(c.fact)}, which may "
               f"be the fact meant ({p:.2f})")
    elif w.agreeing:
        c, p, _ = w.agreeing[0]
        why = (f"the figure agrees only with {c.fact.entity} {c.fact.attribute} = {fact_value_text(c.fact)} "
               f"({p:.2f}), which nothing else says is the fact meant")
    elif not best.agrees and bound_holds(q, best.value, best.fact.reading):
        why = f"{claim.text!r} is true of it without stating it (a bound confirms only a value near it)"
    else:
        why = f"the match is too weak to call a conflict (probability {p_best:.2f} that it is the fact meant)"
    return Verdict(claim, VerdictKind.UNVERIFIED,
                   f"Possibly {best.fact.entity} {best.fact.attribute} = {fact_value_text(best.fact)}, but {why} "
                   f"(entity from {best.entity.how}).", best.fact, best.entity.name, evidence=p_best,
                   other_time=w.then[0].fact if w.then else None, confidence=round(1 - p_best, 3), candidates=top)


def _own_name(claim: Claim, named: EntityRef, why: str, top) -> Verdict:
    """Unverified: the figure is the sentence's own name's, and nothing on file checks it."""
    return Verdict(claim, VerdictKind.UNVERIFIED, f"No reference: {why} (entity from {named.how}).", None, named.name,
                   confidence=1.0, candidates=top, entity_on_file=named.known)


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
        value = comparable(q, host.fact.reading)
        ref = host.fact.reading.value
        if value is None or not isinstance(value.value, float) or not isinstance(ref, float) or \
                abs(value.value - ref) > 0.2 * abs(ref):
            # not the same kind of quantity, or far from it: a label ("1.32-inch (42 mm)" is the 42 mm
            # model's screen), not a conversion
            continue
        f = host.fact
        if states(q, value, f.reading):
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
