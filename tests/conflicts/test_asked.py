"""What kind of phrase answers a question (asked.py): a table of questions."""

from __future__ import annotations

import pytest

from assistant.conflicts.asked import CLOCK, COUNT, DATE, DAY, NAME, asked, canonical, same_key
from assistant.conflicts.subjects import key


@pytest.mark.parametrize(
    ("question", "kind", "verbs"),
    [
        ("Who wrote the song Tell Me Something Good?", NAME, {"write"}),
        ("Who has won the most titles?", NAME, {"win"}),  # auxiliaries are skipped
        ("Which team won the 2011 World Cup?", NAME, {"win"}),  # the noun after "which" is no verb
        ("Who is the only bowler to take two hat-tricks?", NAME, set()),  # "who is the ...": a noun
        ("Who did John Stamos play on General Hospital?", "", set()),  # actors play many parts
        ("When was the dollar coin introduced in Australia?", DATE, set()),
        ("In what year did the war end?", DATE, set()),
        ("How many episodes are there in the first season?", COUNT, set()),
        ("Where was the biggest gold nugget found?", "", set()),  # places are not read
        ("What caused the oil crisis of 1973?", "", set()),  # asks for a description
        ("Why did the call end early?", "", set()),
        ("Did the attack kill anyone?", "", set()),
    ],
)
def test_kind_of_answer(question: str, kind: str, verbs: set[str]) -> None:
    wanted = asked(question)
    assert wanted.kind == kind
    if kind:
        assert wanted.verbs == verbs


def test_a_count_names_its_unit() -> None:
    assert asked("How many episodes are there in the first season?").unit == key("episodes")


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("When was the attack discovered?", ""),
        ("On what day did the House pass the bill?", DAY),
        ("Which day did the storm reach the coast?", DAY),
        ("What time did the gates open?", CLOCK),
    ],
)
def test_a_date_question_may_ask_for_a_weekday_or_a_time_of_day(question: str, unit: str) -> None:
    wanted = asked(question)
    assert (wanted.kind, wanted.unit) == (DATE, unit)
    assert not wanted.keys & {key("day"), key("time")}  # the word naming the answer is no clue


def test_come_out_is_released_and_event_verbs_share_a_key() -> None:
    wanted = asked("When did the first Ford Bronco come out?")
    assert canonical(key("released")) in wanted.keys
    assert wanted.relevance({key("bronco"), key("first"), key("ford"), key("premiered")}) == 1.0
    assert canonical(key("established")) == canonical(key("founded"))


def test_relevance_weighs_rare_words_more() -> None:
    sentences = [frozenset({key("song")}), frozenset({key("song")}), frozenset({key("wonder")})]
    wanted = asked("Who wrote the song Wonder?", sentences)
    assert wanted.relevance({key("wonder")}) > wanted.relevance({key("song")})
    assert wanted.relevance(set()) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("iran", "iranian", True),
        ("produc", "producer", True),
        ("song", "songwriter", False),
        ("a", "b", False),
    ],
)
def test_same_key(a: str, b: str, same: bool) -> None:
    assert same_key(a, b) is same
