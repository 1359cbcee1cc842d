"""Cleaning: appeals, newsletter prompts, footers and repeats go; the article stays, verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.article import Dropped
from index.clean import clean_lines, split_lines
from index.load import read_documents
from index.prepare import prepare
from index.sentences import sentence_spans

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "articles"
FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
DONATION_SAMPLE = SAMPLE_DIR / "003_dd4507c4535ae5e4.txt"

BODY = [
    "The council voted on Tuesday to close the Wexley Street branch at the end of June.",
    "Council member Ada Fenn said the branch served more than 400 families a week.",
    "The mayor said the closure would save about $1.3 million a year.",
    "Residents who spoke at the meeting asked for the vote to be delayed.",
    "The branch opened in 1962 and was last renovated in 1998, according to city records.",
    "The council will discuss the rest of the budget at its next meeting.",
]


def clean(text: str) -> tuple[list[str], list[Dropped]]:
    kept, dropped = clean_lines(split_lines(text))
    return [line.text for line in kept], dropped


def with_lines(inserted: list[str], at: int) -> str:
    return "\n".join(BODY[:at] + inserted + BODY[at:])


@pytest.mark.parametrize(
    "inserted",
    [
        ["Sign up for our daily newsletter"],
        ["Subscribe to the Morning Briefing", "Get the top stories in your inbox every day"],
        ["Support independent journalism. Donate today."],
        ["Become a member", "- Ad-free reading", "- Weekly letters from the editor"],
        ["Follow us on social media"],
        ["Advertisement"],
        ["Click here to read the full report"],
    ],
    ids=["newsletter", "newsletter-box", "donate", "member-bullets", "follow", "ad", "click-here"],
)
def test_appeals_and_prompts_are_dropped_and_the_article_kept(inserted: list[str]) -> None:
    kept, dropped = clean(with_lines(inserted, 3))
    assert kept == BODY
    assert [d.text for d in dropped] == inserted
    assert all(d.reason for d in dropped)


@pytest.mark.parametrize(
    "footer",
    [
        ["More News", "Schools add late bus route", "Harbor festival returns in May"],
        ["Related stories:", "Council approves park plan"],
        ["Read more", "Storm closes coastal road"],
        ["Most popular", "Chef opens diner", "Rain expected through Friday"],
    ],
    ids=["more-news", "related", "read-more", "most-popular"],
)
def test_footer_and_everything_after_it_is_dropped(footer: list[str]) -> None:
    kept, dropped = clean("\n".join(BODY + footer))
    assert kept == BODY
    assert [d.text for d in dropped] == footer
    assert {d.reason for d in dropped} == {"footer after the article"}


def test_a_footer_heading_early_in_the_article_is_not_a_footer() -> None:
    text = "\n".join(["Related", *BODY])
    kept, _ = clean(text)
    assert kept[1:] == BODY


def test_repeated_lines_keep_their_first_occurrence() -> None:
    quote = '"We are not closing a library, we are moving its books," the mayor said.'
    text = "\n".join([BODY[0], quote, BODY[1], BODY[2], quote, BODY[3]])
    kept, dropped = clean(text)
    assert kept == [BODY[0], quote, BODY[1], BODY[2], BODY[3]]
    assert dropped == [Dropped(quote, "repeats an earlier line")]


def test_repeats_differing_only_in_case_and_punctuation_are_dropped() -> None:
    text = "\n".join([BODY[0], "Watch the video below", BODY[1], "WATCH THE VIDEO BELOW:"])
    kept, dropped = clean(text)
    assert kept == [BODY[0], "Watch the video below", BODY[1]]
    assert [d.text for d in dropped] == ["WATCH THE VIDEO BELOW:"]


@pytest.mark.parametrize(
    "line",
    [
        "The charity said donations had fallen by a third since 2023, and that it would cut two of its "
        "five food programs unless new funding arrived before the winter.",
        "Subscription revenue at the newspaper group rose 4 percent in the third quarter, the company "
        "reported on Thursday, while advertising income fell for the sixth straight quarter.",
        "The group urged supporters to donate to flood victims, and said it had raised $2 million by Friday.",
        "Readers who subscribe to the print edition will get it on Sundays only, the publisher told staff.",
        "The mayor said the city would not renew the contract.",
    ],
)
def test_reporting_lines_are_kept(line: str) -> None:
    kept, dropped = clean(with_lines([line], 2))
    assert kept == with_lines([line], 2).split("\n")
    assert dropped == []


def test_split_lines_offsets_point_at_the_stripped_line() -> None:
    text = "  First line.  \n\n\tSecond line.\r\n   \nThird."
    lines = split_lines(text)
    assert [line.text for line in lines] == ["First line.", "Second line.", "Third."]
    for line in lines:
        assert text[line.start : line.end] == line.text


def test_donation_appeal_in_sample_article_is_dropped() -> None:
    data = DONATION_SAMPLE.read_bytes()
    article = prepare(read_documents(DONATION_SAMPLE, DONATION_SAMPLE.name, data)[0])
    source_lines = [line.strip() for line in data.decode("utf-8").splitlines() if line.strip()]
    start = source_lines.index("Give the gift of hope")
    end = source_lines.index("Support The Media Line. Save democracy.")
    appeal = source_lines[start : end + 1]
    dropped = [d.text for d in article.dropped]
    for line in appeal:
        assert line in dropped
        assert line not in article.text.split("\n")
    # Everything before and after the appeal box is article text and is kept, in order.
    assert article.text.split("\n") == source_lines[:start] + source_lines[end + 1 :]
    assert "can't do it alone" not in article.text
    assert "Netanyahu has vowed that Iran will “pay” for the missile strike" in article.text


VERBATIM_SOURCES = sorted(SAMPLE_DIR.glob("*.txt")) + sorted(
    path
    for path in FIXTURE_DIR.iterdir()
    if path.suffix in (".txt", ".md", ".json", ".jsonl") and not path.name.endswith(".meta.json")
)


@pytest.mark.parametrize("path", VERBATIM_SOURCES, ids=lambda p: p.name)
def test_every_kept_line_and_sentence_is_verbatim_from_the_file(path: Path) -> None:
    data = path.read_bytes()
    original = data.decode("utf-8")
    documents = read_documents(path, path.name, data)
    assert documents
    for document in documents:
        article = prepare(document)
        assert article.text.strip()
        for line in article.text.split("\n"):
            assert line in document.text
            assert line in original
        for start, end in sentence_spans(article.text):
            assert article.text[start:end] in original
        for dropped in article.dropped:
            assert dropped.text in document.text
