"""The `factdesk extract` JSON shape: every numeric mention with offsets, value, unit and kind."""
from __future__ import annotations

from typing import Any

from extractors.model import Claim, Kind

from .report import claim_unit, claim_value

# Kinds as other extraction suites name them: counts and scaled numbers are numbers, units are quantities.
_PUBLIC_KIND = {Kind.COUNT: "number", Kind.NUMBER: "number", Kind.POINTS: "percent", Kind.MULTIPLIER: "number",
                Kind.FRACTION: "number"}


def mention_dicts(claims: tuple[Claim, ...]) -> list[dict[str, Any]]:
    out = []
    for c in claims:
        q = c.quantity
        kind = _PUBLIC_KIND.get(q.kind, q.kind.value)
        if q.kind in (Kind.COUNT, Kind.NUMBER) and q.unit_words:
            kind = "quantity"
        value = claim_value(c)
        item = {"start": c.start, "end": c.end, "text": c.text, "value": value[0] if isinstance(value, list) else value,
                "unit": claim_unit(c), "kind": kind}
        if isinstance(value, list):
            item["high"] = value[1]
        out.append(item)
    return out
