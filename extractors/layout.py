"""Text layout the parser should not see: lines a plain-text draft was hard-wrapped at.

A newline in the middle of a sentence ("GPT-4o managed\\n33.2 percent") breaks the parse around it, so
the figure loses its subject. Such newlines become spaces before parsing; the text keeps its length, so
every offset still points at the same character of the original.
"""
from __future__ import annotations

import re

WRAP_MIN = 70     # shorter lines are list items, headings and datelines, whatever follows them

# a line ending like this ends a sentence, a heading's label or a list lead-in; one starting like this is
# its own item
_ENDS = re.compile(r"[.!?:;)\]\"'”’|]\s*$")
_STARTS_ITEM = re.compile(r"\s*(?:[-*•+>#|]|\d{1,3}[.)]\s|[A-Z][\w .&/-]{0,30}:\s)")


def join_wrapped_lines(text: str) -> str:
    """`text` with each hard-wrap newline (inside a paragraph, after a long line that does not end a sentence,
    before a line that does not start an item) replaced by a space. Same length as `text`."""
    if "\n" not in text:
        return text
    out = list(text)
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)            # the newline after this line
        nxt = lines[i + 1]
        if (len(line.strip()) >= WRAP_MIN and nxt.strip() and not _ENDS.search(line)
                and not _STARTS_ITEM.match(nxt)):
            out[pos] = " "
        pos += 1
    return "".join(out)
