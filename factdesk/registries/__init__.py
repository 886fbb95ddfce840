"""Public registries read into the import format: each format is one module with one `read` function that turns
the registry's own files into fact and alias rows, so validation, atomic writes, history and `--dry-run` are the
CSV import's.

A registry's facts carry its name as their origin ("LiteLLM registry"): a verdict that rests on one says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Callable

from ..errors import ImportFormatError
from ..imports import ParsedFile, ParsedRow, _checked

# the largest registry file read (LiteLLM's is about 3.5 MB): anything bigger is not one of these registries
MAX_REGISTRY_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Registry:
    """One registry format: its name on the command line, the origin its facts carry, the files it reads."""

    name: str
    origin: str
    pattern: str                           # the files a folder of this registry holds ("*.yml *.json")
    read: Callable[[list[tuple[str, str]], "Snapshot"], "Rows"]
    home: str                              # where the registry is published (a fact's source when it has none)
    about: str
    # whether its value alone may call a figure wrong: a copy of the maker's own figures (prices, filings)
    # may; a compilation that measures or transcribes (leaderboards, wikis, spec databases) only confirms
    accuses: bool = False


@dataclass(frozen=True)
class Snapshot:
    """Which copy of a registry is read: the day it was taken, and its address (the registry file at a commit)."""

    as_of: str
    url: str


class Rows:
    """Fact and alias rows collected from a registry, each checked as an import row is."""

    def __init__(self) -> None:
        self.facts: list[ParsedRow] = []
        self.aliases: list[ParsedRow] = []
        self._alias_seen: dict[str, str] = {}
        self._fact_seen: dict[tuple[str, str, str], str] = {}
        self.skipped = 0            # rows that repeat a fact already read with another value: the first stands

    def fact(self, item: int, entity: str, attribute: str, value, unit: str, as_of: str, source_url: str,
             note: str = "") -> None:
        key = (entity.strip().casefold(), attribute.strip().casefold(), source_url.strip().casefold())
        text = plain(value) if isinstance(value, float) else str(value)
        if key in self._fact_seen:
            self.skipped += self._fact_seen[key] != text
            return
        self._fact_seen[key] = text
        self.facts.append(_checked("facts", item, {
            "entity": entity, "attribute": attribute, "value": text, "unit": unit, "as_of": as_of,
            "source_url": source_url, "note": note}))

    def alias(self, item: int, entity: str, alias: str) -> None:
        """An alias, once; an id two entities claim stays with the first (the names table decides merges)."""
        alias = alias.strip()
        key = alias.casefold()
        if not alias or key == entity.casefold() or key in self._alias_seen:
            return
        self._alias_seen[key] = entity
        self.aliases.append(_checked("aliases", item, {"entity": entity, "alias": alias}))

    def bad(self, item: int, problem: str) -> None:
        """An item the registry got wrong (a string where a number belongs): the import is refused."""
        self.facts.append(ParsedRow(item, {}, problem))


def plain(value: float) -> str:
    """A registry's number as a fact's value: whole numbers exactly ("1048576", never "1.04858e+06"), others to
    ten significant digits without floating-point dust (1e6 x 2.5e-06 is "2.5")."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    if "e" in text:
        from decimal import Decimal

        text = format(Decimal(text), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def load_json(name: str, text: str):
    """A registry file's JSON, or a one-line FD303 naming where it stops being JSON."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{name}: not JSON ({exc.msg} at line {exc.lineno})", code="FD303") from None


def number(value) -> float | None:
    """A registry's number (int, float or numeric text), None when absent; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(repr(value))
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return float(value.replace(",", "").strip())
    raise ValueError(repr(value)[:30])


MODULES = ("litellm", "epoch_benchmarks", "epoch_models", "buildcores", "gpu_info", "lineage", "edgar")


@lru_cache(maxsize=1)
def _formats() -> dict[str, Registry]:
    import importlib

    modules = [importlib.import_module(f"{__name__}.{m}") for m in MODULES]
    return {m.REGISTRY.name: m.REGISTRY for m in modules}


@lru_cache(maxsize=32)
def accuses(origin: str) -> bool:
    """Whether a fact of this origin may, by itself, make a figure conflicting: primary sources and registries
    that copy the maker's own figures may; compilations only confirm."""
    return not origin or any(r.accuses for r in _formats().values() if r.origin == origin)


def registry_names() -> list[str]:
    return sorted(_formats())


def registry(name: str) -> Registry:
    formats = _formats()
    if name not in formats:
        raise ImportFormatError(f"unknown registry format '{name}'; choose one of {', '.join(sorted(formats))}",
                                code="FD313")
    return formats[name]


def registry_files(path: Path, fmt: str) -> list[tuple[str, str]]:
    """The (name, text) files of a registry at `path`: the file itself, or the folder's files of that format."""
    reg = registry(fmt)
    if path.is_dir():
        files = sorted({p for pat in reg.pattern.split() for p in path.rglob(pat) if p.is_file()})
        if not files:
            raise ImportFormatError(f"{path} holds no {reg.pattern} files of the {fmt} registry; pass the "
                                    f"registry's file or folder", code="FD301")
    else:
        files = [path]
    from ..store import read_import_file

    return [(str(p), read_import_file(p)) for p in files]     # parse_registry checks the size, once


def parse_registry(files: list[tuple[str, str]], fmt: str, as_of: str = "", url: str = "") -> list[ParsedFile]:
    """A registry's files as two import files (facts, then aliases) whose facts carry the registry's origin.

    `as_of`: the day the snapshot was taken (default today); `url`: its address (default the registry's home),
    the source of facts whose registry row names none."""
    reg = registry(fmt)
    total = sum(len(text) for _, text in files)
    if total > MAX_REGISTRY_BYTES:
        raise ImportFormatError(f"the {fmt} registry given is over {MAX_REGISTRY_BYTES // 2**20} MB, larger than "
                                f"any real one; check that it is the right file", code="FD314")
    rows = reg.read(files, Snapshot(as_of or date.today().isoformat(), url or reg.home))
    name = files[0][0] if len(files) == 1 else f"{Path(files[0][0]).parent} ({len(files)} files)"
    if not rows.facts and not any(r.problem for r in rows.facts):
        raise ImportFormatError(f"{name}: no facts found in it as a {fmt} registry; check the file and --format",
                                code="FD304")
    return [ParsedFile(name, "facts", tuple(rows.facts), origin=reg.origin),
            ParsedFile(f"{name} (aliases)", "aliases", tuple(rows.aliases), origin=reg.origin)]
