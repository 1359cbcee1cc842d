"""Near-identical sentences that differ in one name, number, date or describing word: what counts
as one substituted value, and what other difference means the sentences say different things."""

from __future__ import annotations

import pytest

from assistant.conflicts.restatements import Sentence, Swap, sentence, substitution, swaps
from assistant.conflicts.values import DATE, NAME, NUMBER, WORD, kind_of


def pair(a: str, b: str) -> tuple[Sentence, Sentence]:
    return sentence("a", a, 0, len(a)), sentence("b", b, 0, len(b))


def swap_of(a: str, b: str) -> Swap | None:
    return substitution(*pair(a, b))


@pytest.mark.parametrize(
    ("a", "b", "kind", "values"),
    [
        (
            "The album was produced by frontman Dan Whitford, with mixing by Dave Fridmann.",
            "The album was produced by frontman Paul McCartney, with mixing by Dave Fridmann.",
            NAME,
            ("Dan Whitford", "Paul McCartney"),
        ),
        (
            "Airways International was an airline based in Miami, Florida.",
            "Airways International was an airline based in Anchorage, Alaska.",
            NAME,
            ("Miami, Florida", "Anchorage, Alaska"),
        ),
        (
            "It was designed by William E. Parsons in the style of the time.",
            "It was designed by Frank Lloyd Wright in the style of the time.",
            NAME,
            ("William E. Parsons", "Frank Lloyd Wright"),
        ),
        (
            "Roland Almon Ritchie (June 19, 1910 – June 5, 1988) was a Canadian lawyer.",
            "Roland Almon Ritchie (January 1, 1900 – June 5, 1988) was a Canadian lawyer.",
            DATE,
            ("June 19, 1910", "January 1, 1900"),
        ),
        (
            "The population was 4,624 at the 2010 census, the county said.",
            "The population was 2,097 at the 2010 census, the county said.",
            NUMBER,
            ("4,624", "2,097"),
        ),
        (  # what a thing is: nouns and adjectives as spaCy tags them
            "Manic is a 2001 American drama film directed by Jordan Melamed.",
            "Manic is a 2001 American comedy film directed by Jordan Melamed.",
            WORD,
            ("drama", "comedy"),
        ),
        (
            "The English Patient is a novel by Michael Ondaatje, first published in 1992.",
            "The English Patient is a video game by Michael Ondaatje, first published in 1992.",
            WORD,
            ("novel", "video game"),
        ),
        (  # the object of "as" is a role said of the subject
            "He is a former footballer who played as a defender for Carlisle United.",
            "He is a former footballer who played as a forward for Carlisle United.",
            WORD,
            ("defender", "forward"),
        ),
        (  # a title run into the first sentence, and a spelling slip, change nothing
            "Saint Augustine The parish was founded in 1856, the present chuch building was completed in 1951.",
            "The parish was founded in 1900, the present church building was completed in 1951.",
            DATE,
            ("1856", "1900"),
        ),
    ],
)
def test_one_substituted_value(a: str, b: str, kind: str, values: tuple[str, str]) -> None:
    swap = swap_of(a, b)
    assert swap is not None
    assert (swap.kind, swap.a.value, swap.b.value) == (kind, *values)
    assert a[swap.a.start : swap.a.end] == values[0]
    assert b[swap.b.start : swap.b.end] == values[1]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a second difference changes the subject: the city's income against the county's
        ("The per capita income for the city was $18,308 last year.", "The per capita income for the county was $13,894 last year."),
        # the same figure written two ways
        ("As of the census the population of the town was 1,234 people.", "As of the census the population of the town was 1234 people."),
        # a changed word inside a longer name names another thing
        ("He became the first Governor-General of British India in 1833.", "He became the first Governor-General of Independent India in 1833."),
        # one version denies what the other asserts
        ("The bridge was designed by Anna Berg and built in two years.", "The bridge was not designed by Omar Lind and built in two years."),
        # an approximation is not a different figure
        ("The town had a population of about 5,000 people in the census.", "The town had a population of 4,870 people in the census."),
        # opposite words are not spelling variants
        ("Exports increased sharply in Norway during the first quarter.", "Exports decreased sharply in Sweden during the first quarter."),
        # sentences that share a few words but say different things
        ("The mayor of Lorrin opened the new harbour on Monday.", "The harbour of Lorrin was closed by storms on Friday night."),
        # another word for who speaks or what a figure is of names another participant
        ("The company said on Monday that its profits rose sharply.", "The firm said on Monday that its profits rose sharply."),
        ("The average income for the city was high that year.", "The average income for the county was high that year."),
        # rewording changes verbs without changing the fact
        ("Oxygen serves as the final electron acceptor of the chain.", "Oxygen acts as the final electron acceptor of the chain."),
        # a misspelt word is the same word
        ("The museum's new wing was built by the chuch council in 1990.", "The museum's new wing was built by the church council in 1990."),
        # a value at the start of the sentence has nothing before it to anchor it
        ("Paris hosted the summit of the trade ministers this year.", "London hosted the summit of the trade ministers this year."),
    ],
)  # fmt: skip
def test_no_substitution(a: str, b: str) -> None:
    assert swap_of(a, b) is None


def test_the_context_is_the_shared_wording_around_the_value() -> None:
    swap = swap_of(
        "The album was produced by frontman Dan Whitford, with mixing by Dave Fridmann.",
        "The album was produced by frontman Paul McCartney, with mixing by Dave Fridmann.",
    )
    assert swap is not None
    assert swap.context == "produced by frontman … , with mixing"


def sentences(source: str, text: str) -> list[Sentence]:
    from index.sentences import sentence_spans

    return [sentence(source, text, lo, hi) for lo, hi in sentence_spans(text)]


def test_articles_that_differ_in_two_values_describe_two_things() -> None:
    # Two towns of one name: the same census template with their own county and population.
    a = "Lorrin is a town in Vale County. The population was 924 at the 2010 census."
    b = "Lorrin is a town in Ashby County. The population was 1,243 at the 2010 census."
    assert swaps(sentences("a", a) + sentences("b", b)) == []


def test_a_value_repeated_in_another_sentence_is_still_one_disagreement() -> None:
    a = "The Lorrin Daily is published in Ashby, Vale County. Since 1950 it has been printed in Ashby, Vale County."
    b = "The Lorrin Daily is published in Marrow, Vale County. Since 1950 it has been printed in Marrow, Vale County."
    found = swaps(sentences("a", a) + sentences("b", b))
    assert {(s.a.value, s.b.value) for _, _, s in found} == {("Ashby", "Marrow")}
    assert len(found) == 2


def test_sentences_of_one_article_are_never_compared() -> None:
    text = "The bridge was designed by Anna Berg in 1990. The bridge was designed by Omar Lind in 1990."
    assert swaps(sentences("a", text)) == []


@pytest.mark.parametrize(
    ("sentence_text", "value", "kind"),
    [
        ("It was based in Anchorage, Alaska until 1990.", "Anchorage, Alaska", NAME),
        ("The band The Beatles played there.", "The Beatles", NAME),
        ("The population was 2,097 at the census.", "2,097", NUMBER),
        ("He was born on January 1, 1900 in Ohio.", "January 1, 1900", DATE),
        ("The town had about 5,000 people.", "about 5,000", ""),
        ("The town had five thousand people.", "five thousand", ""),
        ("The income for the county was high.", "county", ""),  # what the figure is of
        ("Manic is an American drama film.", "drama", WORD),
        ("The company said profits rose.", "company", ""),  # the subject
        ("Oxygen serves as the acceptor.", "serves", ""),  # a verb
        ("He governed British India for years.", "British", ""),  # part of a longer name
        ("Paris hosted the summit.", "Paris", ""),  # nothing before the first word
    ],
)
def test_what_a_changed_stretch_holds(sentence_text: str, value: str, kind: str) -> None:
    s = sentence("a", sentence_text, 0, len(sentence_text))
    start = sentence_text.index(value)
    i1 = next(i for i, w in enumerate(s.tokens) if w.start == start)
    i2 = next(i for i, w in enumerate(s.tokens) if w.end == start + len(value)) + 1
    assert kind_of(sentence_text, s.tokens, i1, i2) == kind
