"""The reference store: entities, aliases and sourced facts in SQLite, with versioned migrations.

Every change (import, edit, delete, undo) is one transaction that also writes a line of history.
"""
from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
import os
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .errors import DatabaseError, ImportFormatError
from .facts import Fact
from .imports import ParsedFile, ParsedRow, parse_text, problems_message
from .records import (ALIAS_COLUMNS, FACT_COLUMNS, MUTABLE_COLUMNS, alias_problem, clean_fact, fact_identity,
                      fact_problem, spreadsheet_safe)

BUSY_TIMEOUT_MS = 5000

migrations = Migrations("factdesk")


@migrations()
def m001_initial(db: Database) -> None:
    db["entities"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db["entities"].create_index(["name"], unique=True)
    db["aliases"].create({"alias_key": str, "alias": str, "entity_id": int}, pk="alias_key",
                         foreign_keys=[("entity_id", "entities", "id")])
    db["facts"].create({
        "id": int, "fact_key": str, "entity_id": int, "attribute": str, "value": str, "unit": str,
        "as_of": str, "source_url": str, "note": str,
    }, pk="id", foreign_keys=[("entity_id", "entities", "id")], not_null={"fact_key", "attribute", "value"})
    db["facts"].create_index(["fact_key"], unique=True)
    db["facts"].create_index(["entity_id"])


@migrations()
def m002_validity_and_history(db: Database) -> None:
    """Facts that change over time (valid_from / valid_to) and a history of every change to facts."""
    db["facts"].add_column("valid_from", str)
    db["facts"].add_column("valid_to", str)
    db["history"].create({
        "id": int, "at": str, "who": str, "action": str, "fact_id": int, "entity": str, "attribute": str,
        "old": str, "new": str,
    }, pk="id")
    db["history"].create_index(["fact_id"])


@migrations()
def m003_identity_search_and_alias_history(db: Database) -> None:
    """A fact is identified by entity, attribute, source and period (so a corrected value updates it), a
    full-text index over facts, and history lines for aliases."""
    rows = db.execute(
        "select facts.id, entities.name, attribute, coalesce(source_url, ''), coalesce(valid_from, ''), "
        "coalesce(valid_to, '') from facts join entities on entities.id = facts.entity_id order by facts.id"
    ).fetchall()
    seen: set[str] = set()
    for fact_id, entity, attribute, source, start, end in rows:
        key = fact_identity({"entity": entity, "attribute": attribute, "source_url": source,
                             "valid_from": start, "valid_to": end})
        if key in seen:          # two values for one fact from an older factdesk: both are kept
            key = f"{key}-{fact_id}"
        seen.add(key)
        db.execute("update facts set fact_key = ? where id = ?", [key, fact_id])
    db["history"].add_column("alias", str)
    db["history"].add_column("undoes", int)      # the change a line reverses, for undo lines
    db.execute("create virtual table fact_search using fts5(entity, aliases, attribute, note, value, forms, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    _reindex(db, [r[0] for r in rows])


@migrations()
def m004_origin(db: Database) -> None:
    """Where a fact came from: "" for a primary source entered or imported as CSV, else the registry's name
    ("LiteLLM registry"), so a verdict can say whose word it rests on."""
    db["facts"].add_column("origin", str, not_null_default="")
    # facts citing one document (a board and its processor) are looked up by source at every check
    db["facts"].create_index(["source_url"])


def _reindex(db: Database, fact_ids: Iterable[int]) -> None:
    """Bring the full-text index up to date for these facts (deleted ones leave it).

    `forms` holds what people type that the tokenizer would split: compounds joined ("SWE-bench" as
    "swebench") and values without separators.
    """
    for fact_id in fact_ids:
        db.execute("delete from fact_search where rowid = ?", [fact_id])
        row = db.execute(
            "select entities.name, coalesce((select group_concat(alias, ' ') from aliases "
            "where aliases.entity_id = entities.id), ''), attribute, coalesce(note, ''), value "
            "from facts join entities on entities.id = facts.entity_id where facts.id = ?", [fact_id]).fetchone()
        if row is None:
            continue
        entity, aliases, attribute, note, value = row
        db.execute("insert into fact_search (rowid, entity, aliases, attribute, note, value, forms) "
                   "values (?, ?, ?, ?, ?, ?, ?)",
                   [fact_id, entity, aliases, attribute, note, value, _joined_forms(entity, aliases, attribute)])


def _joined_forms(*texts: str) -> str:
    """ "SWE-bench Verified", "GPT-4.1" -> "swebench gpt41": words written with hyphens or dots, joined."""
    out = []
    for text in texts:
        for word in re.findall(r"\w+(?:[-.'’/]\w+)+", text):
            out.append(re.sub(r"[-.'’/]", "", word).lower())
    return " ".join(out)


KNOWN_MIGRATIONS = {m.name for m in migrations._migrations}


@dataclass(frozen=True)
class ImportResult:
    """What an import changed."""

    kind: str          # "facts" or "aliases"
    added: int
    unchanged: int
    updated: int = 0
    warnings: tuple[str, ...] = ()     # rows imported as written that deserve a look (formula-like cells)


@dataclass(frozen=True)
class RowPlan:
    """What importing one row would do: add it, update a fact on file, nothing, or nothing because it is invalid."""

    line: int
    status: str                       # "new", "updated", "unchanged", "invalid", or "skipped" (a registry's repeat)
    record: dict
    reason: str = ""                  # invalid: why; updated: what changes
    fact_id: int | None = None        # the fact an update changes
    old: dict | None = None           # its values before


@dataclass(frozen=True)
class ImportPlan:
    """An import file compared with the database: a preview that writes nothing."""

    name: str
    kind: str
    rows: tuple[RowPlan, ...] = field(default=())
    items: bool = False               # rows are items of a JSON feed or registry, not CSV lines
    origin: str = ""                  # the registry the rows came from ("" for primary sources)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {k: self.count(k) for k in ("new", "updated", "unchanged", "invalid")}

    @property
    def changes(self) -> int:
        return self.count("new") + self.count("updated")

    def summary(self) -> str:
        c = self.counts
        skipped = self.count("skipped")
        return (f"{c['new']} new, {c['updated']} updated, {c['unchanged']} unchanged, {c['invalid']} invalid "
                f"{self.kind}" + (f" ({skipped} repeats skipped)" if skipped else ""))

    def _shape(self) -> list[tuple]:
        return [(r.line, r.status, r.fact_id) for r in self.rows]


@dataclass(frozen=True)
class Change:
    """One line of history: who changed what, when, from which value to which."""

    id: int
    at: str
    who: str
    action: str          # add, update, delete, restore, alias add, alias delete
    fact_id: int | None
    entity: str
    attribute: str
    alias: str
    old: dict | None
    new: dict | None
    undoes: int | None = None     # for an undo: the change it reversed

    @property
    def undoable(self) -> bool:
        return self.action in ("add", "restore", "update", "delete", "alias add", "alias delete")

    def describe(self) -> str:
        """The change in a few words: "deleted Nimbus 3 context window (262144 tokens)"."""
        what = f"alias '{self.alias}' of {self.entity}" if self.alias else f"{self.entity} {self.attribute}"
        if self.action == "update" and self.old and self.new:
            diffs = ", ".join(f"{k} {self.old.get(k) or '∅'} → {self.new.get(k) or '∅'}" for k in self.new)
            return f"changed {what}: {diffs}" + (f" (undoing #{self.undoes})" if self.undoes else "")
        values = self.new if self.action in ("add", "restore", "alias add") else self.old
        shown = ""
        if values and "value" in values:
            unit = values.get("unit", "")
            shown = f" ({values['value']}{'' if unit in ('', 'date') else ' ' + unit})"
        verb = {"add": "added", "delete": "deleted", "restore": "restored", "alias add": "added",
                "alias delete": "deleted"}.get(self.action, self.action)
        return f"{verb} {what}{shown}" + (f" (undoing #{self.undoes})" if self.undoes else "")


@dataclass(frozen=True)
class Stats:
    entities: int
    aliases: int
    facts: int
    sources: int
    attributes: int
    fingerprint: str


@dataclass(frozen=True)
class Breakdown:
    """What a database holds, by source and by beat, and the entity names likely to be duplicates."""

    by_origin: tuple[tuple[str, int], ...]
    by_beat: tuple[tuple[str, int], ...]
    duplicates: tuple[tuple[str, ...], ...]


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):     # no login name in some containers
        return "unknown"


class ReferenceStore:
    """An open reference database. One per thread: SQLite connections must not cross threads."""

    def __init__(self, db: Database, path: Path | None):
        self.db = db
        self.path = path
        self.who = _user_name()
        self._facts_cache: dict[str, tuple[Fact, ...]] = {}
        self._related_cache: dict[str, tuple[str, ...]] = {}
        self._wal = False
        self._seen_version = self._data_version()
        self.read_only = False      # set for a database that must not be changed here (the shipped one)
        self.generation = 0         # goes up whenever the facts may have changed

    # -- opening ---------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, read_only: bool = False) -> "ReferenceStore":
        """Open a database file; create it only when asked. Refuses corrupt or newer databases untouched.
        With `read_only`, every change is refused with FD213 (reading works as usual)."""
        path = Path(path)
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file; pass the .db file with --db",
                                code="FD201")
        if not path.exists():
            if not create:
                raise DatabaseError(f"no reference database at {path}; create one with "
                                    f"'factdesk db import FACTS.csv --db {path}'", code="FD202")
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            with open(path, "rb") as fh:
                head = fh.read(16)
            if not head and not create:
                raise DatabaseError(f"{path} is an empty file, not a factdesk database; choose the database "
                                    f"file (claims.db) or import CSV into it with 'factdesk db import'", code="FD203")
            if head and head != b"SQLite format 3\x00":
                raise DatabaseError(f"{path} is not a SQLite database; choose the factdesk database file "
                                    f"(claims.db) or import CSV into a new one", code="FD203")
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            db = Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = set(db.table_names())
            # damaged pages would otherwise surface later, in the middle of a check
            verdict = db.execute("PRAGMA quick_check(1)").fetchone()[0] if tables else "ok"
            if verdict != "ok":
                raise sqlite3.DatabaseError(verdict)
        except sqlite3.DatabaseError as exc:
            if "unable to open" in str(exc) and not os.access(path.parent, os.W_OK):
                raise DatabaseError(f"{path} cannot be opened from a read-only folder while it is in WAL mode; "
                                    f"copy it to a writable folder", code="FD204") from None
            raise DatabaseError(f"{path} cannot be read as a database ({exc}); restore it from a backup "
                                f"or rebuild it from CSV", code="FD204") from None
        store = cls(db, path)
        store._migrate(tables, creating=not tables)
        store.read_only = read_only
        return store

    @classmethod
    def memory(cls) -> "ReferenceStore":
        """A throwaway in-memory store (tests, previews)."""
        store = cls(Database(memory=True), None)
        store._migrate(set(), creating=True)
        return store

    def _migrate(self, tables: set[str], *, creating: bool) -> None:
        applied = {m.name for m in migrations.applied(self.db)}
        unknown = applied - KNOWN_MIGRATIONS
        if unknown:
            raise DatabaseError(f"{self.path} was written by a newer factdesk (schema {sorted(unknown)[-1]}); "
                                f"upgrade factdesk to use it", code="FD205")
        if not creating and "facts" not in tables:
            raise DatabaseError(f"{self.path} is a SQLite database but not a factdesk reference database; "
                                f"pass the right file with --db", code="FD206")
        if migrations.pending(self.db):
            try:
                if self.path is not None and not creating:
                    self._backup()
                migrations.apply(self.db)
            except sqlite3.OperationalError as exc:
                raise DatabaseError(f"{self.path} could not be upgraded ({exc}); close other programs using "
                                    f"it and try again", code="FD207") from None


    def _backup(self) -> None:
        assert self.path is not None
        backup = self.path.with_suffix(self.path.suffix + f".bak-{date.today().isoformat()}")
        dest = sqlite3.connect(str(backup))
        with dest:
            self.db.conn.backup(dest)
        dest.close()

    def close(self) -> None:
        self.db.close()

    def _data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def refresh(self) -> bool:
        """Forget cached facts if another connection (another thread, the command line, a colleague)
        changed the database since this one last looked; True when it did."""
        version = self._data_version()
        if version == self._seen_version:
            return False
        self._seen_version = version
        self._forget()
        return True

    def _forget(self) -> None:
        self._facts_cache.clear()
        self._related_cache.clear()
        self.generation += 1       # caches built from this store's facts elsewhere compare it

    # -- reading ---------------------------------------------------------------------------------------
    def names(self) -> list[tuple[str, str]]:
        """Every (surface form, canonical entity name) pair: names and aliases, for the entity ruler.

        A thing known only from a registry is not named by one word without digits ("Whisper", "Diamond", "FAST"
        are models in Epoch's table, and words in every article); a primary source's "Apple" is, as is "GPT-4"."""
        rows = self.db.execute(
            "select name, name from entities union all "
            "select aliases.alias, entities.name from aliases join entities on entities.id = aliases.entity_id"
        ).fetchall()
        registry_only = {r[0] for r in self.db.execute(
            "select entities.name from entities join facts on facts.entity_id = entities.id group by entities.id "
            "having min(coalesce(facts.origin, '')) != ''")}
        return [(a, b) for a, b in rows if not (b in registry_only and re.fullmatch(r"[^\W\d_]+", a))]

    def attribute_names(self) -> list[str]:
        """Every distinct attribute name on file: what the pipeline must read as measures, not products."""
        return [r[0] for r in self.db.execute("select distinct attribute from facts").fetchall()]

    def facts_for(self, entity: str) -> tuple[Fact, ...]:
        """All facts on file for one entity (cached per store)."""
        if entity not in self._facts_cache:
            rows = self.db.execute(_FACT_SELECT + " where entities.name = ? order by facts.id", [entity]).fetchall()
            self._facts_cache[entity] = tuple(Fact(*r) for r in rows)
        return self._facts_cache[entity]

    def related_to(self, entity: str) -> tuple[str, ...]:
        """Entities whose facts cite a source document that this entity's facts also cite."""
        if entity not in self._related_cache:
            rows = self.db.execute(
                "select distinct e2.name from facts f1 join entities e1 on e1.id = f1.entity_id "
                "join facts f2 on f2.source_url = f1.source_url and f2.entity_id != f1.entity_id "
                "join entities e2 on e2.id = f2.entity_id "
                "where e1.name = ? and coalesce(f1.source_url, '') != '' order by e2.name", [entity]).fetchall()
            self._related_cache[entity] = tuple(r[0] for r in rows)
        return self._related_cache[entity]

    def all_facts(self) -> Iterator[Fact]:
        rows = self.db.execute(_FACT_SELECT + " order by entities.name, facts.attribute, facts.id")
        for r in rows:
            yield Fact(*r)

    def aliases(self) -> list[tuple[str, str]]:
        return [(e, a) for e, a in self.db.execute(
            "select entities.name, aliases.alias from aliases join entities on entities.id = aliases.entity_id "
            "order by entities.name, aliases.alias").fetchall()]

    def stats(self) -> Stats:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return Stats(
            entities=q("select count(*) from entities"),
            aliases=q("select count(*) from aliases"),
            facts=q("select count(*) from facts"),
            sources=q("select count(distinct source_url) from facts"),
            attributes=q("select count(distinct attribute) from facts"),
            fingerprint=self.fingerprint(),
        )

    def breakdown(self) -> "Breakdown":
        """Facts per source (primary, or the registry they came from) and per beat, and entity names that are
        likely one thing spelled twice."""
        from .beats import beat_of
        from .registries.naming import duplicate_key

        by_origin: dict[str, int] = {}
        by_beat: dict[str, int] = {}
        for origin, attribute, unit, n in self.db.execute(
                "select coalesce(origin, ''), attribute, coalesce(unit, ''), count(*) from facts "
                "group by 1, 2, 3"):
            label = origin or "primary sources"
            by_origin[label] = by_origin.get(label, 0) + n
            beat = beat_of(origin, attribute, unit)
            by_beat[beat] = by_beat.get(beat, 0) + n
        groups: dict[str, list[str]] = {}
        for (name,) in self.db.execute("select name from entities order by name"):
            groups.setdefault(duplicate_key(name), []).append(name)
        duplicates = tuple(tuple(g) for g in groups.values() if len(g) > 1)
        return Breakdown(tuple(sorted(by_origin.items(), key=lambda kv: -kv[1])),
                         tuple(sorted(by_beat.items(), key=lambda kv: -kv[1])), duplicates)

    def fingerprint(self) -> str:
        """A short hash of every fact and alias: two databases with the same facts share it."""
        h = hashlib.sha256()
        for f in self.all_facts():
            fields = [f.entity, f.attribute, f.value, f.unit, f.as_of, f.source_url, f.note]
            if f.valid_from or f.valid_to or f.origin:
                fields += [f.valid_from, f.valid_to]
            if f.origin:
                fields.append(f.origin)
            h.update("\x1f".join(fields).encode())
        for e, a in self.aliases():
            h.update(f"{e}\x1e{a}".encode())
        return h.hexdigest()[:16]

    # -- importing -------------------------------------------------------------------------------------
    def import_csv(self, path: str | Path) -> ImportResult:
        """Import a facts or aliases file (CSV or JSON feed) atomically: every row valid, or nothing written."""
        return self.import_text(read_import_file(path), name=str(path))

    def import_text(self, text: str, *, name: str = "<csv>") -> ImportResult:
        """Import CSV or JSON text atomically; raises ImportFormatError (nothing written) if any row is invalid."""
        return self.import_many([(name, text)])[0][1]

    def import_many(self, sources: list) -> list[tuple[ImportPlan, ImportResult]]:
        """Import several files (name, text) in one transaction, each planned against the database as the
        files before it left it: all of them, or (if any row of any file is invalid) none."""
        # unreadable files fail before any lock; a registry comes already read (factdesk.registries)
        parsed = [src if isinstance(src, ParsedFile) else parse_text(src[1], src[0]) for src in sources]
        out = []
        with self._writing("nothing was imported"):
            for p in parsed:
                plan = self.plan_import(p)
                _refuse_invalid(plan)
                out.append((plan, replace(self._write_plan(plan), warnings=tuple(p.warnings))))
        return out

    def preview_many(self, sources: list) -> list[ImportPlan]:
        """What `import_many` would do with these files, file by file, without writing anything: the import
        runs on a copy of the database in memory."""
        copy = self.copy_in_memory()
        try:
            plans = []
            for src in sources:
                plan = copy.plan_import(src if isinstance(src, ParsedFile) else parse_text(src[1], src[0]))
                plans.append(plan)
                if not plan.count("invalid"):
                    with copy._writing("nothing"):
                        copy._write_plan(plan)
            return plans
        finally:
            copy.close()

    def copy_in_memory(self) -> "ReferenceStore":
        """A private copy of this database in memory (for previews: nothing reaches the file)."""
        target = sqlite3.connect(":memory:")
        self.db.conn.backup(target)
        store = ReferenceStore(Database(target), None)
        store.who = self.who
        return store

    def plan_import(self, parsed: ParsedFile) -> ImportPlan:
        """Compare an import file with the database, row by row; writes nothing."""
        plan = self._plan_facts(parsed) if parsed.kind == "facts" else self._plan_aliases(parsed)
        return ImportPlan(parsed.name, parsed.kind, tuple(plan),
                          items=parsed.name.lower().endswith(".json") or bool(parsed.origin), origin=parsed.origin)

    def _plan_facts(self, parsed: ParsedFile) -> list[RowPlan]:
        out: list[RowPlan] = []
        in_file: dict[str, ParsedRow] = {}
        names = self._resolving_names(bool(parsed.origin))
        for row in parsed.rows:
            r = row.record
            if row.problem:
                out.append(RowPlan(row.line, "invalid", r, row.problem))
                continue
            # "tarn 4" is the Tarn 4 on file: the stored spelling stays
            r = {**r, "entity": names.get(r["entity"].casefold(), r["entity"]), "origin": parsed.origin}
            key = fact_identity(r)
            earlier = in_file.get(key)
            if earlier is not None:
                same = not _differences(earlier.record, r)
                if parsed.origin and not same:
                    # two registry names merged into one entity disagree: the first stands, and the plan says so
                    out.append(RowPlan(row.line, "skipped", r, f"another value of the fact on line {earlier.line}"))
                    continue
                out.append(RowPlan(row.line, "unchanged" if same else "invalid", r,
                                   "" if same else f"the same fact as line {earlier.line} with a different "
                                                   f"{_first_difference(earlier.record, r)}"))
                continue
            in_file[key] = row
            existing = self._fact_by_key(key)
            if existing is None:
                out.append(RowPlan(row.line, "new", r))
                continue
            old = _record_of(existing)
            # the fact keeps its stored names (identity ignores case); only what may change is compared
            r = {**r, "entity": old["entity"], "attribute": old["attribute"], "source_url": old["source_url"]}
            diffs = _differences(old, r)
            if not diffs:
                out.append(RowPlan(row.line, "unchanged", r, fact_id=existing.id))
            else:
                reason = "; ".join(f"{c}: {old[c] or '∅'} → {r[c] or '∅'}" for c in diffs)
                out.append(RowPlan(row.line, "updated", r, reason, existing.id, {c: old[c] for c in diffs}))
        return out

    def _resolving_names(self, through_aliases: bool) -> dict[str, str]:
        """Casefolded name -> the entity on file it names ("tarn 4" is the Tarn 4). A registry's rows also
        resolve through the alias table: a registry's name for a thing on file under another name joins it."""
        names = {n.casefold(): n for n in self.entities()}
        if through_aliases:
            for entity, alias in self.aliases():
                names.setdefault(alias.casefold(), entity)
        return names

    def _plan_aliases(self, parsed: ParsedFile) -> list[RowPlan]:
        out: list[RowPlan] = []
        in_file: dict[str, ParsedRow] = {}
        names = self._resolving_names(True) if parsed.origin else {}
        for row in parsed.rows:
            r = row.record
            if row.problem:
                out.append(RowPlan(row.line, "invalid", r, row.problem))
                continue
            if names:
                r = {**r, "entity": names.get(r["entity"].casefold(), r["entity"])}
            key = r["alias"].casefold()
            earlier = in_file.get(key)
            if earlier is not None:
                same = earlier.record["entity"] == r["entity"]
                out.append(RowPlan(row.line, "unchanged" if same else "invalid", r, "" if same else
                                   f"alias '{r['alias']}' is given to {earlier.record['entity']} on line {earlier.line}"))
                continue
            in_file[key] = row
            problem = self._alias_conflict(r["entity"], r["alias"])
            if problem == "same" or (problem and parsed.origin):
                # a registry's id that another entity already owns stays with it: merging is the alias
                # table's decision, not an import's
                out.append(RowPlan(row.line, "unchanged", r, "" if problem == "same" else problem))
            elif problem:
                out.append(RowPlan(row.line, "invalid", r, problem))
            else:
                out.append(RowPlan(row.line, "new", r))
        return out

    def _alias_conflict(self, entity: str, alias: str) -> str | None:
        """"same" if the alias already names `entity`, a reason if it cannot, None if it is free."""
        existing = self.db.execute(
            "select entities.name from aliases join entities on entities.id = aliases.entity_id "
            "where alias_key = ?", [alias.casefold()]).fetchone()
        if existing:
            return "same" if existing[0] == entity else f"alias '{alias}' already names {existing[0]}"
        named = self.db.execute("select name from entities where lower(name) = lower(?)", [alias]).fetchone()
        if named and named[0] != entity:
            return f"alias '{alias}' is the name of {named[0]}"
        return None

    def apply_import(self, plan: ImportPlan) -> ImportResult:
        """Write a previewed import in one transaction. Refused (nothing written) if it has invalid rows, or
        if the database changed since the preview so that the plan no longer holds."""
        _refuse_invalid(plan)
        with self._writing(f"nothing from {plan.name} was imported"):
            fresh = self.plan_import(ParsedFile(plan.name, plan.kind, tuple(
                ParsedRow(r.line, r.record) for r in plan.rows), origin=plan.origin))
            if fresh._shape() != plan._shape():
                raise DatabaseError(f"{self.path} changed since {plan.name} was previewed; nothing was imported: "
                                    f"preview it again", code="FD210")
            return self._write_plan(fresh)

    def _write_plan(self, plan: ImportPlan) -> ImportResult:
        """Write a plan's new and updated rows (inside the caller's transaction)."""
        if plan.kind == "facts":
            touched = []
            for r in plan.rows:
                if r.status == "new":
                    touched.append(self._insert_fact(r.record)[0])
                elif r.status == "updated":
                    self._update_fact_row(r.fact_id, r.record, r.old or {})
                    touched.append(r.fact_id)
            _reindex(self.db, touched)
        else:
            for r in plan.rows:
                if r.status == "new":
                    self._insert_alias(r.record["entity"], r.record["alias"])
        return ImportResult(plan.kind, plan.count("new"), plan.count("unchanged"), plan.count("updated"))

    # -- editing ---------------------------------------------------------------------------------------
    def fact(self, fact_id: int) -> Fact | None:
        row = self.db.execute(_FACT_SELECT + " where facts.id = ?", [fact_id]).fetchone()
        return Fact(*row) if row else None

    def entities(self) -> list[str]:
        """Every entity name, sorted."""
        return [r[0] for r in self.db.execute("select name from entities order by name collate nocase")]

    def add_fact(self, record: dict, *, require_source: bool = True) -> Fact:
        """Store one new fact typed in by hand (validated; a source is required unless told otherwise)."""
        r = clean_fact(record)
        problem = fact_problem(r, require_source=require_source)
        if problem:
            raise ImportFormatError(f"fact not saved: {problem}", code="FD310")
        r["entity"] = self.canonical_entity(r["entity"])
        with self._writing("the fact was not saved"):
            existing = self._fact_by_key(fact_identity(r))
            if existing is not None:
                raise ImportFormatError(f"fact not saved: {existing.entity} '{existing.attribute}' from this source "
                                        f"is already on file (#{existing.id}); edit that one", code="FD311")
            fact_id, _ = self._insert_fact(r)
            _reindex(self.db, [fact_id])
        return self.fact(fact_id)

    def update_fact(self, fact_id: int, changes: dict, *, require_source: bool = False) -> Fact:
        """Change some fields of a fact (validated as a whole); the history keeps the old values."""
        current = self.fact(fact_id)
        if current is None:
            raise DatabaseError(f"fact #{fact_id} is no longer on file; it was deleted", code="FD211")
        old = _record_of(current)
        r = clean_fact({**old, **changes})
        if r["entity"] != old["entity"]:
            r["entity"] = self.canonical_entity(r["entity"])    # moved to an entity on file keeps its spelling
        problem = fact_problem(r, require_source=require_source)
        if problem:
            raise ImportFormatError(f"fact not saved: {problem}", code="FD310")
        diffs = [c for c in FACT_COLUMNS if old[c] != r[c]]
        if not diffs:
            return current
        with self._writing("the change was not saved"):
            clash = self._fact_by_key(fact_identity(r))
            if clash is not None and clash.id != fact_id:
                raise ImportFormatError(f"fact not saved: {clash.entity} '{clash.attribute}' from this source is "
                                        f"already on file (#{clash.id})", code="FD311")
            self._update_fact_row(fact_id, r, {c: old[c] for c in diffs})
            _reindex(self.db, [fact_id])
        return self.fact(fact_id)

    def delete_fact(self, fact_id: int) -> Change:
        """Delete a fact; the history keeps all of it, so `undo` brings it back."""
        current = self.fact(fact_id)
        if current is None:
            raise DatabaseError(f"fact #{fact_id} is no longer on file; it was deleted", code="FD211")
        with self._writing("the fact was not deleted"):
            self.db.execute("delete from facts where id = ?", [fact_id])
            _reindex(self.db, [fact_id])
            hid = self._record("delete", fact_id, _record_of(current), old=_record_of(current), new=None)
        return self.change(hid)

    def add_alias(self, entity: str, alias: str) -> None:
        """Another name for an entity on file (it must name no other entity)."""
        r = {"entity": self.canonical_entity(entity), "alias": alias.strip()}
        problem = alias_problem(r)
        if problem:
            raise ImportFormatError(f"alias not saved: {problem}", code="FD310")
        if r["entity"] not in self.entities():
            raise ImportFormatError(f"alias not saved: no entity named '{r['entity']}' is on file; choose one from "
                                    f"the list, or add a fact for it first", code="FD310")
        if r["alias"].casefold() == r["entity"].casefold():
            raise ImportFormatError(f"alias not saved: '{r['alias']}' is already the name of {r['entity']}",
                                    code="FD310")
        with self._writing("the alias was not saved"):
            conflict = self._alias_conflict(r["entity"], r["alias"])
            if conflict == "same":
                return
            if conflict:
                raise ImportFormatError(f"alias not saved: {conflict}", code="FD306")
            self._insert_alias(r["entity"], r["alias"])

    def delete_alias(self, alias: str) -> Change:
        row = self.db.execute("select entities.name, aliases.alias from aliases join entities on "
                              "entities.id = aliases.entity_id where alias_key = ?", [alias.casefold()]).fetchone()
        if row is None:
            raise DatabaseError(f"alias '{alias}' is not on file", code="FD211")
        entity, stored = row
        with self._writing("the alias was not deleted"):
            self.db.execute("delete from aliases where alias_key = ?", [alias.casefold()])
            self._reindex_entity(entity)
            hid = self._record("alias delete", None, {"entity": entity, "attribute": ""}, alias=stored,
                               old={"entity": entity, "alias": stored}, new=None)
        return self.change(hid)

    def undo(self, change_id: int) -> Change:
        """Reverse one change from the history (a delete is restored, an edit put back, an add removed);
        refused if it was undone already or the fact has changed since. The reversal is itself a line of
        history, marked as undoing `change_id`."""
        c = self.change(change_id)
        if c is None:
            raise DatabaseError(f"there is no change #{change_id}; 'factdesk db history' lists them", code="FD212")
        with self._writing("nothing was undone"):
            done = self.db.execute("select id from history where undoes = ?", [change_id]).fetchone()
            if done:
                raise DatabaseError(f"change #{change_id} was undone already (by change #{done[0]})", code="FD212")
            hid = self._reverse(c)
            self.db.execute("update history set undoes = ? where id = ?", [change_id, hid])
        return self.change(hid)

    def _reverse(self, c: Change) -> int:
        """Write the change that undoes `c`; its history id."""
        if c.action == "delete":
            record = clean_fact(c.old or {})
            clash = self._fact_by_key(fact_identity(record))
            if clash is not None:
                raise DatabaseError(f"{c.entity} '{c.attribute}' from this source is on file again (#{clash.id}); "
                                    f"nothing to restore", code="FD212")
            free = self.db.execute("select 1 from facts where id = ?", [c.fact_id]).fetchone() is None
            fact_id, hid = self._insert_fact(record, fact_id=c.fact_id if free else None, action="restore")
            _reindex(self.db, [fact_id])
            return hid
        if c.action in ("add", "restore", "update"):
            current = self.fact(c.fact_id) if c.fact_id is not None else None
            now = _record_of(current) if current else None
            expected = c.new or {}
            if now is None or any(now.get(k, "") != (v or "") for k, v in expected.items() if k in FACT_COLUMNS):
                raise DatabaseError(f"{c.entity} '{c.attribute}' was changed after change #{c.id}; undo the "
                                    f"later changes first", code="FD212")
            if c.action in ("add", "restore"):
                self.db.execute("delete from facts where id = ?", [c.fact_id])
                _reindex(self.db, [c.fact_id])
                return self._record("delete", c.fact_id, now, old=now, new=None)
            back = clean_fact({**now, **(c.old or {})})
            clash = self._fact_by_key(fact_identity(back))
            if clash is not None and clash.id != c.fact_id:
                raise DatabaseError(f"putting change #{c.id} back would duplicate fact #{clash.id}", code="FD212")
            hid = self._update_fact_row(c.fact_id, back, {k: now[k] for k in (c.old or {})})
            _reindex(self.db, [c.fact_id])
            return hid
        if c.action == "alias add":
            if self._alias_conflict(c.entity, c.alias) != "same":
                raise DatabaseError(f"alias '{c.alias}' is no longer on file; nothing to undo", code="FD212")
            self.db.execute("delete from aliases where alias_key = ?", [c.alias.casefold()])
            self._reindex_entity(c.entity)
            return self._record("alias delete", None, {"entity": c.entity, "attribute": ""}, alias=c.alias,
                                old={"entity": c.entity, "alias": c.alias}, new=None)
        if c.action == "alias delete":
            conflict = self._alias_conflict(c.entity, c.alias)
            if conflict == "same":
                raise DatabaseError(f"alias '{c.alias}' is on file again; nothing to restore", code="FD212")
            if conflict:
                raise DatabaseError(f"cannot restore alias: {conflict}", code="FD212")
            return self._insert_alias(c.entity, c.alias)
        raise DatabaseError(f"change #{c.id} ({c.action}) cannot be undone", code="FD212")

    # -- history ---------------------------------------------------------------------------------------
    def history(self, limit: int = 100) -> list[dict]:
        """The latest changes, newest first, as stored rows."""
        return list(self.db.query("select * from history order by id desc limit ?", [limit]))

    def changes(self, limit: int = 200, fact_id: int | None = None) -> list[Change]:
        """The latest changes (of one fact, if given), newest first."""
        where, args = ("where fact_id = ?", [fact_id]) if fact_id is not None else ("", [])
        rows = self.db.query(f"select * from history {where} order by id desc limit ?", [*args, limit])
        return [_change(r) for r in rows]

    def change(self, change_id: int) -> Change | None:
        rows = list(self.db.query("select * from history where id = ?", [change_id]))
        return _change(rows[0]) if rows else None

    # -- searching -------------------------------------------------------------------------------------
    def search_facts(self, query: str = "", entity: str | None = None, limit: int = 1000,
                     origin: str | None = None) -> list[Fact]:
        """Facts whose entity, aliases, attribute, note or value contain every word of `query` (the last
        word as a prefix, for search-as-you-type), optionally of one entity and of one origin ("" for primary
        sources, else a registry's name); best matches first."""
        match = fts_query(query)
        args: list = []
        sql = _FACT_SELECT
        clauses = []
        if match:
            sql += " join fact_search on fact_search.rowid = facts.id"
            clauses.append("fact_search match ?")
            args.append(match)
        if entity:
            clauses.append("entities.name = ?")
            args.append(entity)
        if origin is not None:
            clauses.append("coalesce(facts.origin, '') = ?")
            args.append(origin)
        if clauses:
            sql += " where " + " and ".join(clauses)
        sql += (" order by fact_search.rank, facts.id" if match else
                " order by entities.name collate nocase, facts.attribute collate nocase, facts.id") + " limit ?"
        args.append(limit)
        return [Fact(*r) for r in self.db.execute(sql, args).fetchall()]

    # -- writing, underneath -------------------------------------------------------------------------
    @contextmanager
    def _writing(self, what_was_lost: str) -> Iterator[None]:
        """One write transaction; a locked or read-only database becomes a one-line DatabaseError."""
        if self.read_only:
            raise DatabaseError(f"{self.path.name if self.path else 'this database'} is the shipped reference "
                                f"database and is not changed here: {what_was_lost}; make a working copy "
                                f"(Facts > Make Working Copy) or open your own database", code="FD213")
        try:
            with self._write_transaction():
                yield
        except sqlite3.OperationalError as exc:
            hint = ("another program is writing to it; try again in a moment" if "locked" in str(exc) or
                    "busy" in str(exc) else "check that the file and its folder can be written")
            raise DatabaseError(f"could not write to {self.path} ({exc}): {what_was_lost}; {hint}",
                                code="FD208") from None
        finally:
            self._forget()

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """One transaction that holds the write lock from its first statement.

        A deferred transaction that reads first and writes later fails at once ("database is locked")
        when another writer got in between; taking the lock up front makes it wait (busy timeout) instead.
        """
        conn = self.db.conn
        if self.path is not None and not self._wal:
            # writers and readers side by side need WAL; reading alone never changes the file
            try:
                self.db.enable_wal()
            except sqlite3.OperationalError:
                pass  # another connection is busy, or the media is read-only: WAL is an optimisation
            self._wal = True
        conn.execute("BEGIN IMMEDIATE")
        try:
            with self.db.atomic():     # a savepoint inside: sqlite-utils calls stay in this transaction
                yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        self._seen_version = self._data_version()

    def _entity_id(self, name: str) -> int:
        row = self.db.execute("select id from entities where name = ?", [name]).fetchone() or \
            self.db.execute("select id from entities where lower(name) = lower(?) order by id", [name]).fetchone()
        if row:
            return row[0]
        return self.db.conn.execute("insert into entities (name) values (?)", [name]).lastrowid

    def canonical_entity(self, name: str) -> str:
        """The stored spelling of an entity's name ("tarn 4" -> "Tarn 4"), or the name as given if new."""
        row = self.db.execute("select name from entities where name = ?", [name.strip()]).fetchone() or \
            self.db.execute("select name from entities where lower(name) = lower(?) order by id",
                            [name.strip()]).fetchone()
        return row[0] if row else name.strip()

    def _fact_by_key(self, key: str) -> Fact | None:
        row = self.db.execute(_FACT_SELECT + " where facts.fact_key = ?", [key]).fetchone()
        return Fact(*row) if row else None

    def _insert_fact(self, r: dict, *, fact_id: int | None = None, action: str = "add") -> tuple[int, int]:
        """Insert a fact and its history line; (fact id, history id)."""
        # plain SQL: imports write tens of thousands of rows, and each must also write its history line
        cols = ["fact_key", "entity_id", *[k for k in FACT_COLUMNS if k != "entity"], "origin"]
        values = [fact_identity(r), self._entity_id(r["entity"]), *[r[k] for k in FACT_COLUMNS if k != "entity"],
                  r.get("origin", "")]
        if fact_id is not None:
            cols.insert(0, "id")
            values.insert(0, fact_id)
        cur = self.db.conn.execute(f"insert into facts ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                                   values)
        new_id = cur.lastrowid
        return new_id, self._record(action, new_id, r, old=None, new={k: r[k] for k in FACT_COLUMNS})

    def _update_fact_row(self, fact_id: int, r: dict, old: dict) -> int:
        """Write a fact's new values and the history line (old and new of what changed); the history id."""
        if "origin" not in r:       # an edit keeps where the fact came from
            r = {**r, "origin": self.db.execute("select coalesce(origin, '') from facts where id = ?",
                                                [fact_id]).fetchone()[0]}
        self.db["facts"].update(fact_id, {"fact_key": fact_identity(r), "entity_id": self._entity_id(r["entity"]),
                                          **{k: r[k] for k in FACT_COLUMNS if k != "entity"}})
        return self._record("update", fact_id, r, old=old, new={k: r[k] for k in old})

    def _insert_alias(self, entity: str, alias: str) -> int:
        self.db["aliases"].insert({"alias_key": alias.casefold(), "alias": alias, "entity_id": self._entity_id(entity)})
        self._reindex_entity(entity)
        return self._record("alias add", None, {"entity": entity, "attribute": ""}, alias=alias, old=None,
                            new={"entity": entity, "alias": alias})

    def _reindex_entity(self, entity: str) -> None:
        _reindex(self.db, [r[0] for r in self.db.execute(
            "select facts.id from facts join entities on entities.id = facts.entity_id where entities.name = ?",
            [entity])])

    def _record(self, action: str, fact_id: int | None, r: dict, *, old: dict | None, new: dict | None,
                alias: str = "") -> int:
        """One line of history, in the same transaction as the change it describes; its id."""
        cur = self.db.conn.execute(
            "insert into history (at, who, action, fact_id, entity, attribute, alias, old, new) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [datetime.now(timezone.utc).isoformat(timespec="seconds"), self.who, action, fact_id, r["entity"],
             r.get("attribute", ""), alias, json.dumps(old, ensure_ascii=False) if old is not None else None,
             json.dumps(new, ensure_ascii=False) if new is not None else None])
        return cur.lastrowid

    # -- exporting -------------------------------------------------------------------------------------
    def export_csv(self, kind: str = "facts") -> str:
        """Facts (or aliases) as CSV in the import format; importing it back changes nothing. A cell a
        spreadsheet would run as a formula is written with a leading apostrophe, which import removes."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        if kind == "aliases":
            w.writerow(ALIAS_COLUMNS)
            for e, a in self.aliases():
                w.writerow([spreadsheet_safe(e), spreadsheet_safe(a)])
        else:
            w.writerow(FACT_COLUMNS)
            for f in self.all_facts():
                w.writerow([spreadsheet_safe(c) for c in (f.entity, f.attribute, f.value, f.unit, f.as_of,
                                                          f.source_url, f.note, f.valid_from, f.valid_to)])
        return out.getvalue()


_FACT_SELECT = (
    "select facts.id, entities.name, facts.attribute, facts.value, coalesce(facts.unit, ''), "
    "coalesce(facts.as_of, ''), coalesce(facts.source_url, ''), coalesce(facts.note, ''), "
    "coalesce(facts.valid_from, ''), coalesce(facts.valid_to, ''), coalesce(facts.origin, '') "
    "from facts join entities on entities.id = facts.entity_id")


def _record_of(f: Fact) -> dict:
    return {"entity": f.entity, "attribute": f.attribute, "value": f.value, "unit": f.unit, "as_of": f.as_of,
            "source_url": f.source_url, "note": f.note, "valid_from": f.valid_from, "valid_to": f.valid_to,
            "origin": f.origin}


def _differences(old: dict, new: dict) -> list[str]:
    """The columns an update would change; "2.00" and "2" are the same value."""
    out = []
    for c in MUTABLE_COLUMNS:
        if old[c] == new[c]:
            continue
        if c == "value" and _same_number(old[c], new[c]):
            continue
        out.append(c)
    return out


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a.replace(",", "")) == float(b.replace(",", ""))
    except ValueError:
        return False


def _first_difference(a: dict, b: dict) -> str:
    return next(iter(_differences(a, b)), "value")


def _refuse_invalid(plan: ImportPlan) -> None:
    invalid = [r for r in plan.rows if r.status == "invalid"]
    if invalid:
        label = "item" if plan.items else "line"
        problems = [f"{label} {r.line}: {r.reason}" for r in invalid]
        code = "FD306" if all(r.reason.startswith("alias '") for r in invalid) else "FD305"
        raise ImportFormatError(problems_message(plan.name, problems, label), problems, code=code)


def _change(row: dict) -> Change:
    load = lambda text: json.loads(text) if text else None  # noqa: E731
    return Change(row["id"], row["at"], row["who"] or "", row["action"], row["fact_id"], row["entity"] or "",
                  row["attribute"] or "", row.get("alias") or "", load(row["old"]), load(row["new"]),
                  row.get("undoes"))


def fts_query(text: str) -> str:
    """A user's search words as an FTS5 query that cannot be read as FTS syntax: each word quoted, all
    required, the last also as a prefix ("nimbus con" finds "Nimbus 3 context window"). Little words
    ("and", "of") are left out unless they are all there is; "1,047,576" is one number."""
    from extractors.lexicon import STOPWORDS

    text = re.sub(r"(?<=\d)[,_](?=\d{3}\b)", "", text)
    words = re.findall(r"\w+", text)
    content = [w for w in words if w.lower() not in STOPWORDS] or words
    if not content:
        return ""
    quoted = [f'"{w}"' for w in content]         # \w+ holds no quote, so nothing needs escaping
    quoted[-1] += "*"
    return " ".join(quoted)


def read_import_file(path: str | Path) -> str:
    """The text of a file to import, or a one-line ImportFormatError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(f"no file at {path}; check the path", code="FD301") from None
    except IsADirectoryError:
        raise ImportFormatError(f"{path} is a folder; pass a .csv file", code="FD301") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot read {path} ({exc.strerror})", code="FD301") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError(f"{path} is not UTF-8 text; save it as UTF-8 CSV and import again",
                                code="FD302") from None


def build_database(csv_paths: Iterable, out: str | Path, *, replace: bool = False) -> Stats:
    """Build a database from CSV files (and registries already read: `ParsedFile`s) into a temporary file,
    then move it into place in one step."""
    out = Path(out)
    if out.exists() and not replace:
        raise DatabaseError(f"{out} exists; pass --replace to rebuild it", code="FD209")
    tmp = out.with_name(out.name + ".building")
    if tmp.exists():
        tmp.unlink()
    store = ReferenceStore.open(tmp, create=True)
    store.who = "factdesk db build"      # the history says where the shipped facts came from
    try:
        for p in csv_paths:
            if isinstance(p, ParsedFile):
                store.import_many([p])
            else:
                store.import_csv(p)
        stats = store.stats()
        # a built database's history is its sources' (reviewed in git): tens of thousands of "add" lines
        # would only double the file
        store.db.execute("delete from history")
        store.db.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file to ship
        store.db.execute("VACUUM")
    except BaseException:
        store.close()
        for leftover in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            leftover.unlink(missing_ok=True)   # a failed build leaves nothing behind
        raise
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    if out.exists():
        # fold the old database's write-ahead log in and drop it: a stale -wal beside the new file
        # would be replayed onto it and corrupt it
        try:
            old = sqlite3.connect(out)
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            old.execute("PRAGMA journal_mode = DELETE")
            old.close()
        except sqlite3.DatabaseError:
            pass
        for suffix in ("-wal", "-shm"):
            Path(str(out) + suffix).unlink(missing_ok=True)
    tmp.replace(out)
    return stats
