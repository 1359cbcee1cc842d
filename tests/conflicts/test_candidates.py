"""The phrase a sentence gives as the answer (candidates.py): tables of sentences and answers."""

from __future__ import annotations

import pytest

from assistant.conflicts.asked import asked
from assistant.conflicts.candidates import candidates, name_keys, relevant, vocabulary
from index.article import Article

WHO_WROTE = "Who wrote the song Tell Me Something Good?"


def answers(question: str, text: str, least: float = 0.0, others: tuple[str, ...] = ()) -> list[str]:
    """The values the text gives as answers; `others` are further source texts (the vocabulary)."""
    wanted = asked(question)
    article = Article("a", text)
    vocab = vocabulary([text, *others])
    found = relevant(wanted, article, [(0, len(text))], least)
    return [c.value for c in candidates(wanted, article, found, vocab)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The song Tell Me Something Good was written by Stevie Wonder.", ["Stevie Wonder"]),
        ("Stevie Wonder wrote the song Tell Me Something Good for Rufus.", ["Stevie Wonder"]),
        ("Stevie Wonder, who wrote the song Tell Me Something Good, said so.", ["Stevie Wonder"]),
        ("The songwriter Stevie Wonder wrote the good song.", ["Stevie Wonder"]),
        # the singer, a modifier, a title in quotes, a possessor: not the writer
        ("The song Tell Me Something Good was sung by Chaka Khan.", []),
        ('American singer Chaka Khan wrote "Something Good", a song.', ["Chaka Khan"]),
        ('Stevie Wonder wrote the song "Tell Me Something Good".', ["Stevie Wonder"]),
        ("Chaka Khan's song Tell Me Something Good was written in 1974.", []),
        # denied, hedged or asked: no answer
        ("The song Tell Me Something Good was not written by Stevie Wonder.", []),
        ("The song Tell Me Something Good may have been written by Stevie Wonder.", []),
        ("Stevie Wonder never said who wrote the song Tell Me Something Good.", []),
        ("Stevie Wonder wrote the song Tell Me Something Good, which may be his best.", ["Stevie Wonder"]),
        ("Was the song Tell Me Something Good written by Stevie Wonder?", []),
    ],
)
def test_who_answers(text: str, expected: list[str]) -> None:
    assert answers(WHO_WROTE, text) == expected


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("Who is the bassist of Metallica?", "Metallica's bassist is Robert Trujillo.", ["Robert Trujillo"]),
        ("Who played bass on the Justice album?", "The bassist Jason Newsted played bass on the Justice album.",
         ["Jason Newsted"]),
        ("Who plays Aang in the movie?", "The movie stars Noah Ringer as Aang.", ["Noah Ringer"]),
    ],
)  # fmt: skip
def test_names_beside_the_question_words(question: str, text: str, expected: list[str]) -> None:
    assert answers(question, text) == expected


def test_a_capitalised_common_word_opening_a_sentence_is_no_name() -> None:
    text = "However, the song Tell Me Something Good was written by Stevie Wonder."
    other = "Critics however disagree."
    assert answers(WHO_WROTE, text, others=(other,)) == ["Stevie Wonder"]


def test_a_lone_word_is_a_name_only_where_the_sources_use_it_in_one() -> None:
    text = "Wonder wrote the song Tell Me Something Good."
    assert answers(WHO_WROTE, text) == []
    assert answers(WHO_WROTE, text, others=("Stevie Wonder sang.",)) == ["Wonder"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Reserve Bank was established on 14 January 1960.", ["1960-01-14"]),
        ("The Reserve Bank was founded in 1960.", ["1960"]),
        ("The Reserve Bank was founded in 1960 and moved in 1965.", []),  # two years: which one?
        ("The Reserve Bank was founded between 1959 and 1960.", []),  # a span
        ("The Reserve Bank, founded 1959–60, moved.", []),
    ],
)
def test_years(text: str, expected: list[str]) -> None:
    assert answers("When was the Reserve Bank founded?", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The first season consisted of thirteen episodes.", ["thirteen episodes"]),
        ("The show ran for 67 episodes over six seasons.", ["67 episodes"]),
        ("The show has several episodes online.", []),  # vague
        ("The show has 12 episodes and 40 songs.", ["12 episodes"]),  # another unit
        # a denial or hedge counts where it governs the figure, not in a clause of its own
        ("The show did not run for 67 episodes.", []),
        ("The show is expected to run for 67 episodes.", []),
        ("The show ran for 67 episodes, which critics may not have liked.", ["67 episodes"]),
        ("The network said the show ran for 67 episodes that viewers may have missed.", ["67 episodes"]),
    ],
)
def test_counts(text: str, expected: list[str]) -> None:
    assert answers("How many episodes are there in the show?", text) == expected


def test_only_sentences_holding_enough_of_the_question_are_read() -> None:
    text = "Stevie Wonder wrote it. The song Tell Me Something Good was written by Chaka Khan."
    assert answers(WHO_WROTE, text, least=0.9) == ["Chaka Khan"]


def test_name_keys_leave_out_common_and_calendar_words() -> None:
    vocab = vocabulary(["the president spoke."])
    assert name_keys("On Monday President Joe Biden spoke.", vocab) == {"joe", "biden"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an elision mark joins words that did not stand together: the question's words must stand
        # in the name's own stretch of text
        ("Chaka Khan wrote many songs. ... the song Tell Me Something Good was a hit.", []),
        ("Chaka Khan wrote many songs … the song Tell Me Something Good was a hit.", []),
        ("Chaka Khan wrote many songs...the song Tell Me Something Good was a hit.", []),
        ("Chaka Khan wrote the song Tell Me Something Good. ... It was a hit.", ["Chaka Khan"]),
    ],
)
def test_an_elision_separates_what_it_joins(text: str, expected: list[str]) -> None:
    assert answers(WHO_WROTE, text, least=0.8) == expected
