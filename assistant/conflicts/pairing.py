"""Whether two claims of one story's articles speak about the same point, read by models fitted on
labelled pairs (`python -m bench.quality.fit_pairing`, saved in `pairing.json`), for the corpus-wide
report, where no question names the point.

Two disagreeing figures of one attribute (two sums of money, two counts of one noun) in articles
about one event are about the same point when their sentences are close in meaning (MiniLM cosine:
"Repairing the cracked girder ... is expected to cost £2.4 million" and "The repair will cost 3.1
million pounds", which share no name), when they share the words that name what is measured, and
when the figures are of one size (on the development set, two reports of one figure lie closer
together than two different figures of a story). Two disagreeing dates, casualty claims or tallies
have no size to compare; a second model reads their meaning and shared words alone ("shortly after
the gates opened at 6 p.m." against "The gates opened at 5:30 p.m., and the trouble began soon
afterwards"). A logistic regression for each group gives the probability; pairs at or above its
fitted floor are aligned. Two aligned claims that nothing dates apart or together (no year, month
or publication day to read) contradict, as two reports of one point do by default, when the model is
surer still: at a second fitted floor, which keeps the noise where the older test (a length, or a
sentence restating the other) kept it. Opposing terms (whose sentences' meaning tells one point from
two poorly: a bridge "closed" after a crack was found against one "opened in 1968"), dates of saying
("said on Wednesday" / "said on Friday": two reports, not two versions of one event), claims that
agree, and every claim when no sentence vectors are given are aligned by the word rule of
alignment.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.conflicts.alignment import Found, aligned, comparable, shared_words
from assistant.conflicts.claims import Claim
from assistant.conflicts.lexicon import REPORTING_VERBS
from assistant.conflicts.subjects import key
from index.article import Article

FILE = Path(__file__).with_name("pairing.json")
FEATURES = ("meaning", "shared", "ratio")  # every reading of a pair; each group's model reads some
# Each group of claim kinds the models read, with the readings its model takes. Opposing terms stay
# with the word rule: on the development set the cosine of their sentences separates planted pairs
# from others at an AUC of 0.74, and a floor within the word rule's noise aligns none of them.
GROUPS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "figures": (frozenset(("quantity",)), FEATURES),
    "others": (frozenset(("date", "polarity", "tally")), ("meaning", "shared")),
}
_SAYING = frozenset(key(word) for word in REPORTING_VERBS)  # a date's event key when it dates a report
_MAX_SHARED = 5  # shared words counted at most: past a few, more say nothing new
_MAX_RATIO = 3.0  # log ratio counted at most (twentyfold)
_MEANING_CHARS = 300  # of a sentence, embedded: web text can run on without a full stop

Embed = Callable[[Sequence[str]], Sequence[Sequence[float]]]  # texts -> unit vectors


@dataclass(frozen=True)
class PairModel:
    """One group's fitted weights (by reading), intercept, probability floor of alignment, and the
    higher floor at which an aligned pair contradicts with nothing to place its claims at different
    moments."""

    weights: Mapping[str, float]
    bias: float
    floor: float
    undated: float

    def probability(self, readings: Mapping[str, float]) -> float:
        """The fitted probability that a pair with these readings (`features`) is about one point."""
        z = self.bias + sum(w * readings[name] for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


def load(path: Path = FILE) -> dict[str, PairModel]:
    """The saved fits, by group."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: PairModel(data[name]["weights"], data[name]["bias"], data[name]["floor"], data[name]["undated"])
        for name in GROUPS
    }


@cache
def saved() -> dict[str, PairModel]:
    """The models in `pairing.json`, read once."""
    return load()


def group_of(claim: Claim) -> str | None:
    """The group whose model reads the claim, or None for the word rule."""
    if claim.kind == "date" and claim.attribute.partition(":")[2] in _SAYING:
        return None
    return next((name for name, (kinds, _) in GROUPS.items() if claim.kind in kinds), None)


def features(a: Found, b: Found, cosine: float) -> dict[str, float]:
    """The readings of a pair of claims (`FEATURES`), given the cosine of their sentences; claims
    with no size to compare (dates, casualty claims) read a ratio of 0."""
    ca, cb = a.claim, b.claim
    qa, qb = ca.quantity, cb.quantity
    ratio = 0.0
    if qa and qb and qa.value > 0 and qb.value > 0:
        ratio = min(abs(math.log(qa.value / qb.value)), _MAX_RATIO)
    return {"meaning": cosine, "shared": float(min(shared_words(ca, cb), _MAX_SHARED)), "ratio": ratio}


def sentence(found: Found, articles: Mapping[str, Article]) -> str:
    """The text of a claim's sentence, as it is embedded."""
    statement = found.statement
    return articles[found.source].text[statement.start : statement.end][:_MEANING_CHARS]


class Aligner:
    """Whether two of `found` (claims of one story's articles) are about the same point (calling
    it): by the fitted model of their group when `embed` gives sentence vectors, by the word rule
    otherwise. On the first pair a model reads, the sentences of claims that another article's
    claim of their attribute could meet are embedded, each once."""

    def __init__(
        self,
        found: Sequence[Found],
        articles: Mapping[str, Article],
        embed: Embed | None,
        models: Mapping[str, PairModel] | None = None,
    ) -> None:
        self.found = found
        self.articles = articles
        self.embed = embed
        self.models = models or saved()
        self._vectors: dict[str, Sequence[float]] | None = None

    def __call__(self, a: Found, b: Found) -> bool:
        read = self._read(a, b)
        if read is None:
            return aligned(a, b, None)
        name, probability = read
        return probability >= self.models[name].floor

    def undated(self, a: Found, b: Found) -> bool | None:
        """For a pair a model reads, whether they report one point surely enough to contradict
        when nothing places the two claims at different moments (the model's `undated` floor);
        None for pairs the word rule decides."""
        read = self._read(a, b)
        if read is None:
            return None
        name, probability = read
        return probability >= self.models[name].undated

    def _read(self, a: Found, b: Found) -> tuple[str, float] | None:
        """(group, probability) for a disagreeing pair a model decides; None for the word rule."""
        name, embed = group_of(a.claim), self.embed
        if embed is None or name is None or group_of(b.claim) != name or not a.claim.disagrees(b.claim):
            return None
        if not comparable(a.claim, b.claim):
            return name, 0.0
        vectors = self._embedded(embed)
        va, vb = vectors[sentence(a, self.articles)], vectors[sentence(b, self.articles)]
        cosine = sum(x * y for x, y in zip(va, vb, strict=True))
        return name, self.models[name].probability(features(a, b, cosine))

    def _embedded(self, embed: Embed) -> dict[str, Sequence[float]]:
        if self._vectors is None:
            sources: dict[str, set[str]] = {}
            for f in self.found:
                sources.setdefault(f.claim.attribute, set()).add(f.source)
            texts = list(
                dict.fromkeys(
                    sentence(f, self.articles)
                    for f in self.found
                    if group_of(f.claim) is not None and len(sources[f.claim.attribute]) > 1
                )
            )
            self._vectors = dict(zip(texts, embed(texts), strict=True)) if texts else {}
        return self._vectors
