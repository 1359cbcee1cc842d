"""How well passages support a sentence: a lexical score with hard checks, no model needed.

The score is the share of the sentence's content words (stemmed, stop words out, number words as
digits) found in the one or two passage sentences that cover it best; the passage's outlet and
date count as part of every one of its sentences. Three checks override it with 0:

- a number in the sentence that the supporting passage sentences do not contain;
- a capitalised name that appears nowhere in the supporting passages;
- a negation ("not", "no", "never", "n't", ...) on one side only of a clause both sides state.

A second supporting sentence must add two words, and must neighbour the first unless the first
covers half of the sentence or it comes from another passage.

With an `embed` callable (sentence embeddings, e.g. `Embedder.embed_documents`) the score is the
mean of that share and the cosine similarity between the sentence and its supporting sentences.
docs/VERIFICATION.md gives the calibration of `THRESHOLD` and the limits.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assistant.text.terms import STOP_WORDS, content_terms
from index.sentences import sentence_spans

THRESHOLD = 0.7  # calibrated on the development articles, see docs/VERIFICATION.md
EMBED_THRESHOLD = 0.6  # the same, for the score blended with embeddings
MAX_UNITS = 2  # a sentence may combine facts from at most this many passage sentences
MIN_GAIN = 2  # ... and a further sentence must add this many words: one stray word is no evidence
TRIES = 5  # starting sentences tried per assessment
EMBED_WEIGHT = 0.5

Embed = Callable[[list[str]], list[list[float]]]

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?|(?<=[A-Za-z-])\d+(?:\.\d+)?")
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot)\b|n[’']t\b", re.I)
_CLAUSE = re.compile(
    r"[,;:()“”\"]|\.\.\.|\s[–—-]\s|\b(?:and|but|while|although|though|whereas|which|who|because)\b"
)
_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'.-]*")
_WORD = re.compile(r"[\w’'.-]+")
# Words an answer uses to frame a claim ("CNN reported that ...") rather than to make it.
_FRAMING = frozenset({"report", "state", "mention", "passag", "note", "claim", "ad", "accord", "outlet"})
# Capitalised only because they open the sentence; any other first word is checked like a name.
_OPENERS = frozenset(
    """
    additionally also although another both despite during each earlier every finally first following
    further furthermore however in instead later meanwhile moreover notably overall several
    separately similarly still then though thus together yet
    """.split()
)
_MARKERS = re.compile(r"\[\s*\d+(?:\s*[,;–-]\s*\d+)*\s*\]")
_SHORT_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june", "jul": "july",
    "aug": "august", "sep": "september", "sept": "september", "oct": "october", "nov": "november",
    "dec": "december",
}  # fmt: skip
_MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class Clause:
    """A stretch of a sentence between punctuation or conjunctions, and whether it is negated."""

    terms: frozenset[str]
    negated: bool


@dataclass(frozen=True)
class Unit:
    """One sentence of a passage, with what the checks need; offsets are into the passage text."""

    passage: int
    index: int  # position of the sentence in its passage
    start: int
    end: int
    text: str
    terms: frozenset[str]
    numbers: frozenset[str]
    clauses: tuple[Clause, ...]
    vocabulary: frozenset[str]  # every word of the whole passage and its header, for name checks


@dataclass(frozen=True)
class Support:
    """A sentence's score and the passage sentences behind it; `reason` says why it is low."""

    score: float
    units: tuple[Unit, ...]
    reason: str = ""


def support_score(sentence: str, passages_texts: Sequence[str], embed: Embed | None = None) -> float:
    """How well the passages support the sentence, 0 to 1; `THRESHOLD` and up counts as supported."""
    units = [u for i, text in enumerate(passages_texts) for u in passage_units("", text, i)]
    return assess(_MARKERS.sub("", sentence), units, embed).score


@functools.lru_cache(maxsize=4096)
def passage_units(header: str, text: str, passage: int = 0) -> tuple[Unit, ...]:
    """A passage cut into sentences; `header` (outlet, date) supports every one of them."""
    header = _readable_dates(header)
    header_terms = _terms(header)
    vocabulary = frozenset(_vocabulary(f"{header}\n{text}"))
    return tuple(
        Unit(
            passage,
            index,
            start,
            end,
            text[start:end],
            header_terms | _terms(text[start:end]),
            frozenset(numbers(text[start:end])) | frozenset(numbers(header)),
            clauses(text[start:end]),
            vocabulary,
        )
        for index, (start, end) in enumerate(sentence_spans(text))
    )


def assess(sentence: str, units: Sequence[Unit], embed: Embed | None = None) -> Support:
    """Score `sentence` against the best one or two of `units`, applying the hard checks."""
    terms = _terms(sentence) - _FRAMING
    if not terms or not units:
        return Support(0.0, (), "no content words" if units else "no passages")
    best = Support(0.0, (), "no word in common")
    # The unit with most words in common may lack the sentence's number: try a few starting points.
    for first in sorted(units, key=lambda u: (-len(terms & u.terms), len(u.terms)))[:TRIES]:
        if not terms & first.terms:
            break
        support = _judge(sentence, terms, _cover(terms, units, first), units)
        if support.score > best.score or not best.units:
            best = support
        if best.score >= 1.0:
            break
    if embed is not None and best.score > 0:
        blended = (1 - EMBED_WEIGHT) * best.score + EMBED_WEIGHT * _cosine(embed, sentence, best.units)
        best = Support(round(blended, 4), best.units)
    return best


def _judge(sentence: str, terms: frozenset[str], chosen: tuple[Unit, ...], units: Sequence[Unit]) -> Support:
    reason = _contradiction(sentence, chosen, units)
    if reason:
        return Support(0.0, chosen, reason)
    covered = terms & frozenset().union(*(u.terms for u in chosen))
    return Support(round(len(covered) / len(terms), 4), chosen)


def _cover(terms: frozenset[str], units: Sequence[Unit], first: Unit) -> tuple[Unit, ...]:
    """`first`, then greedily the units that cover most of the rest of `terms` (ties: shorter).

    When `first` covers less than half of the sentence, a further unit must continue it (the next
    or previous sentence) or come from another cited passage (two sources set side by side): words
    gathered from anywhere in an article prove nothing.
    """
    chosen = [first]
    left = set(terms - first.terms)
    strong = 2 * len(terms & first.terms) >= len(terms)
    near = [u for u in units if u is not first and (strong or _adjacent(u, first))]
    while len(chosen) < MAX_UNITS and left and near:
        best = max(near, key=lambda u: (len(left & u.terms), -len(u.terms)))
        if len(left & best.terms) < MIN_GAIN:
            break
        chosen.append(best)
        left -= best.terms
    return tuple(chosen)


def _adjacent(a: Unit, b: Unit) -> bool:
    return a.passage != b.passage or abs(a.index - b.index) == 1


def _contradiction(sentence: str, chosen: Sequence[Unit], units: Sequence[Unit]) -> str:
    """Why the chosen units cannot support the sentence whatever the word overlap, or ''."""
    missing = set(numbers(sentence)) - frozenset().union(*(u.numbers for u in chosen))
    if missing:
        return f"number {', '.join(sorted(missing))} not in the passages"
    vocabulary = frozenset().union(*(u.vocabulary for u in chosen))
    unknown = [name for name in names(sentence) if not _known(name, vocabulary)]
    if unknown:
        return f"name {', '.join(unknown)} not in the passages"
    passages = {u.passage for u in chosen}
    theirs = [c for u in units if u.passage in passages for c in u.clauses]
    if not _same_polarity(clauses(sentence), theirs):
        return "negation differs from the passages"
    return ""


def _same_polarity(mine: Sequence[Clause], theirs: Sequence[Clause]) -> bool:
    """Negation must agree between the sentence's clauses and the passage clauses they restate.

    A negated clause of the sentence needs a negated passage clause as its best match. A negated
    passage clause that a clause of the sentence restates (two or more words, half of either) makes
    that clause negated too, unless an affirmative passage clause holds the same words.
    """
    for clause in mine:
        if clause.negated:
            best = max(theirs, key=lambda c: (len(c.terms & clause.terms), c.negated), default=None)
            if best is None or not best.negated or not best.terms & clause.terms:
                return False
    for clause in (c for c in theirs if c.negated):
        match = max(mine, key=lambda c: (len(c.terms & clause.terms), c.negated))
        restated = match.terms & clause.terms
        if len(restated) < 2 or 2 * len(restated) < min(len(clause.terms), len(match.terms)):
            continue
        rival = max((len(c.terms & restated) for c in theirs if not c.negated), default=0)
        if not match.negated and rival < len(restated):
            return False
    return True


def numbers(text: str) -> list[str]:
    """Numbers in the text, normalised ("42,000" -> "42000", "two" -> "2", "3.0" -> "3")."""
    found = [_normal_number(n) for n in _NUMBER.findall(text)]
    found += [_NUMBER_WORDS[w.lower()] for w in _NUMBER_WORD.findall(text)]
    return [n for n in found if n]


def names(sentence: str) -> list[str]:
    """Lower-case capitalised words of a sentence; a first word only when it is no common opener."""
    found = []
    for i, match in enumerate(_NAME.finditer(sentence)):
        parts = _split_word(match.group())
        if i == 0 and match.start() == _first_word_start(sentence) and parts and parts[0] in _OPENERS:
            continue
        found += [p for p in parts if p not in STOP_WORDS and len(p) > 1 and not p.isdigit()]
    return found


def clauses(text: str) -> tuple[Clause, ...]:
    """The text's clauses (cut at punctuation and conjunctions), each with its terms and polarity."""
    parts = (p for p in _CLAUSE.split(text) if p and p.strip())
    return tuple(Clause(_terms(p), bool(_NEGATION.search(p))) for p in parts)


def _terms(text: str) -> frozenset[str]:
    return frozenset(_NUMBER_WORDS.get(t, t) for t in content_terms(text))


def _vocabulary(text: str) -> Iterable[str]:
    for word in _WORD.findall(text):
        for part in _split_word(word):
            yield part
            if part in _SHORT_MONTHS:
                yield _SHORT_MONTHS[part]


def _split_word(word: str) -> list[str]:
    """'U.S.' -> ['us'], "Israel's" -> ['israel'], 'Biden-Netanyahu' -> ['biden', 'netanyahu']."""
    word = re.sub(r"[’']s$", "", word.rstrip(".")).replace(".", "").lower()
    return [part for part in word.split("-") if part]


def _known(name: str, vocabulary: frozenset[str]) -> bool:
    """A name is known when a passage word equals it or, for 4+ letters, shares its stem."""
    if name in vocabulary:
        return True
    if len(name) < 4:
        return False
    return any(len(w) >= 4 and (w.startswith(name) or name.startswith(w)) for w in vocabulary)


def _first_word_start(sentence: str) -> int:
    match = re.search(r"[A-Za-z0-9]", sentence)
    return match.start() if match else 0


def _normal_number(raw: str) -> str:
    raw = raw.replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def _readable_dates(header: str) -> str:
    """ISO dates in a header also as words, so "published October 9" matches "2024-10-09"."""

    def spell(m: re.Match[str]) -> str:
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        return f"{m.group(0)} {_MONTHS[month - 1]} {day} {year}" if 1 <= month <= 12 else m.group(0)

    return re.sub(r"\b(\d{4})-(\d{2})-(\d{2})", spell, header)


def _cosine(embed: Embed, sentence: str, chosen: Sequence[Unit]) -> float:
    a, b = embed([sentence, " ".join(u.text for u in chosen)])
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return max(0.0, sum(x * y for x, y in zip(a, b, strict=True)) / norm) if norm else 0.0
