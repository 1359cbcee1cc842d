"""Yes-or-no answers read from sentences (polarity.py) and opposite answers as conflicts."""

from __future__ import annotations

import pytest

from assistant.answer import CONTRADICTION, DIFFERENT_TIME
from assistant.conflicts.detect import detect_conflicts
from assistant.conflicts.focus import focus
from assistant.conflicts.polarity import _answer, stances
from index.article import Article
from tests.conflicts.test_detect import all_passages, pool

QUESTION = "Did the attackers get hold of customers' bank details?"
KEYS = focus(QUESTION).keys


@pytest.mark.parametrize(
    ("sentence", "answer"),
    [
        ("The stolen files include the bank details of customers who pay by direct debit.", "yes"),
        ("No bank details were taken, the authority said.", "no"),
        ("Customers' bank details were not taken in the attack.", "no"),
        ("The attackers never got hold of bank details, the authority said.", "no"),
        # a negation of something else, a hedge or a question answers nothing
        ("The authority did not respond to questions about the bank details.", ""),
        ("The attackers may have got hold of bank details.", ""),
        ("Did the attackers get hold of bank details?", ""),
    ],
)
def test_a_sentence_answers_yes_no_or_nothing(sentence: str, answer: str) -> None:
    assert _answer(sentence, KEYS) == answer


def article(id_: str, text: str, published: str = "2025-03-05") -> Article:
    return Article(id_, text, outlet=id_.upper(), published=published)


YES = "The Tallow Water attackers got hold of customers' bank details, the stolen files show."
NO = "The Tallow Water attackers did not get hold of customers' bank details, the authority said."


def test_each_article_answers_from_its_sentence_holding_most_of_the_question() -> None:
    a = article("a", "The Tallow Water attack began on Sunday. " + YES)
    b = article("b", NO)
    articles = pool(a, b)
    spans = {s: [(0, len(x.text))] for s, x in articles.items()}
    found = stances(focus(QUESTION), spans, articles)
    assert {s: st.answer for s, st in found.items()} == {"a": "yes", "b": "no"}
    assert a.text[found["a"].start : found["a"].end] == YES


def test_opposite_answers_are_a_contradiction_quoting_both() -> None:
    a, b = article("a", YES), article("b", NO)
    (conflict,) = detect_conflicts(QUESTION, all_passages(pool(a, b)), pool(a, b))
    assert conflict.kind == CONTRADICTION
    assert [(s.source, s.value, s.quote) for s in conflict.sides] == [("b", "no", NO), ("a", "yes", YES)]


def test_opposite_answers_a_season_apart_are_different_times() -> None:
    a, b = article("a", YES, "2025-03-05"), article("b", NO, "2024-06-01")
    assert [c.kind for c in detect_conflicts(QUESTION, all_passages(pool(a, b)), pool(a, b))] == [
        DIFFERENT_TIME
    ]


def test_answers_that_agree_or_a_question_that_asks_for_a_figure_are_no_conflict() -> None:
    a, b = article("a", YES), article("b", YES.replace("stolen files show", "council said"))
    assert detect_conflicts(QUESTION, all_passages(pool(a, b)), pool(a, b)) == []
    c, d = article("c", YES), article("d", NO)
    assert (
        detect_conflicts(
            "How many bank details did the attackers take?", all_passages(pool(c, d)), pool(c, d)
        )
        == []
    )
