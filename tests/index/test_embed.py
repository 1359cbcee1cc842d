"""The embedder's precision choice, and batched article writes to a real store."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from index.article import Article
from index.chunk import chunk_article
from index.embed import Embedder, resolve_precision
from index.errors import IndexingError


def test_explicit_precisions_are_kept() -> None:
    assert resolve_precision("float32") == "float32"
    assert resolve_precision("bfloat16") == "bfloat16"


def test_auto_picks_a_real_dtype() -> None:
    assert resolve_precision("auto") in ("float32", "bfloat16")


@pytest.mark.parametrize("bad", ["int8", "fp16", "", "BFLOAT16"])
def test_unknown_precision_is_refused_with_the_choices(bad: str) -> None:
    with pytest.raises(IndexingError, match="float32"):
        resolve_precision(bad)


def test_precision_does_not_change_the_store_compatibility_name() -> None:
    assert Embedder(precision="float32").name == Embedder(precision="bfloat16").name


@pytest.mark.slow
def test_bfloat16_vectors_match_float32_and_are_unit_length() -> None:
    texts = [
        "The council approved the budget on Tuesday after a long debate.",
        "Rain is expected across the region for most of the weekend.",
        "The striker scored twice in the second half.",
    ]
    fast = Embedder(precision="bfloat16").embed_documents(texts)
    exact = Embedder(precision="float32").embed_documents(texts)
    for a, b in zip(fast, exact, strict=True):
        assert math.isclose(math.fsum(x * x for x in a), 1.0, abs_tol=1e-5)
        assert math.fsum(x * y for x, y in zip(a, b, strict=True)) > 0.999
    query = Embedder(precision="bfloat16").embed_query("Who scored in the match?")
    scores = [math.fsum(q * d for q, d in zip(query, doc, strict=True)) for doc in fast]
    assert scores.index(max(scores)) == 2


def _article(article_id: str, sentence: str, count: int) -> Article:
    text = " ".join(f"{sentence} number {n}." for n in range(count))
    return Article(id=article_id, text=text, title=article_id, source_hash=f"hash-{article_id}-{count}")


@pytest.mark.slow
def test_batched_writes_store_each_article_and_replace_old_chunks(tmp_path: Path) -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding

    from index.build import text_hash
    from index.settings import StoreSettings
    from index.store import ArticleWrite, Store

    fake = DeterministicFakeEmbedding(size=8)
    store = Store(StoreSettings(path=tmp_path / "store"), "fake-8")

    def write(articles: list[Article]) -> None:
        writes = []
        for article in articles:
            chunks = chunk_article(article, 120, 1)
            texts = [c.text for c in chunks]
            writes.append(
                ArticleWrite(article, chunks, fake.embed_documents(texts), [text_hash(t) for t in texts])
            )
        store.write_articles(writes)

    write([_article("a", "Alpha reports a long sentence", 12), _article("b", "Beta notes", 3)])
    first = {c.article_id for c in store.all_chunks()}
    assert first == {"a", "b"}
    long_a = store.records()["a"].chunks
    assert long_a > 1

    write([_article("a", "Alpha reports a long sentence", 2), _article("c", "Gamma adds", 2)])
    records = store.records()
    assert sorted(records) == ["a", "b", "c"]
    chunks = store.all_chunks()
    assert [c.index for c in chunks if c.article_id == "a"] == list(range(records["a"].chunks))
    assert records["a"].chunks < long_a
    # the replaced article's old chunks are gone from the store, not merely hidden
    assert store.chunk_count() == sum(r.chunks for r in records.values())
    for chunk in chunks:
        assert chunk.text == store.article(chunk.article_id).text[chunk.start : chunk.end]
