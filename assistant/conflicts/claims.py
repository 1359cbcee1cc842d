"""Claims a sentence makes, normalised so that two articles' versions can be compared.

A claim is one checkable statement: an amount ("the 30-minute call"), a date tied to an event verb
("born on July 15, 1905"), a polarity ("caused no casualties" / "killed a lone man"), or one side
of a pair of opposing terms ("postponed" / "cancelled"). Each carries its `attribute` (claims are
only compared within one attribute) and the words naming what it is about (`subject`), so that the
length of a call is compared with the length of a call, not with "two months" since the last one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conflicts.lexicon import (
    CASUALTY_BLOCKERS,
    CASUALTY_WORDS,
    CONTEST_WORDS,
    END_VERBS,
    EVENT_VERBS,
    GAP_CUES,
    HOLDER_GROUPS,
    HYPOTHETICAL,
    LENGTH_CUES,
    NEGATORS,
    OFFSET_AFTER,
    OPPOSITE_PHRASES,
    OPPOSITES,
    PERIOD_CUES,
)  # fmt: skip
from assistant.conflicts.subjects import BOUNDARIES, Scope, Word, entity_keys, key, words
from assistant.text.dates import DateMention, clock_times, dates_in
from assistant.text.numbers import SMALL_NUMBERS
from assistant.text.quantities import Quantity, is_unit, quantities_in
from assistant.text.terms import STOP_WORDS
from index.nlp import head_verb

LENGTH = "duration:length"  # the attribute of how long something lasted
_NOT_A_DAY = frozenset("first second third fourth last every each following previous next".split())
_HARM_SCOPE = {"death": {"death"}, "injury": {"injury"}, "either": {"death", "injury", "either"}}
_OBJECT_WORDS = frozenset("a an the at least about more than some its his her their of".split())
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten dozens hundreds thousands".split()
)


@dataclass(frozen=True)
class Claim:
    """One checkable statement of a sentence; offsets point into the article text."""

    kind: str  # quantity | date | polarity | stance | tally
    attribute: str  # claims are compared only within one attribute
    value: str  # the normalised claim as shown: "about 50 minutes", "no casualties"
    start: int
    end: int
    subject: frozenset[str] = frozenset()  # keys naming what the claim is about
    entities: frozenset[str] = frozenset()  # the names among them
    quantity: Quantity | None = None
    date: DateMention | None = None
    state: str = ""  # polarity "no:death" / "yes:either"; stance "postponed"

    def disagrees(self, other: Claim) -> bool:
        """True when both cannot hold of the same thing at the same time."""
        if self.attribute != other.attribute:
            return False
        if self.quantity and other.quantity:
            return not self.quantity.agrees(other.quantity)
        if self.date and other.date:
            return self.date.disagrees(other.date)
        if self.kind == "polarity":
            return _harm_conflict(self.state, other.state) or _harm_conflict(other.state, self.state)
        return self.state != other.state


def _harm_conflict(denial: str, report: str) -> bool:
    """ "No casualties" denies deaths and injuries; "no deaths" does not deny injuries."""
    said, _, scope = denial.partition(":")
    other_said, _, other_scope = report.partition(":")
    return said == "no" and other_said == "yes" and other_scope in _HARM_SCOPE[scope]


def claims_in(text: str, start: int, end: int, previous: tuple[int, int] | None = None) -> list[Claim]:
    """Every claim of the sentence text[start:end]; `previous` is the sentence before it, which
    resolves "the onslaught, which killed ..." to the attack it names."""
    toks = words(text, start, end)
    prev_entities = entity_keys(words(text, *previous), previous[0]) if previous else set()
    scope = Scope(toks, start, prev_entities)
    found: list[Claim | None] = [_quantity_claim(q, toks, scope) for q in quantities_in(text, start, end)]
    found += [_date_claim(d, toks, scope, text, start, end) for d in dates_in(text, start, end)]
    if any(w.text.islower() for w in toks):  # "10 October 2025 | 7:30 PM | The Islander" is a dateline
        found += [_clock_claim(d, scope) for d in clock_times(text, start, end)]
    found += _polarity_claims(toks, scope)
    found += _tally_claims(text, start, end, toks, scope)
    found += _stance_claims(toks, scope)
    return [c for c in found if c is not None]


def duration_role(toks: list[Word], first: int, last: int, q: Quantity) -> str:
    """What a duration measures: the length of something, the gap since the last one, an offset
    ("one day after"), a period ("in the first two months of the war"), an age, or "" (unclear)."""
    if q.dimension == "age":
        return "age"
    if q.noun:
        return "length"
    after = toks[last + 1].lower if last + 1 < len(toks) else ""
    before = [w.lower for w in toks[max(0, first - 14) : first]]
    cue = before[-1] if before else ""
    if after in OFFSET_AFTER:
        if cue == "for" and after != "of":
            return "length"  # "trapped for 31 hours before rescuers reached them"
        return "period" if after == "of" else "offset"
    if cue == "after":
        return "length" if END_VERBS & set(before[-4:]) else "offset"
    if cue in ("in", "within", "since") and (GAP_CUES & set(before) or cue == "since"):
        return "gap"  # "the first call in nearly two months"
    if cue in LENGTH_CUES:
        return "length"
    if cue in PERIOD_CUES or cue in ("in", "within", "over", "during"):
        return "period"
    return ""


def _quantity_claim(q: Quantity, toks: list[Word], scope: Scope) -> Claim:
    first, last = scope.index(q.start), scope.index(q.end - 1)
    if q.dimension in ("duration", "age"):
        attribute = f"duration:{duration_role(toks, first, last, q)}"
    elif q.dimension == "count":
        attribute = f"count:{key(q.unit)}"
    elif q.dimension == "money":
        attribute = f"money:{q.unit}"
    else:
        attribute = q.dimension
    subject, entities = scope.around(first, last)
    if q.noun:
        subject |= {key(q.noun)}
    if q.dimension == "count":
        subject |= {key(q.unit)}  # "the 840-page agreement" is about pages
    return Claim("quantity", attribute, q.label, q.start, q.end, subject, entities, quantity=q)


def _date_claim(
    d: DateMention, toks: list[Word], scope: Scope, text: str, start: int, end: int
) -> Claim | None:
    """A date tied to the event it dates: an event verb before it in its clause ("was founded in
    1856"), else the verb it attaches to in the sentence's parse ("has led the party since 2002")."""
    first, last = scope.index(d.start), scope.index(d.end - 1)
    if d.weekday and first > 0 and toks[first - 1].lower in _NOT_A_DAY:
        return None  # "the first Tuesday after the first Monday" names a rule, not a day
    window = [w.lower for w in toks[max(0, first - 16) : first]]
    cut = max((i for i, w in enumerate(window) if w in BOUNDARIES), default=-1)
    event = next((EVENT_VERBS[w] for w in reversed(window[cut + 1 :]) if w in EVENT_VERBS), "")
    if not event:
        event = _governing_verb(text, start, end, d.start)
    if not event:
        return None
    subject, entities = scope.around(first, last)
    return Claim("date", f"date:{event}", d.label(), d.start, d.end, subject, entities, date=d)


def _governing_verb(text: str, start: int, end: int, at: int) -> str:
    """The event key of the verb the word at `at` attaches to in the parse of text[start:end]."""
    verb = head_verb(text[start:end], at - start)
    return "" if verb is None else EVENT_VERBS.get(verb.lower_) or key(verb.text)


def _clock_claim(d: DateMention, scope: Scope) -> Claim:
    """A time of day ("struck the rocks at 6:40 a.m."): what happened then is read from the
    question the claim answers, as times of day are rarely written twice in one story."""
    subject, entities = scope.around(scope.index(d.start), scope.index(d.end - 1))
    return Claim("date", "date:time", d.label(), d.start, d.end, subject, entities, date=d)


_NUMBER = r"\d{1,3}|" + "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
_TALLY = re.compile(
    rf"(?<![\w$£€.,/:-])(?P<a>\d{{1,3}})\s?[-–]\s?(?P<b>\d{{1,3}})(?![\w%/:-]|[.,]\d)"
    rf"|(?<![\d,.])\b(?P<c>{_NUMBER})\s+votes?\s+to\s+(?P<d>{_NUMBER})\b(?![,.]?\d)",
    re.IGNORECASE,
)


def _tally_claims(text: str, start: int, end: int, toks: list[Word], scope: Scope) -> list[Claim]:
    """The result of a vote or a match written as a pair of figures: "voted 6-5", "won 3-1", "by
    seven votes to four", read in a sentence that names a contest (a pair elsewhere may be a range
    or a label). "7-4" and "4-7" are one result."""
    if not CONTEST_WORDS & {w.lower for w in toks}:
        return []
    out = []
    for match in _TALLY.finditer(text, start, end):
        pair = ("a", "b") if match.group("a") else ("c", "d")
        a, b = (_count(match.group(g) or "") for g in pair)
        if _followed_by_unit(text, match.end()):
            continue  # "a 30-40 minute wait" is a range
        first, last = scope.index(match.start()), scope.index(match.end() - 1)
        subject, entities = scope.around(first, last)
        state = f"{max(a, b)}-{min(a, b)}"
        out.append(
            Claim("tally", "tally", match.group(), match.start(), match.end(), subject, entities, state=state)
        )
    return out


def _count(word: str) -> int:
    return int(word) if word.isdigit() else SMALL_NUMBERS[word.lower()]


def _followed_by_unit(text: str, end: int) -> bool:
    after = re.match(r"\s*([A-Za-z]+)", text[end : end + 20])
    return after is not None and is_unit(after.group(1))


def _polarity_claims(toks: list[Word], scope: Scope) -> list[Claim]:
    """ "caused no casualties", "no one was killed" versus "killed a lone man", "four were injured"."""
    out = []
    for i, w in enumerate(toks):
        harm = CASUALTY_WORDS.get(w.lower)
        if not harm:
            continue
        before = [t.lower for t in toks[max(0, i - 4) : i]]
        if "," in before:  # negation and hedges do not reach across a comma
            before = before[len(before) - before[::-1].index(",") :]
        if set(before) & (HYPOTHETICAL | CASUALTY_BLOCKERS):
            continue
        neg_at = next((i - len(before) + k for k, t in enumerate(before) if t in NEGATORS), None)
        if neg_at is None and i + 1 < len(toks) and toks[i + 1].lower in ("no", "nobody", "none"):
            neg_at = i + 1
        if neg_at is not None:
            first, last = min(i, neg_at), max(i, neg_at)
            value = {"death": "no deaths", "injury": "no injuries"}.get(harm, "no casualties")
        else:
            first, last = _victims_start(toks, i), _object_end(toks, i)
            value = " ".join(t.text for t in toks[first : last + 1])
        said = "yes" if neg_at is None else "no"
        subject, entities = scope.around(first, i)
        start, end = toks[first].start, toks[last].end
        out.append(Claim("polarity", "harm", value, start, end, subject, entities, state=f"{said}:{harm}"))
    return out


def _victims_start(toks: list[Word], i: int) -> int:
    """Start of "four crew members were injured": a counted subject just before a passive verb."""
    for j in range(i - 1, max(-1, i - 6), -1):
        word = toks[j]
        if not word.text[0].isalnum():
            break
        if word.text[0].isdigit() or word.lower in _NUMBER_WORDS:
            return j
    return i


def _object_end(toks: list[Word], i: int) -> int:
    """Index of the last word of a verb's short object: "killed a lone Palestinian man"."""
    last = i
    for j in range(i + 1, min(i + 6, len(toks))):
        word = toks[j]
        if not word.text[0].isalnum() or (word.lower in STOP_WORDS and word.lower not in _OBJECT_WORDS):
            break
        last = j
    return last


def _stance_claims(toks: list[Word], scope: Scope) -> list[Claim]:
    """One side of an opposing pair: postponed/cancelled, approved/rejected, won/lost, rose/fell."""
    out = []
    for i, w in enumerate(toks):
        pair = " ".join(t.lower for t in toks[i : i + 2])
        if pair in OPPOSITE_PHRASES:
            answer = OPPOSITE_PHRASES[pair]
            group = next(g for g, a in OPPOSITES.values() if a == answer)
        elif w.lower in OPPOSITES:
            group, answer = OPPOSITES[w.lower]
        else:
            continue
        if {t.lower for t in toks[max(0, i - 3) : i]} & (NEGATORS | HYPOTHETICAL):
            continue
        attribute = f"stance:{group}"
        if group in HOLDER_GROUPS:  # "Rovers won" and "Ashby lost" agree: compare per holder
            holder = scope.holder(i)
            if not holder:
                continue
            attribute += f":{holder}"
        subject, entities = scope.around(i, i)
        out.append(Claim("stance", attribute, answer, w.start, w.end, subject, entities, state=answer))
    return out
