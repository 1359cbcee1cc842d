"""The fitting scripts' choices on small invented inputs (the fits themselves need the development
set and run with `python -m bench.quality.fit_sentences` and `python -m bench.quality.fit_polarity`)."""

from __future__ import annotations

from bench.quality.fit_polarity import Read, score
from bench.quality.fit_sentences import Refusal, meaning_floor


def test_the_meaning_floor_refuses_uncovered_unanswerable_questions_and_spares_answerable_ones() -> None:
    found = [
        Refusal(unanswerable=True, refused_anyway=False, covered=False, meaning=0.40),
        Refusal(unanswerable=True, refused_anyway=False, covered=True, meaning=0.90),  # covered: answered
        Refusal(unanswerable=False, refused_anyway=False, covered=False, meaning=0.55),
        Refusal(unanswerable=False, refused_anyway=False, covered=False, meaning=0.70),
        Refusal(unanswerable=False, refused_anyway=True, covered=False, meaning=0.0),  # refused whatever
    ]
    floor, youden = meaning_floor(found)
    assert 0.40 < floor <= 0.55  # refuses the 0.40 question, answers the 0.55 and 0.70 ones
    assert youden == 0.5 - 1 / 3


def test_polarity_scores_count_found_conflicts_and_false_ones_at_a_floor() -> None:
    planted = Read((("a", "b"),), [{"a": ("yes", 0.5), "b": ("no", 0.7)}])
    trap = Read((), [{"c": ("yes", 0.3), "d": ("no", 0.9)}])
    assert score([planted, trap], 0.2) == (1, 1)
    assert score([planted, trap], 0.4) == (1, 0)
    assert score([planted, trap], 0.6) == (0, 0)
