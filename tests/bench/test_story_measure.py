"""Scoring a story clustering against gold events, on hand-made groupings."""

from __future__ import annotations

import pytest

from bench.quality.stories import mixing
from bench.quality.story_data import HELD_OUT, Labelled
from bench.quality.story_measure import score
from index.article import Article


@pytest.mark.parametrize(
    ("predicted", "gold", "precision", "recall", "mixed", "stories"),
    [
        ([0, 0, 1, 1], ["a", "a", "b", "b"], 1.0, 1.0, 0, 2),
        ([0, 0, 0, 0], ["a", "a", "b", "b"], 2 / 6, 1.0, 1, 1),  # 6 pairs placed, 2 right
        ([0, 1, 2, 3], ["a", "a", "b", "b"], 1.0, 0.0, 0, 4),  # nothing placed: precision vacuous
        ([0, 0, 1, 2], ["a", "a", "a", "b"], 1.0, 1 / 3, 0, 3),
        ([0, 0, 0, 1], ["a", "a", "b", "b"], 1 / 3, 1 / 2, 1, 2),
    ],
)
def test_pairwise_scores_count_pairs_of_articles(predicted, gold, precision, recall, mixed, stories):
    s = score(predicted, gold)
    assert (s.precision, s.recall, s.mixed, s.stories) == pytest.approx((precision, recall, mixed, stories))
    if precision + recall:
        assert s.f1 == pytest.approx(2 * precision * recall / (precision + recall))


def test_the_gold_grouping_has_rand_index_one():
    assert score([5, 5, 9, 9, 7], ["x", "x", "y", "y", "z"]).ari == pytest.approx(1.0)


def _row(n: int, event: str, corpus: str, published: str) -> Labelled:
    return Labelled(Article(id=f"{corpus}/{n}", text="", published=published), event, HELD_OUT, corpus)


def test_mixing_counts_stories_across_data_sets_and_days_between_their_articles():
    rows = [
        _row(1, "e1", "allsides", "2021-10-04"),
        _row(2, "e2", "allsides", "2021-10-06"),  # story 0 mixes two events two days apart
        _row(3, "e3", "basil", "2019-01-01"),
        _row(4, "e4", "allsides", "2019-01-02"),  # story 1 mixes two data sets
        _row(5, "e5", "basil", "2012-01-01"),
        _row(6, "e5", "basil", "2012-03-01"),  # story 2 is one event: not counted, whatever its days
    ]
    assert mixing(rows, [0, 0, 1, 1, 2, 2]) == (1, 2)
    assert mixing(rows, [0, 1, 2, 3, 4, 4]) == (0, 0)
