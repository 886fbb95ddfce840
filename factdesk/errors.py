"""factdesk's exception tree; every message is one line that starts with a stable code.

FactdeskError
 +-- InputError            [FD1xx] a document cannot be read
 +-- DatabaseError         [FD2xx] the reference database is missing, corrupt or refused
 +-- ImportFormatError     [FD3xx] a CSV to import is malformed (names each bad line)
 +-- ModelError            [FD4xx] the spaCy pipeline cannot be loaded
"""
from __future__ import annotations


class FactdeskError(Exception):
    """Base of every error factdesk reports to a person."""

    code = "FD000"

    def __init__(self, message: str, *, code: str | None = None):
        if code:
            self.code = code
        super().__init__(message)

    def __str__(self) -> str:  # one line, code first, so scripts can grep for it
        return f"[{self.code}] {self.args[0]}"


class InputError(FactdeskError):
    """A document cannot be read as text."""

    code = "FD100"


class DatabaseError(FactdeskError):
    """The reference database is missing, corrupt, newer than this factdesk, or locked."""

    code = "FD200"


class ImportFormatError(FactdeskError):
    """A file to import does not follow the import format; nothing was imported."""

    code = "FD300"

    def __init__(self, message: str, problems: list[str] | None = None, *, code: str | None = None):
        super().__init__(message, code=code)
        self.problems = problems or []


class ModelError(FactdeskError):
    """No spaCy pipeline could be built."""

    code = "FD400"
