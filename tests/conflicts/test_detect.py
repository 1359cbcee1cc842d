"""Conflict detection end to end: the bundled articles, the invented-event fixtures, and small
classification tables (same moment, different times, undated restatements)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer import Conflict, ConflictSide, Passage
from assistant.conflicts.detect import (
    CONTRADICTION,
    DIFFERENT_TIME,
    corpus_conflicts,
    describe,
    detect_conflicts,
)
from assistant.text.terms import content_terms
from index.article import Article
from index.chunk import chunk_article
from index.load import read_documents
from index.prepare import prepare

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"
EVENT = Path(__file__).resolve().parents[1] / "fixtures" / "conflicts"
SEED_QUESTIONS = Path("/work/shared/eval/seed_questions.jsonl")
CALL_001, CALL_002, IRAN_003, CALL_004 = (
    "001_7ca6027d49f55e8b.txt",
    "002_ede3a99fe171a0a6.txt",
    "003_dd4507c4535ae5e4.txt",
    "004_0bf4945aa2f43ae1.txt",
)


def load(folder: Path) -> dict[str, Article]:
    articles = {}
    for path in sorted(folder.iterdir()):
        for doc in read_documents(path, path.name, path.read_bytes()):
            article = prepare(doc)
            articles[article.id] = article
    return articles


@pytest.fixture(scope="module")
def samples() -> dict[str, Article]:
    return load(SAMPLES)


@pytest.fixture(scope="module")
def event() -> dict[str, Article]:
    return load(EVENT)


def all_passages(articles: Mapping[str, Article]) -> list[Passage]:
    """Every chunk of every article: retrieval that returns everything, relevant or not."""
    chunks = [c for a in articles.values() for c in chunk_article(a)]
    return [Passage(i + 1, c) for i, c in enumerate(chunks)]


def overlap_passages(question: str, articles: Mapping[str, Article], k: int = 8) -> list[Passage]:
    """The k chunks sharing most content words with the question: a crude retriever."""
    wanted = set(content_terms(question))
    chunks = [c for a in articles.values() for c in chunk_article(a)]
    chunks.sort(key=lambda c: -len(wanted & set(content_terms(c.text))))
    return [Passage(i + 1, c) for i, c in enumerate(chunks[:k])]


def ask(question: str, articles: Mapping[str, Article], kind: str = CONTRADICTION) -> list[Conflict]:
    return [c for c in detect_conflicts(question, all_passages(articles), articles) if c.kind == kind]


def sources(conflict: Conflict) -> set[str]:
    return {side.source for side in conflict.sides}


def assert_well_formed(conflicts: list[Conflict], articles: Mapping[str, Article]) -> None:
    for conflict in conflicts:
        assert conflict.kind in (CONTRADICTION, DIFFERENT_TIME)
        assert len(sources(conflict)) == len(conflict.sides) >= 2
        for side in conflict.sides:
            article = articles[side.source]
            assert side.quote == article.text[side.start : side.end]
            assert (side.outlet, side.published) == (article.outlet, article.published)
            assert side.value


# The bundled sample articles


def test_call_length_contradiction_quotes_both_reports(samples: dict[str, Article]) -> None:
    found = detect_conflicts(
        "How long did the Biden-Netanyahu phone call last?", all_passages(samples), samples
    )
    assert_well_formed(found, samples)
    (contradiction,) = [c for c in found if c.kind == CONTRADICTION]
    assert sources(contradiction) == {CALL_001, CALL_002}
    values = {side.source: side.value for side in contradiction.sides}
    assert values == {CALL_001: "30 minutes", CALL_002: "about 50 minutes"}
    assert "30-minute call" in contradiction.sides[0].quote
    assert "about 50 minutes" in contradiction.sides[1].quote
    assert contradiction.topic == "the length of the call"
    whens = {side.source: side.when for side in contradiction.sides}
    assert whens == {CALL_001: "Wednesday", CALL_002: "Wednesday 2024-10-09"}
    assert "same moment (Wednesday 2024-10-09)" in contradiction.reason


def test_the_january_call_is_never_a_contradiction(samples: dict[str, Article]) -> None:
    found = detect_conflicts(
        "How long did the Biden-Netanyahu phone call last?", all_passages(samples), samples
    )
    assert all(CALL_004 not in sources(c) for c in found if c.kind == CONTRADICTION)
    later = [c for c in found if c.kind == DIFFERENT_TIME]
    assert all(CALL_004 in sources(c) for c in later)
    assert later and all("different moments" in c.reason and "Friday" in c.reason for c in later)


def test_casualty_contradiction(samples: dict[str, Article]) -> None:
    (conflict,) = ask("Did Iran's October 1 missile attack on Israel kill anyone?", samples)
    assert sources(conflict) == {CALL_002, IRAN_003}
    quotes = " ".join(side.quote for side in conflict.sides)
    assert "caused no casualties" in quotes and "killed a lone Palestinian man" in quotes


def test_death_tolls_from_different_dates_are_not_a_contradiction(samples: dict[str, Article]) -> None:
    question = "How many Palestinians had been killed in Gaza?"
    assert ask(question, samples) == []
    (later,) = ask(question, samples, DIFFERENT_TIME)
    assert {side.value for side in later.sides} == {
        "at least 42,000 Palestinians",
        "more than 24,700 Palestinians",
    }


@pytest.mark.parametrize(
    "question",
    [
        "Who else took part in the call besides Biden and Netanyahu?",
        "What did Biden say about Beirut?",
        "How many missiles did Iran fire at Israel on October 1?",
        "What did Biden and Netanyahu agree about Ukraine?",
        "When had the two leaders last spoken before the October call?",
    ],
)
def test_questions_without_disagreement_report_no_contradiction(
    question: str, samples: dict[str, Article]
) -> None:
    assert ask(question, samples) == []


def seed_questions() -> list[dict]:
    if not SEED_QUESTIONS.is_file():
        return []
    return [
        json.loads(line) for line in SEED_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.mark.skipif(not SEED_QUESTIONS.is_file(), reason="development questions not available")
@pytest.mark.parametrize("seed", seed_questions(), ids=lambda q: q["id"])
def test_development_questions(seed: dict, samples: dict[str, Article]) -> None:
    found = ask(seed["question"], samples)
    if seed["conflict"]:
        for pair in seed["conflict_between"]:
            assert any(set(pair) <= sources(c) for c in found), [sources(c) for c in found]
    elif not seed.get("unanswerable"):
        assert found == []


def test_corpus_conflicts_on_the_samples(samples: dict[str, Article]) -> None:
    found = corpus_conflicts(samples)
    assert_well_formed(found, samples)
    contradictions = [sources(c) for c in found if c.kind == CONTRADICTION]
    assert {CALL_001, CALL_002} in contradictions
    assert {CALL_002, IRAN_003} in contradictions
    lengths = [c for c in found if c.topic == "the length of the call"]
    assert all(CALL_004 not in sources(c) for c in lengths if c.kind == CONTRADICTION)
    assert found == sorted(found, key=lambda c: (c.topic, c.kind != CONTRADICTION))


def test_detection_survives_a_narrow_retriever(samples: dict[str, Article]) -> None:
    question = "How long did the Biden-Netanyahu phone call last?"
    passages = overlap_passages(question, samples)
    found = [c for c in detect_conflicts(question, passages, samples) if c.kind == CONTRADICTION]
    assert [sources(c) for c in found] == [{CALL_001, CALL_002}]


def test_unrelated_articles_among_the_passages_change_nothing(
    samples: dict[str, Article], event: dict[str, Article]
) -> None:
    both = {**samples, **event}
    question = "How long did the Biden-Netanyahu phone call last?"
    assert [sources(c) for c in ask(question, both)] == [{CALL_001, CALL_002}]
    assert [sources(c) for c in ask("Was anyone injured in the ferry fire?", both)] == [
        {"harbour_news_2031-03-05.md", "herald_2031-03-04.md"}
    ]


def test_passages_of_unknown_articles_are_ignored(samples: dict[str, Article]) -> None:
    passages = all_passages(samples)
    only_two = {k: samples[k] for k in (CALL_001, CALL_002)}
    found = detect_conflicts("How long did the Biden-Netanyahu phone call last?", passages, only_two)
    assert [sources(c) for c in found] == [{CALL_001, CALL_002}]


# The invented event: a ferry fire in Marrowick, reported by several outlets on several days


@pytest.mark.parametrize(
    ("question", "kind", "expected"),
    [
        ("How long did the port authority's emergency meeting last?", CONTRADICTION,
         {"coastal_wire_2031-03-04.md": "45 minutes", "herald_2031-03-04.md": "two hours"}),
        ("How long did the port authority's emergency meeting last?", DIFFERENT_TIME,
         {"coastal_wire_2031-03-04.md": "45 minutes", "herald_2030-06-10.md": "three hours"}),
        ("Was anyone injured in the ferry fire?", CONTRADICTION,
         {"harbour_news_2031-03-05.md": "Four crew members were injured", "herald_2031-03-04.md": "no injuries"}),
        ("Was Thursday's sailing postponed or cancelled?", CONTRADICTION,
         {"coastal_wire_2031-03-04.md": "cancelled", "herald_2031-03-04.md": "postponed"}),
        ("On what day did the fire break out?", CONTRADICTION,
         {"herald_2031-03-04.md": "Monday", "island_daily_2031-03-04.md": "Sunday"}),
        ("How much will the repairs to the Ostra Belle cost?", DIFFERENT_TIME,
         {"coastal_wire_2031-03-04.md": "$12 million", "herald_2031-03-11.md": "$19 million"}),
    ],
)  # fmt: skip
def test_planted_disagreements(
    question: str, kind: str, expected: dict[str, str], event: dict[str, Article]
) -> None:
    found = detect_conflicts(question, all_passages(event), event)
    assert_well_formed(found, event)
    assert expected in [{s.source: s.value for s in c.sides} for c in found if c.kind == kind]


@pytest.mark.parametrize(
    "question",
    [
        "How much will the repairs to the Ostra Belle cost?",  # about $12 million agrees with $12 million
        "How many firefighters fought the fire?",  # about 50 agrees with 48
        "How many passengers were on board?",
        "How long did the match last?",
        "Who praised the evacuation?",
    ],
)
def test_planted_agreements_are_not_contradictions(question: str, event: dict[str, Article]) -> None:
    assert ask(question, event) == []


def test_corpus_conflicts_on_the_invented_event(event: dict[str, Article]) -> None:
    found = corpus_conflicts(event)
    assert_well_formed(found, event)
    assert all("valley_sports_2031-03-04.md" not in sources(c) for c in found)
    contradictions = {c.topic for c in found if c.kind == CONTRADICTION}
    assert {
        "the length of the meeting",
        "whether the fire caused casualties",
        "when it started",
    } <= contradictions
    assert "the amount of money" not in contradictions


# Classification: the same moment, different times, undated reports


def article(id_: str, text: str, published: str = "") -> Article:
    return Article(id_, text, outlet=id_.upper(), published=published)


def pool(*articles: Article) -> dict[str, Article]:
    return {a.id: a for a in articles}


def reported(question: str, *articles: Article) -> list[tuple[str, list[str]]]:
    """Each conflict found for the question over every passage of the articles: kind and values."""
    found = pool(*articles)
    conflicts = detect_conflicts(question, all_passages(found), found)
    return [(c.kind, sorted(s.value for s in c.sides)) for c in conflicts]


QUESTION = "How long did the Lorrin council meeting last?"
MEETING = (
    "The Lorrin council met on Tuesday to vote on the harbour plan. The meeting lasted {}, the mayor said."
)


@pytest.mark.parametrize(
    ("published", "lengths", "kind"),
    [
        (("2030-05-08", "2030-05-08"), ("two hours", "45 minutes"), CONTRADICTION),
        (("2030-05-08", "2030-05-09"), ("two hours", "45 minutes"), CONTRADICTION),  # next day, same meeting
        (("2030-05-08", "2030-06-19"), ("two hours", "45 minutes"), DIFFERENT_TIME),  # weeks apart
        (("", ""), ("two hours", "45 minutes"), CONTRADICTION),  # undated, but the same lead weekday
        (("2030-05-08", "2030-05-08"), ("two hours", "about two hours"), None),  # agreement
        (("2030-05-08", "2030-05-08"), ("two hours", "120 minutes"), None),
    ],
)
def test_classification(published: tuple[str, str], lengths: tuple[str, str], kind: str | None) -> None:
    a = article("a", MEETING.format(lengths[0]), published[0])
    b = article("b", MEETING.format(lengths[1]), published[1])
    articles = pool(a, b)
    found = detect_conflicts(QUESTION, all_passages(articles), articles)
    assert [c.kind for c in found] == ([kind] if kind else [])


def test_lead_weekdays_separate_undated_reports_of_different_meetings() -> None:
    a = article("a", "The Lorrin council met on Tuesday. The meeting lasted two hours, the mayor said.")
    b = article("b", "The Lorrin council met on Friday. The meeting lasted 45 minutes, the mayor said.")
    found = detect_conflicts(QUESTION, all_passages(pool(a, b)), pool(a, b))
    assert [c.kind for c in found] == [DIFFERENT_TIME]


def test_undated_restatements_of_one_sentence_contradict() -> None:
    text = "Lorrin is a town in Vale County, Oregon. As of the last census, the population of Lorrin was {}."
    a, b = article("a", text.format("924")), article("b", text.format("1,243"))
    found = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert [(c.kind, [s.value for s in c.sides]) for c in found] == [
        (CONTRADICTION, ["924 people", "1,243 people"])
    ]


def test_years_next_to_figures_separate_censuses() -> None:
    a = article("a", "Lorrin is a town in Vale County. The population was 4,284 at the 2010 census.")
    b = article("b", "Lorrin is a town in Vale County. The population was 6,306 at the 2020 census.")
    found = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert [c.kind for c in found] == [DIFFERENT_TIME]


SEA_WALL = "How much will the Lorrin council spend on the sea wall?"
BOTH_FIGURES = (
    "The Lorrin council asked on Tuesday for $5.7 million for the sea wall. "
    "The budget the assembly passed gives the Lorrin council $1.4 million for the sea wall."
)


def test_an_article_stating_both_figures_contradicts_neither() -> None:
    # "$5.7 million" (asked for) in one report is the other report's own figure for the request
    a = article("a", BOTH_FIGURES, "2025-03-01")
    b = article(
        "b",
        "The Lorrin council wanted $5.7 million for the sea wall, its mayor said on Tuesday.",
        "2025-03-01",
    )
    assert detect_conflicts(SEA_WALL, all_passages(pool(a, b)), pool(a, b)) == []


def test_a_figure_neither_article_shares_still_contradicts() -> None:
    a = article("a", BOTH_FIGURES, "2025-03-01")
    b = article(
        "b",
        "The budget the assembly passed on Tuesday gives the Lorrin council $2.2 million for the sea wall.",
        "2025-03-01",
    )
    found = detect_conflicts(SEA_WALL, all_passages(pool(a, b)), pool(a, b))
    assert [(c.kind, [s.source for s in c.sides], c.sides[-1].value) for c in found] == [
        (CONTRADICTION, ["a", "b"], "$2.2 million")
    ]


def test_undated_reports_that_only_share_a_question_are_not_called_contradictory() -> None:
    a = article("a", "Lorrin is a town in Vale County, Oregon. Its population was 924 in the last count.")
    b = article(
        "b", "Lorrin is a village on the coast of Maine. Fishing made Lorrin, with 1,243 people, rich."
    )
    found = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert [c for c in found if c.kind == CONTRADICTION] == []


SEA_WALL_COST = "How much will repairing the Lorrin sea wall cost?"
COST_A = "Repairing the Lorrin sea wall will cost £2.4 million, the council said."
COST_B = "Engineers put the bill for repairing the damaged sea wall at £3.1 million, to be paid from the Lorrin capital budget."


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        # two reports of one news cycle, worded apart: a contradiction unless something dates them apart
        (("2030-05-08", "2030-05-09"), [(CONTRADICTION, ["£2.4 million", "£3.1 million"])]),
        # a season apart: two estimates, each right for its time
        (("2030-05-08", "2030-09-19"), [(DIFFERENT_TIME, ["£2.4 million", "£3.1 million"])]),
        # undated documents may be about two things of one name: no contradiction without restating
        (("", ""), []),
        (("2030-05-08", ""), []),
    ],
)
def test_dated_reports_of_one_news_cycle_contradict_by_default(
    published: tuple[str, str], expected: list[tuple[str, list[str]]]
) -> None:
    a, b = article("a", COST_A, published[0]), article("b", COST_B, published[1])
    assert reported(SEA_WALL_COST, a, b) == expected


AMENDMENT = "What happened to the Lorrin harbour library amendment?"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # an opposing term is no figure of one thing: two motions of one meeting
        (("The Lorrin council approved its budget on Tuesday after a long debate about the harbour.",
          "An amendment to keep the Lorrin harbour library open was rejected by the council."), []),
        # the same statement with the opposite term still contradicts
        (("The amendment to keep the Lorrin harbour library open was approved by the council on Tuesday.",
          "The amendment to keep the Lorrin harbour library open was rejected by the council on Tuesday."),
         [(CONTRADICTION, ["approved", "rejected"])]),
    ],
)  # fmt: skip
def test_dated_reports_contradict_by_default_only_on_figures(
    texts: tuple[str, str], expected: list[tuple[str, list[str]]]
) -> None:
    a, b = article("a", texts[0], "2030-05-08"), article("b", texts[1], "2030-05-09")
    assert reported(AMENDMENT, a, b) == expected


@pytest.mark.parametrize(
    ("published", "texts", "whens", "reason"),
    [
        # the lead's weekday resolved against each publication date: one meeting
        (("2030-05-08", "2030-05-09"), (MEETING, MEETING), ["Tuesday 2030-05-07", "Tuesday 2030-05-07"],
         "Both reports describe the same moment (Tuesday 2030-05-07) and give different values."),
        # weeks apart: two meetings, each figure right for its own
        (("2030-05-08", "2030-06-19"), (MEETING, MEETING), ["Tuesday 2030-05-07", "Tuesday 2030-06-18"],
         "The reports describe different moments (Tuesday 2030-05-07, Tuesday 2030-06-18): "
         "each may be right for its time."),
        # undated: the weekdays alone
        (("", ""), (MEETING, MEETING.replace("Tuesday", "Friday")), ["Tuesday", "Friday"],
         "The reports describe different moments (Tuesday, Friday): each may be right for its time."),
    ],
)  # fmt: skip
def test_each_side_says_which_moment_it_describes_and_the_conflict_why_it_is_of_its_kind(
    published: tuple[str, str], texts: tuple[str, str], whens: list[str], reason: str
) -> None:
    a = article("a", texts[0].format("two hours"), published[0])
    b = article("b", texts[1].format("45 minutes"), published[1])
    (found,) = detect_conflicts(QUESTION, all_passages(pool(a, b)), pool(a, b))
    assert [s.when for s in found.sides] == whens
    assert found.reason == reason


def test_a_figure_dated_in_its_sentence_describes_that_year() -> None:
    a = article("a", "Lorrin is a town in Vale County. The population was 4,284 at the 2010 census.")
    b = article("b", "Lorrin is a town in Vale County. The population was 6,306 at the 2020 census.")
    (found,) = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert [s.when for s in found.sides] == ["2010", "2020"]
    assert "(2010, 2020)" in found.reason


def test_undated_restatements_say_nothing_places_them_apart() -> None:
    text = "Lorrin is a town in Vale County, Oregon. As of the last census, the population of Lorrin was {}."
    a, b = article("a", text.format("924")), article("b", text.format("1,243"))
    (found,) = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert [s.when for s in found.sides] == ["", ""]
    assert found.reason.startswith("Nothing in the reports places them at different moments")


def test_the_same_article_never_contradicts_itself() -> None:
    a = article("a", "The meeting lasted two hours on Tuesday. Others said the meeting lasted 45 minutes.")
    assert detect_conflicts(QUESTION, all_passages(pool(a)), pool(a)) == []


# Wording


def side(source: str, value: str, published: str = "") -> ConflictSide:
    return ConflictSide(source, "", published, "quote", 0, 5, value)


def test_describe_a_contradiction_with_citation_numbers() -> None:
    conflict = Conflict(
        "the length of the call", CONTRADICTION, (side("a", "30 minutes"), side("b", "about 50 minutes"))
    )
    numbers = {"a": 1, "b": 2}
    assert describe(conflict, lambda s: numbers[s.source]) == (
        "Sources differ on the length of the call: one reports 30 minutes [1], another about 50 minutes [2]."
    )


def test_describe_groups_sides_that_agree_and_quotes_yes_no_claims() -> None:
    conflict = Conflict(
        "whether the attack caused casualties",
        CONTRADICTION,
        (side("a", "no casualties"), side("b", "killed a lone man"), side("c", "no casualties")),
    )
    numbers = {"a": 1, "b": 2, "c": 3}
    assert describe(conflict, lambda s: numbers[s.source]) == (
        "Sources differ on whether the attack caused casualties: one reports “no casualties” [1] [3], "
        "another “killed a lone man” [2]."
    )


def test_describe_figures_from_different_times() -> None:
    conflict = Conflict(
        "the number of Palestinians",
        DIFFERENT_TIME,
        (side("a", "more than 24,700 Palestinians", "2024-01-19"), side("b", "at least 42,000 Palestinians")),
    )
    text = describe(conflict, lambda s: {"a": 4, "b": None}[s.source])
    assert text == (
        "Reports give different figures for the number of Palestinians, from different times or events: "
        "more than 24,700 Palestinians [4] (published 2024-01-19); at least 42,000 Palestinians."
    )


# Near-identical sentences that differ in one name, figure or date (restatements.py)

AIRLINE = (
    "{name} was an airline founded in 1979. {name} was an airline based in {city}. It flew to the Bahamas."
)


def test_a_substituted_name_is_a_contradiction_with_both_quotes() -> None:
    a = article("a", AIRLINE.format(name="Gullwing Air", city="Miami, Florida"))
    b = article("b", AIRLINE.format(name="Gullwing Air", city="Anchorage, Alaska"))
    articles = pool(a, b)
    found = detect_conflicts("Where was Gullwing Air based?", all_passages(articles), articles)
    assert_well_formed(found, articles)
    (conflict,) = found
    assert conflict.kind == CONTRADICTION
    assert [side.value for side in conflict.sides] == ["Miami, Florida", "Anchorage, Alaska"]
    assert [side.quote for side in conflict.sides] == [
        "Gullwing Air was an airline based in Miami, Florida.",
        "Gullwing Air was an airline based in Anchorage, Alaska.",
    ]
    assert conflict.topic == "the name in “airline based in …”"
    assert describe(conflict, lambda s: {"a": 1, "b": 2}[s.source]) == (
        "Sources differ on the name in “airline based in …”: one reports Miami, Florida [1], "
        "another Anchorage, Alaska [2]."
    )


@pytest.mark.parametrize(
    ("question", "reported"),
    [
        ("Where was Gullwing Air based?", True),
        ("Which city was Gullwing Air based in?", True),
        ("How many planes did Gullwing Air fly?", False),  # a name does not answer "how many"
        ("Did the Gullwing Air crash kill anyone?", False),
    ],
)
def test_a_substituted_name_answers_only_questions_that_ask_for_one(question: str, reported: bool) -> None:
    a = article("a", AIRLINE.format(name="Gullwing Air", city="Miami, Florida"))
    b = article("b", AIRLINE.format(name="Gullwing Air", city="Anchorage, Alaska"))
    assert bool(ask(question, pool(a, b))) is reported


def test_a_substituted_figure_does_not_answer_who() -> None:
    text = "Gullwing Air was an airline based in Miami. By 1990 it flew {} passengers a year to the Bahamas."
    a, b = article("a", text.format("40,000")), article("b", text.format("95,000"))
    assert ask("Who founded Gullwing Air?", pool(a, b)) == []
    (conflict,) = ask("How many passengers did Gullwing Air fly?", pool(a, b))
    assert {side.source for side in conflict.sides} == {"a", "b"}


@pytest.mark.parametrize(
    ("question", "reported"),
    [
        ("What is the genre of the film Manic?", True),
        ("Who directed Manic?", False),  # a describing word does not answer "who"
        ("When was Manic released?", False),
    ],
)
def test_a_substituted_describing_word_answers_what_questions(question: str, reported: bool) -> None:
    text = "Manic is a 2001 American {} film directed by Jordan Melamed. It was shot in Los Angeles."
    a, b = article("a", text.format("drama")), article("b", text.format("comedy"))
    found = [c for c in ask(question, pool(a, b)) if c.kind == CONTRADICTION]
    assert [[s.value for s in c.sides] for c in found] == ([["drama", "comedy"]] if reported else [])


def test_restated_sentences_of_undated_reports_about_two_namesakes_are_not_a_contradiction() -> None:
    text = "Lorrin is a town in {} County, Oregon. The population was {} at the 2010 census."
    a, b = article("a", text.format("Vale", "924")), article("b", text.format("Ashby", "1,243"))
    found = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert [c for c in found if c.kind == CONTRADICTION] == []


def test_a_restated_figure_is_reported_once() -> None:
    # "924" is both a count of people and the value two identical sentences differ in.
    text = "Lorrin is a town in Vale County, Oregon. As of the last census, the population of Lorrin was {}."
    a, b = article("a", text.format("924")), article("b", text.format("1,243"))
    found = detect_conflicts("What is the population of Lorrin?", all_passages(pool(a, b)), pool(a, b))
    assert len(found) == 1


def test_restated_reports_from_different_days_are_different_times() -> None:
    text = "The Lorrin ferry left the harbour on Tuesday. Its captain that day was {}, the company said."
    a = article("a", text.format("Mara Quist"), "2030-05-08")
    b = article("b", text.format("Omar Lind"), "2030-09-10")
    found = detect_conflicts("Who captained the Lorrin ferry?", all_passages(pool(a, b)), pool(a, b))
    assert [c.kind for c in found] == [DIFFERENT_TIME]


def test_corpus_conflicts_include_restated_values() -> None:
    a = article("a", AIRLINE.format(name="Gullwing Air", city="Miami, Florida"))
    b = article("b", AIRLINE.format(name="Gullwing Air", city="Anchorage, Alaska"))
    found = corpus_conflicts(pool(a, b))
    assert [(c.kind, [s.value for s in c.sides]) for c in found] == [
        (CONTRADICTION, ["Miami, Florida", "Anchorage, Alaska"])
    ]


def test_claims_are_compared_only_within_one_story() -> None:
    a = replace(article("a", MEETING.format("two hours")), story="story-1")
    b = replace(article("b", MEETING.format("five hours")), story="story-2")
    c = replace(article("c", MEETING.format("five hours")), story="story-1")
    apart = pool(a, b)
    assert detect_conflicts(QUESTION, all_passages(apart), apart) == []
    assert corpus_conflicts(apart) == []
    together = pool(a, b, c)
    found = detect_conflicts(QUESTION, all_passages(together), together)
    assert [sorted(s.source for s in conflict.sides) for conflict in found] == [["a", "c"]]
    assert [sorted(s.source for s in conflict.sides) for conflict in corpus_conflicts(together)] == [
        ["a", "c"]
    ]


def test_a_figure_whose_sentence_leaves_the_thing_asked_about_to_the_one_before_is_compared() -> None:
    """For "How old is the treasurer?" each report names the treasurer in one sentence and gives the
    age in the next; the claims are about what the question names through that context, as their
    relevance to the question already reads them."""
    a = article(
        "a", "The former Lorrin credit union treasurer was jailed on Tuesday. Ms Vale, 61, wept in court.",
        "2030-05-08",
    )  # fmt: skip
    b = article(
        "b", "A judge sent the former treasurer to prison on Tuesday. Dana Vale, 58, said nothing as "
        "the sentence was read out.", "2030-05-08",
    )  # fmt: skip
    assert reported("How old is the former treasurer?", a, b) == [(CONTRADICTION, ["58 years", "61 years"])]


def test_a_count_written_as_a_compound_is_about_what_it_counts() -> None:
    """ "The 840-page Norvania pact" and "the Norvania treaty runs to 1,200 pages" state one thing:
    the pages counted are what each claim is about."""
    a = article("a", "Ministers signed the Norvania treaty on Monday. The Norvania text runs to 1,200 pages.")
    b = article(
        "b", "Ministers signed the Norvania treaty on Monday. The 840-page Norvania pact takes effect soon."
    )
    found = corpus_conflicts(pool(a, b))
    assert [(c.kind, sorted(s.value for s in c.sides)) for c in found] == [
        (CONTRADICTION, ["1,200 pages", "840 pages"])
    ]


def test_two_tallies_of_one_vote_contradict() -> None:
    """ "Last night" in Thursday's paper is Wednesday, the night the other report names: one vote,
    two results."""
    a = article(
        "a", "Lorrin Borough Council approved its budget last night by seven votes to four, raising "
        "the property tax.", "2025-02-27",
    )  # fmt: skip
    b = article(
        "b", "Lorrin's budget passed on Wednesday night, with councillors voting 6-5 in favour of the "
        "property tax rise.", "2025-02-27",
    )  # fmt: skip
    assert reported("How did Lorrin's councillors vote on the budget?", a, b) == [
        (CONTRADICTION, ["6-5", "seven votes to four"])
    ]


def test_a_month_range_is_dated_by_its_end() -> None:
    """ "The July-September quarter" and "the three months to September" are one quarter: the
    range's first month does not place the figure in July."""
    a = article(
        "a", "Net profit at Lorrin Systems for the three months to September was $184 million.", "2025-10-23"
    )
    b = article(
        "b", "Net profit at Lorrin Systems rose to $148 million in the July-September quarter.", "2025-10-23"
    )
    assert reported("How much profit did Lorrin Systems make in the quarter?", a, b) == [
        (CONTRADICTION, ["$148 million", "$184 million"])
    ]


def test_two_margins_of_one_record_contradict_though_one_leaves_its_role_unclear() -> None:
    """ "Finished 17 seconds inside the record" says nothing of what the 17 seconds measure: the
    question asks for the margin, and nothing dates the reports apart."""
    a = article(
        "a", "Lorrin's Marla Quist, running the course for the first time, took 31 seconds off the "
        "record set in 2019.", "",
    )  # fmt: skip
    b = article(
        "b", "Marla Quist, making her debut on the course, finished 17 seconds inside the record.", ""
    )
    assert reported("By how much did Marla Quist beat the old record?", a, b) == [
        (CONTRADICTION, ["17 seconds", "31 seconds"])
    ]


def test_two_figures_for_the_thing_what_asks_for_contradict() -> None:
    """Wednesday's report of a strike the schools "will" close for on Thursday, and Thursday's of the
    walk-out: one offer, two figures."""
    a = article(
        "a", "Schools in Lorrin will be closed on Thursday and Friday as teachers strike, the education "
        "office said on Wednesday. The union says the district's offer of a 4.5% pay rise is not enough.",
        "2025-11-12",
    )  # fmt: skip
    b = article(
        "b", "Teachers across Lorrin walked out on Thursday. The dispute centres on a pay offer of 5.5% "
        "for this school year.", "2025-11-13",
    )  # fmt: skip
    assert reported("What pay rise has the Lorrin district offered its teachers?", a, b) == [
        (CONTRADICTION, ["4.5%", "5.5%"])
    ]


@pytest.mark.parametrize(("other", "expected"), [
    ("The wing will have 24 maternity beds.", []),
    ("The wing will have 110 beds.", [(CONTRADICTION, ["110 beds", "120 beds"])]),
])  # fmt: skip
def test_a_count_of_some_of_the_things_asked_about_is_no_other_figure_for_them(
    other: str, expected: list[tuple[str, list[str]]]
) -> None:
    """ "24 maternity beds" are some of a wing's beds: no answer to how many beds it has in all."""
    a = article("a", f"The Lorrin hospital's new wing opens in May. {other}")
    b = article("b", "The Lorrin hospital's new wing opens in May. The wing will have 120 beds.")
    assert reported("How many beds will the Lorrin hospital's new wing have?", a, b) == expected
