"""The checking engine: document -> claims -> matches -> verdicts, for one reference store."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from extractors.claims import extract_claims
from extractors.pipeline import PipelineInfo, load_pipeline

from .matching import match_claim
from .store import ReferenceStore
from .verdicts import Verdict, VerdictKind, judge

MAX_CHARS = 5_000_000


@dataclass(frozen=True)
class Report:
    """Every claim of one document with its verdict."""

    source: str
    text: str
    verdicts: tuple[Verdict, ...]
    model: str
    reduced_accuracy: bool
    warnings: tuple[str, ...] = field(default=())

    @property
    def summary(self) -> dict[str, int]:
        counts = Counter(v.kind.value for v in self.verdicts)
        return {k.value: counts.get(k.value, 0) for k in VerdictKind}


class Checker:
    """A loaded spaCy pipeline bound to one reference store; reuse it for many documents."""

    def __init__(self, store: ReferenceStore):
        self.store = store
        self.nlp, self.info = load_pipeline(store.names())
        self.nlp.max_length = MAX_CHARS + 1

    @property
    def pipeline(self) -> PipelineInfo:
        return self.info

    def check_text(self, text: str, source: str = "<text>", warnings: tuple[str, ...] = ()) -> Report:
        """Check one text."""
        return next(self.check_texts([(source, text, warnings)]))

    def check_texts(self, items: Iterable[tuple[str, str, tuple[str, ...]]], batch_size: int = 16) -> Iterator[Report]:
        """Check many texts, parsed in batches with `nlp.pipe`; reports come back in input order."""
        items = list(items) if not isinstance(items, list) else items
        texts = (text for _, text, _ in items)
        for (source, text, warnings), doc in zip(items, self.nlp.pipe(texts, batch_size=batch_size)):
            yield self._judge(source, text, doc, warnings)

    def _judge(self, source: str, text: str, doc, warnings) -> Report:
        claims = extract_claims(doc)
        verdicts = tuple(judge(match_claim(c, self.store.facts_for, self.store.related_to)) for c in claims)
        notes = tuple(warnings) + ((self.info.notice,) if self.info.reduced_accuracy else ())
        return Report(source, text, verdicts, self.info.model, self.info.reduced_accuracy, notes)
