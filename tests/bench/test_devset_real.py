"""The real-coverage half of the development set: its questions, and the articles it writes from the shared data.

The data checks need the public sets next to the repository (`../shared/data`) and skip without them; the
question-file checks and the detokeniser's table run everywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.devset.real import REAL_STORIES, article_text, detokenise, materialise

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT / ".." / "shared" / "data"
QUESTIONS = ROOT / "bench" / "devset" / "questions_real.jsonl"

FIELDS = [
    "id",
    "question",
    "evidence",
    "must_mention",
    "conflict",
    "conflict_between",
    "unanswerable",
    "note",
    "story",
    "split",
    "category",
    "tags",
    "history",
]
CATEGORIES = {"conflict", "trap", "unanswerable", "follow-up", "answerable"}
TAGS = {
    "numbers",
    "hedges",
    "units",
    "dates",
    "names",
    "attribution",
    "polarity",
    "changing-value",
    "different-things",
    "far-wording",
    "multi-story",
}
MINIMUMS = {"conflict": 15, "trap": 25, "unanswerable": 20, "follow-up": 8, "answerable": 30}
DATELINE = re.compile(r"^[^\n—]+( — [A-Z][a-z]+ \d{1,2}, \d{4})?$")

needs_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"the public data sets are not at {SHARED_DATA.resolve()}"
)


def _questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _story(article_id: str) -> str:
    return article_id.split("/")[0]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Article id -> text, materialised once for the module."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the public data sets are not at {SHARED_DATA.resolve()}")
    paths = materialise(SHARED_DATA, tmp_path_factory.mktemp("real"))
    return {article_id: path.read_text(encoding="utf-8") for article_id, path in paths.items()}


def test_every_question_has_exactly_the_fields_in_order() -> None:
    for question in _questions():
        assert list(question) == FIELDS, question["id"]


def test_field_types_and_vocabularies() -> None:
    for q in _questions():
        assert q["question"].strip() and q["note"].strip(), q["id"]
        assert all(isinstance(article_id, str) for article_id in q["evidence"]), q["id"]
        assert all(group and all(alt.strip() for alt in group) for group in q["must_mention"]), q["id"]
        assert all(len(alt) <= 45 for group in q["must_mention"] for alt in group), q["id"]
        assert isinstance(q["conflict"], bool) and isinstance(q["unanswerable"], bool), q["id"]
        assert all(len(pair) == 2 and pair[0] != pair[1] for pair in q["conflict_between"]), q["id"]
        assert q["category"] in CATEGORIES, q["id"]
        assert set(q["tags"]) <= TAGS, q["id"]
        assert all(set(turn) == {"question", "answer"} for turn in q["history"]), q["id"]


def test_ids_are_unique_and_name_their_story() -> None:
    questions = _questions()
    assert len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        assert re.fullmatch(rf"real-{re.escape(q['story'])}-\d+", q["id"]), q["id"]


def test_category_agrees_with_the_flags() -> None:
    for q in _questions():
        category = q["category"]
        assert q["conflict"] == (category == "conflict"), q["id"]
        assert bool(q["conflict_between"]) == (category == "conflict"), q["id"]
        assert q["unanswerable"] == (category == "unanswerable"), q["id"]
        assert bool(q["history"]) == (category == "follow-up"), q["id"]
        if category == "unanswerable":
            assert q["evidence"] == [] and q["must_mention"] == [], q["id"]
        else:
            assert q["evidence"] and q["must_mention"], q["id"]


def test_split_follows_the_hash_of_the_story() -> None:
    for q in _questions():
        digest = int(hashlib.sha256(("devset-v1:" + q["story"]).encode()).hexdigest(), 16)
        assert q["split"] == ("tune" if digest % 10 < 6 else "check"), q["id"]


def test_minimums_hold() -> None:
    questions = _questions()
    categories = Counter(q["category"] for q in questions)
    per_story = Counter(q["story"] for q in questions)
    sources = Counter(story.split("-")[0] for story in per_story)
    assert len(questions) >= 115
    assert all(categories[name] >= least for name, least in MINIMUMS.items()), categories
    assert len(per_story) >= 22 and sources["basil"] >= 12 and sources["allsides"] >= 6, sources
    assert min(per_story.values()) >= 4, per_story
    assert sum("far-wording" in q["tags"] for q in questions) * 4 >= len(questions)


def test_conflict_pairs_lie_within_one_story_and_in_the_evidence() -> None:
    for q in _questions():
        for first, second in q["conflict_between"]:
            assert _story(first) == _story(second) == q["story"], q["id"]
            assert first in q["evidence"] and second in q["evidence"], q["id"]


def test_real_stories_are_the_stories_the_questions_use() -> None:
    used = {q["story"] for q in _questions()} | {_story(a) for q in _questions() for a in q["evidence"]}
    assert set(REAL_STORIES) == used


@needs_data
def test_every_referenced_article_is_materialised(articles: dict[str, str]) -> None:
    assert {_story(article_id) for article_id in articles} == set(REAL_STORIES)
    for q in _questions():
        referenced = q["evidence"] + [a for pair in q["conflict_between"] for a in pair]
        assert set(referenced) <= articles.keys(), q["id"]


@needs_data
def test_each_must_mention_alternative_is_in_an_evidence_article(articles: dict[str, str]) -> None:
    for q in _questions():
        texts = [articles[article_id].lower() for article_id in q["evidence"]]
        for group in q["must_mention"]:
            for alternative in group:
                assert any(alternative.lower() in text for text in texts), (q["id"], alternative)


@needs_data
def test_articles_start_with_headline_dateline_and_a_blank_line(articles: dict[str, str]) -> None:
    for article_id, text in articles.items():
        headline, dateline, blank, first = text.split("\n", 4)[:4]
        assert headline.strip() and first.strip(), article_id
        assert DATELINE.match(dateline) and blank == "", (article_id, dateline)


@needs_data
def test_materialising_twice_writes_identical_bytes(tmp_path: Path) -> None:
    first = materialise(SHARED_DATA, tmp_path / "a")
    second = materialise(SHARED_DATA, tmp_path / "b")
    assert first.keys() == second.keys()
    assert all(first[key].read_bytes() == second[key].read_bytes() for key in first)


@needs_data
def test_article_text_is_what_materialise_writes(articles: dict[str, str]) -> None:
    for article_id in (
        "basil-2013-f506aafc/nyt.txt",
        "allsides-5651/daily-mail-right.txt",
        "pac-116/the-guardian-left.txt",
    ):
        assert article_text(SHARED_DATA, article_id) == articles[article_id]


@needs_data
def test_an_unknown_story_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="basil-1999-00000000"):
        materialise(SHARED_DATA, tmp_path, ["basil-1999-00000000"])


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (
            ["Trump", "Organization", "’s", "fine", "is", "$", "1.6", "million", "."],
            "Trump Organization’s fine is $1.6 million.",
        ),
        (
            ["Republican", "-", "led", "House", "(", "PA", ")", "voted", ",", "107", "-", "85", "."],
            "Republican-led House (PA) voted, 107-85.",
        ),
        (["He", "said", '"', "it", "is", "over", '"', "and", "left", "."], 'He said "it is over" and left.'),
        (
            ["“", "Do", "n't", "go", ",", "”", "she", "said", ";", "30", "%", "agreed", "?"],
            "“Don't go,” she said; 30% agreed?",
        ),
    ],
)
def test_detokenise_joins_tokens_into_running_text(tokens: list[str], text: str) -> None:
    assert detokenise(tokens) == text
