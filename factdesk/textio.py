"""Read a draft from disk as text (.txt, .md, .html, .docx), the way a reader sees it, with clear errors."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A document's text (newlines folded to \\n, as Python's text mode reads it) and how it was decoded."""

    source: str
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()
    date: str | None = None       # publication date from the document's own metadata (ISO), if it has one


def decode(raw: bytes, source: str) -> Document:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 with a warning."""
    if not raw.strip():
        raise InputError(f"{source} is empty; paste or save the article text first", code="FD104")
    warnings: list[str] = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{source} claims UTF-16 but does not decode; re-save it as UTF-8", code="FD106") from None
    elif _looks_utf16(raw[:8192]):
        raise InputError(f"{source} is UTF-16 text without a byte-order mark; re-save it as UTF-8",
                         code="FD106")
    else:
        if b"\x00" in raw[:8192] or _looks_binary(raw[:8192]):
            raise InputError(f"{source} is binary, not text; export the article as .txt or .md", code="FD105")
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
            if text.startswith("\ufeff"):
                # keep offsets equal to a UTF-8 read of the file: the BOM becomes a space, not nothing
                text, encoding = " " + text[1:], "utf-8-sig"
        except UnicodeDecodeError:
            try:
                text, encoding = raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise InputError(f"{source} is neither UTF-8 nor Windows-1252 text; re-save it as UTF-8",
                                 code="FD106") from None
            warnings.append(f"[FD107] {source} is not UTF-8; read it as Windows-1252 - check quotes and "
                            f"currency symbols, or re-save it as UTF-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{source} has no text; paste or save the article text first", code="FD104")
    return Document(source, text, encoding, tuple(warnings))


def _looks_utf16(chunk: bytes) -> bool:
    """Text in UTF-16 without a BOM: every other byte of an ASCII-heavy text is zero."""
    if len(chunk) < 4:
        return False
    even, odd = chunk[0::2], chunk[1::2]
    return (odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even)) or \
        (even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd))


def _looks_binary(chunk: bytes) -> bool:
    if not chunk:
        return False
    control = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return control / len(chunk) > 0.05


DRAFT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")


def read_document(path: str | Path) -> Document:
    """Read a draft, refusing what cannot be an article with a one-line reason.

    .docx, .html and .md are reduced to their readable text (offsets then refer to that text); anything
    else is read as plain text.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"no file at {p}; check the path", code="FD101")
    if p.is_dir():
        raise InputError(f"{p} is a folder; pass the article file", code="FD102")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{p} is {size / 2**20:.0f} MiB; factdesk checks articles up to "
                             f"{MAX_BYTES // 2**20} MiB - split it", code="FD108")
        raw = p.read_bytes()
    except PermissionError:
        raise InputError(f"cannot read {p}: permission denied; check the file's permissions", code="FD103") from None
    except OSError as exc:
        raise InputError(f"cannot read {p} ({exc.strerror}); check the file", code="FD103") from None
    return decode_draft(raw, str(p), p.suffix.lower())


def decode_draft(raw: bytes, source: str, suffix: str) -> Document:
    """Decode a draft's bytes according to its file type (".docx", ".html", anything else is text)."""
    from .docformats import docx_text, html_text

    if suffix == ".docx":
        if not raw.startswith(b"PK"):
            raise InputError(f"{source} is not a Word .docx file; save it as .docx or .txt", code="FD110")
        text = docx_text(raw, source)
        if not text.strip():
            raise InputError(f"{source} has no text; paste or save the article text first", code="FD104")
        return Document(source, text, "docx")
    doc = decode(raw, source)
    if suffix in (".md", ".markdown"):
        from .docformats import markdown_text
        return Document(source, markdown_text(doc.text), doc.encoding, doc.warnings)
    if suffix in (".html", ".htm"):
        text = html_text(doc.text, source)
        if not text.strip():
            raise InputError(f"{source} has no readable text in its HTML", code="FD104")
        return Document(source, text, doc.encoding, doc.warnings, html_date(doc.text))
    return doc


def html_date(html: str) -> str | None:
    """The publication date an HTML page declares in its metadata (ISO), found by htmldate; None if none."""
    try:
        from htmldate import find_date
    except ImportError:      # htmldate comes with trafilatura; without it, the dateline still counts
        return None
    try:
        day = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - a date is a hint; odd markup must not stop the check
        return None
    return day if isinstance(day, str) else None


def read_source(where: str) -> Document:
    """A draft from a file path, or an article from an http(s) address."""
    from .web import is_url, read_article

    return read_article(where) if is_url(where) else read_document(where)
