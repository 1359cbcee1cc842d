"""The benchmark's metric functions and seed-question checks on hand-made cases."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from assistant.answer import Answer, Citation, Conflict, ConflictSide
from bench.metrics import (
    agreement,
    alce_response,
    binary_precision_recall,
    citation_precisions,
    fact_coverage,
    is_verbatim,
    mean,
    mentions,
    misinformation_stated,
    missing_facts,
    mrr_at_k,
    percentile,
    precision_recall,
    recall_at_k,
    share,
    statement_recall,
)
from bench.quality.seeds import SeedQuestion, check
from index.article import Article


@pytest.mark.parametrize(
    ("ranked", "relevant", "k", "expected"),
    [
        (["a", "b", "c"], {"a"}, 1, 1.0),
        (["x", "a", "b"], {"a", "b"}, 1, 0.0),
        (["x", "a", "b"], {"a", "b"}, 2, 0.5),
        (["x", "a", "b"], {"a", "b"}, 3, 1.0),
        (["a", "a", "a", "b"], {"a", "b"}, 3, 0.5),  # one article's passages count once
        (["a"], {"a", "b", "c", "d"}, 10, 0.25),
        ([], {"a"}, 5, 0.0),
    ],
)
def test_recall_at_k(ranked: list[str], relevant: set[str], k: int, expected: float) -> None:
    assert recall_at_k(ranked, relevant, k) == pytest.approx(expected)


def test_recall_without_relevant_items_is_nan_and_skipped_by_mean() -> None:
    assert math.isnan(recall_at_k(["a"], set(), 5))
    assert math.isnan(mrr_at_k(["a"], set(), 5))
    assert mean([1.0, math.nan, 0.0]) == pytest.approx(0.5)
    assert math.isnan(mean([]))


@pytest.mark.parametrize(
    ("ranked", "relevant", "k", "expected"),
    [
        (["a", "b"], {"a"}, 10, 1.0),
        (["x", "y", "a"], {"a", "b"}, 10, 1 / 3),
        (["x", "y", "a"], {"a"}, 2, 0.0),
        (["x", "a", "b"], {"b", "a"}, 10, 0.5),
        ([], {"a"}, 10, 0.0),
    ],
)
def test_mrr_at_k(ranked: list[str], relevant: set[str], k: int, expected: float) -> None:
    assert mrr_at_k(ranked, relevant, k) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ({"a", "b"}, {"a"}, (0.5, 1.0)),
        ({"a"}, {"a", "b", "c", "d"}, (1.0, 0.25)),
        (set(), {"a"}, (1.0, 0.0)),
        ({"a"}, set(), (0.0, 1.0)),
        (set(), set(), (1.0, 1.0)),
    ],
)
def test_precision_recall(predicted: set[str], gold: set[str], expected: tuple[float, float]) -> None:
    assert precision_recall(predicted, gold) == pytest.approx(expected)


def test_percentile_interpolates_between_ranks() -> None:
    values = [40.0, 10.0, 30.0, 20.0]
    assert percentile(values, 0.5) == pytest.approx(25.0)
    assert percentile(values, 0.0) == 10.0
    assert percentile(values, 1.0) == 40.0
    assert percentile(list(range(1, 101)), 0.95) == pytest.approx(95.05)
    assert math.isnan(percentile([], 0.5))


@pytest.mark.parametrize(
    ("quote", "start", "end", "expected"),
    [
        ("quick brown", 4, 15, True),
        ("quick brown", 4, 16, False),  # one character too many
        ("Quick brown", 4, 15, False),  # case differs
        ("quick  brown", 4, 15, False),  # spacing differs
        ("", 4, 4, False),  # empty span
        ("dog", 40, 43, True),
        ("dog", 41, 44, False),  # beyond the text
        ("fox", -3, 0, False),
    ],
)
def test_is_verbatim(quote: str, start: int, end: int, expected: bool) -> None:
    text = "The quick brown fox jumps over the lazy dog"
    assert is_verbatim(quote, text, start, end) is expected


def test_mentions_is_a_case_insensitive_substring_over_all_texts() -> None:
    assert mentions(["Densely populated", "densely-populated"], ["a DENSELY-POPULATED city"])
    assert mentions(["congratulat"], ["none here", "He congratulated Trump"])
    assert not mentions(["42,000"], ["42000 people", "forty-two thousand"])
    assert not mentions([], ["anything"])


def test_missing_facts_names_each_uncovered_group() -> None:
    groups = [["30"], ["50"], ["August", "two months"]]
    texts = ["The call lasted 30 minutes.", "They last spoke two months ago."]
    assert missing_facts(groups, texts) == [["50"]]
    assert fact_coverage(groups, texts) == pytest.approx(2 / 3)
    assert fact_coverage([], texts) == 1.0
    assert missing_facts(groups, []) == groups


# --- the seed-question checks on hand-made answers ------------------------------------------------

TEXTS = {
    "a.txt": "The call lasted 30 minutes. Harris joined.",
    "b.txt": "The call lasted about 50 minutes.",
}


def _article(source: str) -> Article:
    return Article(source, TEXTS[source])


def _cite(n: int, source: str, start: int, end: int, quote: str | None = None) -> Citation:
    text = TEXTS[source][start:end] if quote is None else quote
    return Citation(n, source, "", "", "", text, start, end)


def _side(source: str, start: int, end: int) -> ConflictSide:
    return ConflictSide(source, "", "", TEXTS[source][start:end], start, end)


DURATION = SeedQuestion(
    "duration", "How long?", ("a.txt", "b.txt"), (("30",), ("50",)), True, (("a.txt", "b.txt"),), False
)


def test_a_good_answer_passes_every_check() -> None:
    sides = (_side("a.txt", 0, 27), _side("b.txt", 0, 33))
    answer = Answer(
        "How long?",
        "Sources differ [1][2].",
        citations=(_cite(1, "a.txt", 0, 27), _cite(2, "b.txt", 0, 33)),
        conflicts=(Conflict("duration", "contradiction", sides),),
    )
    result = check(DURATION, answer, 0.1, _article)
    assert result.passed and result.conflict_ok and result.failures == []
    assert result.quotes == 4


def test_missing_fact_missing_conflict_and_bent_quote_are_each_reported() -> None:
    answer = Answer(
        "How long?",
        "It lasted 30 minutes [1].",
        citations=(_cite(1, "a.txt", 0, 27, "The call lasted 30 mins."),),
    )
    result = check(DURATION, answer, 0.1, _article)
    assert not result.passed
    assert result.missing == [["50"]]
    assert not result.conflict_ok
    assert len(result.bad_quotes) == 1
    assert any("no contradiction" in f for f in result.failures)
    assert any("non-verbatim" in f for f in result.failures)


def test_wrong_evidence_abstention_and_false_contradiction_fail() -> None:
    who = SeedQuestion("who", "Who joined?", ("a.txt",), (("Harris",),), False, (), False)
    sides = (_side("a.txt", 0, 27), _side("b.txt", 0, 33))
    answer = Answer(
        "Who joined?",
        "Harris joined [1].",
        citations=(_cite(1, "b.txt", 0, 33),),
        conflicts=(Conflict("duration", "contradiction", sides),),
    )
    result = check(who, answer, 0.1, _article)
    assert not result.evidence_hit and not result.missing  # "Harris" is in the answer text
    assert any("false contradiction" in f for f in result.failures)
    abstained = check(
        who, Answer("Who joined?", "The articles do not answer this question.", True), 0.1, _article
    )
    assert "abstained" in abstained.failures and abstained.missing == [["Harris"]]


def test_an_unanswerable_question_must_abstain() -> None:
    none = SeedQuestion("none", "What about Ukraine?", (), (), False, (), True)
    assert check(none, Answer("q", "nothing", True), 0.1, _article).failures == []
    assert check(none, Answer("q", "Harris joined [1].", False), 0.1, _article).failures == [
        "did not abstain"
    ]


# --- flags: shares, abstention accuracy, conflict precision/recall ---------------------------------


def test_share_and_agreement() -> None:
    assert share([True, False, True, True]) == pytest.approx(0.75)
    assert math.isnan(share([]))
    abstained = [True, False, False, True]
    unanswerable = [True, False, True, False]
    assert agreement(abstained, unanswerable) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        agreement([True], [True, False])


@pytest.mark.parametrize(
    ("predicted", "actual", "expected"),
    [
        ([True, True, False, False], [True, False, True, False], (0.5, 0.5)),
        ([True, True, True, False], [True, True, False, False], (2 / 3, 1.0)),
        ([False, True, False, False], [True, True, True, False], (1.0, 1 / 3)),
        ([True, False], [False, False], (0.0, math.nan)),  # no conflict to find: recall undefined
        ([False, False], [True, False], (math.nan, 0.0)),  # nothing flagged: precision undefined
    ],
)
def test_binary_precision_recall(
    predicted: list[bool], actual: list[bool], expected: tuple[float, float]
) -> None:
    got = binary_precision_recall(predicted, actual)
    for value, wanted in zip(got, expected, strict=True):
        assert math.isnan(value) if math.isnan(wanted) else value == pytest.approx(wanted)


def test_misinformation_counts_only_without_a_conflict() -> None:
    texts = ["William Fields was a Whig.", "He sat in Congress."]
    assert misinformation_stated(["Whig", "Democratic"], texts, conflict_reported=False)
    assert not misinformation_stated(["Whig"], texts, conflict_reported=True)
    assert not misinformation_stated(["Democratic"], texts, conflict_reported=False)
    assert not misinformation_stated([], texts, conflict_reported=False)


# --- ALCE citation recall and precision, with a word-set judge ----------------------------------


def words(sentence: str, cited: Sequence[str]) -> bool:
    """Toy judge: every word of the sentence is among the words of the cited texts together."""
    return set(sentence.split()) <= {w for text in cited for w in text.split()}


@pytest.mark.parametrize(
    ("sentence", "cited", "recall", "precisions"),
    [
        ("a b", ["a b"], 1.0, [1.0]),
        ("a b", ["a", "b"], 1.0, [1.0, 1.0]),  # each needed for the joint support
        ("a b", ["a b", "c"], 1.0, [1.0, 0.0]),  # "c" supports nothing and "a b" suffices: irrelevant
        ("a b", ["a b", "a b c"], 1.0, [1.0, 1.0]),  # either alone supports: both count
        ("a b", ["a", "c"], 0.0, [0.0, 0.0]),  # unsupported: no citation earns credit
        ("a b", [], 0.0, []),  # no citation: ALCE counts the statement unsupported
    ],
)
def test_alce_statement_recall_and_citation_precision(
    sentence: str, cited: list[str], recall: float, precisions: list[float]
) -> None:
    assert statement_recall(sentence, cited, words) == recall
    assert citation_precisions(sentence, cited, words) == precisions


def test_alce_response_averages_statements_and_citations() -> None:
    statements = [("a b", ["a b", "c"]), ("d", ["d"]), ("e", [])]
    recall, precision = alce_response(statements, words)
    assert recall == pytest.approx(2 / 3)  # the uncited sentence counts as unsupported
    assert precision == pytest.approx(2 / 3)  # 1 + 0 + 1 over three citations
    assert alce_response([("e", [])], words) == (0.0, 0.0)  # no citation at all: precision 0
    assert all(math.isnan(x) for x in alce_response([], words))


def test_alce_reads_at_most_three_citations() -> None:
    # The fourth citation would complete the support, but ALCE stops at three.
    assert alce_response([("a b c d", ["a", "b", "c", "d"])], words) == (0.0, 0.0)
    assert alce_response([("a b c d", ["a", "b", "c", "d"])], words, at_most=4) == (1.0, 1.0)
