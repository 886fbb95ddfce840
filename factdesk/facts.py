"""Reference facts as stored, and their values read into comparable form."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from extractors.lexicon import CLASS_NOUNS, REGION_WORDS, STOPWORDS, concepts, is_identifier, normalize, replace_phrases, words_of
from extractors.periods import ANNUAL, reporting_periods, strip_reporting_periods
from extractors.numbers import SCALE_WORDS
from extractors.quantities import EVERY_NOUN, UNIT_TABLE, rate_in  # one source of units, plurals and rates
from extractors.model import Kind, Rate

CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "KRW", "CAD", "AUD", "CHF", "NZD", "HKD", "SGD",
              "BRL", "RUB"}
_FACT_UNIT_ALIASES = {
    "percent": ("%", Kind.PERCENT), "%": ("%", Kind.PERCENT), "pct": ("%", Kind.PERCENT),
    "percentile": ("%", Kind.PERCENT),
    "percentage points": ("pp", Kind.POINTS), "pp": ("pp", Kind.POINTS), "ppt": ("pp", Kind.POINTS),
    # a benchmark's "points" are a score, not percentage points
    "points": (None, Kind.NUMBER), "pts": (None, Kind.NUMBER), "score": (None, Kind.NUMBER),
    "in": ("inch", Kind.QUANTITY), "in.": ("inch", Kind.QUANTITY), "inches": ("inch", Kind.QUANTITY),
    "x": ("x", Kind.MULTIPLIER), "times": ("x", Kind.MULTIPLIER), "ratio": ("x", Kind.MULTIPLIER),
    "date": ("date", Kind.DATE), "count": (None, Kind.COUNT), "number": (None, Kind.COUNT),
    "k": ("kelvin", Kind.QUANTITY),
    # unit names too short to read in running text are plain in a unit column
    "m": ("m", Kind.QUANTITY), "h": ("h", Kind.DURATION), "hr": ("h", Kind.DURATION), "sec": ("s", Kind.DURATION),
}
_ATTR_SPLIT = re.compile(
    r"\s*\(|\)|\s+(?:per|at|vs\.?|versus|incl\.?|including|excluding|excl\.?|on|for|in|with|relative to|over)\s+",
    re.IGNORECASE)
_BOUNDS = {normalize("minimum"), normalize("maximum")}
# display resolutions and frame rates name the conditions of a measurement, not the measurement
_CONDITION = re.compile(r"(?:\d{3,4}p|[248]K|\d{3,4}p\d{2,3}|[248]Kp\d{2,3})", re.IGNORECASE)
# Words any attribute of a kind may carry without saying which fact it is ("MMLU score", "release date").
KIND_WORDS = {
    # a "launch", "list" or "retail" price is the price, as a "GAAP" margin is the margin
    Kind.MONEY: {"usd", "dollar", "release", "list", "retail", "suggest", "recommend", "offici"},
    Kind.DATE: {"date", "day"},
    Kind.PERCENT: {"score", "percent", "percentag", "rate", "share"},
    Kind.COUNT: {"count", "number"},
    # a duration is a time: "full charge time" is said by "a full charge took six hours"
    Kind.DURATION: {"time", "durat"},
}
# "GAAP" is the default basis a figure is reported on, as "total" is the default scope
GENERIC_WORDS = {"score", "valu", "value", "number", "total", "overall", "amount", "figur", "level"}
CHANGE_WORDS = {"growth", "decline", "chang", "change", "uplift", "improv", "reduct", "yoy", "qoq", "relat", "vs",
                "over", "boost", "cut", "advantag", "lead", "addit", "extra"}


@dataclass(frozen=True)
class Fact:
    """One sourced reference value for an entity's attribute, as imported."""

    id: int
    entity: str
    attribute: str
    value: str
    unit: str
    as_of: str
    source_url: str
    note: str = ""
    valid_from: str = ""    # ISO date the value took effect ("" = always)
    valid_to: str = ""      # ISO date it stopped applying ("" = still applies)
    origin: str = ""        # "" for a primary source; else the registry it came from ("LiteLLM registry")

    def valid_on(self, day: str) -> bool:
        """Whether the value applied on `day` (ISO date; partial dates compare by their start)."""
        return (not self.valid_from or self.valid_from <= day) and (not self.valid_to or day < self.valid_to)

    @cached_property
    def reading(self) -> "FactReading":
        return read_fact(self)


@dataclass(frozen=True)
class FactReading:
    """A fact's value and unit made comparable, and its attribute split into kinds of words."""

    kind: Kind
    value: float | str              # float, or ISO-ish date text
    unit: str | None                # canonical unit ("GB", "%", "USD"); None for plain counts
    unit_words: tuple[str, ...]     # counted noun of a count unit ("gpu", "hour")
    per: Rate | None
    identifiers: tuple[str, ...]    # name-like words of the attribute's core: all must be present
    descriptors: tuple[str, ...]    # other content words of the core
    qualifiers: tuple[str, ...]     # words after "per", "vs", in parentheses: they help, never required
    change: bool                    # the attribute is a change ("growth", "uplift vs ...")
    dimension: str                  # what it measures, for grouping competing facts
    generic: tuple[str, ...] = ()   # words any such fact may carry ("total", "score"): a little evidence
    periods: tuple[tuple[str, str], ...] = ()   # reporting period: (("fiscal_year", "fy2025"), ("quarter", "q3"))
    step: float = 0.0               # the place the source rounded to ("27.0" billion: 0.1 billion), 0 if exact

    def period(self, kind: str) -> str | None:
        return next((token for k, token in self.periods if k == kind), None)


def _attr_parts(attribute: str) -> tuple[str, str]:
    """(core, qualifiers) of an attribute. A rate ends at a comma: "on-demand price per GPU-hour, Tundra Max
    (US regions)" has the core "on-demand price Tundra Max", and "per GPU-hour (US regions)" only qualifies."""
    m = _ATTR_SPLIT.search(attribute)
    if not m:
        return attribute, ""
    core, rest = attribute[:m.start()], attribute[m.start():]
    if m.group().strip().lower() == "per":
        comma, paren = rest.find(","), rest.find("(")
        if comma != -1 and (paren == -1 or comma < paren):
            more_core, more_rest = _attr_parts(rest[comma + 1:])
            return f"{core} {more_core}", f"{rest[:comma]} {more_rest}"
    return core, rest


_SCALE_NORMS = {normalize(w) for w in ("thousand", "million", "billion", "trillion")}


def read_fact(f: Fact) -> FactReading:
    """Parse a fact's value and unit and classify the words of its attribute."""
    kind, unit, unit_words, per, scale = _unit_reading(f.unit or "", f.attribute)
    value: float | str
    step = 0.0
    if kind is Kind.DATE:
        value = f.value.strip()
    else:
        try:
            written = f.value.replace(",", "").strip()
            value = float(written) * scale
            # the source rounded to this place: written decimals ("27.0" billion), or a whole percentage;
            # a whole number of anything else ("6" GHz) may be exact, and so are all and none ("100%" recall is
            # every needle found, and 99.6% is not that)
            if "." in written:
                step = 10.0 ** -len(written.partition(".")[2]) * scale
            elif kind is Kind.POINTS or (kind is Kind.PERCENT and value not in (0.0, 100.0)):
                step = 1.0
        except ValueError:
            value = f.value.strip()
            kind = Kind.DATE if re.match(r"^\d{4}", value) else kind
    return FactReading(kind, value, unit, unit_words, per, *_attribute_reading(f.attribute, kind, unit, unit_words,
                                                                               per), step)


@lru_cache(maxsize=8192)
def _unit_reading(unit_text: str, attribute: str) -> tuple[Kind, str | None, tuple[str, ...], Rate | None, float]:
    """A fact's unit read: (kind, canonical unit, counted noun, rate, scale); many facts share one."""
    unit_raw = unit_text.strip()
    scale = 1.0
    words = unit_raw.split()
    if words and words[0].lower() in SCALE_WORDS:
        scale = SCALE_WORDS[words[0].lower()]
        unit_raw = " ".join(words[1:])
    per = None
    rate_src = None
    if "/" in unit_raw and unit_raw.split("/")[0].strip().upper() in CURRENCIES:
        rate_src = unit_raw[unit_raw.index("/"):]
        unit_raw = unit_raw.split("/")[0].strip()
    elif re.search(r"\bper\b", unit_raw) and unit_raw.split()[0].upper() in CURRENCIES:
        rate_src = unit_raw[unit_raw.index(" "):]
        unit_raw = unit_raw.split()[0]
    unit_words: tuple[str, ...] = ()
    if unit_raw.upper() in CURRENCIES:
        kind, unit = Kind.MONEY, unit_raw.upper().replace("RMB", "CNY")
    elif unit_raw.lower() in _FACT_UNIT_ALIASES:
        unit, kind = _FACT_UNIT_ALIASES[unit_raw.lower()]
    elif unit_raw in UNIT_TABLE:
        unit, kind = UNIT_TABLE[unit_raw]
    elif unit_raw.lower() in UNIT_TABLE:
        unit, kind = UNIT_TABLE[unit_raw.lower()]
    elif unit_raw:
        kind, unit = Kind.COUNT, None
        # "million accelerator-hours" counts accelerator-hours: its words, as an article writes them apart
        unit_words = tuple(normalize(w) for w in re.findall(r"[A-Za-z0-9]+", unit_raw) if len(w) > 1)
    else:
        kind, unit = Kind.NUMBER, None
    if kind is Kind.MONEY:
        src = rate_src or attribute
        per = rate_in(src)
    return kind, unit, unit_words, per, scale


@lru_cache(maxsize=16384)
def _attribute_reading(attribute_text: str, kind: Kind, unit: str | None, unit_words: tuple[str, ...],
                       per: Rate | None) -> tuple:
    """The words of an attribute sorted into identifiers, descriptors and qualifiers, with its periods; the
    middle fields of `FactReading`, shared by every fact with this attribute and unit."""
    found = reporting_periods(attribute_text)
    if ANNUAL.search(attribute_text) and "fiscal_year" in found and "quarter" not in found:
        found["span"] = "annual"        # "full-year revenue guidance (FY2026)": the year's, not a quarter's
    periods = tuple(sorted(found.items()))
    # the period is compared as a period, not as words ("Q3" and "third quarter" alike)
    attribute = replace_phrases(re.sub(r"\(\s*\)", " ", ANNUAL.sub(" ", strip_reporting_periods(attribute_text))).strip())
    # "units shipped since launch, as of 2026-03-31": when the count was taken, not words a sentence says
    attribute = re.sub(r",?\s*\bas of\s+\d{4}-\d{2}(?:-\d{2})?\b", " ", attribute).strip()
    core, rest = _attr_parts(attribute)
    # "total board power": the board is the thing itself, as "total" is any such figure
    implied = set(unit_words) | KIND_WORDS.get(kind, set()) | GENERIC_WORDS | CLASS_NOUNS
    if per is not None:
        implied.add("price")  # an amount per token, per month or per hour is a price
        implied.update(normalize(w) for w in EVERY_NOUN)   # "monthly" is the rate itself
    ids, descs, generic, optional = [], [], [], []
    # "Tern X", "Roam X": a one-letter variant is part of the name, read joined as an article's words are
    for a, b in re.findall(r"\b([A-Z][A-Za-z0-9-]*)\s+([A-Z])\b", core):
        ids.append(normalize(a + b))
    # "monthly price, 1 line, autopay": a count of one is the plain reading, which a sentence need not say
    single = {m.start() for m in re.finditer(r"(?<![\d.,])\b1(?=\s+[a-z])", core)}
    offset = 0
    for chunk in core.split():
        at = core.index(chunk, offset)
        offset = at + len(chunk)
        if at in single:
            optional.append("1")
            continue
        if normalize(chunk) in REGION_WORDS:
            optional.append(normalize(chunk))
            continue
        parts = [w for w in words_of(chunk)]
        joined = len(parts) > 1
        # "SWE-bench" is required as one name; its parts alone would also match "SWE" and "bench"
        if _CONDITION.fullmatch(chunk):
            optional.append(normalize(chunk))   # "4K raster performance": a test condition qualifies
            continue
        for raw in (parts[-1:] if joined else parts):
            n = normalize(raw)
            if n in GENERIC_WORDS or n in CLASS_NOUNS:
                generic.append(n)
            if not n or (len(raw) < 2 and not raw.isdigit()) or n in implied or n in STOPWORDS:
                continue
            if joined and not is_identifier(chunk):
                continue    # "on-demand" is its parts (below), not also a word "ondemand" to be said
            (ids if is_identifier(chunk if joined else raw) else descs).append(n)
        if joined and not is_identifier(chunk):
            # a plain hyphenated word ("pre-training") counts by its parts
            for raw in parts[:-1]:
                n = normalize(raw)
                if n and n not in implied and n not in STOPWORDS:
                    descs.append(n)
    if per is not None:
        # "input tokens, USD per million": "tokens" is what the rate counts, not a word to be said
        descs = [d for d in descs if d != normalize(per.noun) and d not in _SCALE_NORMS]
    if kind is Kind.DATE:
        # "pre-order start date": a date starts something; it is no minimum
        descs = [d for d in descs if d not in _BOUNDS]
    quals = tuple(dict.fromkeys([*optional, *(c for c in concepts(rest) if c not in implied)]))
    change = bool(set(concepts(attribute)) & CHANGE_WORDS) or kind is Kind.POINTS
    if change:
        # "revenue growth year over year": that it is a change the claim's form says; what changed must be read
        generic += [d for d in descs if d in CHANGE_WORDS]
        descs = [d for d in descs if d not in CHANGE_WORDS]
    dimension = f"{kind.value}:{unit or ''}:{'/'.join(unit_words[-1:])}:{per.noun if per else ''}"
    return (tuple(dict.fromkeys(ids)), tuple(dict.fromkeys(d for d in descs if d not in ids)), quals, change,
            dimension, tuple(dict.fromkeys(generic)), periods)
