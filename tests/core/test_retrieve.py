"""Hybrid retrieval over a real Chroma store, with a deterministic fake embedding for speed."""

from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant.retrieve import Filters, Retriever, _diversify, _rrf
from index.article import Chunk
from index.build import Builder
from index.settings import IndexSettings, RetrievalSettings, StoreSettings
from index.store import Store

ARTICLES = {
    "a.md": "---\noutlet: Axios\npublished: 2024-01-19\n---\nThe call lasted about 40 minutes. Flour shipments via Ashdod were discussed.\n",
    "b.md": "---\noutlet: Reuters\npublished: 2024-10-09\n---\nThe call ended after about 50 minutes. Harris joined the call.\n",
    "c.md": "---\noutlet: AFP\npublished: 2024-10-10\n---\nThe 30-minute call was productive. Officials met in Paris.\n",
}


@pytest.fixture
def retriever(tmp_path: Path) -> Retriever:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    embedder = DeterministicFakeEmbedding(size=16)
    store = Store(StoreSettings(path=tmp_path / "store"), "fake-16")
    Builder(store, embedder, IndexSettings()).build([folder])  # type: ignore[arg-type]
    return Retriever(store, embedder, RetrievalSettings(top_k=3, per_article=1))


def test_bm25_finds_the_exact_term(retriever: Retriever) -> None:
    passages = retriever.retrieve("Ashdod flour")
    assert passages[0].source == "a.md"
    assert [p.number for p in passages] == list(range(1, len(passages) + 1))


def test_every_article_gets_a_place(retriever: Retriever) -> None:
    sources = {p.source for p in retriever.retrieve("How long did the call last?")}
    assert sources == {"a.md", "b.md", "c.md"}


@pytest.mark.parametrize(
    ("filters", "allowed"),
    [
        (Filters(outlets=("Reuters",)), {"b.md"}),
        (Filters(date_from="2024-10-01"), {"b.md", "c.md"}),
        (Filters(date_to="2024-10-09"), {"a.md", "b.md"}),
        (Filters(outlets=("AFP", "Axios"), date_from="2024-10-01"), {"c.md"}),
    ],
)
def test_filters(retriever: Retriever, filters: Filters, allowed: set[str]) -> None:
    sources = {p.source for p in retriever.retrieve("call minutes", filters)}
    assert sources and sources <= allowed


def test_new_articles_are_seen_after_a_build(retriever: Retriever, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "d.txt").write_text("Zanzibar officials confirmed the harbour reopened.")
    Builder(retriever.store, retriever.embedder, IndexSettings()).build([extra], add_only=True)  # type: ignore[arg-type]
    assert retriever.retrieve("Zanzibar harbour")[0].source == "d.txt"


def test_rrf_rewards_agreement() -> None:
    fused = _rrf([[1, 2, 3], [3, 1, 4]], k=60)
    assert [item for item, _ in fused][:2] == [1, 3]


def test_diversify_caps_each_article_then_fills() -> None:
    chunks = [Chunk("a", i, 0, 1, "x") for i in range(3)] + [Chunk("b", 0, 0, 1, "y")]
    fused = [(0, 0.9), (1, 0.8), (2, 0.7), (3, 0.6)]
    assert [i for i, _ in _diversify(fused, chunks, 2, 1)] == [0, 3]
    assert [i for i, _ in _diversify(fused, chunks, 3, 1)] == [0, 3, 1]


def test_filters_where_clause() -> None:
    assert Filters().where() is None
    assert Filters(outlets=("Axios",)).where() == {"outlet": {"$in": ["Axios"]}}
    clause = Filters(date_from="2024-01-01", date_to="2024-12-31").where()
    assert clause is not None and len(clause["$and"]) == 3


def test_a_stem_with_a_few_letters_more_is_a_derived_form(retriever: Retriever) -> None:
    assert retriever.knows("offici")
    assert retriever.knows_derived("offic", 1)  # "offici", from "Officials"
    assert not retriever.knows_derived("offic", 0)
    assert not retriever.knows_derived("zelvor", 4)


def test_article_chunks_are_every_chunk_of_the_article_in_order(retriever: Retriever, tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    sentences = [f"Paragraph {n} of the inquiry report describes harbour works in detail." for n in range(30)]
    (folder / "long.txt").write_text(" ".join(sentences))
    Builder(retriever.store, retriever.embedder, IndexSettings()).build([folder], add_only=True)  # type: ignore[arg-type]

    found = retriever.article_chunks(["long.txt", "nowhere.txt"])
    chunks = found["long.txt"]
    assert len(chunks) > 2 and [c.index for c in chunks] == list(range(len(chunks)))
    text = " ".join(sentences)
    assert all(text[c.start : c.end] == c.text for c in chunks) and chunks[-1].end == len(text)
    assert found["nowhere.txt"] == []
