"""The phrase a sentence gives as the answer to a question: a name, a year or a count.

A sentence answers "Who wrote the song?" when it shares the question's words and a name stands where
the writer stands: before the verb ("Pusha T wrote"), after "by" ("written by Stevie Wonder"),
before "as" and a role named in the question ("Noah Ringer as Aang"), or beside a noun of the
question ("bassist Jason Newsted"). Names that the question itself holds ("Roman Brady" for "who
played Roman"), possessors ("Harry Ambrose's wife"), modifiers ("American singer Diana Ross"),
titles in quotes, lone capitalised words the sources never use inside a longer name ("TV"), and
questions are left out, and so are answers a denial, hedge or plan governs in spaCy's dependency
parse ("is expected to cost", but not "documents they may have had" in a clause of its own). A year
or a count of the asked thing answers when it is the only one its sentence states; without a year,
the only weekday or time of day does, read from its own clause ("The attack was discovered on
Saturday, when alerts reached the contractor"): those recur through an article, and a lead's "said
on Tuesday" answers nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from assistant.conflicts.asked import CLOCK, COUNT, DATE, DAY, NAME, Asked, canonical, same_key
from assistant.conflicts.lexicon import REPORTING_VERBS
from assistant.conflicts.restatements import sentence
from assistant.conflicts.subjects import Word, content_keys, key, words
from assistant.text.dates import DateMention, clock_times, dates_in
from assistant.text.numbers import VAGUE
from assistant.text.quantities import Quantity, quantities_in, singular
from assistant.text.terms import STOP_WORDS
from index.article import Article
from index.nlp import parse
from index.sentences import sentence_spans

_CONNECTORS = frozenset("of de da di du del der la le van von y al bin bint ibn".split())
_CALENDAR = frozenset(
    """january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov
    dec""".split()
)
# Words that may stand between a name and the question's word it answers.
_BEFORE_VERB = frozenset(", who which has had have is was are were also originally first later then".split())
_BEFORE_NOUN = frozenset(", is was are were the a an as".split())
_AFTER_NOUN = frozenset(", : is was are were - – —".split())
# Words that make a sentence deny, doubt, plan or ask rather than state (lower case: "May" is a month).
_DOUBT = frozenset(
    """no not never nobody none neither nor may might could would if whether reportedly
    allegedly rumoured rumored perhaps possibly probably expected estimate estimated scheduled
    planned""".split()
)
_QUOTES = {"“": "”", '"': '"', "‘": "’"}
_ELISION = re.compile(r"\s*(?:\.{3,}|…)\s*")
_MAX_GAP = 3  # words between a name and the word it answers


@dataclass(frozen=True)
class Vocabulary:
    """What the sources' wording tells about words: which they write in lower case ("despite",
    "president"), and which they use inside names of several words ("Spieth" in "Jordan Spieth")."""

    lower: frozenset[str]
    named: frozenset[str]


def vocabulary(texts: Iterable[str]) -> Vocabulary:
    """The vocabulary of the sources' texts."""
    tokenised = [sentence("", text, 0, len(text)).tokens for text in texts]
    lower = {w.text for toks in tokenised for w in toks if w.text.islower()}
    named: set[str] = set()
    for toks in tokenised:
        for first, last in _runs(toks, lower):
            if last > first:
                named.update(w.lower for w in toks[first : last + 1])
    return Vocabulary(frozenset(lower), frozenset(named))


def name_keys(text: str, vocab: Vocabulary) -> frozenset[str]:
    """Keys of the words of `text` that the sources only write capitalised: names, not "The" or
    "President" opening a phrase, nor months and weekdays."""
    toks = sentence("", text, 0, len(text)).tokens
    return frozenset(key(w.text) for w in toks if _capital(w) and w.text.lower() not in vocab.lower)


@dataclass(frozen=True)
class Candidate:
    """A phrase of one article that answers the question; offsets point into the article text."""

    source: str
    start: int
    end: int
    value: str  # as shown: "Stevie Wonder", "1983", "13 episodes"
    keys: frozenset[str]  # what agreement is judged on: name words, or the year
    sentence: tuple[int, int]
    relevance: float
    date: DateMention | None = None
    quantity: Quantity | None = None


def relevant(
    wanted: Asked, article: Article, ranges: Iterable[tuple[int, int]], least: float
) -> list[tuple[int, int, float]]:
    """(start, end, relevance) of the article's sentences overlapping `ranges` that hold at least
    `least` of the question's (weighted) words: the only ones worth reading for an answer."""
    text, ranges = article.text, list(ranges)
    out = []
    for lo, hi in (f for span in sentence_spans(text) for f in fragments(text, *span)):
        if any(lo < r_hi and hi > r_lo for r_lo, r_hi in ranges):
            relevance = wanted.relevance(content_keys(words(text, lo, hi)))
            if relevance >= least:
                out.append((lo, hi, relevance))
    return out


def fragments(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The sentence's stretches of continuous text: an elision mark ("...", "…") joins words that did
    not stand together (a search snippet's "won two titles in Madrid. ... win the 2017 title"), so a
    name on one side does not answer words on the other."""
    out, begin = [], lo
    for match in _ELISION.finditer(text, lo, hi):
        out.append((begin, match.start()))
        begin = match.end()
    out.append((begin, hi))
    return [(a, b) for a, b in out if text[a:b].strip(" .,;:") and b > a]


def candidates(
    wanted: Asked, article: Article, sentences: Iterable[tuple[int, int, float]], vocab: Vocabulary
) -> list[Candidate]:
    """The answers the given sentences (start, end, relevance) of the article give; `vocab` tells
    names from capitalised common words ("Despite" opening a sentence)."""
    out: list[Candidate] = []
    for lo, hi, relevance in sentences:
        toks = sentence(article.id, article.text, lo, hi).tokens
        if not toks or toks[-1].text == "?":
            continue
        doubtful = any(_doubts(w) for w in toks)
        keys = [key(w.text) if w.text[0].isalnum() and w.lower not in STOP_WORDS else "" for w in toks]
        for s, e, v, k, d, q in _found(wanted, article, toks, keys, vocab):
            here = relevance
            if _time_of_week(d):
                # A weekday or a time of day answers what its own clause says ("Staff discovered
                # the attack on Sunday, when employees could not log in"), not the whole sentence.
                clause = _clause(toks, s, e)
                if _doubted(clause, s) or any(w.lower in REPORTING_VERBS for w in clause):
                    continue
                here = wanted.relevance(content_keys(list(clause)))
            elif doubtful and _governed_by_doubt(article.text, lo, hi, s, e):
                continue
            out.append(Candidate(article.id, s, e, v, k, (lo, hi), here, d, q))
    return out


# Words that open a clause of their own: what follows them is said of another moment.
_CLAUSE_OPENERS = frozenset(
    "when while because which that who whose where whereas but although though".split()
)
_CLAUSE_MARKS = frozenset(", ; : ( ) — – -- ".split())


def _doubted(clause: Sequence[Word], at: int) -> bool:
    """Whether a word of the clause denies, doubts or plans; "not ... until" before the phrase at
    offset `at` places it in time rather than denying it ("not brought under control until 6:30")."""
    for n, w in enumerate(clause):
        if _doubts(w) and not (
            w.lower in ("not", "never") and any(u.lower == "until" and u.start < at for u in clause[n + 1 :])
        ):
            return True
    return False


def _governed_by_doubt(text: str, lo: int, hi: int, start: int, end: int) -> bool:
    """Whether a word that denies, doubts or plans governs the phrase at [start, end) of the
    sentence text[lo:hi], as read by spaCy's dependency parser: a word the phrase depends on ("is
    expected to cost £2.4 million") or one modifying such a word ("did not kill 12"); not a word of
    another clause ("received 55,000 pages ... documents they may have had")."""
    doc = parse(text[lo:hi])
    inside = [t for t in doc if lo + t.idx < end and lo + t.idx + len(t.text) > start]
    if not inside:
        return True
    chain = {t.i for t in inside} | {a.i for t in inside for a in t.ancestors}
    return any(
        (t.text in _DOUBT or t.lower_.endswith(("n't", "n’t"))) and (t.i in chain or t.head.i in chain)
        for t in doc
    )


def _opens(w: Word) -> bool:
    return w.text in _CLAUSE_MARKS or w.lower in _CLAUSE_OPENERS


def _clause(toks: Sequence[Word], start: int, end: int) -> Sequence[Word]:
    """The tokens of the clause holding the phrase at [start, end): between the punctuation or the
    clause-opening words around it."""
    inside = [n for n, w in enumerate(toks) if w.start < end and w.end > start]
    if not inside:
        return []
    first, last = inside[0], inside[-1]
    while first > 0 and not _opens(toks[first - 1]):
        first -= 1
    while last + 1 < len(toks) and not _opens(toks[last + 1]):
        last += 1
    return toks[first : last + 1]


Raw = tuple[int, int, str, frozenset[str], DateMention | None, Quantity | None]


def _found(
    wanted: Asked, article: Article, toks: Sequence[Word], keys: list[str], vocab: Vocabulary
) -> list[Raw]:
    if wanted.kind == DATE:
        return _dates(wanted, article.text, toks)
    if wanted.kind == COUNT:
        return _counts(wanted, article.text, toks)
    if wanted.kind == NAME:
        return _names(wanted, article.text, toks, keys, vocab)
    return []


def _dates(wanted: Asked, text: str, toks: Sequence[Word]) -> list[Raw]:
    """The date the sentence gives: a year (with its month and day) for "when", else the one time
    of day (with its weekday) or the one weekday it states; "what time" wants a time of day and
    "what day" a weekday."""
    if wanted.unit == "":
        found = _years(wanted, text, toks)
        if found:
            return found
    lo, hi = toks[0].start, toks[-1].end
    written = [d for d in dates_in(text, lo, hi) if not (d.weekday and d.weekday in wanted.keys)]
    # one weekday and no calendar date beside it ("on 13 November, ... ended on Friday" gives none)
    one_weekday = bool(written) and all(d.weekday and d.weekday == written[0].weekday for d in written)
    day = written[-1] if one_weekday else None
    if wanted.unit != DAY:
        clocks = {d.text.lower(): d for d in clock_times(text, lo, hi)}
        if len(clocks) == 1:
            c = next(iter(clocks.values()))
            shown = replace(c, weekday=day.weekday) if day else c
            return [(c.start, c.end, c.text, frozenset({c.text.lower()}), shown, None)]
        if wanted.unit == CLOCK or clocks:
            return []
    if day is None:
        return []
    return [(day.start, day.end, day.label(), frozenset({day.weekday}), day, None)]


def is_time_of_week(c: Candidate) -> bool:
    """Whether a date answer is a weekday or a time of day, not a calendar date or a year."""
    return _time_of_week(c.date)


def _time_of_week(d: DateMention | None) -> bool:
    return d is not None and not d.year and bool(d.weekday or d.clock)


def _years(wanted: Asked, text: str, toks: Sequence[Word]) -> list[Raw]:
    """The one year the sentence states (not one the question names), with its month and day."""
    dated = [d for d in dates_in(text, toks[0].start, toks[-1].end) if d.year]
    dated = [d for d in dated if str(d.year) not in wanted.keys]
    if len({d.year for d in dated}) != 1 or _year_range(text, dated[0]):
        return []
    d = max(dated, key=lambda m: (bool(m.month), bool(m.day)))
    return [(d.start, d.end, d.label(), frozenset({str(d.year)}), d, None)]


def _year_range(text: str, d: DateMention) -> bool:
    """True for a span of years ("1997–98", "650 – 1200", "from 2013 to 2018"): no single answer."""
    before, after = text[max(0, d.start - 8) : d.start], text[d.end : d.end + 6]
    return (
        any(c in after[:3] for c in "–—-/")
        or any(c in before[-3:] for c in "–—-")
        or (after.lstrip().startswith(("to ", "and ")))
    )


def _counts(wanted: Asked, text: str, toks: Sequence[Word]) -> list[Raw]:
    """The one count of the asked thing the sentence states ("13 episodes", "about 180 countries")."""
    found = [
        q
        for q in quantities_in(text, toks[0].start, toks[-1].end)
        if q.dimension == "count" and (not wanted.unit or _counts_unit(q, wanted.unit)) and not vague(q)
    ]
    if len({q.value for q in found}) != 1:
        return []
    q = found[0]
    return [(q.start, q.end, q.label, frozenset({f"{q.value:g}"}), None, q)]


def vague(q: Quantity) -> bool:
    """ "several lakes", "dozens of cities": no figure to disagree with."""
    return any(w in VAGUE for w in q.label.lower().split())


def _counts_unit(q: Quantity, unit: str) -> bool:
    return any(same_key(unit, key(singular(w))) for w in (q.unit, q.noun) if w)


def _names(wanted: Asked, text: str, toks: Sequence[Word], keys: list[str], vocab: Vocabulary) -> list[Raw]:
    keys = [canonical(k) for k in keys]
    anchors = [bool(k) and any(same_key(q, k) for q in wanted.keys) for k in keys]
    quoted = _quoted(toks)
    out: list[Raw] = []
    for first, last in _runs(toks, vocab.lower):
        run = toks[first : last + 1]
        if any(anchors[first : last + 1]) or any(quoted[first : last + 1]):
            continue
        if run[-1].lower.endswith(("'s", "’s")) or _modifier(toks, last):
            continue
        if first == last and run[0].lower not in vocab.named:
            continue  # "Breakfast", "TV": a lone capitalised word the sources never use in a name
        words_ = [w for w in run if w.lower not in _CONNECTORS and w.text[0].isalnum()]
        proper = [w for w in words_ if w.text.lower() not in vocab.lower] or words_
        run_keys = frozenset(key(w.text) for w in proper)  # "President Joe Biden": "joe", "biden"
        if _answers(wanted, toks, keys, anchors, first, last):
            out.append((run[0].start, run[-1].end, text[run[0].start : run[-1].end], run_keys, None, None))
    return out


def _runs(toks: Sequence[Word], common: Collection[str]) -> list[tuple[int, int]]:
    """(first, last) token of each run of capitalised words ("Gen. George Armstrong Custer",
    "Jean de Florette"); a sentence's opening word that the sources also write in lower case
    ("Despite", "However") is not part of a name."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if not _capital(toks[i]) or (i == 0 and toks[i].lower in common):
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and (
            _capital(toks[j + 1])
            or (j + 2 < len(toks) and _capital(toks[j + 2]) and _joins(toks[j], toks[j + 1]))
        ):
            j += 2 if not _capital(toks[j + 1]) else 1
        out.append((i, j))
        i = j + 1
    return out


def _doubts(w: Word) -> bool:
    return w.text in _DOUBT or w.lower.endswith(("n't", "n’t"))


def _capital(w: Word) -> bool:
    return w.text[0].isupper() and w.lower not in STOP_WORDS and w.lower.rstrip(".") not in _CALENDAR


def _joins(before: Word, w: Word) -> bool:
    """A connector inside a name ("de", "of") or the full stop of a title ("Gen." "Dr.")."""
    return w.lower in _CONNECTORS or (w.text == "." and len(before.text) <= 4)


def _modifier(toks: Sequence[Word], last: int) -> bool:
    """ "American singer Diana Ross", "Clippers guard Eric Gordon": the run describes the name after."""
    if last + 2 >= len(toks):
        return False
    noun, after = toks[last + 1], toks[last + 2]
    return noun.text.isalpha() and noun.text.islower() and noun.lower not in STOP_WORDS and _capital(after)


def _quoted(toks: Sequence[Word]) -> list[bool]:
    """Which tokens stand inside quotation marks (titles of songs and books, not people)."""
    out, closing = [], ""
    for w in toks:
        if closing and w.text == closing:
            closing = ""
            out.append(True)
        elif not closing and w.text in _QUOTES:
            closing = _QUOTES[w.text]
            out.append(True)
        else:
            out.append(bool(closing))
    return out


def _answers(
    wanted: Asked, toks: Sequence[Word], keys: list[str], anchors: list[bool], first: int, last: int
) -> bool:
    """True when the name stands where the question's answer stands relative to its words: the
    agent of the question's verb ("X wrote", "written by X"), or the name of one of its common nouns
    ("bassist X", "X is the largest delta", "X as Aang")."""
    left = _reach(toks, anchors, range(first - 1, max(-1, first - 1 - _MAX_GAP), -1))
    right = _reach(toks, anchors, range(last + 1, min(len(toks), last + 1 + _MAX_GAP)))
    if left is not None:
        gap = _gap(toks, left + 1, first)
        if keys[left] in wanted.verbs and "by" in gap and gap <= _BEFORE_VERB | {"by", "and"}:
            return True
        if keys[left] not in wanted.verbs and _common_noun(toks[left]) and gap <= _AFTER_NOUN:
            return True
    if right is None:
        return False
    gap = _gap(toks, last + 1, right)
    if keys[right] in wanted.verbs:  # "Nolan Arenado of the Colorado Rockies hit": not the Rockies
        return gap <= _BEFORE_VERB and not _complement(toks, first)
    if gap == {"as"}:
        return True
    # "X is the largest delta"; not "Mekong delta", a name used as a modifier
    return _common_noun(toks[right]) and bool(gap) and gap <= _BEFORE_NOUN and gap != {"the"}


def _common_noun(w: Word) -> bool:
    return w.text.isalpha() and w.text.islower()


def _complement(toks: Sequence[Word], first: int) -> bool:
    """True when the name follows "of" or "of the": it completes another phrase."""
    before = [w.lower for w in toks[max(0, first - 2) : first]]
    return bool(before) and (before[-1] == "of" or before == ["of", "the"])


def _reach(toks: Sequence[Word], anchors: list[bool], steps: range) -> int | None:
    """The first question word met walking `steps`, if only short linking words come before it."""
    for j in steps:
        if anchors[j]:
            return j
        if toks[j].text[0].isupper() or toks[j].lower not in _LINKS:
            return None
    return None


_LINKS = _BEFORE_VERB | _BEFORE_NOUN | _AFTER_NOUN | {"by", "and"}


def _gap(toks: Sequence[Word], lo: int, hi: int) -> frozenset[str]:
    return frozenset(w.lower for w in toks[lo:hi])
