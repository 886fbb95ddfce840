"""Plain text out of the draft formats journalists keep: Word (.docx) and HTML.

Paragraphs become lines separated by a blank line, list items and table rows their own lines, so the
claim extractor sees the same structure a reader does. Script, style and navigation are dropped.
"""
from __future__ import annotations

import io
import re
import zipfile

from .errors import InputError

_BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
           "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "dt", "dd", "figcaption", "caption", "table",
           "ul", "ol", "dl", "figure", "hr"}
_DROP = ("script", "style", "noscript", "template", "nav", "svg", "iframe", "form", "button", "head")


def docx_text(raw: bytes, source: str) -> str:
    """The body text of a Word document: paragraphs, then table rows with cells joined by " | "."""
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(f"{source} is not a readable Word document; open it in Word and save it again as "
                         f".docx, or export it as .txt", code="FD110") from None
    parts: list[str] = []
    _docx_blocks(document.element.body, parts)
    return "\n\n".join(p.strip() for p in parts if p.strip())


def _run_text(node) -> str:
    """A paragraph's text as Word shows it: line breaks (Shift+Enter) are breaks, tabs are spaces."""
    out = []
    for el in node.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "t":
            out.append(el.text or "")
        elif tag in ("br", "cr"):
            out.append("\n")
        elif tag == "tab" and el.getparent() is not None and el.getparent().tag.endswith("}r"):
            out.append(" ")
    return "".join(out)


def _docx_blocks(container, parts: list[str]) -> None:
    """Paragraphs and table rows in reading order, looking inside content controls (w:sdt)."""
    for child in container.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(_run_text(child))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(" ".join(_run_text(p) for p in cell.iter() if p.tag.endswith("}p")).strip())
                    parts.append(" | ".join(cells))
        elif tag in ("sdt", "sdtContent", "customXml", "smartTag", "ins"):
            _docx_blocks(child, parts)


MAX_HTML_DEPTH = 400      # elements nested deeper than this are no article a person wrote
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def html_depth(markup: str) -> int:
    """How deeply the page nests its elements, counted in one pass over the tags (no tree is built)."""
    depth = deepest = 0
    for m in _TAG.finditer(markup):
        closing, name, self_closing = m.group(1), m.group(2).lower(), m.group(3)
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def check_html_depth(markup: str, source: str) -> None:
    """Refuse a page nested too deeply to read (a parser would recurse without bound) with FD118."""
    depth = html_depth(markup)
    if depth > MAX_HTML_DEPTH:
        raise InputError(f"{source} nests its HTML {depth:,} elements deep (at most {MAX_HTML_DEPTH:,} are read); "
                         f"save the article as plain text or copy its text into the editor", code="FD118")


def html_text(markup: str, source: str = "the page") -> str:
    """The readable text of an HTML page or fragment, one block element per paragraph."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    check_html_depth(markup, source)
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.body or soup
    out: list[str] = []

    def walk(node, pre: bool = False) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:   # not comments, doctype or CDATA
                    # as a browser renders it: white space collapses, except in <pre>
                    out.append(str(child) if pre else re.sub(r"[ \t\r\n\f]+", " ", str(child)))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name == "br":
                    out.append("\n")
                    continue
                block = name in _BLOCKS
                if block:
                    out.append("\n\n")
                if name == "li":
                    out.append("- ")
                if name in ("td", "th"):
                    out.append(" | ")
                walk(child, pre or name == "pre")
                if block:
                    out.append("\n\n")

    try:
        walk(root)
    except RecursionError:
        raise InputError(f"{source} nests its HTML too deeply to read; save the article as plain text or copy its "
                         f"text into the editor", code="FD118") from None
    text = "".join(out)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", lambda m: " " if "\u00a0" not in m.group() else m.group(), text)
    text = "\n".join(ln.strip().removeprefix("| ") for ln in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_MD_RULES = [
    (re.compile(r"^```.*?^```[ \t]*$", re.S | re.M), ""),                 # fenced code: not prose
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                        # images: their alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                         # links: their text
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M), r"\1"),      # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),                         # block quotes
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),                  # strong
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),   # emphasis
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),                         # strike-through
    (re.compile(r"`([^`\n]+)`"), r"\1"),                                    # inline code
    (re.compile(r"^[ \t]*[*+][ \t]+", re.M), "- "),                          # bullets as "- "
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M), ""),  # table rules
]


def markdown_text(markdown: str) -> str:
    """The text a reader sees in a Markdown draft: markup removed, paragraphs, lists and table rows kept."""
    text = markdown
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    text = re.sub(r"^[ \t]*\|[ \t]*(.*?)[ \t]*\|?[ \t]*$",
                  lambda m: re.sub(r"[ \t]*\|[ \t]*", " | ", m.group(1)) if "|" in m.group(0)[1:] else m.group(0),
                  text, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
