"""How much of the question a sentence must hold before its figures or answers are compared: the
relevance floors of the conflict detector, fitted by `python -m bench.quality.fit_floors` on the
development set's tune split, RAMDocs and ConflictQA's train and dev rows, saved in `floors.json`.

* `claims`: a claim of the asked kind (a duration, a count, a sum ...) is compared when its sentence,
  with the sentence before it and the article's headline, holds this share of the question's
  rarity-weighted words (detect.py).
* `answers`: a name or a year answering the question directly (disputes.py);
* `counts`: a count answering "how many" (specific enough with fewer of the question's words);
* `times`: a weekday or a time of day, which a story rarely states twice.

And the word shares by which the detector tells the same statement from another:

* `same_sentence`: two sentences say the same thing when the shorter shares this share of its
  content words with the longer (alignment.py);
* `same_subject`: two articles without dates report one subject when this share of their content
  words is common to both, so their restated figures contradict (detect.py);
* `equal_share`: a sentence is a rewrite of another when this share of the longer one's tokens is
  unchanged (restatements.py).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

FILE = Path(__file__).with_name("floors.json")


@dataclass(frozen=True)
class Floors:
    """The relevance floors (shares of the question's weighted words, 0 to 1) and the word shares
    of sameness (0 to 1)."""

    claims: float
    answers: float
    counts: float
    times: float
    same_sentence: float
    same_subject: float
    equal_share: float

    @classmethod
    def load(cls, path: Path = FILE) -> Floors:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{f.name: float(saved[f.name]) for f in fields(cls)})

    def to_json(self) -> dict[str, float]:
        return asdict(self)


_current = [Floors.load()]


def current() -> Floors:
    """The floors in force: the fitted ones, unless a fit is trying others (`trying`)."""
    return _current[-1]


@contextlib.contextmanager
def trying(floors: Floors) -> Iterator[None]:
    """Use `floors` within the block (the fitting script compares candidates this way)."""
    _current.append(floors)
    try:
        yield
    finally:
        _current.pop()
