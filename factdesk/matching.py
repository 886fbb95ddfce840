"""Match a claim to the reference facts it is about: the entity, then the attribute, then the unit.

No rule here names an entity, attribute or benchmark. Evidence is what a careful reader uses: the
entity the sentence attaches to the number, the words near it (normalised), the number's unit and kind,
periods mentioned nearby, and which words set one fact apart from its siblings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from extractors.lexicon import CLASS_NOUNS, UNIT_IMPLIES, normalize
from extractors.model import Claim, EntityRef, Kind, Qualifier
from extractors.periods import CURRENT_QUARTER, period_kind
from extractors.quantities import EVERY_NOUN

from .facts import Fact, FactReading
from .units import Comparable, comparable

ACCEPT = 0.45          # below this the attribute is not established: unverified
CONFLICT = 0.55        # a disagreement needs at least this much attribute evidence
EXPLICIT = 0.85        # an entity attached this strongly decides which facts may be used
TIE = 0.08             # candidates this close to the best are equally plausible readings
UNMARKED = 0.6         # a fact whose attribute is all said by its unit ("total parameters" for "671B parameters")
IDENTIFIER_MIN = 0.12  # a name-like attribute word must appear at least this close
RELATED = 0.7          # weight kept when an entity stands in for a related one named in the sentence
SHARED = 0.2           # weight of a descriptor every comparable fact shares, against 1 for a distinctive one
WEAK = 0.25            # a descriptor word weighted below this is not evidence
STRONG_VARIANT = 0.85  # a variant word ("output") this close to the figure says which variant it is


_PAID_FOR = re.compile(r"\b(?:for|at|costs?|cost of|priced at|sells? for)\s+(?:just|only|less than|more than|under|"
                       r"over|about|around|roughly|nearly|almost|some|up to|as little as|as much as)?\s*$")


@dataclass(frozen=True)
class Candidate:
    """A fact considered for a claim, with the evidence for and against it."""

    fact: Fact
    entity: EntityRef
    attribute_score: float
    score: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    value: Comparable


@dataclass(frozen=True)
class Match:
    """The facts a claim is judged against (several when equally plausible), or why there are none."""

    claim: Claim
    chosen: tuple[Candidate, ...]
    entity: EntityRef | None
    reason: str = ""             # why nothing was chosen
    near_miss: Candidate | None = None  # best rejected candidate, for the explanation
    unsaid_variant: str = ""     # a word the sentence gives that tells such facts apart, which the fact lacks
    held: str = ""               # why a disagreement is no conflict ("... may be a configuration not on file")

    @property
    def confident(self) -> bool:
        if not self.chosen or self.unsaid_variant or self.held:
            return False
        best = self.chosen[0]
        return best.attribute_score >= CONFLICT and best.entity.weight >= 0.55


def claim_context(claim: Claim) -> dict[str, float]:
    """The claim's context words with weights, plus what its unit, hedges and periods imply."""
    ctx = {w.norm: w.weight for w in claim.context}
    q = claim.quantity

    def put(word: str, w: float) -> None:
        if w > ctx.get(word, 0.0):
            ctx[word] = w

    for word in UNIT_IMPLIES.get(q.unit or "", ()):
        put(normalize(word), 0.8)
    if q.qualifier in (Qualifier.AT_MOST, Qualifier.UP_TO):
        put("maximum", 0.9)
    if q.kind is Kind.MONEY:
        if _paid_for(claim):
            put("price", 0.8)
    for p in claim.periods:
        put(p, 0.9)
    if q.kind is Kind.MONEY and q.per is not None and q.per.noun == "share":
        put("ep", 0.6)                       # an amount per share is earnings per share, unless said otherwise
    if claim.mention.change and "uplift" in ctx:
        put("performance", ctx["uplift"])    # "35% faster": a change in performance
    if claim.mention.change:
        # "up 14%", "fell 4%": a change, and which way it went
        before = claim.sentence[:max(0, claim.start - claim.sentence_start)][-14:].lower()
        direction = "decline" if re.search(r"\bdown\b", before) else "growth" if re.search(r"\bup\b", before) else None
        if direction:
            put(direction, 0.9)
        put("chang", max(0.8, ctx.get("growth", 0.0), ctx.get("decline", 0.0)))
        if (claim.periods or claim.inherited_periods) and "qoq" not in ctx:
            # reported results that rose "6%" with no base named rose from a year earlier
            put("yoy", 0.7)
    return ctx


_SHARE_OF = re.compile(r"\s*of\s+(?:the\s+|its\s+|their\s+|total\s+|all\s+)*[a-z]", re.IGNORECASE)


def _share_of(claim: Claim) -> bool:
    """"47 percent of sales", "10% of revenue": a part of a whole."""
    offset = claim.end - claim.sentence_start
    return bool(_SHARE_OF.match(claim.sentence, offset))


# "operating income came in at $611 million", "tops out at 2,500 nits": a level reached, not a price paid
_LEVEL_AT = re.compile(r"\b(?:came|come|comes|coming) in at\s+\S*$|\b(?:stood|stands|closed|ended|finished|landed|"
                       r"settled|peaked|tops? out|topped out|bottomed out|held|remained|was|were|is)\s+at\s+\S*$")
_NAME_LINE = re.compile(r"^[\s\-•*·]*[^\s:.;,][^:.;,]{0,60}:\s*(?:from\s+)?$")


def _paid_for(claim: Claim) -> bool:
    """"for $5.5M", "at $60", "costs $2": an amount paid, which is a price or a cost; so is the only amount
    on a line that names a product ("Glide Pro: $799")."""
    if claim.quantity.kind is not Kind.MONEY:
        return False
    offset = max(0, claim.start - claim.sentence_start)
    before = claim.sentence[:offset]
    if _PAID_FOR.search(before[-40:].lower()) and not _LEVEL_AT.search(before[-40:].lower()):
        return True
    rest = claim.sentence[offset + len(claim.text):]
    return any(e.how == "line heading" for e in claim.entities) and bool(_NAME_LINE.match(before)) \
        and "\n" not in before and re.fullmatch(r"\s*(?:\([^)]*\))?\s*[.;]?\s*", rest) is not None


def _specific_unit(claim: Claim) -> bool:
    """The figure's own form says what was measured: "GPU hours", "nm", "$ per 1M tokens", an amount paid
    ("at $799"), a date — not "%", a bare "$" or a bare count."""
    q = claim.quantity
    return q.kind in (Kind.QUANTITY, Kind.DURATION, Kind.DATE) \
        or (q.kind is Kind.MONEY and (q.per is not None or _paid_for(claim))) \
        or (q.kind in (Kind.COUNT, Kind.NUMBER) and bool(q.unit_words))


def reporting_period(facts: Sequence[Fact], claim: Claim) -> dict[str, str]:
    """The period an entity's figures are reported for when a sentence names none.

    Among the periods the entity's facts are scoped to, those whose quarter the article names, then the
    one with most facts on file (the period reported, not a guidance or a comparison), then the latest.
    """
    named = dict(claim.article_periods)
    tally: dict[tuple[tuple[str, str], ...], int] = {}
    for f in facts:
        if f.reading.periods:
            tally[f.reading.periods] = tally.get(f.reading.periods, 0) + 1
    if not tally:
        return {}
    # the quarter an article names is the one it reports; the fiscal years it names are as often the
    # comparison ("the same quarter of fiscal 2025"), so among the named quarters the most facts decide
    quarters = {ps: dict(ps).get("quarter") or dict(ps).get("half") for ps in tally}
    in_article = [ps for ps in tally if quarters[ps] in named]
    pool = in_article or list(tally)
    best = max(pool, key=lambda ps: (tally[ps], sorted(t for _, t in ps)))
    return dict(best)


def _year_before(period: dict[str, str]) -> dict[str, str]:
    fy = period.get("fiscal_year")
    if fy is None:
        return period
    return {**period, "fiscal_year": f"fy{int(fy[2:]) - 1}"}


def _period_fit(r: FactReading, claim: Claim, current: dict[str, str] | None = None) -> float | None:
    """How well the claim's period agrees with a period-scoped fact (0..1), or None for another period.

    Periods the sentence names decide; where it names none, the entity's reported period stands in
    (`current`, a year earlier for "a year ago" figures), else the article's own.
    A quarter's figure is never an annual one ("Q4 revenue" is not "FY2024 revenue"), nor the reverse.
    """
    said: dict[str, str] = {}
    for t in claim.periods:
        said.setdefault(period_kind(t), t)
    said.pop("year", None)
    if claim.year_ago and "fiscal_year" in said:
        said["fiscal_year"] = _year_before(said)["fiscal_year"]   # "In Q2 FY2026 ... from 46.1% a year earlier"
    if said.get("quarter") == CURRENT_QUARTER:
        if current and "quarter" in current:
            said["quarter"] = current["quarter"]
        else:
            said.pop("quarter")
    annual = said.pop("span", None) == "annual"
    if annual and (r.period("quarter") or r.period("half")):
        return None   # "full-year forecast" is not a quarter's
    standin = dict(claim.inherited_periods and {period_kind(t): t for t in claim.inherited_periods} or {})
    if current:
        standin = _year_before(current) if claim.year_ago else dict(current)
    for part in ("quarter", "half"):
        if part in said and r.period(part) is None and r.period("fiscal_year") is not None:
            return None
    if "fiscal_year" in said and "quarter" not in said and "half" not in said and \
            (r.period("quarter") or r.period("half")):
        return None   # "fiscal 2026 revenue" is the year's, not a quarter's
    if not r.periods:
        return 1.0
    support = 0.0
    for kind, token in r.periods:
        if kind == "span":
            if "quarter" in said or "half" in said:
                return None
            support += 1.0 if annual or "fiscal_year" in said else 0.0
        elif kind in said:
            if said[kind] != token:
                return None
            support += 1.0
        elif kind in standin:
            if standin[kind] != token:
                return None
            support += 0.6
    return support / len(r.periods)


def _attribute_score(r: FactReading, ctx: dict[str, float], foreign: set[str], common: set[str],
                     claim: Claim, elsewhere: set[str] = frozenset(), unsaid: set[str] = frozenset(),
                     rivals: set[str] = frozenset(), current: dict[str, str] | None = None,
                     unit_named: bool = False) -> tuple[float, tuple[str, ...], tuple[str, ...]] | None:
    """How strongly the context says this fact's attribute (about 0..1), the words matched and missing.

    None when the fact cannot be meant: a name-like word or the period is missing or different, or a
    change is read as a level. `unsaid` are words that only choose between sibling facts (minimum or
    maximum) when the sentence chooses neither: they count for no sibling. `rivals` are the words that set
    its siblings apart from it.
    """
    matched, missing = [], []
    for i in r.identifiers:
        w = ctx.get(i, 0.0)
        (matched if w >= IDENTIFIER_MIN else missing).append(i)
    if missing:
        return None
    period = _period_fit(r, claim, current)
    if period is None:
        return None
    s_ids = sum(ctx[i] for i in r.identifiers) / len(r.identifiers) if r.identifiers else None
    s_desc = None
    descriptors = [d for d in r.descriptors if d not in unsaid]
    if descriptors:
        # a trace of a word far away or across a contrast is noise, not evidence; words every
        # comparable fact shares say what kind of thing was measured, the others which one
        weights = [1.0 if d not in common else SHARED for d in descriptors]
        vals = [v if v >= WEAK else 0.0 for v in (ctx.get(d, 0.0) for d in descriptors)]
        s_desc = sum(w * v for w, v in zip(weights, vals)) / sum(weights)
        matched += [d for d in descriptors if ctx.get(d, 0.0) >= WEAK]
        missing += [d for d in descriptors if ctx.get(d, 0.0) < WEAK]
    distinctive = [d for d in r.descriptors if d not in common]
    said_price = claim.quantity.kind is Kind.MONEY and ctx.get("price", 0.0) >= 0.85   # "Price: $919"
    if s_desc is not None and not distinctive and (_specific_unit(claim) or said_price or unit_named):
        # every comparable fact shares these words, and the unit already says what was measured:
        # enough to accept a match, not enough on its own to call a conflict
        if s_ids is None and s_desc < ACCEPT:
            s_desc = min(ACCEPT + 0.3 * s_desc, CONFLICT - 0.01)
        elif s_ids is None:
            s_desc = max(s_desc, ACCEPT + 0.3 * s_desc)
    if s_ids is not None and s_desc is not None:
        score = 0.6 * s_ids + 0.4 * s_desc
    elif s_ids is not None:
        score = s_ids
    elif s_desc is not None:
        score = s_desc
    else:
        score = UNMARKED
    if r.qualifiers:
        score += 0.1 * sum(ctx.get(q, 0.0) for q in r.qualifiers) / len(r.qualifiers)
    if r.generic:
        # "231 billion parameters in total": a word any such fact may carry still tells a little
        score += 0.1 * sum(ctx.get(g, 0.0) for g in r.generic) / len(r.generic)
    own = set(r.identifiers) | set(r.descriptors) | set(r.qualifiers)
    competing = max((ctx.get(w, 0.0) for w in foreign - own), default=0.0)
    # the noun the number measures, when it names another of the entity's attributes
    if any(w in elsewhere and w not in own for w in claim.head):
        competing = max(competing, 1.0)
    score -= 0.35 * competing
    # a word that picks out a sibling fact ("idle" beside "total board power") all but rules this one out
    score -= 0.6 * max((ctx.get(w, 0.0) for w in rivals - own), default=0.0)
    if r.periods:
        score += 0.1 * period
        if period < 0.5:
            # nothing says which period: a matching value may verify, a different one proves nothing
            score = min(score, CONFLICT - 0.01)
    q = claim.quantity
    if claim.mention.change and not r.change:
        return None          # "up 22%", "95 watts more than" are changes, never levels
    if claim.mention.change and q.kind in (Kind.PERCENT, Kind.POINTS, Kind.MULTIPLIER) and \
            set(claim.subject) - CLASS_NOUNS - own - set(r.generic):
        # what rose is named, and this fact does not name it: "Quorra shares rose 7%" is no revenue growth,
        # "data-center revenue grew 19%" is not total revenue growth
        return None
    if q.kind is Kind.PERCENT and r.change and _share_of(claim):
        return None          # "about 47 percent of sales" is a share, never a growth rate
    if q.kind is Kind.PERCENT and r.change and not claim.mention.change:
        score *= 0.5
    return score, tuple(matched), tuple(missing)


def _words(f: Fact) -> set[str]:
    r = f.reading
    return set(r.identifiers) | set(r.descriptors) | set(r.qualifiers)


_BOUNDS = {normalize("minimum"), normalize("maximum")}


def _rival_words(f: Fact, sibling: Fact) -> set[str]:
    """Words that pick out `sibling` rather than `f`. Another entity's "base price" does not make this
    entity's 256GB price the wrong reading of "starting at": bounds are rivals only within one entity."""
    words = _words(sibling) - _words(f)
    return words if sibling.entity == f.entity else words - _BOUNDS


def _selectors(facts: Sequence[Fact]) -> dict[int, tuple[set[str], list[Fact]]]:
    """Per fact, its near siblings and the words that set it apart from them ("minimum" in "minimum RAM
    capacity" beside "maximum RAM capacity", "boost" in "GPU clock (boost)"); siblings share most words."""
    words = {id(f): _words(f) for f in facts}
    out: dict[int, tuple[set[str], list[Fact]]] = {}
    for f in facts:
        mine = words[id(f)]
        sel: set[str] = set()
        siblings = []
        for g in facts:
            theirs = words[id(g)]
            if g is f or not mine or not theirs:
                continue
            if len(mine & theirs) / len(mine | theirs) >= 0.5:
                sel |= mine - theirs
                siblings.append(g)
        out[id(f)] = (sel, siblings)
    return out


# whose number it is: an analyst's expectation, a company's target, or the reviewer's own measurement is not
# the specification or result on file, whatever its value
_EXPECTATION = re.compile(
    r"\b(?:analysts?|consensus|wall street|the street|forecasters?|economists?|estimates?)\b[^.;]{0,60}?\b"
    r"(?:expect|estimat|forecast|project|predict|anticipat|polled|had penciled)|"
    r"\b(?:consensus|estimate[sd]?|forecasts?)\s+(?:of|was|were|for|stood)\b|"
    r"\b(?:aim(?:s|ed|ing)? (?:for|to)|target(?:s|ing)?|goal of|hopes? to reach)\b|"
    r"\bexpects?\b[^.;]{0,50}?\bto (?:reach|hit|top|exceed|pass|surpass|grow to|climb to)\b|"
    r"\b(?:analysts?|they|she|he|investors?|observers?|forecasters?)\s+(?:now\s+)?expects?\b[^.;]{0,50}?\bto\s+[a-z]+",
    re.IGNORECASE)
_MEASUREMENT = re.compile(
    r"\b(?:our|my)\s+(?:scale|tests?|testing|lab|bench|benchmarks?|meter|runs?|measurements?|review unit|sample)\b|"
    r"\b(?:we|I)\s+(?:measured|weighed|timed|clocked|recorded|saw|got|tested|ran)\b|"
    r"\bin (?:our|my) (?:tests?|testing|hands|lab)\b", re.IGNORECASE)
_MEASURED_HEADER = {normalize(w) for w in ("measured", "tested", "our")}
_CLAUSE_BREAK = re.compile(r";|:|\.\s|,\s+(?:though|although|but|while|whereas|yet|and)\b|\s(?:though|although|but|while|whereas)\s")
_EXPECTATION_FACT = re.compile(r"\b(?:guidance|outlook|forecast|target|goal|consensus|estimate|expect\w*|plan(?:ned)?)\b",
                               re.IGNORECASE)
_MEASUREMENT_FACT = re.compile(r"\b(?:measured|tested|review\w*|test|benchmark\w*|lab)\b", re.IGNORECASE)


_UNTIL = re.compile(r"\b(?:until|till|through|thru|ends?|ending|expires?|retire[sd]?|sunsets?|discontinued?|"
                    r"deprecated?)\s+(?:on\s+)?$", re.IGNORECASE)
_END_FACT = re.compile(r"\b(?:end\w*|until|retire\w*|expir\w*|sunset\w*|discontinu\w*|deprecat\w*|shut\w*|"
                       r"last|final|valid|deadline|close\w*|termination)\b", re.IGNORECASE)
_PER_TIME = re.compile(r"^\s*(?:[a-z]+\s+)?(?:per|a|an|each|every)\s+(second|minute|hour|day|week|month|quarter|year)\b"
                       r"(?!\s+(?:earlier|ago|before|later|prior|on|over|from|since|after))")
# "daily", "monthly": the words that say a fact is per day, per month (as the extractor reads rates)
_EVERY_WORD: dict[str, set[str]] = {}
for _word, _noun in EVERY_NOUN.items():
    _EVERY_WORD.setdefault(_noun, set()).add(normalize(_word))


def _per_time(claim: Claim) -> str | None:
    """The time a count is per ("21 million trips per day", "2,000 requests a minute"), if any. Money
    carries its rate in the quantity; counts and numbers are read here."""
    if claim.quantity.kind not in (Kind.COUNT, Kind.NUMBER) or claim.quantity.per is not None:
        return None
    offset = claim.start - claim.sentence_start + len(claim.text)
    m = _PER_TIME.match(claim.sentence[offset:offset + 30])
    return normalize(m.group(1)) if m else None


def _figure_limits(claim: Claim) -> list[tuple[Callable[[Candidate], bool], str]]:
    """The restrictions the sentence puts on which facts can be a figure's reference, with the reason given
    when none can: an end date, a period's end, a rate per day, someone else's number."""
    limits: list[tuple[Callable[[Candidate], bool], str]] = []
    q = claim.quantity
    before = claim.sentence[:max(0, claim.start - claim.sentence_start)][-30:]
    is_end = lambda c: bool(_END_FACT.search(c.fact.attribute))  # noqa: E731
    if q.kind is Kind.DATE and _PERIOD_END.search(before):
        limits.append((is_end, "the date ends the period a figure is for; it is a label, not a claim"))
    elif q.kind is Kind.DATE and _UNTIL.search(before):
        # "available until September 30" ends something: no release or launch date is it
        limits.append((is_end, "the date says when something ends, and no fact on file is an end date"))
    per_time = _per_time(claim)
    if per_time:
        # "about 21 million trips per day" is a daily rate: a quarter's total is no reference for it
        said = {per_time} | _EVERY_WORD.get(per_time, set())
        limits.append((lambda c: c.fact.reading.per is not None or bool(said & _words(c.fact)),
                       f"the figure is per {per_time}, and no fact on file is"))
    whose = said_by_others(claim)
    if whose == "a condition":
        limits.append((lambda c: False, f"the sentence gives {whose}, not the value on file"))
    elif whose:
        own = _MEASUREMENT_FACT if whose.startswith("the reviewer") else _EXPECTATION_FACT
        limits.append((lambda c: bool(own.search(c.fact.attribute)), f"the sentence gives {whose}, not the value on file"))
    return limits


# "If your round trip is under 20 km, ...": a threshold the reader is to compare with, not a claim
_CONDITION = re.compile(r"\b(?:if|unless|whether)\b[^,;]*$", re.IGNORECASE)
_BOUND_WORDS = re.compile(r"\b(?:(?:more|less|fewer) than|under|over|below|above|at least|at most|up to|beyond)\b"
                          r"(?:\s+(?:about|around|roughly))?\s*$", re.IGNORECASE)
# "for the year to March 2027", "the quarter ending June 30": the end of a period, a label
_PERIOD_END = re.compile(r"\b(?:year|years|quarter|quarters|months|half|period)\s+(?:to|ending|ended|through)\s+(?:the\s+)?$",
                         re.IGNORECASE)


def said_by_others(claim: Claim) -> str | None:
    """Whose figure it is when it is not the value on file: "an expectation", "a target", "the reviewer's own
    measurement", or "a condition" (a threshold in an if-clause), as the words of its clause say; else None."""
    offset = claim.start - claim.sentence_start
    before = claim.sentence[max(0, offset - 90):offset]
    after = claim.sentence[offset + len(claim.text):offset + len(claim.text) + 40]
    # only the figure's own clause: "Lumio rates it for 10 weeks, though in our testing ..." is the maker's
    before = _CLAUSE_BREAK.split(before)[-1]
    after = _CLAUSE_BREAK.split(after)[0]
    if _MEASUREMENT.search(before) or _MEASUREMENT.search(after):
        return "the reviewer's own measurement"
    if "|" in claim.sentence and any(w.norm in _MEASURED_HEADER and w.weight >= 0.85 for w in claim.context):
        return "the reviewer's own measurement"     # a table column headed "Measured board power"
    if _CONDITION.search(before) and (claim.quantity.qualifier in (Qualifier.AT_MOST, Qualifier.AT_LEAST)
                                      or _BOUND_WORDS.search(before[-25:])):
        return "a condition"
    m = _EXPECTATION.search(before) or _EXPECTATION.search(after)
    if m:
        return "a target" if m.group(0).lower().startswith(("aim", "target", "goal", "hope")) else "an expectation"
    return None


_VERSION = re.compile(r"(?<![\w-])([a-z][\w-]+)\s+(?:version|edition|variant|configuration|sku|trim)s?\b")
_DEFAULT_VERSION = {normalize(w) for w in ("base", "standard", "basic", "regular", "new", "current", "original",
                                           "latest", "entry", "default", "same", "this", "that", "the", "a", "an",
                                           "each", "every", "one", "other", "older", "newer", "previous", "last",
                                           "both", "all", "either", "neither", "two", "three", "four", "its", "their",
                                           "our", "these", "those", "which", "what", "any", "some", "several", "many",
                                           "various", "different", "later", "earlier", "future", "final", "first")}


def _other_version(claim: Claim, best: Candidate) -> str:
    """ "will also come in a wired-only version at $119.99": a version the fact does not name, so the figure
    may be that version's and cannot contradict the fact ("" when the sentence names none)."""
    offset = claim.start - claim.sentence_start
    lo, hi = offset - 50, offset + len(claim.text) + 30
    words = _words(best.fact)
    for m in _VERSION.finditer(claim.sentence):
        if m.end() < lo or m.start() > hi:
            continue
        w = normalize(m.group(1))
        parts = {normalize(p) for p in m.group(1).split("-")}
        if w not in _DEFAULT_VERSION and w not in words and not parts & words:
            return f"the sentence speaks of a {m.group(1)} version, which the fact does not name"
    return ""


def _within_bounds(best: Candidate, candidates: Sequence[Candidate]) -> bool:
    """Whether the figure lies within the minimum and maximum the entity's facts of its kind give."""
    lo, hi = float("-inf"), float("inf")
    value = best.value.value
    if not isinstance(value, float):
        return False
    for c in candidates:
        if c.entity.name != best.entity.name or c.fact.reading.dimension != best.fact.reading.dimension:
            continue
        words = _words(c.fact)
        ref = c.fact.reading.value
        if not isinstance(ref, float):
            continue
        if normalize("maximum") in words:
            hi = min(hi, ref)
        if normalize("minimum") in words:
            lo = max(lo, ref)
    return lo <= value <= hi


def variant_words(facts: Iterable[Fact]) -> dict[str, frozenset[str]]:
    """Per dimension (what facts measure), the words the database uses to tell such facts apart within one
    entity: "input", "output", "cached" for prices per token; "minimum", "maximum" for RAM."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        groups.setdefault((f.entity, f.reading.dimension), []).append(f)
    out: dict[str, set[str]] = {}
    for (_, dimension), group in groups.items():
        if len(group) < 2:
            continue
        words = out.setdefault(dimension, set())
        for sel, _siblings in _selectors(group).values():
            words |= sel
    return {d: frozenset(w) for d, w in out.items()}


def match_claim(claim: Claim, facts_for: Callable[[str], Sequence[Fact]],
                related_to: Callable[[str], Sequence[str]] | None = None,
                variants: Mapping[str, frozenset[str]] | None = None) -> Match:
    """The facts this claim should be judged against, chosen by entity, attribute and unit evidence.

    `related_to` names entities described by the same source documents (a board and its processor);
    when the entity the sentence names has nothing in this unit, such an entity the article also names
    may stand in, with less weight. `variants` (from `variant_words`) are the words that tell facts of
    one dimension apart: a fact without any of them, for a sentence that says one ("output"), does not
    say which variant it holds, so it can verify the figure but never contradict it.
    """
    refs = claim.entities
    if not refs:
        return Match(claim, (), None, "no entity: factdesk cannot tell what this number is about")
    top = refs[0]
    known = [e for e in refs if e.known]
    if not top.known and top.weight >= 0.6 and (not known or known[0].weight < top.weight):
        return Match(claim, (), top, f"about {top.name}, which has no facts on file")
    if not known:
        return Match(claim, (), top, "no entity on file is mentioned near this number")
    ctx = claim_context(claim)
    q = claim.quantity

    per_entity: dict[str, list[tuple[Fact, Comparable]]] = {}
    for ref in known:
        usable = []
        for f in facts_for(ref.name):
            value = comparable(q, f.reading, ctx)
            if value is not None:
                usable.append((f, value))
        per_entity[ref.name] = usable
    lead = known[0]
    parts: set[str] = set()
    if related_to is not None and not per_entity[lead.name]:
        lead_attributes = {f.attribute.casefold() for f in facts_for(lead.name)}
        for name in related_to(lead.name):
            if name not in claim.named:
                continue
            if lead_attributes & {f.attribute.casefold() for f in facts_for(name)}:
                continue   # a peer (same attributes on file), not a part: its facts never speak for the lead
            usable = per_entity.get(name)
            if usable is None:
                usable = [(f, v) for f in facts_for(name) if (v := comparable(q, f.reading, ctx)) is not None]
            if not usable:
                continue
            per_entity[name] = usable
            parts.add(name)
            stand_in = EntityRef(name, True, round(lead.weight * RELATED, 3),
                                 f"{lead.name} in the sentence; {name} shares its sources")
            known = [e for e in known if e.name != name or e.weight >= stand_in.weight]
            if all(e.name != name for e in known):
                known.append(stand_in)
    # an explicitly attached entity with facts of this kind decides; otherwise nearby entities may
    # an entity attached this strongly decides alone, even with nothing of this kind on file: another
    # model's context window says nothing about this one's; only a part (a stand-in above) may speak for it
    explicit = [e for e in known if e.weight >= EXPLICIT]
    if explicit and per_entity[explicit[0].name]:
        considered = [explicit[0]]
    elif explicit:
        considered = [explicit[0]] + [e for e in known if e.name in parts]
    else:
        considered = known

    # words naming the entity's other attributes, whatever their unit: "2X the RAM" is about RAM even
    # when the only multiplier on file is a performance uplift
    elsewhere: dict[str, set[str]] = {}
    for ref in considered:
        words: set[str] = set()
        for f in facts_for(ref.name):
            words |= set(f.reading.identifiers) | set(f.reading.descriptors)
        elsewhere[ref.name] = words

    current = {ref.name: reporting_period(facts_for(ref.name), claim) for ref in considered}
    # siblings are found across every entity in view: the Halcyon 9's "idle power" beside its "total board
    # power" says what "idle" picks out, even for a rival card that has only the latter on file
    selectors = _selectors([f for ref in considered for f, _ in per_entity[ref.name]])
    scored: list[Candidate] = []
    rejected: list[Candidate] = []
    for ref in considered:
        usable = per_entity[ref.name]
        marked: set[str] = set()
        common: set[str] | None = None
        for f, _ in usable:
            marked |= set(f.reading.identifiers) | set(f.reading.descriptors)
            common = set(f.reading.descriptors) if common is None else common & set(f.reading.descriptors)
        # the only fact stored in the very unit the article wrote ("7-inch" and a screen size in inches,
        # beside heights in mm) is read as the unit's own: its words need not be repeated
        same_unit = {f.attribute.casefold() for f, _ in usable if q.unit and f.reading.unit == q.unit}
        if not q.unit and q.kind in (Kind.COUNT, Kind.NUMBER):
            # "Cores: 8": the only fact counting what the figure's own words count
            said_nouns = {normalize(w) for w in q.unit_words} | {w for w, v in ctx.items() if v >= 0.85}
            same_unit = {f.attribute.casefold() for f, _ in usable
                         if f.reading.unit_words and f.reading.unit_words[-1] in said_nouns}
        for f, _ in usable:
            marked |= selectors[id(f)][0]
        for f, value in usable:
            shared = common or set()
            unit_named = len(same_unit) == 1 and f.attribute.casefold() in same_unit \
                and q.kind in (Kind.QUANTITY, Kind.DURATION, Kind.COUNT, Kind.NUMBER)
            if unit_named and len(usable) > 1:
                shared = set(f.reading.descriptors)
            sel, siblings = selectors[id(f)]
            chosen_by_words = any(ctx.get(w, 0.0) >= WEAK for g in [f, *siblings] for w in selectors[id(g)][0])
            # a sibling's own word, where this fact's own words are silent, picks the sibling
            own_said = any(ctx.get(w, 0.0) >= WEAK for w in sel)
            rivals = set().union(*(_rival_words(f, g) for g in siblings)) \
                if siblings and chosen_by_words and not own_said else set()
            res = _attribute_score(f.reading, ctx, marked, shared, claim, elsewhere[ref.name],
                                   set() if chosen_by_words else sel, rivals, current[ref.name], unit_named)
            if res is None:
                ids_missing = tuple(i for i in f.reading.identifiers if ctx.get(i, 0.0) < IDENTIFIER_MIN)
                rejected.append(Candidate(f, ref, 0.0, 0.0, (), ids_missing, value))
                continue
            attr, matched, missing = res
            combined = attr * (0.55 + 0.45 * ref.weight)
            cand = Candidate(f, ref, round(attr, 3), round(combined, 3), matched, missing, value)
            (scored if attr >= ACCEPT else rejected).append(cand)
    # what kind of figure the sentence makes it: each limit keeps the facts that can be its reference, and
    # a figure none of them can be is unverified, with the reason
    for allowed, reason in _figure_limits(claim):
        kept = [c for c in scored if allowed(c)]
        if not kept and scored:
            return Match(claim, (), scored[0].entity, reason, scored[0])
        scored = kept
    if not scored:
        entity = considered[0]
        near = max(rejected, key=lambda c: c.attribute_score, default=None)
        if not any(per_entity[e.name] for e in considered):
            kinds = {"money": "prices or amounts", "percent": "percentages", "date": "dates"}
            what = kinds.get(q.kind.value, f"values in {q.unit or q.kind.value}")
            have = [e.name for e in considered if facts_for(e.name)]
            if have:
                return Match(claim, (), entity, f"no {what} on file for {entity.name}")
            return Match(claim, (), entity, f"no facts on file for {entity.name}")
        return Match(claim, (), entity, "the sentence does not say which of its facts this is", near)
    scored.sort(key=lambda c: -c.score)
    best = scored[0]
    tie = [c for c in scored if c.entity.name == best.entity.name and c.score >= best.score - TIE]
    same_attr = {c.fact.attribute.casefold() for c in tie}
    tie += [c for c in scored if c not in tie and c.entity.name == best.entity.name
            and c.fact.attribute.casefold() in same_attr]
    unsaid = ""
    if variants and not selectors[id(best.fact)][1]:
        mine = _words(best.fact)
        words = {w.norm: w.weight for w in claim.context}     # what the sentence says, not what a hedge implies
        said = sorted(w for w in variants.get(best.fact.reading.dimension, frozenset()) - mine
                      if words.get(w, 0.0) >= STRONG_VARIANT)
        unsaid = said[0] if said else ""
    # a maximum or minimum on file against a figure that says neither ("a 1TB SSD" beside "storage up to
    # 2TB"): the figure may be one configuration, so it can agree, never contradict
    bounds = _BOUNDS & _words(best.fact)
    own = {w.norm: w.weight for w in claim.context}
    # (capacities only: a clock or a speed quoted bare is its maximum by convention). Outside the range the
    # bounds allow, it is wrong whichever configuration it is.
    capacity = (q.unit or "").endswith("B") and q.kind is Kind.QUANTITY
    if not unsaid and capacity and bounds and q.qualifier is Qualifier.EXACT and \
            all(own.get(b, 0.0) < 0.5 for b in bounds) and _within_bounds(best, [*scored, *rejected]):
        held = "it lies between the minimum and maximum on file and may be a configuration not listed"
    elif unsaid:
        held = f"the sentence says '{unsaid}', which the fact does not"
    else:
        held = _other_version(claim, best)
    return Match(claim, tuple(tie), best.entity, unsaid_variant=unsaid, held=held)
