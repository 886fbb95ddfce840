"""Phones and tablets from the LineageOS wiki's device data (`LineageOS/lineage_wiki`, `_data/devices/*.yml`, CC BY-SA
3.0): release month, battery, screen size and refresh rate, RAM and storage options, dimensions. Each fact's source
is the device's wiki page.

The pinned snapshot is the same records in one JSON list; either form is read.
"""
from __future__ import annotations

import json
import re
from datetime import date

import yaml

from ..errors import ImportFormatError
from . import Registry, Rows, Snapshot, number, plain

ORIGIN = "LineageOS wiki"
PAGE = "https://wiki.lineageos.org/devices/{codename}/"


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    rows = Rows()
    item = 0
    for name, text in files:
        try:
            data = json.loads(text) if text.lstrip()[:1] in "[{" and name.endswith(".json") else \
                yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise ImportFormatError(f"{name}: not YAML or JSON ({str(exc).splitlines()[0][:80]})",
                                    code="FD303") from None
        for device in data if isinstance(data, list) else [data]:
            item += 1
            if not isinstance(device, dict) or not device.get("codename") or not device.get("name"):
                rows.bad(item, f"{name}: device {item} has no codename or name; is this a LineageOS device file?")
                continue
            _read_device(rows, item, device, snap)
    return rows


def device_name(device: dict) -> str:
    """ "Google" + "Pixel 7 Pro" -> "Google Pixel 7 Pro" (the vendor is dropped when the name starts with it)."""
    vendor, name = str(device.get("vendor") or "").strip(), str(device["name"]).strip()
    return name if not vendor or name.lower().startswith(vendor.lower()) else f"{vendor} {name}"


def _read_device(rows: Rows, item: int, device: dict, snap: Snapshot) -> None:
    entity = device_name(device)
    source = PAGE.format(codename=device["codename"])
    bare = str(device["name"]).strip()
    if entity.lower() != bare.lower() and len(bare.split()) >= 2:
        rows.alias(item, entity, bare)        # "Galaxy S10" for the Samsung Galaxy S10; never "2" or "One"

    def fact(attribute: str, value, unit: str, field: str) -> None:
        try:
            v = number(value)
        except ValueError:
            rows.bad(item, f"{entity[:40]}: {field} is {value!r:.20}, not a number")
            return
        if v is not None and v > 0:
            rows.fact(item, entity, attribute, plain(v), unit, snap.as_of, source,
                      f"LineageOS wiki device data ({device['codename']}): {field} = {value}")

    release = device.get("release")
    release = release[0] if isinstance(release, list) and release else release
    if isinstance(release, dict):
        release = next(iter(release.values()), None)
    if isinstance(release, date):          # YAML reads 2020-08-15 as a date, 2020-08 as text
        release = release.isoformat()
    if isinstance(release, (str, int)) and re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", str(release)):
        rows.fact(item, entity, "release date", str(release), "date", snap.as_of, source,
                  f"LineageOS wiki device data ({device['codename']}): release = {release}")
    battery = device.get("battery")
    if isinstance(battery, dict):
        fact("battery capacity", battery.get("capacity"), "mAh", "battery.capacity")
    screen = device.get("screen")
    if isinstance(screen, dict):
        fact("screen size", screen.get("size"), "inches", "screen.size")
        fact("refresh rate", screen.get("refresh_rate"), "Hz", "screen.refresh_rate")
    dims = device.get("dimensions")
    if isinstance(dims, dict):
        fact("height", dims.get("height"), "mm", "dimensions.height")
        fact("width", dims.get("width"), "mm", "dimensions.width")
        fact("thickness", dims.get("depth"), "mm", "dimensions.depth")
    for field, what in (("ram", "RAM"), ("storage", "storage")):
        sizes = _sizes(device.get(field))
        if sizes:
            fact(f"minimum {what}", sizes[0], "GB", field)
            if len(sizes) > 1:
                fact(f"maximum {what}", sizes[-1], "GB", field)


def _sizes(text) -> list[float]:
    """ "8/12/16 GB LPDDR5" -> [8, 12, 16]; "1 TB" -> [1024]; anything else -> []."""
    if not isinstance(text, str):
        return []
    m = re.match(r"\s*((?:\d+(?:\.\d+)?\s*/\s*)*\d+(?:\.\d+)?)\s*(GB|TB|MB)\b", text)
    if not m:
        return []
    scale = {"GB": 1, "TB": 1024, "MB": 1 / 1024}[m.group(2)]
    return sorted(float(x) * scale for x in m.group(1).split("/"))


REGISTRY = Registry("lineage", ORIGIN, "*.yml *.json", read, "https://wiki.lineageos.org/devices/",
                    "Phone and tablet specifications from the LineageOS wiki (CC BY-SA 3.0)")
