"""Metadata: normalising stated fields, and inferring only what the text clearly states."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.clean import split_lines
from index.load import read_documents
from index.metadata import infer, iso_date, normalise, parse_date_line
from index.prepare import prepare

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "articles"

BODY = "The council voted on Tuesday to close the library branch.\nThe mayor said it would save money."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wednesday, 10/09/2024", "2024-10-09"),
        ("Tuesday, 10/09/2024", "2024-09-10"),  # only the day-first reading is a Tuesday
        ("Wednesday, 9/10/2024", "2024-10-09"),
        ("10/09/2024", "2024-10-09"),  # month first when nothing says otherwise
        ("October 9, 2024", "2024-10-09"),
        ("Oct. 9, 2024", "2024-10-09"),
        ("9 October 2024", "2024-10-09"),
        ("2024-10-09", "2024-10-09"),
        ("2024-10-09T14:30:00Z", "2024-10-09"),
        ("Wed, 09 Oct 2024 14:00:00 GMT", "2024-10-09"),
        ("Published: March 4, 2026", "2026-03-04"),
        ("Updated on March 4, 2026", "2026-03-04"),
        ("Friday, 03/07/2025", "2025-03-07"),
        ("Feb. 29, 2024", "2024-02-29"),
    ],
)
def test_date_lines(line: str, expected: str) -> None:
    assert parse_date_line(line) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(
    "line",
    [
        "Thursday, 10/09/2024",  # neither reading is a Thursday
        "Mon, March 4, 2026",  # March 4, 2026 is a Wednesday
        "Wednesday",
        "October 9",  # no year: never guessed
        "March 2024",  # no day: never filled in from today's date
        "2024",
        "Updated 2024",
        "Wednesday 2024",
        "12/2024",
        "Feb. 30, 2024",
        "In 2024 the council met four times.",
        "He said on March 4, 2026 that the plan had failed.",
        "3 people died in 2024",
        "",
    ],
)
def test_lines_that_are_not_a_full_date(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Lorrin Daily — March 4, 2026", {"outlet": "Lorrin Daily", "published": "2026-03-04"}),
        ("Lorrin Daily — Wednesday, March 4, 2026", {"outlet": "Lorrin Daily", "published": "2026-03-04"}),
        ("Lorrin Daily — Thursday, March 4, 2026", {}),  # weekday disagrees: nothing
        ("The Herald - Oct. 3, 2025", {"outlet": "The Herald", "published": "2025-10-03"}),
        ("Valley Wire | 2025-02-10", {"outlet": "Valley Wire", "published": "2025-02-10"}),
        ("Lorrin Daily — March 2026", {"outlet": "Lorrin Daily", "published": "2026-03"}),  # no day invented
        (
            "Library branch to close in June\nWednesday, 10/09/2024",
            {"title": "Library branch to close in June", "published": "2024-10-09"},
        ),
        ("Wednesday, 10/09/2024", {"published": "2024-10-09"}),
        # A full sentence above the date is not a headline.
        ("The council met on Tuesday.\nWednesday, 10/09/2024", {"published": "2024-10-09"}),
        ("WASHINGTON — The Senate voted on Tuesday, Oct. 8, 2024, to pass the bill.", {}),
        ("", {}),
    ],
)
def test_inference_from_the_first_lines(head: str, expected: dict[str, str]) -> None:
    text = f"{head}\n{BODY}" if head else BODY
    found, used = infer(split_lines(text))
    assert found == expected
    assert bool(used) == bool(expected)


@pytest.mark.parametrize(
    ("text", "used_lines"),
    [
        (f"Lorrin Daily — March 4, 2026\n{BODY}", {"Lorrin Daily — March 4, 2026"}),
        (
            f"Library branch to close\nWednesday, 10/09/2024\n{BODY}",
            {"Library branch to close", "Wednesday, 10/09/2024"},
        ),
        (f"The council met on Tuesday.\nWednesday, 10/09/2024\n{BODY}", {"Wednesday, 10/09/2024"}),
        (BODY, set()),
    ],
)
def test_only_lines_that_carry_metadata_are_taken(text: str, used_lines: set[str]) -> None:
    lines = split_lines(text)
    _, used = infer(lines)
    assert {lines[i].text for i in used} == used_lines


def test_a_date_line_far_below_the_top_is_not_metadata() -> None:
    lines = [f"Paragraph {n} of the story is here." for n in range(8)] + ["Wednesday, 10/09/2024"]
    assert infer(split_lines("\n".join(lines))) == ({}, {})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"title": " Title ", "outlet": "Outlet", "published": "2024-10-09", "url": "https://x.example/a"},
            {"title": "Title", "outlet": "Outlet", "published": "2024-10-09", "url": "https://x.example/a"},
        ),
        (
            {"headline": "H", "source": "S", "date": "2024-10-09T10:00:00Z", "link": "https://x.example"},
            {"title": "H", "outlet": "S", "published": "2024-10-09", "url": "https://x.example"},
        ),
        ({"publisher": "P", "publishedAt": "Oct. 9, 2024"}, {"outlet": "P", "published": "2024-10-09"}),
        ({"published": dt.date(2024, 1, 2)}, {"published": "2024-01-02"}),
        ({"published": dt.datetime(2024, 1, 2, 23, 59)}, {"published": "2024-01-02"}),
        ({"published": "sometime last spring"}, {}),
        ({"title": "", "outlet": None, "text": "body", "author": "A"}, {}),
        ({"title": "Stated", "headline": "Alias"}, {"title": "Stated"}),
    ],
)
def test_normalise_stated_fields(fields: dict[str, object], expected: dict[str, str]) -> None:
    assert normalise(fields) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2025, 6, 12), "2025-06-12"),
        ("June 12, 2025", "2025-06-12"),
        ("June 2025", "2025-06"),
        ("garbage", ""),
        ("2025", ""),
    ],
)
def test_iso_date(value: object, expected: str) -> None:
    assert iso_date(value) == expected


def test_sample_with_date_line_gets_date_and_headline() -> None:
    path = SAMPLE_DIR / "002_ede3a99fe171a0a6.txt"
    article = prepare(read_documents(path, path.name, path.read_bytes())[0])
    assert article.published == "2024-10-09"
    assert article.title == "Biden, Netanyahu hold rare call as Israeli strike on Iran looms"
    assert article.outlet == ""
    assert "Wednesday, 10/09/2024" not in article.text
    assert article.title not in article.text.split("\n")


@pytest.mark.parametrize(
    "name",
    [
        "000_26e3933e89fe9601.txt",
        "001_7ca6027d49f55e8b.txt",
        "003_dd4507c4535ae5e4.txt",
        "004_0bf4945aa2f43ae1.txt",
    ],
)
def test_samples_that_state_nothing_get_empty_metadata(name: str) -> None:
    path = SAMPLE_DIR / name
    article = prepare(read_documents(path, path.name, path.read_bytes())[0])
    assert article.metadata() == {"title": "", "outlet": "", "published": "", "url": ""}


def test_stated_metadata_wins_over_inferred() -> None:
    from index.load import Document

    doc = Document("a.txt", f"Lorrin Daily — March 4, 2026\n{BODY}", {"outlet": "Stated Outlet"}, "h")
    article = prepare(doc)
    assert article.outlet == "Stated Outlet"
    assert article.published == "2026-03-04"
