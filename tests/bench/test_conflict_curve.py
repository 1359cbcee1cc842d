"""Precision at k of the ConflictQA ranking (bench/quality/conflict_curve.py) on hand-made rankings."""

from __future__ import annotations

from bench.quality.conflict_curve import Ranked, top_precision

ROWS = [
    Ranked("q1", lexical=0.9, minilm=0.2, conflict=False),
    Ranked("q2", lexical=0.8, minilm=0.9, conflict=True),
    Ranked("q3", lexical=0.5, minilm=0.8, conflict=True),
]


def test_precision_of_the_best_scored_questions_by_each_score() -> None:
    assert top_precision(ROWS, lambda r: r.lexical, 1) == "0.000 (0/1)"
    assert top_precision(ROWS, lambda r: r.minilm, 1) == "1.000 (1/1)"
    assert top_precision(ROWS, lambda r: r.minilm, 2) == "1.000 (2/2)"
    assert top_precision(ROWS, lambda r: r.lexical, 3) == "0.667 (2/3)"


def test_past_the_end_of_the_ranking_there_is_no_precision() -> None:
    assert top_precision(ROWS, lambda r: r.lexical, 4) == "–"
