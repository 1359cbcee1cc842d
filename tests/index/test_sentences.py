"""Sentence splitting for news prose: abbreviations, initials, dates, quotes, offsets."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.sentences import sentence_spans

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "articles"


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The vote passed. Sen. Calder objected.", ["The vote passed.", "Sen. Calder objected."]),
        ("The U.S. Senate voted on Tuesday. It passed.", ["The U.S. Senate voted on Tuesday.", "It passed."]),
        (
            "Officials in the U.S. and Canada agreed. Talks end today.",
            ["Officials in the U.S. and Canada agreed.", "Talks end today."],
        ),
        (
            "The deadline is Oct. 1 for all states. Few will meet it.",
            ["The deadline is Oct. 1 for all states.", "Few will meet it."],
        ),
        ("Mr. J. R. Ewing arrived. He sat down.", ["Mr. J. R. Ewing arrived.", "He sat down."]),
        ("Dr. Osk and Gov. Brell met. They spoke.", ["Dr. Osk and Gov. Brell met.", "They spoke."]),
        (
            "Lt. Gen. Mark Rowe spoke. Rep. Ann Lee listened.",
            ["Lt. Gen. Mark Rowe spoke.", "Rep. Ann Lee listened."],
        ),
        ("He was No. 1 in the polls. Then he fell.", ["He was No. 1 in the polls.", "Then he fell."]),
        (
            "Prices rose 3.5 percent. Analysts were surprised.",
            ["Prices rose 3.5 percent.", "Analysts were surprised."],
        ),
        (
            "The ferry left at 11:30 p.m. Nobody was aboard.",
            ["The ferry left at 11:30 p.m.", "Nobody was aboard."],
        ),
        ('He said, "It is over." Then he left.', ['He said, "It is over."', "Then he left."]),
        ("He said “It is over.” Then he left.", ["He said “It is over.”", "Then he left."]),
        ('The crowd shouted "Go!" She went.', ['The crowd shouted "Go!"', "She went."]),
        ('He left. "We are done," she said.', ["He left.", '"We are done," she said.']),
        ("He left. “We are done,” she said.", ["He left.", "“We are done,” she said."]),
        ('"It is over," he said. Nobody moved.', ['"It is over," he said.', "Nobody moved."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("The vote was 7 to 2. 400 families use it.", ["The vote was 7 to 2.", "400 families use it."]),
        ("She said no. The vote failed.", ["She said no.", "The vote failed."]),
        ("He sat. Then he spoke.", ["He sat.", "Then he spoke."]),
        ("They met (in private.) Then they left.", ["They met (in private.)", "Then they left."]),
        ("the sentence goes on. and on in lower case.", ["the sentence goes on. and on in lower case."]),
        ("No final period here", ["No final period here"]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n\n  ", []),
        ("First line without stop\nSecond line.", ["First line without stop", "Second line."]),
        ("  Indented.  \n\tTabbed.\t", ["Indented.", "Tabbed."]),
        ("Ends with U.S.\nNext line.", ["Ends with U.S.", "Next line."]),
        ("One.\r\nTwo.", ["One.", "Two."]),
    ],
)
def test_lines_never_merge_and_whitespace_is_trimmed(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spans_within_a_window_use_offsets_of_the_whole_text() -> None:
    text = "Skip me. Keep this one. And this."
    window_start = text.index("Keep")
    spans = list(sentence_spans(text, window_start))
    assert [text[a:b] for a, b in spans] == ["Keep this one.", "And this."]
    assert spans[0][0] == window_start


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_sample_sentences_cover_all_text_in_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    spans = list(sentence_spans(text))
    assert spans, "an article has sentences"
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    # Nothing but whitespace lies between sentences: no text is lost.
    rebuilt = "".join(text[a:b] for a, b in spans)
    assert "".join(rebuilt.split()) == "".join(text.split())


@given(st.text(alphabet=st.sampled_from(list("ab .!?\"'”“\nUS")), max_size=200))
def test_spans_are_ordered_trimmed_and_non_empty(text: str) -> None:
    previous_end = 0
    for start, end in sentence_spans(text):
        assert previous_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = end
    covered = "".join(text[a:b] for a, b in sentence_spans(text))
    assert "".join(covered.split()) == "".join(text.split())
