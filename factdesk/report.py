"""Reports for people and programs: the JSON contract and a readable text listing."""
from __future__ import annotations

import json
import math
from typing import Any

from extractors.model import Claim, Kind
from .check import Report
from .facts import Fact
from .verdicts import Verdict


def claim_value(claim: Claim) -> Any:
    """A claim's value for JSON: a number or an ISO date string."""
    q = claim.quantity
    return _num(q.value) if isinstance(q.value, float) else q.value


def claim_unit(claim: Claim) -> str | None:
    """The claim's unit in canonical form ("USD/1M token", "%", "GB", "token")."""
    q = claim.quantity
    return _unit_text(q.kind, q.unit, q.unit_words, q.per)


def reference_unit(fact: Fact) -> str | None:
    """The fact's unit in the same canonical form as `claim_unit`, whatever words its CSV used."""
    r = fact.reading
    return _unit_text(r.kind, r.unit, r.unit_words, r.per) or (fact.unit or None)


def _unit_text(kind: Kind, unit: str | None, unit_words, per) -> str | None:
    if kind in (Kind.COUNT, Kind.NUMBER) and not unit and unit_words:
        unit = unit_words[-1]
    if per is not None and unit:
        amount = per.amount
        scale = {1e3: "1K ", 1e6: "1M ", 1e9: "1B "}.get(amount, "" if amount == 1 else f"{_num(amount)} ")
        unit = f"{unit}/{scale}{per.noun}".rstrip()
    return unit


def claimed_text(claim: Claim) -> str:
    """The claim's value and unit as people read them, at the precision the article wrote: "$0.40 per 1M tokens"."""
    q = claim.quantity
    value = claim_value(claim)
    unit = claim_unit(claim) or ""
    if unit == "date":
        return str(value)
    step = q.precision if isinstance(q.precision, float) else None
    text = _number(value, step)
    currency, _, per = unit.partition("/")
    if currency == "USD":
        return f"${text}" + (f" per {_plural(per)}" if per else "")
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def _number(x, step: float | None = None) -> str:
    if not isinstance(x, (int, float)):
        return str(x)
    if step is not None and 0 < step < 1:
        decimals = max(0, round(-math.log10(step)))
        return f"{x:,.{decimals}f}"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    return f"{x:,}"


def _plural(per: str) -> str:
    """ "1M token" -> "1M tokens" (the rate's noun as people write it)."""
    head, _, noun = per.rpartition(" ")
    if not head and noun[:1].isdigit():
        return noun      # "1M": a count of a thing left unsaid ("$3 per million")
    if noun and not noun.endswith("s") and (not head or head not in ("1",)):
        noun += "s"
    return f"{head} {noun}".strip()


def _num(x: float) -> float | int:
    """A number for JSON as it was written: 65.6 billion is 65600000000, not 65599999999.99999."""
    if isinstance(x, float):
        x = float(f"{x:.12g}")
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 2**53 else x


def _fact_value(f: Fact) -> Any:
    try:
        return _num(float(f.value.replace(",", ""))) if f.unit != "date" else f.value
    except ValueError:
        return f.value


def verdict_dict(v: Verdict) -> dict[str, Any]:
    c = v.claim
    ref = None
    if v.fact is not None:
        f = v.fact
        ref = {"value": _fact_value(f), "unit": reference_unit(f), "unit_as_stored": f.unit, "source_url": f.source_url,
               "as_of": f.as_of or None, "valid_from": f.valid_from or None, "valid_to": f.valid_to or None,
               "origin": f.origin or "primary source"}
    return {
        "start": c.start, "end": c.end, "text": c.text, "kind": c.quantity.kind.value,
        "value": claim_value(c), "unit": claim_unit(c),
        "qualifier": c.quantity.qualifier.value,
        "entity": v.entity, "attribute": v.fact.attribute if v.fact else None,
        "verdict": v.kind.value, "disputed": v.disputed, "reference": ref, "explanation": v.explanation,
        "check_worthy": v.check_worthy, "entity_on_file": v.entity_on_file, "confidence": round(v.confidence, 3),
        "candidates": [{"entity": f.entity, "attribute": f.attribute, "value": _fact_value(f), "unit": reference_unit(f),
                        "score": round(p, 3)} for f, p in v.candidates],
    }


def report_dict(r: Report) -> dict[str, Any]:
    return {
        "source": r.source,
        "model": r.model,
        "reduced_accuracy": r.reduced_accuracy,
        "as_of": r.as_of or None,
        "as_of_basis": r.as_of_basis or None,
        "warnings": list(r.warnings),
        "claims": [verdict_dict(v) for v in r.verdicts],
        "summary": r.summary,
    }


def to_json(reports: list[Report]) -> str:
    """One object for one report, a list for several (the CLI contract)."""
    data: Any = report_dict(reports[0]) if len(reports) == 1 else [report_dict(r) for r in reports]
    return json.dumps(data, ensure_ascii=False, indent=1)


_BASIS = {"given": "the date asked for", "metadata": "the document's publication date",
          "dateline": "the article's dateline", "today": "today", "": ""}
_MARK = {"verified": "✓", "conflicting": "✗", "unverified": "?"}


def to_text(r: Report, *, show_unverified: bool = True) -> str:
    """A plain listing for a terminal: one line per claim, then the summary."""
    lines = [f"{r.source}  ({r.model})"]
    for w in r.warnings:
        lines.append(f"  note: {w}")
    for v in r.verdicts:
        if v.kind.value == "unverified" and not show_unverified or not v.check_worthy:
            continue
        line_no = r.text.count("\n", 0, v.claim.start) + 1
        about = f" [{v.entity}]" if v.entity else ""
        kind = v.kind.value + ("*" if v.disputed else "")
        lines.append(f"  {_MARK[v.kind.value]} {kind:<11} line {line_no:>3}  {v.claim.text!r}{about}")
        lines.append(f"      {v.explanation}")
    greyed = [v for v in r.verdicts if not v.check_worthy]
    if greyed and show_unverified:
        # numbers read as no claim (a time of day, a setting): listed in one line, so nothing is hidden
        shown = ", ".join(f"{v.claim.text!r} (line {r.text.count(chr(10), 0, v.claim.start) + 1})"
                          for v in greyed[:12])
        lines.append(f"  · not a claim: {shown}" + (f" and {len(greyed) - 12} more" if len(greyed) > 12 else ""))
    s = r.summary
    lines.append(f"  {s['verified']} verified, {s['conflicting']} conflicting, {s['unverified']} unverified"
                 + (f", {s['not_a_claim']} not a claim" if s.get("not_a_claim") else "")
                 + (f"  (facts valid on {r.as_of}, {_BASIS[r.as_of_basis]})" if r.as_of else ""))
    if any(v.disputed for v in r.verdicts):
        lines.append("  * verified against one source while another on file gives a different value")
    return "\n".join(lines)
