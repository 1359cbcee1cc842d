"""What a changed stretch of a sentence holds: a name ("Paul McCartney", "Anchorage, Alaska"), a
figure ("1,243") or a date ("January 1, 1900"), or none of these ("the county", "about 5,000")."""

from __future__ import annotations

import calendar
import string
from collections.abc import Sequence

from assistant.conflicts.subjects import Word, key
from assistant.text.dates import dates_in
from assistant.text.numbers import QUALIFIERS
from assistant.text.terms import STOP_WORDS

NAME, NUMBER, DATE = "name", "number", "date"
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


def kind_of(text: str, tokens: Sequence[Word], i1: int, i2: int) -> str:
    """NAME, NUMBER or DATE when tokens[i1:i2] of a sentence of `text` are one such value, else ""."""
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
    if digits or not names[0].text[0].isupper() or names[0].lower in STOP_WORDS:
        return ""
    # "British India" and "Independent India" name two things; the changed word is not the name
    after = tokens[i2] if i2 < len(tokens) else None
    if after and after.text[0].isupper() and after.lower not in STOP_WORDS:
        return ""
    return NAME if all(w.text[0].isupper() or w.lower in _CONNECTORS for w in names) else ""


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
