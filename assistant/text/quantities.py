"""Amounts in news prose with their units: durations, money, percentages, measures and counts.

"about 50 minutes", "a 30-minute call", "half an hour", "$12 million", "12m dollars", "nearly 200
missiles", "at least 42,000 Palestinians", "5 per cent", ages ("a 58-year-old", "Desmond
Arkwright-Boyle, 61, pleaded") and sums for a period, as yearly rates ("$1.8 million a year"; "$1.8
million over two years" is $0.9 million a year). Each becomes a `Quantity` in a canonical
unit (minutes, a currency, %, the SI unit of a measure read by pint, the counted noun) with the
[low, high] range its wording commits to (see `numbers.interval`), so "about 50 minutes" agrees
with 48 and not with 30, and "210 metres" with "about 690 feet".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from assistant.text.dates import clock_times
from assistant.text.numbers import (
    NUMBER_WORDS,
    SCALES,
    SUFFIX_SCALES,
    VAGUE,
    Tok,
    figure,
    interval,
    is_year,
    qualifier,
    shown,
    tokens,
)
from assistant.text.terms import STOP_WORDS
from assistant.text.units import Unit, unit
from index.dates import WEEKDAYS
from index.nlp import parse
from index.sentences import sentence_spans

_MINUTES = {"second": 1 / 60, "sec": 1 / 60, "minute": 1, "min": 1, "hour": 60, "hr": 60, "day": 1440,
            "week": 10080, "month": 43830, "year": 525960, "decade": 5259600}  # fmt: skip
_SMALLER = {"hour": "minute", "minute": "second", "day": "hour", "week": "day", "year": "month"}
_TIME_WORDS = frozenset(_MINUTES) | frozenset(f"{u}s" for u in _MINUTES)
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "yen": "JPY", "shekel": "ILS",
                   "rupee": "INR", "yuan": "CNY"}  # fmt: skip
_RANGE_WORDS = ("to", "and", "-", "–", "or")
_OLD = re.compile(r"old(?:['’]s)?")  # "a 24-year-old", "the 24-year-old's victory"
_MONTH_WORDS = frozenset(
    """jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july
    august september october november december""".split()
)
# Words before a figure that make it an identifier or a date ("page 5", "stage 7", "January 5").
_NOT_AMOUNTS = _MONTH_WORDS | frozenset(
    """no number page resolution chapter article section room route flight season episode part volume
    round stage phase act book level grade""".split()
)
_INVARIANT_PLURALS = frozenset("feet people children men women police series news".split())


@dataclass(frozen=True)
class Quantity:
    """A stated amount: `dimension` says what kind, `unit` what it is counted in."""

    dimension: str  # duration (minutes) | age | money | percent | count, or a measure (units.py)
    unit: str  # "min", a currency code, "%", the measure, or the counted noun ("missile")
    low: float
    high: float
    value: float
    qualifier: str  # the approximation phrase as written ("around", "at least"), "" when exact
    start: int
    end: int
    label: str  # normalised wording: "about 50 minutes", "$12 million", "at least 42,000 Palestinians"
    noun: str = ""  # the noun a compound unit qualifies ("call" in "30-minute call")
    modifiers: tuple[str, ...] = ()  # words between a count and its noun ("maternity" in "24 maternity beds")

    def counts_apart(self, other: Quantity) -> bool:
        """True when both count the same noun qualified differently: "24 maternity beds" are some
        of a wing's "120 beds", not another figure for them."""
        return self.dimension == other.dimension == "count" and set(self.modifiers) != set(other.modifiers)

    def agrees(self, other: Quantity) -> bool:
        """True when the two ranges overlap: "about 50" agrees with 48, 30 does not. Ranges that
        only touch do not: "1.5 million" (1.45 to 1.55 million, as rounded) and "1.6 million" are
        two figures; a single point ("2:08:31") agrees with a range that holds it."""
        slack = 1e-9 * max(abs(self.value), abs(other.value), 1.0)
        if min(self.high, other.high) - max(self.low, other.low) > slack:
            return True
        return any(
            a.high - a.low <= slack and b.low - slack <= a.value <= b.high + slack
            for a, b in ((self, other), (other, self))
        )


def is_unit(word: str) -> bool:
    """Whether a word names a unit a figure is measured in ("minutes", "metres", "dollars", "percent")."""
    low = word.lower()
    return (
        singular(low) in _MINUTES
        or singular(low) in _CURRENCY_WORDS
        or low in ("percent", "per")
        or unit(word) is not None
    )


def ratio(a: Quantity, b: Quantity) -> float:
    """How many times larger the larger value is (infinity when one is zero)."""
    lo, hi = sorted((abs(a.value), abs(b.value)))
    return math.inf if lo == 0 else hi / lo


def singular(word: str) -> str:
    """A plural noun's singular, roughly ("missiles" -> "missile", "casualties" -> "casualty")."""
    if word in _INVARIANT_PLURALS:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3
    return word[:-1] if plural else word


def quantities_in(text: str, start: int = 0, end: int | None = None) -> Iterator[Quantity]:
    """Every amount stated in text[start:end], with offsets into `text`. A length of time written
    in parts ("four years and four months", "2 hours, 30 minutes") is one amount."""
    toks = tokens(text, start, end)
    i = 0
    held: Quantity | None = None
    counted: Quantity | None = None  # the sentence's last count of a plural noun
    while i < len(toks):
        found = _quantity_at(text, toks, i)
        if found is None:
            i += 1
            continue
        quantity, i = found
        if quantity.dimension == "count":
            if counted is not None and _sentence_end(text, start, end, counted.end) < quantity.start:
                counted = None  # the last count was in an earlier sentence
            quantity = _elided(text, quantity, counted, start, end)
            counted = quantity if _plural(quantity.label.rsplit(" ", 1)[-1].lower()) else counted
        if held is not None and _continues(text, held, quantity):
            held = _joined(held, quantity)
            continue
        if held is not None:
            yield held
        held = quantity
    if held is not None:
        yield held


def _sentence_end(text: str, start: int, end: int | None, at: int) -> int:
    """Where the sentence of text[start:end] holding offset `at` ends."""
    return next((hi for _, hi in sentence_spans(text, start, end) if hi >= at), len(text))


def _plural(word: str) -> bool:
    return singular(word) != word or word in _INVARIANT_PLURALS


def _elided(text: str, quantity: Quantity, counted: Quantity | None, start: int, end: int | None) -> Quantity:
    """A figure of several followed by no noun counts the noun the sentence's last count named:
    "the remains of 24 people, with 121 still missing" (121 people), "five people were hurt, two
    seriously" (two people), "Of the 30 people arrested, 12 remain in custody"; but "184 passengers
    and six crew" counts crew (spaCy tags the word after the figure)."""
    word = quantity.label.rsplit(" ", 1)[-1]
    if counted is None or quantity.value == 1 or _plural(word.lower()) or quantity.noun:
        return quantity
    sentence = text[counted.start : _sentence_end(text, start, end, quantity.end)]
    at = quantity.end - len(word) - counted.start
    if any(t.idx == at and t.pos_ in ("NOUN", "PROPN", "NUM") for t in parse(sentence)):
        return quantity
    noun = counted.label.rsplit(" ", 1)[-1]
    label = f"{quantity.label.rsplit(' ', 1)[0]} {noun}"
    return replace(quantity, unit=counted.unit, label=label, modifiers=())


_JOINER = re.compile(r"\s*(?:,\s*)?(?:and\s+)?")


def _continues(text: str, first: Quantity, then: Quantity) -> bool:
    """Whether `then` goes on the length of time `first` began: a smaller unit, joined by "and" or
    a comma, with no qualifier of its own."""
    return (
        first.dimension == then.dimension == "duration"
        and not first.noun
        and not then.qualifier
        and _JOINER.fullmatch(text, first.end, then.start) is not None
        and _unit_minutes(then) < _unit_minutes(first)
    )


def _unit_minutes(quantity: Quantity) -> float:
    """The size, in minutes, of the unit a duration's label ends with ("52 months": a month)."""
    word = quantity.label.rsplit(" ", 1)[-1]
    return _MINUTES.get(singular(word), math.inf)


def _joined(first: Quantity, then: Quantity) -> Quantity:
    return Quantity(
        first.dimension,
        first.unit,
        first.low + then.low,
        first.high + then.high,
        first.value + then.value,
        first.qualifier,
        first.start,
        then.end,
        f"{first.label.replace(' and ', ', ')} and {then.label}",
        first.noun,
    )


@dataclass
class _Parse:
    """A figure being read: where it starts, its range, and what precedes it."""

    start: int
    qual: str
    currency: str
    value: float
    low: float
    high: float
    slack: float
    written: str


def _quantity_at(text: str, toks: list[Tok], i: int) -> tuple[Quantity, int] | None:
    qual, q_start = qualifier(toks, i)
    currency = ""
    if toks[i].text in _CURRENCY_SIGNS:
        currency = _CURRENCY_SIGNS[toks[i].text]
        i += 1
        if i >= len(toks):
            return None
    start = toks[q_start].start if qual else toks[i - (1 if currency else 0)].start
    if toks[i].lower in VAGUE and not currency:
        return _vague_count(toks, i, start, qual)
    clock = None if currency or (i and toks[i - 1].text == ":") else _CLOCKED.match(text, toks[i].start)
    if clock:
        return _clocked(clock, toks, i, start, qual)
    fig = figure(toks, i, _TIME_WORDS)
    if fig is None or _is_excluded(text, toks, i, fig.next):
        return None
    low, high, j, written = fig.value, fig.value, fig.next, fig.written
    if not (qual or currency) and _apposed_age(toks, i, j):
        minutes = fig.value * _MINUTES["year"]
        return Quantity(
            "age", "min", minutes, minutes, minutes, "", start, toks[i].end, f"{written} years"
        ), j
    if _and_a_half(toks, j):  # "three and a half hours"
        low, high, j = low + 0.5, high + 0.5, j + 3
        fig = replace(fig, value=fig.value + 0.5)
        written = f"{fig.value:g}"
    if j + 1 < len(toks) and toks[j].lower in _RANGE_WORDS:  # "30 to 40", "30-40"
        other = figure(toks, j + 1, _TIME_WORDS)
        if other and other.value > fig.value:
            high, j, written = other.value, other.next, f"{written}–{other.written}"
    scale = _scale(toks, j)
    value, slack = fig.value, fig.slack
    if scale:
        value, low, high, slack = value * scale, low * scale, high * scale, slack * scale
        written += f" {toks[j].lower}" if toks[j].lower in SCALES else toks[j].lower
        j += 1
    parse = _Parse(start, qual, currency, value, *interval(low, high, qual, slack), slack, written)
    return _classify(text, toks, j, parse)


_CLOCKED = re.compile(r"(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])")


def _apposed_age(toks: list[Tok], i: int, j: int) -> bool:
    """Whether the figure at token i (ending before j) is a person's age set off by commas after a
    name, as news writes it: "Desmond Arkwright-Boyle, 61, pleaded guilty"."""
    if i < 2 or j != i + 1 or j + 1 >= len(toks) or toks[i - 1].text != "," or toks[j].text != ",":
        return False
    name, number, then = toks[i - 2], toks[i], toks[j + 1]
    return (
        number.text.isdigit()
        and then.text.islower()  # "..., 61, pleaded", not a list: "Brazil, 12, Argentina, 10"
        and 1 <= int(number.text) <= 119
        and name.text[:1].isupper()
        and name.text.isalpha()
        and name.lower not in _NOT_AMOUNTS
        and name.lower not in WEEKDAYS
    )


def _and_a_half(toks: list[Tok], j: int) -> bool:
    """Whether "and a half" follows ("three and a half hours", "a year and a half")."""
    return [t.lower for t in toks[j : j + 3]] == ["and", "a", "half"]


def _clocked(match: re.Match[str], toks: list[Tok], i: int, start: int, qual: str) -> tuple[Quantity, int]:
    """A time taken, written as hours, minutes and seconds ("2:08:45" for a marathon)."""
    hours, minutes, seconds = (int(g) for g in match.groups())
    value = hours * 60 + minutes + seconds / 60
    end_k = next(k for k in range(i, len(toks)) if toks[k].end >= match.end()) + 1
    label = f"{shown(qual)} {match.group()}" if qual else match.group()
    low, high = interval(value, value, qual, 0.0)
    return Quantity("duration", "min", low, high, value, qual, start, match.end(), label), end_k


def _scale(toks: list[Tok], j: int) -> float:
    """ "million" after a figure, or a suffix glued to it ("12m", "1.5bn")."""
    if j >= len(toks):
        return 0.0
    if toks[j].lower in SCALES:
        return SCALES[toks[j].lower]
    glued = toks[j].start == toks[j - 1].end
    return SUFFIX_SCALES.get(toks[j].lower, 0.0) if glued else 0.0


def _is_excluded(text: str, toks: list[Tok], i: int, j: int) -> bool:
    """Years, dates, times, ordinals, decades, identifiers and scores are not amounts."""
    tok = toks[i]
    before = text[max(0, tok.start - 1) : tok.start]
    after = text[toks[j - 1].end : toks[j - 1].end + 3]
    if any(c.start == tok.start for c in clock_times(text, tok.start, toks[j - 1].end + 6)):
        return True  # "4 p.m." is a time of day
    if tok.is_digits:
        if before in ("/", ":", "#") or re.match(r"[:/]\d|(?:st|nd|rd|th|s)\b", after):
            return True
        if re.match(r"[A-Za-z]", after) and not re.match(r"(?:k|m|mn|bn|b|tn)\b", after):
            return True
        if is_year(tok):
            nxt = toks[j].lower if j < len(toks) else ""
            if not (nxt.isalpha() and singular(nxt) != nxt and nxt not in STOP_WORDS):
                return True  # a year, unless it counts something ("1500 people")
        if before == "-" and tok.start >= 2 and text[tok.start - 2].isalnum():
            return True  # "F-16", "3-1"
    following = toks[j] if j < len(toks) else None
    if following is not None and following.lower in _MONTH_WORDS and following.text != "may":
        return True  # "1 January 2026" is a date
    back = i - 2 if i > 1 and toks[i - 1].text == "." else i - 1
    if following is not None and singular(following.lower) in _MINUTES:
        return False  # "went on stage 45 minutes late": the word before names no numbered thing
    return back >= 0 and toks[back].lower in _NOT_AMOUNTS


def _vague_count(toks: list[Tok], i: int, start: int, qual: str) -> tuple[Quantity, int] | None:
    """A vague count of a noun ("dozens of people"), scaled by the scale word that follows it
    ("several hundred teachers", "a few thousand people", "hundreds of thousands of people")."""
    low, high = VAGUE[toks[i].lower]
    said = [toks[i].lower]
    j = i + 1
    then = toks[j + 1].lower if j + 1 < len(toks) and toks[j].lower == "of" else ""
    if j < len(toks) and toks[j].lower in SCALES:  # "several hundred"
        scale = toks[j].lower
    elif then.endswith("s") and then[:-1] in SCALES:  # "hundreds of thousands"
        scale, j = then, j + 1
    else:
        scale = ""
    if scale:
        factor = SCALES[scale.rstrip("s")]
        low, high = low * factor, high * factor
        said += ["of", scale] if scale.endswith("s") else [scale]
        j += 1
    j = j + 1 if j < len(toks) and toks[j].lower == "of" else j
    noun, j = _count_noun(toks, j)
    if not noun:
        return None
    label = f"{' '.join(said)} {noun}" if said[-1] in SCALES else f"{' '.join(said)} of {noun}"
    quantity = Quantity(
        "count", singular(noun.lower()), low, high, (low + high) / 2, qual, start, toks[j - 1].end, label
    )
    return quantity, j


def _count_noun(toks: list[Tok], j: int) -> tuple[str, int]:
    """The counted noun after a number: the first plural among the next three words; a possessive
    plural counts what it owns ("1,100 members' accounts" counts accounts)."""
    found: list[Tok] = []
    for tok in toks[j : j + 3]:
        if not tok.text.isalpha() or tok.lower in STOP_WORDS or tok.lower in NUMBER_WORDS:
            break  # "nineteen eighty-four" counts nothing
        found.append(tok)
        if _plural(tok.lower):
            k = j + len(found)
            if _possessed(toks, k):
                return toks[k + 1].text, k + 2
            return tok.text, k
    return (found[0].text, j + 1) if found else ("", j)


def _classify(text: str, toks: list[Tok], j: int, p: _Parse) -> tuple[Quantity, int] | None:
    """Read the unit after the figure: currency, percent, time, measure or a counted noun."""
    hyphen = j < len(toks) and toks[j].text in ("-", "–")
    k = j + 1 if hyphen else j
    nxt = toks[k].lower if k < len(toks) else ""
    prefix = f"{shown(p.qual)} " if p.qual else ""
    code = p.currency or _CURRENCY_WORDS.get(singular(nxt), "")
    if code == "GBP" and not p.currency and k + 1 < len(toks) and toks[k + 1].lower == "of":
        code = ""  # "3.3 million pounds of frozen fish" weighs
    if code:
        end = toks[j - 1].end if p.currency else toks[k].end
        sign = next((s for s, c in _CURRENCY_SIGNS.items() if c == code), "")
        if not (p.currency or p.written[:1].isdigit()):  # "twenty-five thousand dollars"
            label = f"{prefix}{p.written} {toks[k].text}"
        else:
            label = f"{prefix}{sign}{p.written}" if sign else f"{prefix}{p.written} {code}"
        after = j if p.currency else k + 1
        rate = _rate(toks, after)
        if rate:
            per_year, words_, after = rate
            scaled = replace(p, value=p.value * per_year, low=p.low * per_year, high=p.high * per_year)
            return _make("money", f"{code}/year", scaled, toks[after - 1].end, f"{label} {words_}"), after
        return _make("money", code, p, end, label), after
    if nxt in ("%", "percent") or (nxt == "per" and k + 1 < len(toks) and toks[k + 1].lower == "cent"):
        end_k = k + (2 if nxt == "per" else 1)
        return _make("percent", "%", p, toks[end_k - 1].end, f"{prefix}{p.written}%"), end_k
    if singular(nxt) in _MINUTES:
        return _duration(toks, k, singular(nxt), p, prefix)
    measure = _measure(text, toks, k)
    if measure:
        u, end_k = measure
        scaled = _Parse(p.start, p.qual, "", u.to_si(p.value), u.to_si(p.low), u.to_si(p.high), 0, p.written)
        label = f"{prefix}{p.written} {u.written}"
        return _make(u.dimension, u.dimension, scaled, toks[end_k - 1].end, label), end_k
    if hyphen:
        return _compound_count(toks, k, p, prefix)
    before = [t.lower for t in toks if t.end <= p.start][-5:]
    if "population" in before and "density" not in before:
        noun, end_k = "people", j  # "a population of about 50,000"
    else:
        noun, end_k = _count_noun(toks, j)
    if not noun or (end_k < len(toks) and toks[end_k].lower in ("per", "/")):
        return None  # "479.7 people per square mile" is a density, not a count
    end = toks[end_k - 1].end if end_k > j else toks[j - 1].end
    modifiers = tuple(t.lower for t in toks[j:end_k] if t.text.isalpha() and t.text != noun)
    quantity = _make("count", singular(noun.lower()), p, end, f"{prefix}{p.written} {noun}")
    return replace(quantity, modifiers=modifiers), end_k


def _compound_count(toks: list[Tok], k: int, p: _Parse, prefix: str) -> tuple[Quantity, int] | None:
    """A count written as a compound before its noun: "the 840-page agreement" (840 pages), "a
    1,200-word letter", "a 12-member panel". The counted word is singular and a noun follows it;
    "one-" compounds are idioms more often than counts ("a one-man show")."""
    if k + 1 >= len(toks) or p.value == 1 or p.qual:
        return None
    unit_, noun = toks[k].lower, toks[k + 1]
    if not (unit_.isalpha() and noun.text.isalpha()) or singular(unit_) != unit_ or unit_ in STOP_WORDS:
        return None
    if noun.lower in STOP_WORDS or unit_ in _MONTH_WORDS:
        return None
    label = f"{prefix}{p.written} {unit_}s"
    return _make("count", unit_, p, toks[k].end, label, noun.lower), k + 1


_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}


def _rate(toks: list[Tok], k: int) -> tuple[float, str, int] | None:
    """A sum given for a period from token k: "a year", "per month", "annually" (the factor to a
    yearly sum, the words, the index after them), or spread over one ("over two years": a yearly
    sum of half). "$5 million a year ago" is no rate."""
    words_ = [t.lower for t in toks[k : k + 4]]
    if words_[:1] == ["annually"]:
        return 1.0, "annually", k + 1
    if (
        len(words_) >= 2
        and words_[0] in ("a", "an", "per", "each", "every")
        and singular(words_[1]) in _PER_YEAR
    ):
        if len(words_) >= 3 and words_[2] in ("ago", "earlier", "later", "before", "after"):
            return None
        return _PER_YEAR[singular(words_[1])], f"{words_[0]} {words_[1]}", k + 2
    if words_[:1] == ["over"]:
        j = k + 1 + (toks[k + 1].lower in ("the", "its", "their") if k + 1 < len(toks) else 0)
        j += j < len(toks) and toks[j].lower in ("next", "past", "last", "first", "coming")
        span = figure(toks, j, _TIME_WORDS) if j < len(toks) else None
        if span and span.next < len(toks) and singular(toks[span.next].lower) in _PER_YEAR and span.value > 0:
            period = singular(toks[span.next].lower)
            shown_words = " ".join(t.text for t in toks[k : span.next + 1])
            return _PER_YEAR[period] / span.value, shown_words, span.next + 1
    return None


def _measure(text: str, toks: list[Tok], k: int) -> tuple[Unit, int] | None:
    """The unit of measure written from token k ("metres", "km/h", "degrees Celsius", "square
    miles"), the longest that reads as one, and the index of the token after it."""
    for size in (3, 2, 1):
        if k + size <= len(toks):
            found = unit(text[toks[k].start : toks[k + size - 1].end])
            if found:
                return found, k + size
    return None


def _make(dimension: str, unit: str, p: _Parse, end: int, label: str, noun: str = "") -> Quantity:
    return Quantity(dimension, unit, p.low, p.high, p.value, p.qual, p.start, end, label, noun)


def _possessed(toks: list[Tok], k: int) -> bool:
    """True when the plural before `k` owns the noun after an apostrophe ("members' accounts",
    "weeks' notice")."""
    return (
        k + 1 < len(toks)
        and toks[k].text in ("'", "’")
        and toks[k + 1].text.isalpha()
        and toks[k + 1].lower not in STOP_WORDS
    )


def _duration(toks: list[Tok], k: int, unit: str, p: _Parse, prefix: str) -> tuple[Quantity, int]:
    """A length of time in minutes; "30-minute call" remembers the call, "five-year-old" is an age."""
    minutes = _MINUTES[unit]
    end_k, noun, dimension = k + 1, "", "duration"
    if end_k + 1 < len(toks) and toks[end_k].text in ("-", "–") and _OLD.fullmatch(toks[end_k + 1].lower):
        dimension, end_k = "age", end_k + 2
    elif toks[k].lower == unit:  # singular unit: "30-minute call", "an hour-long call"
        if end_k + 1 < len(toks) and toks[end_k].text in ("-", "–") and toks[end_k + 1].lower == "long":
            end_k += 2
        if end_k < len(toks) and toks[end_k].text.isalpha() and toks[end_k].lower not in STOP_WORDS:
            noun = toks[end_k].lower
    elif _possessed(toks, end_k):  # "two weeks' notice" measures the notice
        noun = toks[end_k + 1].lower
    if _and_a_half(toks, end_k):  # "a year and a half"
        p = replace(p, value=p.value + 0.5, low=p.low + 0.5, high=p.high + 0.5, written=f"{p.value + 0.5:g}")
        end_k += 3
    amount, shown_unit, written = p.value, unit, p.written
    if amount != int(amount) and unit in _SMALLER:  # "half an hour" -> "30 minutes"
        shown_unit = _SMALLER[unit]
        amount = amount * minutes / _MINUTES[shown_unit]
        written = f"{amount:g}"
    label = f"{prefix}{written} {shown_unit}{'' if amount == 1 else 's'}"
    scaled = _Parse(p.start, p.qual, "", p.value * minutes, p.low * minutes, p.high * minutes, 0, written)
    return _make(dimension, "min", scaled, toks[end_k - 1].end, label, noun), end_k
