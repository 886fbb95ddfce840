"""Which facts a claim may state, and how probable each is, from the evidence alone (the value unseen).

Gathering candidates and their features does not depend on the weights, so a fit can gather once and rank
many times; `match_claim` does both.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from extractors.model import Claim, EntityRef, Kind

from .evidence import INDEX, Candidate, Scope, Vocabulary, candidates
from .facts import Fact
from .weights import Weights

_KIND_WORDS = {"money": "prices or amounts", "percent": "percentages", "date": "dates"}


def kind_words(q) -> str:
    """What a figure of this kind is, in a reason's words: "prices or amounts", "values in GB"."""
    return _KIND_WORDS.get(q.kind.value, f"values in {q.unit or q.kind.value}")


@dataclass(frozen=True)
class Gathered:
    """A claim's candidate facts with their evidence, or why it has none."""

    claim: Claim
    candidates: tuple[Candidate, ...]
    entity: EntityRef | None
    reason: str = ""
    scope: Scope = Scope()


@dataclass(frozen=True)
class Match:
    """A claim's candidate facts, most probable first, with the probability that each is the one stated."""

    claim: Claim
    ranked: tuple[tuple[Candidate, float], ...]
    entity: EntityRef | None
    reason: str = ""
    scope: Scope = Scope()

    @property
    def best(self) -> tuple[Candidate, float] | None:
        return self.ranked[0] if self.ranked else None


def gather(claim: Claim, facts_for: Callable[[str], Sequence[Fact]], vocab: Vocabulary,
           related_to: Callable[[str], Sequence[str]] | None = None, scope: Scope = Scope()) -> Gathered:
    """Every fact the claim may state, with its evidence; the reason when there is none."""
    refs = claim.entities
    if not refs:
        return Gathered(claim, (), None, "no entity: factdesk cannot tell what this number is about", scope)
    top = refs[0]
    found = tuple(candidates(claim, facts_for, vocab, related_to, scope))
    if found:
        return Gathered(claim, found, top, "", scope)
    known = [e for e in refs if e.known]
    if not top.known:
        return Gathered(claim, (), top, f"about {not_on_file(top.name)}", scope)
    if not known:
        return Gathered(claim, (), top, "no entity on file is mentioned near this number", scope)
    q = claim.quantity
    what = kind_words(q)
    if q.kind is Kind.DATE and q.precision in ("quarter", "half"):
        return Gathered(claim, (), known[0], "a period names when a figure applies; it is not a claim itself", scope)
    return Gathered(claim, (), known[0], f"no {what} on file for {known[0].name}", scope)


def not_on_file(name: str) -> str:
    """How a reason names an entity the database does not know."""
    return f"{name}, which has no facts on file"


def mark_taken(gathered: Sequence[Gathered]) -> tuple[Gathered, ...]:
    """Tell each candidate whether another figure of its sentence states the fact's value: in "125W / 253W"
    or "9 billion and 27 billion parameters", the fact each figure agrees with is probably that figure's. How
    far that figure's own words name another fact instead (`_elsewhere`) splits the mark in two: in "$12 per
    million input tokens and $3 per million output tokens" the $3 states the input price's value but is said to
    be the output price, so the input price is not thereby the $3's."""
    stated: dict[tuple[int, int], list[tuple[int, float]]] = {}     # (sentence, fact) -> (figure, away)
    for i, g in enumerate(gathered):
        for c in g.candidates:
            if c.agrees:
                stated.setdefault((g.claim.sentence_start, c.fact.id), []).append((i, _elsewhere(g, c)))
    k, e = INDEX["x_taken"], INDEX["x_taken_elsewhere"]
    out = []
    for i, g in enumerate(gathered):
        marked = []
        for c in g.candidates:
            # the taker whose words least point away from the fact is the likeliest to hold it
            away = min((a for j, a in stated.get((g.claim.sentence_start, c.fact.id), ()) if j != i), default=None)
            if away is None:
                marked.append(c)
                continue
            x = list(c.features)
            x[k], x[e] = 1.0 - away, away
            marked.append(replace(c, features=tuple(x)))
        out.append(replace(g, candidates=tuple(marked)))
    return tuple(out)


def _elsewhere(g: Gathered, c: Candidate) -> float:
    """How much more firmly the figure's words say another of its candidate facts than `c`'s (0 to 1)."""
    k = INDEX["w_cover"]
    other = max((o.features[k] for o in g.candidates if o.fact.id != c.fact.id), default=0.0)
    return min(1.0, max(0.0, other - c.features[k]))


def rank(g: Gathered, weights: Weights) -> Match:
    """The candidates ordered by the probability the fitted weights give them."""
    probs = weights.probabilities([c.features for c in g.candidates])
    scored = sorted(zip(g.candidates, probs), key=lambda cp: -cp[1])
    entity = scored[0][0].entity if scored else g.entity
    return Match(g.claim, tuple(scored), entity, g.reason, g.scope)


def match_claim(claim: Claim, facts_for: Callable[[str], Sequence[Fact]], vocab: Vocabulary, weights: Weights,
                related_to: Callable[[str], Sequence[str]] | None = None, scope: Scope = Scope()) -> Match:
    """The facts this claim may state, ranked by the fitted weights."""
    return rank(gather(claim, facts_for, vocab, related_to, scope), weights)
