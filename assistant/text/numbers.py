"""Numbers as news prose writes them, and what their approximation words commit the writer to.

"42,000", "1.5", "twenty-five", "a hundred and twenty" (numbers spelled in several words are read by
`text2num`), "a dozen", "half an hour", "dozens of"; "about 50" is 45-55,
"nearly 200" is 170-200, "more than 24,700" is 24,700-37,050, and a bare round figure is read
with its rounding ("50" is 47.5-52.5). `interval` turns a figure and its qualifier into that range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from text_to_num import text2num

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[A-Za-z]+(?:['’][A-Za-z]+)?|[$€£%~]|\S")
_DIGITS = frozenset("0123456789")
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
SMALL_NUMBERS = {w: n for n, w in enumerate(f"{_UNITS} sixteen seventeen eighteen nineteen".split())}
_TENS = {
    w: 10 * n
    for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if n > 1
}
SCALES = {"dozen": 12.0, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NUMBER_WORDS = frozenset(SMALL_NUMBERS) | frozenset(_TENS) | frozenset(SCALES)
SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
# Words that stand for a vague range of numbers ("dozens of people").
VAGUE = {
    "dozens": (24, 99), "tens": (20, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "millions": (2e6, 9.99e6), "billions": (2e9, 9.99e9), "several": (3, 9), "few": (2, 5),
    "couple": (2, 3), "handful": (2, 6),
}  # fmt: skip
# Approximation phrase -> (how it is shown, low factor, high factor) applied to the stated figure.
_ABOUT, _NEARLY, _OVER, _UNDER = (0.9, 1.1), (0.85, 1.0), (1.0, 1.5), (0.6, 1.0)
QUALIFIERS = {
    "about": ("about", *_ABOUT), "around": ("about", *_ABOUT), "approximately": ("about", *_ABOUT),
    "roughly": ("about", *_ABOUT), "some": ("about", *_ABOUT), "an estimated": ("about", *_ABOUT),
    "estimated": ("about", *_ABOUT), "~": ("about", *_ABOUT), "nearly": ("nearly", *_NEARLY),
    "almost": ("nearly", *_NEARLY), "close to": ("nearly", *_NEARLY), "just under": ("nearly", *_NEARLY),
    "at least": ("at least", *_OVER), "more than": ("more than", *_OVER), "over": ("more than", *_OVER),
    "upwards of": ("more than", *_OVER), "in excess of": ("more than", *_OVER),
    "exceeding": ("more than", *_OVER), "just over": ("just over", 1.0, 1.15),
    "well over": ("well over", 1.1, 2.0), "up to": ("up to", *_UNDER), "as many as": ("up to", *_UNDER),
    "at most": ("up to", *_UNDER), "no more than": ("up to", *_UNDER),
    "fewer than": ("fewer than", *_UNDER), "less than": ("fewer than", *_UNDER),
    "under": ("fewer than", *_UNDER),
}  # fmt: skip
# Below this, a bound is a bound ("at least one line"), not an estimate close to the figure.
_SMALL_BOUND = 10


@dataclass(frozen=True)
class Tok:
    """A token with its offsets into the article text."""

    text: str
    lower: str
    start: int
    end: int

    @property
    def is_digits(self) -> bool:
        """True for a token written in digits ("42,000")."""
        return self.text[0] in _DIGITS


@dataclass(frozen=True)
class Figure:
    """A number as written: its value, the tokens it spans and the rounding its digits imply."""

    value: float
    next: int  # index of the token after the number
    slack: float
    written: str


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """Tokens of text[start:end]: numbers whole, words, signs and punctuation."""
    hi = len(text) if end is None else end
    return [Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, hi)]


def figure(toks: list[Tok], i: int, unit_words: frozenset[str] = frozenset()) -> Figure | None:
    """The number starting at token i; "a"/"an" count as one only before a unit or scale word."""
    tok = toks[i]
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if tok.is_digits:
        return Figure(float(tok.text.replace(",", "")), i + 1, _rounding(tok.text), tok.text)
    spelled = _spelled(toks, i)
    if spelled is not None:
        return spelled
    if tok.lower in SMALL_NUMBERS or tok.lower in _TENS:
        return Figure(float(SMALL_NUMBERS.get(tok.lower, _TENS.get(tok.lower, 0))), i + 1, 0.0, tok.text)
    if tok.lower in ("a", "an", "one") and nxt == "dozen":
        return Figure(12.0, i + 2, 0.0, "12")
    if tok.lower in ("a", "an") and (nxt in unit_words or nxt in SCALES):
        return Figure(1.0, i + 1, 0.0, "1")
    if tok.lower == "half" and nxt in ("a", "an") and i + 2 < len(toks):
        return Figure(0.5, i + 2, 0.0, f"{tok.text} {toks[i + 1].text}")  # "half a mile"
    if tok.lower == "half":  # "a half dozen", "a half-dozen eggs"
        k = i + 2 if nxt == "-" else i + 1
        if k < len(toks) and toks[k].lower == "dozen":
            return Figure(6.0, k + 1, 0.0, " ".join(t.text for t in toks[i : k + 1]).replace(" - ", "-"))
    return None


def _spelled(toks: list[Tok], i: int) -> Figure | None:
    """A number spelled in several words from token i ("two thousand nine hundred and forty", "a
    hundred and twenty", "forty two"), read by `text2num`. A scale word that ends the words is left
    to the caller, which multiplies by it ("two million", "one hundred fifty million"); None when
    the words are a single number the callers read themselves."""
    words: list[str] = []
    j = i
    if toks[i].lower in ("a", "an") and i + 1 < len(toks) and toks[i + 1].lower in ("hundred", "thousand"):
        words, j = ["one"], i + 1
    while j < len(toks):
        word, nxt = toks[j].lower, toks[j + 1].lower if j + 1 < len(toks) else ""
        if word in SMALL_NUMBERS or word in _TENS or word in SCALES:
            words.append(word)
        elif word == "-" and words and words[-1] in _TENS and nxt in SMALL_NUMBERS:
            pass  # "ninety-nine"
        elif word == "and" and words and words[-1] in SCALES and (nxt in SMALL_NUMBERS or nxt in _TENS):
            words.append(word)
        else:
            break
        j += 1
    while words and words[-1] in SCALES:
        words.pop()
        j -= 1
    inner_scale = any(w in SCALES for w in words)
    tens_and_unit = len(words) == 2 and words[0] in _TENS and 0 < SMALL_NUMBERS.get(words[1], 0) < 10
    if not (inner_scale or tens_and_unit):
        return None
    try:
        value = text2num(" ".join(words), "en")
    except ValueError:  # "one two three": numbers side by side, not one number
        return None
    written = " ".join(t.text for t in toks[i:j]).replace(" - ", "-")
    return Figure(float(value), j, 0.0, written)


def _rounding(digits: str) -> float:
    """Half the place value of the last significant digit written, at most 5% of the value."""
    value = float(digits.replace(",", ""))
    if "." in digits:
        place = 10.0 ** -len(digits.split(".")[1])
    else:
        plain = digits.replace(",", "")
        place = 10.0 ** (len(plain) - len(plain.rstrip("0"))) if plain.strip("0") else 1.0
    return min(place / 2, 0.05 * value)


def qualifier(toks: list[Tok], i: int) -> tuple[str, int]:
    """The approximation phrase ending just before token i, and the index where it starts."""
    for size in (3, 2, 1):
        if i - size >= 0:
            phrase = " ".join(t.lower for t in toks[i - size : i])
            if phrase in QUALIFIERS:
                return phrase, i - size
    return "", i


def interval(low: float, high: float, qualifier: str, slack: float) -> tuple[float, float]:
    """The range a figure (or range "30 to 40") commits to, given its qualifier and rounding."""
    if not qualifier:
        return low - slack, high + slack
    _, lo_f, hi_f = QUALIFIERS[qualifier]
    if high < _SMALL_BOUND and hi_f > 1.0 and lo_f >= 1.0:
        return low, math.inf
    if high < _SMALL_BOUND and hi_f <= 1.0 and lo_f < _NEARLY[0]:
        return 0.0, high
    return low * lo_f, high * hi_f


def shown(qualifier: str) -> str:
    """The normal form of a qualifier ("around" -> "about"), for labels."""
    return QUALIFIERS[qualifier][0] if qualifier else ""


def is_year(tok: Tok) -> bool:
    """A bare four-digit number that reads as a year (1000-2099)."""
    return bool(re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", tok.text))
