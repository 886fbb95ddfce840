"""The checking engine: document -> claims -> matches -> verdicts, for one reference store."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Iterable, Iterator

from extractors.claims import extract_claims
from extractors.model import Kind
from extractors.quantities import scan
from extractors.layout import join_wrapped_lines
from extractors.pipeline import PipelineInfo, load_pipeline, set_names

from .errors import FactdeskError
from .matching import match_claim
from .store import ReferenceStore
from .facts import Fact
from .verdicts import (Verdict, VerdictKind, fact_value_text, judge, note_superseded as _note_superseded,
                       restate_conversions, settle_sentences)

MAX_CHARS = 5_000_000
_DATELINE_LINES = 6          # a dateline sits under the headline, if anywhere
CHUNK_CHARS = 20_000   # longer texts are parsed in paragraph-aligned pieces


class CheckInterrupted(FactdeskError):
    """A long check was asked to stop (the desktop app closing, a newer text to check)."""

    code = "FD115"


@dataclass(frozen=True)
class Report:
    """Every claim of one document with its verdict."""

    source: str
    text: str
    verdicts: tuple[Verdict, ...]
    model: str
    reduced_accuracy: bool
    warnings: tuple[str, ...] = field(default=())
    as_of: str = ""                    # the date whose facts were used (ISO)
    as_of_basis: str = ""              # where it came from: "given", "metadata", "dateline" or "today"

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(v.kind.value for v in self.verdicts)
        return {k.value: counts.get(k.value, 0) for k in VerdictKind}


def parse_day(text: str) -> str:
    """An article date as ISO: YYYY-MM-DD, or YYYY-MM / YYYY for the first day of that month or year."""
    text = text.strip()
    padded = text + {4: "-01-01", 7: "-01"}.get(len(text), "")
    try:
        return date.fromisoformat(padded).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", padded) else _no_day(text)
    except ValueError:
        return _no_day(text)


def _no_day(text: str) -> str:
    from .errors import InputError

    raise InputError(f"'{text}' is not a date; write it as YYYY-MM-DD (or YYYY-MM, YYYY)", code="FD116")


def article_date(text: str) -> str | None:
    """The date in an article's dateline ("By Ann Lee | April 22, 2026"): the first full date among its
    first few lines, where a line that short holds nothing else."""
    lines = [line for line in text[:2000].splitlines() if line.strip()][:_DATELINE_LINES]
    for line in lines:
        if len(line) > 120 or _is_sentence(line):
            continue
        for m in scan(line):
            q = m.quantity
            if q.kind is Kind.DATE and q.precision == "day" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(q.value)):
                return str(q.value)
    return None


def _is_sentence(line: str) -> bool:
    """A line of prose ("The Pixel 9 will ship on August 22, 2024."), not a dateline: it ends like a
    sentence and has more words than a byline and a date."""
    words = re.findall(r"[A-Za-z]+", line)
    return line.rstrip().endswith((".", "!", "?")) and len(words) > 3 and not re.search(r"\b(?:by|published|updated|posted)\b", line, re.IGNORECASE)


def _distance(f: Fact, day: str) -> int:
    """How far (in days) `day` lies outside the time a fact applied."""
    edge = f.valid_from if f.valid_from and f.valid_from > day else f.valid_to
    try:
        return abs((date.fromisoformat(_full(edge)) - date.fromisoformat(_full(day))).days)
    except (TypeError, ValueError):
        return 1 << 30


def _full(d: str) -> str:
    return d + {4: "-01-01", 7: "-01"}.get(len(d), "")


def said_date(d: str, said: set[str]) -> bool:
    """Whether the article gives the date `d` (ISO), in full or as month and day ("April 1")."""
    return bool(d) and (d in said or (len(d) == 10 and f"--{d[5:]}" in said))


def _in_time(v: Verdict, out_of_time: set[int], day: str, said: set[str]) -> Verdict:
    """A verdict against a fact that did not apply on the article's date: it verifies only when the
    article itself gives the date the value took effect, else it says what is on file and when."""
    f = v.fact
    if f is None or f.id not in out_of_time or v.kind is VerdictKind.UNVERIFIED:
        return v
    when = f"from {f.valid_from}" if f.valid_from and f.valid_from > day else f"until {f.valid_to}"
    if v.kind is VerdictKind.VERIFIED:
        future = bool(f.valid_from and f.valid_from > day)
        if (future and (said_date(f.valid_from, said) or v.claim.tense == "future")) or \
                (not future and v.claim.tense == "past"):
            return replace(v, explanation=v.explanation + f" The value applies {when}, as the article says.")
        return replace(v, kind=VerdictKind.UNVERIFIED, explanation=(
            f"Matches {f.entity} {f.attribute} = {fact_value_text(f)}, a value that applies {when}; on {day} "
            f"nothing for it is on file, and the article does not say when this figure applies."))
    return replace(v, kind=VerdictKind.UNVERIFIED, explanation=(
        f"No reference for {day}: the {f.attribute} of {f.entity} on file applies {when} "
        f"({fact_value_text(f)}), so this figure is not judged against it."))


class Checker:
    """A loaded spaCy pipeline bound to one reference store; reuse it for many documents."""

    def __init__(self, store: ReferenceStore, as_of: str | None = None):
        """`as_of` (ISO date) picks the facts valid then; by default, today's."""
        self.store = store
        self.as_of = as_of
        self._names = (store.names(), store.attribute_names())
        self._variant_cache = None
        self.nlp, self.info = load_pipeline(*self._names)
        self.nlp.max_length = MAX_CHARS + 1

    @property
    def pipeline(self) -> PipelineInfo:
        return self.info

    def refresh(self) -> bool:
        """Pick up changes other connections made to the database (facts, names, aliases); True if any."""
        if not self.store.refresh():
            return False
        self._reload_names()
        return True

    def _reload_names(self) -> None:
        names, attributes = self.store.names(), self.store.attribute_names()
        if (names, attributes) != self._names:
            set_names(self.nlp, names, attributes)
            self._names = (names, attributes)

    def facts_changed(self) -> None:
        """This store wrote to the database: re-read its facts and names before the next check."""
        self.store._forget()
        self._reload_names()

    def _variants(self):
        """The words that tell facts of a kind apart, across the database (made once per version of it)."""
        from .matching import variant_words

        key = self.store.generation
        if self._variant_cache is None or self._variant_cache[0] != key:
            self._variant_cache = (key, variant_words(self.store.all_facts()))
        return self._variant_cache[1]

    def check_text(self, text: str, source: str = "<text>", warnings: tuple[str, ...] = (),
                   should_stop: Callable[[], bool] | None = None, as_of: str | None = None,
                   published: str | None = None) -> Report:
        """Check one text; a long one stops early (CheckInterrupted) once `should_stop()` says so.

        `as_of` (ISO date) overrides the checker's date for this text only; `published` is the date the
        document's metadata gives, used when no date is asked for.
        """
        if len(text) > CHUNK_CHARS:
            return self._judge(source, text, self._parse_long(text, should_stop), warnings, as_of, published)
        doc = next(iter(self.nlp.pipe([join_wrapped_lines(text)])))
        return self._judge(source, text, doc, warnings, as_of, published)

    def check_texts(self, items: Iterable[tuple], batch_size: int = 16) -> Iterator[Report]:
        """Check many (source, text, warnings[, published]) items, parsed in batches with `nlp.pipe`;
        reports come back in input order."""
        items = list(items) if not isinstance(items, list) else items
        texts = (join_wrapped_lines(item[1]) for item in items if len(item[1]) <= CHUNK_CHARS)
        docs = iter(self.nlp.pipe(texts, batch_size=batch_size))
        for source, text, warnings, *published in items:
            doc = next(docs) if len(text) <= CHUNK_CHARS else self._parse_long(text)
            yield self._judge(source, text, doc, warnings, None, published[0] if published else None)

    def _parse_long(self, text: str, should_stop: Callable[[], bool] | None = None):
        """Parse a long text in paragraph-aligned pieces and join them: the same Doc, in short steps.

        Short steps keep memory flat and let other threads (a GUI) run between them; sentences never
        cross a blank line, so the parse is the one a single call would give.
        """
        import warnings

        from spacy.tokens import Doc

        text = join_wrapped_lines(text)       # the parse sees sentences, not the draft's line wrapping
        pieces, start = [], 0
        while start < len(text):
            end = min(len(text), start + CHUNK_CHARS)
            if end < len(text):
                cut = text.rfind("\n\n", start + CHUNK_CHARS // 4, end)
                if cut == -1:
                    cut = text.rfind("\n", start + CHUNK_CHARS // 4, end)
                end = cut + 1 if cut != -1 else end
            pieces.append(text[start:end])
            start = end
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\[W101\]")   # the product marks are redone below
            parsed = []
            for piece_doc in self.nlp.pipe(pieces, batch_size=2):
                if should_stop is not None and should_stop():
                    raise CheckInterrupted("the check was stopped before it finished", code="FD115")
                parsed.append(piece_doc)
            doc = Doc.from_docs(parsed, ensure_whitespace=False)
        if doc.text != text:   # never judge offsets into a different text
            return self.nlp(text)
        return self.nlp.get_pipe("factdesk_products")(doc)   # product names across the joins

    def _judge(self, source: str, text: str, doc, warnings, as_of: str | None = None,
               published: str | None = None) -> Report:
        claims = extract_claims(doc)
        # the facts valid when the article was written: the date asked for, else the one its metadata
        # gives, else its dateline's, else today's
        asked = as_of or self.as_of
        dateline = None if asked or published else article_date(text)
        day = asked or published or dateline or date.today().isoformat()
        basis = "given" if asked else "metadata" if published else "dateline" if dateline else "today"

        out_of_time: set[int] = set()

        def valid_facts(entity: str):
            """The entity's facts valid on the day; for an attribute with no version valid then (a price that
            starts next month), the nearest version, marked, so a figure about it is not taken for another fact."""
            facts = self.store.facts_for(entity)
            valid = [f for f in facts if f.valid_on(day)]
            covered = {f.attribute.casefold() for f in valid}
            nearest: dict[str, Fact] = {}
            for f in facts:
                key = f.attribute.casefold()
                if key in covered:
                    continue
                old = nearest.get(key)
                if old is None or _distance(f, day) < _distance(old, day):
                    nearest[key] = f
            out_of_time.update(f.id for f in nearest.values())
            return tuple(valid) + tuple(nearest.values())

        # the dates the article itself gives: a value that takes effect on one of them is the article's news
        said_dates = {str(c.quantity.value) for c in claims if c.quantity.kind is Kind.DATE}
        variants = self._variants()
        def judged(c):
            v = judge(match_claim(c, valid_facts, self.store.related_to, variants))
            # the other versions of the fact used: the entity it belongs to may be a part the sentence's
            # entity stood in for ("Orvane Marlowe" and its "Long Range AWD")
            owner = v.fact.entity if v.fact is not None else (c.entity.name if c.entity else None)
            v = _note_superseded(v, self.store.facts_for(owner) if owner else (), day, said_dates)
            return _in_time(v, out_of_time, day, said_dates)

        verdicts = list(settle_sentences([judged(c) for c in claims]))
        # a figure that lost its fact to a better-placed figure of its sentence ("Charge time: 6.5 hours (3.5
        # hours with the fast charger)") may still be the sentence's other fact: judged again without the
        # taken one, it counts only if it then verifies, against a fact no other figure of the sentence has
        used = {(v.claim.sentence_start, v.fact.id) for v in verdicts if v.fact is not None
                and v.kind is not VerdictKind.UNVERIFIED}
        for i, v in enumerate(verdicts):
            if v.displaced_from is None:
                continue
            taken = v.displaced_from

            def without_taken(entity: str, taken=taken):
                return tuple(f for f in valid_facts(entity) if f.id != taken)
            again = judge(match_claim(v.claim, without_taken, self.store.related_to, variants))
            if again.kind is VerdictKind.VERIFIED and (v.claim.sentence_start, again.fact.id) not in used:
                verdicts[i] = again
                used.add((v.claim.sentence_start, again.fact.id))
        verdicts = restate_conversions(verdicts)
        notes = tuple(warnings) + ((self.info.notice,) if self.info.reduced_accuracy else ())
        return Report(source, text, verdicts, self.info.model, self.info.reduced_accuracy, notes, day, basis)
