"""Fact and alias records as people write them (CSV rows, form fields): their columns, checks and identity."""
from __future__ import annotations

import hashlib
import math
import re
from datetime import date

FACT_COLUMNS = ("entity", "attribute", "value", "unit", "as_of", "source_url", "note", "valid_from", "valid_to")
FACT_COLUMNS_V1 = FACT_COLUMNS[:7]     # files written before facts had validity periods
ALIAS_COLUMNS = ("entity", "alias")
# what a fact may change and still be the same fact: a corrected value, a newer as_of, a better note
MUTABLE_COLUMNS = ("value", "unit", "as_of", "note")

_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# plain decimal numbers only: "1_6", "nan", "inf" and "1e400" are not values anyone sourced
_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")
_URL_RE = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)


# a cell a spreadsheet would run as a formula when the CSV is opened: exported with a leading apostrophe
# (the spreadsheet's own "this is text" mark), and read back without it
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\$?\d[\d,]*(?:\.\d+)?\s*%?")


def spreadsheet_safe(cell):
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) gets a leading quote."""
    if isinstance(cell, str) and cell[:1] in _FORMULA and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def spreadsheet_plain(cell: str) -> str:
    """A cell as exported by `spreadsheet_safe`, back as it was written ("'=A1" -> "=A1")."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA else cell


def formula_like(cell: str) -> bool:
    """Whether a spreadsheet would run this cell."""
    return spreadsheet_safe(cell) != cell


def clean_fact(record: dict) -> dict:
    """Every fact column present, as stripped text ("" for missing); an exported formula mark is undone."""
    return {k: spreadsheet_plain(str(record.get(k) or "").strip()) for k in FACT_COLUMNS}


def fact_identity(record: dict) -> str:
    """What makes two rows the same fact: the entity, the attribute, the source and the period it applies to.

    Value, unit, as_of and note are what an update may change; a second source for the same attribute
    is a second fact (and a disagreement between sources stays visible).
    """
    parts = [record["entity"], record["attribute"], record["source_url"], record.get("valid_from", ""),
             record.get("valid_to", "")]
    if record.get("origin"):       # a registry's row never updates a primary-source fact, nor the reverse
        parts.append(record["origin"])
    raw = "\x1f".join(x.strip().casefold() for x in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real day of a real month."""
    if not _DATE_RE.match(text):
        return False
    parts = [int(x) for x in text.split("-")]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3:
        try:
            date(*parts)
        except ValueError:
            return False
    return True


def fact_problem(r: dict, *, require_source: bool = False) -> str | None:
    """Why a fact record cannot be stored, in a few words naming the field; None when it can.

    `require_source`: facts typed in by hand must say where they come from.
    """
    if not r["entity"]:
        return "entity is empty"
    if not r["attribute"]:
        return "attribute is empty"
    if not r["value"]:
        return "value is empty"
    if r["as_of"] and not valid_date(r["as_of"]):
        return f"as_of '{r['as_of']}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    for col in ("valid_from", "valid_to"):
        if r.get(col) and not valid_date(r[col]):
            return f"{col} '{r[col]}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if r.get("valid_from") and r.get("valid_to") and r["valid_to"] <= r["valid_from"]:
        return f"valid_to {r['valid_to']} is not after valid_from {r['valid_from']}"
    if require_source and not r["source_url"]:
        return "source_url is empty: give the http(s) address the value comes from"
    if r["source_url"] and not _URL_RE.match(r["source_url"]):
        return f"source_url '{r['source_url'][:60]}' is not an http(s) URL"
    if r["unit"].lower() == "date":
        if not valid_date(r["value"]):
            return f"value '{r['value']}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    elif not _NUMBER_RE.match(r["value"]) or not math.isfinite(float(r["value"].replace(",", ""))):
        return f"value '{r['value'][:40]}' is not a number (unit '{r['unit']}')"
    return None


def alias_problem(r: dict) -> str | None:
    """Why an alias record cannot be stored; None when it can."""
    if not r.get("entity", "").strip():
        return "entity is empty"
    if not r.get("alias", "").strip():
        return "alias is empty"
    return None
