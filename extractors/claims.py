"""From a parsed document to claims: each numeric mention with the entity it is about and the words
that say what was measured, weighted by how closely they belong to it."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc

from .ellipsis import fill_from_sentence, resolve_dimensions, resolve_respectively
from .layout import TableCell, column_cell, table_cell
from .lexicon import PHRASES, STOPWORDS, is_identifier, normalize, phrase_concept, words_of
from .model import NAMED_ELSEWHERE, Claim, ContextWord, EntityRef, Kind, Mention
from .periods import ANNUAL, REPORTING, find_periods
from .pipeline import KNOWN_LABEL
from .quantities import rate_in, scan

_PREPS_AFTER = {"for", "of", "on", "by", "from", "in", "with", "at"}
_ANAPHORA = re.compile(r"\b(?:the same|that|this|these|those)\s+(\w+)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"^(?:;|—|–)$")
_MEASURES = (Kind.QUANTITY, Kind.MONEY, Kind.DURATION)
_CONTRAST = {"while", "whereas", "but", "although", "though", "versus", "vs", "vs.", "compared"}
# a contrast between clauses may change what is measured; a comparison ("vs.") keeps it
# "second-quarter revenue rose 16%": when is not what
_TIME_NOUNS = {"quarter", "quarters", "year", "years", "half", "month", "months", "week", "weeks", "day", "days",
               "period", "season"}
_LINE_LABEL = re.compile(r"\s*[-•*·]?\s*([A-Za-z][A-Za-z /&-]{0,38}?)\s*:")
_RELATION_NOUNS = {"rival", "competitor", "predecessor", "successor", "replacement", "sibling", "challenger",
                   "alternative"}
# "X's closest rival", "X's predecessor": a possessive that names another thing by its relation to X
_RELATION_AFTER = re.compile(r"['’]s\s+(?:[a-z-]+\s+){0,2}?(?:rivals?|competitors?|predecessors?|successors?|"
                             r"replacements?|siblings?|challengers?|alternatives?)\b")
_SLASHED = re.compile(r"\b([A-Za-z][\w-]*)\s*/\s*([A-Za-z][\w-]*)(?:\s*/\s*([A-Za-z][\w-]*))?\s*:?\s*$")
_LABEL_AFTER = re.compile(r"\s*\(\s*([^()$:;]{1,20}?)\s*\)")
PARAGRAPH_NAME = 0.15   # a name-like word earlier in the paragraph: enough to be present, not to decide
CONTEXT_REACH = 80      # tokens either side of a figure that can say what it measures
_JOINED_RATE = re.compile(r"\s*(?:to|and|or|-|–|/)\s*")
FRAME_SHARE = 0.9       # the least a word of a fronted frame ("On the X benchmark, ...") tells every figure after it
NEAR_FIGURES = 12       # figures either side of a figure that compete with it for words
_NEGATING = {"non", "un", "ex", "anti"}
_CLAUSE_CONTRAST = {"while", "whereas", "but", "although", "though"}


@dataclass
class _Segment:
    start: int       # character offsets
    end: int
    tok_start: int   # token indices into the doc
    tok_end: int
    is_list_item: bool
    heading_entity: tuple[str, bool] | None = None


@dataclass(frozen=True)
class _EntitySpan:
    start: int
    end: int
    tok_start: int
    tok_end: int
    name: str
    known: bool


def _segments(doc: Doc) -> list[_Segment]:
    """Sentences, further cut at line breaks so headings and list items stand alone."""
    text = doc.text
    segs: list[_Segment] = []
    sents = list(doc.sents) if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else [doc[:]]
    for sent in sents:
        seg_start_tok = sent.start
        for tok in sent:
            if "\n" in tok.text or (tok.i > sent.start and "\n" in doc[tok.i - 1].whitespace_):
                if _is_soft_wrap(doc, tok):
                    continue
                if tok.i > seg_start_tok:
                    segs.append(_make_segment(doc, text, seg_start_tok, tok.i))
                seg_start_tok = tok.i + (1 if tok.is_space else 0)
        if sent.end > seg_start_tok:
            segs.append(_make_segment(doc, text, seg_start_tok, sent.end))
    segs = [s for s in segs if text[s.start:s.end].strip()]
    return _mark_unbulleted_items(text, _join_line_labels(doc, text, segs))


def _join_line_labels(doc: Doc, text: str, segs: list[_Segment]) -> list[_Segment]:
    """ "- MMLU: Marlin Large 87.9, ..." is one line: the parser may end a sentence at the label's colon,
    but the label names what follows it on the line."""
    out: list[_Segment] = []
    for seg in segs:
        prev = out[-1] if out else None
        if prev is not None and text[prev.start:prev.end].rstrip().endswith(":") \
                and "\n" not in text[prev.end:seg.start] and _LINE_LABEL.fullmatch(text, prev.start, prev.end):
            joined = _make_segment(doc, text, prev.tok_start, seg.tok_end)
            out[-1] = replace(joined, is_list_item=prev.is_list_item or joined.is_list_item)
            continue
        out.append(seg)
    return out


def _mark_unbulleted_items(text: str, segs: list[_Segment]) -> list[_Segment]:
    """Short unpunctuated lines after a lead-in ending in ":" are list items, bullets or not."""
    out: list[_Segment] = []
    in_list = False
    segs_bulleted = {id(seg): seg.is_list_item for seg in segs}
    for seg in segs:
        body = text[seg.start:seg.end].rstrip()
        starts_line = not text[text.rfind("\n", 0, seg.start) + 1:seg.start].strip()
        if out and out[-1].is_list_item and not seg.is_list_item and segs_bulleted.get(id(out[-1])) and \
                re.search(r"\n[ \t]*\n", text[out[-1].end:seg.start]):
            in_list = False     # a blank line after bullets ends the list: "Wren Vac: $699" heads the next box
        if seg.is_list_item:
            in_list = True
        elif in_list and starts_line and body[-1:] not in ".!?:" and seg.tok_end - seg.tok_start <= 16:
            seg = replace(seg, is_list_item=True)
        else:
            in_list = False
        if body.endswith(":"):
            in_list = True
        out.append(seg)
    return out


def _is_soft_wrap(doc: Doc, tok) -> bool:
    """A single line break inside a running sentence (hard-wrapped text): the next line goes on in lower case."""
    if "\n" in tok.text:
        breaks, after = tok.text, (doc[tok.i + 1].text if tok.i + 1 < len(doc) else "")
        before = doc[tok.i - 1].text if tok.i > 0 else ""
    else:
        breaks, after, before = doc[tok.i - 1].whitespace_, tok.text, doc[tok.i - 1].text
    return breaks.count("\n") == 1 and after[:1].islower() and not before.endswith(":")


def _make_segment(doc: Doc, text: str, a: int, b: int) -> _Segment:
    while a < b and doc[a].is_space:
        a += 1
    start = doc[a].idx if a < b else doc[b - 1].idx
    end = doc[b - 1].idx + len(doc[b - 1].text)
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    first = doc[a].text if a < b else ""
    bold = text[start:start + 2] == "**"      # "**Keel 75 spec box**" is a bold heading, not a bullet
    is_item = (bool(re.match(r"^\s*$", prefix)) and not bold and
               (first in ("-", "•", "*", "·") or bool(re.match(r"^\d+\s*[xX×]$", first)))) \
        or bool(re.match(r"^\s*[-•*·]\s+$", prefix))     # the bullet parsed into the sentence before
    return _Segment(start, end, a, b, is_item)


def _entity_spans(doc: Doc) -> list[_EntitySpan]:
    """Every name in the text: the entity ruler's (on file) and the names `mentions` found, on file or not.
    Where names overlap the longest stands: "GPT-4o mini" is not the GPT-4o on file."""
    found = [(e.start, e.end, e.ent_id_ or e.text, True) for e in doc.ents if e.label_ == KNOWN_LABEL]
    for s in doc._.fd_products:
        if s.label_ == "MEASURE":
            continue
        # "Fi 7" of "Wi-Fi 7" is a piece of a hyphenated name, not a product
        if s.start_char >= 2 and doc.text[s.start_char - 1] == "-" and doc.text[s.start_char - 2].isalnum():
            continue
        found.append((s.start, s.end, s.kb_id_ or s.text, s.label_ == "KNOWN"))
    found.sort(key=lambda f: (f[0] - f[1], not f[3], f[0]))
    taken: set[int] = set()
    out = []
    for a, b, name, known in found:
        if any(k in taken for k in range(a, b)):
            continue
        taken.update(range(a, b))
        out.append(_EntitySpan(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), a, b, name, known))
    out += _short_names(doc, out)
    return sorted(out, key=lambda e: e.start)


_DESCRIBED_AS = {normalize(w) for w in """machine device handheld phone card chip model laptop console drive board tablet
processor system headset camera car rival""".split()}


def _short_names(doc: Doc, spans: list[_EntitySpan]) -> list[_EntitySpan]:
    """"Max scores 71.4 percent": an article that has named the Saffron 3 Max may call it by its last word.

    Only names the article gives in full count; where several share the word, the one named in the
    headline, else the one named most, is meant.
    """
    named = [e for e in spans if e.known]
    if not named:
        return []
    headline_end = doc.text.find("\n") if "\n" in doc.text else len(doc.text)
    count = Counter(e.name for e in named)
    in_headline = {e.name for e in named if e.start < headline_end}
    by_word: dict[str, list[str]] = {}
    for name in count:
        last = name.split()[-1]
        if len(name.split()) >= 2 and last.isalpha() and last[:1].isupper() and len(last) >= 3:
            by_word.setdefault(last, []).append(name)
    if not by_word:
        return []
    covered = {i for e in spans for i in range(e.tok_start, e.tok_end)}
    out = []
    # "That Ostrel machine": a maker's word and a class noun, after the article named one of its products
    by_first: dict[str, list[str]] = {}
    for name in count:
        first = name.split()[0]
        if len(name.split()) >= 2 and first.isalpha() and first[:1].isupper():
            by_first.setdefault(first, []).append(name)
    for tok in doc:
        owners = by_first.get(tok.text)
        if not owners or len(owners) > 1 or tok.i in covered or tok.i + 1 >= len(doc) or tok.i == 0:
            continue
        if doc[tok.i - 1].lower_ in ("that", "this", "the") and normalize(doc[tok.i + 1].text) in _DESCRIBED_AS:
            out.append(_EntitySpan(tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1].text), tok.i, tok.i + 2,
                                   owners[0], True))
            covered |= {tok.i, tok.i + 1}
    for tok in doc:
        names = by_word.get(tok.text)
        if not names or tok.i in covered:
            continue
        if tok.i > 0 and doc[tok.i - 1].text[:1].isupper() and doc[tok.i - 1].i in covered:
            continue
        name = max(names, key=lambda n: (n in in_headline, count[n]))
        out.append(_EntitySpan(tok.idx, tok.idx + len(tok.text), tok.i, tok.i + 1, name, True))
    return out


def _tok_index(starts: list[int], char: int) -> int:
    return max(0, bisect.bisect_right(starts, char) - 1)


_BY = r"\s*(?:by|x|×)\s*"
_SIZE = r"\d[\d,]*(?:\.\d+)?"


_PIXELS = re.compile(r"\b(?:resolution|pixels?|px)\b", re.IGNORECASE)


def _pair_side(text: str, start: int, end: int) -> str | None:
    """"first" or "second" when the figure is one side of a two-number size ("2,560 by 1,440",
    "3840 x 2160"), else None."""
    after = re.match(rf"{_BY}({_SIZE})(?![\d,.])(?!{_BY}\d)", text[end:end + 24])
    if after and not re.search(rf"{_SIZE}{_BY}$", text[max(0, start - 24):start]):
        return "first"
    before = re.search(rf"(?<![\d,.])({_SIZE}){_BY}$", text[max(0, start - 24):start])
    if before and not re.match(rf"{_BY}\d", text[end:end + 8]) and \
            not re.search(rf"{_SIZE}{_BY}{_SIZE}{_BY}$", text[max(0, start - 40):start]):
        return "second"
    return None


def _counted_noun(doc: Doc, tok_end: int, seg: _Segment) -> tuple[str, ...]:
    """Words after a bare count that may name what is counted; the first noun comes first.

    "14.8 trillion "high-quality and diverse tokens"" gives (quality, high, quality, diverse, tokens): the
    matcher looks for a fact's unit noun among them, the report shows the first.
    """
    words: list[str] = []
    first_noun = None
    i = tok_end
    compound_open, head = True, None
    if i + 1 < seg.tok_end and doc[i].text == "-" and not doc[i - 1].whitespace_ and doc[i + 1].is_alpha:
        first_noun = head = doc[i + 1].text        # "210-layer TLC NAND" counts layers
        compound_open = False
    while i < seg.tok_end and len(words) < 7:
        t = doc[i]
        if t.lower_ in ("and", "or") and i + 1 < seg.tok_end and doc[i + 1].text[:1].isupper():
            break   # "256K and Ombrik Dev Pro 200K": a new conjunct, not what is counted
        if t.text == "|":
            break       # a table's cell ends here
        if t.text in ("-", '"', "“", "”", "'", "‘", "’") or t.lower_ in ("and", "or"):
            i += 1
            continue
        if t.is_punct or t.like_num or t.is_space or (t.lower_ in STOPWORDS and t.lower_ not in ("and", "or")) \
                or t.text[:1].isdigit():
            break
        if t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG"):
            break
        words.append(t.text)
        noun = t.pos_ in ("NOUN", "PROPN") or t.tag_ in ("NN", "NNS")
        if first_noun is None and noun:
            first_noun = t.text
        if compound_open and noun:
            head = t.text          # "H800 GPU hours" counts hours: the last noun of the first compound
        elif first_noun is not None and not noun:
            compound_open = False
        i += 1
    if first_noun is None:
        return ()
    return (head or first_noun, *words)


_HEAD_SKIP = {"the", "of", "as", "much", "more", "many", "its", "their", "times"}


def _head_noun(doc: Doc, text: str, tok_end: int, seg: _Segment) -> tuple[str, ...]:
    """The noun right after a number that says what it measures: "2X the RAM", "8GB of memory"."""
    i, skipped = tok_end, 0
    while i < seg.tok_end and doc[i].lower_ in _HEAD_SKIP and skipped < 3:
        i, skipped = i + 1, skipped + 1
    words: list[str] = []
    while i < seg.tok_end and len(words) < 2:
        t = doc[i]
        phrase = PHRASES.match(text, t.idx)
        if phrase:   # "a 31% year-over-year increase": the phrase is one word
            words.append(phrase_concept(phrase.group()))
            while i < seg.tok_end and doc[i].idx < phrase.end():
                i += 1
            continue
        if t.like_num or t.is_punct or not (t.pos_ in ("NOUN", "PROPN") or t.tag_ in ("NN", "NNS", "NNP")):
            break
        words += [n for n in (normalize(f) for f in words_of(t.text)) if n and n not in STOPWORDS]
        i += 1
    return tuple(words)


LABEL_SHARE = 0.6     # how much a nearby size or band label tells which variant a figure is


_LABEL_UNITS = {"B", "KB", "MB", "GB", "TB", "PB", "mm", "cm", "inch", "GHz", "MHz"}


def _is_label(m: Mention) -> bool:
    """A figure that may name a variant rather than be measured: a capacity ("the 32GB model"), a size
    ("the 46 mm version"), a band ("the 6 GHz band")."""
    q = m.quantity
    return q.kind is Kind.QUANTITY and q.unit in _LABEL_UNITS and q.range_end is None and q.per is None


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, ...]:
    """The normalised content forms a word contributes to a claim's context."""
    out = []
    for form in words_of(word):
        if (len(form) < 2 and not form.isdigit()) or form == "$":
            continue
        n = normalize(form)
        if n and n not in STOPWORDS:
            out.append(n)
    return tuple(out)


# "$4.12 billion a year earlier", "$1.18 in the year-ago quarter", "the year-ago $1.18"
_YEAR_AGO_AFTER = re.compile(r"[^.;]{0,30}?\b(?:a year (?:earlier|ago|before)|last year|(?:the )?(?:prior|previous) "
                             r"year|year[- ]ago|the same (?:quarter|period) (?:a year (?:earlier|ago)|last year))\b",
                             re.IGNORECASE)
_YEAR_AGO_BEFORE = re.compile(r"\byear[- ]ago\b[^.;,]*$", re.IGNORECASE)


_PERIOD_JOIN = re.compile(r"^[\s,]*(?:of|in|for)?\s*(?:its|the|their)?\s*$", re.IGNORECASE)


def _period_groups(text: str, periods: list) -> list[list]:
    """Periods written as one phrase stay together: "the first quarter of its fiscal 2026"."""
    groups: list[list] = []
    for p in periods:
        if groups and _PERIOD_JOIN.match(text[groups[-1][-1].end:p.start]):
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


# what puts a figure before or after the time an article is written
_PAST_BEFORE = re.compile(r"(?:\bfrom|\bwas|\bwere|\bpreviously|\bhad been|\bused to be|\bold|\bformer|\bdown from|"
                          r"\bup from)\s+(?:about\s+|roughly\s+|the\s+)?$", re.IGNORECASE)
_FUTURE_BEFORE = re.compile(r"\b(?:to|will be|will cost|going to|rises? to|climbs? to|jumps? to|goes to|moves? to)\s+"
                            r"(?:about\s+|roughly\s+)?$", re.IGNORECASE)
_FUTURE_ANYWHERE = re.compile(r"\b(?:will|going to|new\b[\w ]{0,24}?\b(?:price|rate|plan|fee)s?|effective|takes effect|starting|"
                              r"from (?:January|February|March|April|May|June|July|August|September|October|November|"
                              r"December)|next (?:month|year|quarter))\b", re.IGNORECASE)


def _nearest_figure(group: list, figures: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The figure a period phrase belongs to: None when it comes before them all (it frames the
    sentence), else the nearer of the figures either side of it, the earlier on a tie."""
    start, end = group[0].start, group[-1].end
    before = [f for f in figures if f[1] <= start]
    if not before:
        return None
    after = [f for f in figures if f[0] >= end]
    prev = before[-1]
    if after and after[0][0] - end < start - prev[1]:
        return after[0]
    return prev


def _is_period(m: Mention) -> bool:
    q = m.quantity
    return q.kind is Kind.DATE and (q.precision in ("quarter", "half") or str(q.value).startswith("FY"))


class ClaimBuilder:
    """Builds claims for one parsed document."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.tokens = list(doc)          # the cache's own tokens when `doc` is a _TokenCache
        # token attributes the context loop reads for every word of every sentence, read once
        self.tok_text = [t.text for t in self.tokens]
        self.tok_lower = [t.lower_ for t in self.tokens]
        self.tok_ws = [t.whitespace_ for t in self.tokens]
        self.tok_quiet = [t.is_punct or t.is_space for t in self.tokens]
        self.tok_num = [t.like_num for t in self.tokens]
        self.tok_space = [t.is_space for t in self.tokens]
        self.tok_alpha = [t.is_alpha for t in self.tokens]
        self.tok_starts = [t.idx for t in self.tokens]
        self._segment_info: dict[int, tuple] = {}
        self._subject_memo: dict[tuple[int, int], tuple[set[int], bool]] = {}
        self._cell_memo: dict[int, TableCell | None] = {}
        self._anaphora_memo: dict[int, tuple[str, ...]] = {}
        self._future_memo: dict[int, bool] = {}
        self._named_memo: dict[int, list[int]] = {}
        self._words_memo: dict[int, list[tuple[int, str]]] = {}
        self.segments = _segments(doc)
        self.seg_starts = [s.start for s in self.segments]
        self.entities = _entity_spans(doc)
        self.measure_names = sorted((s for s in doc._.fd_products if s.label_ == "MEASURE"), key=lambda s: s.start)
        self.measure_starts = [s.start_char for s in self.measure_names]
        self.entity_starts = [e.start for e in self.entities]
        # what a table that lost its borders is read against, once per document rather than once per figure
        self._name_spans = tuple((e.start, e.end) for e in self.entities) if "\n" in self.text else ()
        self.topic_dominant = False
        self.topic = self._topic()
        self.document_names = tuple(dict.fromkeys(e.name for e in self.entities if e.known))
        self.period_mentions = find_periods(self.text)
        self.period_starts = [p.start for p in self.period_mentions]
        self.doc_periods = self._document_periods()
        for k, seg in enumerate(self.segments):
            seg.heading_entity = self._heading_entity(seg)
            # "- GPT-4.1 mini: $0.40 per million input tokens. 1 million token context window.": the heading
            # names every sentence of its line
            if seg.heading_entity is None and k and "\n" not in self.text[self.segments[k - 1].start:seg.start]:
                seg.heading_entity = self.segments[k - 1].heading_entity

    # -- entities ------------------------------------------------------------------------------------
    def _topic(self) -> str | None:
        """What the article is about: the known entity it names most, comparisons aside, the headline's first.

        "Halcyon 9 promises 35% more speed than the RX 880" is about the Halcyon 9 however often the
        rival is named afterwards.
        """
        counts: Counter = Counter()
        first_line_end = self.text.find("\n")
        headline_first = True
        for e in self.entities:
            if not e.known or self._is_aside(e) or self._is_counted(e):
                continue
            counts[e.name] += 1
            if first_line_end < 0 or e.start < first_line_end:
                counts[e.name] += 2 if headline_first else 1
                headline_first = False
        ranked = counts.most_common(2)
        # an article that names one thing far more than anything else is about it, even where a
        # passage names nothing ("Weight: 182 grams" in a spec list)
        self.topic_dominant = bool(ranked) and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1])
        return ranked[0][0] if ranked else None

    def _heading_entity(self, seg: _Segment) -> tuple[str, bool] | None:
        """"- GPT-4.1 mini: $0.40 ..." names what the rest of the line is about."""
        for e in self.entities:
            if seg.start <= e.start < seg.end:
                prefix = self.text[seg.start:e.start]
                after = self.text[e.end:e.end + 2]
                if re.fullmatch(r"[\s\-•*·]*", prefix) and after.startswith(":"):
                    return e.name, e.known
                break
        return None

    def _is_aside(self, e: _EntitySpan, mention_start: int | None = None) -> bool:
        """An entity in parentheses or after "vs"/"than"/"with" is a comparison, not what a passage is about.

        Given a mention, a baseline phrase that holds the mention is that mention's own ("up from 128,000
        tokens for GPT-4o": GPT-4o owns the 128,000).
        """
        if self._paren_depth_span(e.start):
            return True
        baseline = self._baseline_before(e)
        if baseline is not None:
            # "up from single 4Kp60 or dual 4Kp30 on Raspberry Pi 4": the baseline compared with
            return mention_start is None or not (baseline <= mention_start < e.start)
        seg = self.segments[self._seg_of(e.start)]
        before = self.text[max(seg.start, e.start - 60):e.start].lower()
        before = re.sub(r"\d[\d,.]*-[a-z]+", "x", before)   # "lighter than the 214-gram Nova 5"
        return bool(re.search(r"\b(?:vs\.?|versus|than|compared (?:to|with)|with|like|from|double|twice|triple|"
                              r"half|quadruple|"
                              r"as (?:much|many|fast|big|large|good|high|low|cheap) as|"
                              r"(?:the )?same(?: [a-z]+){0,2} as)\s+[^,.;:()\d$%]*$", before))

    def _baseline_before(self, e: _EntitySpan) -> int | None:
        """Where an "up from ..." / "down from ..." baseline that ends with this entity starts, if one does."""
        seg = self.segments[self._seg_of(e.start)]
        lo = max(seg.start, e.start - 60)
        baseline = re.search(r"\b(?:up|down) from\b(?:[^.;:()]|\.(?=\d))*$", self.text[lo:e.start].lower())
        return lo + baseline.start() if baseline else None

    def _baseline_owner(self, mention_start: int, e: _EntitySpan) -> bool:
        """Whether the mention sits in an "up from ... on X" baseline that ends with this entity."""
        start = self._baseline_before(e)
        return start is not None and start <= mention_start < e.start

    def _is_counted(self, e: _EntitySpan) -> bool:
        """"2 x USB 3.0": a name right after a number is what is counted, not what the passage is about."""
        return bool(re.search(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dual|twin|single))"
                              r"\s*(?:[xX×]\s*)?$", self.text[max(0, e.start - 8):e.start], re.IGNORECASE))

    def _mention_is_aside(self, m: Mention) -> bool:
        """A number in a "(vs. ...)" aside or after "compared to" belongs to the compared thing."""
        paren = self._paren_depth_span(m.start)
        if paren and re.match(r"\(\s*(?:vs\.?|versus|compared|down from|up from|from)\b", self.text[paren[0]:paren[0] + 14], re.I):
            return True
        return False

    def _possessive_target(self, e: _EntitySpan, others: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The number an "Entity's ..." possessive attaches to, when one follows within four tokens."""
        if not re.match(r"^\s*['’]s?\b", self.text[e.end:e.end + 3]):
            return None
        for oa, ob in others:
            if 0 <= oa - e.tok_end <= 4:
                return (oa, ob)
        return None

    def _clause_subjects(self, a: int, b: int) -> set[int]:
        """Tokens of the subject of the verb a number depends on (at most four steps up the parse)."""
        return self._clause_subject(a, b)[0]

    def _clause_subject(self, a: int, b: int) -> tuple[set[int], bool]:
        """The subject's tokens, and whether they are a relative clause's antecedent ("X, which posted ...")."""
        key = (a, b)
        if key not in self._subject_memo:
            self._subject_memo[key] = self._find_clause_subject(a, b)
        return self._subject_memo[key]

    def _find_clause_subject(self, a: int, b: int) -> tuple[set[int], bool]:
        doc = self.doc
        tok = doc[b - 1]
        for _ in range(4):
            if tok.pos_ in ("VERB", "AUX"):
                break
            if tok.head.i == tok.i:
                return set(), False
            tok = tok.head
        else:
            return set(), False
        if tok.pos_ not in ("VERB", "AUX"):
            return set(), False
        # "X carries a 4,700mAh battery and tops out at 45W": a coordinated verb shares its subject
        for _ in range(3):
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) or tok.dep_ != "conj":
                break
            tok = tok.head
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        # "the Lumio Page 2, which costs $159 but has a 6.8-inch screen": "which" is the noun it follows
        if subjects and subjects[0].lower_ in ("which", "that", "who") and tok.dep_ == "relcl":
            head = tok.head
            if head.dep_ == "appos" and head.head.i < head.i:
                head = head.head        # "the Stride, a watch which ...": the named thing
            elif head.lower_.removesuffix("s") in _RELATION_NOUNS and head.left_edge.i >= 2 and \
                    doc[head.left_edge.i - 1].text == ",":
                # "Halden's Stride, the Aster Pro's closest rival at $379, which tops out at ...": the rival is
                # the thing named before the comma, not the one whose rival it is
                head = doc[head.left_edge.i - 2]
            return {t.i for t in head.subtree if t.i < head.i + 1 and t.i >= head.left_edge.i}, True
        return {t.i for c in subjects for t in c.subtree if not (a <= t.i < b)}, False

    def _governing_entity(self, a: int, b: int, candidates: list[_EntitySpan]) -> _EntitySpan | None:
        """A known name the figure's phrase hangs from in the parse before any verb does, if one does."""
        tok = self.doc[b - 1]
        for _ in range(4):
            if tok.head.i == tok.i or tok.pos_ in ("VERB", "AUX"):
                return None
            tok = tok.head
            if a <= tok.i < b:
                continue
            for e in candidates:
                if e.known and e.tok_start <= tok.i < e.tok_end:
                    return e
        return None

    def _seg_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.seg_starts, char) - 1)

    def _entities_for(self, m: Mention, seg_i: int, mention_toks: tuple[int, int],
                      others: list[tuple[int, int]]) -> tuple[EntityRef, ...]:
        seg = self.segments[seg_i]
        cands: dict[str, EntityRef] = {}

        def add(name: str, known: bool, weight: float, how: str, local: bool = True) -> None:
            old = cands.get(name)
            if old is None or old.weight < weight:
                cands[name] = EntityRef(name, known, round(weight, 3), how, local)

        if seg.heading_entity:
            add(seg.heading_entity[0], seg.heading_entity[1], 1.0, "line heading")
        cell = self._table_cell(m.start)
        if cell is not None and cell.column > 0:
            # "Ferro Lark | 540 Wh | 23.4 kg": a row is about what its first cell names; in a comparison table
            # ("| Metric | GPT-4o | GPT-4.5 |") a column is about what its header names
            for e in self._entities_between(*cell.first):
                add(e.name, e.known, 1.0, "table row")
            if cell.header is not None:
                for e in self._entities_between(*cell.header):
                    add(e.name, e.known, 1.0, "table column")
        a, b = mention_toks
        subjects, relative = self._clause_subject(a, b)
        in_seg = self._entities_between(seg.start, seg.end)
        my_paren = self._paren_depth_span(m.start)
        governor = self._governing_entity(a, b, in_seg)
        if governor is not None:
            # "rival Brannock Networks, which posted ..., up 6%": the parse hangs the figure on the name
            add(governor.name, governor.known, 0.9, "the name the figure qualifies")
        for e in in_seg:
            if self._is_counted(e) and e.tok_start >= b:
                continue    # "three DisplayPort 2.1, one HDMI 2.1": what is counted, not what has it
            e_paren = self._paren_depth_span(e.start)
            aside = 0.3 if (e_paren and e_paren != my_paren) or (not e_paren and self._is_aside(e, m.start)) else 0.0
            owned_by_other = self._possessive_target(e, others)
            if owned_by_other and owned_by_other != mention_toks:
                aside += 0.3
            between_other = any(
                (e.tok_end <= oa and ob <= a) or (b <= oa and ob <= e.tok_start) for oa, ob in others)
            if e.tok_end <= a:  # before the number
                gap = range(e.tok_end, a)      # token indexes: the cached tokens, not a new Span's
                gap_text = self.text[self.tok_starts[e.tok_end]:self.tok_starts[a]] if a > e.tok_end else ""
                if _RELATION_AFTER.match(self.text, e.end):
                    # "the Aster Pro's closest rival at $379, which tops out at 2,500 nits": the rival's
                    add(e.name, e.known, 0.2, "earlier in the sentence")
                    continue
                if re.match(r"^\s*['’]s?\b", self.text[e.end:e.end + 3]) and len(gap) <= 4:
                    add(e.name, e.known, 1.0, "possessive")
                    continue
                dist = a - e.tok_end
                if dist == 0 and not gap_text.strip() and not aside and e.tok_start > seg.tok_start and \
                        self.tok_text[e.tok_start - 1].lower() in (",", "and", "while", "whereas"):
                    # "Quillfin accepts 400K tokens, Brightfern Pair 256K and Ombrik Dev Pro 200K": a
                    # gapped clause, the name right before the figure is its subject
                    add(e.name, e.known, 0.98, "the name right before it")
                    continue
                w = 0.9 - min(dist, 15) * 0.01
                if between_other:
                    w -= 0.15
                if len(gap) < 2 * CONTEXT_REACH and any(
                        self.tok_text[k].lower() in _CONTRAST and not self._paren_depth_span(self.tok_starts[k])
                        for k in gap):
                    w -= 0.2
                if ";" in gap_text:
                    w -= 0.3
                if any(self.tokens[k].dep_ in ("nsubj", "nsubjpass") for k in range(e.tok_start, e.tok_end)):
                    w += 0.05
                if (not aside or relative) and subjects & set(range(e.tok_start, e.tok_end)):
                    # "... compare with rival Brannock, which posted revenue of $3.61 billion": compared
                    # in the main clause, but the subject of the clause the number is in
                    # "Meta's Llama 3.1 405B (...) trained on 30,840,000 GPU hours": the subject of the
                    # verb the number depends on, however far away and whatever lies between
                    add(e.name, e.known, max(w, 0.92), "subject of the clause")
                    continue
                add(e.name, e.known, w - aside, "earlier in the sentence")
            elif e.tok_start >= b:  # after the number
                gap = range(b, e.tok_start)
                words = [self.tok_text[k].lower() for k in gap]
                prep = words[-1] if words and words[-1] in _PREPS_AFTER else next(
                    (w for w in words if w in _PREPS_AFTER), None)
                attached_other = any(ob == e.tok_start for oa, ob in others)
                if prep and not aside and self._baseline_owner(m.start, e):
                    # "up from single 4Kp60 or dual 4Kp30 on Raspberry Pi 4": the compared thing's numbers
                    add(e.name, e.known, 0.95, "the baseline it is compared with")
                elif prep and words[0] in _PREPS_AFTER | {"just", "only"} and len(gap) <= 4 \
                        and (not between_other or attached_other):
                    add(e.name, e.known, 0.97 - aside, f"'{prep} {e.name}' after the number")
                elif not words and not between_other and m.quantity.kind in _MEASURES:
                    # "the 214-gram Nova 5": the thing measured, however the sentence compares it
                    add(e.name, e.known, 1.0, "the thing measured")
                elif len(gap) <= 6 and not between_other and not words:
                    continue  # the counted thing itself ("2 x USB 3.0")
                else:
                    dist = e.tok_start - b
                    w = 0.75 - min(dist, 30) * 0.01 - (0.2 if between_other else 0) - aside
                    if any(self.tok_lower[k] in _CONTRAST or self.tok_text[k] == ";" for k in gap):
                        w -= 0.3  # "..., while Anthropic's Claude Opus 4 ...": a new clause, a new subject
                    if any(self.tokens[k].dep_ in ("nsubj", "nsubjpass") for k in range(e.tok_start, e.tok_end)):
                        w += 0.1
                    if any(oa == e.tok_end for oa, _ in others):
                        w -= 0.4  # "Small has 9 billion parameters and Medium 34 billion": Medium names the 34
                    add(e.name, e.known, w, "later in the sentence")
        # previous segments: the most recent entity carries over (list items inherit their lead-in)
        unnamed_list = False
        crossed = 0.0      # a paragraph break between the figure and the name weakens the carry
        for j in range(seg_i - 1, max(-1, seg_i - 6), -1):
            prev = self.segments[j]
            if prev.heading_entity and not seg.heading_entity and j == seg_i - 1 and seg.is_list_item \
                    and prev.is_list_item:
                break       # "- Mini: $0.40" names its own line, not the next item
            if prev.heading_entity and not prev.is_list_item and seg.is_list_item and not seg.heading_entity \
                    and all(self.segments[k].is_list_item for k in range(j + 1, seg_i)):
                # "Glide Pro: $799" over "- Suction: 8,000 Pa": a spec box's items are its heading's
                add(prev.heading_entity[0], prev.heading_entity[1], 0.8, "list lead-in", local=False)
                break
            if not seg.is_list_item and self._gap_is_paragraph(prev, self.segments[j + 1]):
                crossed += 0.2
            if seg.is_list_item and prev.is_list_item:
                continue    # a sibling item's names are its own ("Outputs: one HDMI 2.1" is not the next item's)
            ents = [e for e in self._entities_between(prev.start, prev.end) if not self._is_aside(e)
                    and not self._is_counted(e)]
            if seg.is_list_item and not ents and self.text[:prev.end].rstrip().endswith(":"):
                unnamed_list = True     # "What you get:" names nothing: the list is the article's subject's
                break
            if ents:
                subj = [e for e in ents if any(t.dep_ in ("nsubj", "nsubjpass") or
                                               (t.dep_ == "poss" and t.head.dep_ in ("nsubj", "nsubjpass"))
                                               for t in self.tokens[e.tok_start:e.tok_end])]
                # the passage goes on about its subject, or about what the whole article is about
                topical = [e for e in ents if e.name == self.topic]
                pick = (subj or topical or ents)[-1] if not prev.heading_entity else None
                if pick is None:
                    break
                lead_in = seg.is_list_item and (self.text[:prev.end].rstrip().endswith(":") or
                                                 self._is_heading_line(prev)) and all(
                    self.segments[k].is_list_item for k in range(j + 1, seg_i))
                if lead_in:
                    # "a 16nm chip featuring:" then "2MB L3 cache": every item continues the lead-in
                    add(pick.name, pick.known, 0.8, "list lead-in", local=False)
                else:
                    # across a paragraph break, a name other than the article's subject holds on less
                    fade = crossed if pick.name != self.topic else 0.0
                    add(pick.name, pick.known, 0.62 - 0.04 * (seg_i - 1 - j) - fade, "previous sentence",
                        local=False)
                break
        # every other name the article gives may be what a figure is about, however far: weakly, so that the
        # words and the value can still say so ("GPQA | 53.6%" in a table about two models)
        for name in self.document_names:
            if name not in cands:
                add(name, True, 0.05, NAMED_ELSEWHERE, local=False)
        if self._mention_is_aside(m):
            cands = {k: v for k, v in cands.items() if v.how not in ("previous sentence",)}
            if not cands and self.topic and (self.topic_dominant or unnamed_list):
                # "- Standard: $17.49 (from $15.49)": the old figure of the line's own thing
                add(self.topic, True, 0.6, "article topic (nothing else named nearby)", local=False)
        elif self.topic:
            carried_topic = cands.get(self.topic)
            if carried_topic and carried_topic.how == "previous sentence":
                # the passage and the article are about the same thing: stronger than either alone
                add(self.topic, True, carried_topic.weight + 0.1, "previous sentence and article topic", local=False)
            elif not cands and (self.topic_dominant or unnamed_list):
                add(self.topic, True, 0.6, "article topic (nothing else named nearby)", local=False)
            else:
                add(self.topic, True, 0.45, "article topic", local=False)
        return tuple(sorted(cands.values(), key=lambda r: -r.weight))

    # -- context -------------------------------------------------------------------------------------
    def _context(self, m: Mention, seg_i: int, toks: tuple[int, int],
                 others: list[tuple[int, int]], labels: list[tuple[int, int]] = ()) -> tuple[ContextWord, ...]:
        seg = self.segments[seg_i]
        doc = self.tokens   # indexing a list of tokens is many times cheaper than indexing the Doc
        a, b = toks
        weights: dict[str, float] = {}

        def put(word: str, w: float) -> None:
            for n in _forms(word):
                if w > weights.get(n, 0.0):
                    weights[n] = round(w, 3)

        cache = self._segment_cache(seg_i)
        phrase_of, breaks, contrasts, parens = cache
        paren_of_mention = self._paren_depth_span(m.start)
        aside = self._mention_is_aside(m)
        others = sorted(others)
        other_starts = [oa for oa, _ in others]
        in_mentions = {k for oa, ob in others for k in range(oa, ob)}
        # words before a sentence's first number set its topic for every number in it ("On X, A scored ...")
        first_number = min([a] + other_starts)
        # "On SWE-bench, A scores 55%, while B scores 33%": a fronted frame holds across a contrast
        framed = doc[seg.tok_start].pos_ in ("ADP", "SCONJ")
        # ... and its words name what the sentence measures however long the phrase ("On the Multi Challenge
        # benchmark for instruction following, GPT-4.1 scored 86.1 percent")
        frame_end = seg.tok_start
        if framed:
            frame_end = next((k for k in range(seg.tok_start, min(first_number, seg.tok_start + CONTEXT_REACH))
                              if self.tok_text[k] == ","), seg.tok_start)
        token_weight: dict[int, tuple[float, float]] = {}   # token -> (nearness, share kept for this number)
        # "scores 76.9 on MMLU-Pro and 54.0% on SWE-bench": a phrase opened right after the number is its own
        attached = self._attached_phrase(b, seg) | self._measured_before(a, seg) | self._relative_head(b, seg)
        # "sequential writes of 13,400MB/s and 13,900MB/s": figures joined by "and" share what the first measures
        text_of, lower_of, ws_of = self.tok_text, self.tok_lower, self.tok_ws
        for oa, ob in others:
            if ob <= a and all(text_of[k] in (",", "and", "or") for k in range(ob, a)) and a - ob <= 2:
                attached |= self._measured_before(oa, seg)
        attached_elsewhere = {k for oa, ob in others
                              for k in self._attached_phrase(ob, seg) | self._measured_before(oa, seg)} - attached

        def number_between(lo: int, hi: int) -> bool:
            k = bisect.bisect_left(other_starts, lo)
            return k < len(others) and others[k][1] <= hi + 1

        def nearest_other(i: int) -> int:
            k = bisect.bisect_left(other_starts, i)
            near = [abs(i - oa) for oa, _ in others[k:k + 1]] + [abs(i - (ob - 1)) for _, ob in others[max(0, k - 1):k]]
            return min(near) if near else 1 << 30

        label, others_names = self._line_label(m, seg)
        base = seg.tok_start
        next_subject = self._next_clause_subject(b, seg, others)
        quiet, num = self.tok_quiet, self.tok_num
        # words further than this from the figure weigh next to nothing: a sentence of thousands of tokens costs
        # each of its figures a window, not the whole sentence (the frame before the first figure still counts)
        reach = range(max(seg.tok_start, a - CONTEXT_REACH), min(seg.tok_end, b + CONTEXT_REACH))
        frame = range(seg.tok_start, min(reach.start, first_number, seg.tok_start + CONTEXT_REACH))
        for i in (*frame, *reach):
            if quiet[i] or i in in_mentions or (num[i] and a <= i < b) or i in others_names:
                continue
            if a <= i < b:
                token_weight[i] = (1.0, 1.0)
                put(text_of[i], 1.0)
                continue
            word = phrase_of.get(i, text_of[i])
            d = (a - i) if i < a else (i - b + 1)
            w = near = 1.0 / (1.0 + 0.07 * (d - 1))
            lo, hi = (i, a) if i < a else (b, i)
            if i < first_number or i in attached:
                pass        # a frame before every figure, or a phrase that is this figure's own
            elif not aside and number_between(lo, hi):
                w *= 0.35   # another number stands between: the word is more likely its own
            elif not aside and i in attached_elsewhere:
                w *= 0.35   # "71 percent on Arcbench Pro and 81 percent": the phrase is the 71's
            elif not aside and i not in attached and nearest_other(i) * 2 <= d:
                w *= 0.5    # a word much nearer another number is mostly that number's
            if breaks[hi - base] - breaks[lo - base]:
                w *= 0.5
            if i in next_subject:
                w *= 0.3    # "$7.48 billion and Delivery Gross Bookings were $6.91 billion": the next clause's
            if (i >= first_number or not framed) and contrasts[hi - base] - contrasts[lo - base]:
                w *= 0.4    # "the starting price ..., while an 8GB model": the other side of a contrast
            tok_paren = parens[i - base]
            if tok_paren and tok_paren != paren_of_mention:
                w *= 0.3    # words inside someone else's parentheses
            elif i < frame_end:
                w = near = max(near, FRAME_SHARE)
            token_weight[i] = (near, w / near)
            if i >= seg.tok_start + 2 and text_of[i - 1] == "-" and lower_of[i - 2] in _NEGATING \
                    and not ws_of[i - 2] and not ws_of[i - 1]:
                continue    # "non-GAAP" is not "GAAP": only the joined word stands
            put(word, w)
        # a size or band label near the figure, as words: nearer labels count more, and one with another
        # figure between it and this one is mostly that figure's
        for la, lb in labels:
            d = (a - lb + 1) if lb <= a else (la - b + 1)
            if d > 12:
                continue
            w = LABEL_SHARE / (1.0 + 0.07 * max(0, d - 1))
            lo, hi = (lb, a) if lb <= a else (b, la)
            if number_between(lo, hi - 1):
                w *= 0.35
            if breaks[min(hi, seg.tok_end) - base] - breaks[lo - base]:
                w *= 0.5
            words = [text_of[k] for k in range(la, lb) if not quiet[k]]
            for word in words:
                put(word, w)
            if len(words) > 1:
                put("".join(words), w)
        # "Weight" over a column of a pipe table names every figure in it; "Price (US / UK)" over
        # "$1,399 / £1,249" pairs up
        cell = self._table_cell(m.start)
        if cell is not None and cell.header is not None:
            head = self.text[cell.header[0]:cell.header[1]]
            values = self.text[cell.cell[0]:cell.cell[1]].split("/")
            pair = re.search(r"\(([^()]*/[^()]*)\)", head)
            if pair and len(pair.group(1).split("/")) == len(values):
                k = len(self.text[cell.cell[0]:m.start].split("/")) - 1
                for word in pair.group(1).split("/")[k].split():
                    put(word, 0.9)
                head = head[:pair.start()]
            for word in re.findall(r"[A-Za-z][\w-]*", head):
                put(word, 0.9)
        if cell is not None and cell.column > 0:
            # "| BoolQ | 0-shot | 75.0 | 79.0 |": a row's labels name what each of its figures measures
            for lo, hi in cell.labels:
                for word in re.findall(r"[A-Za-z][\w-]*", self.text[lo:hi]):
                    put(word, 0.85)
        # "- Price: $799 (256GB), $919 (512GB)": a line's label names every figure after it
        if label is not None:
            for word in label.split():
                put(word, 0.9)
        # neighbouring tokens joined: "SWE" "-" "bench" is also "SWEbench"; "Multi Challenge" is "MultiChallenge"
        space, alpha = self.tok_space, self.tok_alpha
        seq = [i for i in (*frame, *reach) if not space[i]]
        for x, y in zip(seq, seq[1:]):
            if text_of[y] == "-" and y + 1 < seg.tok_end and not ws_of[x] and not ws_of[y]:
                if alpha[x] or alpha[y + 1]:
                    self._put_join(weights, text_of[x] + text_of[y + 1], x, y + 1, a, b, token_weight)
            elif text_of[x][:1].isalnum() and text_of[y][:1].isalnum() and not num[x] and not num[y] \
                    and lower_of[x] not in STOPWORDS and lower_of[y] not in STOPWORDS:
                self._put_join(weights, text_of[x] + text_of[y], x, y, a, b, token_weight)
        # the previous segment: weakly, unless this sentence names nothing itself
        # ("That is within striking distance of GPT-4o's score of 88.7 percent")
        if seg_i > 0:
            j = seg_i - 1
            if seg.is_list_item:
                # a list item continues its lead-in, not its sibling items
                while j > 0 and self.segments[j].is_list_item:
                    j -= 1
            prev = self.segments[j]
            pw = 0.5 if (seg.is_list_item or self.text[prev.end - 1:prev.end] == ":") else 0.3
            if not self._names_something(seg, others + [toks]) and not self._subject_is_described(a, b):
                pw = 0.6
            if self._gap_is_paragraph(prev, seg) and not seg.is_list_item and pw < 0.5:
                pw = 0.2
            own_part, other_parts = self._slashed_lead_in(m, seg, prev) if seg.is_list_item else (set(), set())
            for i, word in self._words_of_segment(j):
                if i not in other_parts:
                    put(word, 0.9 if i in own_part else pw)
            # "Orrin also shared early 3DMark figures. ... In Port Royal the results were 26,400": a name
            # given earlier in the paragraph still frames it, faintly
            k = j - 1
            while k >= 0 and not self._gap_is_paragraph(self.segments[k], self.segments[k + 1]) and j - k <= 4:
                for i, word in self._words_of_segment(k):
                    if i > self.segments[k].tok_start and is_identifier(word):
                        put(word, PARAGRAPH_NAME)
                k -= 1
        # "$919 (512GB)": a label in parentheses right after the figure says which configuration it is for
        label = _LABEL_AFTER.match(self.text, m.end, seg.end)
        if label:
            put(re.sub(r"\s+", "", label.group(1)), 0.95)
            put(label.group(1), 0.95)
        # "3,840 by 2,160 pixels": a pair of sizes is a width and a height, in that order (three sizes are
        # left alone: makers order height, width and depth differently)
        pair_side = _pair_side(self.text, m.start, m.end)
        if pair_side:
            for word in (("width", "horizontal") if pair_side == "first" else ("height", "vertical")):
                put(word, 0.85)
        # "the same benchmark": borrow the words that named it last time
        for head in self._anaphora(seg_i):
            for word, w in self._antecedent(seg_i, head):
                if w > weights.get(word, 0):
                    weights[word] = w
        for word in list(weights):
            weights[word] = min(1.0, weights[word])
        return tuple(ContextWord(k, v) for k, v in sorted(weights.items(), key=lambda kv: -kv[1]))

    def _words_of_segment(self, seg_i: int) -> list[tuple[int, str]]:
        """(token, text) of a segment's words, no punctuation or numbers; of a long segment only its last
        stretch, the part a following sentence continues (read once per segment)."""
        words = self._words_memo.get(seg_i)
        if words is None:
            seg = self.segments[seg_i]
            words = self._words_memo[seg_i] = [
                (i, self.tok_text[i]) for i in range(max(seg.tok_start, seg.tok_end - CONTEXT_REACH), seg.tok_end)
                if not self.tokens[i].is_punct and not self.tok_num[i]]
        return words

    def _anaphora(self, seg_i: int) -> tuple[str, ...]:
        """The heads of "the same benchmark", "that figure" in a segment (found once per segment)."""
        found = self._anaphora_memo.get(seg_i)
        if found is None:
            seg = self.segments[seg_i]
            found = self._anaphora_memo[seg_i] = tuple(
                normalize(am.group(1)) for am in _ANAPHORA.finditer(self.text, seg.start, seg.end))
        return found

    def _next_clause_subject(self, b: int, seg: _Segment, others: list[tuple[int, int]]) -> set[int]:
        """Tokens after a figure that open the next coordinated clause: in "Mobility bookings were $7.48
        billion and Delivery bookings were $6.91 billion", "Delivery bookings" (between "and" and the verb
        before the next figure) name the next figure, not this one."""
        nxt = next((oa for oa, _ in others if oa >= b), None)
        if nxt is None:
            return set()
        k = b
        while k < nxt and self.tok_lower[k] not in ("and", "but", "while", "whereas", ";"):
            if self.tokens[k].pos_ in ("VERB", "AUX"):
                return set()     # this figure's own clause goes on
            k += 1
        verb = next((j for j in range(k + 1, nxt) if self.tokens[j].pos_ in ("VERB", "AUX")), None)
        if k >= nxt or verb is None or verb == k + 1:
            return set()
        return set(range(k + 1, verb))

    def _table_cell(self, pos: int) -> TableCell | None:
        """The table cell at `pos`, of a pipe table or of one whose borders a copy lost (read once: the entity
        and the context both ask)."""
        if pos not in self._cell_memo:
            cell = table_cell(self.text, pos)
            if cell is None and len(self._name_spans) >= 2:
                cell = column_cell(self.text, pos, self._name_spans)
            self._cell_memo[pos] = cell
        return self._cell_memo[pos]

    def _is_heading_line(self, seg: _Segment) -> bool:
        """A short line of its own with no closing stop ("**Keel 75 spec box**", "## Pricing"): a heading
        for what follows it."""
        ls = self.text.rfind("\n", 0, seg.start) + 1
        le = self.text.find("\n", seg.end)
        line = self.text[ls:le if le >= 0 else len(self.text)].strip()
        return bool(line) and not self.text[ls:seg.start].strip(" \t#*_") and len(line.split()) <= 8 \
            and line.rstrip("*_ ")[-1:] not in ".!?;," and not seg.is_list_item

    def _slashed_lead_in(self, m: Mention, seg: _Segment, lead: _Segment) -> tuple[set[int], set[int]]:
        """"Prices per million tokens, input / output:" over "- Coder: $3.00 / $15.00": the k-th value of an
        item takes the k-th of the lead-in's slashed words. The tokens of its own word and of the others."""
        pair = _SLASHED.search(self.text, lead.start, lead.end)
        if not pair:
            return set(), set()
        parts = [(pair.start(g), pair.end(g)) for g in (1, 2, 3) if pair.group(g)]
        item_label = _LINE_LABEL.match(self.text, seg.start, seg.end)
        values_from = item_label.end() if item_label else seg.start
        values = self.text[values_from:seg.end].split("/")
        if len(values) != len(parts) or m.start < values_from:
            return set(), set()
        k = min(len(self.text[values_from:m.start].split("/")) - 1, len(parts) - 1)

        def toks(lo: int, hi: int) -> set[int]:
            return {i for i in range(lead.tok_start, lead.tok_end) if lo <= self.tok_starts[i] < hi}
        own = toks(*parts[k])
        other = set().union(*(toks(*p) for j, p in enumerate(parts) if j != k))
        return own, other

    def _lead_in(self, seg_i: int) -> _Segment | None:
        """The line a list item continues ("API pricing per million tokens:"), if the segment is an item."""
        if not self.segments[seg_i].is_list_item:
            return None
        j = seg_i - 1
        while j > 0 and self.segments[j].is_list_item:
            j -= 1
        return self.segments[j] if 0 <= j != seg_i else None

    def _tense(self, m: Mention, seg_i: int) -> str | None:
        """"goes to $17.49 on June 1", "the new prices:", "(from $15.49)": whether the sentence puts the figure
        in the past or the future of the article (a list item asks its lead-in)."""
        seg = self.segments[seg_i]
        before = self.text[max(seg.start, m.start - 40):m.start]
        if _PAST_BEFORE.search(before):
            return "past"
        if _FUTURE_BEFORE.search(before):
            return "future"
        if seg_i not in self._future_memo:
            lead = self._lead_in(seg_i)
            self._future_memo[seg_i] = bool(_FUTURE_ANYWHERE.search(self.text, seg.start, seg.end)) or (
                lead is not None and bool(_FUTURE_ANYWHERE.search(self.text, lead.start, lead.end)))
        return "future" if self._future_memo[seg_i] else None

    def _line_label(self, m: Mention, seg: _Segment) -> tuple[str | None, set[int]]:
        """The label of a "Label: values" line that names this figure, and the tokens of labels that name
        the line's other figures: in "Cores / threads: 24 / 32" each value takes its own name, in order."""
        line_label = _LINE_LABEL.match(self.text, seg.start, seg.end)
        if not line_label or m.start < line_label.end() or seg.heading_entity:
            return None, set()
        label = line_label.group(1)
        parts = label.split("/")
        values = self.text[line_label.end():seg.end].split("/")
        if len(parts) < 2 or len(parts) != len(values):
            return label, set()
        k = min(len(self.text[line_label.end():m.start].split("/")) - 1, len(parts) - 1)
        others: set[int] = set()
        offset = line_label.start(1)
        for j, part in enumerate(parts):
            if j != k:
                lo, hi = offset, offset + len(part)
                others |= {i for i in range(_tok_index(self.tok_starts, lo), _tok_index(self.tok_starts, hi - 1) + 1)
                           if lo <= self.tok_starts[i] < hi}
            offset += len(part) + 1
        return parts[k], others

    def _segment_cache(self, seg_i: int):
        """Per sentence, once: phrase concepts by token, running counts of clause breaks and contrasts (so
        "is there one between these two tokens" is a subtraction), and each token's parentheses."""
        cached = self._segment_info.get(seg_i)
        if cached is not None:
            return cached
        seg = self.segments[seg_i]
        phrase_of: dict[int, str] = {}
        for pm in PHRASES.finditer(self.text, seg.start, seg.end):
            concept = phrase_concept(pm.group())
            for i in range(_tok_index(self.tok_starts, pm.start()), _tok_index(self.tok_starts, pm.end() - 1) + 1):
                phrase_of[i] = concept
        breaks, contrasts = [0], [0]
        parens = []
        for i in range(seg.tok_start, seg.tok_end):
            t = self.tokens[i]
            breaks.append(breaks[-1] + bool(_CLAUSE_BREAK.match(t.text)))
            contrasts.append(contrasts[-1] + (t.lower_ in _CLAUSE_CONTRAST))
            parens.append(self._paren_depth_span(t.idx))
        cached = self._segment_info[seg_i] = (phrase_of, breaks, contrasts, parens)
        return cached

    def _attached_phrase(self, b: int, seg: _Segment) -> set[int]:
        """Tokens of a prepositional phrase opened right after a number ending at token `b`."""
        doc = self.doc
        out: set[int] = set()
        if b < seg.tok_end and doc[b].lower_ in ("on", "in", "at", "for", "of"):
            k = b + 1
            while k < seg.tok_end and not (doc[k].like_num or doc[k].pos_ == "CCONJ" or doc[k].text in ",;:()"):
                out.add(k)
                k += 1
        return out

    def _relative_head(self, b: int, seg: _Segment) -> set[int]:
        """"a compute budget it puts at nearly 8 million", "idle power, which Orrin put at 19W": the noun
        a relative clause holding the figure describes, with its modifiers."""
        tok = self.doc[b - 1]
        for _ in range(4):
            if tok.head.i == tok.i:
                return set()
            tok = tok.head
            if tok.dep_ == "relcl":
                noun = tok.head
                if not (seg.tok_start <= noun.i < seg.tok_end) or noun.pos_ not in ("NOUN", "PROPN"):
                    return set()
                return {noun.i} | {c.i for c in noun.children if c.dep_ in ("amod", "compound")}
            if tok.pos_ in ("VERB", "AUX"):
                return set()
        return set()

    def _measured_before(self, a: int, seg: _Segment) -> set[int]:
        """Tokens of the noun phrase in "a gross margin of 58.7%": what the figure after "of" measures."""
        doc = self.doc
        out: set[int] = set()
        if a - 2 >= seg.tok_start and doc[a - 1].lower_ == "of":
            k = a - 2
            while k >= seg.tok_start and len(out) < 5 and (doc[k].pos_ in ("NOUN", "PROPN", "ADJ")
                                                          or doc[k].text == "-"):
                out.add(k)
                k -= 1
        return out

    def _put_join(self, weights: dict[str, float], joined: str, x: int, y: int, a: int, b: int,
                  token_weight: dict[int, tuple[float, float]]) -> None:
        """A joined compound stands as near as its nearer part, and belongs to this number no more than
        its less attached part does ("2,950 single-core and 9,100 multi-core": single-core is the 2,950's)."""
        d = min(abs(a - x), abs(a - y), abs(x - b + 1), abs(y - b + 1))
        w = 1.0 / (1.0 + 0.07 * max(0, d - 1))
        parts = [token_weight[k] for k in (x, y) if k in token_weight]
        if parts:
            w = max(n for n, _ in parts) * min(share for _, share in parts)
        n = normalize(joined)
        if n and n not in STOPWORDS and w > weights.get(n, 0.0):
            weights[n] = round(w, 3)

    def _names_something(self, seg: _Segment, mention_toks: list[tuple[int, int]]) -> bool:
        """Whether a sentence has name-like words of its own (besides entities and numbers)."""
        key = seg.tok_start
        if key not in self._named_memo:
            ent_toks = {i for e in self._entities_between(seg.start, seg.end) for i in range(e.tok_start, e.tok_end)}
            named = []
            for i in range(seg.tok_start + 1, seg.tok_end):
                t = self.tokens[i]
                if i in ent_toks or t.is_punct or t.like_num:
                    continue
                if any(ch.isupper() for ch in t.text) or any(ch.isdigit() for ch in t.text):
                    named.append(i)
                    if len(named) > 2 * NEAR_FIGURES:
                        break       # enough to know; the figures' own words cannot cover them all
            self._named_memo[key] = named
        num_toks = {i for a, b in mention_toks for i in range(a, b)}
        return any(i not in num_toks for i in self._named_memo[key])

    def _subject_words(self, a: int, b: int, seg: _Segment) -> tuple[str, ...]:
        """Normalised nouns of the clause subject, without the names in it ("Quorra shares" -> ("share",))."""
        subjects = {i for i in self._clause_subjects(a, b) if seg.tok_start <= i < seg.tok_end}
        if not subjects:
            return ()
        lo, hi = self.doc[min(subjects)].idx, self.doc[max(subjects)].idx + 1
        near = self._entities_between(lo - 200, hi)
        # "Orrin's Halcyon 9 GPU promises ...": the noun right after a name is the name's class
        ent_toks = {i for e in near for i in range(e.tok_start, e.tok_end + 1)}
        # a possessor ("Orrin's", "the company's") owns what changed; it is not what changed
        owned = {t.i for i in subjects if self.doc[i].dep_ == "poss" for t in self.doc[i].subtree}
        words = [normalize(self.doc[i].text) for i in sorted(subjects - owned)
                 if self.doc[i].pos_ in ("NOUN", "PROPN") and i not in ent_toks and self.doc[i].is_alpha
                 and self.doc[i].lower_ not in _TIME_NOUNS]
        return tuple(dict.fromkeys(w for w in words if w and w not in STOPWORDS))

    def _subject_is_described(self, a: int, b: int) -> bool:
        """Whether the number's clause has a subject of its own words ("Revenue from the enterprise campus
        business fell 4%"), not a pronoun ("That is ... 88.7 percent") or a bare name."""
        subjects = self._clause_subjects(a, b)
        if not subjects:
            return False
        lo, hi = self.doc[min(subjects)].idx, self.doc[max(subjects)].idx + 1
        ent_toks = {i for e in self._entities_between(lo - 200, hi) for i in range(e.tok_start, e.tok_end)}
        return any(self.doc[i].pos_ == "NOUN" and i not in ent_toks for i in subjects)

    def _gap_is_paragraph(self, prev: _Segment, seg: _Segment) -> bool:
        return "\n" in self.text[prev.end:seg.start]

    def _paren_depth_span(self, char: int) -> tuple[int, int] | None:
        """The innermost parenthesis pair around a character, if any, within its line."""
        line_start = self.text.rfind("\n", 0, char) + 1
        open_at = self.text.rfind("(", line_start, char)
        if open_at < 0:
            return None
        close_before = self.text.find(")", open_at, char)
        if close_before >= 0:
            return None
        close = self.text.find(")", char)
        return (open_at, close if close >= 0 else len(self.text))

    def _antecedent(self, seg_i: int, head: str) -> list[tuple[str, float]]:
        doc = self.doc
        for j in range(seg_i - 1, max(-1, seg_i - 8), -1):
            prev = self.segments[j]
            toks = list(range(prev.tok_start, prev.tok_end))
            for i in reversed(toks):
                if normalize(doc[i].text) == head:
                    out = []
                    k = i - 1
                    while k >= prev.tok_start and i - k <= 4:
                        t = doc[k]
                        if t.is_punct and t.text != "-" or t.lower_ in STOPWORDS or t.like_num:
                            break
                        for form in words_of(t.text):
                            n = normalize(form)
                            if n and n not in STOPWORDS:
                                out.append((n, 0.9))
                        k -= 1
                    # joined compounds across tokens ("SWE-bench" split by the tokenizer)
                    span_text = doc[k + 1:i].text
                    for form in words_of(span_text):
                        n = normalize(form)
                        if n and n not in STOPWORDS:
                            out.append((n, 0.9))
                    if out:
                        return out
        return []

    def _document_periods(self) -> dict[str, str]:
        """The article's own reporting period: the quarter, half and fiscal year it names most, outside asides."""
        counts: dict[str, Counter] = {}
        first: dict[str, int] = {}
        for p in self.period_mentions:
            if p.kind in REPORTING and not self._paren_depth_span(p.start):
                counts.setdefault(p.kind, Counter())[p.token] += 1
                first.setdefault(p.token, p.start)
        self.article_periods = tuple(sorted((t, n) for c in counts.values() for t, n in c.items()))
        return {kind: max(c, key=lambda t: (c[t], -first[t])) for kind, c in counts.items()}

    def _periods(self, m: Mention, seg_i: int, figures: list[tuple[int, int]]
                 ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The periods a claim's own words name, and those it takes from the article.

        Periods inside the claim's parentheses come first ("$4.82 billion (Q3 FY2024: $4.23 billion)"),
        other parentheses are someone else's, and a list item takes its lead-in's ("Key figures for Q3:").
        A period before a sentence's first figure frames them all; one after a figure is the nearest
        figure's ("earned $1.52, compared with $1.18 in the same quarter of fiscal 2025").
        """
        seg = self.segments[seg_i]
        mine = self._paren_depth_span(m.start)
        lo = bisect.bisect_left(self.period_starts, seg.start)
        hi = bisect.bisect_left(self.period_starts, seg.end)
        here = self.period_mentions[lo:hi]
        inside = [p for p in here if mine and mine[0] <= p.start < mine[1]]
        outside = [p for group in _period_groups(self.text, [p for p in here if not self._paren_depth_span(p.start)])
                   if _nearest_figure(group, figures) in (None, (m.start, m.end)) for p in group]
        lead = self._lead_in(seg_i)
        if lead is not None:
            a = bisect.bisect_left(self.period_starts, lead.start)
            b = bisect.bisect_left(self.period_starts, lead.end)
            outside += [p for p in self.period_mentions[a:b] if not self._paren_depth_span(p.start)]
        cell = self._table_cell(m.start)
        if cell is not None and cell.header is not None:
            # "| Revenue | $6.17 billion | $7.66 billion |" under "| Metric | Q4 2023 | Q4 2024 |"
            a = bisect.bisect_left(self.period_starts, cell.header[0])
            b = bisect.bisect_left(self.period_starts, cell.header[1])
            inside = [*self.period_mentions[a:b], *inside]
        found: dict[str, str] = {}
        years: list[str] = []
        for p in inside + outside:
            if p.kind == "year":
                years.append(p.token)
            else:
                found.setdefault(p.kind, p.token)
        if ("quarter" in found or "half" in found) and "fiscal_year" not in found and years:
            found["fiscal_year"] = "fy" + years[0]   # "the third quarter of 2025"
        # "guided fourth-quarter revenue to ..., and raised its full-year forecast to $18.6 billion"
        annual = ANNUAL.search(self.text, max(seg.start, m.start - 60), m.start)
        if annual and not any(annual.end() <= p.start < m.start and p.kind in ("quarter", "half") for p in here):
            found.pop("quarter", None)
            found.pop("half", None)
            found["span"] = "annual"
        inherited: dict[str, str] = {}
        doc = self.doc_periods
        if "fiscal_year" not in found and "fiscal_year" in doc:
            inherited["fiscal_year"] = doc["fiscal_year"]
        if not found and not years:
            # a figure with no period of its own is for the period the article reports on; an explicit
            # year alone ("FY2025 revenue") is a full year and takes no quarter
            inherited.update({k: v for k, v in doc.items() if k != "fiscal_year"})
        explicit = tuple(dict.fromkeys([*found.values(), *years]))
        return explicit, tuple(inherited.values())

    # -- all together --------------------------------------------------------------------------------
    def build(self) -> tuple[Claim, ...]:
        mentions = [m for m in scan(self.text) if not self._inside_entity(m)]
        tok_spans = []
        for m in mentions:
            a = _tok_index(self.tok_starts, m.start)
            b = _tok_index(self.tok_starts, max(m.start, m.end - 1)) + 1
            tok_spans.append((a, b))
        named = frozenset(e.name for e in self.entities if e.known and not self._is_aside(e))
        span_starts = [a for a, _ in tok_spans]     # mentions come in text order
        claims = []
        for idx, m in enumerate(mentions):
            seg_i = self._seg_of(m.start)
            seg = self.segments[seg_i] if self.segments else None
            if seg is None:
                continue
            toks = tok_spans[idx]
            my_paren = self._paren_depth_span(m.start)
            lo, hi = bisect.bisect_left(span_starts, seg.tok_start), bisect.bisect_left(span_starts, seg.tok_end)
            lo, hi = max(lo, idx - NEAR_FIGURES), min(hi, idx + NEAR_FIGURES + 1)
            # a quarter or fiscal year names when, not another figure: it does not compete for words
            others = [tok_spans[k] for k in range(lo, hi) if k != idx
                      and self._paren_depth_span(mentions[k].start) in (None, my_paren)
                      and not _is_period(mentions[k])]
            # sizes, capacities and bands beside a figure say which variant it is ("the 46 mm version is
            # rated for 14 days", "$1,599 for 32GB/1TB", "11.5 Gbps on the 6 GHz band")
            labels = [tok_spans[k] for k in range(lo, hi) if k != idx and _is_label(mentions[k])
                      and mentions[k].quantity.unit != m.quantity.unit]
            q = m.quantity
            lead = self._lead_in(seg_i)
            if q.kind is Kind.MONEY and q.per is None and lead is not None:
                per = rate_in(self.text[lead.start:lead.end])   # "API pricing per million tokens:" then "- X: $4"
                if per is not None:
                    q = replace(q, per=per)
                    m = replace(m, quantity=q)
            nxt = mentions[idx + 1] if idx + 1 < len(mentions) else None
            if q.kind is Kind.MONEY and q.per is None and nxt is not None and nxt.quantity.per is not None and \
                    nxt.quantity.unit == q.unit and _JOINED_RATE.fullmatch(self.text[m.end:nxt.start]):
                # "from $10.99 to $12.99 a month", "$10 or $12 a month": the rate said once is both figures'
                q = replace(q, per=nxt.quantity.per)
                m = replace(m, quantity=q)
            if q.kind in (Kind.COUNT, Kind.NUMBER) and q.unit is None and not q.unit_words:
                noun = _counted_noun(self.doc, toks[1], seg)
                if not noun and _pair_side(self.text, m.start, m.end) and \
                        _PIXELS.search(self.text, max(seg.start, m.start - 40), min(seg.end, m.end + 40)):
                    noun = ("pixels",)      # "3,840 by 2,160 resolution": both sides count pixels
                if noun:
                    q = replace(q, unit_words=noun)
                    m = replace(m, quantity=q)
            figures = [(mentions[k].start, mentions[k].end) for k in range(lo, hi) if not _is_period(mentions[k])]
            periods, inherited_periods = self._periods(m, seg_i, figures)
            subject = self._subject_words(*toks, seg)
            following = [f for f in figures if f[0] >= m.end]
            stop = min([following[0][0] if following else seg.end, seg.end, m.end + 60])
            # "up 14% from a year earlier" names the base of a change, not the change's own period
            year_ago = not m.change and (bool(_YEAR_AGO_AFTER.match(self.text, m.end, stop)) or
                                         bool(_YEAR_AGO_BEFORE.search(self.text[max(seg.start, m.start - 30):m.start])))
            claims.append(Claim(
                mention=m,
                entities=self._entities_for(m, seg_i, toks, others),
                context=self._context(m, seg_i, toks, others, labels),
                sentence=self.text[seg.start:seg.end],
                sentence_start=seg.start,
                periods=periods,
                inherited_periods=inherited_periods,
                subject=subject,
                year_ago=year_ago,
                tense=self._tense(m, seg_i),
                article_periods=self.article_periods,
                head=_head_noun(self.doc, self.text, toks[1], seg),
                named=named,
            ))
        claims = resolve_dimensions(fill_from_sentence(claims, self.text), self.text)
        return tuple(resolve_respectively(
            claims, self.text, lambda start: self._names_something(self.segments[self._seg_of(start)], [])))

    def _entities_between(self, start: int, end: int) -> list[_EntitySpan]:
        """Entity mentions starting in [start, end) (entities are sorted by start)."""
        lo = bisect.bisect_left(self.entity_starts, start)
        hi = bisect.bisect_left(self.entity_starts, end)
        return self.entities[lo:hi]

    def _inside_entity(self, m: Mention) -> bool:
        """Whether the mention is part of a name: an entity, a product, or a measure's name ("USB 3.0")."""
        near = self._entities_between(m.start - 200, m.end)
        if any(e.start <= m.start < e.end or e.start < m.end <= e.end for e in near):
            return True
        i = bisect.bisect_right(self.measure_starts, m.start)
        return any(s.start_char <= m.start < s.end_char or s.start_char < m.end <= s.end_char
                   for s in self.measure_names[max(0, i - 2):i + 2])


class _TokenCache:
    """A Doc whose tokens and text are made once: `doc[i]` hands back the same Token each time (spaCy builds a
    new one per index, which dominates extraction time, and joins `text` from the tokens at every call);
    slices, sentences and the rest go to the Doc itself. Extraction reads the document only through it."""

    __slots__ = ("_doc", "_tokens", "text")

    def __init__(self, doc: Doc):
        self._doc = doc
        self._tokens = list(doc)
        self.text = doc.text

    def __getitem__(self, key):
        return self._tokens[key] if isinstance(key, int) else self._doc[key]

    def __len__(self) -> int:
        return len(self._tokens)

    def __iter__(self):
        return iter(self._tokens)

    def __getattr__(self, name):
        return getattr(self._doc, name)


def shift_claim(c: Claim, offset: int) -> Claim:
    """The same claim with its offsets moved by `offset` (a piece of a long text, placed in the whole)."""
    m = c.mention
    return replace(c, mention=replace(m, start=m.start + offset, end=m.end + offset),
                   sentence_start=c.sentence_start + offset)


def extract_claims(doc: Doc) -> tuple[Claim, ...]:
    """Every numeric claim in a parsed document, in document order."""
    cache = _TokenCache(doc)
    if not cache.text.strip():
        return ()
    return ClaimBuilder(cache).build()
