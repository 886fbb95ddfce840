"""The evidence that a figure states a fact: for each fact it could state, a vector of features, read without
looking at the figure's value (the value is weighed later, in `verdicts`).

Features say where the entity link came from and how strong it is, how much of the fact's attribute the
words around the figure say (weighted by how distinctive each word is across the database), whether the
period, variant, unit and kind agree, and whose figure the sentence makes it. No feature names an entity,
attribute or benchmark; the weights that combine them are fitted (`weights`).
"""
from __future__ import annotations

import math
import operator
from bisect import bisect_left, bisect_right
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from extractors.lexicon import CLASS_NOUNS, UNIT_IMPLIES, normalize, versioned
from extractors.model import NAMED_ELSEWHERE, Claim, EntityRef, Kind, Qualifier
from extractors.periods import CURRENT_QUARTER, period_kind
from extractors.quantities import EVERY_NOUN

from .facts import Fact, FactReading
from .units import COMPARABLE_KINDS, Comparable, comparable, states

IDENTIFIER_MIN = 0.12  # a name-like word this weak in the context is not said
WEAK = 0.25            # a descriptor word below this is not said
_BOUNDS = {normalize("minimum"), normalize("maximum")}

# how an entity was linked to the figure, by the extractor's account, in a few classes
_HOW = (("layout", ("line heading", "table row", "list lead-in")),
        ("column", ("table column",)),
        ("document", (NAMED_ELSEWHERE,)),
        ("possessive", ("possessive",)),
        # the clause's structure names it: its subject, the name the figure hangs from, "for X" right after it
        ("syntax", ("subject of the clause", "the name the figure qualifies", "the name right before it",
                    "the thing measured", "the baseline it is compared with", "after the number")),
        ("after", ("later in the sentence",)),
        ("before", ("earlier in the sentence",)),
        ("carried", ("previous sentence",)),
        ("topic", ("article topic",)),
        ("part", ("shares its sources",)))
# the evidence each candidate is also measured on against the best of the claim's other candidates
_RELATIVE = ("ent_weight", "w_cover", "w_cover_strong", "w_id_cover", "w_selector", "p_fit", "u_noun_head")
FEATURES = (
    "bias",
    # the entity link
    "ent_weight", "ent_top", "ent_gap", "ent_unknown_gap", "ent_unknown_versioned_gap", "ent_local",
    *(f"how_{k}" for k, _ in _HOW),
    # the attribute's words
    "w_cover", "w_cover_strong", "w_ids", "w_id_cover", "w_id_missing", "w_desc_cover", "w_missing_idf",
    "w_none", "w_selector", "w_rival", "w_foreign", "w_qualifier", "w_generic", "w_head_own", "w_head_other",
    "w_unsaid_variant", "w_precision", "w_unexplained", "w_subject_unsaid",
    # unit and kind
    "u_same_unit", "u_specific", "u_noun_said", "u_noun_head", "u_noun_other", "u_bare", "u_bare_scaled", "u_per_missing",
    "u_per_extra", "u_per_named", "u_bare_percent", "u_only", "u_siblings", "u_paid_price",
    "k_money", "k_percent", "k_count", "k_quantity", "k_date", "k_ratio",
    # period and change
    "p_fit", "p_unscoped", "p_conflict", "p_said", "c_both", "c_claim_only", "c_fact_only", "c_share",
    # whose figure, and what kind of figure the sentence makes it
    "x_others", "x_per_time", "x_end_date", "x_bounds_held", "x_version",
    # another figure of the sentence states this fact's value, so the fact is probably that figure's; unless
    # that figure's own words name another fact (a swap: "$12 per million input tokens and $3 per million output")
    "x_taken", "x_taken_elsewhere",
    # a value that applied at another time than the article's date, and whether the sentence puts it then
    "t_other_time", "t_time_said",
    # evidence that counts most together: the attribute said of an entity the sentence's structure names
    "j_cover_linked", "j_ids_linked", "j_cover_top", "j_cover_alone",
    # how this fact compares with the claim's other candidates (the best of the others subtracted)
    *(f"vs_{k}" for k in _RELATIVE),
)
INDEX = {name: i for i, name in enumerate(FEATURES)}
_RELATIVE_INDEX = tuple((INDEX[base], INDEX[f"vs_{base}"]) for base in _RELATIVE)
_AS_ROW = operator.itemgetter(*FEATURES)


@dataclass(frozen=True)
class _FactWords:
    """What a fact's attribute says, read once per database version rather than once per figure."""

    mine: frozenset[str]            # every word of the attribute
    named: frozenset[str]           # those and its generic words
    covered: frozenset[str]         # those and its unit's words
    core_idf: tuple[tuple[str, float], ...]   # identifiers and descriptors, with how distinctive each is
    idf_total: float
    idf_top: float


@dataclass(frozen=True)
class Candidate:
    """A fact a figure may state, the entity link behind it and the evidence for it (in `FEATURES` order)."""

    fact: Fact
    entity: EntityRef
    value: Comparable
    features: tuple[float, ...]
    agrees: bool                # whether the figure agrees with the fact's value (`units.states`)

    def feature(self, name: str) -> float:
        return self.features[INDEX[name]]

    @property
    def phantom(self) -> bool:
        """Whether this is a name not on file standing where its sentence puts it, with another entity's fact as
        the attribute it would have: the evidence that the figure is that name's, not what it agrees with."""
        return not self.entity.known


class Vocabulary:
    """What the database as a whole says about words and values: how distinctive each attribute word is,
    which words tell facts of a kind apart, and how common each value of a kind is (for coincidences)."""

    def __init__(self, facts: Iterable[Fact]):
        facts = list(facts)
        attributes: dict[str, set[str]] = {}
        for f in facts:
            attributes.setdefault(f.attribute.casefold(), _words(f))
        df = Counter(w for ws in attributes.values() for w in ws)
        n = max(1, len(attributes))
        self._idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
        self.words = frozenset(df)          # every word some attribute uses
        self.max_idf = max(self._idf.values(), default=1.0)
        self._idf_default = math.log(1 + n) + 1.0
        self.values: dict[str, list[FactReading]] = {}
        for f in facts:
            self.values.setdefault(f.reading.dimension, []).append(f.reading)
        # amounts sorted per dimension, so a figure is compared only with values near it
        self._sorted: dict[str, tuple[list[float], list[FactReading]]] = {}
        for dim, readings in self.values.items():
            amounts = sorted((r for r in readings if isinstance(r.value, float)), key=lambda r: r.value)
            self._sorted[dim] = ([r.value for r in amounts], amounts)
        self.variants = variant_words(facts)
        self.coincidences: dict[tuple, float] = {}     # filled by `verdicts.coincidence` as claims ask
        # filled as claims ask, each entry holding the objects it was made from, so a store that hands out
        # new Fact objects (a new version) never meets a stale entry
        self._fact_words: dict[int, tuple[Fact, _FactWords]] = {}
        self._entities: dict[str, tuple[Sequence[Fact], _EntityFacts]] = {}

    def fact_words(self, f: Fact) -> _FactWords:
        """The words of a fact's attribute and how distinctive they are."""
        hit = self._fact_words.get(id(f))
        if hit is None or hit[0] is not f:
            r = f.reading
            mine = _words(f)
            core = list(dict.fromkeys(r.identifiers + r.descriptors))
            idf = [self.idf(w) for w in core]
            named = mine | set(r.generic)
            hit = self._fact_words[id(f)] = (f, _FactWords(
                mine, frozenset(named), frozenset(named | set(r.unit_words)), tuple(zip(core, idf)),
                sum(idf) if idf else 0.0, max(idf) if idf else 0.0))
        return hit[1]

    def entity_facts(self, name: str, facts: Sequence[Fact]) -> "_EntityFacts":
        """An entity's facts less registry copies, with the words they use (`facts` is what the store gave)."""
        hit = self._entities.get(name)
        if hit is None or hit[0] is not facts:
            kept = tuple(_without_copies(facts))
            words: set[str] = set()
            for f in kept:
                words |= set(f.reading.identifiers) | set(f.reading.descriptors)
            hit = self._entities[name] = (facts, _EntityFacts(kept, frozenset(words)))
        return hit[1]

    def near(self, dimension: str, low: float, high: float) -> list[FactReading]:
        """The amounts of a dimension between low and high, and every value of it that is not an amount."""
        keys, amounts = self._sorted.get(dimension, ([], []))
        inside = amounts[bisect_left(keys, low):bisect_right(keys, high)]
        if len(amounts) == len(self.values.get(dimension, ())):
            return inside
        return inside + [r for r in self.values[dimension] if not isinstance(r.value, float)]

    def idf(self, word: str) -> float:
        return self._idf.get(word, self._idf_default)


class _EntityFacts:
    """One entity's facts as candidates see them; the siblings of each, per set of facts a figure can state."""

    def __init__(self, facts: tuple[Fact, ...], words: frozenset[str]):
        self.facts, self.words = facts, words
        self._selectors: dict[tuple[int, ...], dict] = {}
        self._of_kind: dict[Kind, tuple[tuple[int, Fact], ...]] = {}

    def of_kind(self, kind: Kind) -> tuple[tuple[int, Fact], ...]:
        """The facts (with their positions) that a figure of this kind can be compared with at all."""
        out = self._of_kind.get(kind)
        if out is None:
            kinds = COMPARABLE_KINDS.get(kind, frozenset())
            out = self._of_kind[kind] = tuple((i, f) for i, f in enumerate(self.facts) if f.reading.kind in kinds)
        return out

    def selectors(self, usable: tuple[int, ...]) -> dict[int, tuple[set[str], list[Fact], frozenset[str]]]:
        """`_selectors` of the facts at these positions, with each fact's rival words: what its siblings say
        that it does not."""
        out = self._selectors.get(usable)
        if out is None:
            facts, out = [self.facts[i] for i in usable], {}
            for f in facts:
                sel, siblings = _selectors_of(f, facts)
                out[id(f)] = (sel, siblings, frozenset().union(*(_words(g) - _words(f) for g in siblings)))
            self._selectors[usable] = out
        return out


def _words(f: Fact) -> frozenset[str]:
    """Every word of a fact's attribute (shared by all facts of that attribute and unit)."""
    r = f.reading
    return _word_set(r.identifiers, r.descriptors, r.qualifiers)


@lru_cache(maxsize=16384)
def _word_set(identifiers: tuple[str, ...], descriptors: tuple[str, ...], qualifiers: tuple[str, ...]
              ) -> frozenset[str]:
    return frozenset(identifiers) | frozenset(descriptors) | frozenset(qualifiers)


def _selectors(facts: Sequence[Fact]) -> dict[int, tuple[set[str], list[Fact]]]:
    """Per fact, its near siblings and the words that set it apart from them ("minimum" in "minimum RAM
    capacity" beside "maximum RAM capacity", "boost" in "GPU clock (boost)"); siblings share most words."""
    return {id(f): _selectors_of(f, facts) for f in facts}


def _selectors_of(f: Fact, facts: Sequence[Fact]) -> tuple[set[str], list[Fact]]:
    """One fact's near siblings among `facts` and the words that set it apart from them."""
    mine, sel, siblings = _words(f), set(), []
    for g in facts:
        theirs = _words(g)
        if g is not f and mine and theirs and len(mine & theirs) / len(mine | theirs) >= 0.5:
            sel |= mine - theirs
            siblings.append(g)
    return sel, siblings


def variant_words(facts: Iterable[Fact]) -> dict[str, frozenset[str]]:
    """Per dimension (what facts measure), the words the database uses to tell such facts apart within one
    entity: "input", "output", "cached" for prices per token; "minimum", "maximum" for RAM."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        groups.setdefault((f.entity, f.reading.dimension), []).append(f)
    out: dict[str, set[str]] = {}
    for (_, dimension), group in groups.items():
        if len(group) >= 2:
            for sel, _siblings in _selectors(group).values():
                out.setdefault(dimension, set()).update(sel)
    return {d: frozenset(w) for d, w in out.items()}


_PAID_FOR = re.compile(r"\b(?:for|at|costs?|cost of|priced at|sells? for)\s+(?:just|only|less than|more than|under|"
                       r"over|about|around|roughly|nearly|almost|some|up to|as little as|as much as)?\s*$")
_LEVEL_AT = re.compile(r"\b(?:came|come|comes|coming) in at\s+\S*$|\b(?:stood|stands|closed|ended|finished|landed|"
                       r"settled|peaked|tops? out|topped out|held|holds|remained|remains|stays?|stayed|sits|sat|"
                       r"was|were|is)\s+at\s+\S*$")


def _paid_for(claim: Claim) -> bool:
    """"for $5.5M", "at $60", "costs $2": an amount paid, which is a price or a cost."""
    if claim.quantity.kind is not Kind.MONEY:
        return False
    before = claim.sentence[:max(0, claim.start - claim.sentence_start)][-40:].lower()
    return bool(_PAID_FOR.search(before)) and not _LEVEL_AT.search(before)


def _said_most(ctx: dict[str, float], words: set[str] | frozenset[str]) -> float:
    """The most weight the context gives any of these words (0 when it says none)."""
    if len(words) > len(ctx):       # an entity's rival words outnumber a sentence's: look from the smaller side
        return max((v for w, v in ctx.items() if w in words), default=0.0)
    return max((ctx.get(w, 0.0) for w in words), default=0.0)


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
    if _paid_for(claim):
        put("price", 0.8)
    for p in claim.periods:
        put(p, 0.9)
    if q.kind is Kind.MONEY and q.per is not None and q.per.noun == "share":
        put("ep", 0.6)                       # an amount per share is earnings per share, unless said otherwise
    if claim.mention.change:
        before = claim.sentence[:max(0, claim.start - claim.sentence_start)][-14:].lower()
        direction = "decline" if re.search(r"\bdown\b", before) else "growth" if re.search(r"\bup\b", before) else None
        if direction:
            put(direction, 0.9)
        put("chang", max(0.8, ctx.get("growth", 0.0), ctx.get("decline", 0.0)))
        if "uplift" in ctx:
            put("performance", ctx["uplift"])    # "35% faster": a change in performance
        if (claim.periods or claim.inherited_periods) and "qoq" not in ctx:
            put("yoy", 0.7)    # reported results that rose "6%" with no base named rose from a year earlier
    return ctx


def _specific_unit(claim: Claim) -> bool:
    """The figure's own form says what was measured: "GPU hours", "nm", "$ per 1M tokens", a date."""
    q = claim.quantity
    return q.kind in (Kind.QUANTITY, Kind.DURATION, Kind.DATE) \
        or (q.kind is Kind.MONEY and (q.per is not None or _paid_for(claim))) \
        or (q.kind in (Kind.COUNT, Kind.NUMBER) and bool(q.unit_words))


_SHARE_OF = re.compile(r"\s*of\s+(?:the\s+|its\s+|their\s+|total\s+|all\s+)*[a-z]", re.IGNORECASE)


def reporting_period(facts: Sequence[Fact], claim: Claim, day: str = "") -> dict[str, str]:
    """The period an entity's figures are reported for when a sentence names none: the quarter and fiscal year
    the article names most, whether or not any fact on file is of that period (results of a quarter not yet on
    file are not the same quarter's of the year before); where it does not name both, among the periods its
    facts are scoped to (that had ended by the article's date), the latest of those whose quarter the article
    names, else the one with most facts on file."""
    named = dict(claim.article_periods)
    tally: Counter = Counter(f.reading.periods for f in facts if f.reading.periods and not unended(f, day))
    if not tally:
        return {}
    told = _article_period(claim.article_periods)
    if told and any(dict(ps).get("fiscal_year") for ps in tally):
        return dict(told)       # a copy: the cached one is shared by every figure of the article
    quarters = {ps: dict(ps).get("quarter") or dict(ps).get("half") for ps in tally}
    pool = [ps for ps in tally if quarters[ps] in named]
    if pool:
        # the quarter the article names, in the latest year on file: the year before's is its comparison
        return dict(max(pool, key=lambda ps: (dict(ps).get("fiscal_year", ""), tally[ps])))
    return dict(max(tally, key=lambda ps: (tally[ps], sorted(t for _, t in ps))))


@lru_cache(maxsize=256)
def _article_period(named: tuple[tuple[str, int], ...]) -> dict[str, str]:
    """The quarter and fiscal year an article is about, when it names each more than once and more often than
    any other of its kind ("second quarter" five times, "fiscal 2025" three, "fiscal 2024" once); else {}."""
    best: dict[str, list[tuple[int, str]]] = {}
    for token, count in named:
        kind = period_kind(token)
        if kind in ("quarter", "fiscal_year") and token[1:2] != "*":
            best.setdefault(kind, []).append((count, token))
    out = {}
    for kind in ("quarter", "fiscal_year"):
        ranked = sorted(best.get(kind, ()), reverse=True)
        if not ranked or ranked[0][0] < 2 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
            return {}
        out[kind] = ranked[0][1]
    return out


def unended(f: Fact, day: str) -> bool:
    """Whether the fact's reporting period had not ended on `day` (the article's date), for a fact whose source
    came out after it: a quarter written the calendar way ("Q3 2025") ends on its last day; a fiscal one
    ("Q3 FY2025", "FQ3 2025") at the earliest a year before."""
    # only a source published after the article can hold results the article could not have had
    if len(day) < 7 or not f.as_of or f.as_of[:10] <= day:
        return False
    end = _earliest_end(f.attribute, f.reading.periods)
    # results come out after a period ends: an article in its last month cannot report it either
    return bool(end) and day[:7] <= end


@lru_cache(maxsize=4096)
def _earliest_end(attribute: str, periods: tuple[tuple[str, str], ...]) -> str:
    """The earliest month ("2025-09") a reporting period can end, "" for a fact without one."""
    named = dict(periods)
    fy, quarter, half = named.get("fiscal_year"), named.get("quarter"), named.get("half")
    if not fy or not fy[2:].isdigit():
        return ""
    year = int(fy[2:])
    months = int(quarter[1]) * 3 if quarter and quarter[1:].isdigit() else 6 * int(half[1]) if half and \
        half[1:].isdigit() else 12
    if re.search(r"\bF[YQH]|\bfiscal\b", attribute, re.IGNORECASE):
        # the earliest a fiscal period can end: a fiscal year that ends in January
        year, months = (year - 1, months + 1) if months < 12 else (year, 1)
    return f"{year:04d}-{months:02d}"


def _year_before(period: dict[str, str]) -> dict[str, str]:
    fy = period.get("fiscal_year")
    return {**period, "fiscal_year": f"fy{int(fy[2:]) - 1}"} if fy else period


def period_fit(r: FactReading, claim: Claim, current: dict[str, str] | None = None) -> float | None:
    """How well the claim's period agrees with a period-scoped fact (0..1), or None for another period.

    Periods the sentence names decide; where it names none, the entity's reported period stands in (a year
    earlier for "a year ago" figures), else the article's own. A quarter's figure is never a year's.
    """
    said: dict[str, str] = {}
    for t in claim.periods:
        said.setdefault(period_kind(t), t)
    said.pop("year", None)
    if claim.year_ago and "fiscal_year" in said:
        said["fiscal_year"] = _year_before(said)["fiscal_year"]
    if said.get("quarter") == CURRENT_QUARTER:
        if current and "quarter" in current:
            said["quarter"] = current["quarter"]
        else:
            said.pop("quarter")
    annual = said.pop("span", None) == "annual"
    if annual and (r.period("quarter") or r.period("half")):
        return None
    standin = {period_kind(t): t for t in claim.inherited_periods}
    if current:
        standin = _year_before(current) if claim.year_ago else dict(current)
    for part in ("quarter", "half"):
        if part in said and r.period(part) is None and r.period("fiscal_year") is not None:
            return None
    if "fiscal_year" in said and "quarter" not in said and "half" not in said and \
            (r.period("quarter") or r.period("half")):
        return None
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


# whose number it is: an analyst's expectation, a company's target, the reviewer's own measurement
_EXPECTATION = re.compile(
    r"\b(?:analysts?|consensus|wall street|the street|forecasters?|economists?|estimates?)\b[^.;]{0,60}?\b"
    r"(?:expect|estimat|forecast|project|predict|anticipat|polled|had penciled)|"
    r"\b(?:consensus|estimate[sd]?|forecasts?)\s+(?:of|was|were|for|stood)\b|"
    r"\b(?:aim(?:s|ed|ing)? (?:for|to)|target(?:s|ing)?|goal of|hopes? to reach)\b|"
    r"\bexpects?\b[^.;]{0,50}?\bto (?:reach|hit|top|exceed|pass|surpass|grow to|climb to)\b|"
    r"\b(?:analysts?|they|she|he|investors?|observers?|forecasters?)\s+(?:now\s+)?expects?\b[^.;]{0,50}?\bto\s+[a-z]+",
    re.IGNORECASE)
MEASUREMENT = re.compile(
    r"\b(?:our|my)\s+(?:scale|tests?|testing|lab|bench|benchmarks?|meter|runs?|measurements?|review unit|sample)\b|"
    r"\b(?:we|I)\s+(?:measured|weighed|timed|clocked|recorded|saw|got|tested|ran)\b|"
    r"\bin (?:our|my) (?:tests?|testing|hands|lab)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";|:|\.\s|,\s+(?:though|although|but|while|whereas|yet|and)\b|\s(?:though|although|but|while|whereas)\s")
_CONDITION = re.compile(r"\b(?:if|unless|whether)\b[^,;]*$", re.IGNORECASE)
_BOUND_WORDS = re.compile(r"\b(?:(?:more|less|fewer) than|under|over|below|above|at least|at most|up to|beyond)\b"
                          r"(?:\s+(?:about|around|roughly))?\s*$", re.IGNORECASE)
_EXPECTATION_FACT = re.compile(r"\b(?:guidance|outlook|forecast|target|goal|consensus|estimate|expect\w*|plan(?:ned)?)\b",
                               re.IGNORECASE)
_MEASUREMENT_FACT = re.compile(r"\b(?:measured|tested|review\w*|test|benchmark\w*|lab)\b", re.IGNORECASE)


def said_by_others(claim: Claim) -> str | None:
    """Whose figure it is when it is not the value on file: "an expectation", "a target", "the reviewer's own
    measurement", or "a condition" (a threshold in an if-clause), as the words of its clause say; else None."""
    offset = claim.start - claim.sentence_start
    before = _CLAUSE_BREAK.split(claim.sentence[max(0, offset - 90):offset])[-1]
    after = _CLAUSE_BREAK.split(claim.sentence[offset + len(claim.text):offset + len(claim.text) + 40])[0]
    if MEASUREMENT.search(before) or MEASUREMENT.search(after):
        return "the reviewer's own measurement"
    if _CONDITION.search(before) and (claim.quantity.qualifier in (Qualifier.AT_MOST, Qualifier.AT_LEAST)
                                      or _BOUND_WORDS.search(before[-25:])):
        return "a condition"
    m = _EXPECTATION.search(before) or _EXPECTATION.search(after)
    if m:
        return "a target" if m.group(0).lower().startswith(("aim", "target", "goal", "hope")) else "an expectation"
    return None


_UNTIL = re.compile(r"\b(?:until|till|through|thru|ends?|ending|expires?|retire[sd]?|sunsets?|discontinued?|"
                    r"deprecated?)\s+(?:on\s+)?$|\b(?:year|years|quarter|quarters|months|half|period)\s+"
                    r"(?:to|ending|ended|through)\s+(?:the\s+)?$", re.IGNORECASE)
_END_FACT = re.compile(r"\b(?:end\w*|until|retire\w*|expir\w*|sunset\w*|discontinu\w*|deprecat\w*|shut\w*|"
                       r"last|final|valid|deadline|close\w*|termination)\b", re.IGNORECASE)
_PER_TIME = re.compile(r"^\s*(?:[a-z]+\s+)?(?:per|a|an|each|every)\s+(second|minute|hour|day|week|month|quarter|year)\b"
                       r"(?!\s+(?:earlier|ago|before|later|prior|on|over|from|since|after))")
_EVERY_WORD: dict[str, set[str]] = {}
for _word, _noun in EVERY_NOUN.items():
    _EVERY_WORD.setdefault(_noun, set()).add(normalize(_word))
_VERSION = re.compile(r"(?<![\w-])([a-z][\w-]+)\s+(?:version|edition|variant|configuration|sku|trim)s?\b")
# words that name the usual version, or none in particular
_DEFAULT_VERSION = {normalize(w) for w in ("base", "standard", "basic", "regular", "new", "current", "original",
                                           "latest", "entry", "default", "same", "this", "that", "the", "a", "an",
                                           "each", "every", "one", "other", "older", "newer", "previous", "last",
                                           "both", "all", "either", "neither", "two", "three", "four", "its", "their",
                                           "our", "these", "those", "which", "what", "any", "some", "several", "many",
                                           "various", "different", "later", "earlier", "future", "final", "first")}


def _per_time(claim: Claim) -> str | None:
    """The time a count is per ("21 million trips per day"), if any."""
    if claim.quantity.kind not in (Kind.COUNT, Kind.NUMBER) or claim.quantity.per is not None:
        return None
    offset = claim.start - claim.sentence_start + len(claim.text)
    m = _PER_TIME.match(claim.sentence[offset:offset + 30])
    return normalize(m.group(1)) if m else None


def _versions_near(claim: Claim) -> tuple[tuple[str, frozenset[str]], ...]:
    """The versions named near the figure ("a wired-only version at $119.99"), each with its parts, less the
    default ones."""
    offset = claim.start - claim.sentence_start
    lo, hi = offset - 50, offset + len(claim.text) + 30
    out = []
    for m in _VERSION.finditer(claim.sentence):
        if m.end() < lo or m.start() > hi:
            continue
        w = normalize(m.group(1))
        if w not in _DEFAULT_VERSION:
            out.append((w, frozenset(normalize(p) for p in m.group(1).split("-"))))
    return tuple(out)


def said_date(d: str, said: Iterable[str]) -> bool:
    """Whether the article gives the date `d` (ISO), in full or as month and day ("April 1")."""
    said = set(said)
    return bool(d) and (d in said or (len(d) == 10 and f"--{d[5:]}" in said))


@dataclass(frozen=True)
class Scope:
    """When the article is read: the day whose facts apply, and the dates the article itself gives."""

    day: str = "9999-12-31"
    said_dates: frozenset[str] = frozenset()


@lru_cache(maxsize=1024)
def _how(how: str) -> str:
    """The feature naming the class of an entity link, from the extractor's account of it."""
    for key, phrases in _HOW:
        if any(p in how for p in phrases):
            return f"how_{key}"
    return "how_before"


_UNSEEN = object()


class ClaimEvidence:
    """What a claim says, read once and shared by every fact it is compared with."""

    def __init__(self, claim: Claim, vocab: Vocabulary, scope: Scope = Scope()):
        self.claim, self.vocab, self.scope = claim, vocab, scope
        self.ctx = claim_context(claim)
        self.head = frozenset(claim.head)
        self._said_variants: dict[str, frozenset[str]] = {}
        self._word_memo: dict[tuple, dict[str, float]] = {}
        self._fit_memo: dict[tuple, float | None] = {}
        self._foreign_memo: dict[tuple, float] = {}
        self.own = {w.norm: w.weight for w in claim.context}     # the sentence's words, not what a hedge implies
        q = claim.quantity
        self.specific = _specific_unit(claim)
        self.paid = _paid_for(claim)
        self.whose = said_by_others(claim)
        self.per_time = _per_time(claim)
        before = claim.sentence[:max(0, claim.start - claim.sentence_start)][-30:]
        self.end_date = q.kind is Kind.DATE and bool(_UNTIL.search(before))
        offset = claim.end - claim.sentence_start
        self.share_of = q.kind is Kind.PERCENT and bool(_SHARE_OF.match(claim.sentence, offset))
        self.bare = q.kind in (Kind.COUNT, Kind.NUMBER) and not q.unit and not q.unit_words
        self.nouns = {normalize(w) for w in q.unit_words}
        # what is counted is the last noun of the phrase: "2,788,000 H800 GPU hours" counts hours
        self.noun_head = normalize(q.unit_words[-1]) if q.unit_words else ""
        # the words near the figure that some attribute on file uses: what the sentence says was measured
        self.strong = {w: v for w, v in self.own.items() if v >= 0.7 and w in vocab.words}
        self.strong_idf = [(w, vocab.idf(w)) for w in self.strong]
        self.strong_total = sum(i for _, i in self.strong_idf)
        self.versions = _versions_near(claim)
        self.bare_capacity = q.kind is Kind.QUANTITY and (q.unit or "").endswith("B") and q.qualifier is Qualifier.EXACT
        self.subject = set(claim.subject)
        known = [e for e in claim.entities if e.known]
        self.top = max((e.weight for e in known), default=0.0)
        self.unknown = max((e.weight for e in claim.entities if not e.known), default=0.0)
        self.unknown_versioned = max((e.weight for e in claim.entities if not e.known and versioned(e.name)),
                                     default=0.0)
        k = q.kind
        # what the figure says whatever the fact: every pair's features start from these
        self._base = dict.fromkeys(FEATURES, 0.0)
        self._base.update({
            "bias": 1.0, "k_money": float(k is Kind.MONEY), "k_percent": float(k is Kind.PERCENT),
            "k_count": float(k in (Kind.COUNT, Kind.NUMBER)), "k_quantity": float(k in (Kind.QUANTITY, Kind.DURATION)),
            "k_date": float(k is Kind.DATE), "k_ratio": float(k in (Kind.MULTIPLIER, Kind.POINTS)),
            "u_specific": float(self.specific), "u_bare": float(self.bare),
            "u_bare_scaled": float(self.bare and q.binary_scale), "p_said": float(bool(claim.periods))})

    def features(self, f: Fact, ref: EntityRef, group: Sequence[Fact], selectors, current,
                 foreign: dict[str, float]) -> list[float]:
        """The evidence that this figure states `f` of `ref` (value unseen); `group` are the entity's facts of
        the same dimension, `foreign` the words of its attributes that the sentence says, with their weight
        (head words count as said)."""
        claim, ctx, r, q = self.claim, self.ctx, f.reading, self.claim.quantity
        x = self._base.copy()
        # entity
        x["ent_weight"] = ref.weight
        x["ent_top"] = float(ref.weight >= self.top)
        x["ent_gap"] = self.top - ref.weight
        x["ent_unknown_gap"] = max(0.0, self.unknown - ref.weight)
        x["ent_unknown_versioned_gap"] = max(0.0, self.unknown_versioned - ref.weight)
        x["ent_local"] = float(ref.local)
        x[_how(ref.how)] = 1.0
        # what the sentence says of the attribute's words: the same for every fact named in the same words
        fw = self.vocab.fact_words(f)
        key = (r.identifiers, r.descriptors, r.qualifiers, r.generic, r.unit_words)
        said_words = self._word_memo.get(key)
        if said_words is None:
            said_words = self._word_memo[key] = self._words_said(r, fw)
        x.update(said_words)
        mine = fw.mine
        sel, siblings, rivals = selectors[id(f)]
        x["w_selector"] = _said_most(ctx, sel)
        if siblings and ref.name != f.entity:
            rivals = rivals - _BOUNDS
        x["w_rival"] = _said_most(ctx, rivals)
        # `foreign` holds only the words of the entity's attributes that the context says (with their weight)
        foreign_key = (ref.name, mine)
        w_foreign = self._foreign_memo.get(foreign_key)
        if w_foreign is None:
            w_foreign = self._foreign_memo[foreign_key] = max((v for w, v in foreign.items() if w not in mine),
                                                              default=0.0)
        x["w_foreign"] = w_foreign
        head = self.head
        x["w_head_other"] = float(bool((head & foreign.keys()) - mine))
        said = self._said_variants.get(r.dimension)
        if said is None:        # the variant words the sentence says firmly, once per dimension
            said = self._said_variants[r.dimension] = frozenset(
                w for w in self.vocab.variants.get(r.dimension, frozenset()) if self.own.get(w, 0.0) >= 0.85)
        said_variants = said - mine
        x["w_unsaid_variant"] = float(bool(said_variants) and not sel)
        # unit
        x["u_same_unit"] = float(bool(q.unit) and q.unit == r.unit)
        x["u_per_missing"] = float(q.kind is Kind.MONEY and q.per is None and r.per is not None)
        # "$12.99 a month" against a "monthly subscription price": the fact's name carries the rate
        per = normalize(q.per.noun) if q.per is not None else None
        named_rate = bool(per) and bool(({per} | _EVERY_WORD.get(per, set())) & fw.named)
        x["u_per_extra"] = float(q.kind is Kind.MONEY and q.per is not None and r.per is None and not named_rate)
        x["u_per_named"] = float(named_rate and r.per is None)
        x["u_bare_percent"] = float(r.kind is Kind.PERCENT and q.kind in (Kind.COUNT, Kind.NUMBER))
        x["u_only"] = float(len(group) == 1)
        x["u_siblings"] = 1.0 / max(1, len(group))
        x["u_paid_price"] = float(self.paid and ("price" in fw.named or r.per is not None))
        # period and change
        fit_key = (r.periods, tuple(current.items()) if current else None)
        fit = self._fit_memo.get(fit_key, _UNSEEN)
        if fit is _UNSEEN:      # a function of the fact's periods alone, for one claim
            fit = self._fit_memo[fit_key] = period_fit(r, claim, current)
        x["p_fit"] = (fit or 0.0) if r.periods else 0.0
        x["p_unscoped"] = float(not r.periods)
        x["p_conflict"] = float(fit is None)
        change = claim.mention.change
        x["c_both"] = float(change and r.change)
        x["c_claim_only"] = float(change and not r.change)
        x["c_fact_only"] = float(r.change and not change)
        x["c_share"] = float(self.share_of and r.change)
        # whose figure, and what kind
        if self.whose:
            own = _MEASUREMENT_FACT if self.whose.startswith("the reviewer") else _EXPECTATION_FACT
            x["x_others"] = float(self.whose == "a condition" or not own.search(f.attribute))
        if self.per_time:
            x["x_per_time"] = float(r.per is None and not ({self.per_time} | _EVERY_WORD.get(self.per_time, set())) & mine)
        x["x_end_date"] = float(self.end_date and not _END_FACT.search(f.attribute))
        x["x_bounds_held"] = float(self._between_bounds(f, group))
        x["x_version"] = float(any(w not in mine and not parts & mine for w, parts in self.versions))
        linked = x["how_syntax"] + x["how_possessive"] + x["how_layout"] + x["how_column"]
        x["j_cover_linked"] = x["w_cover"] * linked
        x["j_ids_linked"] = x["w_id_cover"] * linked
        x["j_cover_top"] = x["w_cover"] * x["ent_top"]
        x["j_cover_alone"] = x["w_cover"] * x["u_siblings"]
        if unended(f, self.scope.day):
            # results for a period that had not ended on the article's date are not what it reports
            x["t_other_time"] = 1.0
        elif not f.valid_on(self.scope.day):
            x["t_other_time"] = 1.0
            future = bool(f.valid_from and f.valid_from > self.scope.day)
            x["t_time_said"] = float(claim.tense == "future" or said_date(f.valid_from, self.scope.said_dates)
                                     if future else claim.tense == "past")
        return list(_AS_ROW(x))

    def _words_said(self, r: FactReading, fw: "_FactWords") -> dict[str, float]:
        """The features of what the sentence says of an attribute's words (weighted by how distinctive each is
        in the database), its head noun and its unit's."""
        ctx, x = self.ctx, {}
        if fw.core_idf:
            said = [(i, min(1.0, ctx.get(w, 0.0))) for w, i in fw.core_idf]
            x["w_cover"] = sum(i * s for i, s in said) / fw.idf_total
            x["w_cover_strong"] = sum(i for i, s in said if s >= 0.5) / fw.idf_total
            x["w_missing_idf"] = max((i for i, s in said if s < WEAK), default=0.0) / fw.idf_top
        else:
            x["w_none"] = 1.0
            # "24 threads" and a fact whose attribute is its unit ("threads"): the counted noun says it all
            if r.unit_words and (r.unit_words[-1] == self.noun_head or r.unit_words[-1] in self.nouns):
                x["w_cover"] = x["w_cover_strong"] = 1.0
        if r.identifiers:
            x["w_ids"] = 1.0
            x["w_id_cover"] = sum(min(1.0, ctx.get(w, 0.0)) for w in r.identifiers) / len(r.identifiers)
            x["w_id_missing"] = min(3, sum(ctx.get(w, 0.0) < IDENTIFIER_MIN for w in r.identifiers))
        if r.descriptors:
            x["w_desc_cover"] = sum(min(1.0, ctx.get(w, 0.0)) for w in r.descriptors) / len(r.descriptors)
        if r.qualifiers:
            x["w_qualifier"] = sum(ctx.get(w, 0.0) for w in r.qualifiers) / len(r.qualifiers)
        if r.generic:
            x["w_generic"] = sum(ctx.get(w, 0.0) for w in r.generic) / len(r.generic)
        x["w_head_own"] = float(bool(self.head & fw.mine))
        if self.strong:
            covered = fw.covered
            x["w_precision"] = sum(i for w, i in self.strong_idf if w in covered) / self.strong_total
            # the most distinctive word beside the figure that the fact does not say ("guidance" by a growth rate)
            x["w_unexplained"] = max((i for w, i in self.strong_idf if w not in covered), default=0.0) \
                / self.vocab.max_idf
        if self.subject:
            # "Product revenues increased 16%": what the clause says rose, and the fact does not name
            x["w_subject_unsaid"] = len(self.subject - fw.named) / len(self.subject)
        if r.unit_words:
            head_noun = r.unit_words[-1]
            x["u_noun_said"] = float(head_noun in self.nouns or ctx.get(head_noun, 0.0) >= 0.5)
            x["u_noun_head"] = float(head_noun == self.noun_head)
        x["u_noun_other"] = float(bool(self.nouns) and not self.nouns & fw.covered)
        return x

    def _between_bounds(self, f: Fact, group: Sequence[Fact]) -> bool:
        """A capacity quoted bare against a minimum or maximum on file ("a 1TB SSD" beside "storage up to
        2TB") may be a configuration that is not listed."""
        if not self.bare_capacity:
            return False
        bounds = _BOUNDS & _words(f)
        if not bounds or any(self.own.get(b, 0.0) >= 0.5 for b in bounds):
            return False
        lo = max((g.reading.value for g in group if normalize("minimum") in _words(g)
                  and isinstance(g.reading.value, float)), default=float("-inf"))
        hi = min((g.reading.value for g in group if normalize("maximum") in _words(g)
                  and isinstance(g.reading.value, float)), default=float("inf"))
        v = comparable(self.claim.quantity, f.reading)
        return v is not None and isinstance(v.value, float) and lo <= v.value <= hi


def candidates(claim: Claim, facts_for: Callable[[str], Sequence[Fact]], vocab: Vocabulary,
               related_to: Callable[[str], Sequence[str]] | None = None, scope: Scope = Scope()) -> list[Candidate]:
    """Every fact of every known entity in the claim's scope whose dimension fits the figure, with features;
    every version of a fact that changed over time is a candidate of its own.

    An entity named in the sentence with nothing of this kind on file may be stood in for by an entity that
    shares its sources (a board and its processor), when the article names that entity too. The name not on
    file that the claim links most firmly shadows each fact of an entity linked less firmly: a phantom
    candidate (`Candidate.phantom`) that never agrees, and whose probability is the figure being that name's.
    """
    refs = [e for e in claim.entities if e.known]
    if related_to is not None and refs:
        lead = refs[0]
        if not any(comparable(claim.quantity, f.reading) for f in facts_for(lead.name)):
            lead_attributes = {f.attribute.casefold() for f in facts_for(lead.name)}
            for name in related_to(lead.name):
                if name in claim.named and not lead_attributes & {f.attribute.casefold() for f in facts_for(name)} \
                        and all(e.name != name for e in refs):
                    refs.append(EntityRef(name, True, round(lead.weight * 0.7, 3),
                                          f"{lead.name} in the sentence; {name} shares its sources", lead.local))
    ev = ClaimEvidence(claim, vocab, scope)
    q = claim.quantity
    out: list[Candidate] = []
    # only a product's name, with its model number: a name without one may be a label the recogniser took for
    # a name (a results table's "YOY" column), which owns no figure
    stranger = max((e for e in claim.entities if not e.known and versioned(e.name)), key=lambda e: e.weight,
                   default=None)
    # a name whose words all belong to a name on file that the passage or the article is about is its family
    # or a part of it ("Gemma 2" of "Gemma 2 27B", "M3" of "MacBook Air (M3)"), as is a series that numbers it
    # ("Ryzen 9000" of "Ryzen 9 9950X"): not another thing that owns the figure. Beside a name only mentioned
    # elsewhere it is a sibling ("Grok 3" beside "Grok 3 Mini")
    if stranger is not None and any(_family_of(stranger.name, e.name) and e.weight >= FAMILY_SCOPE for e in refs):
        stranger = None
    phantoms: list[tuple] = []
    shadowed: set[int] = set()
    for ref in refs:
        known = vocab.entity_facts(ref.name, facts_for(ref.name))
        facts = known.facts
        usable = [(i, f, v) for i, f in known.of_kind(q.kind) if (v := comparable(q, f.reading)) is not None]
        if not usable:
            continue
        words = known.words
        foreign = {w: ev.ctx.get(w, 0.0) for w in (words & (ev.ctx.keys() | ev.head))}
        by_dimension: dict[str, list[Fact]] = {}
        for _, f, _ in usable:
            by_dimension.setdefault(f.reading.dimension, []).append(f)
        selectors = known.selectors(tuple(i for i, _, _ in usable))
        current = reporting_period(facts, claim, scope.day)
        usable = [(f, v) for _, f, v in usable]
        for f, value in usable:
            group = by_dimension[f.reading.dimension]
            out.append((f, ref, value, ev.features(f, ref, group, selectors, current, foreign),
                        states(q, value, f.reading)))
            # the name not on file that the sentence links more firmly than this entity, with this attribute:
            # it takes the scope it would take if it were on file, so it competes as such a fact would. Only a
            # sibling's ("Orca 3 Mini" beside "Orca 3"): a name of another line is as often a part, a rival or a
            # machine the figure was measured on (a GPU a model runs on), which the facts on file
            # for this entity may well be about
            if stranger is not None and stranger.weight > ref.weight and f.id not in shadowed \
                    and _kin(stranger.name, ref.name):
                shadowed.add(f.id)
                phantoms.append((f, stranger, value, ev.features(f, stranger, group, selectors, current, foreign),
                                 False))
    return _relative(out + phantoms)


FAMILY_SCOPE = 0.4      # a link this firm (the article's topic, a previous sentence, the clause) puts a name in scope


def _family_of(family: str, name: str) -> bool:
    """Whether `family` names a group `name` belongs to: all its words are `name`'s, but for a series number
    that `name`'s model number falls in ("9000" of "9950X", "200V" of "288V", "50" of "5090", "7000" of
    "7800X3D")."""
    own = _name_words(name)
    return all(any(_numbered_by(w, o) for o in own) for w in _name_words(family) - own)


_SERIES = re.compile(r"([a-z]*)([1-9]\d*?)(0+)([a-z]*)")     # letters, the series' digits, its zeros, a suffix


@lru_cache(maxsize=4096)
def _numbered_by(series: str, model: str) -> bool:
    """Whether a model number falls in a series number: the same letters around it, the series' leading
    digits, at least as many digits as its zeros after them, and any suffix ("x3d")."""
    m = _SERIES.fullmatch(series)
    if m is None:
        return False
    return re.fullmatch(rf"{m[1]}{m[2]}\d{{{len(m[3])},}}{m[4]}(?:[a-z][a-z0-9]*)?", model) is not None


def _kin(a: str, b: str) -> bool:
    """Whether two names share a word that is not just a number (a brand, a family: "Orca" of "Orca 3 Mini")."""
    return any(not w.replace(".", "").isdigit() for w in _name_words(a) & _name_words(b))


@lru_cache(maxsize=4096)
def _name_words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+(?:\.[0-9]+)*", name.casefold()))     # "3.3" is one version, not 3


def _without_copies(facts: Sequence[Fact]) -> Sequence[Fact]:
    """An entity's facts less a registry's copies of its primary facts (same attribute, same value): a copy adds
    no evidence, and as a second candidate it would halve the probability of the fact it copies."""
    if not any(f.origin for f in facts):
        return facts
    primary = {(f.attribute.casefold(), f.reading.value, f.reading.unit) for f in facts if not f.origin}
    return [f for f in facts if not f.origin or (f.attribute.casefold(), f.reading.value, f.reading.unit)
            not in primary]


def _relative(found: list[tuple]) -> list[Candidate]:
    """The candidates, each with its lead over the best of the others on the strongest kinds of evidence
    (`found`: the fields of each candidate, its features a list)."""
    if len(found) >= 2:         # alone, every lead stays 0
        # the best and second best of each feature: the best of the others is one of them (linear, not quadratic)
        for k, rel in _RELATIVE_INDEX:
            column = [c[3][k] for c in found]
            first = max(range(len(column)), key=column.__getitem__)
            best, second = column[first], max(column[:first] + column[first + 1:])
            for i, c in enumerate(found):
                c[3][rel] = c[3][k] - (second if i == first else best)
    return [Candidate(f, ref, value, tuple(x), agrees) for f, ref, value, x, agrees in found]


WORTHY_FEATURES = (
    "bias", "k_money", "k_percent", "k_count", "k_quantity", "k_date", "k_time", "k_ratio", "year_like",
    "period_label", "hedged", "range", "has_unit", "small", "first_person", "measurement", "in_parens",
    "early_line", "short_line", "best_p", "no_candidates", "known_local", "joined_word", "decimal_bare", "others",
    "names_variant", "after_the", "table_header", "condition", "in_name_parens",
)
_FIRST_PERSON = re.compile(r"\b(?:I|my|me|we|our|us)\b")
# "the 9B model", "the 15-inch MacBook Air", "a 128GB version": a size that names which variant is meant
_VARIANT_AFTER = re.compile(r"^[\s-]*(?:models?|versions?|variants?|editions?|skus?|configurations?|configs?|tiers?|"
                            r"plans?|options?|[A-Z][A-Za-z]+[A-Z0-9]?\w*)\b")
# "at 1440p", "for 8-bit quantization", "up to 10M tokens" recall: the condition a figure is measured under
_CONDITION_BEFORE = re.compile(r"\b(?:at|in|with|using|under|for contexts? of|for up to|up to|from|to)\s+$", re.I)


@lru_cache(maxsize=8)
def _fourth_line(text: str) -> int:
    """Where a text's fifth line starts (a dateline or byline sits above it)."""
    pos = -1
    for _ in range(4):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return len(text) + 1
    return pos


@lru_cache(maxsize=256)
def _sentence_voice(sentence: str) -> tuple[bool, bool]:
    """(first person, the author's own measurement) for a sentence, read once however many figures it holds."""
    return bool(_FIRST_PERSON.search(sentence)), bool(MEASUREMENT.search(sentence))


def worthiness_features(claim: Claim, text: str, best_p: float, n_candidates: int) -> tuple[float, ...]:
    """What makes a number a claim to check or page furniture, a setting, the author's own measurement."""
    q, k = claim.quantity, claim.quantity.kind
    line_start = text.rfind("\n", max(0, claim.start - 400), claim.start) + 1 or max(0, claim.start - 400)
    line_end = text.find("\n", claim.start, claim.start + 400)
    line = text[line_start:line_end if line_end >= 0 else claim.start + 400]     # a long line is no heading
    offset = claim.start - claim.sentence_start
    before = claim.sentence[max(0, offset - 60):offset]
    x = {
        "bias": 1.0,
        "k_money": k is Kind.MONEY, "k_percent": k is Kind.PERCENT, "k_count": k in (Kind.COUNT, Kind.NUMBER),
        "k_quantity": k in (Kind.QUANTITY, Kind.DURATION), "k_date": k is Kind.DATE, "k_time": k is Kind.TIME,
        "k_ratio": k in (Kind.MULTIPLIER, Kind.POINTS, Kind.FRACTION, Kind.ORDINAL),
        "year_like": (k is Kind.DATE and q.precision == "year") or (
            k in (Kind.COUNT, Kind.NUMBER) and isinstance(q.value, float) and 1900 <= q.value <= 2100
            and q.value.is_integer() and not q.unit_words),
        "period_label": k is Kind.DATE and (q.precision in ("quarter", "half") or str(q.value).startswith("FY")),
        "hedged": q.qualifier is not Qualifier.EXACT,
        "range": q.range_end is not None,
        "has_unit": bool(q.unit or q.unit_words or q.per),
        "small": isinstance(q.value, float) and q.value in (0.0, 1.0) and k in (Kind.COUNT, Kind.NUMBER),
        "first_person": _sentence_voice(claim.sentence)[0],
        "measurement": _sentence_voice(claim.sentence)[1],
        "in_parens": before.count("(") > before.count(")"),
        "early_line": claim.start < _fourth_line(text),
        "short_line": len(line.split()) <= 12 and not line.rstrip().endswith((".", "!", "?")),
        "best_p": best_p,
        "no_candidates": n_candidates == 0,
        "known_local": any(e.known and e.local for e in claim.entities),
        "joined_word": bool(re.match(r"-[A-Za-z]", text[claim.end:claim.end + 2])),
        "decimal_bare": k in (Kind.COUNT, Kind.NUMBER) and not q.unit_words and "." in claim.text,
        "others": said_by_others(claim) is not None,
        "names_variant": bool(_VARIANT_AFTER.match(text[claim.end:claim.end + 24])),
        "after_the": bool(re.search(r"\b(?:the|a|an|its|their)\s+$", before[-8:], re.I)),
        "table_header": "|" in line and text[:line_start].rstrip("\n").rsplit("\n", 1)[-1].count("|") < 2,
        "condition": bool(_CONDITION_BEFORE.search(before[-20:])),
        "in_name_parens": bool(re.search(r"\w\s*\($", before[-12:])) and text[claim.end:claim.end + 1] == ")",
    }
    return tuple(float(x[f]) for f in WORTHY_FEATURES)
