"""Epoch AI's table of notable AI models ("All ML Systems", CC BY 4.0; a snapshot is kept in
`epoch-research/training-cost-trends` as `data/All ML Systems - full view.csv`): parameters, publication date and
training hardware count, each with the link Epoch cites for the model.

Parameter counts Epoch marks as speculative or estimated are left out: a guess is no reference.
"""
from __future__ import annotations

import csv
import io
import re

from ..errors import ImportFormatError
from . import Registry, Rows, Snapshot, number, plain

ORIGIN = "Epoch AI models"
_GUESS = re.compile(r"\b(?:estimat\w*|speculat\w*|rumou?r\w*|guess\w*|leak\w*|assum\w*|approximat\w*)", re.I)
_NEEDED = ("Model", "Publication date", "Link")


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    rows = Rows()
    for name, text in files:
        try:
            reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), strict=True)
            header = reader.fieldnames or []
            records = list(reader)
        except csv.Error as exc:
            raise ImportFormatError(f"{name}: not CSV ({exc})", code="FD303") from None
        missing = [c for c in _NEEDED if c not in header]
        if missing:
            raise ImportFormatError(f"{name}: not Epoch's models table (no column {missing[0]!r}); pass "
                                    f"'All ML Systems - full view.csv'", code="FD304")
        for item, rec in enumerate(records, start=2):
            _read_model(rows, item, rec, snap)
    return rows


def _read_model(rows: Rows, item: int, rec: dict, snap: Snapshot) -> None:
    model = (rec.get("Model") or "").strip()
    links = [w for w in (rec.get("Link") or "").split() if w.startswith(("http://", "https://"))]
    if not model or not links:
        return
    source = links[0]
    org = (rec.get("Organization") or "").strip()
    day = (rec.get("Publication date") or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        rows.fact(item, model, "release date", day, "date", snap.as_of, source,
                  f"Epoch AI notable models: publication date {day}" + (f" ({org})" if org else ""))
    try:
        params = number(rec.get("Parameters"))
        chips = number(rec.get("Hardware quantity"))
    except ValueError:
        rows.bad(item, f"{model[:40]}: Parameters or Hardware quantity is not a number")
        return
    notes = rec.get("Parameters notes") or ""
    if params and rec.get("Confidence") != "Speculative" and not _GUESS.search(notes):
        value, unit = _parameters(params)
        rows.fact(item, model, "total parameters", value, unit, snap.as_of, source,
                  "Epoch AI notable models: " + (notes.strip().splitlines() or [f"{params:g} parameters"])[0][:160])
    hardware = (rec.get("Training hardware") or "").strip()
    if chips and hardware:
        rows.fact(item, model, "training hardware quantity", plain(chips), "count", snap.as_of, source,
                  f"Epoch AI notable models: {chips:g} x {hardware[:80]}")


def _parameters(n: float) -> tuple[str, str]:
    for scale, unit in ((1e12, "trillion parameters"), (1e9, "billion parameters"), (1e6, "million parameters")):
        if n >= scale:
            return plain(n / scale), unit
    return plain(n), "parameters"


REGISTRY = Registry("epoch-models", ORIGIN, "*.csv", read, "https://epoch.ai/data/ai-models",
                    "Epoch AI notable AI models (CC BY 4.0)")
