"""Answer assembly: citation numbering, markers, conflict sentences, abstaining."""

from dataclasses import replace

import pytest

from assistant.answer import Conflict, ConflictSide, Passage
from assistant.compose import (
    NO_ANSWER,
    WORDS_ONLY,
    CitationBook,
    abstain,
    compose,
    conflict_sentence,
    with_marker,
)
from assistant.extractive import MIN_COVERAGE, MIN_MEANING, Selection, Sentence
from index.article import Chunk


def _chunk(article: str, text: str, outlet: str = "", start: int = 0) -> Chunk:
    return Chunk(article, 0, start, start + len(text), text, outlet=outlet)


@pytest.mark.parametrize(
    ("text", "numbers", "expected"),
    [
        ("The call lasted 30 minutes.", [1], "The call lasted 30 minutes [1]."),
        ("He said “yes.”", [2, 3], "He said “yes.” [2][3]"),
        ("No stop", [1, 1], "No stop [1]"),
        ("Wait...", [4], "Wait... [4]"),
    ],
)
def test_with_marker(text: str, numbers: list[int], expected: str) -> None:
    assert with_marker(text, numbers) == expected


def test_citation_book_reuses_numbers_for_the_same_span() -> None:
    book = CitationBook()
    chunk = _chunk("a.txt", "One. Two.")
    assert book.cite(chunk, 0, 4, "One.") == 1
    assert book.cite(chunk, 5, 9, "Two.") == 2
    assert book.cite(chunk, 0, 4, "One.") == 1
    assert [c.id for c in book.citations] == [1, 2]


def _side(source: str, value: str, outlet: str = "", published: str = "") -> ConflictSide:
    return ConflictSide(source, outlet, published, f"It took {value}.", 0, 9, value)


def test_conflict_sentence_states_both_sides_without_picking_one() -> None:
    conflict = Conflict(
        "the length of the call", "contradiction", (_side("a", "30 min", "Axios"), _side("b", "50 min"))
    )
    text = conflict_sentence(conflict, [1, 2])
    assert text.startswith("Sources differ on the length of the call:")
    assert "Axios reports “30 min” [1]" in text
    assert "another reports “50 min” [2]" in text


def test_different_time_is_not_called_a_disagreement() -> None:
    conflict = Conflict("the death toll", "different-time", (_side("a", "24,700"), _side("b", "42,000")))
    text = conflict_sentence(conflict, [1, 2])
    assert "Sources differ" not in text
    assert "different times" in text or "times or events" in text


def test_figures_from_different_times_say_which_moment_each_describes() -> None:
    sides = (
        replace(_side("a", "24,700", "Axios", "2024-01-19"), when="January 2024"),
        replace(_side("b", "42,000", "", "2024-10-09"), when="Wednesday 2024-10-09"),
    )
    text = conflict_sentence(Conflict("the death toll", "different-time", sides), [1, 2])
    assert "Axios (for January 2024) reports “24,700” [1]" in text
    assert "another (for Wednesday 2024-10-09) reports “42,000” [2]" in text
    # a contradiction is one moment: its sides keep their publication dates
    text = conflict_sentence(Conflict("the death toll", "contradiction", sides), [1, 2])
    assert "Axios (published 2024-01-19)" in text and " (for " not in text


def test_compose_cites_every_sentence_and_attributes_outlets() -> None:
    p1 = Passage(1, _chunk("a.txt", "The call lasted 30 minutes.", "Axios"))
    p2 = Passage(2, _chunk("b.txt", "Harris joined the call."))
    sentences = (
        (Sentence(p1, 0, 27, p1.chunk.text, 1.0, 1.0),),
        (Sentence(p2, 0, 23, p2.chunk.text, 0.9, 0.9),),
    )
    answer = compose("How long?", Selection(sentences, 1.0), [], [p1, p2])
    assert answer.answer == "Axios reports: The call lasted 30 minutes [1]. Harris joined the call [2]."
    assert [(c.id, c.source, c.quote) for c in answer.citations] == [
        (1, "a.txt", "The call lasted 30 minutes."),
        (2, "b.txt", "Harris joined the call."),
    ]
    assert not answer.abstained


def test_compose_abstains_when_nothing_answers() -> None:
    p1 = Passage(1, _chunk("a.txt", "Unrelated text."))
    answer = compose("What about Ukraine?", Selection((), 0.0), [], [p1])
    assert answer.abstained
    assert answer.answer == NO_ANSWER
    assert answer.citations == ()
    assert [r.source for r in answer.related] == ["a.txt"]


def test_abstain_keeps_the_note() -> None:
    assert abstain("q", [], note="why").notes == ("why",)


def test_reference_marks_of_the_article_do_not_read_as_citations() -> None:
    text = "The dam is 120 metres high.[12][ 3 ] It opened in 1961 [citation needed]."
    p1 = Passage(1, _chunk("a.txt", text))
    sentences = ((Sentence(p1, 0, len(text), text, 1.0, 1.0),),)
    answer = compose("How high is the dam?", Selection(sentences, 1.0), [], [p1])
    assert answer.answer == "The dam is 120 metres high. It opened in 1961 [1]."
    assert answer.citations[0].quote == text  # the quote stays verbatim


def test_a_generated_sentence_is_quoted_with_all_its_evidence_from_one_passage() -> None:
    from assistant.core import _cited_line
    from assistant.llm.verify import Evidence, SentenceCheck, Verified
    from index.article import Article

    text = "The call began at noon. It lasted 30 minutes. Harris joined it."
    article = Article("a.txt", text)
    passage = Passage(1, Chunk("a.txt", 0, 0, len(text), text))
    evidence = (Evidence(1, "a.txt", 0, 23), Evidence(1, "a.txt", 24, 45))
    sentence = "The noon call lasted 30 minutes [1]."
    check = SentenceCheck(sentence, (1,), 0.9, True, "cited", evidence=evidence)
    book = CitationBook()
    line = _cited_line(Verified(sentence, (1,), (), (check,)), [passage], {"a.txt": article}, book)
    assert line == sentence
    assert book.citations[0].quote == "The call began at noon. It lasted 30 minutes."


@pytest.mark.parametrize(
    ("coverage", "meaning", "answerable"),
    [
        (MIN_COVERAGE, 0.0, True),  # the question's words are there
        (0.0, MIN_MEANING, True),  # other words, the same meaning
        (MIN_COVERAGE - 0.01, MIN_MEANING - 0.01, False),  # neither: abstain
    ],
)
def test_a_question_is_answered_in_its_words_or_in_meaning(
    coverage: float, meaning: float, answerable: bool
) -> None:
    p1 = Passage(1, _chunk("a.txt", "The concert went ahead after a delay of 45 minutes."))
    sentences = ((Sentence(p1, 0, 50, p1.chunk.text, 0.9, coverage),),)
    assert Selection(sentences, coverage, meaning).answerable is answerable
    assert not Selection((), coverage, meaning).answerable  # nothing to quote


@pytest.mark.parametrize(
    ("coverage", "meaning", "noted"),
    [
        (1.0, MIN_MEANING - 0.01, True),  # the words are there, the meaning is not
        (1.0, MIN_MEANING, False),  # close in meaning too
        (0.0, MIN_MEANING, False),  # answered in meaning alone
    ],
)
def test_an_answer_held_up_by_the_questions_words_alone_says_so(
    coverage: float, meaning: float, noted: bool
) -> None:
    p1 = Passage(1, _chunk("a.txt", "The concert went ahead after a delay of 45 minutes."))
    sentences = ((Sentence(p1, 0, 50, p1.chunk.text, 0.9, coverage),),)
    answer = compose("How late was the concert?", Selection(sentences, coverage, meaning), [], [p1])
    assert not answer.abstained
    assert (WORDS_ONLY in answer.notes) is noted


def test_an_answer_stating_a_conflict_or_declining_carries_no_words_only_note() -> None:
    text = "The call lasted 30 minutes. Another report said the call lasted about 50 minutes."
    p1 = Passage(1, _chunk("a.txt", text))
    sentences = ((Sentence(p1, 0, 27, text[:27], 0.9, 1.0),),)
    side = ConflictSide("a.txt", "", "", text[:27], 0, 27, "30 minutes")
    other = ConflictSide("a.txt", "", "", text[28:], 28, len(text), "about 50 minutes")
    conflict = Conflict("the length of the call", "contradiction", (side, other))
    weak = Selection(sentences, 1.0, MIN_MEANING - 0.1)
    assert WORDS_ONLY not in compose("How long was the call?", weak, [conflict], [p1]).notes
    assert WORDS_ONLY not in compose("How long was the call?", Selection((), 0.0), [], [p1]).notes


def test_without_a_fitted_meaning_floor_no_answer_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    import math

    from assistant import extractive

    monkeypatch.setattr(extractive, "MIN_MEANING", math.inf)
    p1 = Passage(1, _chunk("a.txt", "The concert went ahead after a delay of 45 minutes."))
    sentences = ((Sentence(p1, 0, 50, p1.chunk.text, 0.9, 1.0),),)
    assert not Selection(sentences, 1.0, 0.2).in_words_only
