"""The data that leaves `extractors`: quantities as written, and claims with their context."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """What sort of number a mention is."""

    MONEY = "money"
    PERCENT = "percent"
    POINTS = "percentage_points"
    MULTIPLIER = "multiplier"
    COUNT = "count"
    QUANTITY = "quantity"
    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    ORDINAL = "ordinal"
    NUMBER = "number"
    FRACTION = "fraction"


class Qualifier(str, Enum):
    """How the writer hedged or bounded the number."""

    EXACT = "exact"
    APPROX = "approx"        # roughly, about, around, ~
    NEARLY = "nearly"        # nearly, almost: just below the value
    AT_LEAST = "at_least"    # at least, more than, over, 15T+
    AT_MOST = "at_most"      # less than, under, no more than
    UP_TO = "up_to"          # up to, as much as: names the maximum, so the maximum is the value written


@dataclass(frozen=True)
class Rate:
    """The denominator of a rate such as "$2 per million input tokens" (amount 1e6, noun "token")."""

    amount: float
    noun: str


@dataclass(frozen=True)
class Quantity:
    """A number as written: value (in `unit`), the step it was stated to, and its hedges.

    Dates carry an ISO value ("2025-04", "2025-04-14", "--04-14" when the year is missing) and
    `precision` is one of "year", "month", "day", "quarter".
    """

    value: float | str
    unit: str | None
    kind: Kind
    precision: float | str
    qualifier: Qualifier = Qualifier.EXACT
    range_end: str | None = None       # "low" or "high": one end of a range written as one ("$5.1-5.5 billion")
    per: Rate | None = None            # rate denominator
    unit_words: tuple[str, ...] = ()   # counted noun phrase after a count ("routed experts")
    binary_scale: bool = False         # written with K/M/B, so 1024-multiples also agree


@dataclass(frozen=True)
class Mention:
    """A numeric mention found in text, with character offsets into the document."""

    start: int
    end: int
    text: str
    quantity: Quantity
    change: bool = False               # "up 22%", "grew by", "a 45 percent reduction"


@dataclass(frozen=True)
class ContextWord:
    """A normalised word near a claim and how strongly it belongs to that claim (0..1)."""

    norm: str
    weight: float


# how a name given anywhere in the article links to a figure it is not near: the weakest link there is
NAMED_ELSEWHERE = "named elsewhere in the article"


@dataclass(frozen=True)
class EntityRef:
    """A candidate for what a claim is about, with the evidence that links it."""

    name: str           # canonical reference-database name, or the mention text if unknown
    known: bool         # present in the reference database
    weight: float       # 1.0 = explicitly attached, lower for carried-over or topic entities
    how: str            # "possessive", "subject", "heading", "previous sentence", ...
    local: bool = True  # named in the claim's own sentence (not carried from before, nor the article topic)


@dataclass(frozen=True)
class Claim:
    """A numeric claim: the mention, who it is about and the words that say what was measured."""

    mention: Mention
    entities: tuple[EntityRef, ...]
    context: tuple[ContextWord, ...]
    sentence: str
    periods: tuple[str, ...] = ()       # normalised periods its own words name: "q4", "fy2024", "2024"
    sentence_start: int = 0             # character offset of `sentence` in the document
    head: tuple[str, ...] = ()          # normalised noun the number measures: "2X the RAM" -> ("memory",)
    named: frozenset[str] = frozenset()  # known entities the document names anywhere (not as asides)
    inherited_periods: tuple[str, ...] = ()  # the article's reporting period, where its own words name none
    subject: tuple[str, ...] = ()       # normalised nouns of the clause's subject, names aside ("shares rose 7%")
    year_ago: bool = False              # said to be a year before the period reported ("a year earlier")
    article_periods: tuple[tuple[str, int], ...] = ()  # how often the article names each period: ("q3", 2)
    tense: str | None = None            # "past" or "future" when the sentence puts the figure then

    @property
    def start(self) -> int:
        return self.mention.start

    @property
    def end(self) -> int:
        return self.mention.end

    @property
    def text(self) -> str:
        return self.mention.text

    @property
    def quantity(self) -> Quantity:
        return self.mention.quantity

    @property
    def entity(self) -> EntityRef | None:
        return self.entities[0] if self.entities else None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    claims: tuple[Claim, ...]
    model: str
    reduced_accuracy: bool = False
    entity_mentions: tuple[tuple[int, int, str], ...] = field(default=())
