"""Where factdesk's data lives: the shipped reference database, its CSV sources, and the user's own copy."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DB = REPO_ROOT / "claims.db"
ASSETS = REPO_ROOT / "assets"


def default_db() -> Path:
    """$FACTDESK_DB, else the claims.db shipped beside the package."""
    env = os.environ.get("FACTDESK_DB")
    return Path(env) if env else SHIPPED_DB


def is_shipped(path: Path) -> bool:
    """Whether `path` is the shipped claims.db, which is rebuilt from assets/ and never edited in place."""
    try:
        return Path(path).resolve() == SHIPPED_DB.resolve()
    except OSError:
        return False


def working_copy_path() -> Path:
    """Where a journalist's own copy of the reference database goes: the user's data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("factdesk", appauthor=False)) / "facts.db"


def make_working_copy(source: Path, target: Path | None = None) -> Path:
    """Copy `source` to `target` (default: the user's working copy) as one consistent snapshot; an existing
    copy is kept, never overwritten. Returns the copy's path."""
    from .errors import DatabaseError

    target = Path(target) if target is not None else working_copy_path()
    if target.exists():
        return target
    tmp = target.with_name(target.name + ".copying")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        dst.close()
        src.close()
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(f"could not copy {source} to {target} ({exc}); choose a database with "
                            f"File > Open Database", code="FD214") from None
    return target
