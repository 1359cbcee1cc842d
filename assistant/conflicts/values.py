"""What a changed stretch of a sentence holds: a name ("Paul McCartney", "Anchorage, Alaska"), a
figure ("1,243"), a date ("January 1, 1900"), a word describing what something is ("a drama film",
"played as a defender"), or none of these ("the county", "about 5,000")."""

from __future__ import annotations

import calendar
import string
from collections.abc import Sequence
from typing import Any

from assistant.conflicts.subjects import Word, key
from assistant.text.dates import dates_in
from assistant.text.numbers import QUALIFIERS
from assistant.text.terms import STOP_WORDS
from index.nlp import parse

NAME, NUMBER, DATE, WORD = "name", "number", "date", "word"
_MAX_VALUE = 6  # words in one value
_CONNECTORS = frozenset("of de da di du del der la le van von y and the al bin".split())
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    sixty seventy eighty ninety hundred thousand million billion dozen dozens""".split()
)
_QUALIFIER_WORDS = frozenset(w for phrase in QUALIFIERS for w in phrase.split())
_CALENDAR = frozenset(
    w.lower()
    for w in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr)
    if w
)
_STOP_KEYS = frozenset(key(w) for w in STOP_WORDS)
_DESCRIBING = frozenset({"NOUN", "ADJ", "PROPN"})
# A noun standing as what the sentence is about ("the company said", "the income for the city")
# names another participant, not another account of one: "the firm said", "for the county".
_PARTICIPANTS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})


def kind_of(text: str, tokens: Sequence[Word], i1: int, i2: int) -> str:
    """NAME, NUMBER, DATE or WORD when tokens[i1:i2] of a sentence of `text` are one such value,
    else ""."""
    block = [w for w in tokens[i1:i2] if w.text[0].isalnum()]
    if not block or len(block) > _MAX_VALUE or i1 == 0:
        return ""  # nothing before a sentence's first word tells a name from a capitalised word
    if {w.lower for w in block} & (_QUALIFIER_WORDS | _NUMBER_WORDS):
        return ""  # "about 5,000" and "five" are read, with their slack, by quantities.py
    digits = [w for w in block if w.text[0] in string.digits]
    dated = [d for d in dates_in(text, tokens[i1].start, tokens[i2 - 1].end) if d.year or d.month]
    if dated and all(any(d.start <= w.start < d.end for d in dated) for w in block):
        return DATE
    if len(digits) == len(block) and len(block) <= 2:
        return NUMBER
    names = block[1:] if block[0].lower == "the" and len(block) > 1 else block
    if len(block) == i2 - i1 and all(w.text.isalpha() and w.text.islower() for w in block):
        return WORD if _describes(text, tokens, block) else ""
    if digits or not names[0].text[0].isupper() or names[0].lower in STOP_WORDS:
        return ""
    # "British India" and "Independent India" name two things; the changed word is not the name
    after = tokens[i2] if i2 < len(tokens) else None
    if after and after.text[0].isupper() and after.lower not in STOP_WORDS:
        return ""
    return NAME if all(w.text[0].isupper() or w.lower in _CONNECTORS for w in names) else ""


def _describes(text: str, tokens: Sequence[Word], block: Sequence[Word]) -> bool:
    """True when the words are nouns and adjectives of their sentence, as spaCy tags them ("a
    defender", "romantic comedy"): a thing or a quality. Verbs are left out, as rewording changes
    them ("serves" for "is used") without changing the fact."""
    content = [w for w in block if w.lower not in STOP_WORDS]
    if not content or len(content) > 3:
        return False
    lo = tokens[0].start
    parsed = {t.idx + lo: t for t in parse(text[lo : tokens[-1].end])}
    return all(
        (t := parsed.get(w.start)) is not None and t.pos_ in _DESCRIBING and not _participant(t)
        for w in content
    )


def _participant(token: Any) -> bool:
    """True for a noun standing as what the sentence is about or acts on; the object of "as"
    ("played as a defender", "known as the red lantern") is a role, said of something else."""
    return token.dep_ in _PARTICIPANTS and not (token.dep_ == "pobj" and token.head.lower_ == "as")


def slot_keys(tokens: Sequence[Word]) -> frozenset[str]:
    """Keys of a value's words, connectors left out: "Jean de Florette" -> {"jean", "florett"}."""
    return frozenset(key(w.text) for w in tokens if w.text[0].isalnum() and w.lower not in _CONNECTORS)


def value_keys(tokens: Sequence[Word]) -> frozenset[str]:
    """Keys of the capitalised words and figures among the tokens."""
    return (
        frozenset(key(w.text) for w in tokens if w.text[0].isupper() or w.text[0] in string.digits)
        - _STOP_KEYS
    )


def has_name(tokens: Sequence[Word]) -> bool:
    """True when a capitalised word other than a month or weekday is among the tokens."""
    return any(w.text[0].isupper() and w.text.isalpha() and w.lower not in _CALENDAR for w in tokens)


def numbers_differ(a: str, b: str) -> bool:
    """Figures that differ beyond the way they are written ("1,234" is 1234)."""
    try:
        x, y = (float(v.replace(",", "").split()[0]) for v in (a, b))
    except ValueError:
        return False
    return x != y
