"""How wide Chroma's vector index searches: the configured width, also on stores made before it was
set, and with it the exact nearest neighbours, so a question retrieves the same passages in every
process."""

import subprocess
import sys
from pathlib import Path

import chromadb
import numpy as np

from index.settings import StoreSettings
from index.store import Store


def vectors_of(n: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal((n, 32)).astype(np.float32)


QUERIES = np.random.default_rng(1).standard_normal((20, 32)).astype(np.float32)


def exact(vectors: np.ndarray) -> list[list[str]]:
    """The ids of the 40 nearest vectors to each query by cosine, by brute force."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return [[str(i) for i in np.argsort(-(unit @ q))[:40]] for q in QUERIES]


LATER_PROCESS = """
import sys
from pathlib import Path
from index.settings import StoreSettings
from index.store import Store
from tests.index.test_store_search import QUERIES, exact, vectors_of
store = Store(StoreSettings(path=Path(sys.argv[1])), "fake-32")
store.records()
print(*[c.configuration["hnsw"]["ef_search"] for c in (store.chunks, store.articles_col)])
found = store.chunks.query(query_embeddings=QUERIES, n_results=40, include=[])["ids"]
print("exact" if found == exact(vectors_of(1500)) else "approximate")
"""


def widths(store: Store) -> list[int]:
    store.records()  # opens the collections
    return [c.configuration["hnsw"]["ef_search"] for c in (store.chunks, store.articles_col)]


def test_a_new_store_searches_as_wide_as_configured(tmp_path: Path) -> None:
    assert widths(Store(StoreSettings(path=tmp_path, search_ef=300), "fake-8")) == [300, 300]


def test_a_store_made_with_chromas_default_width_is_widened_when_opened(tmp_path: Path) -> None:
    """A store made at Chroma's default width (100), whose neighbours are approximate (and differ
    from one process to the next), is searched at the configured width by a later process that opens
    it, before its index is loaded, and finds the exact ones."""
    client = chromadb.PersistentClient(str(tmp_path))
    for name in ("news_chunks", "news_articles"):
        client.get_or_create_collection(
            name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
    chunks = client.get_collection("news_chunks")
    vectors = vectors_of(1500)
    for lo in range(0, len(vectors), 500):
        chunks.add(ids=[str(i) for i in range(lo, lo + 500)], embeddings=vectors[lo : lo + 500])
    assert chunks.configuration["hnsw"]["ef_search"] == 100
    later = subprocess.run(
        [sys.executable, "-c", LATER_PROCESS, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert later.stdout.split() == ["400", "400", "exact"]


def test_the_configured_width_finds_the_exact_nearest_chunks(tmp_path: Path) -> None:
    store = Store(StoreSettings(path=tmp_path), "fake-32")
    store.records()
    vectors = vectors_of(1500)
    for lo in range(0, len(vectors), 500):
        store.chunks.add(ids=[str(i) for i in range(lo, lo + 500)], embeddings=vectors[lo : lo + 500])
    assert store.chunks.query(query_embeddings=QUERIES, n_results=40, include=[])["ids"] == exact(vectors)
