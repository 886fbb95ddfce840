"""Epoch AI's benchmark tables (`epoch-research/benchmark-stitching`, MIT): `external_benchmark_*.csv`, one file per
benchmark, each row one model's result with the leaderboard or paper it was read from; `model_versions.csv` names
the model versions and gives their release dates.

A result's setting (shots, agent, scaffold) goes into the attribute, so a 5-shot score never verifies a 0-shot claim;
the headline score of a file is its first numeric column that is not a setting.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import ImportFormatError
from . import Registry, Rows, Snapshot, number, plain
from .naming import model_name, snapshot_base

ORIGIN = "Epoch AI benchmarks"
# how the benchmarks write their own names
BENCHMARK_NAMES = {
    "aider_polyglot": "Aider Polyglot", "anli": "ANLI", "arc_agi": "ARC-AGI", "arc_ai2": "ARC", "balrog": "BALROG",
    "bbh": "BIG-Bench Hard", "boolq": "BoolQ", "cadeval": "CadEval", "csqa2": "CSQA2", "cybench": "Cybench",
    "deepresearch": "DeepResearch Bench", "factorio_learning_environment": "Factorio Learning Environment",
    "fictionlivebench": "Fiction.LiveBench", "geobench": "GeoBench", "gsm8k": "GSM8K", "gso_bench": "GSO",
    "hellaswag": "HellaSwag", "lambada": "LAMBADA", "lech_mazur_writing": "Lech Mazur Writing",
    "livebench": "LiveBench", "mcbench": "MC-Bench", "metr": "METR", "mmlu": "MMLU", "openbookqa": "OpenBookQA",
    "os_world": "OSWorld", "osuniverse": "OSUniverse", "piqa": "PIQA", "scienceqa": "ScienceQA",
    "simple_bench": "SimpleBench", "superglue": "SuperGLUE", "terminal_bench": "Terminal-Bench",
    "the_agent_company": "TheAgentCompany", "triviaqa": "TriviaQA", "videomme": "Video-MME", "vpct": "VPCT",
    "weirdml": "WeirdML", "winogrande": "WinoGrande",
}
# columns that describe a row rather than score it
_META = re.compile(r"^(?:id|uuid|name|model|model version|shots|source.*|notes.*|agent|tools|scaffold|edit format|"
                   r"prompt|organization|date.*|environment model|.*version|paper|trajectories|cost.*|votes|"
                   r"average costs|average steps|.*standard error|.*\bse|ci_.*|total.*|.*successes?|checks run|"
                   r"most complex item|milestones|automation|duration.*|median.*)$", re.IGNORECASE)
_GENERIC = {"score", "em", "accuracy", "average", "correct", "overall accuracy", "mean score", "accuracy mean",
            "percent correct", "global average", "average score"}


def read(files: list[tuple[str, str]], snap: Snapshot) -> Rows:
    rows = Rows()
    tables = {Path(name).name: _table(name, text) for name, text in files}
    names: dict[str, str] = {}
    versions = tables.pop("model_versions.csv", None)
    if versions is not None:
        _read_versions(rows, versions, names, snap)
    item = 0
    for file, table in sorted(tables.items()):
        m = re.fullmatch(r"external_benchmark_(\w+)\.csv", file)
        if not m:
            raise ImportFormatError(f"{file}: not an Epoch benchmark table (external_benchmark_NAME.csv or "
                                    f"model_versions.csv)", code="FD304")
        bench = BENCHMARK_NAMES.get(m.group(1), m.group(1).replace("_", " ").title())
        header = table[0] if table else []
        score_col = next((c for c in header if not _META.match(c.strip()) and _numeric(table, c)), None)
        if score_col is None:
            continue
        seen: dict[tuple[str, str], str] = {}
        for rec in table[1:]:
            item += 1
            version = (rec.get("Model version") or "").strip()
            label = (rec.get("Name") or rec.get("Model") or "").strip()
            if not version and not label:
                continue
            entity = names.get(version) or (model_name(snapshot_base(version)) if version else label)
            raw = (rec.get(score_col) or "").strip()
            try:
                value = number(raw.rstrip("%"))
            except ValueError:
                rows.bad(item, f"{file}: '{score_col}' of {version or label} is {raw[:20]!r}, not a number")
                continue
            if value is None:
                continue
            what = f"{bench} score" if score_col.strip().lower() in _GENERIC else f"{bench} {score_col.strip()}"
            settings = []
            shots = (rec.get("Shots") or "").strip()
            if shots:
                settings.append(shots if "shot" in shots.lower() else f"{shots}-shot")
            for col in ("Agent", "Scaffold", "Tools", "Edit format"):
                if (rec.get(col) or "").strip():
                    settings.append(f"{rec[col].strip()} {col.lower()}")
            attribute = what + (f" ({', '.join(settings)})" if settings else "")
            link = (rec.get("Source link") or rec.get("Source link (site from table)") or "").strip().split()
            source = link[0] if link and link[0].startswith(("http://", "https://")) else snap.url
            key = (entity.casefold(), attribute.casefold(), source)
            text = plain(value)
            if key in seen and seen[key] != text:
                attribute += f" ({version or label})"        # another configuration of the same model
            if (entity.casefold(), attribute.casefold(), source) in seen:
                continue
            seen[(entity.casefold(), attribute.casefold(), source)] = text
            unit = "%" if raw.endswith("%") else "score"
            note = f"Epoch AI benchmark table {file}: {score_col} = {raw}" + (
                f" for model version '{version}'" if version else "") + (
                f"; source: {rec.get('Source').strip()}" if (rec.get("Source") or "").strip() else "")
            rows.fact(item, entity, attribute, text, unit, snap.as_of, source, note)
            if version and version != entity:
                rows.alias(item, entity, version)
    return rows


def _read_versions(rows: Rows, table: list[dict], names: dict[str, str], snap: Snapshot) -> None:
    """Names for model versions; a model's release date is the date of its first version."""
    first: dict[str, tuple[str, int, str, str]] = {}
    for item, rec in enumerate(table[1:], start=1):
        version = (rec.get("id") or "").strip()
        model = (rec.get("Model") or "").strip()
        if not version or not model:
            continue
        names[version] = model
        rows.alias(item, model, version)
        day = (rec.get("Version release date") or "").strip()
        link = (rec.get("Link") or "").strip().split()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and link and link[0].startswith(("http://", "https://")) \
                and (model not in first or day < first[model][0]):
            first[model] = (day, item, link[0], version)
    for model, (day, item, link, version) in first.items():
        rows.fact(item, model, "release date", day, "date", snap.as_of, link,
                  f"Epoch AI model_versions.csv: first version '{version}' released {day}")


def _table(name: str, text: str) -> list:
    """[header, row dicts...]; a file that is not CSV is refused as a whole."""
    try:
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
        lines = list(reader)
    except csv.Error as exc:
        raise ImportFormatError(f"{name}: not CSV ({exc})", code="FD303") from None
    if not lines:
        raise ImportFormatError(f"{name} is empty; it needs a header line", code="FD303")
    header = [h.strip() for h in lines[0]]
    return [header] + [dict(zip(header, r)) for r in lines[1:] if any(c.strip() for c in r)]


def _numeric(table: list, col: str) -> bool:
    """Whether most filled cells of a column are numbers (or percentages)."""
    cells = [(r.get(col) or "").strip().rstrip("%") for r in table[1:]]
    cells = [c for c in cells if c]
    if not cells:
        return False
    ok = sum(1 for c in cells if re.fullmatch(r"[+-]?\d[\d,]*(?:\.\d+)?|[+-]?\.\d+", c))
    return ok >= 0.8 * len(cells)


REGISTRY = Registry("epoch-benchmarks", ORIGIN, "*.csv", read,
                    "https://github.com/epoch-research/benchmark-stitching/tree/main/data",
                    "Epoch AI benchmark results by model (MIT)")
