"""The embedded default answer engine: no model, no network, only sentences the articles contain.

Every sentence of the retrieved passages is scored against the question by a logistic model fitted
on labelled questions (`python -m bench.quality.fit_sentences`, saved in `sentences.json`): how
much of the question's weight (IDF of its content words) the sentence, its neighbour and its
passage cover, whether it holds the kind of thing asked for (spaCy's entities: a span of time for
"how long", a count or an amount for "how many", a measure for "how strong" or "how far", a date
for "when", a person or a body for "who"),
its closeness in meaning to the question (MiniLM cosine), its passage's rank, its place in the
article, and its story's share of the retrieved passages (a question about one event retrieves
mostly that event's articles). The best sentences above the fitted floor, at most a few an article,
near-duplicates merged, make the answer, each attributed to its outlet and followed by its
citation markers. The engine abstains when the sentences it would state hold too little of the
question's words (`MIN_COVERAGE`) and no sentence is close to it in meaning either (`MIN_MEANING`,
fitted by the same script): a question worded away from the articles is still answered.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Passage
from assistant.text.terms import content_terms
from index.article import Article, Chunk
from index.nlp import spans as entity_spans
from index.sentences import sentence_spans

MIN_COVERAGE = 0.35  # below this the answer's sentences do not hold enough of the question's words
_DUPLICATE = 0.55  # content-word Jaccard above which two sentences say the same thing
# Sentences compared with the question in meaning, as many as the fitted model read for its
# development questions (78 a question at the median, 167 at most): a cost bound for long articles.
_RERANK = 200
_MEANING_CHARS = 300  # of a sentence, embedded for that: web text can run on without a full stop
FEATURES = (
    "own",
    "context",
    "passage",
    "passage_rank",
    "asks_type",
    "cosine",
    "position",
    "length",
    "story",
    "entity",
)
_COSINE = FEATURES.index("cosine")
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
# "Who else joined besides Biden and Netanyahu?": the names after "besides" are not what is asked.
_EXCLUDED = re.compile(r"\b(?:besides|other than|except(?: for)?|apart from|aside from)\s+([^?.,;]+)", re.I)
# (what the question asks, spaCy's entity labels for what answers it, words of the question that
# only say what is asked): a span of time for "how long", a count or an amount for "how many", a
# measure for "how strong", "how far" or "how high", a date for "when", a person or a body for
# "who". "Where" is not read: a place in a sentence of the story is as often another place of it as
# the one asked for.
_ASKED: list[tuple[re.Pattern[str], frozenset[str], frozenset[str]]] = [
    (
        re.compile(r"\bhow (?:long|old)\b|\bduration\b|\blength\b", re.I),
        frozenset({"DATE", "TIME", "QUANTITY", "CARDINAL"}),
        frozenset({"long", "last", "take", "durat", "length"}),
    ),
    (
        re.compile(r"\bhow (?:many|much)\b|\bnumber of\b|\btoll\b|\bcount\b|\bpopulation\b", re.I),
        frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}),
        frozenset({"number", "count"}),
    ),
    (
        re.compile(
            r"\bhow (?:strong|fast|far|high|deep|big|large|heavy|tall|hot|cold|wide|severe|powerful)\b", re.I
        ),
        frozenset({"CARDINAL", "QUANTITY", "PERCENT"}),
        frozenset("strong fast far high deep big larg heavi tall hot cold wide sever power".split()),
    ),
    (
        re.compile(r"^\s*(?:on |in )?when\b|\bwhat (?:date|day|time|year|month)\b|\bhow recently\b", re.I),
        frozenset({"DATE", "TIME"}),
        frozenset({"date", "day", "time", "year", "month", "recent"}),
    ),
    (
        re.compile(r"^\s*(?:who|whom|whose)\b|\bwhich (?:person|people|official|leader)s?\b", re.I),
        frozenset({"PERSON", "ORG", "NORP"}),
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

    @property
    def in_words_only(self) -> bool:
        """Whether the question is answered only because the sentences hold its words, none being
        close to it in meaning: most questions about things no article reports that are still
        answered are, and few questions the articles do answer. Without a fitted floor, never."""
        return self.answerable and math.isfinite(MIN_MEANING) and self.best_meaning < MIN_MEANING


Similarity = Callable[[Sequence[str]], Sequence[float]]


def candidates(
    question: str,
    passages: Sequence[Passage],
    idf: Callable[[str], float],
    similarity: Similarity | None = None,
    rerank: int | None = _RERANK,
) -> list[Sentence]:
    """Every sentence of the passages, scored against the question, best first.

    A sentence is read through `FEATURES`: how much of the question's rarity-weighted words it
    covers, with its preceding sentence (news sentences lean on their neighbours: "the onslaught,
    which killed ...") and in its whole passage; the passage's rank; whether it holds the kind of
    value the question asks for; its closeness in meaning to the question (when `similarity` gives
    cosines); where it stands in its article and how long it is; how much of the retrieval (passages
    weighted by rank) its article's story holds. The score is the probability, from the model
    fitted by `python -m bench.quality.fit_sentences`, that it states a key fact. Only the `rerank`
    sentences the model ranks highest on their words are compared in meaning (None: every one, as
    the fitting script does, so that a fit does not depend on the weights it replaces).
    """
    asked = [(labels, cue) for asks, labels, cue in _ASKED if asks.search(question)]
    cue_words: set[str] = set().union(*(cue for _, cue in asked))
    kinds: frozenset[str] = frozenset().union(*(labels for labels, _ in asked))
    excluded = {t for phrase in _EXCLUDED.findall(question) for t in content_terms(phrase)}
    weights = {t: idf(t) for t in set(content_terms(question)) - cue_words - excluded}
    total = sum(weights.values()) or 1.0

    def coverage(terms: set[str]) -> float:
        return sum(w for t, w in weights.items() if t in terms) / total

    question_words = set(question.lower().split())
    story = _story_shares(passages)
    seen: set[tuple[str, int]] = set()
    found: list[tuple[Passage, int, int, str, tuple[float, ...], float]] = []
    for passage in passages:
        chunk = passage.chunk
        passage_cover = coverage(set(content_terms(chunk.text)))
        values = [(a, b) for label, a, b in entity_spans(chunk.text) if label in kinds] if kinds else []
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
            start, end = chunk.start + lo, chunk.start + hi
            features = (
                own,
                context,
                passage_cover,
                1.0 / passage.number,
                float(bool(kinds)),
                0.0,  # cosine, filled below
                math.log1p(start / 100),
                math.log1p(len(text) / 100),
                story[_story(chunk)],
                float(any(lo <= a and b <= hi and _new(chunk.text[a:b], question_words) for a, b in values)),
            )
            found.append((passage, start, end, text, features, max(own, context)))
    cosines = [0.0] * len(found)
    if similarity is not None and found:
        # Every sentence is read in meaning, as the model was fitted, up to the cost bound: past it,
        # only the sentences the model ranks highest on their words alone are compared; the others
        # are read as no closer than the farthest sentence compared. Vectors are cached per text.
        head = sorted(range(len(found)), key=lambda i: -answers(found[i][4]))[:rerank]
        compared = list(similarity([found[i][3][:_MEANING_CHARS] for i in head]))
        cosines = [min(compared)] * len(found)
        for i, cosine in zip(head, compared, strict=True):
            cosines[i] = cosine
    out = []
    for (passage, start, end, text, read, cover), cosine in zip(found, cosines, strict=True):
        inputs: tuple[float, ...] = (*read[:_COSINE], cosine, *read[_COSINE + 1 :])
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


def whole_articles(
    passages: Sequence[Passage],
    chunks_of: Callable[[Sequence[str]], Mapping[str, Sequence[Chunk]]],
    articles: Mapping[str, Article],
) -> list[Passage]:
    """The passages, then the other chunks (`chunks_of` the articles) of the articles of the story
    the passages are mostly about, numbered on: retrieval finds the articles that answer, and an
    article's answer often sits in a chunk that matched the question's words less well than two
    others of it. Articles of other stories are read only where retrieved: most of what they hold
    is about something else. A chunk is taken only where it is a span of the version of its article
    the passages were cut from (`articles`), so that a build running meanwhile mixes no versions."""
    shares = _story_shares(passages)
    top = max(shares.values(), default=0.0)
    leading = list(dict.fromkeys(p.source for p in passages if shares[_story(p.chunk)] >= top))
    have = {(p.source, p.chunk.index) for p in passages}
    out = list(passages)
    for article, chunks in chunks_of(leading).items():
        text = articles[article].text
        for chunk in chunks:
            if (article, chunk.index) not in have and text[chunk.start : chunk.end] == chunk.text:
                out.append(Passage(len(out) + 1, chunk))
    return out


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
    groups = choose(ranked, FLOOR, PER_ARTICLE, MAX_SENTENCES)
    return Selection(
        groups,
        max(s.coverage for group in groups for s in group),  # of what the answer would state
        max(s.features[_COSINE] for s in ranked),
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


def _new(value: str, question_words: set[str]) -> bool:
    """Whether a value says something the question does not already ("2019" in "What happened in
    2019?" does not answer it)."""
    return not set(value.lower().split()) <= question_words


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
