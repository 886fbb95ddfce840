"""BuildCores OpenDB's processors (`buildcores/buildcores-open-db`, ODC-By 1.0): `open-db/CPU/*.json`, one file per
CPU with cores, threads, clocks, caches, TDP, memory support and release year, most with the maker's product page.

The pinned snapshot is the same objects in one JSON list; either form is read.
"""
from __future__ import annotations

import re

from . import Registry, Rows, Snapshot, load_json, number, plain

ORIGIN = "BuildCores OpenDB"
# (path in the object, attribute, unit)
FIELDS = (
    (("cores", "total"), "total cores", "cores"),
    (("cores", "threads"), "threads", "threads"),
    (("cores", "performance"), "performance cores", "cores"),
    (("cores", "efficiency"), "efficient cores", "cores"),
    (("clocks", "performance", "base"), "base clock", "GHz"),
    (("clocks", "performance", "boost"), "max boost clock", "GHz"),
    (("clocks", "efficiency", "base"), "E-core base frequency", "GHz"),
    (("clocks", "efficiency", "boost"), "E-core max turbo frequency", "GHz"),
    (("cache", "l2"), "L2 cache", "MB"),
    (("cache", "l3"), "L3 cache", "MB"),
    (("specifications", "tdp"), "TDP", "W"),
    (("specifications", "memory", "maxSupport"), "max memory size", "GB"),
    (("specifications", "memory", "channels"), "memory channels", "count"),
    (("specifications", "integratedGraphics", "boostClock"), "graphics max frequency", "MHz"),
)


def cpu_name(raw: str, maker: str) -> str:
    """ "Intel Core i9 9820X 3.3 GHz 10-Core LGA2066" -> "Intel Core i9-9820X" (the maker's own spelling)."""
    name = re.sub(r"\s+\d+(?:\.\d+)?\s*GHz\b.*$", "", raw.strip())
    name = re.sub(r"\s+(?:OEM/Tray|OEM|Tray|Boxed|BOX)$", "", name)
    name = re.sub(r"[™®]", "", name)
    # the makers write a family and its model number with a hyphen: "Core i9-9820X", "Xeon E5-2660 v3", "A10-7850K"
    name = re.sub(r"\b(i[3579]|E[357]?|W|A\d{1,2}|FX|A) (\d{3,5}[A-Za-z]*)\b",
                  lambda m: f"{m.group(1)}-{m.group(2).upper() if len(m.group(2)) > 4 else m.group(2)}", name)
    name = re.sub(r"\b[Vv](\d)\b", r"v\1", name)
    if maker and not name.lower().startswith(maker.lower()):
        name = f"{maker} {name}"
    return name


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    rows = Rows()
    item = 0
    for name, text in files:
        data = load_json(name, text)
        cpus = data if isinstance(data, list) else [data]
        for cpu in cpus:
            item += 1
            if not isinstance(cpu, dict) or not isinstance(cpu.get("metadata"), dict) \
                    or not cpu["metadata"].get("name"):
                rows.bad(item, f"{name}: CPU {item} has no metadata.name; is this a BuildCores CPU file?")
                continue
            _read_cpu(rows, item, cpu, snap)
    return rows


def _read_cpu(rows: Rows, item: int, cpu: dict, snap: Snapshot) -> None:
    meta = cpu["metadata"]
    maker = str(meta.get("manufacturer") or "")
    entity = cpu_name(str(meta["name"]), maker)
    info = cpu.get("general_product_information") or {}
    url = str(info.get("manufacturer_url") or "")
    source = url if url.startswith(("http://", "https://")) else snap.url
    if maker and entity.lower().startswith(maker.lower() + " "):
        rows.alias(item, entity, entity[len(maker) + 1:])
    for path, attribute, unit in FIELDS:
        raw = cpu
        for key in path:
            raw = raw.get(key) if isinstance(raw, dict) else None
        try:
            value = number(raw)
        except ValueError:
            rows.bad(item, f"{entity[:40]}: {'.'.join(path)} is {raw!r:.20}, not a number")
            continue
        if value is None or value <= 0:
            continue
        rows.fact(item, entity, attribute, plain(value), unit, snap.as_of, source,
                  f"BuildCores OpenDB: {'.'.join(path)} = {raw}")
    year = meta.get("releaseYear")
    if isinstance(year, int) and 1970 < year < 2100:
        rows.fact(item, entity, "release date", str(year), "date", snap.as_of, source,
                  f"BuildCores OpenDB: releaseYear = {year}")


REGISTRY = Registry("buildcores", ORIGIN, "*.json", read,
                    "https://github.com/buildcores/buildcores-open-db/tree/main/open-db/CPU",
                    "BuildCores OpenDB processors (ODC-By 1.0)")
