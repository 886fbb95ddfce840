"""GPU specifications from Wikipedia's list pages, as collected by `voidful/gpu-info-api` (`gpu.json` on branch
`gpu-data`; the tables are Wikipedia's, CC BY-SA 4.0): launch date, clocks, memory, bandwidth, TDP, shader count and
some launch prices. Each fact's source is the list page of its vendor.

Cells are scraped table text: a cell that is not one plain number ("66.5 73.5", "?", "¥12,999") is left out.
"""
from __future__ import annotations

import re

from ..errors import ImportFormatError
from . import Registry, Rows, Snapshot, load_json, plain

ORIGIN = "Wikipedia GPU lists"
LIST_PAGES = {
    "nvidia": "https://en.wikipedia.org/wiki/List_of_Nvidia_graphics_processing_units",
    "amd": "https://en.wikipedia.org/wiki/List_of_AMD_graphics_processing_units",
    "intel": "https://en.wikipedia.org/wiki/Intel_Xe",
}
# what each vendor calls its shader units
SHADERS = {"nvidia": "CUDA cores", "amd": "stream processors", "intel": "shading units"}
# column name -> (attribute, unit)
COLUMNS = (
    (re.compile(r"^launch$|^release date$", re.I), "release date", "date"),
    (re.compile(r"bandwidth \(gb/s\)", re.I), "memory bandwidth", "GB/s"),
    (re.compile(r"^(?:tdp|tdp \(watts\)|tdp \(watts\) max\.?)$", re.I), "TDP", "W"),
    (re.compile(r"^tbp(?: \(w(?:atts)?\))?$", re.I), "total board power", "W"),
    (re.compile(r"boost (?:core )?clock \(mhz\)", re.I), "boost clock", "MHz"),
    (re.compile(r"^(?:core clock \(mhz\)|clock speeds base core clock \(mhz\)|base clock \(mhz\))$", re.I),
     "base clock", "MHz"),
    (re.compile(r"memory (?:configuration )?size \((?:gib|gb)\)", re.I), "memory capacity", "GB"),
    (re.compile(r"memory (?:configuration )?bus width \(bit\)", re.I), "memory bus width", "bit"),
    (re.compile(r"release price \(usd\)", re.I), "launch price", "USD"),
    (re.compile(r"transistors \(billion\)", re.I), "transistors", "billion transistors"),
    (re.compile(r"l2 cache \((?:mib|mb)\)", re.I), "L2 cache", "MB"),
)
_PLAIN = re.compile(r"\$?\s*(\d[\d,]*(?:\.\d+)?)")


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    rows = Rows()
    for name, text in files:
        data = load_json(name, text)
        if not isinstance(data, dict):
            raise ImportFormatError(f"{name}: gpu.json is one JSON object of GPUs by code name", code="FD304")
        for item, (key, gpu) in enumerate(data.items(), start=1):
            if not isinstance(gpu, dict):
                rows.bad(item, f"{name}: GPU '{key[:40]}' is not an object")
                continue
            _read_gpu(rows, item, gpu, snap)
    return rows


def _read_gpu(rows: Rows, item: int, gpu: dict, snap: Snapshot) -> None:
    entity = next((str(gpu[k]).strip() for k in ("Model name", "Model") if str(gpu.get(k, "nan")) not in
                   ("nan", "", "None")), "")
    vendor = str(gpu.get("Vendor") or "").lower()
    if not entity or vendor not in LIST_PAGES or len(entity) > 60:
        return
    source = LIST_PAGES[vendor]
    for column, raw in gpu.items():
        for pattern, attribute, unit in COLUMNS:
            if not pattern.search(column):
                continue
            value = _cell(raw, unit)
            if value is not None:
                rows.fact(item, entity, attribute, value, unit, snap.as_of, source,
                          f"Wikipedia list via gpu-info-api: '{column}' = {raw}")
            break
    config = str(gpu.get("Core config") or gpu.get("Core Config") or "")
    m = re.match(r"\s*(\d+)\s*:", config)
    if m and int(m.group(1)) > 1:
        rows.fact(item, entity, SHADERS[vendor], m.group(1), "count", snap.as_of, source,
                  f"Wikipedia list via gpu-info-api: core config {config[:40]}")


def _cell(raw, unit: str) -> str | None:
    """A cell's one plain number (or ISO day for dates), None for anything else."""
    if unit == "date":
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?: 00:00:00)?", str(raw).strip())
        return m.group(1) if m else None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return plain(raw) if raw > 0 else None
    m = _PLAIN.fullmatch(str(raw).strip())
    if not m or (unit != "USD" and str(raw).strip().startswith("$")):
        return None
    value = float(m.group(1).replace(",", ""))
    return plain(value) if value > 0 else None


REGISTRY = Registry("gpu-info", ORIGIN, "*.json", read,
                    "https://github.com/voidful/gpu-info-api/blob/gpu-data/gpu.json",
                    "GPU specifications from Wikipedia's list pages via gpu-info-api (CC BY-SA 4.0)")
