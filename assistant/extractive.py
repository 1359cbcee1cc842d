"""The embedded default answer engine: no model, no network, only sentences the articles contain.

Every sentence of the retrieved passages is scored against the question: how much of the question's
weight (IDF of its content words) the sentence covers, plus a bonus when it holds the kind of thing
asked for (a duration for "how long", a number for "how many", a date for "when", a name for
"who"). The best sentences, at most one or two an article, near-duplicates merged, make the answer,
each attributed to its outlet and followed by its citation markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.answer import Passage
from assistant.text.terms import content_terms
from index.sentences import sentence_spans

MAX_SENTENCES = 4
_PER_ARTICLE = 3
MIN_COVERAGE = 0.35  # below this the best sentence does not address the question: abstain
_SENTENCE_COVERAGE = 0.3  # a sentence covering less of the question is not part of the answer
_RELATIVE = 0.6  # sentences must score at least this share of the best one
_DUPLICATE = 0.55
# When a question asks for a kind of answer ("how long": a duration), holding one is worth this much.
_TYPED_SHARE = 0.4
_RERANK = 16  # lexical candidates re-scored by embedding similarity
_SEMANTIC = 0.6  # weight of that similarity
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
    typed: bool = False  # holds the kind of answer the question asks for


@dataclass(frozen=True)
class Selection:
    """Sentences chosen for the answer; each group says the same thing in one or more articles."""

    groups: tuple[tuple[Sentence, ...], ...]
    best_coverage: float

    @property
    def answerable(self) -> bool:
        """Whether the best sentence addresses enough of the question."""
        return bool(self.groups) and self.best_coverage >= MIN_COVERAGE


Similarity = Callable[[Sequence[str]], Sequence[float]]


def candidates(
    question: str,
    passages: Sequence[Passage],
    idf: Callable[[str], float],
    similarity: Similarity | None = None,
) -> list[Sentence]:
    """Every sentence of the passages, scored against the question, best first.

    A sentence's own words count most, but news sentences lean on their neighbours ("the onslaught,
    which killed ..."), so the preceding sentence and the whole passage add to the score. Words
    miss paraphrase ("took part" for "joined"), so when `similarity` (cosine of each text to the
    question) is given, the best lexical candidates are re-scored with it.
    """
    asked = [(answer, cue) for asks, answer, cue in _ANSWER_TYPES if asks.search(question)]
    cue_words = set().union(*(cue for _, cue in asked)) if asked else set()
    excluded = {t for phrase in _EXCLUDED.findall(question) for t in content_terms(phrase)}
    weights = {t: idf(t) for t in set(content_terms(question)) - cue_words - excluded}
    total = sum(weights.values()) or 1.0

    def coverage(terms: set[str]) -> float:
        return sum(w for t, w in weights.items() if t in terms) / total

    wanted = [answer for answer, _ in asked]
    seen: set[tuple[str, int]] = set()
    out = []
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
            score = 0.5 * own + 0.25 * context + 0.25 * passage_cover + 0.02 / passage.number
            typed = bool(wanted) and any(_holds(p, text, question) for p in wanted)
            if wanted:
                score = _TYPED_SHARE * typed + (1 - _TYPED_SHARE) * score
            start, end = chunk.start + lo, chunk.start + hi
            out.append(Sentence(passage, start, end, text, score, max(own, context), typed))
    out.sort(key=lambda s: -s.score)
    if similarity is not None and out:
        head = out[:_RERANK]
        cosines = similarity([s.text for s in head])
        head = [
            replace(s, score=s.score + _SEMANTIC * max(0.0, c)) for s, c in zip(head, cosines, strict=True)
        ]
        out = sorted(head, key=lambda s: -s.score) + out[_RERANK:]
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
    best_coverage = max(s.coverage for s in ranked[:3])
    if any(s.typed for s in ranked):
        # The question asks for a kind of answer (a duration, a number...): only sentences with one.
        ranked = [s for s in ranked if s.typed]
    best = ranked[0]
    floor = best.score * _RELATIVE
    groups: list[list[Sentence]] = []
    per_article: dict[str, int] = {}
    for sentence in ranked:
        if sentence.score < floor or len(groups) >= MAX_SENTENCES:
            break
        if sentence.coverage < _SENTENCE_COVERAGE:
            continue
        article = sentence.passage.source
        twin = next((g for g in groups if _same_claim(g[0].text, sentence.text)), None)
        if twin is not None:
            if all(s.passage.source != article for s in twin):
                twin.append(sentence)
            continue
        if per_article.get(article, 0) >= _PER_ARTICLE:
            continue
        per_article[article] = per_article.get(article, 0) + 1
        groups.append([sentence])
    return Selection(tuple(tuple(g) for g in groups), best_coverage)


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


def _same_claim(a: str, b: str) -> bool:
    ta, tb = set(content_terms(a)), set(content_terms(b))
    if not ta or not tb:
        return False
    return len(ta & tb) / len(ta | tb) >= _DUPLICATE


def attribution(outlets: Sequence[str]) -> str:
    """ "Axios reports", "Axios and Reuters report", or "" when no outlet is known."""
    named = [o for o in dict.fromkeys(outlets) if o]
    if not named:
        return ""
    if len(named) == 1:
        return f"{named[0]} reports"
    return f"{', '.join(named[:-1])} and {named[-1]} report"
