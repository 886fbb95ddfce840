"""The one place where engine offsets become Qt positions and back.

The engine counts Python code points in the editor's plain text; QTextDocument counts UTF-16 code units,
so every character outside the Basic Multilingual Plane (most emoji) is one offset but two positions.
Line breaks are already one "\\n" on both sides: drafts are read with CRLF folded, pasted text is folded by
the editor, and each block separator is one position.
"""
from __future__ import annotations

import bisect
import re

_WIDE = re.compile("[\U00010000-\U0010FFFF]")


class OffsetMap:
    """Converts between offsets into `text` and positions in a QTextDocument holding the same text."""

    def __init__(self, text: str):
        self._wide = [m.start() for m in _WIDE.finditer(text)]
        # Qt position of each wide character's first code unit, for the reverse lookup
        self._wide_qt = [i + k for k, i in enumerate(self._wide)]
        self.length = len(text)

    def to_qt(self, offset: int) -> int:
        """Qt position of a code-point offset."""
        return offset + bisect.bisect_left(self._wide, offset)

    def from_qt(self, position: int) -> int:
        """Code-point offset of a Qt position (a position inside a surrogate pair maps to its character)."""
        k = bisect.bisect_right(self._wide_qt, position - 1)   # wide characters starting before it
        if k and self._wide_qt[k - 1] == position - 1:
            return self._wide[k - 1]                            # the second unit of a surrogate pair
        return position - k
