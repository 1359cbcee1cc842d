"""Sentence boundaries with character offsets, for news prose.

A regular-expression splitter rather than a statistical one: it is about a hundred times faster than
pysbd on news text, needs no downloaded data, and handles what news writing throws at it (initials
such as "U.S.", titles such as "Sen.", month abbreviations such as "Oct. 1", closing quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt insp jan
    feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun no nos
    vs etc inc corp co ltd bros dept est approx fig al ave blvd rd mt ft
    """.split()
)
_LOWER_CASE_ABBREVIATIONS = frozenset(["vs", "etc", "approx", "al", "fig", "est", "ft"])
# A sentence ends at . ! or ? (plus closing quotes or brackets) followed by space and a capital,
# a digit or an opening quote. Candidates are then vetted against abbreviations and initials.
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.\-]*)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text, 0, dot)
    if not match:
        return False
    word = match.group(1)
    # Titles, months and weekdays are capitalised; in lower case "no", "sat", "sun" are words.
    if word.lower() in _ABBREVIATIONS and (word[0].isupper() or word in _LOWER_CASE_ABBREVIATIONS):
        return True
    # Initials and dotted acronyms: "J.", "U.S", "R-S.C"
    last = re.split(r"[-.]", word)[-1]
    return len(last) == 1 and last.isupper()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence in text[start:end], whitespace trimmed; lines never merge."""
    end = len(text) if end is None else end
    for line in re.finditer(r"[^\n]+", text[start:end]):
        yield from _line_spans(text, start + line.start(), start + line.end())


def _line_spans(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    begin = lo
    for match in _BOUNDARY.finditer(text, lo, hi):
        if _is_abbreviation(text, match.start()):
            continue
        yield from _trimmed(text, begin, match.end())
        begin = match.end()
    yield from _trimmed(text, begin, hi)


def _trimmed(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi > lo:
        yield lo, hi
