"""Write files so that a reader sees the old content or the new, never half of either."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, for every thread at once)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


class AtomicFile:
    """A text file written through a temporary file beside it: `commit()` moves it into place in one step,
    `discard()` (or a failure) leaves the old file as it was."""

    def __init__(self, path: Path):
        self.path = Path(path)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise InputError(f"cannot write to {folder} ({exc.strerror}); choose another folder",
                             code="FD111") from None
        self.tmp = Path(tmp)
        # mkstemp makes the file private (0600); a report is for colleagues too: the usual umask applies
        os.chmod(tmp, 0o666 & ~_umask())
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        try:
            self.fh.write(text)
        except OSError as exc:
            self.discard()
            raise InputError(f"cannot write {self.path} ({exc.strerror}); check the folder and free space",
                             code="FD111") from None

    def commit(self) -> None:
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise InputError(f"cannot write {self.path} ({exc.strerror}); check the folder and free space",
                             code="FD111") from None

    def discard(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        self.tmp.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file in the same folder, then rename it over."""
    f = AtomicFile(path)
    try:
        f.write(text)
    except BaseException:
        f.discard()
        raise
    f.commit()
