"""Chunking: exact offsets, whole sentences, overlap, size, and sentences longer than a chunk."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.article import Article, Chunk
from index.chunk import chunk_article
from index.load import read_documents
from index.prepare import prepare
from index.sentences import sentence_spans

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "articles"


def article_of(text: str, title: str = "", outlet: str = "", published: str = "", url: str = "") -> Article:
    return Article(id="a.txt", text=text, title=title, outlet=outlet, published=published, url=url)


def numbered_sentences(count: int, words: int = 8) -> str:
    return " ".join(f"Sentence {n} has " + " ".join(["word"] * words) + "." for n in range(count))


def check_invariants(article: Article, chunks: list[Chunk], chunk_chars: int) -> None:
    """What every chunking must satisfy, whatever the text."""
    spans = list(sentence_spans(article.text))
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text == article.text[chunk.start : chunk.end]
        assert chunk.article_id == article.id
        assert chunk.start in starts and chunk.end in ends, "chunks hold whole sentences"
        inside = [s for s in spans if chunk.start <= s[0] and s[1] <= chunk.end]
        assert len(chunk.text) <= chunk_chars or len(inside) == 1, "only a lone sentence may be oversize"
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start and before.end < after.end
        assert after.start <= before.end or article.text[before.end : after.start].strip() == ""
    # Every sentence lies wholly inside some chunk.
    for a, b in spans:
        assert any(c.start <= a and b <= c.end for c in chunks)


@pytest.mark.parametrize("chunk_chars", [80, 200, 700, 5000])
@pytest.mark.parametrize("overlap", [0, 1, 2])
def test_invariants_on_generated_text(chunk_chars: int, overlap: int) -> None:
    article = article_of(numbered_sentences(30) + "\n" + numbered_sentences(5, words=3))
    chunks = chunk_article(article, chunk_chars, overlap)
    check_invariants(article, chunks, chunk_chars)


@pytest.mark.parametrize("path", sorted(SAMPLE_DIR.glob("*.txt")), ids=lambda p: p.name)
@pytest.mark.parametrize("chunk_chars", [300, 700])
def test_invariants_on_sample_articles(path: Path, chunk_chars: int) -> None:
    article = prepare(read_documents(path, path.name, path.read_bytes())[0])
    chunks = chunk_article(article, chunk_chars, 1)
    assert len(chunks) >= 2
    check_invariants(article, chunks, chunk_chars)


def test_overlap_repeats_the_last_sentence_of_the_previous_chunk() -> None:
    article = article_of(numbered_sentences(12))
    spans = list(sentence_spans(article.text))
    chunks = chunk_article(article, chunk_chars=200, overlap_sentences=1)
    assert len(chunks) >= 3
    for before, after in itertools.pairwise(chunks):
        last_sentence = next(s for s in spans if s[1] == before.end)
        assert after.start == last_sentence[0]
        assert after.text.startswith(article.text[last_sentence[0] : last_sentence[1]])


def test_two_sentence_overlap() -> None:
    article = article_of(numbered_sentences(12))
    spans = list(sentence_spans(article.text))
    chunks = chunk_article(article, chunk_chars=250, overlap_sentences=2)
    for before, after in itertools.pairwise(chunks):
        ends = [s[1] for s in spans]
        second_last = spans[ends.index(before.end) - 1]
        assert after.start == second_last[0]


def test_no_overlap_gives_disjoint_chunks_covering_every_sentence() -> None:
    article = article_of(numbered_sentences(12))
    chunks = chunk_article(article, chunk_chars=200, overlap_sentences=0)
    for before, after in itertools.pairwise(chunks):
        assert after.start > before.end
    covered = " ".join(c.text for c in chunks)
    assert covered == article.text


def test_a_very_long_sentence_is_a_chunk_of_its_own() -> None:
    long_sentence = "The report lists " + ", ".join(f"item {n}" for n in range(400)) + "."
    text = f"A short opening sentence. {long_sentence} A short closing sentence."
    article = article_of(text)
    chunks = chunk_article(article, chunk_chars=300, overlap_sentences=1)
    assert [c.text for c in chunks] == [
        "A short opening sentence.",
        long_sentence,
        "A short closing sentence.",
    ]
    check_invariants(article, chunks, 300)


def test_a_text_that_is_one_long_sentence() -> None:
    text = "word " * 500 + "end."
    article = article_of(text.strip())
    (chunk,) = chunk_article(article, chunk_chars=100, overlap_sentences=1)
    assert chunk.text == article.text


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_has_no_chunks(text: str) -> None:
    assert chunk_article(article_of(text)) == []


def test_a_short_article_is_one_chunk_with_its_metadata() -> None:
    article = article_of(
        "One sentence. Another sentence.",
        title="T",
        outlet="O",
        published="2025-01-02",
        url="https://x.example",
    )
    (chunk,) = chunk_article(article)
    assert chunk == Chunk(
        "a.txt", 0, 0, len(article.text), article.text, "T", "O", "2025-01-02", "https://x.example"
    )
    assert chunk.id == "a.txt::0"


def test_chunking_is_deterministic() -> None:
    article = article_of(numbered_sentences(40))
    assert chunk_article(article, 300, 1) == chunk_article(article, 300, 1)


_SENTENCE = st.builds(
    lambda words, stop: " ".join(words) + stop,
    st.lists(
        st.sampled_from(["Alpha", "beta", "U.S.", "Sen.", "42", "gamma", "delta" * 8]),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([".", "!", "?", '."', ""]),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(_SENTENCE, min_size=1, max_size=6), min_size=1, max_size=8),
    st.integers(min_value=20, max_value=600),
    st.integers(min_value=0, max_value=3),
)
def test_invariants_hold_for_any_text(paragraphs: list[list[str]], chunk_chars: int, overlap: int) -> None:
    article = article_of("\n".join(" ".join(p) for p in paragraphs))
    check_invariants(article, chunk_article(article, chunk_chars, overlap), chunk_chars)
