"""Citation parsing and sentence-by-sentence verification of generated answers (made-up articles)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.answer import Passage
from assistant.llm.support import THRESHOLD, support_score
from assistant.llm.verify import parse_citations, strip_citations, verify, verify_stream
from index.article import Chunk

HEAD = "RIVERSIDE DAM\n"
PLANET = (
    HEAD + "The Riverside dam opened on Monday after four years of work. Mayor Lena Ortiz said the project "
    "cost $40 million. Officials said the reservoir will supply 120,000 homes. The governor did not attend "
    "the ceremony."
)
LEDGER = (
    "The dam's opening was delayed twice by floods. Engineers said the reservoir will supply about "
    "90,000 homes. Construction employed 300 workers."
)
ARTICLES = {"planet.txt": PLANET, "ledger.txt": LEDGER}


def chunk(article_id: str, outlet: str, start: int = 0) -> Chunk:
    text = ARTICLES[article_id]
    return Chunk(article_id, 0, start, len(text), text[start:], title="Dam opens", outlet=outlet)


PASSAGES = [
    Passage(1, chunk("planet.txt", "Daily Planet", start=len(HEAD))),
    Passage(2, chunk("ledger.txt", "Morning Ledger")),
]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("The dam opened [1].", (1,)),
        ("It cost $40 million [1, 2].", (1, 2)),
        ("It cost $40 million [1][2].", (1, 2)),
        ("Homes [2] and workers [1] [2].", (2, 1)),
        ("See [2-4].", (2, 3, 4)),
        ("See [Passage 3] and [source 1].", (3, 1)),
        ("No markers, 40 million (1).", ()),
    ],
)
def test_parse_citations(text: str, numbers: tuple[int, ...]) -> None:
    assert parse_citations(text) == numbers


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("The dam opened [1].", "The dam opened."),
        ("It cost [1, 2] $40 million [3][4] .", "It cost $40 million."),
        ("No markers.", "No markers."),
    ],
)
def test_strip_citations(text: str, stripped: str) -> None:
    assert strip_citations(text) == stripped


def test_supported_paraphrase_is_kept_with_its_citation() -> None:
    result = verify("Mayor Ortiz said the dam cost $40 million [1].", PASSAGES)
    assert result.text == "Mayor Ortiz said the dam cost $40 million [1]."
    assert result.cited == (1,) and result.dropped == () and not result.empty


def test_hallucinated_citation_number_is_removed() -> None:
    result = verify("The dam opened on Monday [1][9].", PASSAGES)
    assert result.text == "The dam opened on Monday [1]."
    assert result.removed_citations == (9,)
    assert result.cited == (1,)


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("The dam cost $60 million [1].", "number 60"),
        ("Mayor Sam Lee said the project cost $40 million [1].", "name"),
        ("The governor attended the ceremony [1].", "negation"),
        ("The dam opened on Monday, the mayor did not say what it cost [1].", "negation"),
    ],
)
def test_unsupported_sentence_is_dropped(sentence: str, why: str) -> None:
    result = verify(f"The dam opened on Monday [1]. {sentence}", PASSAGES)
    assert result.text == "The dam opened on Monday [1]."
    assert result.dropped == (strip_citations(sentence),)
    dropped = next(c for c in result.checks if not c.kept)
    assert why in dropped.reason and dropped.score < THRESHOLD


def test_uncited_sentence_gets_the_supporting_passage() -> None:
    result = verify("Construction employed 300 workers.", PASSAGES)
    assert result.text == "Construction employed 300 workers [2]."
    assert result.checks[0].how == "attached"


def test_wrong_citation_is_corrected() -> None:
    result = verify("Construction employed 300 workers [1].", PASSAGES)
    assert result.text == "Construction employed 300 workers [2]."
    assert result.checks[0].how == "recited"


def test_two_sided_sentence_keeps_its_markers_in_place() -> None:
    answer = (
        "The Daily Planet says the reservoir will supply 120,000 homes [1], while the Morning Ledger "
        "says about 90,000 homes [2]."
    )
    result = verify(answer, PASSAGES)
    assert result.text == answer
    assert result.cited == (1, 2)


def test_markers_after_the_full_stop_stay_with_their_sentence() -> None:
    result = verify("The dam opened on Monday. [1] Construction employed 300 workers. [2]", PASSAGES)
    assert result.text == "The dam opened on Monday [1]. Construction employed 300 workers [2]."


def test_nothing_surviving_is_explicit() -> None:
    result = verify("The dam collapsed in 1999 [1]. Nobody was warned [2].", PASSAGES)
    assert result.empty and result.text == "" and result.cited == ()
    assert len(result.dropped) == 2


def test_abstention_is_kept_without_citation() -> None:
    result = verify("The articles do not say who built the dam.", PASSAGES)
    assert result.text == "The articles do not say who built the dam."
    assert result.abstained and not result.empty


def test_a_claim_is_not_an_abstention() -> None:
    result = verify("Reports say no one was hurt when the dam collapsed [1].", PASSAGES)
    assert result.empty and not result.abstained


def test_evidence_offsets_point_into_the_article() -> None:
    result = verify("The mayor said the project cost $40 million [1].", PASSAGES)
    (evidence,) = result.checks[0].evidence
    assert evidence.source == "planet.txt"
    assert PLANET[evidence.start : evidence.end] == "Mayor Lena Ortiz said the project cost $40 million."


def test_line_breaks_between_kept_sentences_survive() -> None:
    result = verify(
        "- The dam opened on Monday [1].\n- The dam cost $99 [1].\n- It employed 300 workers [2].", PASSAGES
    )
    assert result.text == "- The dam opened on Monday [1].\n- It employed 300 workers [2]."


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        ("The Riverside dam opened on Monday.", True),
        ("Officials expect the reservoir to supply 120,000 homes.", True),
        ("The reservoir will supply 12,000 homes.", False),
        ("The reservoir will supply 120,000 farms in Texas.", False),
        ("The governor attended the ceremony.", False),
        ("The dam was built by a Chinese company.", False),
    ],
)
def test_support_score(sentence: str, supported: bool) -> None:
    assert (support_score(sentence, [PLANET, LEDGER]) >= THRESHOLD) is supported


def test_support_score_ignores_citation_markers_and_empty_input() -> None:
    assert support_score("The Riverside dam opened on Monday [1].", [PLANET]) == 1.0
    assert support_score("The dam opened.", []) == 0.0
    assert support_score("...", [PLANET]) == 0.0


def test_repeated_and_cut_off_sentences_are_left_out_silently() -> None:
    answer = "The dam opened on Monday [1]. The dam opened on Monday. Construction employed 300 workers [2]. The dam"
    result = verify(answer, PASSAGES)
    assert result.text == "The dam opened on Monday [1]. Construction employed 300 workers [2]."
    assert result.dropped == ()
    assert [c.how for c in result.checks] == ["cited", "repeated", "cited", "unfinished"]


def test_a_single_sentence_without_full_stop_is_checked() -> None:
    assert (
        verify("Construction employed 300 workers [2]", PASSAGES).text
        == "Construction employed 300 workers [2]"
    )
    assert (
        verify("Construction employed 300 workers", PASSAGES).text == "Construction employed 300 workers [2]"
    )


def test_no_passages_means_nothing_survives() -> None:
    result = verify("The dam opened on Monday [1].", [])
    assert result.empty and result.removed_citations == (1,)


def test_outlet_named_in_the_answer_counts_as_support() -> None:
    result = verify("The Morning Ledger reported that construction employed 300 workers.", PASSAGES)
    assert result.text == "The Morning Ledger reported that construction employed 300 workers [2]."


def test_verify_stream_checks_each_sentence_as_it_completes() -> None:
    tokens = [
        "The dam ",
        "opened on Monday.",
        " [1] The dam cost",
        " $60 million [1]. The dam opened",
        " on Monday. Con",
    ]
    tokens += ["struction employed 300 workers [2]. The da"]
    results = list(verify_stream(iter(tokens), PASSAGES))
    shown = [r.text for r in results if not r.empty]
    assert shown == ["The dam opened on Monday [1].", "Construction employed 300 workers [2]."]
    assert [c.how for r in results for c in r.checks] == [
        "cited",
        "unsupported",
        "repeated",
        "cited",
        "unfinished",
    ]


def test_verify_stream_yields_each_sentence_before_the_stream_ends() -> None:
    def tokens() -> Iterator[str]:
        yield "Construction employed 300 workers [2]. "
        yield "The dam"
        raise AssertionError("the first sentence must be checked before more tokens are read")

    assert next(verify_stream(tokens(), PASSAGES)).text == "Construction employed 300 workers [2]."
