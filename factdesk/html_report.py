"""The annotated HTML report: one self-contained page per checked article (inline CSS, no network).

Everything that comes from an article or a fact is autoescaped by Jinja2; only http(s) source URLs
become links.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from . import __version__
from .check import Report
from .report import claimed_text
from .verdicts import Verdict, fact_value_text

GLYPH = {"verified": "✓", "conflicting": "✗", "unverified": "?", "not_a_claim": "·"}
LABEL = {"verified": "Verified", "conflicting": "Conflicting", "unverified": "Unverified", "not_a_claim": "Not a claim"}


@dataclass(frozen=True)
class ReportMeta:
    """Where a report came from: which factdesk, model and reference database, and when."""

    model: str
    database: str
    facts_hash: str
    checked_at: str                    # ISO 8601, UTC
    factdesk_version: str = __version__

    @classmethod
    def now(cls, model: str, database: str | Path, facts_hash: str) -> "ReportMeta":
        stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        where = str(database) if str(database).startswith("(") else str(Path(database).resolve())
        return cls(model, where, facts_hash, stamp)


@dataclass(frozen=True)
class _Row:
    number: int
    verdict: Verdict
    kind: str
    claimed: str
    reference: str
    source_url: str
    source_link: str | None             # only http(s)
    as_of: str
    attribute: str


def safe_link(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data: or relative links)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in url for c in "\r\n\t "):
        return url
    return None


def _claimed(v: Verdict) -> str:
    return claimed_text(v.claim)


def _rows(report: Report) -> list[_Row]:
    rows = []
    for i, v in enumerate(report.verdicts, 1):
        f = v.fact
        rows.append(_Row(
            number=i, verdict=v, kind=v.kind.value if v.check_worthy else "not_a_claim", claimed=_claimed(v),
            reference=fact_value_text(f) if f else "", source_url=f.source_url if f else "",
            source_link=safe_link(f.source_url) if f else None, as_of=(f.as_of if f else "") or "",
            attribute=f.attribute if f else ""))
    return rows


def _pieces(text: str, rows: list[_Row]) -> list[tuple[str, _Row | None]]:
    """The article cut into plain text and claim spans, in order; overlapping claims keep the first."""
    out: list[tuple[str, _Row | None]] = []
    pos = 0
    for row in sorted(rows, key=lambda r: (r.verdict.claim.start, -r.verdict.claim.end)):
        c = row.verdict.claim
        if c.start < pos:
            continue
        out.append((text[pos:c.start], None))
        out.append((text[c.start:c.end], row))
        pos = c.end
    out.append((text[pos:], None))
    return out


def _claimreview(report: Report, rows: list[_Row], meta: ReportMeta) -> list[str]:
    """schema.org ClaimReview objects, one per claim with a verdict against a fact, as JSON safe to embed
    in <script>. Unverified claims were not reviewed against anything, so they get none."""
    ratings = {"verified": (2, "Accurate"), "conflicting": (1, "Inaccurate")}
    link = safe_link(report.source)
    appearance = {"@type": "CreativeWork", "name": _title(report)}
    if link:
        appearance["url"] = link
    items = []
    for r in rows:
        if r.kind not in ratings:
            continue
        value, name = ratings[r.kind]
        c = r.verdict.claim
        obj = {
            "@context": "https://schema.org", "@type": "ClaimReview",
            "datePublished": meta.checked_at[:10],
            "claimReviewed": c.sentence.strip()[:500],
            "itemReviewed": {"@type": "Claim", "appearance": appearance},
            "author": {"@type": "Organization", "name": f"factdesk {meta.factdesk_version}"},
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 2, "worstRating": 1,
                             "alternateName": name, "ratingExplanation": r.verdict.explanation},
        }
        if r.source_link:
            obj["citation"] = r.source_link
        # "</" and "<!--" cannot end the script block once "<" is escaped
        items.append(json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
                     .replace("&", "\\u0026"))
    return items


_BASIS = {"given": "the date asked for", "metadata": "the document's publication date",
          "dateline": "the article's dateline", "today": "the day of the check"}


def _title(report: Report) -> str:
    """The article's name: its file name, its web address, or "Article" for pasted text."""
    if not report.source or report.source.startswith("<") or report.source == "untitled":
        return "Article"
    return report.source if safe_link(report.source) else Path(report.source).name


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factdesk", "templates"),
        autoescape=True,                 # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    # worst first, as the desktop shows them
    env.globals.update(GLYPH=GLYPH, LABEL=LABEL, kinds=["conflicting", "unverified", "verified", "not_a_claim"])
    env.filters["relative_url"] = relative_url
    return env


def relative_url(path: str) -> str:
    """A relative file path as a link that can never be read as a scheme ("javascript:x.txt.html")."""
    from urllib.parse import quote

    return "./" + quote(path, safe="/")


_ENV: jinja2.Environment | None = None


def render_html(report: Report, meta: ReportMeta, *, claimreview: bool = False) -> str:
    """The annotated article as one self-contained HTML page."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    rows = _rows(report)
    return _ENV.get_template("report.html.j2").render(
        report=report, meta=meta, rows=rows, pieces=_pieces(report.text, rows), summary=report.summary,
        title=_title(report), basis=_BASIS.get(report.as_of_basis, ""), source_link=safe_link(report.source),
        claimreview=_claimreview(report, rows, meta) if claimreview else [],
    )


def render_index(entries, meta: ReportMeta) -> str:
    """The batch index: one row per draft (already sorted), with counts and a link to its report."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    totals = {k: sum(e.summary.get(k, 0) for e in entries) for k in GLYPH}
    return _ENV.get_template("index.html.j2").render(
        entries=entries, meta=meta, totals=totals, errors=sum(1 for e in entries if e.error))
