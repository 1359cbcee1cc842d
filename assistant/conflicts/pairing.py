"""Whether two figures of one story's articles speak about the same point, read by a model fitted on
labelled pairs (`python -m bench.quality.fit_pairing`, saved in `pairing.json`), for the corpus-wide
report, where no question names the point.

Two disagreeing figures of one attribute (two sums of money, two counts of one noun) in articles
about one event are about the same point when their sentences are close in meaning (MiniLM cosine:
"Repairing the cracked girder ... is expected to cost £2.4 million" and "The repair will cost 3.1
million pounds", which share no name), when they share the words that name what is measured, and
when the figures are of one size (on the development set, two reports of one figure lie closer
together than two different figures of a story). A logistic regression over these three readings
gives the probability; pairs at or above the fitted floor are aligned. The model reads figures;
other claims (dates, casualties, opposing terms, tallies), claims that agree, and every claim when
no sentence vectors are given are aligned by the word rule of alignment.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.conflicts.alignment import Found, aligned, comparable, shared_words
from index.article import Article

FILE = Path(__file__).with_name("pairing.json")
FEATURES = ("meaning", "shared", "ratio")
# The kind of claim the model reads: figures, whose sizes it compares. Dates have no size to compare
# (and two weekdays of one story are most often two events: "said on Friday", "found on Monday");
# casualty claims, opposing terms and tallies are few in any story. They stay with the word rule.
KINDS = frozenset(("quantity",))
_MAX_SHARED = 5  # shared words counted at most: past a few, more say nothing new
_MAX_RATIO = 3.0  # log ratio counted at most (twentyfold)
_MEANING_CHARS = 300  # of a sentence, embedded: web text can run on without a full stop

Embed = Callable[[Sequence[str]], Sequence[Sequence[float]]]  # texts -> unit vectors


@dataclass(frozen=True)
class PairModel:
    """The fitted weights of `FEATURES`, the intercept, and the probability floor of alignment."""

    weights: Mapping[str, float]
    bias: float
    floor: float

    @classmethod
    def load(cls, path: Path = FILE) -> PairModel:
        """The saved fit."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["bias"], data["floor"])

    def probability(self, features: Sequence[float]) -> float:
        """The fitted probability that a pair with these `FEATURES` is about one point."""
        z = self.bias + sum(self.weights[name] * x for name, x in zip(FEATURES, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@cache
def saved() -> PairModel:
    """The model in `pairing.json`, read once."""
    return PairModel.load()


def features(a: Found, b: Found, cosine: float) -> tuple[float, ...]:
    """The readings of a pair of claims (`FEATURES`), given the cosine of their sentences."""
    ca, cb = a.claim, b.claim
    shared = shared_words(ca, cb)
    qa, qb = ca.quantity, cb.quantity
    ratio = 0.0
    if qa and qb and qa.value > 0 and qb.value > 0:
        ratio = min(abs(math.log(qa.value / qb.value)), _MAX_RATIO)
    return (cosine, float(min(shared, _MAX_SHARED)), ratio)


def sentence(found: Found, articles: Mapping[str, Article]) -> str:
    """The text of a claim's sentence, as it is embedded."""
    statement = found.statement
    return articles[found.source].text[statement.start : statement.end][:_MEANING_CHARS]


def aligner(
    found: Sequence[Found],
    articles: Mapping[str, Article],
    embed: Embed | None,
    model: PairModel | None = None,
) -> Callable[[Found, Found], bool]:
    """Whether two of `found` (claims of one story's articles) are about the same point: by the
    fitted model when `embed` gives sentence vectors, by the word rule otherwise. Only sentences of
    claims that another article's claim of their attribute could meet are embedded, each once."""
    if embed is None:
        return lambda a, b: aligned(a, b, None)
    model = model or saved()
    sources: dict[str, set[str]] = {}
    for f in found:
        sources.setdefault(f.claim.attribute, set()).add(f.source)
    texts = list(
        dict.fromkeys(
            sentence(f, articles)
            for f in found
            if f.claim.kind in KINDS and len(sources[f.claim.attribute]) > 1
        )
    )
    vectors = dict(zip(texts, embed(texts), strict=True)) if texts else {}

    def same_point(a: Found, b: Found) -> bool:
        if a.claim.kind not in KINDS or not a.claim.disagrees(b.claim):
            return aligned(a, b, None)
        if not comparable(a.claim, b.claim):
            return False
        va, vb = vectors[sentence(a, articles)], vectors[sentence(b, articles)]
        cosine = sum(x * y for x, y in zip(va, vb, strict=True))
        return model.probability(features(a, b, cosine)) >= model.floor

    return same_point
