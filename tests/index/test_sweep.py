"""A build interrupted after switching an article leaves old chunks; the next build removes them."""

from pathlib import Path

from langchain_core.embeddings import DeterministicFakeEmbedding

from index.article import Article
from index.build import Builder
from index.chunk import chunk_article
from index.settings import IndexSettings, StoreSettings
from index.store import Store


def test_next_build_sweeps_chunks_left_by_an_interrupted_one(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The harbour reopened on Monday. Ferries resumed at noon.")
    embedder = DeterministicFakeEmbedding(size=8)
    store = Store(StoreSettings(path=tmp_path / "store"), "fake-8")
    builder = Builder(store, embedder, IndexSettings())  # type: ignore[arg-type]
    builder.build([folder])
    clean_count = store.chunk_count()

    # What a build killed between switching the record and deleting old chunks leaves behind.
    ghost = Article("a.txt", "An older version of the article.", source_hash="0" * 32)
    chunks = chunk_article(ghost)
    store.chunks.add(
        ids=[f"a.txt::ghost::{c.index}" for c in chunks],
        embeddings=[[0.1] * 8 for _ in chunks],
        documents=[c.text for c in chunks],
        metadatas=[
            {"article_id": "a.txt", "source_hash": ghost.source_hash, "index": c.index} for c in chunks
        ],
    )
    store.touch(writing=True)
    assert store.chunk_count() > clean_count
    assert len(store.all_chunks()) == clean_count  # readers never see them

    report = builder.build([folder])
    assert report.unchanged == ["a.txt"]
    assert store.chunk_count() == clean_count
    assert not store.interrupted()


def test_a_finished_build_is_not_marked_interrupted(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The harbour reopened on Monday.")
    store = Store(StoreSettings(path=tmp_path / "store"), "fake-8")
    Builder(store, DeterministicFakeEmbedding(size=8), IndexSettings()).build([folder])  # type: ignore[arg-type]
    assert not store.interrupted()
