"""Find every numeric mention in raw text: money, rates, percents, multipliers, units, dates, times, ranges.

The scanner works on characters, not tokens, so offsets are exact and it needs no model. Counted nouns
("256 routed experts") and what the number is about are added later from the parse (`claims.py`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from .model import Kind, Mention, Qualifier, Quantity, Rate
from .numbers import (
    DIGIT_NUMBER, ORDINAL_WORDS, SCALE_LETTERS, SCALE_WORDS, WORD_NUMBER,
    parse_digits, parse_words, word_precision,
)

# --- units -------------------------------------------------------------------------------------------
# surface -> (canonical unit, kind). Canonical names are what `factdesk.units` understands.
UNIT_TABLE: dict[str, tuple[str, Kind]] = {}


def _units(kind: Kind, canonical: str, *surfaces: str) -> None:
    for s in surfaces:
        UNIT_TABLE[s] = (canonical, kind)


Q, D = Kind.QUANTITY, Kind.DURATION
_units(Kind.PERCENT, "%", "%", "percent", "per cent", "pct")
_units(Kind.POINTS, "pp", "percentage points", "percentage point", "pp", "ppt", "ppts")
_units(Kind.MULTIPLIER, "x", "x", "X", "×", "times", "fold", "-fold")
for prefix, name in (("", ""), ("k", "kilo"), ("K", "kilo"), ("M", "mega"), ("G", "giga"), ("T", "tera"), ("P", "peta")):
    if prefix:
        _units(Q, f"{prefix.upper() if prefix != 'k' else 'K'}B", f"{prefix}B", f"{name}bytes", f"{name}byte")
        _units(Q, f"{prefix.upper() if prefix != 'k' else 'K'}b", f"{prefix}b", f"{prefix}bit", f"{name}bits", f"{name}bit")
        _units(Q, f"{prefix.upper() if prefix != 'k' else 'K'}B/s", f"{prefix}B/s", f"{prefix}Bps")
        _units(Q, f"{prefix.upper() if prefix != 'k' else 'K'}b/s", f"{prefix}b/s", f"{prefix}bps", f"{prefix}bit/s")
        _units(Q, f"{prefix.upper() if prefix != 'k' else 'K'}Hz", f"{prefix}Hz", f"{name}hertz")
for prefix in ("Ki", "Mi", "Gi", "Ti"):
    _units(Q, f"{prefix}B", f"{prefix}B")
_units(Q, "B", "bytes", "byte")
_units(Q, "bit", "bit", "bits")
_units(Q, "Hz", "Hz", "hertz")
_units(Q, "Hz", "fps", "frames per second")
_units(Q, "MT/s", "MT/s", "MTps")
_units(Q, "GT/s", "GT/s", "GTps")
_units(Q, "W", "W", "watts", "watt")
_units(Q, "kW", "kW", "kilowatts", "kilowatt")
_units(Q, "mW", "mW", "milliwatts")
_units(Q, "Wh", "Wh", "watt-hours", "watt hours", "watt-hour", "watt hour")
_units(Q, "kWh", "kWh", "kilowatt-hours", "kilowatt hours", "kilowatt-hour", "kilowatt hour")
_units(Q, "mAh", "mAh")
_units(Q, "V", "V", "volts", "volt")
_units(Q, "A", "A", "amps", "amp", "amperes", "ampere")
_units(Q, "mA", "mA", "milliamps")
_units(Q, "nit", "nits", "nit", "cd/m2", "cd/m²")
_units(Q, "nm", "nm", "nanometer", "nanometers", "nanometre", "nanometres")
_units(Q, "mm", "mm", "millimeters", "millimetres", "millimeter", "millimetre")
_units(Q, "cm", "cm", "centimeters", "centimetres")
_units(Q, "m", "meters", "metres", "meter", "metre")
_units(Q, "km", "km", "kilometers", "kilometres")
_units(Q, "inch", "inch", "inches", "-inch", "in.", '"', "″")
_units(Q, "ft", "ft", "feet", "foot")
_units(Q, "mile", "miles", "mile", "mi")
_units(Q, "g", "g", "grams", "gram")
_units(Q, "kg", "kg", "kilograms", "kilogram", "kilos")
_units(Q, "mg", "mg", "milligrams")
_units(Q, "lb", "lb", "lbs", "pounds of")
_units(Q, "oz", "oz", "ounces", "ounce")
_units(Q, "t", "tonnes", "tons", "metric tons")
_units(Q, "kelvin", "kelvin", "kelvins")
_units(Q, "degC", "°C", "degrees Celsius", "degrees C", "C°", "C", "degC")
_units(Q, "degF", "°F", "degrees Fahrenheit", "degrees F", "degF")
_units(Q, "mph", "mph", "miles per hour")
_units(Q, "km/h", "km/h", "kph", "kilometers per hour", "kilometres per hour")
_units(Q, "dB", "dB", "decibels")
_units(Q, "rpm", "rpm", "RPM")
_units(Q, "MP", "MP", "megapixels", "megapixel")
_units(Q, "ppi", "ppi", "PPI", "pixels per inch")
_units(Q, "TBW", "TBW")       # drive endurance: terabytes written
_units(Q, "PBW", "PBW")
_units(Q, "TOPS", "TOPS")
_units(Q, "TFLOPS", "TFLOPS", "teraflops", "TFLOPs")
_units(Q, "PFLOPS", "PFLOPS", "petaflops")
_units(Q, "tokens/s", "tokens/s", "tokens/second", "tokens per second", "tok/s", "t/s")
_units(D, "ms", "ms", "milliseconds", "millisecond")
_units(D, "s", "seconds", "second", "secs", "sec", "s")
_units(D, "min", "minutes", "minute", "mins", "min")
_units(D, "h", "hours", "hour", "hrs", "hr")
_units(D, "day", "days", "day")
_units(D, "week", "weeks", "week")
_units(D, "month", "months", "month")
_units(D, "year", "years", "year", "yrs")
_units(D, "decade", "decades", "decade")

# Units that must be glued to the number or follow one space, never across words: longest first.
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNIT_TABLE, key=len, reverse=True))
UNIT_AFTER = re.compile(rf"(?:\s?-?\s?)({_UNIT_ALT})(?![A-Za-z0-9²])")
# Units that only count when glued ("5s", "3h") would misread prose when spaced ("5 s" is rare but "a" is not).
_GLUED_ONLY = {"s", "A", "V", "g", "m", "t", "mi", "min", "h", "in.", '"', "″", "b", "B", "x", "X", "C°", "C"}
_SPACED_AT_END = {"g", "A", "V", "m", "h", "mi", "min"}   # spaced, but closing the phrase: "38 g.", "2 A)"

CURRENCY_PREFIX = re.compile(
    r"(?:(US|A|AU|C|CA|NZ|HK|S|R)\$|(\$)|(€)|(£)|(¥)|(₹)|(₩)|(₽)|\b(USD|EUR|GBP|JPY|CNY|RMB|INR|KRW|CAD|AUD|CHF)\s?)$"
)
_PREFIX_CODES = {"US": "USD", "A": "AUD", "AU": "AUD", "C": "CAD", "CA": "CAD", "NZ": "NZD", "HK": "HKD",
                 "S": "SGD", "R": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY/CNY", "₹": "INR",
                 "₩": "KRW", "₽": "RUB", "RMB": "CNY"}
CURRENCY_AFTER = re.compile(
    r"\s?(USD|EUR|GBP|JPY|CNY|RMB|INR|KRW|CAD|AUD|CHF|dollars?|euros?|pounds sterling|yen|yuan|renminbi|"
    r"rupees?|cents?)(?![A-Za-z])", re.IGNORECASE)
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pounds sterling": "GBP",
                   "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "rmb": "CNY",
                   "cent": "USD", "cents": "USD"}

SCALE_AFTER = re.compile(r"\+?(?:\s*|-)(thousand|million|billion|trillion|mn|mln|bn|tn|lakh|crore)(?![A-Za-z])",
                         re.IGNORECASE)
SCALE_LETTER_AFTER = re.compile(r"([kKMmBbT])(?![A-Za-z0-9])")
RATE_AFTER = re.compile(
    r"[ \t]*(?:/|\bper\b|\ba\b|\ban\b|\beach\b)[ \t]*"
    r"(?:(\d[\d,]*(?:\.\d+)?|one|a)[ \t]*)?(?:(thousand|million|billion|trillion|[kKMB])\b[ \t]*)?"
    r"((?:(?!(?:and|or|with|for|in|on|at|to|of|from|than|the|ago|while|which|but|through|via|by|as|when|after|"
    r"before|during|across|since|until)\b)[A-Za-z][\w-]*[ \t]?){0,3})"
)
# nouns a price may be quoted per after "a"/"an": "$9.99 a month", "$1.52 a share"
_TIME_NOUNS = {"second", "minute", "hour", "day", "week", "month", "year", "night", "session", "seat", "user",
               "share", "unit", "license", "copy"}

QUALIFIER_BEFORE = re.compile(
    r"(?:\b(roughly|about|around|approximately|approx\.|an estimated|estimated|some|circa|nearly|almost|"
    r"close to|just under|just over|more than|over|above|at least|upwards of|north of|in excess of|exceeding|"
    r"less than|fewer than|under|below|up to|at most|as much as|as many as|no more than|no less than|not more than)"
    r"|(~|≈|<=|>=|<|>|≥|≤))\s*$",
    re.IGNORECASE,
)
_QUALIFIERS = {
    "roughly": Qualifier.APPROX, "about": Qualifier.APPROX, "around": Qualifier.APPROX,
    "approximately": Qualifier.APPROX, "approx.": Qualifier.APPROX, "an estimated": Qualifier.APPROX,
    "estimated": Qualifier.APPROX, "some": Qualifier.APPROX, "circa": Qualifier.APPROX, "~": Qualifier.APPROX,
    "≈": Qualifier.APPROX, "nearly": Qualifier.NEARLY, "almost": Qualifier.NEARLY, "close to": Qualifier.NEARLY,
    "just under": Qualifier.NEARLY, "just over": Qualifier.AT_LEAST, "more than": Qualifier.AT_LEAST,
    "over": Qualifier.AT_LEAST, "above": Qualifier.AT_LEAST, "at least": Qualifier.AT_LEAST,
    "upwards of": Qualifier.AT_LEAST, "north of": Qualifier.AT_LEAST, "in excess of": Qualifier.AT_LEAST,
    "exceeding": Qualifier.AT_LEAST, "no less than": Qualifier.AT_LEAST, ">": Qualifier.AT_LEAST,
    ">=": Qualifier.AT_LEAST, "≥": Qualifier.AT_LEAST, "less than": Qualifier.AT_MOST,
    "fewer than": Qualifier.AT_MOST, "under": Qualifier.AT_MOST, "below": Qualifier.AT_MOST,
    "up to": Qualifier.UP_TO, "at most": Qualifier.AT_MOST, "as much as": Qualifier.UP_TO,
    "as many as": Qualifier.UP_TO, "no more than": Qualifier.AT_MOST, "not more than": Qualifier.AT_MOST,
    "<": Qualifier.AT_MOST, "<=": Qualifier.AT_MOST, "≤": Qualifier.AT_MOST,
}
QUALIFIER_AFTER = re.compile(r"^(\+|\s+or more\b|\s+and up\b|\s+or less\b|\s+or fewer\b|\s+plus\b)")

CHANGE_BEFORE = re.compile(
    r"\b(up|down|rise|rises|rose|risen|increase[sd]?|decrease[sd]?|grew|grow|grows|growth|fell|fall|falls|drop(?:ped|s)?|"
    r"jump(?:ed|s)?|gain(?:ed|s)?|climb(?:ed|s)?|cut|cuts|slash(?:ed)?|boost(?:ed|s)?|improve[sd]?|reduced?|"
    r"declin(?:e|ed|es)|surge[sd]?|shr[au]nk|by)\s+(?:of\s+)?(?:(?:about|roughly|nearly|almost|some|around|over|"
    r"more than|less than|just|up to|as much as)\s+)?$", re.IGNORECASE)
CHANGE_AFTER = re.compile(
    r"^\s*(?:\w+\s+)?(increase|decrease|reduction|drop|gain|improvement|growth|jump|rise|decline|uplift|boost|"
    r"cut|more|less|fewer|higher|lower|cheaper|faster|slower|better|worse|larger|smaller|year[- ]over[- ]year|"
    r"yoy|qoq|from)\b", re.IGNORECASE)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_YEAR = r"((?:19|20)\d{2})"
DATE_PATTERNS = [
    ("mdy", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?(?![\d:])")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("my", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b")),
    ("iso", re.compile(r"\b((?:19|20)\d{2})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?\b")),
    # "launched last May", "ships in November": a month the article's own date places
    ("month", re.compile(r"\b(?:(?P<rel>last|this|next|early|late|mid-?)\s+|(?:in|since|until|by|from)\s+)"
                         r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
                         r"December)\b(?!\s*\d)")),
    ("quarter", re.compile(r"\b(Q[1-4])\s*(?:of\s+)?(?:(?:FY|fiscal(?:\s+year)?)\s*)?'?((?:19|20)?\d{2})?\b")),
    ("quarter_words", re.compile(
        r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?quarter(?:\s+of)?(?:\s+(?:fiscal(?:\s+year)?|FY)\s*)?"
        r"(?:\s*'?((?:19|20)?\d{2}))?\b", re.IGNORECASE)),
    ("half", re.compile(r"\b(H[12])\s*(?:FY\s*)?'?((?:19|20)?\d{2})\b")),
    ("fiscal", re.compile(r"\b(?:FY\s?'?|fiscal(?:\s+year)?\s+)((?:19|20)?\d{2})\b", re.IGNORECASE)),
    ("year", re.compile(r"(?<![\w$€£¥.,/-])((?:19|20)\d{2})(?:s\b)?(?![\w%]|[.,]\d)")),
]
TIME = re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?\b)?|\b(\d{1,2})\s*([AaPp])\.?[Mm]\.?(?![A-Za-z])")
VIDEO_MODE = re.compile(r"\b([248]K|\d{3,4}p)\s?(?:/|@|p)\s?(\d{2,3})(?:\s?(Hz|fps|FPS))?\b", re.IGNORECASE)
MEMORY_SPEED = re.compile(r"\b(?:LP)?G?DDR\d[A-Z]?-(\d{4,5})\b")
FRACTION = re.compile(r"(?<![\w/.])(\d+)/(\d+)(st|nd|rd|th)?(?![\w/])")
ORDINAL = re.compile(r"(?<![\w.])(\d+)(st|nd|rd|th)\b")
ORDINAL_WORD = re.compile(r"\b(" + "|".join(ORDINAL_WORDS) + r")\b", re.IGNORECASE)
MULTIPLIER_WORDS = re.compile(r"\b(twice|thrice|half|doubled|doubling|tripled|tripling|quadrupled|halved|halving)\b",
                              re.IGNORECASE)
_MULTIPLIER_VALUES = {"twice": 2.0, "thrice": 3.0, "half": 0.5, "doubled": 2.0, "doubling": 2.0, "tripled": 3.0,
                      "tripling": 3.0, "quadrupled": 4.0, "halved": 0.5, "halving": 0.5}
# "4 x ARM Cortex-A76 cores": a count, not a multiplier, when "x" is followed by what is counted.
COUNT_X = re.compile(r"\s[xX×]\s+(?=[A-Za-z(])")
RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|through)\s*$")
RESOLUTION = re.compile(r"(?:\s|-)?(?:[A-Za-z]+\s)?(?:display|monitor|screen|video|resolution|TV|HDR|output|content|"
                        r"gaming|streaming|HDMI|camera|panel|UHD|OLED)"
                        # "faster at 4K in rasterized games", "4K at 60fps", "at 4K.": nothing is counted
                        r"|\s*(?:[.,;:)]|$)|\s+(?:at|in|on|and|or|with|for|to|of|than|vs|while|but)\b", re.IGNORECASE)


def _qualifier(text: str, start: int, end: int) -> tuple[Qualifier, int, int]:
    before = QUALIFIER_BEFORE.search(text[max(0, start - 25):start])
    q, new_start, new_end = Qualifier.EXACT, start, end
    if before:
        word = (before.group(1) or before.group(2)).lower()
        q = _QUALIFIERS.get(word, Qualifier.EXACT)
        if before.group(2):  # a symbol joins the claim's text
            new_start = start - (len(before.group(0)))
    after = QUALIFIER_AFTER.search(text[end:end + 10])
    if re.search(r"\d\+\s*[a-z]", text[start:end]):
        q = Qualifier.AT_LEAST       # "35+ million": the plus sits before the scale word
    elif after:
        word = after.group(1).strip().lower()
        if word in ("+", "or more", "and up", "plus"):
            q = Qualifier.AT_LEAST
            if word == "+":
                new_end = end + 1
        else:
            q = Qualifier.AT_MOST
    return q, new_start, new_end


# "draws 95 watts more than", "$200 cheaper than": a difference between two things, not a level
_DIFFERENCE_AFTER = re.compile(r"\s*(?:more|less|fewer|higher|lower|faster|slower|cheaper|pricier|bigger|smaller|"
                               r"larger|longer|shorter|heavier|lighter|thinner|thicker|dearer)\s+than\b|"
                               # "lands $10 under the Vesper", "$50 over its predecessor": a gap to another thing
                               r"[ \t]+(?:under|over|below|above|behind|ahead of)[ \t]+(?:(?:the|its|their)[ \t]+)?[A-Z]")


# verbs that move a value: "cut by $50", "lifts ... from 205 kW to 250 kW"
_MOVE_VERBS = (
    r"improv(?:e[sd]?|ing)|increas(?:e[sd]?|ing)|decreas(?:e[sd]?|ing)|grew|grows?|grown|growing|rose|rises?|risen|"
    r"fell|falls?|drop(?:ped|s)?|jump(?:ed|s)?|gain(?:ed|s)?|climb(?:ed|s)?|cut(?:s|ting)?|slash(?:ed)?|"
    r"boost(?:ed|s)?|reduc(?:e[sd]?|ing)|shr[au]nk|extend(?:ed|s)?|lengthen(?:ed|s)?|lift(?:ed|s)?|"
    r"rais(?:e[sd]?|ing)|hike[sd]?|hikes|trim(?:med|s)?|lower(?:ed|s)?|widen(?:ed|s)?|narrow(?:ed|s)?|"
    r"slip(?:ped|s)?|bump(?:ed|s)?")
_DIFFERENCE_BEFORE = re.compile(
    r"(?:\b(?:an? )?(?:extra|additional)\s+|"
    rf"\b(?:{_MOVE_VERBS})\s+(?:\w+\s+)?by\s+(?:about|roughly|nearly|almost|some|around|over|"
    r"more than|less than|up to)?\s*|"
    # "a price that has crept up by $150", "down by 4%": whatever the verb, up or down by is a change
    r"\b(?:up|down)\s+by\s+(?:about|roughly|nearly|almost|some|around|over|more than|less than)?\s*)$", re.I)


_CHANGE_VERB = re.compile(r"\b(?:doubl|tripl|quadrupl|halv)(?:ed|ing)\b", re.IGNORECASE)


_PHRASAL_UP = re.compile(r"\b(?:make|makes|made|making|take|takes|took|taking|add|adds|added|sum|sums|summed|"
                         r"end|ends|ended|ending|show|shows|showed|pick|picks|picked|ramp|ramps|ramped)\s+up\s+"
                         r"(?:(?:about|roughly|nearly|almost|some|around|over|more than|less than|just)\s+)?$",
                         re.IGNORECASE)
# "widened to 61.2 percent from 58.4 percent": from one level to another, not a change by 61.2
_LEVEL_FROM = re.compile(r"\s*from\s+(?:about\s+|roughly\s+|around\s+)?\d[\d.,]*\s*(?:%|percent|per cent)",
                         re.IGNORECASE)


def _is_change(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 30):start]
    if CHANGE_BEFORE.search(before) and not _PHRASAL_UP.search(before):
        return True
    after = CHANGE_AFTER.search(text[end:end + 30])
    return bool(after) and not (after.group(1).lower() == "from" and _LEVEL_FROM.match(text, end))


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.taken: list[tuple[int, int]] = []      # sorted by start; they do not overlap
        self.found: list[Mention] = []

    def free(self, start: int, end: int) -> bool:
        # taken spans are sorted and never overlap: only the one before `start` and the first one at or
        # after it can reach into [start, end)
        taken = self.taken
        i = bisect.bisect_left(taken, (start, -1))
        return (i == 0 or taken[i - 1][1] <= start) and (i == len(taken) or taken[i][0] >= end)

    def add(self, start: int, end: int, quantity: Quantity, *, qualify: bool = True) -> None:
        if not self.free(start, end):
            return
        text = self.text
        if qualify:
            q, start, end = _qualifier(text, start, end)
            if q is not Qualifier.EXACT and quantity.qualifier is Qualifier.EXACT:
                quantity = replace(quantity, qualifier=q)
        change = (quantity.kind in (Kind.PERCENT, Kind.POINTS, Kind.MULTIPLIER) and _is_change(text, start, end)) \
            or bool(_CHANGE_VERB.search(text, start, end)) \
            or bool(_DIFFERENCE_AFTER.match(text, end)) or bool(_DIFFERENCE_BEFORE.search(text, max(0, start - 60), start))
        bisect.insort(self.taken, (start, end))
        self.found.append(Mention(start, end, text[start:end], quantity, change=change or quantity.kind is Kind.POINTS))

    # -- dates and times come first: their digits must not be read as counts
    def dates(self) -> None:
        text = self.text
        for style, pattern in DATE_PATTERNS:
            for m in pattern.finditer(text):
                if not self.free(m.start(), m.end()):
                    continue
                parsed = _parse_date(style, m)
                if parsed is None:
                    continue
                value, precision = parsed
                if style == "year" and not _reads_as_year(text, m.start(), m.end()):
                    continue
                # "last May" is said as a whole; in "ships in November" the month alone is the date
                start = m.start("month") if style == "month" and not m.group("rel") else m.start()
                self.add(start, m.end(), Quantity(value, "date", Kind.DATE, precision), qualify=False)
        for m in TIME.finditer(text):
            if m.group(1):
                h, mi = int(m.group(1)), int(m.group(2))
                ampm = (m.group(4) or "").lower()
            else:
                h, mi, ampm = int(m.group(5)), 0, m.group(6).lower()
            if h > 24 or mi > 59:
                continue
            if ampm == "p" and h < 12:
                h += 12
            elif ampm == "a" and h == 12:
                h = 0
            self.add(m.start(), m.end(), Quantity(f"{h:02d}:{mi:02d}:00", "time", Kind.TIME, "minute"), qualify=False)

    def video_modes(self) -> None:
        for m in VIDEO_MODE.finditer(self.text):
            rate = float(m.group(2))
            self.add(m.start(), m.end(), Quantity(rate, "Hz", Kind.QUANTITY, 1.0))

    def memory_speeds(self) -> None:
        """"DDR5-6400", "LPDDR5X-8533": a memory standard and its transfer rate in MT/s."""
        for m in MEMORY_SPEED.finditer(self.text):
            self.add(m.start(), m.end(), Quantity(float(m.group(1)), "MT/s", Kind.QUANTITY, 1.0), qualify=False)

    def fractions(self) -> None:
        for m in FRACTION.finditer(self.text):
            num, den = int(m.group(1)), int(m.group(2))
            if den == 0 or (den <= 12 and num <= 31 and not m.group(3) and den != 2 and den != 4):
                continue  # dates such as 3/12 and scores such as 24/7 are not fractions
            self.add(m.start(), m.end(), Quantity(num / den, None, Kind.FRACTION, 0.0))

    def numbers(self) -> None:
        text = self.text
        spans = [(m.start(), m.end(), m.group(), False) for m in DIGIT_NUMBER.finditer(text)]
        spans += [(m.start(), m.end(), m.group(), True) for m in WORD_NUMBER.finditer(text)]
        spans.sort()
        atoms: list[tuple[int, int, Quantity]] = []
        for start, end, raw, is_word in spans:
            if not self.free(start, end):
                continue
            atom = self._atom(start, end, raw, is_word)
            if atom:
                atoms.append(atom)
        for start, end, quantity in _join_ranges(text, atoms):
            self.add(start, end, quantity)

    def _atom(self, start: int, end: int, raw: str, is_word: bool) -> tuple[int, int, Quantity] | None:
        text = self.text
        if is_word:
            value = parse_words(raw)
            if value is None:
                return None
            step = word_precision(raw, value)
        else:
            value, step = parse_digits(raw)
        scale, binary = 1.0, False
        m = SCALE_AFTER.match(text, end)
        if m:
            scale = SCALE_WORDS[m.group(1).lower()]
            end = m.end()
            step = max(step * scale, scale if "." not in raw else step * scale)
        elif not is_word:
            m = SCALE_LETTER_AFTER.match(text, end)
            if m and not (m.group(1) in "kK" and raw in ("2", "4", "5", "8") and
                          (RESOLUTION.match(text, m.end()) or text[m.end():m.end() + 1] in ("/", "@"))):
                letter = m.group(1)
                # a bare "m"/"b" is a scale only on money ("$5m"); elsewhere it is a unit
                if letter in "mb" and not CURRENCY_PREFIX.search(text[max(0, start - 4):start]):
                    m = None
                # "2,700K" and "6500K" are colour temperatures: nobody writes 2.7 million that way
                if letter == "K" and value >= 1000 and not CURRENCY_PREFIX.search(text[max(0, start - 4):start]):
                    return start, m.end(), Quantity(value, "kelvin", Kind.QUANTITY, step)
                if m:
                    scale = SCALE_LETTERS[letter]
                    binary = letter in "kKM"
                    end = m.end()
                    step *= scale
            elif m:
                return None  # "4K display": a resolution label, not a count
        value *= scale

        # currency before
        cur = CURRENCY_PREFIX.search(text[max(0, start - 4):start])
        currency = None
        if cur:
            token = next(g for g in cur.groups() if g)
            currency = _PREFIX_CODES.get(token, token.upper())
            start -= len(cur.group(0))
        else:
            after = CURRENCY_AFTER.match(text, end)
            if after:
                word = after.group(1)
                currency = _CURRENCY_WORDS.get(word.lower(), word.upper())
                if word.lower().startswith("cent"):
                    value, step = value / 100, step / 100
                end = after.end()
        if currency:
            if not is_word:
                m = SCALE_AFTER.match(text, end)  # "$4.7 billion" after the symbol
                if m and scale == 1.0:
                    s2 = SCALE_WORDS[m.group(1).lower()]
                    value, step, end = value * s2, step * s2, m.end()
            per = None
            r = RATE_AFTER.match(text, end)
            if r:
                per, r_end = _rate(r)
                if per:
                    end = r_end
            return start, end, Quantity(value, currency, Kind.MONEY, step, per=per, binary_scale=binary)

        # "4 x ARM cores" counts what follows
        if not is_word and COUNT_X.match(text, end) and self._line_start(start):
            return start, end + 2, Quantity(value, None, Kind.COUNT, step)
        u = UNIT_AFTER.match(text, end)
        if u:
            surface = u.group(1)
            glued = u.start(1) == end
            if surface in _GLUED_ONLY and not glued and not (
                    surface in _SPACED_AT_END and re.match(
                        r"(?:[.,;:)\]]|\s*$|\s*\n|\s+(?:for|and|or|than|with|without|including|vs\.?|versus)\b)",
                        text[u.end():u.end() + 12])):
                # "weighs 38 g." ends the phrase with its unit; "5 g" mid-sentence stays unread
                u = None
            elif surface not in UNIT_TABLE:
                u = None
        if u and u.group(1) == "C" and not _celsius(text, start, u.end()):
            u = None
        if u:
            canonical, kind = UNIT_TABLE[u.group(1)]
            if kind is Kind.MULTIPLIER and text[u.end():u.end() + 1].isdigit():
                return None
            if canonical in ("degC", "degF") and start and text[start - 1] in "-−" and \
                    (start == 1 or text[start - 2] in " \t\n(:"):
                start, value = start - 1, -value    # "-30C": below zero, not a dash
            return start, u.end(), Quantity(value, canonical, kind, step, binary_scale=binary)
        # unit words written in other cases ("Percent", "Times")
        u2 = re.match(r"\s(percent|per cent|times|fold)\b", text[end:end + 12], re.IGNORECASE)
        if u2:
            canonical, kind = UNIT_TABLE[u2.group(1).lower()]
            return start, end + u2.end(), Quantity(value, canonical, kind, step)
        if is_word and value == 1 and scale == 1.0:
            return None  # "one of the", "a" alone
        glued = re.match(r"[A-Za-z]{1,4}\b", text[end:end + 5])
        if glued and glued.group().lower() in ("st", "nd", "rd", "th"):
            return None  # ordinals are read separately
        if glued and not is_word:
            # "40LP": a number with a label glued on; "3D", "5G" and the like are names, not amounts
            if len(glued.group()) == 1 and glued.group() in "DG":
                return None
            return start, end + glued.end(), Quantity(value, None, Kind.NUMBER, step)
        return start, end, Quantity(value, None, Kind.COUNT if scale == 1.0 else Kind.NUMBER, step,
                                    binary_scale=binary)

    def _line_start(self, start: int) -> bool:
        line = self.text[self.text.rfind("\n", 0, start) + 1:start]
        return not line.strip(" \t-•*·")

    def multipliers_and_ordinals(self) -> None:
        text = self.text
        for m in MULTIPLIER_WORDS.finditer(text):
            word = m.group(1).lower()
            value = _MULTIPLIER_VALUES[word]
            if word == "half" and not re.match(r"\s+(?:the|as|of)\b", text[m.end():m.end() + 6]):
                continue
            self.add(m.start(), m.end(), Quantity(value, "x", Kind.MULTIPLIER, 1.0 if value >= 1 else 0.1))
        for m in ORDINAL.finditer(text):
            self.add(m.start(), m.end(), Quantity(float(m.group(1)), None, Kind.ORDINAL, 1.0), qualify=False)
        for m in ORDINAL_WORD.finditer(text):
            word = m.group(1).lower()
            if word == "second" and re.match(r"\s*(?:,|\.|half|hand|place|quarter|time|generation)", text[m.end():m.end() + 12]) is None \
                    and re.search(r"\b(?:a|per|one|each|every)\s+$", text[max(0, m.start() - 8):m.start()]):
                continue  # "a second", "per second" are time units
            self.add(m.start(), m.end(), Quantity(float(ORDINAL_WORDS[word]), None, Kind.ORDINAL, 1.0), qualify=False)


_YEAR_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|of|from|during|early|late|mid|the|fiscal|year|before|after|through|"
    r"throughout|around|circa|spring|summer|autumn|fall|winter|end|start|beginning|for|to|and|or|between)[\s-]+$|"
    r"['’]s\s+$|^\s*$", re.IGNORECASE)


def _reads_as_year(text: str, start: int, end: int) -> bool:
    """A four-digit number from 1900 to 2099 is a year unless it counts something ("2048 GPUs")."""
    before = text[max(0, start - 12):start]
    after = text[end:end + 2]
    if _YEAR_BEFORE.search(before):
        return True
    return not re.match(r"\s[A-Za-z]", after)


_TEMPERATURE_WORDS = re.compile(r"(?:temperat|degree|°|celsius|operat|ambient|heat|cold|freez|warm|thermal|"
                                r"hot|cool)", re.IGNORECASE)


def _celsius(text: str, start: int, end: int) -> bool:
    """Whether a bare "C" glued to a number is degrees ("-30C to 50C", "runs at 45C when warm"), not a name
    ("the 12C", "a 3C rating"): below zero, one end of a range of them, or temperature talk nearby."""
    if start and text[start - 1] in "-−":
        return True
    if re.match(r"\s*(?:to|-|–|and)\s*-?\d+(?:\.\d+)?\s?C\b", text[end:end + 16]) or \
            re.search(r"-?\d+(?:\.\d+)?C\s*(?:to|-|–|and)\s*$", text[max(0, start - 16):start]):
        return True
    before = re.split(r"[.!?]\s", text[max(0, start - 60):start])[-1]
    after = re.split(r"[.!?]\s", text[end:end + 30])[0]
    return bool(_TEMPERATURE_WORDS.search(before) or _TEMPERATURE_WORDS.search(after))


_AGO = re.compile(r"\s*(?:ago|earlier|before|prior|back)\b", re.IGNORECASE)


def _rate(m: re.Match) -> tuple[Rate | None, int]:
    amount_raw, scale_raw, words_raw = m.group(1), m.group(2), m.group(3)
    words = words_raw.split()
    end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))
    amount = 1.0
    if amount_raw and amount_raw not in ("one", "a"):
        amount = float(amount_raw.replace(",", ""))
    if scale_raw:
        amount *= SCALE_WORDS.get(scale_raw.lower(), SCALE_LETTERS.get(scale_raw, 1.0))
    if not words:
        # "$3 per million" in a price table: a count of something the reader knows, named nowhere
        return (Rate(amount, "") if scale_raw else None), end
    noun = words[-1].lower().rstrip(".,;:")
    if amount > 1 and noun.isalpha() and len(noun) > 3 and not noun.endswith("s"):
        # more than one of a thing is plural: "$1.10 per million input" counts input tokens left unsaid, and
        # "input" says which price, not what is counted
        return Rate(amount, ""), end
    after_article = m.group(0).lstrip().lower().startswith(("a ", "an "))
    if after_article and _AGO.match(m.string, m.end()):
        return None, m.end()        # "$62.0 billion a year ago" is a year-ago figure, not a yearly rate
    if after_article and singular(noun) not in _TIME_NOUNS:
        # "$400 a node.", "$3 a gallon,": one lowercase noun closing the phrase is a rate; "$499 a Pixel
        # owner would pay" is not
        after = m.string[m.end():m.end() + 1]
        if not (len(words) == 1 and noun.isalpha() and noun == words[0] and (not after or after in ".,;:)")):
            return None, m.end()
    return Rate(amount, singular(noun)), end


_RATE_PHRASE = re.compile(
    r"(?:/|\bper[\s-]+)(?:(\d+(?:\.\d+)?)\s*)?(?:(thousand|million|billion|[KMB])(?![A-Za-z])([\s-]*))?"
    r"((?:[A-Za-z][\w-]*\s?){0,3})")
_RATE_STOP = {"on", "in", "for", "with", "at", "of", "during", "from", "to", "and", "or", "across", "under", "over"}
_EVERY = re.compile(r"\b(monthly|yearly|annually|annual|weekly|daily|hourly|EPS)\b", re.IGNORECASE)
EVERY_NOUN = {"monthly": "month", "yearly": "year", "annually": "year", "annual": "year", "weekly": "week",
              "daily": "day", "hourly": "hour", "eps": "share"}


def rate_in(text: str) -> Rate | None:
    """The rate a phrase names: "input price per 1M tokens" -> per 1e6 token, "monthly price" -> per month,
    "diluted EPS" -> per share."""
    m = _RATE_PHRASE.search(text)
    if m:
        amount = float(m.group(1)) if m.group(1) else 1.0
        if m.group(2):
            amount *= SCALE_WORDS.get(m.group(2).lower(), SCALE_LETTERS.get(m.group(2), 1.0))
        words = m.group(4).split()
        if m.group(2) and "-" in m.group(3) and words:
            return Rate(amount, singular(words[0].split("-")[0].lower()))   # "per-million-token price"
        # "per 1M input tokens" is per token; "per GPU-hour on demand" stops at its preposition
        for k, w in enumerate(words):
            if w.lower() in _RATE_STOP:
                words = words[:k]
                break
        if not words:
            # "input tokens, USD per million": what is counted was named before the rate
            counted = [w for w in re.findall(r"\b([a-z]{3,}s)\b", text[:m.start()]) if w not in ("usd",)]
            if not m.group(2) or not counted:
                return None
            return Rate(amount, singular(counted[-1]))
        return Rate(amount, singular(words[-1].lower()))
    every = _EVERY.search(text)
    return Rate(1.0, EVERY_NOUN[every.group(1).lower()]) if every else None


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


# "goes from $75 to $85", "raised by 50 cents to $3.99": an old value and a new one, not a range
_CHANGED_FROM = re.compile(
    rf"(?:\b(?:{_MOVE_VERBS}|go(?:es|ing)?|went|gone|mov(?:e[sd]?|ing)|chang(?:e[sd]?|ing)|up|down)"
    r"\s+(?:[\w'’-]+\s+){0,6}?from|\bby)\s+(?:about\s+|roughly\s+|around\s+)?$", re.IGNORECASE)


def _scale_of(text: str, q: Quantity) -> float:
    """The scale a figure was written with ("$5.5 billion" -> 1e9, "17W" -> 1): its value over its digits."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if not digits or not isinstance(q.value, float):
        return 1.0
    written = float(digits.group(0).replace(",", ""))
    return q.value / written if written and q.value / written >= 1000 else 1.0


def _join_ranges(text: str, atoms: list[tuple[int, int, Quantity]]):
    """Read "2-3x", "¥0.5-2", "$5.1 to $5.5 billion", "8W to 17W" as a range's two ends, each a figure of its
    own in the high end's unit and scale: each end states its own fact (a low and a high, a base and a boost),
    as "between $850 million and $870 million" does."""
    i = 0
    while i < len(atoms):
        start, end, q = atoms[i]
        if i + 1 < len(atoms):
            s2, e2, q2 = atoms[i + 1]
            joiner = text[end:s2]
            money_range = q.kind is Kind.MONEY and q2.kind in (Kind.COUNT, Kind.NUMBER) and q.per is None
            compatible = money_range or (q.unit is None or q.unit == q2.unit) and q.kind in (Kind.COUNT, Kind.NUMBER, q2.kind) \
                and q2.kind not in (Kind.DATE, Kind.TIME) and isinstance(q2.value, float) and q.per is None
            changed = "-" not in joiner and bool(_CHANGED_FROM.search(text[max(0, start - 70):start]))
            if RANGE_JOIN.match(joiner) and compatible and q2.value > q.value and (q.unit or q2.unit or "-" in joiner) \
                    and not changed:
                if money_range:
                    per = None
                    r = RATE_AFTER.match(text, e2)
                    if r:
                        per, r_end = _rate(r)
                        e2 = r_end if per else e2
                    q2 = replace(q2, kind=Kind.MONEY, unit=q.unit, per=per)
                # "$5.1 to $5.5 billion": a low end written without the scale takes the high end's
                scale = _scale_of(text[s2:e2], q2) if _scale_of(text[start:end], q) == 1.0 else 1.0
                low_value = q.value * scale if q.value * scale < q2.value else q.value
                low_step = q.precision * (low_value / q.value) if isinstance(q.precision, float) and q.value \
                    else q.precision
                # a hedge before or after the range covers both ends ("about 5-10 million")
                hedge = _qualifier(text, start, e2)[0]
                yield start, end, replace(q2, value=low_value, precision=low_step, qualifier=hedge, range_end="low")
                yield s2, e2, replace(q2, qualifier=hedge, range_end="high")
                i += 2
                continue
        yield start, end, q
        i += 1


def _parse_date(style: str, m: re.Match) -> tuple[str, str] | None:
    g = m.groups()
    if style == "mdy":
        month, day, year = MONTHS[g[0].lower().rstrip(".")], int(g[1]), g[2]
        if not 1 <= day <= 31:
            return None
        return (f"{year}-{month:02d}-{day:02d}", "day") if year else (f"--{month:02d}-{day:02d}", "day")
    if style == "dmy":
        day, month, year = int(g[0]), MONTHS[g[1].lower().rstrip(".")], g[2]
        if not 1 <= day <= 31:
            return None
        return (f"{year}-{month:02d}-{day:02d}", "day") if year else (f"--{month:02d}-{day:02d}", "day")
    if style == "my":
        return f"{g[1]}-{MONTHS[g[0].lower().rstrip('.')]:02d}", "month"
    if style == "month":
        return f"--{MONTHS[m.group('month').lower()]:02d}", "month"
    if style == "iso":
        return (f"{g[0]}-{g[1]}-{g[2]}", "day") if g[2] else (f"{g[0]}-{g[1]}", "month")
    if style in ("quarter", "quarter_words", "half"):
        label = g[0].upper()
        if style == "quarter_words":
            label = "Q" + str({"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
                               "4th": 4}[g[0].lower()])
        year = g[1]
        if year and len(year) == 2:
            year = "20" + year
        return (f"{year}-{label}" if year else label), "quarter" if label.startswith("Q") else "half"
    if style == "fiscal":
        year = g[0] if len(g[0]) == 4 else "20" + g[0]
        return f"FY{year}", "year"
    if style == "year":
        return g[0], "year"
    return None


def scan(text: str) -> list[Mention]:
    """Every numeric mention in `text`, in document order, with exact character offsets."""
    s = _Scanner(text)
    s.dates()
    s.video_modes()
    s.memory_speeds()
    s.fractions()
    s.numbers()
    s.multipliers_and_ordinals()
    return sorted(s.found, key=lambda m: m.start)
