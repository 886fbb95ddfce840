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
from .evidence import Scope, Vocabulary, worthiness_features
from .matching import Gathered, gather, mark_taken, rank
from .store import ReferenceStore
from .facts import Fact
from .verdicts import Verdict, VerdictKind, judge, restate_conversions, settle_sentences
from .weights import Strictness, Weights, shipped_weights

MAX_CHARS = 5_000_000
MAX_DRAFT_CHARS = 1_000_000  # the largest draft checked unless asked for more: about a minute's parse
WHOLE_CHARS = 200_000        # up to this a draft is one document (parsed in joined pieces); beyond, piece by piece
_DATELINE_LINES = 6          # a dateline sits under the headline, if anywhere
CHUNK_CHARS = 20_000   # longer texts are parsed in paragraph-aligned pieces


class DraftTooLarge(FactdeskError):
    """A draft over the size limit: refused before any parsing."""

    code = "FD117"


def pieces(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of about `size` characters, each ending at a paragraph break if
    one is near, else a line break, else a sentence's end, else a space: never inside a word or a number."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            lo = start + size // 4
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, lo, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        out.append((start, end))
        start = end
    return out


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
        """Claims per verdict; numbers greyed as "not a claim" are counted apart, never as unverified."""
        counts = Counter(v.kind.value for v in self.verdicts if v.check_worthy)
        out = {k.value: counts.get(k.value, 0) for k in VerdictKind}
        out["not_a_claim"] = sum(not v.check_worthy for v in self.verdicts)
        return out


@dataclass(frozen=True)
class Prepared:
    """A parsed document's claims with their candidate facts and evidence: everything but the weighing."""

    source: str
    text: str
    gathered: tuple[Gathered, ...]
    day: str
    basis: str
    warnings: tuple[str, ...]


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


class Checker:
    """A loaded spaCy pipeline bound to one reference store; reuse it for many documents."""

    def __init__(self, store: ReferenceStore, as_of: str | None = None, weights: Weights | None = None,
                 strictness: Strictness | str = Strictness.BALANCED, max_chars: int = MAX_DRAFT_CHARS):
        """`as_of` (ISO date) picks the facts valid then; by default, today's. `weights` default to the
        shipped ones; `strictness` picks their thresholds; a draft over `max_chars` is refused (FD117)."""
        self.store = store
        self.max_chars = max_chars
        self.as_of = as_of
        self.weights = weights or shipped_weights()
        self.strictness = Strictness(strictness)
        self._names = (store.names(), store.attribute_names())
        self._vocab_cache = None
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

    def vocabulary(self) -> Vocabulary:
        """What the database says about words and values as a whole (made once per version of it)."""
        key = self.store.generation
        if self._vocab_cache is None or self._vocab_cache[0] != key:
            self._vocab_cache = (key, Vocabulary(self.store.all_facts()))
        return self._vocab_cache[1]

    def check_text(self, text: str, source: str = "<text>", warnings: tuple[str, ...] = (),
                   should_stop: Callable[[], bool] | None = None, as_of: str | None = None,
                   published: str | None = None) -> Report:
        """Check one text; a long one stops early (CheckInterrupted) once `should_stop()` says so.

        `as_of` (ISO date) overrides the checker's date for this text only; `published` is the date the
        document's metadata gives, used when no date is asked for.
        """
        return self.conclude(self.prepare(text, source, warnings, should_stop, as_of, published))

    def admit(self, text: str, source: str = "<text>") -> None:
        """Refuse a draft over the size limit with a one-line reason (FD117), before any parsing."""
        if len(text) > self.max_chars:
            raise DraftTooLarge(f"{source} has {len(text):,} characters, over the {self.max_chars:,} a draft may have; "
                                f"split it into smaller drafts, or raise the limit (--max-size MB)")

    def prepare(self, text: str, source: str = "<text>", warnings: tuple[str, ...] = (),
                should_stop: Callable[[], bool] | None = None, as_of: str | None = None,
                published: str | None = None, progress: Callable[[int, int], None] | None = None) -> Prepared:
        """Parse a text and gather every claim's candidate facts and evidence (no weights needed).

        A text over `WHOLE_CHARS` is read piece by piece, each its own document, so memory holds one piece's
        parse at a time; `progress(done, total)` hears of each piece (characters).
        """
        self.admit(text, source)
        if len(text) > WHOLE_CHARS:
            return self._prepare_pieces(text, source, warnings, should_stop, as_of, published, progress)
        if len(text) > CHUNK_CHARS:
            doc = self._parse_long(text, should_stop)
        else:
            doc = next(iter(self.nlp.pipe([join_wrapped_lines(text)])))
        return self._gather(source, text, doc, warnings, as_of, published)

    def _prepare_pieces(self, text: str, source: str, warnings, should_stop, as_of, published,
                        progress) -> Prepared:
        """A very long text, a piece at a time: claims found in each piece's own parse, offsets moved to the
        whole text; the article's date is read from its start."""
        plain = join_wrapped_lines(text)
        dateline = None if as_of or self.as_of or published else article_date(text)
        gathered: list[Gathered] = []
        day = basis = ""
        for start, end in pieces(plain):
            if should_stop is not None and should_stop():
                raise CheckInterrupted("the check was stopped before it finished", code="FD115")
            doc = next(iter(self.nlp.pipe([plain[start:end]])))
            part = self._gather(source, plain[start:end], doc, (), as_of, published or dateline,
                                shift=start, whole=text)
            day, basis = part.day, ("dateline" if dateline and not (as_of or self.as_of or published) else part.basis)
            gathered.extend(part.gathered)
            del doc, part
            if progress is not None:
                progress(end, len(plain))
        return Prepared(source, text, tuple(gathered), day, basis, tuple(warnings))

    def check_texts(self, items: Iterable[tuple], batch_size: int = 16,
                    progress: list[Callable[[int, int], None] | None] | None = None) -> Iterator[Report]:
        """Check many (source, text, warnings[, published]) items, parsed in batches with `nlp.pipe`;
        reports come back in input order. `progress[i]` hears how far into a long item i the check is."""
        items = list(items) if not isinstance(items, list) else items
        progress = progress or [None] * len(items)
        texts = (join_wrapped_lines(item[1]) for item in items if len(item[1]) <= CHUNK_CHARS)
        docs = iter(self.nlp.pipe(texts, batch_size=batch_size))
        for (source, text, warnings, *published), hear in zip(items, progress):
            when = published[0] if published else None
            if len(text) <= CHUNK_CHARS:
                yield self.conclude(self._gather(source, text, next(docs), warnings, None, when))
            else:
                yield self.conclude(self.prepare(text, source, warnings, published=when, progress=hear))

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

    def _gather(self, source: str, text: str, doc, warnings, as_of: str | None = None,
                published: str | None = None, shift: int = 0, whole: str | None = None) -> Prepared:
        claims = extract_claims(doc)
        if shift:
            from extractors.claims import shift_claim
            claims = tuple(shift_claim(c, shift) for c in claims)
        # the facts valid when the article was written: the date asked for, else the one its metadata
        # gives, else its dateline's, else today's
        asked = as_of or self.as_of
        dateline = None if asked or published else article_date(text)
        day = asked or published or dateline or date.today().isoformat()
        basis = "given" if asked else "metadata" if published else "dateline" if dateline else "today"
        # the dates the article itself gives: a value that takes effect on one of them is the article's news
        scope = Scope(day, frozenset(str(c.quantity.value) for c in claims if c.quantity.kind is Kind.DATE))
        vocab = self.vocabulary()
        gathered = mark_taken([gather(c, self.store.facts_for, vocab, self.store.related_to, scope) for c in claims])
        return Prepared(source, whole or text, gathered, day, basis, tuple(warnings))

    def conclude(self, prep: Prepared, weights: Weights | None = None,
                 strictness: Strictness | str | None = None) -> Report:
        """Weigh the gathered evidence into verdicts (the checker's weights and strictness unless given)."""
        weights = weights or self.weights
        policy = weights.policy(strictness or self.strictness)
        vocab = self.vocabulary()
        verdicts = list(settle_sentences([judge(rank(g, weights), policy, vocab, weights) for g in prep.gathered]))
        # a figure that lost its fact to a better-placed figure of its sentence may still be the sentence's
        # other fact: judged again without the taken one, it counts only if it then verifies, against a fact
        # no other figure of the sentence has
        used = {(v.claim.sentence_start, v.fact.id) for v in verdicts if v.fact is not None
                and v.kind is not VerdictKind.UNVERIFIED}
        for i, v in enumerate(verdicts):
            if v.displaced_from is None:
                continue
            g = prep.gathered[i]
            rest = replace(g, candidates=tuple(c for c in g.candidates if c.fact.id != v.displaced_from))
            again = judge(rank(rest, weights), policy, vocab, weights)
            if again.kind is VerdictKind.VERIFIED and (v.claim.sentence_start, again.fact.id) not in used:
                verdicts[i] = again
                used.add((v.claim.sentence_start, again.fact.id))
        verdicts = [self._worthiness(v, g, prep.text, weights, policy.worthy)
                    for v, g in zip(restate_conversions(verdicts), prep.gathered)]
        notes = prep.warnings + ((self.info.notice,) if self.info.reduced_accuracy else ())
        return Report(prep.source, prep.text, tuple(verdicts), self.info.model, self.info.reduced_accuracy, notes,
                      prep.day, prep.basis)

    @staticmethod
    def _worthiness(v: Verdict, g: Gathered, text: str, weights: Weights, threshold: float) -> Verdict:
        """Grey a number nothing on file speaks to when it reads as no claim (a time of day, a setting)."""
        if v.kind is not VerdictKind.UNVERIFIED:
            return v
        best = max(weights.probabilities([c.features for c in g.candidates]), default=0.0)
        p = weights.worthiness(worthiness_features(v.claim, text, best, len(g.candidates)))
        return v if p >= threshold else replace(v, check_worthy=False)
