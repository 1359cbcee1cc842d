"""The names of a question that no article mentions, read with spaCy's real entity recogniser."""

import pytest

from assistant.text.names import unknown_names

VOCABULARY = {"biden", "netanyahu", "call", "biblic", "joseph", "monetari", "fund", "prime", "minist"}


def known(term: str) -> bool:
    return term in VOCABULARY


def derived(stem: str, letters: int) -> bool:
    return any(t.startswith(stem) and len(t) - len(stem) <= letters for t in VOCABULARY)


def test_a_name_no_article_holds_is_unknown() -> None:
    assert unknown_names("What did Biden and Netanyahu agree about Ukraine?", known, derived) == ["Ukraine"]
    assert unknown_names("Did Biden call Zelvorian Prime Minister Qarthos?", known, derived) == [
        "Zelvorian",
        "Qarthos",
    ]


def test_a_capitalised_word_that_names_nothing_is_no_name() -> None:
    assert unknown_names("Is the water from my tap still OK to drink after the call?", known, derived) == []


def test_a_name_held_as_its_adjective_is_known() -> None:
    question = "Which official compared Biden to a figure from the Bible?"
    assert unknown_names(question, known, derived) == []
    assert unknown_names(question, known, lambda stem, letters: False) == ["Bible"]


@pytest.mark.parametrize(
    ("question", "passages"),
    [
        (
            "What did the head of the IMF say about the call?",
            "Christine Lagarde, the managing director of the International Monetary Fund, warned.",
        ),
        (
            "Who can get the new RSV jab?",
            "The respiratory syncytial virus vaccine is offered to people over 75.",
        ),
        ("What did the FDA say?", "The Food and Drug Administration approved it on Monday."),
    ],
)
def test_an_acronym_the_passages_spell_out_is_known(question: str, passages: str) -> None:
    acronym = next(w for w in question.rstrip("?").split() if w.isupper() and len(w) > 1)
    assert unknown_names(question, known, derived) == [acronym]
    assert unknown_names(question, known, derived, passages) == []


def test_the_initials_of_a_clause_do_not_reach_into_the_next() -> None:
    passages = "He spoke to the International Monetary. Fund managers were not told."
    assert unknown_names("What did the head of the IMF say?", known, derived, passages) == ["IMF"]
