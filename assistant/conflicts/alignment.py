"""Which claims of different articles speak about the same point.

A claim is found in its sentence (`Statement`); two claims are aligned when they measure the same
attribute of the same thing: their subjects share a name and another word ("the Iranian strike" and
"Iran's attack"), their sentences say nearly the same thing, or, for a question that asks for one
kind of answer, both are about what the question names, in their sentence or in the context their
relevance is read from (the sentence before, the headline): "Ms Vale, 61, wept in court" after "The
former treasurer was jailed" is about the treasurer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from assistant.conflicts import floors
from assistant.conflicts.claims import Claim, claims_in
from assistant.conflicts.focus import Focus
from assistant.conflicts.lexicon import EVENT_CLASSES
from assistant.conflicts.restatements import compare, sentence
from assistant.conflicts.subjects import content_keys, key, words
from assistant.text.dates import DateMention, dates_in
from assistant.text.quantities import ratio
from index.article import Article
from index.sentences import sentence_spans

_EVENTS = frozenset(EVENT_CLASSES.values())
_MAX_RATIO = 20.0  # figures further apart than this measure different things
_NEAR_CHARS = 60  # a year this close to a figure dates it ("3,559 people as of the 2010 census")


@dataclass(frozen=True)
class Statement:
    """A sentence of an article and its content words."""

    source: str
    start: int
    end: int
    keys: frozenset[str]


@dataclass(frozen=True, eq=False)
class Found:
    """A claim in its sentence, with how well the sentence matches the question (1.0 without one)."""

    claim: Claim
    statement: Statement
    relevance: float = 1.0
    when: tuple[int, int] = (0, 0)  # (year, month) the sentence ties the claim to ("the 2010 census")
    context: frozenset[str] = frozenset()  # keys of the sentence, the one before it and the headline

    @property
    def source(self) -> str:
        """The article id."""
        return self.statement.source


def statements(
    article: Article, ranges: Iterable[tuple[int, int]], wanted: Focus | None = None
) -> list[Found]:
    """The claims of every sentence of the article that overlaps one of the character ranges."""
    text = article.text
    ranges = list(ranges)
    title = content_keys(words(article.title))
    out: list[Found] = []
    previous: tuple[int, int] | None = None
    for lo, hi in sentence_spans(text):
        if any(lo < r_hi and hi > r_lo for r_lo, r_hi in ranges):
            claims = claims_in(text, lo, hi, previous)
            if claims:
                keys = content_keys(words(text, lo, hi))
                context = keys | title | (content_keys(words(text, *previous)) if previous else set())
                dates = [d for d in dates_in(text, lo, hi) if d.year or d.month]
                statement = Statement(article.id, lo, hi, frozenset(keys))
                out += [
                    Found(
                        c,
                        statement,
                        question_share(wanted, context | c.subject),
                        _when(c, dates),
                        frozenset(context),
                    )
                    for c in claims
                ]
        previous = (lo, hi)
    return out


def restated(
    articles: Collection[Article], ranges: dict[str, list[tuple[int, int]]], wanted: Focus | None = None
) -> tuple[list[Found], frozenset[frozenset[str]]]:
    """Claims of the values by which near-identical sentences of different articles differ (one per
    sentence and value), and the pairs of articles found to describe namesakes (see restatements.py)."""
    sentences = [
        sentence(a.id, a.text, lo, hi)
        for a in articles
        for lo, hi in sentence_spans(a.text)
        if any(lo < r_hi and hi > r_lo for r_lo, r_hi in ranges.get(a.id, ()))
    ]
    comparison = compare(sentences)
    if not comparison.swaps:
        return [], comparison.namesakes
    # A rewritten sentence rarely repeats what the article is about: its title and lead do.
    titles = {a.id: frozenset(content_keys(words(a.title)) | _lead_keys(a.text)) for a in articles}
    out: dict[tuple[str, int, str], Found] = {}
    for x, y, swap in comparison.swaps:
        keys = [frozenset(content_keys(list(s.tokens))) for s in (x, y)]
        # The two sentences say the same thing: if one is about the question, so is the other.
        relevance = max(
            question_share(wanted, set(k | titles[s.source])) for s, k in zip((x, y), keys, strict=True)
        )
        for s, k, slot in ((x, keys[0], swap.a), (y, keys[1], swap.b)):
            claim = Claim(
                "restated", f"restated:{swap.kind}:{swap.context.lower()}", slot.value, slot.start, slot.end,
                k, slot.keys, state=" ".join(sorted(slot.keys)),
            )  # fmt: skip
            key_ = (s.source, slot.start, claim.attribute)
            if key_ not in out or out[key_].relevance < relevance:
                out[key_] = Found(claim, Statement(s.source, s.start, s.end, k), relevance)
    return list(out.values()), comparison.namesakes


def _lead_keys(text: str) -> set[str]:
    lead = next(sentence_spans(text), None)
    return content_keys(words(text, *lead)) if lead else set()


def _when(claim: Claim, dates: list[DateMention]) -> tuple[int, int]:
    """The year and month written nearest the claim (within a short distance), not its own date."""
    near = [
        (min(abs(d.start - claim.end), abs(claim.start - d.end)), d)
        for d in dates
        if (d.start, d.end) != (claim.start, claim.end)
        and not (claim.start <= d.start < claim.end)
        and not _opens_range(d, dates)
    ]
    near = [(gap, d) for gap, d in near if gap <= _NEAR_CHARS]
    if not near:
        return (0, 0)
    date = min(near, key=lambda pair: pair[0])[1]
    return (date.year, date.month)


def _opens_range(d: DateMention, dates: list[DateMention]) -> bool:
    """Whether the date is the first of a range ("the July-September quarter", "June to August"):
    the range ends with the other."""
    return bool(d.month) and any(e.month and 0 < e.start - d.end <= 4 for e in dates if e is not d)


def sentence_keys(articles: Iterable[Article]) -> list[frozenset[str]]:
    """Content keys of every sentence of the articles (to weight question words by rarity)."""
    return [
        frozenset(content_keys(words(a.text, lo, hi))) for a in articles for lo, hi in sentence_spans(a.text)
    ]


def question_share(wanted: Focus | None, keys: set[str] | frozenset[str]) -> float:
    """Weighted share of the question's words that the claim's sentence and context contain."""
    if wanted is None or not wanted.keys:
        return 1.0
    pool = list(keys)
    weight = {k: wanted.weights.get(k, 1.0) for k in wanted.keys}
    found = sum(w for k, w in weight.items() if any(_same(k, p) for p in pool))
    return found / sum(weight.values())


def _same(a: str, b: str) -> bool:
    """Equal keys, or a name and its adjective ("iran"/"iranian", "isra"/"israel")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3


def matches(wanted: Iterable[str], keys: Iterable[str]) -> int:
    """How many of `wanted` appear among `keys`."""
    pool = list(keys)
    return sum(1 for w in wanted if any(_same(w, k) for k in pool))


def aligned(a: Found, b: Found, wanted: Focus | None) -> bool:
    """True when the two claims measure the same attribute of the same thing."""
    ca, cb = a.claim, b.claim
    if not comparable(ca, cb):
        return False
    if wanted and (wanted.family or wanted.noun) and ca.kind in ("quantity", "date", "tally"):
        # The question names the thing measured: both sentences must be about it.
        return (
            matches(wanted.keys, ca.subject | a.statement.keys | a.context) > 0
            and matches(wanted.keys, cb.subject | b.statement.keys | b.context) > 0
        )
    if restates(a, b):
        return True
    shared_names = matches(ca.entities, cb.entities)
    shared = shared_words(ca, cb)
    return shared_names >= 1 and shared >= 2


def restates(a: Found, b: Found) -> bool:
    """True when the two sentences say nearly the same thing (most content words shared)."""
    sa, sb = _words_only(a.statement.keys), _words_only(b.statement.keys)
    return bool(sa and sb) and matches(sa, sb) / max(len(sa), len(sb)) >= floors.current().same_sentence


def _words_only(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(k for k in keys if not k[:1].isdigit())


def comparable(ca: Claim, cb: Claim) -> bool:
    """Guards against comparing different things that share an attribute."""
    qa, qb = ca.quantity, cb.quantity
    if qa and qb:
        if qa.noun and qb.noun and key(qa.noun) != key(qb.noun):
            return False  # "30-minute call" versus "two-day visit"
        if qa.counts_apart(qb):
            return False  # "24 maternity beds" against "120 beds"
        if ratio(qa, qb) > _MAX_RATIO:
            return False
    events_a, events_b = ca.subject & _EVENTS, cb.subject & _EVENTS
    return not (events_a and events_b and not events_a & events_b)


def shared_words(ca: Claim, cb: Claim) -> int:
    """How many words (not figures) naming what is measured the two claims' subjects share."""
    return matches(ca.subject - _numbers(ca), cb.subject - _numbers(cb))


def _numbers(claim: Claim) -> frozenset[str]:
    return frozenset(k for k in claim.subject if k[:1].isdigit())
