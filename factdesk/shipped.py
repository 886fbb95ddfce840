"""What the shipped `claims.db` is built from, in order: the reviewed CSV files under `assets/` (primary sources,
then the alias table that merges registry names into them), then the registry snapshots pinned in
`assets/registries/`, read by their importers."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportFormatError
from .imports import ParsedFile
from .locations import ASSETS


@dataclass(frozen=True)
class PinnedRegistry:
    """One registry snapshot kept in the repository, as `assets/registries/registries.json` describes it."""

    format: str
    path: Path
    as_of: str
    url: str
    upstream: str
    licence: str
    attribution: str


def pinned_registries(assets: Path = ASSETS) -> list[PinnedRegistry]:
    manifest = assets / "registries" / "registries.json"
    if not manifest.exists():
        return []
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        return [PinnedRegistry(e["format"], assets / "registries" / e["path"], e["as_of"], e["url"], e["upstream"],
                               e["licence"], e["attribution"]) for e in entries]
    except (ValueError, KeyError, TypeError) as exc:
        raise ImportFormatError(f"{manifest}: not a list of registry snapshots ({exc}); fix the file",
                                code="FD304") from None


def shipped_sources(assets: Path = ASSETS) -> list:
    """Import sources for `build_database`: CSV paths (facts first, then aliases), then registries read."""
    from .registries import parse_registry, registry_files

    csvs = sorted(assets.glob("*facts*.csv")) + sorted((assets / "curated").glob("*.csv"))
    facts = [p for p in csvs if "aliases" not in p.name]
    aliases = sorted(assets.glob("*aliases*.csv")) + [p for p in csvs if "aliases" in p.name and p.parent != assets]
    out: list = [*facts, *aliases]
    merges = assets / "registries" / "merges.csv"
    if merges.exists():
        out.append(merges)
    for reg in pinned_registries(assets):
        parsed: list[ParsedFile] = parse_registry(registry_files(reg.path, reg.format), reg.format, reg.as_of, reg.url)
        out.extend(parsed)
    return out
