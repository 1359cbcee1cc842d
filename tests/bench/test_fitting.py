"""The fitting scripts' choices on small invented inputs (the fits themselves need the development
set and run with `python -m bench.quality.fit_sentences`, `fit_polarity` and `fit_floors`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.conflicts.floors import Floors
from assistant.conflicts.pairing import PairModel
from bench.quality import fit_floors, fit_pairing
from bench.quality.fit_pairing import Pair
from bench.quality.fit_polarity import Read, score
from bench.quality.fit_sentences import Refusal, meaning_floor
from index.article import Article


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


def test_off_topic_questions_pooled_with_unanswerable_ones_raise_the_floor_past_them() -> None:
    answerable = [
        Refusal(unanswerable=False, refused_anyway=False, covered=False, meaning=m) for m in (0.5, 0.6)
    ]
    near_miss = [Refusal(unanswerable=True, refused_anyway=False, covered=True, meaning=0.7)]
    off_topic = [
        Refusal(unanswerable=True, refused_anyway=False, covered=False, meaning=m) for m in (0.3, 0.45)
    ]
    alone, _ = meaning_floor(answerable + near_miss)
    pooled, youden = meaning_floor(answerable + near_miss + off_topic)
    assert alone == 0.35  # no floor refuses the covered near miss: the middle of the tied 0.20-0.50
    assert 0.45 < pooled <= 0.5
    assert youden == 2 / 3


def test_polarity_scores_count_found_conflicts_and_false_ones_at_a_floor() -> None:
    planted = Read((("a", "b"),), [{"a": ("yes", 0.5), "b": ("no", 0.7)}])
    trap = Read((), [{"c": ("yes", 0.3), "d": ("no", 0.9)}])
    assert score([planted, trap], 0.2) == (1, 1)
    assert score([planted, trap], 0.4) == (1, 0)
    assert score([planted, trap], 0.6) == (0, 0)


def test_floor_scores_count_the_planted_contradiction_found_and_false_ones() -> None:
    from bench.quality.conflict_eval import passages_of
    from tests.conflicts.test_detect import load

    articles = load(Path(__file__).resolve().parents[2] / "data" / "articles")
    call = "How long did the Biden-Netanyahu phone call last?"
    pair = (("001_7ca6027d49f55e8b.txt", "002_ede3a99fe171a0a6.txt"),)
    asked = [
        fit_floors.Retrieved(call, passages_of(articles), articles, pair, conflict=True),
        fit_floors.Retrieved(call, passages_of(articles), articles, (), conflict=False),  # as if a trap
    ]
    assert fit_floors.score(asked, Floors.load()) == (1, 1)
    assert fit_floors.score(
        asked, replace(Floors.load(), claims=1.01, answers=1.01, counts=1.01, times=1.01)
    ) == (0, 0)


def test_a_floor_moves_only_to_a_better_value_in_the_middle_of_the_best(monkeypatch) -> None:
    # found - false peaks at claims 0.3 and is two better, and flat, in answers from 0.6; counts and
    # times do not matter, so they keep their values, on the grid or not.
    def score(asked: object, floors: Floors) -> tuple[int, int]:
        found = 10 - round(abs(floors.claims - 0.3) * 20) + 2 * (floors.answers >= 0.6)
        return found, 0

    monkeypatch.setattr(fit_floors, "score", score)
    floors, (found, false) = fit_floors.fit(
        [[]], replace(Floors.load(), claims=0.5, answers=0.5, counts=0.5, times=0.35)
    )
    assert (floors.claims, floors.answers, floors.counts, floors.times) == (0.3, 0.7, 0.5, 0.35)
    assert (found, false) == (12, 0)


@pytest.mark.parametrize(
    ("gains", "value"),
    [
        ({0.2: 1, 0.3: 3, 0.4: 2}, 0.3),
        ({0.2: 3, 0.3: 3, 0.4: 3, 0.5: 1}, 0.3),
        ({0.2: 3, 0.3: 1, 0.4: 3, 0.5: 3, 0.6: 3}, 0.5),  # the widest run wins
        ({0.2: 2, 0.3: 2, 0.4: 0, 0.5: 2, 0.6: 2}, 0.2),  # equally wide: the lower run, its lower middle
    ],
)
def test_middle_of_best(gains: dict[float, int], value: float) -> None:
    assert fit_floors.middle_of_best(gains) == value


def test_a_floor_stays_where_another_value_wins_by_a_single_question(monkeypatch) -> None:
    def score(asked: object, floors: Floors) -> tuple[int, int]:
        return 10 + (floors.times == 0.2), 0

    monkeypatch.setattr(fit_floors, "score", score)
    start = replace(Floors.load(), claims=0.4, answers=0.8, counts=0.5, times=0.35)
    assert fit_floors.fit([[]], start) == (start, (10, 0))


def test_a_floor_moves_only_to_a_value_that_loses_on_no_set(monkeypatch) -> None:
    # times at 0.2 gains four on the first set and loses one on the second: the sum gains three, but
    # it fits the first set. At 0.6 and above both sets gain, and the sum by two.
    def score(asked: list[str], floors: Floors) -> tuple[int, int]:
        if asked == ["first"]:
            return 10 + 4 * (floors.times == 0.2) + (floors.times >= 0.6), 0
        return 10 + (floors.times >= 0.6), (floors.times == 0.2)

    monkeypatch.setattr(fit_floors, "score", score)
    start = replace(Floors.load(), claims=0.4, answers=0.8, counts=0.5, times=0.35)
    floors, counts = fit_floors.fit([["first"], ["second"]], start, only=["times"])
    assert (floors.times, counts) == (0.7, (22, 0))  # the middle of 0.6 ... 0.9, its lower middle


def test_a_value_that_may_not_be_chosen_breaks_a_run_of_the_best() -> None:
    assert fit_floors.middle_of_best({0.2: 3, 0.3: 3, 0.5: 3}, (0.2, 0.3, 0.4, 0.5)) == 0.2


def test_only_the_named_floors_are_searched_each_over_its_own_grid(monkeypatch) -> None:
    # claims would gain by moving to 0.3, same_subject by moving to 0.1 (below the share grid)
    def score(asked: object, floors: Floors) -> tuple[int, int]:
        found = 10 - round(abs(floors.claims - 0.3) * 20) - round(abs(floors.same_subject - 0.1) * 40)
        return found, 0

    monkeypatch.setattr(fit_floors, "score", score)
    start = replace(Floors.load(), claims=0.5, answers=0.5, counts=0.5, times=0.35)
    floors, _ = fit_floors.fit([[]], start, only=["same_subject"])
    assert floors == replace(start, same_subject=0.1)


def test_the_pairing_floor_aligns_no_more_unplanted_pairs_than_the_word_rule() -> None:
    # Planted pairs: close in meaning, figures of one size; the others spread out.
    planted = [Pair((0.8 - 0.05 * n, 2.0, 0.1 * n), True, n % 2 == 0) for n in range(6)]
    others = [Pair((0.1 * n, float(n % 3), 0.3 * n), False, n % 4 == 0) for n in range(10)]
    data = planted + others
    names = ("meaning", "shared", "ratio")
    fitted = fit_pairing.fit(data, names)
    model = PairModel(fitted["weights"], fitted["bias"], fitted["floor"], fitted["undated"])
    aligned = [model.probability(dict(zip(names, p.features, strict=True))) >= model.floor for p in data]
    budget = sum(p.rule and not p.planted for p in data)
    assert sum(a and not p.planted for a, p in zip(aligned, data, strict=True)) <= budget
    assert sum(a and p.planted for a, p in zip(aligned, data, strict=True)) == len(planted)
    assert fitted["weights"]["meaning"] > 0 > fitted["weights"]["ratio"]


def test_the_undated_floor_contradicts_no_more_unplanted_undated_pairs_than_the_rule_s_test() -> None:
    # Aligned pairs that nothing dates: planted ones close in meaning, others spread out; the rule's
    # test (a length, a restatement) lets one unplanted pair contradict.
    planted = [Pair((0.9 - 0.02 * n, 2.0, 0.1), True, True, undated=True) for n in range(4)]
    others = [
        Pair((0.5 + 0.1 * n, 1.0, 0.2), False, True, undated=True, contradicts=n == 0) for n in range(4)
    ]
    dated = [Pair((0.95, 3.0, 0.1), False, True)]  # dated pairs do not count against the budget
    data = planted + others + dated
    names = ("meaning", "shared", "ratio")
    fitted = fit_pairing.fit(data, names)
    model = PairModel(fitted["weights"], fitted["bias"], fitted["floor"], fitted["undated"])
    sure = [model.probability(dict(zip(names, p.features, strict=True))) >= model.undated for p in data]
    assert fitted["undated"] >= fitted["floor"]
    assert sum(s and not p.planted and p.undated for s, p in zip(sure, data, strict=True)) <= 1
    assert sum(s and p.planted for s, p in zip(sure, data, strict=True)) >= 1


def test_the_noise_floor_stops_just_above_the_first_unplanted_pair_past_the_budget() -> None:
    data = [Pair((), False, True), Pair((), False, False), Pair((), True, False)]
    floor = fit_pairing.noise_floor([0.9, 0.4, 0.7], data)
    assert 0.4 < floor <= 0.7  # the 0.9 pair is within the word rule's budget of one
    assert fit_pairing.noise_floor([0.9, 0.4, 0.7], [replace(p, rule=True) for p in data]) == 0.4


class _Corpus:
    """What `fit_pairing.pairs` reads of an assistant: its articles, and sentence vectors (every
    sentence the same unit vector here, so meaning does not decide)."""

    def __init__(self, *articles: Article) -> None:
        self.articles = {a.id: a for a in articles}
        self.store = SimpleNamespace(records=lambda: dict.fromkeys(self.articles))

    def article(self, source: str) -> Article:
        return self.articles[source]

    def sentence_vectors(self, texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]


def _story(id_: str, text: str, published: str) -> Article:
    return Article(id_, text, outlet=id_.upper(), published=published, story="lorrin")


def test_pairs_label_undated_pairs_by_the_rule_s_test_not_the_dated_default() -> None:
    # Two dated reports of one news cycle: a question's figures would contradict by default, but the
    # report's undated floor replaces the older test (a length, a restatement), so that is the label.
    costs = _Corpus(
        _story("a", "Repairing the Lorrin sea wall will cost £2.4 million, the council said.", "2030-05-08"),
        _story("b", "Engineers put the bill for the damaged Lorrin sea wall at £3.1 million.", "2030-05-09"),
    )
    lengths = _Corpus(
        _story("a", "The Lorrin council meeting lasted 30 minutes, the council said.", "2030-05-08"),
        _story("b", "Councillors in Lorrin left after a meeting that lasted about 50 minutes.", "2030-05-09"),
    )
    (cost,) = fit_pairing.pairs(costs, [])
    (length,) = fit_pairing.pairs(lengths, [])
    assert cost.undated and not cost.contradicts
    assert length.undated and length.contradicts
