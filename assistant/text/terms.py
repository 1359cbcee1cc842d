"""Words that carry meaning: tokenising, stop words and stemming shared by BM25 and sentence scoring."""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,'’][A-Za-z0-9]+)*")
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each else ever few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves according said says
    say tell told many much did do does whether else besides anyone anything someone something
    article articles source sources
    """.split()
)
# Abbreviated months and weekdays read as the full word, so "Oct. 1" matches "October 1".
_SHORT_FORMS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "mon": "monday",
    "tue": "tuesday",
    "tues": "tuesday",
    "wed": "wednesday",
    "thu": "thursday",
    "thur": "thursday",
    "thurs": "thursday",
    "fri": "friday",
    "sat": "saturday",
    "sun": "sunday",
}


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of a lower-case word."""
    return str(_stemmer().stemWord(word))


# Phrasings news and questions use for the same act, read as one word ("took part" = "joined").
_SAME_ACT = [
    (re.compile(r"\b(?:took|take|takes|taking) part\b", re.I), "joined"),
    (re.compile(r"\bparticipat(?:e|es|ed|ing)\b", re.I), "joined"),
]


def words(text: str) -> list[str]:
    """Lower-case word tokens, numbers kept whole ("42,000", "u.s")."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_terms(text: str) -> list[str]:
    """Stemmed words without stop words, in order; numbers keep their digits only."""
    for pattern, replacement in _SAME_ACT:
        text = pattern.sub(replacement, text)
    out = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        if word[0].isdigit():
            out.append(word.replace(",", ""))
        else:
            word = word.replace("'s", "")
            out.append(stem(_SHORT_FORMS.get(word, word)))
    return out
