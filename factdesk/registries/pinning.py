"""Pin a registry snapshot into `assets/registries/`: the registry's own format, cut down to the entries and fields
its importer reads, so the repository stays small and `factdesk db build` gives the same facts as the full file.

    python -m factdesk.registries.pinning FORMAT SOURCE OUT
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from . import epoch_benchmarks, gpu_info, litellm, registry_files

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}   # order kept: the importers read in order


def pin(fmt: str, source: Path, out: Path) -> list[Path]:
    """Write the cut-down snapshot of the registry at `source` to `out` (a file, or a folder for CSV tables)."""
    files = registry_files(source, fmt)
    if fmt == "litellm":
        data = json.loads(files[0][1])
        keep = {k: {f: v for f, v in e.items() if f in _LITELLM_FIELDS} for k, e in data.items()
                if isinstance(e, dict) and e.get("litellm_provider") and litellm._first_party(k, e)}
        return [_write(out, json.dumps(keep, indent=0, **_COMPACT))]
    if fmt in ("buildcores", "lineage"):
        items = []
        for _, text in files:
            data = json.loads(text) if fmt == "buildcores" or text.lstrip()[:1] == "[" else _yaml(text)
            items.extend(data if isinstance(data, list) else [data])
        fields = _CPU_FIELDS if fmt == "buildcores" else _DEVICE_FIELDS
        return [_write(out, json.dumps([_pick(x, fields) for x in items], indent=0, default=str, **_COMPACT))]
    if fmt == "gpu-info":
        data = json.loads(files[0][1])
        wanted = lambda c: c in ("Model name", "Model", "Vendor", "Core config", "Core Config") or any(  # noqa: E731
            p.search(c) for p, _, _ in gpu_info.COLUMNS)
        keep = {k: {c: v for c, v in g.items() if wanted(c)} for k, g in data.items()}
        return [_write(out, json.dumps(keep, indent=0, **_COMPACT))]
    if fmt == "epoch-benchmarks":
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in files:
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
            header = rows[0]
            table = [header] + [dict(zip(header, r)) for r in rows[1:]]
            score = next((c for c in header if not epoch_benchmarks._META.match(c.strip())
                          and epoch_benchmarks._numeric(table, c)), None)
            keep = [i for i, c in enumerate(header) if c in _BENCH_COLUMNS or c == score]
            written.append(_write(out / Path(name).name, _csv([[r[i] if i < len(r) else "" for i in keep]
                                                              for r in rows])))
        return written
    if fmt == "epoch-models":
        rows = list(csv.reader(io.StringIO(files[0][1].lstrip("\ufeff"))))
        keep = [i for i, c in enumerate(rows[0]) if c in _MODEL_COLUMNS]
        return [_write(out, _csv([[r[i] if i < len(r) else "" for i in keep] for r in rows]))]
    raise SystemExit(f"pinning: no pinning for {fmt}")


_LITELLM_FIELDS = {"litellm_provider", "mode", "source", "deprecation_date", "deprecation_source",
                   *(f for f, *_ in litellm.FIELDS)}
_CPU_FIELDS = {"metadata": {"name": True, "manufacturer": True, "releaseYear": True},
               "cores": True, "clocks": True, "cache": {"l2": True, "l3": True},
               "specifications": {"tdp": True, "memory": {"maxSupport": True, "channels": True},
                                  "integratedGraphics": {"boostClock": True}},
               "general_product_information": {"manufacturer_url": True}}
_DEVICE_FIELDS = {k: True for k in ("codename", "name", "vendor", "release", "battery", "screen", "dimensions", "ram",
                                    "storage")}
_BENCH_COLUMNS = {"id", "Name", "Model", "Model version", "Shots", "Agent", "Scaffold", "Tools", "Edit format",
                  "Source", "Source link", "Source link (site from table)", "Version release date", "Link"}
_MODEL_COLUMNS = {"Model", "Organization", "Publication date", "Link", "Parameters", "Parameters notes",
                  "Confidence", "Hardware quantity", "Training hardware"}


def _pick(obj, fields):
    if fields is True or not isinstance(obj, dict):
        return obj
    return {k: _pick(obj[k], f) for k, f in fields.items() if k in obj}


def _yaml(text: str):
    import yaml

    return yaml.safe_load(text)


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    for p in pin(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])):
        print(p)
