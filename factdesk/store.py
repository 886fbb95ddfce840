"""The reference store: entities, aliases and sourced facts in SQLite, with versioned migrations."""
from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
import os
import math
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .errors import DatabaseError, ImportFormatError
from .facts import Fact

FACT_COLUMNS = ("entity", "attribute", "value", "unit", "as_of", "source_url", "note", "valid_from", "valid_to")
FACT_COLUMNS_V1 = FACT_COLUMNS[:7]     # files written before facts had validity periods
ALIAS_COLUMNS = ("entity", "alias")
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


KNOWN_MIGRATIONS = {m.name for m in migrations._migrations}


@dataclass(frozen=True)
class ImportResult:
    """What an import changed."""

    kind: str          # "facts" or "aliases"
    added: int
    unchanged: int
    updated: int = 0


@dataclass(frozen=True)
class Stats:
    entities: int
    aliases: int
    facts: int
    sources: int
    attributes: int
    fingerprint: str


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):     # no login name in some containers
        return "unknown"


def _fact_key(entity: str, attribute: str, value: str, unit: str, as_of: str, source_url: str,
              valid_from: str = "", valid_to: str = "") -> str:
    parts = [entity, attribute, value, unit, as_of, source_url]
    if valid_from or valid_to:      # keys of facts without a period stay as they were
        parts += [valid_from, valid_to]
    raw = "\x1f".join(x.strip().casefold() for x in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


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

    # -- opening ---------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> "ReferenceStore":
        """Open a database file; create it only when asked. Refuses corrupt or newer databases untouched."""
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

    # -- reading ---------------------------------------------------------------------------------------
    def names(self) -> list[tuple[str, str]]:
        """Every (surface form, canonical entity name) pair: names and aliases, for the entity ruler."""
        rows = self.db.execute(
            "select name, name from entities union all "
            "select aliases.alias, entities.name from aliases join entities on entities.id = aliases.entity_id"
        ).fetchall()
        return [(a, b) for a, b in rows]

    def attribute_names(self) -> list[str]:
        """Every distinct attribute name on file: what the pipeline must read as measures, not products."""
        return [r[0] for r in self.db.execute("select distinct attribute from facts").fetchall()]

    def facts_for(self, entity: str) -> tuple[Fact, ...]:
        """All facts on file for one entity (cached per store)."""
        if entity not in self._facts_cache:
            rows = self.db.execute(
                "select facts.id, entities.name, attribute, value, coalesce(unit, ''), coalesce(as_of, ''), "
                "coalesce(source_url, ''), coalesce(note, ''), coalesce(valid_from, ''), coalesce(valid_to, '') "
                "from facts join entities on entities.id = facts.entity_id "
                "where entities.name = ? order by facts.id", [entity]).fetchall()
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
        rows = self.db.execute(
            "select facts.id, entities.name, attribute, value, coalesce(unit, ''), coalesce(as_of, ''), "
            "coalesce(source_url, ''), coalesce(note, ''), coalesce(valid_from, ''), coalesce(valid_to, '') "
                "from facts join entities on entities.id = facts.entity_id "
            "order by entities.name, attribute, facts.id")
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

    def fingerprint(self) -> str:
        """A short hash of every fact and alias: two databases with the same facts share it."""
        h = hashlib.sha256()
        for f in self.all_facts():
            fields = [f.entity, f.attribute, f.value, f.unit, f.as_of, f.source_url, f.note]
            if f.valid_from or f.valid_to:
                fields += [f.valid_from, f.valid_to]
            h.update("\x1f".join(fields).encode())
        for e, a in self.aliases():
            h.update(f"{e}\x1e{a}".encode())
        return h.hexdigest()[:16]

    # -- writing ---------------------------------------------------------------------------------------
    def import_csv(self, path: str | Path) -> ImportResult:
        """Import a facts or aliases CSV atomically: every row valid, or nothing written."""
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
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFormatError(f"{path} is not UTF-8 text; save it as UTF-8 CSV and import again",
                                    code="FD302") from None
        return self.import_text(text, name=str(path))

    def import_text(self, text: str, *, name: str = "<csv>") -> ImportResult:
        reader = csv.reader(io.StringIO(text), strict=True)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ImportFormatError(f"{name} is empty; it needs a header line", code="FD303") from None
        except csv.Error as exc:
            raise ImportFormatError(f"{name}: not CSV ({exc})", code="FD303") from None
        if tuple(header) in (FACT_COLUMNS, FACT_COLUMNS_V1):
            kind = "facts"
        elif tuple(header) == ALIAS_COLUMNS:
            kind = "aliases"
        else:
            raise ImportFormatError(
                f"{name}: header must be '{','.join(FACT_COLUMNS)}' (facts) or '{','.join(ALIAS_COLUMNS)}' "
                f"(aliases), found '{','.join(header)}'", code="FD304")
        rows, problems = [], []
        try:
            for line_no, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    problems.append(f"line {line_no}: {len(row)} fields, expected {len(header)}")
                    continue
                record = dict(zip(header, (c.strip() for c in row)))
                if kind == "facts":
                    record.setdefault("valid_from", "")
                    record.setdefault("valid_to", "")
                problem = _validate(kind, record)
                if problem:
                    problems.append(f"line {line_no}: {problem}")
                else:
                    rows.append(record)
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: {exc}")
        if problems:
            shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
            raise ImportFormatError(f"{name}: nothing imported, {len(problems)} bad line(s): {shown}",
                                    problems, code="FD305")
        try:
            with self._write_transaction():
                result = self._write_facts(rows) if kind == "facts" else self._write_aliases(rows, name)
        except sqlite3.OperationalError as exc:
            raise DatabaseError(f"could not write to {self.path} ({exc}); nothing was imported", code="FD208") \
                from None
        self._forget()
        return result

    def _entity_id(self, name: str) -> int:
        row = self.db.execute("select id from entities where name = ?", [name]).fetchone()
        if row:
            return row[0]
        return self.db["entities"].insert({"name": name}).last_pk

    def _write_facts(self, rows: list[dict]) -> ImportResult:
        added = unchanged = updated = 0
        for r in rows:
            key = _fact_key(r["entity"], r["attribute"], r["value"], r["unit"], r["as_of"], r["source_url"],
                            r["valid_from"], r["valid_to"])
            existing = self.db.execute("select id, note from facts where fact_key = ?", [key]).fetchone()
            if existing:
                if existing[1] != r["note"]:
                    self.db["facts"].update(existing[0], {"note": r["note"]})
                    self._record("update", existing[0], r, old={"note": existing[1]}, new={"note": r["note"]})
                    updated += 1
                else:
                    unchanged += 1
                continue
            fact_id = self.db["facts"].insert({
                "fact_key": key, "entity_id": self._entity_id(r["entity"]), "attribute": r["attribute"],
                "value": r["value"], "unit": r["unit"], "as_of": r["as_of"], "source_url": r["source_url"],
                "note": r["note"], "valid_from": r["valid_from"], "valid_to": r["valid_to"],
            }).last_pk
            self._record("add", fact_id, r, old=None, new={k: r[k] for k in FACT_COLUMNS})
            added += 1
        return ImportResult("facts", added, unchanged, updated)

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

    def _record(self, action: str, fact_id: int, r: dict, *, old: dict | None, new: dict | None) -> None:
        """One line of history, in the same transaction as the change it describes."""
        self.db["history"].insert({
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "who": self.who, "action": action,
            "fact_id": fact_id, "entity": r["entity"], "attribute": r["attribute"],
            "old": json.dumps(old, ensure_ascii=False) if old is not None else None,
            "new": json.dumps(new, ensure_ascii=False) if new is not None else None,
        })

    def history(self, limit: int = 100) -> list[dict]:
        """The latest changes to facts, newest first."""
        return list(self.db.query("select * from history order by id desc limit ?", [limit]))

    def _write_aliases(self, rows: list[dict], name: str) -> ImportResult:
        added = unchanged = 0
        conflicts = []
        for r in rows:
            key = r["alias"].casefold()
            existing = self.db.execute(
                "select entities.name from aliases join entities on entities.id = aliases.entity_id "
                "where alias_key = ?", [key]).fetchone()
            if existing:
                if existing[0] == r["entity"]:
                    unchanged += 1
                else:
                    conflicts.append(f"alias '{r['alias']}' already names {existing[0]}")
                continue
            named = self.db.execute("select name from entities where lower(name) = lower(?)", [r["alias"]]).fetchone()
            if named and named[0] != r["entity"]:
                conflicts.append(f"alias '{r['alias']}' is the name of {named[0]}")
                continue
            self.db["aliases"].insert({"alias_key": key, "alias": r["alias"], "entity_id": self._entity_id(r["entity"])})
            added += 1
        if conflicts:
            raise ImportFormatError(f"{name}: nothing imported: " + "; ".join(conflicts[:5]), conflicts, code="FD306")
        return ImportResult("aliases", added, unchanged)

    def export_csv(self, kind: str = "facts") -> str:
        """Facts (or aliases) as CSV in the import format; importing it back changes nothing."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        if kind == "aliases":
            w.writerow(ALIAS_COLUMNS)
            for e, a in self.aliases():
                w.writerow([e, a])
        else:
            w.writerow(FACT_COLUMNS)
            for f in self.all_facts():
                w.writerow([f.entity, f.attribute, f.value, f.unit, f.as_of, f.source_url, f.note,
                            f.valid_from, f.valid_to])
        return out.getvalue()


_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _validate(kind: str, r: dict) -> str | None:
    """Why a row cannot be imported, or None."""
    if kind == "aliases":
        if not r["entity"]:
            return "entity is empty"
        if not r["alias"]:
            return "alias is empty"
        return None
    if not r["entity"]:
        return "entity is empty"
    if not r["attribute"]:
        return "attribute is empty"
    if not r["value"]:
        return "value is empty"
    if r["as_of"] and not _valid_date(r["as_of"]):
        return f"as_of '{r['as_of']}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    for col in ("valid_from", "valid_to"):
        if r.get(col) and not _valid_date(r[col]):
            return f"{col} '{r[col]}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    if r.get("valid_from") and r.get("valid_to") and r["valid_to"] <= r["valid_from"]:
        return f"valid_to {r['valid_to']} is not after valid_from {r['valid_from']}"
    if r["source_url"] and not re.match(r"^https?://\S+$", r["source_url"]):
        return f"source_url '{r['source_url'][:60]}' is not an http(s) URL"
    if r["unit"].lower() == "date":
        if not _valid_date(r["value"]):
            return f"value '{r['value']}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    elif not _NUMBER_RE.match(r["value"]) or not math.isfinite(float(r["value"].replace(",", ""))):
        return f"value '{r['value'][:40]}' is not a number (unit '{r['unit']}')"
    return None


# plain decimal numbers only: "1_6", "nan", "inf" and "1e400" are not values anyone sourced
_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


def _valid_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a real day of a real month."""
    if not _DATE_RE.match(text):
        return False
    parts = [int(x) for x in text.split("-")]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3:
        try:
            date(*parts)
        except ValueError:
            return False
    return True


def build_database(csv_paths: Iterable[str | Path], out: str | Path, *, replace: bool = False) -> Stats:
    """Build a database from CSV files into a temporary file, then move it into place in one step."""
    out = Path(out)
    if out.exists() and not replace:
        raise DatabaseError(f"{out} exists; pass --replace to rebuild it", code="FD209")
    tmp = out.with_name(out.name + ".building")
    if tmp.exists():
        tmp.unlink()
    store = ReferenceStore.open(tmp, create=True)
    try:
        for p in csv_paths:
            store.import_csv(p)
        stats = store.stats()
        store.db.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file to ship
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
