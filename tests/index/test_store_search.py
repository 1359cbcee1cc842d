"""How wide Chroma's vector index searches: the configured width, also on stores made before it was
set, and with it the exact nearest neighbours, so a question retrieves the same passages in every
process."""

from pathlib import Path

import chromadb
import numpy as np

from index.settings import StoreSettings
from index.store import Store


def widths(store: Store) -> list[int]:
    store.records()  # opens the collections
    return [c.configuration["hnsw"]["ef_search"] for c in (store.chunks, store.articles_col)]


def test_a_new_store_searches_as_wide_as_configured(tmp_path: Path) -> None:
    assert widths(Store(StoreSettings(path=tmp_path, search_ef=300), "fake-8")) == [300, 300]


def test_a_store_made_with_chromas_default_width_is_widened(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(str(tmp_path))
    for name in ("news_chunks", "news_articles"):
        client.get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
    assert client.get_collection("news_chunks").configuration["hnsw"]["ef_search"] == 100
    assert widths(Store(StoreSettings(path=tmp_path), "fake-8")) == [400, 400]


def test_the_configured_width_finds_the_exact_nearest_chunks(tmp_path: Path) -> None:
    store = Store(StoreSettings(path=tmp_path), "fake-32")
    store.records()
    vectors = np.random.default_rng(0).standard_normal((1500, 32)).astype(np.float32)
    for lo in range(0, len(vectors), 500):
        ids = [str(i) for i in range(lo, lo + 500)]
        store.chunks.add(ids=ids, embeddings=vectors[lo : lo + 500])
    queries = np.random.default_rng(1).standard_normal((20, 32)).astype(np.float32)
    found = store.chunks.query(query_embeddings=queries, n_results=40, include=[])["ids"]
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = [[str(i) for i in np.argsort(-(unit @ q))[:40]] for q in queries]
    assert found == exact
