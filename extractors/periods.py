"""Reporting periods — quarters, halves and fiscal years — as written in articles and in fact attributes.

Both sides are read by the same function, so "fiscal third-quarter", "3Q", "FQ3" and "Q3" all become "q3", and
"fiscal 2025", "FY25" and "FY 2025" all become "fy2025". Calendar years are reported separately: a year
names a benchmark edition ("AIME 2025") as often as a period.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "1st": "1", "2nd": "2", "3rd": "3",
             "4th": "4"}
_PERIOD = re.compile(
    r"\b(?:F?Q([1-4])|([1-4])Q)(?:[\s']*(?:FY\s?'?)?((?:19|20)?\d{2})\b)?"          # Q3, 3Q, Q3 FY25, FQ3'25
    r"|\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?quarter\b"     # third-quarter
    r"|\b(?:H([12])|([12])H)\b|\b(first|second)[- ]half\b"                              # H1, first half
    r"|\bFY\s?'?((?:19|20)?\d{2})\b"                                                      # FY2025, FY 25, FY'25
    r"|\bfiscal(?:[- ]year)?\s+((?:19|20)\d{2})\b"                                         # fiscal 2025
    r"|\b((?:19|20)\d{2})\b"                                                             # 2025
    r"|\b(?:the|this|same|that) (?:fiscal )?quarter\b(?![- ]over)"                       # the quarter reported
    r"|\b(?:three|3)[- ]months?\s+(?:ended|ending|to|through)\s+(?:(?P<qe_year>\d{4})-(?P<qe_month>\d{2})-\d{2}|"
    r"(?P<qe_month_name>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2}(?:,?\s+(?P<qe_year_named>\d{4}))?)"                                         # three months ended
    r"|\b(?:fiscal\s+)?year\s+(?:to|ending|ended)\s+(?:(?P<fy_end>\d{4})-\d{2}-\d{2}|"          # year to March 2027
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:\d{1,2},?\s+)?"
    r"(?P<fy_end_named>\d{4}))",
    re.IGNORECASE,
)
_MONTH_NUMBER = {m: i for i, m in enumerate(("january february march april may june july august september october "
                                             "november december").split(), start=1)}
CURRENT_QUARTER = "q*"   # "during the quarter", "the same quarter of fiscal 2025": the quarter reported


@dataclass(frozen=True)
class Period:
    """One period mention: `kind` is "quarter", "half", "fiscal_year" or "year"; `token` its normal form."""

    start: int
    end: int
    kind: str
    token: str


def _year(y: str) -> str:
    return y if len(y) == 4 else "20" + y


def find_periods(text: str) -> list[Period]:
    """Every period named in `text`, in order ("Q3 FY2025" gives a quarter and a fiscal year)."""
    out: list[Period] = []
    for m in _PERIOD.finditer(text):
        s, e = m.span()
        if m.group(1) or m.group(2):
            out.append(Period(s, e, "quarter", "q" + (m.group(1) or m.group(2))))
            if m.group(3):
                out.append(Period(s, e, "fiscal_year", "fy" + _year(m.group(3))))
        elif m.group(4):
            out.append(Period(s, e, "quarter", "q" + _ORDINALS[m.group(4).lower()]))
        elif m.group(5) or m.group(6):
            out.append(Period(s, e, "half", "h" + (m.group(5) or m.group(6))))
        elif m.group(7):
            out.append(Period(s, e, "half", "h" + ("1" if m.group(7).lower() == "first" else "2")))
        elif m.group(8) or m.group(9):
            out.append(Period(s, e, "fiscal_year", "fy" + _year(m.group(8) or m.group(9))))
        elif m.group(10):
            out.append(Period(s, e, "year", m.group(10)))
        elif m.group("qe_month") or m.group("qe_month_name"):
            # "three months ended 2026-03-31" is the quarter ending then (of the year it ends in)
            month = int(m.group("qe_month")) if m.group("qe_month") else _MONTH_NUMBER[m.group("qe_month_name").lower()]
            out.append(Period(s, e, "quarter", "q" + str((month + 2) // 3)))
            year = m.group("qe_year") or m.group("qe_year_named")
            if year:
                out.append(Period(s, e, "fiscal_year", "fy" + year))
        elif m.group("fy_end") or m.group("fy_end_named"):
            # a fiscal year is named by the year it ends in: "the year to March 2027" is fiscal 2027
            out.append(Period(s, e, "fiscal_year", "fy" + (m.group("fy_end") or m.group("fy_end_named"))))
        else:
            out.append(Period(s, e, "quarter", CURRENT_QUARTER))
    return out


REPORTING = ("quarter", "half", "fiscal_year")
# a figure for a whole year, whatever quarter the sentence also names
ANNUAL = re.compile(r"\b(?:full[- ]year|annual|whole[- ]year|twelve[- ]month|for the (?:fiscal )?year)\b",
                    re.IGNORECASE)


def period_kind(token: str) -> str:
    """The kind of a normalised period token: "q3" -> "quarter", "fy2025" -> "fiscal_year", "2025" -> "year"."""
    if token == "annual":
        return "span"
    if token.startswith("fy"):
        return "fiscal_year"
    if token[:1] == "q":
        return "quarter"
    if token[:1] == "h":
        return "half"
    return "year"


def reporting_periods(text: str) -> dict[str, str]:
    """The quarter, half and fiscal year a phrase names (the first of each kind), without calendar years."""
    found: dict[str, str] = {}
    for p in find_periods(text):
        if p.kind in REPORTING:
            found.setdefault(p.kind, p.token)
    return found


def strip_reporting_periods(text: str) -> str:
    """`text` without its quarter, half and fiscal-year phrases ("revenue (Q3 FY2025)" -> "revenue ()")."""
    spans = sorted({(p.start, p.end) for p in find_periods(text) if p.kind in REPORTING})
    for s, e in reversed(spans):
        text = text[:s] + " " + text[e:]
    return text
