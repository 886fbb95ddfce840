"""Numbers as written: digits with separators, number words and scale words, to a value and a precision."""
from __future__ import annotations

import re
from decimal import Decimal

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mn": 1e6, "mln": 1e6, "bn": 1e9, "tn": 1e12, "lakh": 1e5, "crore": 1e7,
}
# Attached single letters: "128K", "1M", "$5.5M", "7B", "14.8T".
SCALE_LETTERS = {"k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "b": 1e9, "T": 1e12}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000, "millionth": 1e6,
}

_WORD_ALT = "|".join(sorted([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "trillion", "dozen"],
                            key=len, reverse=True))
# A run of number words ("two hundred and fifty", "twenty-five", "a dozen", "one million").
WORD_NUMBER = re.compile(
    rf"\b(?:(?:a|an)\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?"
    rf"(?:{_WORD_ALT})(?:(?:(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+|[\s-]+)(?:{_WORD_ALT}))*\b",
    re.IGNORECASE,
)
# Digits, with thousands separators and decimals; never glued to a preceding letter ("A76", "GPT-4.1").
DIGIT_NUMBER = re.compile(
    r"(?<![\w.,/])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])|(?<![\w.])\.\d+(?!\d)"
)


def parse_digits(text: str) -> tuple[float, float]:
    """Value and precision step of a digit string: "54.9" -> (54.9, 0.1), "2,788,000" -> (2788000, 1000)."""
    plain = text.replace(",", "")
    value = float(plain)
    if "." in plain:
        return value, float(Decimal(1).scaleb(-len(plain.split(".")[1])))
    digits = plain.lstrip("0") or "0"
    zeros = len(digits) - len(digits.rstrip("0")) if digits != "0" else 0
    if len(digits) >= 4 and zeros >= 2:
        # a round figure of four or more digits may be rounded, to within a percent either way:
        # "9,400" for 9,388, but "2,000 nits" is not 2,400
        return value, float(min(10 ** zeros, value * 0.02))
    # shorter digits spell out exactness: "300 ppi" is 300, "60" is 60
    return value, 1.0


def parse_words(text: str) -> float | None:
    """Value of a run of English number words, or None when it is not one ("one hundred and five" -> 105)."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if words and (words[0] in SCALE_WORDS or words[0] == "dozen"):
        return None  # "million" alone is not a number; "a million" and "one million" are
    total = current = 0.0
    seen = False
    for w in words:
        if w in ("a", "an"):
            current = current or 1
        elif w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w in SCALE_WORDS:
            total += (current or 1) * SCALE_WORDS[w]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def word_precision(text: str, value: float) -> float:
    """Number words state a value only as precisely as their smallest scale ("one million" -> 1e6)."""
    words = text.lower().split()
    for scale in ("trillion", "billion", "million", "thousand"):
        if scale in words:
            step = SCALE_WORDS[scale]
            # "one and a half million" would need a finer step; the last words decide
            if value % step:
                return step / 10
            return step
    return 1.0
