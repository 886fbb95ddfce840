"""What the app remembers between runs, kept in a QSettings the caller provides (tests pass an INI file)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class DesktopSettings:
    """Typed access to the remembered database, window layout, recent files and preferences."""

    def __init__(self, qsettings: QSettings):
        self.q = qsettings

    def database(self) -> Path | None:
        value = self.q.value("database", "", type=str)
        return Path(value) if value else None

    def set_database(self, path: Path) -> None:
        self.q.setValue("database", str(path))

    def recent_files(self) -> list[str]:
        value = self.q.value("recentFiles", [], type=list)
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: str) -> list[str]:
        path = str(Path(path).resolve())
        files = [path] + [p for p in self.recent_files() if p != path]
        files = files[:MAX_RECENT]
        self.q.setValue("recentFiles", files)
        return files

    def remove_recent(self, path: str) -> None:
        self.q.setValue("recentFiles", [p for p in self.recent_files() if p != path])

    def auto_recheck(self) -> bool:
        return self.q.value("autoRecheck", True, type=bool)

    def set_auto_recheck(self, on: bool) -> None:
        self.q.setValue("autoRecheck", on)

    def strictness(self) -> str:
        """How much evidence a verdict needs: "strict", "balanced" (default) or "lenient"."""
        value = str(self.q.value("strictness", "balanced"))
        return value if value in ("strict", "balanced", "lenient") else "balanced"

    def set_strictness(self, value: str) -> None:
        self.q.setValue("strictness", value)

    def layout(self, key: str) -> QByteArray | None:
        value = self.q.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, key: str, value: QByteArray) -> None:
        self.q.setValue(f"layout/{key}", value)

    def sync(self) -> None:
        self.q.sync()
