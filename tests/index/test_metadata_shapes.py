"""Metadata in the shapes real articles carry it: datelines, date lines with times, wire datelines,
bylines, headline lines, and HTML pages' own markup; and the lines that carry it are never quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.clean import split_lines
from index.dates import read_date
from index.load import Document, read_documents
from index.metadata import infer
from index.prepare import prepare

BODY = "The council voted on Tuesday to close the library branch.\nThe mayor said it would save money."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 12, 2025 / 4:12 PM", "2025-06-12"),
        ("June 12, 2025 | 4:12 p.m. ET", "2025-06-12"),
        ("June 12, 2025 4:12 PM ET", "2025-06-12"),
        ("Updated 4:12 PM EDT, Thu June 12, 2025", "2025-06-12"),
        ("12 June 2025", "2025-06-12"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("June 2025", "2025-06"),  # a month without a day stays a month
        ("Published: March 2024", "2024-03"),
    ],
)
def test_date_shapes(line: str, expected: str) -> None:
    stated = read_date(line)
    assert stated is not None and stated.iso() == expected


@pytest.mark.parametrize(
    "line",
    ["June 12", "12/2024", "2025", "May 2024 be good", "June 12, 2025 / the council met", "4:12 PM", "---"],
)
def test_shapes_that_are_no_date(line: str) -> None:
    assert read_date(line) is None


@pytest.mark.parametrize(
    ("head", "fields", "reasons"),
    [
        (
            "The Herald, 12 June 2025",
            {"outlet": "The Herald", "published": "2025-06-12"},
            {"The Herald, 12 June 2025": "dateline"},
        ),
        ("June 12, 2025 / 4:12 PM", {"published": "2025-06-12"}, {"June 12, 2025 / 4:12 PM": "date line"}),
        # A place before the date is no outlet.
        ("Washington, June 12, 2025", {"published": "2025-06-12"}, {"Washington, June 12, 2025": "dateline"}),
        ("LONDON — 12 June 2025", {"published": "2025-06-12"}, {"LONDON — 12 June 2025": "dateline"}),
        ("LONDON (Reuters) -", {"outlet": "Reuters"}, {"LONDON (Reuters) -": "wire dateline"}),
        ("New York (CNN) —", {"outlet": "CNN"}, {"New York (CNN) —": "wire dateline"}),
        # A wire dateline that opens the first paragraph names the outlet; the sentence stays.
        ("LONDON (Reuters) - Britain's economy grew 0.3% in May, data showed.", {"outlet": "Reuters"}, {}),
        ("By Jane Doe and John Roe", {}, {"By Jane Doe and John Roe": "byline"}),
        ("By JANE DOE | The Herald", {}, {"By JANE DOE | The Herald": "byline"}),
        (
            "By Jane Doe | June 12, 2025 4:12 PM",
            {"published": "2025-06-12"},
            {"By Jane Doe | June 12, 2025 4:12 PM": "byline"},
        ),
        (
            "Library branch to close in June\nBy Jane Doe\nJune 12, 2025",
            {"title": "Library branch to close in June", "published": "2025-06-12"},
            {
                "Library branch to close in June": "headline",
                "By Jane Doe": "byline",
                "June 12, 2025": "date line",
            },
        ),
        (
            "What We Know About the Building Collapse in Surfside, Fla.\nWall Street Journal — June 24, 2021",
            {
                "title": "What We Know About the Building Collapse in Surfside, Fla.",
                "outlet": "Wall Street Journal",
                "published": "2021-06-24",
            },
            {"Wall Street Journal — June 24, 2021": "dateline"},
        ),
        (
            " ".join(["Word"] * 30) + "\nDaily Mail — October 3, 2021",
            {"title": " ".join(["Word"] * 30), "outlet": "Daily Mail", "published": "2021-10-03"},
            {"Daily Mail — October 3, 2021": "dateline"},
        ),
        # The first line of a file stating no title is its headline.
        ("Library branch to close in June", {"title": "Library branch to close in June"}, {}),
        # Shapes that must yield nothing.
        ("By the way, the council met on Tuesday.", {}, {}),
        ("By 2030 the branch will have closed, officials said.", {}, {}),
        ("Lorrin Daily — Thursday, March 4, 2026", {}, {}),  # weekday disagrees: not a headline either
        ("The Herald, June 12", {}, {}),  # no year: never guessed
        ("He said (Reuters reported) that the plan - in part - failed.", {}, {}),
    ],
)
def test_head_shapes(head: str, fields: dict[str, str], reasons: dict[str, str]) -> None:
    lines = split_lines(f"{head}\n{BODY}")
    found, used = infer(lines)
    assert found == fields
    marked = {lines[i].text: reason for i, reason in used.items()}
    if "title" in fields:
        reasons = {**reasons, fields["title"]: "headline"}
    assert marked == reasons


def test_a_stated_title_repeated_in_the_text_is_dropped_and_no_line_becomes_the_title() -> None:
    doc = Document(
        "a.md",
        f"Council closes library\nA short standfirst line\n{BODY}",
        {"title": "Council closes library"},
    )
    article = prepare(doc)
    assert article.title == "Council closes library"
    assert article.text.startswith("A short standfirst line\n")


def test_txt_headline_line_is_the_title_and_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        f"Library branch to close in June\n\nThe Herald, 12 June 2025\n\n{BODY}\n", encoding="utf-8"
    )
    article = prepare(read_documents(path, path.name, path.read_bytes())[0])
    assert (article.title, article.outlet, article.published) == (
        "Library branch to close in June",
        "The Herald",
        "2025-06-12",
    )
    assert article.text == BODY
    assert all(line in path.read_text(encoding="utf-8") for line in article.text.split("\n"))


def test_html_page_metadata_comes_from_its_markup(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Council closes library | The Herald</title>"
        '<meta property="og:site_name" content="The Herald">'
        '<meta property="article:published_time" content="2025-06-12T16:12:00Z"></head><body>'
        "<article><h1>Council closes library</h1><p>By Jane Doe</p><p>June 12, 2025 / 4:12 PM</p>"
        "<p>The council voted on Tuesday to close the library branch, saying it needed repairs.</p>"
        "<p>The mayor said it would save money over the next five years, officials said.</p></article>"
        "<footer>© 2023 The Herald</footer></body></html>",
        encoding="utf-8",
    )
    article = prepare(read_documents(path, path.name, path.read_bytes())[0])
    assert (article.title, article.outlet, article.published) == (
        "Council closes library",
        "The Herald",
        "2025-06-12",
    )
    assert article.text.split("\n")[0].startswith("The council voted")


def test_html_page_without_date_markup_gets_no_date_from_a_copyright_line(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Council closes library</title></head><body><article>"
        "<p>The council voted on Tuesday to close the library branch, saying it needed repairs.</p>"
        "<p>The mayor said it would save money over the next five years, officials said.</p></article>"
        "<footer>© 2023 The Herald</footer></body></html>",
        encoding="utf-8",
    )
    article = prepare(read_documents(path, path.name, path.read_bytes())[0])
    assert article.published == ""
