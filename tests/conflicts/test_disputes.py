"""Sources answering the question differently (disputes.py), and how conflicts.py reports them."""

from __future__ import annotations

import pytest

from assistant.answer import Passage
from assistant.conflicts.detect import CONTRADICTION, DIFFERENT_TIME, describe, detect_conflicts
from assistant.conflicts.disputes import disputes
from index.article import Article
from index.chunk import chunk_article

WHO = "Who wrote the song Tell Me Something Good?"
WROTE = "The song Tell Me Something Good was written by {} in 1974."


def pool(*texts: str, published: tuple[str, ...] = ()) -> dict[str, Article]:
    dates = published or ("",) * len(texts)
    return {
        f"s{i}": Article(f"s{i}", t, outlet=f"S{i}", published=d)
        for i, (t, d) in enumerate(zip(texts, dates, strict=True))
    }


def answers(question: str, *texts: str) -> list[list[str]]:
    """The values of each dispute the texts hold about the question."""
    articles = pool(*texts)
    spans = {s: [(0, len(a.text))] for s, a in articles.items()}
    return [[c.value for c in d.sides] for d in disputes(question, spans, articles)]


def conflicts(question: str, articles: dict[str, Article]) -> list[tuple[str, list[str]]]:
    chunks = [c for a in articles.values() for c in chunk_article(a)]
    passages = [Passage(i + 1, c) for i, c in enumerate(chunks)]
    return [(c.kind, [s.value for s in c.sides]) for c in detect_conflicts(question, passages, articles)]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Stevie Wonder", "Chaka Khan", [["Stevie Wonder", "Chaka Khan"]]),
        ("Stevie Wonder", "Wonder", []),  # a name and its short form agree
        ("Jerry Leiber", "Jerry Lieber", []),  # a misspelling agrees
        ("Steve McEwen", "Steve McEwan", []),
        ("Stevie Wonder", "Stevie Wonder", []),
    ],
)
def test_names(a: str, b: str, expected: list[list[str]]) -> None:
    assert answers(WHO, WROTE.format(a), WROTE.format(b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("in 1983", "in 2011", [["1983", "2011"]]),
        ("in September 1915", "on 25 September 1915", []),  # more precise, not different
        ("on 1 October 1968", "on 4 October 1968", [["1968-10-01", "1968-10-04"]]),
    ],
)
def test_years(a: str, b: str, expected: list[list[str]]) -> None:
    text = "The Reserve Bank of Lorrin was founded {}, the bank says."
    assert answers("When was the Reserve Bank of Lorrin founded?", text.format(a), text.format(b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("thirteen", "67", [["thirteen episodes", "67 episodes"]]),
        ("about 180", "185", []),  # within the stated approximation
        ("fifteen", "15", []),
    ],
)
def test_counts(a: str, b: str, expected: list[list[str]]) -> None:
    text = "The drama Lorrin Bay ran for {} episodes on national television."
    assert answers("How many episodes of Lorrin Bay are there?", text.format(a), text.format(b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("at 6 p.m.", "at 5:30 p.m.", [["6 p.m.", "5:30 p.m."]]),
        ("at 6 p.m.", "at 6pm", []),  # one time written two ways
        ("shortly after 6 p.m.", "at 6:40 p.m.", []),  # within "shortly after"
        ("at about 5:45 p.m.", "at 5:55 p.m.", []),  # within "about"
        ("at 6 p.m. on Saturday", "at 6 p.m. on Friday", [["6 p.m.", "6 p.m."]]),  # another day
    ],
)
def test_times_of_day(a: str, b: str, expected: list[list[str]]) -> None:
    text = "The gates of the Lantern Arena in Brixmoor opened {}, ahead of the concert."
    assert answers("What time did the Lantern Arena gates open?", text.format(a), text.format(b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # the answering clause is short beside the question; the lead names another moment
        (
            "The Tallow Water Authority has restored its systems after a ransomware attack, it said on"
            " Tuesday. The attack was discovered on Saturday, when alerts reached the contractor.",
            "Staff discovered the attack on Sunday morning, when they could not log in.",
            [["Saturday", "Sunday"]],
        ),
        (
            "The attack was discovered on Saturday, the authority said.",
            "The attack was discovered on Saturday, when staff could not log in.",
            [],
        ),
        # a weekday beside a calendar date may be either's day: no answer
        (
            "The attack was discovered on Saturday, the authority said.",
            "The attack was discovered on 9 November and reported on Sunday.",
            [],
        ),
        # a weekday in a clause of saying is when it was said, not when it happened
        (
            "The attack was discovered on Saturday, the authority said.",
            "A Tallow Water spokesperson on Sunday repeated that the attack was discovered by staff.",
            [],
        ),
        # a clause that doubts or plans gives no answer; "not ... until" places the answer in time
        (
            "The attack was discovered on Saturday, the authority said.",
            "The attack may have been discovered on Sunday.",
            [],
        ),
        (
            "The attack was discovered on Saturday, the authority said.",
            "The attack was not discovered until Sunday, the authority said.",
            [["Saturday", "Sunday"]],
        ),
    ],
)
def test_weekdays(a: str, b: str, expected: list[list[str]]) -> None:
    lead = "Tallow Water was hit by a ransomware attack that shut the water authority's billing. "
    assert (
        answers("When was the ransomware attack on Tallow Water discovered?", lead + a, lead + b) == expected
    )


def test_a_day_question_wants_a_weekday_and_a_time_question_a_time() -> None:
    day, hour = (
        "The House passed the gun bill on Tuesday at 4 p.m.",
        "The House passed the gun bill on Wednesday at 4 p.m.",
    )
    assert answers("On what day did the House pass the gun bill?", day, hour) == [["Tuesday", "Wednesday"]]
    assert answers("What time did the House pass the gun bill?", day, hour) == [["4 p.m.", "4 p.m."]]
    assert answers("What time did the House pass the gun bill?", day, day) == []


def test_a_count_its_answering_sentence_also_states_is_no_dispute() -> None:
    question = "How many people were still missing after the storm in Lorrin Bay?"
    missing = "In Lorrin Bay 121 people were still missing after the storm, officials said."
    both = "In Lorrin Bay rescuers have recovered 24 people after the storm, with 121 still missing."
    assert answers(question, missing, both) == []
    # The same figure counting something else elsewhere in the article does not settle it.
    other = "In Lorrin Bay rescuers have recovered 24 people after the storm. The town has 121 boats."
    assert answers(question, missing, other) == [["121 people", "24 people"]]
    # "dozens of people" states no figure that could be the other's
    vague = "In Lorrin Bay dozens of people searched, and 24 people were still missing after the storm."
    assert answers(question, vague, "In Lorrin Bay 30 people were still missing after the storm.") == [
        ["24 people", "30 people"]
    ]
    assert answers(question, missing, vague) == [["121 people", "24 people"]]


def test_agreeing_answers_are_shown_alike() -> None:
    text = "The drama Lorrin Bay ran for {} episodes on national television."
    found = answers(
        "How many episodes of Lorrin Bay are there?",
        text.format("fifteen"),
        text.format("15"),
        text.format("40"),
    )
    assert found == [["fifteen episodes", "fifteen episodes", "40 episodes"]]


def test_a_source_naming_both_answers_is_no_side() -> None:
    both = "The song Tell Me Something Good was written by Stevie Wonder, not by Chaka Khan as some say."
    assert (
        answers(WHO, WROTE.format("Stevie Wonder"), WROTE.format("Chaka Khan") + " Stevie Wonder sang.") == []
    )
    assert answers(WHO, both, WROTE.format("Chaka Khan")) == []


def test_denied_and_unrelated_sentences_give_no_answer() -> None:
    denied = "The song Tell Me Something Good was not written by Chaka Khan in 1974."
    unrelated = "Chaka Khan toured Europe with Rufus in 1974."
    assert answers(WHO, WROTE.format("Stevie Wonder"), denied) == []
    assert answers(WHO, WROTE.format("Stevie Wonder"), unrelated) == []


def test_two_things_of_one_name_are_not_a_dispute() -> None:
    a = "Baby Doll is a 1956 American film by Warner Bros, directed by Elia Kazan from Tennessee Williams."
    b = "Baby Doll is a 1968 Italian comedy film from Rome, directed by Franco Giraldi for Titanus."
    assert answers("Who directed the film Baby Doll?", a, b) == []


def test_questions_without_a_phrase_answer_are_not_read() -> None:
    assert (
        answers("Why was the song Tell Me Something Good written?", WROTE.format("A B"), WROTE.format("C D"))
        == []
    )


# Reported by detect_conflicts


def test_different_answers_are_a_contradiction_that_quotes_both_sources() -> None:
    articles = pool(
        WROTE.format("Stevie Wonder"), "Chaka Khan wrote the song Tell Me Something Good for Rufus."
    )
    found = detect_conflicts(WHO, [Passage(i + 1, c) for i, c in enumerate(
        c for a in articles.values() for c in chunk_article(a))], articles)  # fmt: skip
    assert [(c.kind, c.topic) for c in found] == [
        (CONTRADICTION, "who wrote the song Tell Me Something Good")
    ]
    for s in found[0].sides:
        assert s.quote == articles[s.source].text[s.start : s.end]
        assert s.value in s.quote
    sentence = describe(found[0], lambda s: int(s.source[1:]) + 1)
    assert sentence == (
        "Sources differ on who wrote the song Tell Me Something Good: one reports Stevie Wonder [1], "
        "another Chaka Khan [2]."
    )


@pytest.mark.parametrize(
    ("question", "texts", "published", "kind"),
    [
        # a year is its own time: publication dates do not make it a different moment
        ("When was the Reserve Bank of Lorrin founded?",
         ("The Reserve Bank of Lorrin was founded in 1911.", "The Reserve Bank of Lorrin was founded in 1960."),
         ("2015-01-01", "2022-06-01"), CONTRADICTION),
        # counts reported years apart may both have been true
        ("How many episodes of Lorrin Bay are there?",
         ("The drama Lorrin Bay has 13 episodes so far.", "The drama Lorrin Bay has 67 episodes so far."),
         ("2014-01-01", "2019-06-01"), DIFFERENT_TIME),
        ("How many episodes of Lorrin Bay are there?",
         ("The drama Lorrin Bay has 13 episodes so far.", "The drama Lorrin Bay has 67 episodes so far."),
         ("2019-06-01", "2019-06-01"), CONTRADICTION),
    ],
)  # fmt: skip
def test_kind(question: str, texts: tuple[str, str], published: tuple[str, str], kind: str) -> None:
    assert [k for k, _ in conflicts(question, pool(*texts, published=published))] == [kind]


def test_answers_from_another_moment_are_told_apart_from_the_contradiction() -> None:
    """Two reports of one season disagree; a third, years older, differs from both in its time."""
    question = "How many episodes of Lorrin Bay are there?"
    text = "The drama Lorrin Bay has {} episodes so far."
    articles = pool(
        text.format(40),
        text.format(52),
        text.format(13),
        published=("2019-06-01", "2019-06-02", "2014-01-01"),
    )
    found = conflicts(question, articles)
    assert [values for kind, values in found if kind == CONTRADICTION] == [["40 episodes", "52 episodes"]]
    assert (DIFFERENT_TIME, ["40 episodes", "52 episodes", "13 episodes"]) in found
