"""The embedded default answer engine: no model, no network, only sentences the articles contain.

Every sentence of the retrieved passages is scored against the question by a logistic model fitted
on labelled questions (`python -m bench.quality.fit_sentences`, saved in `sentences.json`): how
much of the question's weight (IDF of its content words) the sentence, its neighbour and its
passage cover, whether it holds the kind of thing asked for (a duration for "how long", a number
for "how many", a date for "when", a name for "who"), its closeness in meaning to the question
(MiniLM cosine), its passage's rank, its place in the article, and its story's share of the
retrieved passages (a question about one event retrieves mostly that event's articles). The best
sentences above the fitted floor, at most a few an article, near-duplicates merged, make the
answer, each attributed to its outlet and followed by its citation markers. The engine abstains
when the best sentences hold too little of the question's words (`MIN_COVERAGE`) and none is close
to it in meaning either (`MIN_MEANING`, fitted by the same script): a question worded away from the
articles is still answered.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Passage
from assistant.text.terms import content_terms
from index.article import Chunk
from index.sentences import sentence_spans

MIN_COVERAGE = 0.35  # below this the best sentences do not hold enough of the question's words
_DUPLICATE = 0.55
_RERANK = 16  # sentences compared with the question in meaning (a cost bound: each is embedded)
_MEANING_CHARS = 300  # of a sentence, embedded for that: web text can run on without a full stop
FEATURES = (
    "own",
    "context",
    "passage",
    "passage_rank",
    "typed",
    "asks_type",
    "cosine",
    "position",
    "length",
    "story",
)
_FITTED = json.loads(Path(__file__).with_name("sentences.json").read_text(encoding="utf-8"))
_WEIGHTS: dict[str, float] = _FITTED["weights"]
_BIAS: float = _FITTED["bias"]
FLOOR: float = _FITTED["floor"]  # sentences scoring less are not part of the answer
MAX_SENTENCES: int = _FITTED["most"]  # claims in an answer
PER_ARTICLE: int = _FITTED["per_article"]  # claims taken from one article
# A question whose words the best sentences do not cover is still answered when a sentence is this
# close to it in meaning (cosine): "How late did the band go on stage?" against "The concert went
# ahead after a delay of 45 minutes". Below both, abstain.
MIN_MEANING: float = _FITTED.get("meaning_floor", math.inf)  # absent: words alone decide
_TIME_SINCE = re.compile(
    r"\b(?:in|within|past|last|first|since)\s+(?:the\s+)?(?:almost|nearly|about|over|more than)?\s*$", re.I
)
# content-word Jaccard above which two sentences say the same thing

# "Who else joined besides Biden and Netanyahu?": the names after "besides" are not what is asked.
_EXCLUDED = re.compile(r"\b(?:besides|other than|except(?: for)?|apart from|aside from)\s+([^?.,;]+)", re.I)
_NUMBER = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|half)"
# (what the question asks, what an answer holds, words of the question that only say what is asked)
_ANSWER_TYPES: list[tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]] = [
    (
        re.compile(r"\bhow long\b|\bduration\b|\blength\b", re.I),
        re.compile(
            rf"\b(?:{_NUMBER}[- ](?:second|minute|hour|day|week|month|year)s?|an? (?:hour|minute|day|week))\b"
            r"(?!-long)",
            re.I,
        ),
        frozenset({"long", "last", "take", "durat", "length"}),
    ),
    (
        re.compile(r"\bhow (?:many|much)\b|\bnumber of\b|\btoll\b|\bcount\b|\bpopulation\b", re.I),
        re.compile(rf"\b{_NUMBER}\b|\$\s?\d", re.I),
        frozenset({"number", "count"}),
    ),
    (
        re.compile(r"^\s*when\b|\bwhat (?:date|day|time|year|month)\b|\bhow recently\b", re.I),
        re.compile(
            r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
            r"may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|"
            r"oct|nov|dec|\d{4}|yesterday|today|last (?:week|month|year)|(?:weeks?|months?|years?) ago|"
            r"since)\b",
            re.I,
        ),
        frozenset({"date", "day", "time", "year", "month", "recent"}),
    ),
    (
        re.compile(r"^\s*who\b|\bwhich (?:person|people|official|leader)s?\b", re.I),
        re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)+"),
        frozenset({"person", "peopl", "offici", "leader"}),
    ),
]


@dataclass(frozen=True)
class Sentence:
    """A candidate answer sentence, located in its article."""

    passage: Passage
    start: int
    end: int
    text: str
    score: float
    coverage: float
    features: tuple[float, ...] = ()  # what `score` was computed from (`FEATURES`)


@dataclass(frozen=True)
class Selection:
    """Sentences chosen for the answer; each group says the same thing in one or more articles."""

    groups: tuple[tuple[Sentence, ...], ...]
    best_coverage: float
    best_meaning: float = 0.0

    @property
    def answerable(self) -> bool:
        """Whether the best sentences address the question, in its words or in meaning."""
        return bool(self.groups) and (self.best_coverage >= MIN_COVERAGE or self.best_meaning >= MIN_MEANING)


Similarity = Callable[[Sequence[str]], Sequence[float]]


def candidates(
    question: str,
    passages: Sequence[Passage],
    idf: Callable[[str], float],
    similarity: Similarity | None = None,
) -> list[Sentence]:
    """Every sentence of the passages, scored against the question, best first.

    A sentence is read through `FEATURES`: how much of the question's rarity-weighted words it
    covers, with its preceding sentence (news sentences lean on their neighbours: "the onslaught,
    which killed ...") and in its whole passage; the passage's rank; whether it holds the kind of
    value the question asks for; its closeness in meaning to the question (when `similarity` gives
    cosines); where it stands in its article and how long it is; how much of the retrieval (passages
    weighted by rank) its article's story holds. The score is the probability, from the model
    fitted by `python -m bench.quality.fit_sentences`, that it states a key fact.
    """
    asked = [(answer, cue) for asks, answer, cue in _ANSWER_TYPES if asks.search(question)]
    cue_words = set().union(*(cue for _, cue in asked)) if asked else set()
    excluded = {t for phrase in _EXCLUDED.findall(question) for t in content_terms(phrase)}
    weights = {t: idf(t) for t in set(content_terms(question)) - cue_words - excluded}
    total = sum(weights.values()) or 1.0

    def coverage(terms: set[str]) -> float:
        return sum(w for t, w in weights.items() if t in terms) / total

    wanted = [answer for answer, _ in asked]
    story = _story_shares(passages)
    seen: set[tuple[str, int]] = set()
    found: list[tuple[Passage, int, int, str, tuple[float, ...], float]] = []
    for passage in passages:
        chunk = passage.chunk
        passage_cover = coverage(set(content_terms(chunk.text)))
        previous: set[str] = set()
        for lo, hi in sentence_spans(chunk.text):
            text = chunk.text[lo:hi]
            terms = set(content_terms(text))
            own, context = coverage(terms), coverage(terms | previous)
            previous = terms
            key = (chunk.article_id, chunk.start + lo)
            if key in seen:
                continue
            seen.add(key)
            typed = bool(wanted) and any(_holds(p, text, question) for p in wanted)
            start, end = chunk.start + lo, chunk.start + hi
            features = (
                own,
                context,
                passage_cover,
                1.0 / passage.number,
                float(typed),
                float(bool(wanted)),
                0.0,  # cosine, filled below
                math.log1p(start / 100),
                math.log1p(len(text) / 100),
                story[_story(chunk)],
            )
            found.append((passage, start, end, text, features, max(own, context)))
    cosines = [0.0] * len(found)
    if similarity is not None and found:
        # Embedding every sentence costs more than the rest of a question: only the sentences the
        # model ranks highest on their words alone are compared in meaning; the others are read as
        # no closer than the farthest sentence compared.
        head = sorted(range(len(found)), key=lambda i: -answers(found[i][4]))[:_RERANK]
        compared = list(similarity([found[i][3][:_MEANING_CHARS] for i in head]))
        cosines = [min(compared)] * len(found)
        for i, cosine in zip(head, compared, strict=True):
            cosines[i] = cosine
    out = []
    for (passage, start, end, text, read, cover), cosine in zip(found, cosines, strict=True):
        inputs: tuple[float, ...] = (*read[:6], cosine, *read[7:])
        out.append(Sentence(passage, start, end, text, answers(inputs), cover, inputs))
    out.sort(key=lambda s: -s.score)
    return out


def _story(chunk: Chunk) -> str:
    return chunk.story or chunk.article_id  # an article of no known story is a story of its own


def _story_shares(passages: Sequence[Passage]) -> dict[str, float]:
    """Each story's share of the retrieval, passages weighted by rank (1/rank): a question about one
    event retrieves mostly that event's articles, and sentences of another story seldom answer it."""
    weight: dict[str, float] = {}
    for passage in passages:
        weight[_story(passage.chunk)] = weight.get(_story(passage.chunk), 0.0) + 1.0 / passage.number
    total = sum(weight.values()) or 1.0
    return {story: w / total for story, w in weight.items()}


def select(
    question: str,
    passages: Sequence[Passage],
    idf: Callable[[str], float],
    similarity: Similarity | None = None,
) -> Selection:
    """The sentences that answer the question, near-duplicates across articles grouped together."""
    ranked = candidates(question, passages, idf, similarity)
    if not ranked:
        return Selection((), 0.0)
    return Selection(
        choose(ranked, FLOOR, PER_ARTICLE, MAX_SENTENCES),
        max(s.coverage for s in ranked[:3]),
        max(s.features[FEATURES.index("cosine")] for s in ranked),
    )


def choose(
    ranked: Sequence[Sentence], floor: float, per_article_most: int, most: int
) -> tuple[tuple[Sentence, ...], ...]:
    """The best sentences scoring at least `floor` (always the best one), at most `most` claims and
    `per_article_most` from one article; a sentence saying what a chosen one says joins its group
    whatever its score, as another outlet reporting the same thing."""
    groups: list[list[Sentence]] = []
    per_article: dict[str, int] = {}
    for n, sentence in enumerate(ranked):
        article = sentence.passage.source
        twin = next((g for g in groups if _same_claim(_terms(g[0].text), _terms(sentence.text))), None)
        if twin is not None:
            if all(s.passage.source != article for s in twin):
                twin.append(sentence)
            continue
        if (n and sentence.score < floor) or len(groups) >= most:
            continue
        if per_article.get(article, 0) >= per_article_most:
            continue
        per_article[article] = per_article.get(article, 0) + 1
        groups.append([sentence])
    return tuple(tuple(g) for g in groups)


def answers(features: Sequence[float]) -> float:
    """The fitted probability that a sentence with these `FEATURES` states a key fact."""
    z = _BIAS + sum(_WEIGHTS[name] * x for name, x in zip(FEATURES, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def _holds(pattern: re.Pattern[str], text: str, question: str) -> bool:
    """Whether text holds an answer of the asked type that the question does not already name, and
    not as a time-since phrase ("in two months")."""
    asked = set(question.lower().replace("-", " ").split())
    for match in pattern.finditer(text):
        if set(match.group(0).lower().replace("-", " ").split()) <= asked:
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        after = text[match.end() : match.end() + 6]
        if not (_TIME_SINCE.search(before) or after.lstrip().startswith("ago")):
            return True
    return False


def _same_claim(ta: frozenset[str], tb: frozenset[str]) -> bool:
    if not ta or not tb:
        return False
    return len(ta & tb) / len(ta | tb) >= _DUPLICATE


@functools.lru_cache(maxsize=4096)
def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


def attribution(outlets: Sequence[str]) -> str:
    """ "Axios reports", "Axios and Reuters report", or "" when no outlet is known."""
    named = [o for o in dict.fromkeys(outlets) if o]
    if not named:
        return ""
    if len(named) == 1:
        return f"{named[0]} reports"
    return f"{', '.join(named[:-1])} and {named[-1]} report"
