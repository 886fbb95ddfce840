"""SEC EDGAR XBRL "company facts" (`companyfacts/CIK##########.json`, public domain; the format `edgartools`
reads): revenue, net income and diluted EPS for each quarter and fiscal year a 10-Q or 10-K reports, each fact's
source the filing's index on sec.gov, built from its accession number.

A filing repeats earlier periods for comparison; only the period the filing is for is read from it.
"""
from __future__ import annotations

import re
from datetime import date

from ..errors import ImportFormatError
from . import Registry, Rows, Snapshot, load_json, number, plain

ORIGIN = "SEC EDGAR XBRL"
# us-gaap concept -> (attribute, unit in the filing, unit on file, scale)
CONCEPTS = {
    "Revenues": ("revenue", "USD", "million USD", 1e-6),
    "RevenueFromContractWithCustomerExcludingAssessedTax": ("revenue", "USD", "million USD", 1e-6),
    "SalesRevenueNet": ("revenue", "USD", "million USD", 1e-6),
    "NetIncomeLoss": ("GAAP net income", "USD", "million USD", 1e-6),
    "OperatingIncomeLoss": ("GAAP operating income", "USD", "million USD", 1e-6),
    "EarningsPerShareDiluted": ("GAAP diluted EPS", "USD/shares", "USD per share", 1),
}
_SUFFIX = re.compile(r",?\s+(?:Inc\.?|Incorporated|Corporation|Corp\.?|Co\.?|Ltd\.?|Limited|plc|N\.V\.|S\.A\.|"
                     r"Holdings?|Group)$", re.IGNORECASE)


def company_name(entity_name: str) -> str:
    """ "Apple Inc." -> "Apple", "NVIDIA CORP" -> "NVIDIA CORP" minus its suffix, as the company writes itself."""
    name = entity_name.strip()
    while True:
        shorter = _SUFFIX.sub("", name).strip().rstrip(",")
        if shorter == name or not shorter:
            return name
        name = shorter


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    rows = Rows()
    for name, text in files:
        data = load_json(name, text)
        if not isinstance(data, dict) or not isinstance(data.get("facts"), dict) or not data.get("entityName"):
            raise ImportFormatError(f"{name}: not an EDGAR company-facts file (it needs entityName and facts)",
                                    code="FD304")
        _read_company(rows, data)
    return rows


def _read_company(rows: Rows, data: dict) -> None:
    cik = str(data.get("cik", "")).lstrip("0")
    entity = company_name(str(data["entityName"]))
    rows.alias(0, entity, str(data["entityName"]))
    gaap = data["facts"].get("us-gaap") or {}
    item = 0
    for concept, (attribute, unit_in, unit, scale) in CONCEPTS.items():
        entries = ((gaap.get(concept) or {}).get("units") or {}).get(unit_in) or []
        own: dict[tuple[str, str], dict] = {}
        for e in entries:
            item += 1
            if not isinstance(e, dict) or e.get("form") not in ("10-Q", "10-K"):
                continue
            try:
                start, end = date.fromisoformat(e["start"]), date.fromisoformat(e["end"])
                value = number(e.get("val"))
            except (KeyError, TypeError, ValueError):
                rows.bad(item, f"{entity}: a {concept} entry has no start, end or numeric val")
                continue
            days = (end - start).days
            kind = "Q" if 80 <= days <= 100 else "FY" if 350 <= days <= 380 else None
            if kind is None or value is None or (kind == "Q") != str(e.get("fp", "")).startswith("Q"):
                continue
            key = (str(e.get("accn")), kind)
            if key not in own or end > date.fromisoformat(own[key]["end"]):
                own[key] = {**e, "item": item}      # the filing's own period is its latest
        for (accn, kind), e in own.items():
            label = _period(kind, str(e.get("fp")), int(e.get("fy") or 0), date.fromisoformat(e["end"]))
            if not label or not cik:
                continue
            source = f"https://www.sec.gov/Archives/edgar/data/{cik}/{accn.replace('-', '')}/"
            value = float(e["val"]) * scale
            rows.fact(e["item"], entity, f"{attribute} ({label})", plain(value),
                      unit, e.get("filed") or snap.as_of, source,
                      f"EDGAR XBRL {concept} {e['start']} to {e['end']} in {e['form']} {accn}: {e['val']}")


def _period(kind: str, fp: str, fy: int, end: date) -> str:
    """ "Q2 FY2025" for an offset fiscal year, "Q2 2025" when the fiscal year is the calendar year."""
    if not fy:
        return ""
    if kind == "FY":
        return f"FY{fy}" if end.month != 12 else f"{fy}"
    n = fp[1:]
    calendar = end.year == fy and end.month in (3 * int(n), 3 * int(n) + 1) if n.isdigit() else False
    return f"Q{n} {fy}" if calendar else f"Q{n} FY{fy}"


REGISTRY = Registry("edgar", ORIGIN, "CIK*.json", read, "https://www.sec.gov/edgar/search/",
                    "SEC EDGAR XBRL company facts (public domain)", accuses=True)
