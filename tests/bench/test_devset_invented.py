"""The invented half of the development set is well formed: its questions point at articles that exist,
what a right answer must mention is written in those articles, and the set is as large and as varied as
it promises (per category, per tag, per story, per file format)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "bench" / "devset"
ARTICLES = ROOT / "invented"
QUESTIONS = ROOT / "questions_invented.jsonl"

FIELDS = [
    "id", "question", "evidence", "must_mention", "conflict", "conflict_between", "unanswerable", "note",
    "story", "split", "category", "tags", "history",
]  # fmt: skip
CATEGORY_MINIMUM = {"conflict": 45, "trap": 40, "unanswerable": 22, "follow-up": 12, "answerable": 25}
TAGS = {
    "numbers", "hedges", "units", "dates", "names", "attribution", "polarity", "changing-value",
    "different-things", "far-wording", "injection", "multi-story",
}  # fmt: skip
FORMATS = (".txt", ".md", ".html", ".pdf")


def _rows() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


ROWS = _rows()


class _ArticleText(HTMLParser):
    """Collects the text inside <article>: what a reader of the saved page reads as the story."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.depth += tag == "article"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "article"

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.parts.append(data)


@cache
def article_text(article_id: str) -> str:
    """The readable text of one article, whitespace collapsed and lower-cased for verbatim search."""
    path = ARTICLES / article_id
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    elif path.suffix == ".html":
        parser = _ArticleText()
        parser.feed(path.read_text(encoding="utf-8"))
        text = " ".join(parser.parts)
    else:
        text = path.read_text(encoding="utf-8")
    return " ".join(text.split()).lower()


def article_ids() -> list[str]:
    return sorted(p.relative_to(ARTICLES).as_posix() for p in ARTICLES.glob("*/*") if p.suffix in FORMATS)


def split_of(story: str) -> str:
    digest = int(hashlib.sha256(("devset-v1:" + story).encode()).hexdigest(), 16)
    return "tune" if digest % 10 < 6 else "check"


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_row_schema(row):
    assert list(row) == FIELDS
    assert row["question"].strip() and row["note"].strip()
    assert row["category"] in CATEGORY_MINIMUM
    assert row["tags"] and set(row["tags"]) <= TAGS
    assert row["split"] == split_of(row["story"])
    assert all(group and all(alt.strip() for alt in group) for group in row["must_mention"])
    assert row["conflict"] == bool(row["conflict_between"])
    for turn in row["history"]:
        assert list(turn) == ["question", "answer"] and turn["question"].strip() and turn["answer"].strip()


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_category_agrees_with_flags(row):
    category = row["category"]
    assert (category == "follow-up") == bool(row["history"])
    assert (category == "unanswerable") == row["unanswerable"]
    if category == "unanswerable":
        assert row["evidence"] == [] and row["must_mention"] == [] and not row["conflict"]
    else:
        assert row["evidence"] and row["must_mention"]
    if category == "conflict":
        assert row["conflict"]
    if category in ("trap", "answerable"):
        assert not row["conflict"]


def test_ids_are_unique():
    assert len({r["id"] for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_evidence_exists_and_belongs_to_the_story(row):
    known = set(article_ids())
    for article_id in row["evidence"]:
        assert article_id in known, article_id
    stories = {a.split("/")[0] for a in row["evidence"]}
    assert row["story"] in stories or not stories
    assert len(stories) <= 1 or "multi-story" in row["tags"]


@pytest.mark.parametrize("row", [r for r in ROWS if r["conflict"]], ids=lambda r: r["id"])
def test_conflict_pairs_are_two_articles_of_one_story_in_the_evidence(row):
    for first, second in row["conflict_between"]:
        assert first != second
        assert first.split("/")[0] == second.split("/")[0] == row["story"]
        assert {first, second} <= set(row["evidence"])


@pytest.mark.parametrize("row", [r for r in ROWS if not r["unanswerable"]], ids=lambda r: r["id"])
def test_every_must_mention_alternative_is_written_in_the_evidence(row):
    texts = [article_text(a) for a in row["evidence"]]
    for group in row["must_mention"]:
        for alternative in group:
            needle = " ".join(alternative.split()).lower()
            assert any(needle in text for text in texts), alternative


def test_minimum_counts_per_category_tag_and_story():
    categories = Counter(r["category"] for r in ROWS)
    for category, minimum in CATEGORY_MINIMUM.items():
        assert categories[category] >= minimum, category
    tags = Counter(t for r in ROWS for t in r["tags"])
    assert all(tags[tag] >= 3 for tag in TAGS), tags
    assert tags["far-wording"] * 4 >= len(ROWS)
    per_story = Counter(r["story"] for r in ROWS)
    assert len(per_story) >= 22 and min(per_story.values()) >= 5, per_story
    assert len(ROWS) >= 160


def test_each_story_is_told_by_three_to_five_articles_of_mixed_formats():
    per_story = Counter(a.split("/")[0] for a in article_ids())
    assert len(per_story) >= 22 and all(3 <= n <= 5 for n in per_story.values()), per_story
    formats = Counter(Path(a).suffix for a in article_ids())
    assert all(formats[f] >= 4 for f in FORMATS), formats
    assert all((ARTICLES / a).stat().st_size < 60_000 for a in article_ids() if a.endswith(".pdf"))


@pytest.mark.parametrize("article_id", article_ids())
def test_article_length_is_that_of_a_news_story(article_id):
    words = len(re.findall(r"\w+", article_text(article_id)))
    assert 250 <= words <= 760, words
