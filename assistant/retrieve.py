"""Hybrid retrieval: dense (Chroma) and BM25 over the same chunks, fused by reciprocal rank, then
diversified so that every article with a version of the answer gets a place.

The BM25 index and the article snapshot are rebuilt only when the store's generation changes, so a
question costs one query embedding, one Chroma query and one BM25 scoring pass over the postings of
its terms (`assistant.bm25`).
"""

from __future__ import annotations

import logging
import math
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.answer import Passage
from assistant.bm25 import SparseBM25
from assistant.text.terms import content_terms
from index.article import Chunk
from index.settings import RetrievalSettings
from index.store import Store, published_day

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filters:
    """Restrict answers to some outlets, some stories and a publication-date range (ISO dates,
    inclusive)."""

    outlets: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    stories: tuple[str, ...] = ()

    def admits(self, chunk: Chunk) -> bool:
        """True when a chunk passes the filters."""
        if self.outlets and chunk.outlet not in self.outlets:
            return False
        if self.stories and chunk.story not in self.stories:
            return False
        day = published_day(chunk.published)
        if self.date_from and (not day or day < published_day(self.date_from)):
            return False
        return not (self.date_to and (not day or day > published_day(self.date_to)))

    def where(self, story_articles: Sequence[str] = ()) -> dict[str, Any] | None:
        """The same filters as a Chroma `where` clause; chunks do not store their story, so a story
        filter is given as the ids of the stories' articles."""
        clauses: list[dict[str, Any]] = []
        if self.stories:
            clauses.append({"article_id": {"$in": list(story_articles) or [""]}})
        if self.outlets:
            clauses.append({"outlet": {"$in": list(self.outlets)}})
        if self.date_from:
            clauses.append({"published_day": {"$gte": published_day(self.date_from)}})
        if self.date_to:
            clauses.append({"published_day": {"$lte": published_day(self.date_to)}})
            clauses.append({"published_day": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class _Snapshot:
    generation: str
    chunks: list[Chunk]
    by_key: dict[tuple[str, int], int]
    current: dict[str, str]
    bm25: SparseBM25


class Retriever:
    """Finds the passages for a question in one store."""

    def __init__(self, store: Store, embedder: Embeddings, settings: RetrievalSettings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._snapshot: _Snapshot | None = None
        self._lock = threading.Lock()
        self._vectors: dict[str, list[float]] = {}

    def snapshot(self) -> _Snapshot:
        """The current chunk set and BM25 index, reloaded when the store has changed."""
        generation = self.store.generation()
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != generation:
                self._snapshot = self._load(generation)
            return self._snapshot

    def _load(self, generation: str) -> _Snapshot:
        chunks = self.store.all_chunks()
        bm25 = SparseBM25(content_terms(c.text) for c in chunks)
        current = {r.id: r.source_hash for r in self.store.records().values()}
        log.info("loaded %d chunks for retrieval (generation %s)", len(chunks), generation)
        by_key = {(c.article_id, c.index): i for i, c in enumerate(chunks)}
        return _Snapshot(generation, chunks, by_key, current, bm25)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a stemmed term over chunks; unseen terms weigh most."""
        snap = self.snapshot()
        n = max(len(snap.chunks), 1)
        return math.log((n + 1) / (snap.bm25.df(term) + 0.5))

    def knows(self, term: str) -> bool:
        """Whether any chunk contains a stemmed term."""
        return self.snapshot().bm25.df(term) > 0

    def knows_derived(self, stem: str, letters: int) -> bool:
        """Whether any chunk contains a stemmed term that is `stem` with at most `letters` more
        ("biblic" for "bibl")."""
        return any(len(t) - len(stem) <= letters for t in self.snapshot().bm25.starting_with(stem))

    def retrieve(self, question: str, filters: Filters | None = None, k: int | None = None) -> list[Passage]:
        """The top passages for a question, fused, diversified and numbered from 1."""
        snap = self.snapshot()
        if not snap.chunks:
            return []
        filters = filters or Filters()
        k = k or self.settings.top_k
        dense = self._dense(question, filters, snap)
        sparse = self._sparse(question, filters, snap)
        fused = _rrf([dense, sparse], self.settings.rrf_k)
        chosen = _diversify(fused, snap.chunks, k, self.settings.per_article)
        return [Passage(n, snap.chunks[i], score) for n, (i, score) in enumerate(chosen, start=1)]

    def article_chunks(self, article_ids: Iterable[str]) -> dict[str, list[Chunk]]:
        """Every chunk of each article, in article order, read from one snapshot of the store (none
        for an article not in it)."""
        snap = self.snapshot()
        out: dict[str, list[Chunk]] = {}
        for article_id in article_ids:
            chunks = out[article_id] = []
            while (key := (article_id, len(chunks))) in snap.by_key:
                chunks.append(snap.chunks[snap.by_key[key]])
        return out

    def query_vector(self, question: str) -> list[float]:
        """The question's embedding, cached: retrieval and sentence scoring share it."""
        cached = self._vectors.get(question)
        if cached is None:
            cached = self.embedder.embed_query(_wording(question))
            self._vectors[question] = cached
            while len(self._vectors) > 256:  # oldest first; other threads may be evicting too
                try:
                    self._vectors.pop(next(iter(self._vectors)), None)
                except (RuntimeError, StopIteration):
                    break
        return cached

    def _dense(self, question: str, filters: Filters, snap: _Snapshot) -> list[int]:
        vector = self.query_vector(question)
        members = (
            sorted({c.article_id for c in snap.chunks if c.story in filters.stories})
            if filters.stories
            else []
        )
        found = self.store.search(
            vector, self.settings.candidates, filters.where(members), current=snap.current
        )
        return [
            snap.by_key[key] for s in found if (key := (s.chunk.article_id, s.chunk.index)) in snap.by_key
        ]

    def _sparse(self, question: str, filters: Filters, snap: _Snapshot) -> list[int]:
        terms = content_terms(question)
        if not terms:
            return []
        return snap.bm25.top(terms, self.settings.candidates, lambda i: filters.admits(snap.chunks[i]))


def _rrf(rankings: Sequence[Sequence[int]], k: int) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each list adds 1/(k + rank) to an item's score."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _diversify(
    fused: list[tuple[int, float]], chunks: list[Chunk], k: int, per_article: int
) -> list[tuple[int, float]]:
    """Take fused results in order, at most `per_article` from one article; fill up if short."""
    taken: list[tuple[int, float]] = []
    per: Counter[str] = Counter()
    for item, score in fused:
        article = chunks[item].article_id
        if per[article] < per_article:
            taken.append((item, score))
            per[article] += 1
        if len(taken) == k:
            return taken
    chosen = {i for i, _ in taken}
    for item, score in fused:
        if len(taken) == k:
            break
        if item not in chosen:
            taken.append((item, score))
    return taken


def _wording(question: str) -> str:
    """The question without pictographs and other symbols ("📞", flags), which say nothing about
    what is asked but move its embedding."""
    kept = "".join(ch for ch in question if unicodedata.category(ch) not in ("So", "Sk"))
    return " ".join(kept.split()) or question
