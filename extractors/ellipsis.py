"""What a sentence leaves unsaid and its neighbours say: units, rates, nouns and subjects carried over.

Writers say "costs $0.60 per million input tokens, with cached input billed at $0.15", "a 256K window,
up from 128K", "Paxton lists at $3 and $15 respectively". A careful reader fills each gap from the figure it
parallels; these functions do the same, and only from figures in the same sentence (or, for
"respectively", the sentence before).
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Sequence

from .lexicon import normalize
from .model import Claim, ContextWord, EntityRef, Kind, Qualifier

# nouns that name the item rather than what was measured: "an 8GB model" is a model with 8GB of something
ITEM_NOUNS = {"model", "version", "variant", "configur", "option", "tier", "edit", "sku", "unit", "config"}
# "2.21 GHz base, up to 2.85 GHz boost": which end of a range is said by each number for itself
_BOUND_WORDS = {normalize("minimum"), normalize("maximum")}
_APPOSITIVE_GAP = re.compile(r"^\s*,\s*(?:an?|up|down)?\s*$")
_COORDINATED = re.compile(r"^(?:[ \t]*[A-Za-z][\w-]*){0,3}[ \t]*(?:,[ \t]*)?(?:and|or|,)[ \t]*$")
# "256K tokens, up from 128K", "$1.44, versus the $1.38 consensus", "32K tokens, half of Paxton's 64K"
_BASELINE_GAP = re.compile(r"^(?:(?:[ \t]+[a-z][\w-]*){1,4}[ \t]*(?=,))?[ \t]*,?[ \t]*(?:(?:up|down)[ \t]+from|from|compared[ \t]+(?:with|to)|versus|"
                           r"vs\.?|against|(?:about |roughly |nearly )?(?:half|twice|double|triple|"
                           r"a third|a quarter)(?:[ \t]+(?:of|that of))?)[ \t]*(?:the|an?)?[ \t]*"
                           r"(?:[A-Z][\w.-]*(?:[ \t]+[A-Z0-9][\w.-]*){0,3}['’]s?[ \t]*)?$")
_COMPARED_BEFORE = re.compile(
    r"\b(?:short of|behind|ahead of|trails?|trailing|compared (?:with|to)|versus|vs\.?|against|than|"
    r"(?:up|down) from|beats?|beating)[ \t]+(?:the[ \t]+|its[ \t]+)?"
    r"(?:[A-Z][\w.-]*(?:[ \t]+[A-Z0-9][\w.-]*){0,3}(?:['’]s)?[ \t]+)?(?:at[ \t]+|with[ \t]+)?$")
_FROM_GAP = re.compile(r"^[ \t]*,?[ \t]*(?:(?:up|down)[ \t]+)?from[ \t]*$")
_RANGE_GAP = re.compile(r"^[ \t]*(?:and|to|-|–)[ \t]*$")
_RANGE_OPEN = re.compile(r"\b(?:between|from|ranges? from|ranging from)[ \t]+(?:about|roughly|around|some)?[ \t]*$",
                         re.IGNORECASE)
_LOW, _HIGH, _PREVIOUS, _PRICE = normalize("minimum"), normalize("maximum"), normalize("previous"), normalize("price")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def _with_words(c: Claim, words: dict[str, float]) -> Claim:
    ctx = {w.norm: w.weight for w in c.context}
    for word, weight in words.items():
        if weight > ctx.get(word, 0.0):
            ctx[word] = round(weight, 3)
    return replace(c, context=tuple(ContextWord(k, v) for k, v in sorted(ctx.items(), key=lambda kv: -kv[1])))


def _currency(q) -> str:
    return (q.unit or "").split("/")[0]


def _same_measure(a: Claim, b: Claim) -> bool:
    """Whether two figures can be the same measure of two things: the same kind, or a bare score beside
    a percentage ("58.2 percent ... Corvid-5 at 61.0")."""
    ka, kb = a.quantity.kind, b.quantity.kind
    if ka is kb:
        return a.quantity.unit == b.quantity.unit or ka in (Kind.COUNT, Kind.NUMBER)
    return {ka, kb} <= {Kind.PERCENT, Kind.NUMBER, Kind.COUNT} and (_bare_count(a) or _bare_count(b))


def _ratio_word(c: Claim) -> bool:
    """"half", "twice": a comparison written in words, not a figure of its own kind."""
    return c.quantity.kind in (Kind.MULTIPLIER, Kind.FRACTION) and not any(ch.isdigit() for ch in c.text)


def _bare_count(c: Claim) -> bool:
    q = c.quantity
    return q.kind in (Kind.COUNT, Kind.NUMBER) and q.unit is None and not q.unit_words


def _same_scale(a: Claim, b: Claim) -> bool:
    va, vb = a.quantity.value, b.quantity.value
    return isinstance(va, float) and isinstance(vb, float) and va > 0 and vb > 0 and 1 / 100 <= va / vb <= 100


_SCALED = re.compile(r"(?:thousand|million|billion|trillion)$", re.IGNORECASE)


def _same_sentence(done: list[Claim], start: int) -> list[Claim]:
    """The claims already done in the sentence starting at `start`, nearest first (claims come in text order,
    so they are the tail of `done`)."""
    out = []
    for p in reversed(done):
        if p.sentence_start != start or len(out) >= 12:     # a figure borrows from its near neighbours only
            break
        out.append(p)
    return out


def fill_from_sentence(claims: Sequence[Claim], text: str) -> list[Claim]:
    """Fill each claim's unsaid noun, count unit or rate from the sentence's previous figure of its kind."""
    out: list[Claim] = []
    for c in claims:
        same_sentence = _same_sentence(out, c.sentence_start)
        q = c.quantity
        if q.unit and q.kind is not Kind.MONEY and (not c.head or set(c.head) <= ITEM_NOUNS):
            # "It has up to 8GB of RAM, and entry-level models come with 4GB": the 4GB is RAM too
            for prev in same_sentence:
                borrowed = tuple(w for w in prev.head if w not in _BOUND_WORDS)
                if prev.quantity.unit == q.unit and borrowed:
                    c = replace(_with_words(c, {w: 0.85 for w in borrowed}), head=borrowed)
                    break
        elif _bare_count(c) and (q.binary_scale or _SCALED.search(c.text)):
            # "a context window of 256K tokens, up from 128K", "9 billion parameters and Medium 34 billion":
            # counted in the same thing
            for prev in same_sentence:
                pq = prev.quantity
                if pq.kind in (Kind.COUNT, Kind.NUMBER) and pq.unit_words and pq.binary_scale == q.binary_scale \
                        and _same_scale(c, prev):
                    c = replace(c, mention=replace(c.mention, quantity=replace(q, unit_words=pq.unit_words)))
                    break
        elif q.kind is Kind.MONEY and q.per is None:
            # "$0.60 per million input tokens ..., with cached input billed at $0.15": the same rate
            for prev in same_sentence:
                pq = prev.quantity
                if pq.kind is Kind.MONEY and _currency(pq) == _currency(q):
                    if pq.per is not None and _same_scale(c, prev):
                        c = replace(c, mention=replace(c.mention, quantity=replace(q, per=pq.per)))
                    break
        if q.kind is Kind.MONEY:
            # "the 512GB model costs £499 and the 1TB version £629": what the first amount was, the next is
            prev_money = next((p for p in same_sentence if p.quantity.kind is Kind.MONEY), None)
            if prev_money is not None and _same_scale(c, prev_money):
                price = {w.norm: w.weight for w in prev_money.context}.get(_PRICE, 0.0)
                if price >= 0.8:
                    c = _with_words(c, {_PRICE: 0.8})
        same = _same_sentence(out, c.sentence_start)
        prev = same[0] if same else None
        # the scanner's range ends ("8W to 17W", "5 through 10"), or "between"/"from" one figure and another
        joined = q.range_end == "high" and prev is not None and prev.quantity.range_end == "low"
        if joined or prev is not None and _RANGE_GAP.match(text[prev.end:c.start]) \
                and _RANGE_OPEN.search(text[max(0, prev.start - 30):prev.start]):
            # "between $5.0 billion and $5.2 billion", "from 2,700K to 6,500K": the low end, then the high
            if _bare_count(prev) and c.quantity.unit:
                prev = replace(prev, mention=replace(prev.mention, quantity=replace(   # "between 2.5 and 9 hours"
                    prev.quantity, unit=c.quantity.unit, kind=c.quantity.kind)))
            out[-1] = prev = _with_words(prev, {_LOW: 0.9})
            c = _with_words(c, {_HIGH: 0.9})
        if prev is not None and q.qualifier is Qualifier.EXACT \
                and prev.quantity.qualifier in (Qualifier.APPROX, Qualifier.NEARLY) \
                and _COORDINATED.match(text[prev.end:c.start]):
            # "about 2,950 single-core and 9,100 multi-core": the hedge covers both
            c = replace(c, mention=replace(c.mention, quantity=replace(c.quantity, qualifier=prev.quantity.qualifier)))
        # the figure a comparison points back to, past a ratio word of its own ("half of Paxton's 64K")
        anchor = next((p for p in same if not _ratio_word(p)), None)
        gap = text[anchor.end:c.start] if anchor is not None else ""
        if anchor is not None and (
                (c.mention.change and not anchor.mention.change and _APPOSITIVE_GAP.match(gap))
                or (c.mention.change == anchor.mention.change and _BASELINE_GAP.match(gap))):
            # "brought in $2.91 billion, a 31% increase": the growth of whatever the $2.91 billion measured;
            # "256K tokens, up from 128K", "raised to $18.6 billion from $18.1 billion": the same measure before
            c = _with_words(c, {w.norm: w.weight * 0.95 for w in anchor.context if w.weight >= 0.6})
            if _FROM_GAP.match(gap):
                c = _with_words(c, {_PREVIOUS: 0.85})
        elif _COMPARED_BEFORE.search(text[max(0, c.start - 60):c.start]):
            # "ahead of Corvid-5's 68.9 percent", "still short of Corvid-5 at 61.0", "well up from the 64.0
            # percent Saffron 2.5 Max managed": another thing's figure for the measure just given
            level = next((p for p in same if not _ratio_word(p) and p.mention.change == c.mention.change
                          and _same_measure(p, c)), None)
            if level is not None:
                c = _with_words(c, {w.norm: w.weight * 0.9 for w in level.context if w.weight >= 0.6})
                if level.quantity.kind is Kind.PERCENT and _bare_count(c):
                    c = replace(c, mention=replace(c.mention, quantity=replace(
                        c.quantity, unit="%", kind=Kind.PERCENT)))
        out.append(c)
    return out


_BY = re.compile(r"^[ \t]*[x×*][ \t]*$")
_LENGTHS = {"mm", "cm", "m", "inch"}
# "156 x 129 x 7.8mm" is height by width by depth; "85 x 56mm" length by width
_DIMENSION_WORDS = {3: (("height", "length", "tall"), ("width",), ("thick", "depth")),
                    2: (("length", "height"), ("width",))}
# "runs at 1,920 x 1,200": a resolution, across then down
_RESOLUTION_WORDS = (("horizontal", "width"), ("vertical", "height"))


def resolve_dimensions(claims: Sequence[Claim], text: str) -> list[Claim]:
    """"Dimensions: 156 x 129 x 7.8mm": the bare figures take the last one's unit, and each its place's name."""
    out = list(claims)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and out[j + 1].sentence_start == out[i].sentence_start \
                and _BY.match(text[out[j].end:out[j + 1].start]):
            j += 1
        run = out[i:j + 1]
        last = run[-1].quantity
        if len(run) == 2 and all(_bare_count(c) and isinstance(c.quantity.value, float) and c.quantity.value >= 100
                                 for c in run):
            for k, c in enumerate(run):
                out[i + k] = _with_words(c, {normalize(w): 0.85 for w in _RESOLUTION_WORDS[k]})
        elif len(run) in _DIMENSION_WORDS and last.unit in _LENGTHS and all(_bare_count(c) for c in run[:-1]):
            for k, c in enumerate(run):
                if k < len(run) - 1:
                    c = replace(c, mention=replace(c.mention, quantity=replace(
                        c.quantity, unit=last.unit, kind=last.kind)))
                out[i + k] = _with_words(c, {normalize(w): 0.85 for w in _DIMENSION_WORDS[len(run)][k]})
        i = j + 1
    return out


_COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")


def _coordinated(group_end: int, members: list[int], claims: list[Claim], text: str) -> list[int]:
    """The run of figures joined by "and" or commas that ends with `members[group_end]`."""
    run = [members[group_end]]
    k = group_end
    while k > 0 and _COORDINATION.match(text[claims[members[k - 1]].end:claims[members[k]].start]):
        k -= 1
        run.insert(0, members[k])
    return run


def _capped(c: Claim, caps: dict[str, float]) -> Claim:
    """`c` with the given context words held to at most the given weights."""
    return replace(c, context=tuple(ContextWord(w.norm, min(w.weight, caps[w.norm])) if w.norm in caps else w
                                    for w in c.context))


def resolve_respectively(claims: Sequence[Claim], text: str, names_something: Callable[[int], bool]) -> list[Claim]:
    """"Paxton-2 Ultra lists at $3 and $15 respectively": each figure takes, in order, what its parallel
    figure said and its own sentence does not — its rate or counted noun, its entity when this sentence
    names none, and its words unless this sentence names a thing of its own ("In Port Royal the results
    were 26,400 and 19,900 respectively" keeps Port Royal, takes the cards).

    The parallel figures are, first, labels listed just before in the same sentence ("the 2TB and 4TB
    models ... 13,400MB/s and 13,900MB/s respectively"), then the sentence's earlier figures of the kind
    ("256K tokens ... and 32K tokens ..., up from 128K and 8K respectively"), then the previous sentence's.
    `names_something(sentence_start)` tells whether that sentence has name-like words besides entities.
    """
    out = list(claims)
    sentences: dict[int, list[int]] = {}
    for i, c in enumerate(out):
        sentences.setdefault(c.sentence_start, []).append(i)
    starts = sorted(sentences)
    for n, start in enumerate(starts):
        found = _RESPECTIVELY.search(out[sentences[start][0]].sentence)
        if not found:
            continue
        members = sentences[start]
        before = [k for k, i in enumerate(members) if out[i].end <= start + found.start()]
        if not before:
            continue
        mine = _coordinated(before[-1], members, out, text)
        last = out[mine[-1]]
        mine = [i for i in mine if _same_measure(out[i], last)]
        if len(mine) < 2:
            continue
        earlier = [i for i in members if out[i].end <= out[mine[0]].start]
        labels = next((group for k in range(len(earlier) - 1, -1, -1)
                       if len(group := _coordinated(k, earlier, out, text)) == len(mine)), [])
        same_kind = [i for i in earlier if _same_measure(out[i], last)]
        if len(labels) == len(mine) and not _same_measure(out[labels[0]], last):
            names = [normalize(re.sub(r"\s+", "", out[label].text).lower()) for label in labels]
            for i, own in zip(mine, names):
                # its own label, and not the labels the other figures take
                others = {n: 0.0 for n in names if n != own}
                out[i] = _capped(_with_words(out[i], {own: 0.9}), others)
            continue
        if len(same_kind) >= len(mine):
            parallel = [out[i] for i in same_kind[-len(mine):]]
            origin = "respectively, from earlier in the sentence"
        elif n and len(prev := [out[i] for i in sentences[starts[n - 1]] if _same_measure(out[i], last)]) >= len(mine):
            parallel = prev
            origin = "respectively, from the sentence before"
        else:
            continue
        own_entity = any(e.local and e.known for i in mine for e in out[i].entities)
        own_names = names_something(start)
        for i, p in zip(mine, parallel):
            c = out[i]
            q, pq = c.quantity, p.quantity
            if q.per is None and pq.per is not None:
                q = replace(q, per=pq.per)
            if not q.unit_words and pq.unit_words and q.unit is None:
                q = replace(q, unit_words=pq.unit_words)
            c = replace(c, mention=replace(c.mention, quantity=q))
            if not own_entity and p.entity is not None:
                ref = p.entity
                c = replace(c, entities=(EntityRef(ref.name, ref.known, min(ref.weight, 0.9), origin, False),))
            if not own_names or origin.endswith("sentence"):
                c = _with_words(c, {w.norm: 0.75 for w in p.context if w.weight >= 0.85})
            out[i] = c
    return out
