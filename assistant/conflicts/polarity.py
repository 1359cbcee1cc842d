"""Sources that answer a yes-or-no question opposite ways: "No bank details were taken" against
"the stolen files include bank account details" for "Did the attackers get hold of customers' bank
details?".

Each article's answer is read from its sentence that holds most of the question's (rarity-weighted)
words: "no" where a negation attaches to one of the question's words in spaCy's dependency parse
(it modifies the word, "No bank details", or the word it depends on, "details were not taken"),
"yes" where the sentence holds no negation at all. A sentence that asks, hedges ("may", "reportedly")
or negates something else ("did not respond to questions about the bank details") gives no answer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.conflicts.alignment import question_share
from assistant.conflicts.asked import same_key
from assistant.conflicts.focus import Focus
from assistant.conflicts.subjects import content_keys, key, words
from index.article import Article
from index.nlp import parse
from index.sentences import sentence_spans

# Share of the question's weighted words a sentence answering it holds, fitted on the development
# set's tune split by `python -m bench.quality.fit_polarity`.
MIN_RELEVANCE: float = json.loads(Path(__file__).with_name("polarity.json").read_text(encoding="utf-8"))[
    "min_relevance"
]
_NEGATIONS = frozenset("no not n't n’t never none nobody nothing neither nor without".split())
_HEDGES = frozenset(
    """may might could would should reportedly allegedly apparently possibly perhaps probably if
    whether unclear""".split()
)


@dataclass(frozen=True)
class Stance:
    """One article's answer to a yes-or-no question, in its sentence."""

    source: str
    start: int
    end: int
    answer: str  # "yes" or "no"
    relevance: float


def stances(
    wanted: Focus,
    spans: Mapping[str, Sequence[tuple[int, int]]],
    articles: Mapping[str, Article],
    least: float | None = None,
) -> dict[str, Stance]:
    """Each article's answer to the yes-or-no question, where its best sentence (holding at least
    `least` of the question, by default MIN_RELEVANCE) gives one."""
    least = MIN_RELEVANCE if least is None else least
    out: dict[str, Stance] = {}
    for source, ranges in spans.items():
        article = articles[source]
        best: tuple[float, int, int] | None = None
        for lo, hi in sentence_spans(article.text):
            if not any(lo < r_hi and hi > r_lo for r_lo, r_hi in ranges):
                continue
            score = question_share(wanted, content_keys(words(article.text, lo, hi)))
            if score >= least and (best is None or score > best[0]):
                best = (score, lo, hi)
        if best is None:
            continue
        score, lo, hi = best
        answer = _answer(article.text[lo:hi], wanted.keys)
        if answer:
            out[source] = Stance(source, lo, hi, answer, score)
    return out


def _answer(sentence: str, keys: frozenset[str]) -> str:
    """ "no", "yes" or "" (no answer) for one sentence."""
    if sentence.rstrip().endswith("?"):
        return ""
    doc = parse(sentence)
    if any(t.lower_ in _HEDGES for t in doc):
        return ""
    negations = [t for t in doc if t.lower_ in _NEGATIONS]
    if not negations:
        return "yes"
    asked = [t for t in doc if t.is_alpha and any(same_key(key(t.text), k) for k in keys)]
    heads = {t.i for t in asked} | {t.head.i for t in asked}
    if all(n.head.i in heads for n in negations):
        return "no"
    return ""
