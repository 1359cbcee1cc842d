"""What a claim is about: the words around it, the names it involves, and the thing a relative or
definite phrase points back to ("the onslaught, which killed ..." -> the attack the sentence before
names). Two claims are only compared when their subjects match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conflicts.lexicon import EVENT_CLASSES
from assistant.text.terms import STOP_WORDS, stem
from index.dates import WEEKDAYS
from index.nlp import irregular_verbs

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")
BOUNDARIES = frozenset(";:—(")
_RELATIVES = frozenset(("which", "that", "who"))
_ANAPHORS = frozenset(("it", "they", "this", "these", "the", "that", "which", "its"))
_BACK, _AHEAD = 14, 6
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_KEYS = {m[:3]: stem(m) for m in _MONTHS} | {"sept": stem("september")}
_CALENDAR = frozenset(WEEKDAYS) | frozenset(_MONTHS) | frozenset(_MONTH_KEYS)


@dataclass(frozen=True)
class Word:
    """A token of a sentence with its offsets in the article text."""

    text: str
    lower: str
    start: int
    end: int


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """Tokens of text[start:end] with offsets into `text`."""
    hi = len(text) if end is None else end
    return [Word(m.group(), m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text, start, hi)]


def key(word: str) -> str:
    """A comparable stem: event nouns share a class ("onslaught" -> "attack"), "Oct." is October,
    and irregular verbs their base ("broke" -> "break", read from spaCy's lemma exceptions)."""
    lower = word.lower().replace("’", "'").removesuffix("'s").rstrip(".")
    return EVENT_CLASSES.get(lower) or _MONTH_KEYS.get(lower) or stem(irregular_verbs().get(lower, lower))


def content_keys(tokens: list[Word]) -> set[str]:
    """Keys of the content words among tokens."""
    return {key(w.text) for w in tokens if w.text[0].isalnum() and w.lower not in STOP_WORDS}


def entity_keys(tokens: list[Word], sentence_start: int) -> set[str]:
    """Keys of capitalised words other than the sentence's first (names, places); days and months
    are times, not names."""
    return {
        key(w.text)
        for w in tokens
        if w.text[0].isupper()
        and w.start != sentence_start
        and len(w.text) > 1
        and w.lower not in STOP_WORDS
        and w.lower.rstrip(".") not in _CALENDAR
    }


class Scope:
    """Finds the words a claim at some token of a sentence is about."""

    def __init__(self, toks: list[Word], sentence_start: int, prev_entities: set[str]) -> None:
        self.toks = toks
        self.sentence_start = sentence_start
        self.prev_entities = prev_entities
        self.sentence_entities = entity_keys(toks, sentence_start)

    def index(self, offset: int) -> int:
        """Index of the token holding the character offset."""
        return next((i for i, w in enumerate(self.toks) if w.end > offset), len(self.toks))

    def around(self, first: int, last: int) -> tuple[frozenset[str], frozenset[str]]:
        """(subject keys, entity keys) for the claim spanning tokens first..last."""
        back = self._back(first)
        ahead = self.toks[last + 1 : last + 1 + _AHEAD]
        ahead = ahead[: next((i for i, w in enumerate(ahead) if w.text in BOUNDARIES), len(ahead))]
        entities = entity_keys(back + ahead, self.sentence_start)
        if not entities:  # "No one was injured, the harbour master said": the story's names
            entities = self.sentence_entities | self.prev_entities
        elif not entity_keys(back, self.sentence_start) and any(w.lower in _ANAPHORS for w in back):
            entities |= self.prev_entities
        return frozenset(content_keys(back + ahead) | entities), frozenset(entities)

    def _back(self, first: int) -> list[Word]:
        window = self.toks[max(0, first - _BACK) : first]
        for i in range(len(window) - 1, -1, -1):
            if window[i].text in BOUNDARIES:
                return window[i + 1 :]
        # "the onslaught, which killed": the antecedent, not the main clause, did the killing
        near = range(len(window) - 1, max(-1, len(window) - 4), -1)
        rel = next((i for i in near if window[i].lower in _RELATIVES), -1)
        if rel >= 0:
            lo = rel - 1 if rel > 0 and window[rel - 1].text == "," else rel
            return window[max(0, lo - 4) : lo] + window[rel:]
        return window

    def holder(self, i: int) -> str:
        """Key of the nearest content word before token i in its clause: who won, what rose."""
        for w in reversed(self.toks[max(0, i - 6) : i]):
            if w.text in BOUNDARIES or w.text == ",":
                break
            if w.text.isalpha() and w.lower not in STOP_WORDS:
                return key(w.text)
        return ""
