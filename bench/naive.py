"""The naive LangChain baseline: fixed-size character chunks, MiniLM embeddings, Chroma, top-k.

This is the retrieval a LangChain tutorial builds: `RecursiveCharacterTextSplitter(1000, 200)` over
the raw documents, `HuggingFaceEmbeddings` with the same packaged all-MiniLM-L6-v2 model, a cosine
`langchain_chroma.Chroma` and `similarity_search`. The index is persisted in a folder and reused
when a marker file says it was completed for the same corpus.

Its responder is the "stuff" chain of the tutorials without a model: the answer is the top-4 chunks
joined, each cited as a whole, so answer metrics can be computed for the baseline too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer import Answer, Citation

log = logging.getLogger(__name__)

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
_DONE = "naive-complete"
_ADD_BATCH = 256
STUFFED = 4  # LangChain's default k: the chunks "stuffed" into the answer


@dataclass(frozen=True)
class NaiveHit:
    """One retrieved chunk: its document, its text and where it starts there (-1 when unknown)."""

    source: str
    text: str
    start: int


def stuff(question: str, hits: Sequence[NaiveHit]) -> Answer:
    """The naive answer: the retrieved chunks joined, chunk n cited as `[n]` with its whole text."""
    citations = tuple(
        Citation(n, hit.source, "", "", "", hit.text, hit.start, hit.start + len(hit.text))
        for n, hit in enumerate(hits, start=1)
    )
    text = "\n\n".join(f"{c.quote} [{c.id}]" for c in citations)
    return Answer(question, text, citations=citations)


class NaiveRetriever:
    """A persisted naive LangChain vector index over (id, text) documents."""

    def __init__(self, folder: Path, model_path: str = "") -> None:
        from index.embed import default_model_path

        self.folder = folder
        self.model_path = model_path or default_model_path()
        self._db: Any = None

    @property
    def db(self) -> Any:
        """The LangChain Chroma vector store, opened on first use."""
        if self._db is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
            from langchain_chroma import Chroma
            from langchain_huggingface import HuggingFaceEmbeddings

            embeddings = HuggingFaceEmbeddings(model_name=self.model_path, model_kwargs={"device": "cpu"})
            self.folder.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(self.folder), settings=ChromaSettings(anonymized_telemetry=False)
            )
            self._db = Chroma(
                collection_name="naive",
                embedding_function=embeddings,
                client=client,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        return self._db

    def ensure_index(self, docs: Sequence[tuple[str, str]]) -> int:
        """Index the documents unless this folder already holds them; returns the chunk count."""
        marker = self.folder / _DONE
        if marker.exists():
            return int(marker.read_text() or 0)
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        chunks = splitter.split_documents(
            [Document(page_content=text, metadata={"source": doc_id}) for doc_id, text in docs]
        )
        ids = [f"{c.metadata['source']}::{i}" for i, c in enumerate(chunks)]
        for lo in range(0, len(chunks), _ADD_BATCH):
            self.db.add_documents(chunks[lo : lo + _ADD_BATCH], ids=ids[lo : lo + _ADD_BATCH])
            log.info("naive index: %d/%d chunks", min(lo + _ADD_BATCH, len(chunks)), len(chunks))
        marker.write_text(str(len(chunks)))
        return len(chunks)

    def search(self, question: str, k: int) -> list[str]:
        """Source ids of the top-k chunks of `similarity_search`, best first (one per chunk)."""
        return [hit.source for hit in self.hits(question, k)]

    def hits(self, question: str, k: int) -> list[NaiveHit]:
        """The top-k chunks of `similarity_search`, best first."""
        return [
            NaiveHit(doc.metadata["source"], doc.page_content, int(doc.metadata.get("start_index", -1)))
            for doc in self.db.similarity_search(question, k=k)
        ]
