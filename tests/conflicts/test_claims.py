"""Normalising the claims of a sentence: amounts, approximations, dates, weekdays, negation, opposites."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from assistant.conflicts.alignment import comparable
from assistant.conflicts.claims import Claim, claims_in
from assistant.conflicts.focus import focus
from assistant.text.dates import DIFFERENT, SAME, UNKNOWN, EventTime, dates_in, event_time, relation
from assistant.text.quantities import Quantity, quantities_in


def only(text: str) -> Quantity:
    found = list(quantities_in(text))
    assert len(found) == 1, found
    return found[0]


def claims(sentence: str, kind: str = "") -> list[Claim]:
    return [c for c in claims_in(sentence, 0, len(sentence)) if not kind or c.kind == kind]


@pytest.mark.parametrize(
    ("text", "dimension", "minutes", "label"),
    [
        ("The 30-minute call was billed as direct", "duration", 30, "30 minutes"),
        ("it ended after about 50 minutes", "duration", 50, "about 50 minutes"),
        ("they spoke for half an hour", "duration", 30, "30 minutes"),
        ("an hour-long call", "duration", 60, "1 hour"),
        ("talks lasted two hours", "duration", 120, "two hours"),
        ("the first call in nearly a month", "duration", 43830, "nearly 1 month"),
        ("a five-year-old boy", "age", 5 * 525960, "five years"),
        ("the 24-year-old's victory", "age", 24 * 525960, "24 years"),
        ("went on stage 45 minutes late", "duration", 45, "45 minutes"),
        ("Desmond Arkwright-Boyle, 61, pleaded guilty", "age", 61 * 525960, "61 years"),
        ("jailed for four years and four months", "duration", 52 * 43830, "four years and four months"),
        ("after 2 hours, 30 minutes of talks", "duration", 150, "2 hours and 30 minutes"),
        ("a year and a half later", "duration", 18 * 43830, "18 months"),
        ("an hour and a half", "duration", 90, "90 minutes"),
        ("three and a half hours later", "duration", 210, "210 minutes"),
        ("won in a course record of 2:08:45.", "duration", 128.75, "2:08:45"),
    ],
)
def test_durations_are_read_in_minutes(text: str, dimension: str, minutes: float, label: str) -> None:
    q = only(text)
    assert (q.dimension, q.unit, q.value, q.label) == (dimension, "min", minutes, label)


@pytest.mark.parametrize(
    "text",
    [
        "Brazil, 12, Argentina, 10, and Chile, 3",  # a list, not ages
        "On June 5, 12 people died",
        "In 2020, 45 of them",
    ],
)
def test_a_figure_between_commas_is_an_age_only_after_a_name_in_running_text(text: str) -> None:
    assert [q.dimension for q in quantities_in(text) if q.label.startswith(("12", "45"))] != ["age"]


@pytest.mark.parametrize(
    ("text", "code", "value"),
    [
        ("$12 million", "USD", 12e6),
        ("about $12 million", "USD", 12e6),
        ("12m dollars", "USD", 12e6),
        ("1.5bn euros", "EUR", 1.5e9),
        ("a £300 fine", "GBP", 300),
        ("The $20,000 building", "USD", 20000),
    ],
)
def test_money_keeps_its_currency(text: str, code: str, value: float) -> None:
    q = only(text)
    assert (q.dimension, q.unit, q.value) == ("money", code, value)


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("will cost twenty-five thousand dollars", 25000, "twenty-five thousand dollars"),
        ("paid out half a million dollars", 500_000, "half a million dollars"),
        ("paid out 25,000 dollars", 25000, "$25,000"),
    ],
)
def test_a_sum_in_words_is_labelled_in_words(text: str, value: float, label: str) -> None:
    q = only(text)
    assert (q.dimension, q.value, q.label) == ("money", value, label)


@pytest.mark.parametrize(
    ("text", "label"),
    [("half a dozen people", "half a dozen people"), ("a half-dozen people", "half-dozen people")],
)
def test_half_a_dozen_is_labelled_as_written(text: str, label: str) -> None:
    assert only(text).label == label


def test_a_year_in_words_counts_nothing() -> None:
    assert [
        q for q in quantities_in("The bridge opened in nineteen eighty-four.") if q.dimension == "count"
    ] == []


@pytest.mark.parametrize(
    ("text", "code", "per_year", "label"),
    [
        ("will save $1.8 million a year", "USD/year", 1.8e6, "$1.8 million a year"),
        ("will save $1.8 million over two years", "USD/year", 0.9e6, "$1.8 million over two years"),
        ("paid £300 per month in rent", "GBP/year", 3600, "£300 per month"),
        ("earned $2 million annually", "USD/year", 2e6, "$2 million annually"),
        (
            "spent $12 million over the next three years",
            "USD/year",
            4e6,
            "$12 million over the next three years",
        ),
        ("It cost $5 million a year ago", "USD", 5e6, "$5 million"),  # a time, not a rate
    ],
)
def test_a_sum_for_a_period_is_a_yearly_rate(text: str, code: str, per_year: float, label: str) -> None:
    money = [q for q in quantities_in(text) if q.dimension == "money"]
    assert [(q.unit, q.value, q.label) for q in money] == [(code, per_year, label)]


def test_a_yearly_saving_disagrees_with_the_same_sum_over_two_years() -> None:
    (a,) = claims("Closing the schools will save $1.8 million a year.", "quantity")
    (b,) = claims("Closing the schools will save $1.8 million over two years.", "quantity")
    assert a.attribute == b.attribute == "money:USD/year"
    assert a.disagrees(b)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("nearly 200 missiles", "missile", 200),
        ("at least 42,000 Palestinians", "palestinian", 42000),
        ("More than 24,700 Palestinians have been killed", "palestinian", 24700),
        ("there were 3,559 people", "people", 3559),
        ("a population of about 50,000, the fifth largest", "people", 50000),
        ("twenty-five people", "people", 25),
        ("a wing with a hundred and twenty beds", "bed", 120),  # spelled in several words
        ("two thousand nine hundred and forty teachers on the first morning", "teacher", 2940),
        ("forty two people", "people", 42),
        ("two hundred people", "people", 200),
        ("a dozen eggs", "egg", 12),
        ("two dozen eggs", "egg", 24),
        ("half a dozen people", "people", 6),
        ("pulled a half-dozen people from the rubble", "people", 6),
        ("a half dozen officers were hurt", "officer", 6),
        ("several dozen homes", "home", (36 + 108) / 2),
        ("killing dozens of people", "people", (24 + 99) / 2),
        ("several hundred teachers gathered", "teacher", (300 + 900) / 2),  # scaled by its scale word
        ("a few thousand people", "people", (2000 + 5000) / 2),
        ("hundreds of thousands of people", "people", (200_000 + 999_000) / 2),
        ("about 1,100 members' accounts were affected", "account", 1100),
        ("the 40 players’ contracts", "contract", 40),
        ("searching for three masked people", "people", 3),
        ("two hooded men", "men", 2),
        ("the 840-page agreement", "page", 840),
        ("a 1,200-word letter to the court", "word", 1200),
    ],
)
def test_counts_know_what_they_count(text: str, unit: str, value: float) -> None:
    q = only(text)
    assert (q.dimension, q.unit, q.value) == ("count", unit, value)


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        # a figure followed by no plural counts the noun the sentence's last count named
        ("They recovered the remains of 24 people, with 121 still missing.", [("24 people", "people"), ("121 people", "people")]),
        ("Five people were hurt, two seriously.", [("Five people", "people"), ("two people", "people")]),
        ("Of the 30 people arrested, 12 remain in custody.", [("30 people", "people"), ("12 people", "people")]),
        # a noun that is no plural is still the figure's own ("crew", "support staff")
        ("Flight AV412, carrying 184 passengers and six crew, left at 9 a.m.", [("184 passengers", "passenger"), ("six crew", "crew")]),
        ("The schools employ 41 teachers and 23 support staff.", [("41 teachers", "teacher"), ("23 support", "support")]),
        # not across a sentence end, not for one thing, not after a count of one thing
        ("They recovered 24 people. 121 remain in hospital.", [("24 people", "people"), ("121 remain", "remain")]),
        ("Crews saved 14 boats and one dinghy.", [("14 boats", "boat"), ("one dinghy", "dinghy")]),
        ("One person died and 10 injured were treated.", [("One person", "person"), ("10 injured", "injured")]),
    ],
)  # fmt: skip
def test_a_figure_without_its_noun_counts_the_noun_named_before_it(
    text: str, counted: list[tuple[str, str]]
) -> None:
    assert [(q.label, q.unit) for q in quantities_in(text)] == counted


def test_which_day_is_not_answered_by_a_time_of_day_nor_what_time_by_a_day() -> None:
    (clock,) = claims("The count began at 10:30 p.m., the returning officer said.", "date")
    (day,) = claims("Greyhaven voted on Thursday, the returning officer said.", "date")
    assert focus("On which day did Greyhaven vote?").admits(day)
    assert not focus("On which day did Greyhaven vote?").admits(clock)
    assert focus("What time did the count begin?").admits(clock)
    assert not focus("What time did the count begin?").admits(day)
    assert focus("When did the count begin?").admits(clock) and focus("When did Greyhaven vote?").admits(day)


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("space for 24 maternity beds", "a wing with 120 beds", True),
        ("eight operating theatres", "six operating theatres", False),
        ("two hooded men", "three men", True),
        ("120 beds", "a hundred and twenty beds", False),
    ],
)
def test_counts_of_one_noun_qualified_differently_count_apart(a: str, b: str, apart: bool) -> None:
    assert only(a).counts_apart(only(b)) is apart
    assert only(b).counts_apart(only(a)) is apart


@pytest.mark.parametrize(
    "text",
    [
        "born in 1905 in Alexandria",
        "on Oct. 1 and Dec. 23",
        "a 3-1 win for the F-16 squadron",
        "in the 1970s",
        "at 10:30 on the 2nd",
        "UN resolution 44/25",
        "The population density was 479.7 people per square mile",
        "The population was 4,284 as of the 2010 census",  # the census year is no count
        "It will enter into force on 1 January 2026",
        "a one-man show",
    ],
)
def test_years_dates_scores_and_rates_are_not_counts(text: str) -> None:
    assert [q.dimension for q in quantities_in(text) if q.dimension == "count" and q.unit != "people"] == []
    assert all(q.value != 2010 for q in quantities_in(text))


@pytest.mark.parametrize(("text", "percent"), [("5%", 5), ("5 per cent rise", 5), ("12.5 percent", 12.5)])
def test_percentages(text: str, percent: float) -> None:
    q = only(text)
    assert (q.dimension, q.value) == ("percent", percent)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("about 50 minutes", "48 minutes", True),  # "about" widens by 10%
        ("about 50 minutes", "30 minutes", False),
        ("30 minutes", "half an hour", True),
        ("an hour", "60 minutes", True),
        ("about $12 million", "$12 million", True),
        ("$12 million", "12m dollars", True),
        ("$12 million", "$19 million", False),
        ("nearly 200 missiles", "180 missiles", True),  # "nearly" reaches down by 15%
        ("nearly 200 missiles", "150 missiles", False),
        ("nearly 200 missiles", "210 missiles", False),  # "nearly" never exceeds the figure
        ("at least 42,000 people", "45,000 people", True),
        ("at least 42,000 people", "more than 24,700 people", False),  # an estimate, not just a floor
        ("at least one line", "three lines", True),  # with small numbers a bound is a bound
        ("50 minutes", "48 minutes", True),  # a round figure is read with its rounding
        ("3,559 people", "3,561 people", False),  # a precise figure is not
        ("between 30 and 40 minutes", "35 minutes", True),
        ("dozens of people", "40 people", True),
        ("four years and four months", "52 months", True),  # one length of time, written in parts
        ("four years and four months", "four months", False),
        ("2:08:31", "2:08:45", False),  # a race time is read to the second
        ("about 2:08:31", "2:08:45", True),
        ("1.5 million women", "1.6 million women", False),  # roundings that only touch
        ("$3.5 billion", "$3.6 billion", False),
        ("2:08:31", "about 2:08:31", True),  # a point inside a range
        ("2:08:31", "2:08:31", True),
        ("a hundred and twenty beds", "120 beds", True),
        ("several hundred teachers", "400 teachers", True),
        ("several hundred teachers", "4 teachers", False),
        ("tens of thousands of people", "45,000 people", True),
        ("one hundred fifty million dollars", "$150 million", True),
        ("two thousand nine hundred and forty teachers", "40 teachers", False),
    ],
)
def test_approximations_decide_agreement(a: str, b: str, agree: bool) -> None:
    assert only(a).agrees(only(b)) is agree
    assert only(b).agrees(only(a)) is agree


@pytest.mark.parametrize(
    "text",
    [
        "between 30 minutes and two hours",  # a range, not one length: the larger unit comes second
        "the 30-minute call and 10 minutes later",  # a compound ("30-minute call") stands alone
        "five days and at least three hours",  # a qualified part is its own amount
        "four years, and the four months since",
    ],
)
def test_separate_lengths_of_time_stay_apart(text: str) -> None:
    assert len(list(quantities_in(text))) == 2


@pytest.mark.parametrize(
    "text",
    ["gates opened at 6:30 p.m.", "a 5-0 win", "F-16 jets", "the 2-1 vote", "at about 4 p.m.", "by 9am"],
)
def test_clock_times_and_scores_are_not_amounts(text: str) -> None:
    assert list(quantities_in(text)) == []


def test_lower_bounds_of_small_numbers_are_open() -> None:
    assert only("at least one line").high == math.inf


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("The 30-minute call was billed as a direct dialogue.", "length"),
        ("The call ended after about 50 minutes, officials said.", "length"),
        ("Biden and Netanyahu spoke for about 40 minutes.", "length"),
        ("This call marked the first between the two in nearly two months.", "gap"),
        ("They spoke for the first time in nearly a month on Friday.", "gap"),
        ("The call took place one day after the disclosures.", "offset"),
        ("In the first two months of the war, they talked every other day.", "period"),
        ("Survivors were trapped for 31 hours before rescuers reached them.", "length"),
        ("Rescuers arrived 31 hours before the deadline.", "offset"),
    ],
)
def test_duration_roles_tell_a_length_from_a_gap(sentence: str, role: str) -> None:
    (claim,) = claims(sentence, "quantity")
    assert claim.attribute == f"duration:{role}"


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("on Oct. 1", (0, 10, 1, "")),
        ("born July 15, 1905", (1905, 7, 15, "")),
        ("on 20 November 1989", (1989, 11, 20, "")),
        ("since August", (0, 8, 0, "")),
        ("Wednesday, 10/09/2024", (0, 0, 0, "wednesday")),
        ("built in 1902, it", (1902, 0, 0, "")),
    ],
)
def test_dates_are_read_field_by_field(text: str, fields: tuple[int, int, int, str]) -> None:
    first = next(iter(dates_in(text)))
    assert (first.year, first.month, first.day, first.weekday) == fields


def test_dates_disagree_only_on_fields_both_state() -> None:
    (monday,), (tuesday,) = dates_in("on Monday"), dates_in("on Tuesday")
    (year,), (full,) = dates_in("in 1905"), dates_in("on July 15, 1905")
    assert monday.disagrees(tuesday)
    assert not year.disagrees(full)
    (other,) = dates_in("on July 16, 1905")
    assert full.disagrees(other)


@pytest.mark.parametrize(
    ("sentence", "event", "value"),
    [
        ("The parish was founded in 1856, the diocese later.", "date:founded", "1856"),
        ("Bryan was born in Alexandria, Louisiana on February 8, 1900.", "date:born", "1900-02-08"),
        (
            "A fire broke out aboard the ferry in the port on Monday, officials said.",
            "date:started",
            "Monday",
        ),
        # no listed event verb: the verb the date attaches to in the sentence's parse
        ("Marla Quist has led the Lorrin council since 2002.", "date:lead", "2002"),
        ("The ferry sailed on Monday, its owners said.", "date:sail", "Monday"),
    ],
)
def test_dates_are_tied_to_their_event_verb(sentence: str, event: str, value: str) -> None:
    (claim,) = claims(sentence, "date")
    assert (claim.attribute, claim.value) == (event, value)


def test_a_weekday_rule_is_not_a_date() -> None:
    found = claims("Elections are held on the first Tuesday after the first Monday in November.", "date")
    assert [c.value for c in found] == ["November"]


@pytest.mark.parametrize(
    ("sentence", "state"),
    [
        ("Although the Iranian strike caused no casualties, it raised fears.", "no:either"),
        ("No one was injured in the fire, the harbour master said.", "no:injury"),
        ("The attack did not kill anyone, officials said.", "no:death"),
        ("The onslaught, which killed a lone Palestinian man, was dismissed as a failure.", "yes:death"),
        ("Four crew members were injured when fire swept through the engine room.", "yes:injury"),
    ],
)
def test_polarity_of_casualty_claims(sentence: str, state: str) -> None:
    (claim,) = claims(sentence, "polarity")
    assert claim.state == state


@pytest.mark.parametrize(
    "sentence",
    [
        "Biden urged Israel to minimize civilian casualties in Lebanon.",
        "Netanyahu said he was going to kill every last member of the group.",
        "Officials fear the strike could kill thousands.",
    ],
)
def test_hypothetical_or_hedged_harm_is_no_claim(sentence: str) -> None:
    assert claims(sentence, "polarity") == []


def test_no_casualties_contradicts_a_killing_but_no_deaths_does_not_deny_injuries() -> None:
    (none,) = claims("The strike caused no casualties.", "polarity")
    (killed,) = claims("The strike killed a lone man.", "polarity")
    (no_deaths,) = claims("The blast caused no deaths.", "polarity")
    (injured,) = claims("Four people were injured.", "polarity")
    assert none.disagrees(killed) and killed.disagrees(none)
    assert not no_deaths.disagrees(injured)
    assert not killed.disagrees(killed)


@pytest.mark.parametrize(
    ("a", "b", "opposed"),
    [
        ("The Israelis postponed the visit.", "The visit was cancelled without explanation.", True),
        ("The council approved the budget.", "The council rejected the budget.", True),
        ("The airport reopened on Monday.", "The airport was closed on Monday.", True),
        ("The match was called off.", "The match was postponed.", True),
        ("The visit was not cancelled.", "The visit was postponed.", None),  # negated: no claim
        ("Rovers won the final.", "Ashby lost the final.", False),  # different holders agree
        ("Prices rose sharply.", "Prices fell sharply.", True),
    ],
)
def test_opposing_terms(a: str, b: str, opposed: bool | None) -> None:
    first, second = claims(a, "stance"), claims(b, "stance")
    if opposed is None:
        assert first == []
        return
    (x,), (y,) = first, second
    assert x.disagrees(y) is opposed


def test_claim_offsets_point_into_the_text() -> None:
    text = "Intro sentence here. The 30-minute call was billed as direct."
    start = text.index("The")
    (claim,) = [c for c in claims_in(text, start, len(text)) if c.kind == "quantity"]
    assert text[claim.start : claim.end] == "30-minute"


@pytest.mark.parametrize(
    ("question", "family"),
    [
        ("How long did the Biden-Netanyahu phone call last?", "duration"),
        ("How many missiles did Iran fire at Israel on October 1?", "count"),
        ("What is the population of Broken Bow?", "count"),
        ("How much did the repairs cost?", "money"),
        ("How much money did the fair bring into the town?", "money"),
        ("How much extra time does the detour add?", ""),
        ("How old is the former treasurer?", "duration"),
        ("How late did the band go on stage?", "duration"),
        ("How high did the river rise at the bridge?", "length"),
        ("What percentage of voters turned out?", "percent"),
        ("When was the Cathedral of Saint Augustine established?", "date"),
        ("On what day did the fire break out?", "date"),
        ("What time did the ferry hit the rocks?", "date"),
        ("Since what year has she led the party?", "date"),
        ("By how much did he win the stage?", "margin"),
        ("How did the board vote on closing the schools?", "tally"),
        ("How split were the councillors over the plan?", "tally"),
        ("What was the final score?", "tally"),
        ("Did Iran's October 1 missile attack on Israel kill anyone?", "harm"),
        ("Who else took part in the call besides Biden and Netanyahu?", ""),
    ],
)
def test_questions_say_what_kind_of_claim_answers_them(question: str, family: str) -> None:
    assert focus(question).family == family


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("How many missiles did Iran fire?", "missil"),
        ("How many of the fish did they bring back?", "fish"),
        ("How many operating theatres will the new wing have?", "theatr"),  # the noun, not its modifier
        ("How many executive actions on guns is the president taking?", "action"),
    ],
)
def test_how_many_reads_the_counted_noun(question: str, unit: str) -> None:
    assert focus(question).unit == unit


def test_a_wh_question_without_a_type_is_answered_only_by_polarity_or_opposites() -> None:
    wanted = focus("Who else took part in the call?")
    (length,) = claims("The 30-minute call was billed as direct.", "quantity")
    (stance,) = claims("The visit was cancelled.", "stance")
    assert not wanted.admits(length)
    assert wanted.admits(stance)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (EventTime(day=dt.date(2024, 10, 9)), EventTime(day=dt.date(2024, 10, 10)), SAME),
        (EventTime(day=dt.date(2024, 1, 19)), EventTime(day=dt.date(2024, 10, 9)), DIFFERENT),
        (EventTime(weekday="friday"), EventTime(weekday="wednesday"), DIFFERENT),
        (EventTime(weekday="wednesday"), EventTime(day=dt.date(2024, 10, 9)), SAME),  # a Wednesday
        (EventTime(), EventTime(weekday="friday"), UNKNOWN),
    ],
)
def test_publication_dates_and_lead_weekdays_place_reports_in_time(
    a: EventTime, b: EventTime, expected: str
) -> None:
    assert relation(a, b) == expected


def test_the_lead_weekday_resolves_against_the_publication_date() -> None:
    text = "A fire broke out on the ferry on Monday. Nobody knows why."
    assert event_time(text, "2031-03-04").day == dt.date(2031, 3, 3)
    assert event_time(text).weekday == "monday"


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who directed the film?", "name"),
        ("To whom was the prize given?", "name"),
        ("Where was the airline based?", "place"),
        ("What is the population of Lorrin?", ""),
        ("When was the bridge built?", ""),
    ],
)
def test_questions_say_whether_they_ask_for_a_name_or_a_place(question: str, asks: str) -> None:
    assert focus(question).asks == asks


def restated(kind: str, context: str, subject: str = "") -> Claim:
    """A value by which two near-identical sentences differ (see restatements.py)."""
    return Claim("restated", f"restated:{kind}:{context}", "v", 0, 1, frozenset(subject.split()), state="v")


@pytest.mark.parametrize(
    ("question", "claim", "admitted"),
    [
        ("Who produced the album?", restated("name", "produced by … , with"), True),
        ("Who produced the album?", restated("number", "comments • …"), False),
        ("Where was the airline based?", restated("name", "airline based in …"), True),
        ("Where was the airline based?", restated("name", "the official … page"), False),
        ("What sport is Lee associated with?", restated("number", "scored … points"), True),
        ("When was the parish founded?", restated("date", "founded in … , the"), True),
        ("When was the parish founded?", restated("name", "founded by … in"), False),
        ("What is the population of Lorrin?", restated("number", "the population was … at", "popul"), True),
        ("What is the population of Lorrin?", restated("number", "there were … people", "peopl"), True),
        ("What is the population of Lorrin?", restated("number", "there were … housing units", "hous unit"), False),
        ("What is the population of Lorrin?", restated("name", "a town in … county", "popul"), False),
        ("Was anyone killed in the fire?", restated("number", "killed … people", "kill peopl"), False),
    ],
)  # fmt: skip
def test_a_restated_value_answers_only_a_question_asking_for_its_kind(
    question: str, claim: Claim, admitted: bool
) -> None:
    assert focus(question).admits(claim) is admitted


def test_how_old_is_answered_by_an_age_not_by_a_length_of_time() -> None:
    wanted = focus("How old is the former treasurer?")
    (age,) = claims("The 58-year-old former treasurer was sent to prison.", "quantity")
    (length,) = claims("The former treasurer's trial lasted three weeks.", "quantity")
    assert wanted.admits(age)
    assert not wanted.admits(length)


def test_a_compound_count_keeps_the_noun_it_measures() -> None:
    q = only("The discovery is described in a 14-page paper.")
    assert (q.unit, q.noun, q.label) == ("page", "paper", "14 pages")


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("Any further action would require at least two weeks' notice to the district.", "notice"),
        ("Staff were given three days’ leave after the fire.", "leave"),
        ("The strike lasted three days. 'It was hard', she said.", ""),  # a quote opens after the stop
    ],
)
def test_a_duration_that_owns_a_noun_measures_it(text: str, noun: str) -> None:
    assert only(text).noun == noun


def test_a_length_of_notice_is_not_compared_with_the_length_of_a_strike() -> None:
    (notice,) = claims("Any further action would require at least two weeks' notice.", "quantity")
    (strike,) = claims("Teachers will stage a 48-hour strike over pay.", "quantity")
    assert (notice.attribute, strike.attribute) == ("duration:length", "duration:length")
    assert not comparable(notice, strike)


def test_how_long_is_answered_by_a_count_measuring_the_thing_it_names() -> None:
    wanted = focus("How long is the paper that describes the new fish?")
    (pages,) = claims("It is described in a 14-page paper.", "quantity")
    (members,) = claims("It was written by a 12-member team.", "quantity")
    (plain,) = claims("The paper runs to 22 pages.", "quantity")
    assert wanted.admits(pages)
    assert not wanted.admits(members)
    assert not wanted.admits(plain)  # no noun says what the pages are of


def test_by_how_much_is_answered_by_an_amount_of_any_unit() -> None:
    wanted = focus("By how much did Quiroga win the stage?")
    (seconds,) = claims("Quiroga crossed the line 21 seconds ahead of Bernhardt.", "quantity")
    (votes,) = claims("She won by 412 votes.", "quantity")
    (gap,) = claims("It was his first win in nearly two years.", "quantity")
    assert wanted.admits(seconds) and wanted.admits(votes)
    assert not wanted.admits(gap)


def test_a_duration_of_unclear_role_is_read_as_the_length_the_question_asks_for() -> None:
    (unclear,) = claims("She finished 17 seconds inside the previous record.", "quantity")
    (offset,) = claims("The record was set six years ago.", "quantity")
    assert unclear.attribute == "duration:"
    for question in ("By how much did she beat the record?", "How long did the call last?"):
        assert focus(question).as_asked(unclear).attribute == "duration:length"
    assert focus("How old is she?").as_asked(unclear) == unclear
    assert focus("By how much did she beat the record?").as_asked(offset) == offset


def test_a_yes_no_question_is_answered_by_polarity_or_opposites_not_by_figures() -> None:
    wanted = focus("Did the credit union's members lose their savings?")
    (words,) = claims("In a 1,200-word letter, he apologised to the credit union's members.", "quantity")
    (stance,) = claims("The bail-out was cancelled.", "stance")
    assert not wanted.admits(words)
    assert wanted.admits(stance)


def test_times_of_day_are_claims_that_disagree_beyond_their_hedges() -> None:
    (a,) = claims("The ferry struck the rocks at 6:40 a.m. in darkness.", "date")
    (b,) = claims("Radar showed it hit the rocks at about 7:15 a.m.", "date")
    (c,) = claims("It ran aground at around 6:45 a.m.", "date")
    assert a.attribute == b.attribute == "date:time"
    assert a.disagrees(b)
    assert not a.disagrees(c)
    assert focus("What time did the ferry hit the rocks?").admits(a)


def test_a_dateline_time_is_no_claim() -> None:
    assert claims("10 October 2025 | 7:30 PM | The Skerrin Islander", "date") == []


@pytest.mark.parametrize(
    ("sentence", "result"),
    [
        ("The school board voted 5-2 on Tuesday to close two schools.", "5-2"),
        ("The council approved its budget by seven votes to four.", "7-4"),
        ("Rovers won 3–1 at home.", "3-1"),
        ("Councillors voted 4-7 against the plan.", "7-4"),
    ],
)
def test_a_tally_is_the_result_of_a_vote_or_a_match(sentence: str, result: str) -> None:
    (claim,) = claims(sentence, "tally")
    assert (claim.attribute, claim.state) == ("tally", result)


@pytest.mark.parametrize(
    "sentence",
    [
        "Reyne won 18,402 votes to 17,990 for the sitting mayor.",  # two counts, not a tally
        "Voters waited 30-40 minutes to cast a vote.",  # a range
        "The council voted on its 2025-26 budget.",  # a year span
        "The F-16 squadron won praise.",
        "Fares rose 3-4% after the vote.",
        "The museum holds paintings 1-20 of the series.",  # no contest
    ],
)
def test_ranges_counts_and_labels_are_no_tally(sentence: str) -> None:
    assert claims(sentence, "tally") == []


def test_tallies_disagree_unless_they_are_one_result() -> None:
    (a,) = claims("The board voted 5-2 to close the schools.", "tally")
    (b,) = claims("The board voted 4-3 to close the schools.", "tally")
    (c,) = claims("The closures were approved by five votes to two.", "tally")
    assert a.disagrees(b)
    assert not a.disagrees(c)
    wanted = focus("How did the board vote on the closures?")
    assert wanted.admits(a)
    assert not focus("How many schools will close?").admits(a)


def test_last_night_and_yesterday_are_read_against_the_publication_date() -> None:
    thursday = "2025-02-27"
    assert event_time("The council approved its budget last night.", thursday).day == dt.date(2025, 2, 26)
    assert event_time("The mayor said yesterday that she would stand.", thursday).day == dt.date(2025, 2, 26)
    assert event_time("The bridge reopens today.", thursday).day == dt.date(2025, 2, 27)
    wednesday_night = event_time("The budget passed on Wednesday night.", thursday)
    assert relation(event_time("The budget passed last night.", thursday), wednesday_night) == SAME
    assert event_time("The budget passed last night.").day is None  # no publication date, no day


def test_a_lead_day_the_report_looks_ahead_to_does_not_date_its_news() -> None:
    wednesday = "2025-11-12"
    lead = (
        "Schools in Lorrin will be closed or partly closed on Thursday and Friday as teachers strike, "
        "the education office said on Wednesday."
    )
    assert event_time(lead, wednesday).day == dt.date(2025, 11, 12)
    assert event_time("Teachers walked out on Thursday.", "2025-11-13").day == dt.date(2025, 11, 13)


def test_what_asks_for_the_noun_it_determines_and_a_figure_said_of_it_answers() -> None:
    wanted = focus("What pay rise has the Lorrin district offered its teachers?")
    assert wanted.noun == {"pay", "rise"} and not wanted.family
    (offer,) = claims("The district's offer of a 4.5% pay rise does not go far enough.", "quantity")
    (turnout,) = claims("Turnout at the union ballot was 62%.", "quantity")
    assert wanted.admits(offer)
    assert not wanted.admits(turnout)
    assert not focus("What did the district offer?").noun
