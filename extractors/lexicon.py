"""Normal forms of words, shared by claim context and fact attributes so both sides compare alike.

The synonym groups are general tech-news vocabulary ("launched" = "released", "entry-level" = "minimum");
they must never name a particular product, benchmark or attribute.
"""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

STOPWORDS = frozenset("""
a an the of for and or on in at to is are was were be been being with by as its it it's this that these those
their there they them we our you your he she his her from into than then so such but if while which who whom
what when where how also just only even still very much more most less than about some any all each both
has have had do does did will would can could should may might must not no nor per via vs versus vs. v
says said say according here now new one
""".split())

# Canonical concept <- words that express it (compared after stemming, so "launched" = "launch").
_SYNONYMS = {
    "release": ["launch", "roll", "rollout", "unveil", "debut", "introduce", "ship", "shipment", "arrive",
                "available", "availability", "publish"],
    "thick": ["thinner", "thinnest", "slimmer", "slimmest"],
    "weight": ["weigh", "heavier", "heaviest", "lighter", "lightest"],
    "height": ["tall", "taller"],
    "width": ["wider"],
    "price": ["cost", "pricing", "charge", "fee", "sell", "retail", "msrp", "subscription"],
    "minimum": ["min", "start", "entry", "base", "lowest", "cheapest"],
    "maximum": ["max", "peak", "top", "highest", "limit"],
    "guidance": ["forecast", "outlook", "guide", "projection", "expect", "anticipate"],
    "employe": ["headcount", "staff", "workforce", "worker"],
    "previous": ["prior", "former", "old", "earlier"],
    "power": ["wattage", "draw"],
    "claim": ["promise", "tout"],
    "nongaap": ["adjusted", "adj"],
    "cached": ["cache"],
    "cpu": ["processor"],
    "gpu": ["graphics"],
    "memory": ["ram", "lpddr", "lpddr4", "lpddr4x", "lpddr5", "lpddr5x", "ddr4", "ddr5", "sdram", "dram"],
    "storage": ["ssd", "disk"],
    "parameter": ["param", "params"],
    "train": ["pretrain", "pretrained", "pretraining"],
    "score": ["scored", "achieve", "accuracy"],
    "active": ["activate", "activated", "activation"],
    "dual": ["two", "double", "simultaneous"],
    "performance": ["perform", "speed"],
    "uplift": ["improvement", "speedup", "faster"],
    "output": ["completion"],
    "input": ["prompt"],
    "quarterly": ["quarter"],
    # a change up or down; facts that say "change" are met by either (see the claim context)
    "growth": ["grow", "grew", "grown", "increase", "rise", "rose", "risen", "gain", "climb", "jump", "surge",
               "expand", "expansion"],
    "decline": ["declin", "fall", "fell", "fallen", "drop", "decrease", "shrink", "shrank", "slip", "slide",
                "slid", "dip"],
    "revenue": ["sales", "turnover"],
}
# Words a unit implies: "16nm" talks about a process node even when the sentence says only "chip".
UNIT_IMPLIES = {
    "nm": ("process", "node"),
    "GHz": ("clock", "frequency"), "MHz": ("clock", "frequency"),
    "W": ("power",), "kW": ("power",), "A": ("current",), "mA": ("current",), "V": ("voltage",),
    "degC": ("temperature",), "degF": ("temperature",), "mAh": ("battery", "capacity"), "Wh": ("battery", "capacity"),
    "nit": ("brightness",), "bit": ("width",),
    "GB/s": ("bandwidth", "speed"), "MB/s": ("bandwidth", "speed"), "TB/s": ("bandwidth", "speed"),
    "TBW": ("endurance",), "PBW": ("endurance",),
    "Gb/s": ("speed", "throughput"), "Mb/s": ("speed", "throughput"),
    "Hz": ("rate",), "x": ("uplift",), "MT/s": ("transfer", "rate", "memory", "speed"),
    "KB": ("capacity", "size"), "MB": ("capacity", "size"), "GB": ("capacity", "size"), "TB": ("capacity", "size"),
    "tokens/s": ("speed",),
    "g": ("weight",), "kg": ("weight",), "oz": ("weight",), "lb": ("weight",),
    "MP": ("resolution",), "inch": ("size",), "kelvin": ("color", "temperature"),
    "ppi": ("pixel", "density"),
}

# Phrases whose meaning is not that of their words, read as one concept on both sides.
_PHRASES = {
    "release": ["on sale", "in stores", "on shelves", "hits shelves", "goes live", "general availability"],
    "yoy": ["year over year", "year-over-year", "year on year", "from a year earlier", "from a year ago",
            "than a year ago", "a year earlier", "a year ago"],
    "psu": ["power supply", "power supplies", "power supply unit"],
    "ep": ["earnings per share", "earnings a share", "profit per share"],
    "minimum": ["low end", "lower end", "bottom end", "low-end"],
    "maximum": ["high end", "upper end", "top end", "high-end"],
    "revenue": ["net revenue", "net revenues", "net sales"],     # what companies report as their revenue
    "qoq": ["quarter over quarter", "quarter-over-quarter", "quarter on quarter", "from the previous quarter",
            "sequentially"],
}


def _phrase_key(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.lower()).strip()


_PHRASE_CONCEPT = {_phrase_key(p): concept for concept, ps in _PHRASES.items() for p in ps}
PHRASES = re.compile(r"\b(?:" + "|".join(r"[\s-]+".join(map(re.escape, key.split()))
                                        for key in sorted(_PHRASE_CONCEPT, key=len, reverse=True)) + r")\b",
                     re.IGNORECASE)


def phrase_concept(phrase: str) -> str:
    """The concept a phrase found by `PHRASES` stands for ("goes on sale" -> "release")."""
    return _PHRASE_CONCEPT[_phrase_key(phrase)]


def replace_phrases(text: str) -> str:
    """`text` with each such phrase written as its concept ("revenue growth year over year" -> "... yoy")."""
    return PHRASES.sub(lambda m: phrase_concept(m.group()), text)


_SPLIT = re.compile(r"[A-Za-z0-9$]+(?:\.[0-9]+)?")


_STEMMER = snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """The Porter2 stem of a lowercased word; words with digits stay as they are ("l2", "4k")."""
    w = word.lower()
    if any(ch.isdigit() for ch in w):
        return w
    return _STEMMER.stemWord(w)


_CANON = {stem(w): concept for concept, ws in _SYNONYMS.items() for w in (concept, *ws)}


_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"}
# "one-year" joined is "oneyear": the same compound as "1-year" ("1year")
_SPELLED_COMPOUND = re.compile(rf"^({'|'.join(_NUMBER_WORDS)})([a-z]{{3,}})$")


@lru_cache(maxsize=65536)
def normalize(word: str) -> str:
    """The concept a single word stands for ("launched" -> "release", "Processors" -> "cpu")."""
    w = word.lower().strip(".,;:!?()[]{}'\"")
    if not w:
        return ""
    spelled = _SPELLED_COMPOUND.match(w)
    if spelled and spelled.group(2) not in ("thing", "self", "selves", "ness"):
        w = _NUMBER_WORDS[spelled.group(1)] + spelled.group(2)
    s = stem(w)
    return _CANON.get(s, s)


def words_of(text: str) -> list[str]:
    """Word forms of a phrase: each part of a hyphenated or slashed compound, plus the compound joined.

    "SWE-bench Verified" gives SWE, bench, SWEbench, Verified. Spaced words are not joined here; the
    claim context joins neighbouring tokens itself, so "Multi Challenge" still meets "MultiChallenge".
    """
    out: list[str] = []
    for chunk in text.split():
        parts = _SPLIT.findall(chunk)
        out.extend(parts)
        if len(parts) > 1:
            out.append("".join(parts))
    return out


def concepts(text: str) -> list[str]:
    """Normalised content words of a phrase, without stopwords."""
    return [n for n in (normalize(w) for w in words_of(text)) if n and n not in STOPWORDS]


# Abbreviations that are ordinary vocabulary in tech and business writing, not names: an attribute that
# says "US launch price" or "GPU clock (base)" is still matched by "starting at $799" or "2.21 GHz base".
COMMON_ABBREVIATIONS = {
    "us", "usa", "uk", "eu", "usd", "eur", "gbp", "gpu", "cpu", "npu", "soc", "ram", "ssd", "hdd", "api", "ai",
    "gaap", "eps", "msrp", "rrp", "tdp", "tbp", "oled", "lcd", "led", "pc", "os", "io", "i/o", "ui", "fps",
    "yoy", "qoq", "ttm", "ltm", "capex", "opex", "r&d", "ceo", "cfo", "ipo", "hz", "max", "min",
}


# Markets a figure may be stated for. "US price" is the price unless a sibling fact names another market,
# so a market word qualifies an attribute rather than naming it.
REGION_WORDS = frozenset(stem(w) for w in """
us usa american uk british eu europe european eurozone global worldwide international domestic china chinese japan
japanese india indian germany german france french canada canadian australia australian korea korean
emea apac americas asia
""".split())


# Nouns that stand for the thing a passage is about rather than for something measured of it:
# "the company's data-center segment", "the card's clock".
CLASS_NOUNS = frozenset(normalize(w) for w in """
company firm business group maker vendor manufacturer division product device model phone handset card chip
board service platform system unit plan tier they it
""".split())


def is_identifier(word: str) -> bool:
    """A name-like word that must be matched: capitalised, all caps or containing a digit ("MMLU", "L2", "Verified").

    Common abbreviations ("GPU", "US", "GAAP") are vocabulary, not names.
    """
    if word.casefold() in COMMON_ABBREVIATIONS:
        return False
    return any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word)


def versioned(name: str) -> bool:
    """Whether a name carries a model number or version ("Qwen1.5 32B", "RTX 5090"), as product names do and labels
    a recogniser takes for names ("YOY", "Gross Bookings") seldom do."""
    return any(ch.isdigit() for ch in name)
