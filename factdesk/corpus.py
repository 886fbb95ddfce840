"""Labelled corpora in the devset layout: a set folder holds facts.csv, aliases.csv, articles/<id>.txt with
<id>.meta.json, and gold/<id>.json; a corpus root (eval/real) holds one set folder per beat."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

VERDICTS = ("verified", "conflicting", "unverified", "ignore")
CHECKABLE = ("verified", "conflicting", "unverified")
PERTURBED = "-perturbed"


@dataclass(frozen=True)
class GoldItem:
    """What the checker must say about one number of an article."""

    number_text: str
    occurrence: int
    expected: str
    entity: str | None
    attribute: str | None
    reference_value: object
    check_worthy: bool
    rationale: str
    raw: dict

    @property
    def perturbed(self) -> bool:
        return self.rationale.lstrip().upper().startswith("PERTURBED")


@dataclass(frozen=True)
class Article:
    """One article of a set: its text, its metadata and its gold."""

    id: str
    text: str
    meta: dict | None
    gold: tuple[GoldItem, ...]

    @property
    def published(self) -> str | None:
        """The day the article was published, as its metadata gives it (the date a journalist's draft has)."""
        day = (self.meta or {}).get("published")
        return str(day)[:10] if day else None

    @property
    def original(self) -> str:
        """The id of the unchanged article this one was made from (its own id if it is an original)."""
        return self.id.removesuffix(PERTURBED)

    @property
    def is_perturbed(self) -> bool:
        return self.id.endswith(PERTURBED)


@dataclass(frozen=True)
class CorpusSet:
    """One folder of articles with the facts they are checked against."""

    path: Path
    facts: tuple[dict, ...]
    fact_columns: tuple[str, ...]
    aliases: tuple[dict, ...]
    articles: tuple[Article, ...]

    @property
    def name(self) -> str:
        return self.path.name

    def sources(self) -> list[tuple[str, str]]:
        """The set's facts and aliases files as (name, text), ready for `ReferenceStore.import_many`."""
        out = []
        for name in ("facts.csv", "aliases.csv"):
            p = self.path / name
            if p.exists() and p.read_text(encoding="utf-8").strip():
                out.append((str(p), p.read_text(encoding="utf-8")))
        return out


def gold_span(text: str, number_text: str, occurrence: int) -> tuple[int, int] | None:
    """The span of the `occurrence`-th plain substring match of `number_text` (counted as the devset does)."""
    pos = -1
    for _ in range(max(1, int(occurrence or 1))):
        pos = text.find(number_text, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(number_text)


def _gold_item(raw: dict) -> GoldItem:
    return GoldItem(str(raw.get("number_text", "")), int(raw.get("occurrence") or 1), str(raw.get("expected", "")),
                    raw.get("entity"), raw.get("attribute"), raw.get("reference_value"),
                    raw.get("check_worthy") is not False, str(raw.get("rationale") or ""), raw)


def _read_csv(path: Path) -> tuple[tuple[str, ...], tuple[dict, ...]]:
    if not path.exists():
        return (), ()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = tuple(dict(r) for r in reader)
        return tuple(reader.fieldnames or ()), rows


def load_set(path: str | Path) -> CorpusSet:
    """Read a set folder (every article that has a gold file)."""
    path = Path(path)
    columns, facts = _read_csv(path / "facts.csv")
    _, aliases = _read_csv(path / "aliases.csv")
    articles = []
    for gold_file in sorted((path / "gold").glob("*.json")):
        aid = gold_file.stem
        txt = path / "articles" / f"{aid}.txt"
        meta_file = path / "articles" / f"{aid}.meta.json"
        text = txt.read_text(encoding="utf-8") if txt.exists() else ""
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else None
        gold = tuple(_gold_item(g) for g in json.loads(gold_file.read_text(encoding="utf-8")))
        articles.append(Article(aid, text, meta, gold))
    return CorpusSet(path, facts, columns, aliases, tuple(articles))


def find_sets(paths: list[str | Path]) -> list[CorpusSet]:
    """The set folders named, or found one level below a corpus root (eval/real -> its beats)."""
    out = []
    for p in map(Path, paths):
        if (p / "facts.csv").exists():
            out.append(load_set(p))
        else:
            out += [load_set(d) for d in sorted(p.iterdir()) if d.is_dir() and (d / "facts.csv").exists()]
    return out


def dropped_entities(entities: Iterable[str], share: float) -> set[str]:
    """A fixed share of entities, chosen by a hash of the name (as score_devset's --drop-entities does)."""
    return {e for e in entities if int(hashlib.sha1(e.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share}


def without_entities(s: CorpusSet, share: float) -> list[tuple[str, str]]:
    """The set's import files as (name, text), with the facts and aliases of a dropped share of entities left out
    (a user's database lacks most entities a story names)."""
    gone = dropped_entities({r["entity"] for r in s.facts}, share)
    out = []
    for name, text in s.sources():
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows:            # a header alone (a set with no aliases) is kept as it is
            out.append((name, text))
            continue
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(r for r in rows if r["entity"] not in gone)
        out.append((name, buf.getvalue()))
    return out
