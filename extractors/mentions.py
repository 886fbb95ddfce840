"""Names of products and companies as the text writes them, whether or not the database knows them.

A name is found by a product-name grammar (a brand or family word, a model number or version, variant words
and sizes: "Qwen2.5-72B-Instruct", "Core i7-14700K", "NVIDIA H100 SXM", "o3-mini") or by the parser's
entity recogniser (organisations and products). It resolves to an entity on file only when its name or an
alias matches after normalisation (case, hyphens, spaces, a dated snapshot suffix): "GPT-4o mini" never
resolves to GPT-4o, and a name that resolves to nothing is an entity of its own, not on file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from spacy.tokens import Doc, Span

from .lexicon import COMMON_ABBREVIATIONS, versioned

# a word that can begin or continue a name: capitalised, an acronym, or camel-cased ("DeepSeek", "NVIDIA")
_NAME = re.compile(r"^(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]?|[a-z][A-Z][A-Za-z]+|[A-Z][a-z]*[A-Z][A-Za-z]*)$")
# a model number or version: "3.5", "4o", "H100", "MI300X", "9950X", "i7", "R1", "72B"
_CODE = re.compile(r"^(?:[vV]?\d{1,5}(?:\.\d{1,2})*[a-zA-Z]{0,3}|[A-Za-z]{1,4}\d{1,5}(?:\.\d{1,2})?[A-Za-z]{0,3}|"
                   r"[A-Za-z][A-Za-z]{0,9}(?:-[A-Za-z0-9.]{1,8})+)$")     # "GPT-4o", "Llama-3.1" kept whole
# tokens that carry digits but name a period, a resolution, a standard's generation or a size, not a model
_NOT_CODE = re.compile(r"^(?:[QH][1-4]|F[YQ]\d{1,4}|\d{1,2}[KkG]|\d{3,4}[pi]|\d+D|\d+(?:st|nd|rd|th)|(?:19|20)\d{2}s?|"
                       r"[\d.]+(?:[KMGTP]i?B|[KMGT]?Hz|[KMG]?W|mAh|nm|mm|fps|ms|[GM]T/s|GB/s|%)|\d{1,2}(?:\.\d+)?[xX])$")
SUFFIXES = frozenset("""
Pro Max Ultra Mini mini Nano nano Plus Turbo Sonnet Opus Haiku Flash Lite lite Air Instruct instruct Chat Base
Preview preview Super Ti XT XTX GRE SE Edge Fold Flip Thinking Omni Vision Coder Exp Experimental Studio Neo Prime
Fast Reasoning High Low Medium Large Small Medium Tiny Mega OLED SXM PCIe Duo Elite
""".split())
_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMKT]$")
NOT_NAMES = frozenset("""
The A An In On At Of For To By From With Over Under About Around Nearly Almost Only Just Up Since Until Before
After During Between And Or But If When While Than Maximum Minimum Total Input Output Training Top Step Page
Level Tier Chapter Section Figure Table Fig Part Day Week Year Month Q FY H Rank Number No Version Gen
January February March April May June July August September October November December Jan Feb Mar Apr Jun
Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Key Price Score Cost
Here There This That These Those It Its Our We You They He She I Every Each All Some Most Many Both
Random Sequential Average Peak Typical Up Down Revenue Revenues Sales Net Income Earnings Growth Model Models
KB MB GB TB PB KiB MiB GiB TiB Hz KHz MHz GHz THz W kW TDP TBP USD EUR GBP MP FPS fps
""".split())
# "PCIe 4.0", "USB 3.2", "Wi-Fi 7": a standard is what something supports, never the thing a passage is about
STANDARDS = frozenset("""PCIe PCI USB HDMI DisplayPort Wi-Fi WiFi Bluetooth Thunderbolt NVMe SATA Ethernet LTE DDR DDR4
DDR5 LPDDR4 LPDDR4X LPDDR5 LPDDR5X GDDR6 GDDR6X GDDR7 HBM HBM2 HBM2e HBM3 HBM3E UFS Apache CUDA ROCm""".split())
_UNITISH = re.compile(r"^(?:-|%|x|X|×|percent|times|GB|MB|TB|KB|GiB|MiB|GHz|MHz|Hz|W|nm|mm|bit|bits|fps|nits|mAh|"
                      r"years?|months?|days?|hours?|minutes?|seconds?|people|users|million|billion|thousand|"
                      r"trillion|tokens?|parameters?|cores?|threads?|%)$")
_SNAPSHOT = re.compile(r"[-_ ]?(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{2}-\d{2})$")
_SEP = re.compile(r"[\s\-_]+")


def name_key(text: str) -> str:
    """A name as compared: case, spacing, hyphens and trademark signs aside ("Qwen 2.5-72B" = "qwen2.572b")."""
    return _SEP.sub("", text.replace("™", "").replace("®", "").casefold()).rstrip(".,;:")


_STANDARD_KEYS = ()


def name_keys(text: str) -> list[str]:
    """The keys a written name may resolve by: itself, and without a dated snapshot suffix
    ("gpt-4o-2024-08-06" is a snapshot of GPT-4o)."""
    keys = [name_key(text)]
    bare = _SNAPSHOT.sub("", text.strip())
    if bare != text.strip() and re.search(r"[A-Za-z]", bare):
        keys.append(name_key(bare))
    return keys


def index_names(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Every (surface, canonical) pair's key -> canonical name; a name also answers to itself without its
    leading brand words when no other name shares what is left and that still holds a model number
    ("Ryzen 9 9950X" and "9950X" for "AMD Ryzen 9 9950X")."""
    out: dict[str, str] = {}
    for surface, canonical in names:
        out.setdefault(name_key(surface), canonical)
    shorter: dict[str, set[str]] = {}
    for surface, canonical in names:
        words = surface.split()
        for k in range(1, len(words)):
            rest = words[k:]
            if any(ch.isdigit() for ch in rest[0]) and any(ch.isalpha() for w in rest for ch in w) or \
                    (len(rest) >= 2 and any(ch.isdigit() for w in rest for ch in w)):
                shorter.setdefault(name_key(" ".join(rest)), set()).add(canonical)
    for key, owners in shorter.items():
        if len(owners) == 1 and key not in out:
            out[key] = next(iter(owners))
    return out


def resolve(text: str, index: dict[str, str]) -> str | None:
    """The entity on file a written name is, or None."""
    return next((index[k] for k in name_keys(text) if k in index), None)


def _codeish(t) -> bool:
    text = t.text.rstrip(".")     # "285K." at a sentence's end is one token
    return bool(_CODE.match(text)) and not _NOT_CODE.match(text) and any(ch.isdigit() for ch in text)


def _starts(t) -> bool:
    if t.text in NOT_NAMES or t.text in STANDARDS:
        return False
    if _NAME.match(t.text):
        return True
    # "Qwen2.5", "o3", "H100": a word that begins with letters and holds a version ("14B", "30W" are figures)
    return _codeish(t) and t.text[:1].isalpha()


def _continues(t, prev) -> bool:
    text = t.text
    if text == "Gen" and prev.text.isdigit():
        return True     # "Snapdragon 8 Gen 3"
    if text in NOT_NAMES or text in STANDARDS and not prev.text[-1:].isdigit() \
            or text.casefold() in COMMON_ABBREVIATIONS and text not in SUFFIXES:
        return False    # "the Kestrel Board 2 API" is the board's API, not a product of its own; "16 Pro Max" is a name
    split_code = not t.whitespace_ and t.i + 1 < len(t.doc) and t.doc[t.i + 1].text in ("K", "X", "F", "KF", "KS")
    if re.fullmatch(r"[\d.]+", text) and not (_NAME.match(prev.text) or prev.text in SUFFIXES or prev.text == "Gen"
                                              or split_code):
        return False    # one version number after a name word: "Ryzen 9", not "SMs 56 50 80"
    return bool(_NAME.match(text) or _codeish(t) or text in SUFFIXES or _SIZE.match(text))


def product_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token spans of versioned product names: name words joined by spaces or hyphens, holding a model number
    or version, with variant words and sizes ("Gemini 1.5 Flash", "DeepSeek-R1", "Core i7-14700K")."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        if not _starts(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            prev, t = doc[j - 1], doc[j]
            # after a model number only variant words, sizes and codes go on: "BCM2712 Arm Cortex-A76" is two
            if any(ch.isdigit() for k in range(i, j) for ch in doc[k].text) and _NAME.match(t.text) \
                    and t.text not in SUFFIXES and not _codeish(t):
                break
            if t.text == " " and j + 1 < n and prev.whitespace_ == " " and _continues(doc[j + 1], prev):
                j += 2          # a doubled space where a trademark sign stood ("Ryzen™ 9")
            elif prev.whitespace_ == " " and _continues(t, prev) and t.text[:1] != "-":
                j += 1
            elif not prev.whitespace_ and t.text == "-" and j + 1 < n and not t.whitespace_ \
                    and (_continues(doc[j + 1], doc[j + 1]) or doc[j + 1].text.isdigit()):
                j += 2
            elif not prev.whitespace_ and prev.text[-1:].isdigit() and t.text in ("K", "X", "F", "KF", "KS"):
                j += 1          # "14700" "K" split by the tokenizer
            else:
                break
        # a trailing number with a unit after it is a figure, not part of the name ("Pi 5 8 GB")
        while j - 1 > i and re.fullmatch(r"\d+(?:\.\d+)?", doc[j - 1].text) and j < n and _UNITISH.match(doc[j].text):
            j -= 1
        # "Rival Kestrel 5 Mini": a sentence's capitalised first word that the tagger reads as an adjective,
        # adverb or common noun describes the name; it is no part of it
        if j - i > 2 and doc[i].is_sent_start and doc[i].pos_ in ("ADJ", "ADV", "NOUN", "VERB", "DET") \
                and doc[i].text.isalpha() and _starts(doc[i + 1]) and not doc[i + 1].text[:1].isdigit():
            i += 1
        # "Cores/Threads 24": a common plural noun and a figure are a table's label and its value, not a name
        if j - i == 2 and doc[i].tag_ == "NNS" and doc[i + 1].like_num:
            i = j
            continue
        span = doc[i:j]
        year_only = re.fullmatch(r"(?:19|20)\d{2}", doc[j - 1].text) is not None and j - i == 2
        if versioned(span.text) and not year_only and not re.fullmatch(r"[\d.,]+", span.text):
            out.append((i, j))
        i = j
    return out


def organisation_spans(doc: Doc, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans the parser's recogniser calls organisations or products, outside the names found already
    (a period such as "Q4" that it reads as one aside)."""
    taken = {k for s, e in known for k in range(s, e)}
    return [(e.start, e.end) for e in doc.ents if e.label_ in ("ORG", "PRODUCT")
            and not any(k in taken for k in range(e.start, e.end)) and e.text[:1].isupper()
            and e.text not in NOT_NAMES and not _NOT_CODE.match(e.text)
            and not (e.start and doc[e.start - 1].like_num and not doc[e.start - 1].whitespace_)]


def mark_names(doc: Doc, index: dict[str, str], measures: frozenset[str] = frozenset()) -> list[Span]:
    """Spans for every product and company name: label "KNOWN" (kb_id = the entity on file), "PRODUCT" or
    "ORG" for names not on file, and "MEASURE" for names the database measures by ("Geekbench 6", "AIME
    2024") or standards ("PCIe 4.0"), which are no entity and hold no figure."""
    spans: list[Span] = []
    found = product_spans(doc)
    products = set(found)
    measure_keys = _keys_of(measures)
    for s, e in found + organisation_spans(doc, found):
        origin = "PRODUCT" if (s, e) in products else "ORG"
        span = doc[s:e]
        text = span.text
        words = {w.casefold() for w in re.findall(r"[\w.+-]+", text)}
        key = name_key(text)
        standard = any(key.startswith(w) for w in _STANDARD_KEYS)
        if text.casefold() in measures or name_key(text) in measure_keys or standard \
                or (words and words <= measures):
            spans.append(Span(doc, s, e, label="MEASURE"))
            continue
        canonical = resolve(text, index)
        # a size after a name not on file is a figure ("Mistral Large 2 123B"), unless the name needs it; one
        # joined to it by a hyphen is the name's own ("Qwen2-7B")
        while not canonical and e - s > 1 and _SIZE.match(doc[e - 1].text.rstrip(".")) and doc[e - 2].whitespace_:
            e -= 1
            canonical = resolve(doc[s:e].text, index)
        if not canonical:
            canonical = _without_maker(doc, s, e, index)
        label = "KNOWN" if canonical else origin
        spans.append(Span(doc, s, e, label=label, kb_id=canonical or ""))
    return spans


def _without_maker(doc: Doc, s: int, e: int, index: dict[str, str]) -> str | None:
    """The entity on file a name is without its leading maker or brand words ("Meta Llama 3.2" is Llama 3.2,
    "Apple M4 Pro" the M4 Pro): what is left must begin with a word and still hold its model number."""
    for k in range(s + 1, e):
        if any(ch.isdigit() for ch in doc[k - 1].text):
            return None     # a model number before it belongs to the name: "Llama 3 8B" is not an 8B
        rest = doc[k:e]
        if rest[0].text[:1].isalpha() and versioned(rest.text):
            canonical = resolve(rest.text, index)
            if canonical:
                return canonical
    return None


@lru_cache(maxsize=4)
def _keys_of(measures: frozenset[str]) -> frozenset[str]:
    """The name keys of the database's measure phrases, made once per set of them, not once per document."""
    return frozenset(name_key(m) for m in measures)


_STANDARD_KEYS = tuple(name_key(w) for w in STANDARDS if len(w) > 2)
