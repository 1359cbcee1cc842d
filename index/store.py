"""The Chroma store: one collection of chunks, one of articles. With `index/client.py`, the only code
that speaks Chroma; embedded and server stores behave alike.

Writes are ordered so that a build killed at any point leaves a consistent index: an article's new
chunks are added under ids that include its content hash, then its article record is switched to
that hash, and only then are the old chunks deleted. Readers keep only chunks whose hash matches
their article's record, so half-written or half-deleted articles are invisible.

Everything a reader or a build needs to agree on (the generation that tells readers to reload, the
flag of an interrupted build) lives in Chroma itself, in the articles collection's metadata, so
processes on several hosts sharing one Chroma server see the same state. When a server cannot be
reached an operation raises `StoreUnavailable`, and the next one reconnects: a Store outlives an
outage of its server without a restart.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Concatenate, ParamSpec, TypeVar

from index.article import Article, Chunk, Dropped, FeedSource
from index.client import describe, open_client, unavailable, unreachable, where
from index.errors import IndexingError, StoreMismatch, StoreUnavailable, UnknownArticle
from index.settings import StoreSettings
from index.stories import Story
from index.story_pairs import StoryInput, full_text

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_READ_BATCH = 5000


@dataclass(frozen=True)
class ArticleRecord:
    """What the store knows of an article without its text."""

    id: str
    title: str
    outlet: str
    published: str
    url: str
    source_hash: str
    chunks: int
    indexed_at: float
    story: str = ""
    story_label: str = ""


@dataclass(frozen=True)
class ArticleWrite:
    """An article with its chunks and, in the same order, their vectors and text hashes."""

    article: Article
    chunks: Sequence[Chunk]
    vectors: Sequence[Sequence[float]]
    text_hashes: Sequence[str]
    story_input: StoryInput | None = None  # the headline-and-lead vector stories compare


@dataclass(frozen=True)
class ScoredChunk:
    """A chunk found by vector search, with its cosine similarity to the query."""

    chunk: Chunk
    score: float


def published_day(published: str) -> int:
    """A date as an integer YYYYMMDD, for range filters; 0 when unknown."""
    digits = published[:10].replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


def _guarded(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """A store operation: an unreachable server raises `StoreUnavailable` and the next call
    reconnects; collections deleted meanwhile (a reset by another process) are reopened once."""

    @functools.wraps(method)
    def call(self: Store, *args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in (1, 2):
            self._open()
            try:
                return method(self, *args, **kwargs)
            except IndexingError:
                raise
            except Exception as err:
                if unreachable(err):
                    self._fresh, self._lost = False, True
                    raise unavailable(self.settings, err) from err
                if attempt == 2 or not _collection_gone(err):
                    raise
                log.info("a Chroma collection was deleted elsewhere; reopening the store")
                self._fresh = False
        raise AssertionError("not reached")

    return call


class Store:
    """Articles and their embedded chunks in Chroma, cosine space, our own embeddings only.

    A server store that cannot be reached when it is made still makes a Store: its operations raise
    `StoreUnavailable` until the server answers, so an app can start before its Chroma server.
    """

    def __init__(self, settings: StoreSettings, embedding_model: str, client: Any = None) -> None:
        self.settings = settings
        self.embedding_model = embedding_model
        self.client = client
        self._owns_client = client is None
        self._lock = threading.Lock()
        self._fresh = False  # whether the collection handles are good to use
        self._lost = False  # whether the server was lost: its client may hold dead connections
        self._batch_size: int | None = None
        try:
            self._open()
        except StoreUnavailable as err:
            if not settings.host:
                raise
            log.info("%s; will connect on first use", err)

    def close(self) -> None:
        """Release the client if this store opened it."""
        if self._owns_client and self.client is not None:
            _close_quietly(self.client)
            self.client = None
            self._fresh = False

    @_guarded
    def reset(self) -> None:
        """Delete everything in the store."""
        from chromadb.errors import NotFoundError

        for name in (*self._names(), self._feeds_name()):
            with contextlib.suppress(NotFoundError):  # already gone: another process reset it too
                self.client.delete_collection(name)
        self._fresh = False
        self._open()

    def _open(self) -> None:
        """Connect, or reconnect after a failure; a no-op while the connection is good."""
        if self._fresh:
            return
        with self._lock:
            if self._fresh:
                return
            if self.client is None or (self._lost and self._owns_client):
                old, self.client = self.client, open_client(self.settings)
                if old is not None:
                    _close_quietly(old)
            try:
                self._open_collections()
            except StoreUnavailable:
                self._lost = True
                raise
            self._fresh, self._lost = True, False

    def _open_collections(self) -> None:
        config = {"hnsw": {"space": "cosine", "ef_search": self.settings.search_ef}}
        meta = {"embedding_model": self.embedding_model}
        try:
            chunks, articles = [
                self.client.get_or_create_collection(
                    name, configuration=config, metadata=meta, embedding_function=None
                )
                for name in self._names()
            ]
        except Exception as err:
            if unreachable(err):
                raise unavailable(self.settings, err) from err
            raise StoreUnavailable(
                f"cannot open the Chroma collections at {where(self.settings)}: {describe(err)}"
            ) from err
        stored_model = (chunks.metadata or {}).get("embedding_model")
        if stored_model and stored_model != self.embedding_model:
            raise StoreMismatch(
                f"the store was built with embedding model {stored_model}, not {self.embedding_model}; "
                "rebuild it with --reset"
            )
        for collection in (chunks, articles):
            _search_as_configured(collection, self.settings.search_ef)
        self.chunks, self.articles_col = chunks, articles
        self._batch_size = None

    def _names(self) -> tuple[str, str]:
        return f"{self.settings.collection}_chunks", f"{self.settings.collection}_articles"

    # --- articles -----------------------------------------------------------------------------

    @_guarded
    def records(self) -> dict[str, ArticleRecord]:
        """Every article in the store, by id, without text."""
        out = {}
        for ids, metas, _ in self._scan(self.articles_col, ["metadatas"]):
            for article_id, meta in zip(ids, metas, strict=True):
                out[article_id] = _record(article_id, meta)
        return out

    @_guarded
    def article(self, article_id: str) -> Article:
        """The cleaned article with its text and what cleaning dropped."""
        got = self.articles_col.get(ids=[article_id], include=["documents", "metadatas"])
        if not got["ids"]:
            raise UnknownArticle(f"no article with id {article_id!r}")
        meta = got["metadatas"][0]
        dropped = tuple(Dropped(d["text"], d["reason"]) for d in json.loads(meta.get("dropped", "[]")))
        return Article(
            id=article_id,
            text=got["documents"][0],
            title=meta.get("title", ""),
            outlet=meta.get("outlet", ""),
            published=meta.get("published", ""),
            url=meta.get("url", ""),
            source_hash=meta.get("source_hash", ""),
            dropped=dropped,
            story=meta.get("story", ""),
            story_label=meta.get("story_label", ""),
        )

    def write_article(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        text_hashes: Sequence[str],
    ) -> None:
        """Add or replace an article and its chunks, in the crash-safe order described above."""
        self.write_articles([ArticleWrite(article, chunks, vectors, text_hashes)])

    @_guarded
    def write_articles(self, writes: Sequence[ArticleWrite]) -> None:
        """Add or replace several articles, each in the crash-safe order described above.

        One Chroma call per step for the whole batch: a call costs tens of milliseconds whatever
        its size, so writing articles one by one took longer than embedding them.
        """
        if not writes:
            return
        article_ids = [w.article.id for w in writes]
        old = self.chunks.get(where={"article_id": {"$in": article_ids}}, include=[])["ids"]
        ids = [_chunk_key(w.article, c) for w in writes for c in w.chunks]
        vectors = [list(v) for w in writes for v in w.vectors]
        texts = [c.text for w in writes for c in w.chunks]
        metas = [
            _chunk_meta(w.article, c, h) for w in writes for c, h in zip(w.chunks, w.text_hashes, strict=True)
        ]
        step = self._batch()
        for lo in range(0, len(ids), step):
            hi = lo + step
            self.chunks.upsert(
                ids=ids[lo:hi], embeddings=vectors[lo:hi], documents=texts[lo:hi], metadatas=metas[lo:hi]
            )
        for lo in range(0, len(writes), step):
            part = writes[lo : lo + step]
            self.articles_col.upsert(
                ids=[w.article.id for w in part],
                embeddings=[_article_vector(w) for w in part],
                documents=[w.article.text for w in part],
                metadatas=[_article_meta(w, len(w.chunks)) for w in part],
            )
        stale = sorted(set(old) - set(ids))
        if stale:
            self.chunks.delete(ids=stale)

    @_guarded
    def story_inputs(self, written: Mapping[str, StoryInput] | None = None) -> list[StoryInput]:
        """What story assignment compares of every article, with the story each is in now.

        `written` holds the inputs of articles this process has just written (`describe`'s): when
        they are most of the store (a first build), their vectors and texts are taken from it and
        only the other records' are read back."""
        col = self.articles_col
        written = written if written and len(written) * 2 >= col.count() else {}
        include = ["metadatas"] if written else ["metadatas", "embeddings", "documents"]
        out: dict[str, StoryInput | None] = {}
        unread: dict[str, dict[str, Any]] = {}
        for got in _pages(col, include):
            for row, (article_id, meta) in enumerate(zip(got["ids"], got["metadatas"], strict=True)):
                if article_id in written:
                    out[article_id] = replace(  # its record holds the same title, date and text
                        written[article_id],
                        story=meta.get("story", ""),
                        story_label=meta.get("story_label", ""),
                        placed_by=meta.get("story_model", ""),
                    )
                elif written:
                    out[article_id], unread[article_id] = None, meta  # read below, in order
                else:
                    out[article_id] = _story_input(
                        article_id, meta, got["embeddings"][row], got["documents"][row]
                    )
        ids = list(unread)
        for lo in range(0, len(ids), _READ_BATCH):
            got = col.get(ids=ids[lo : lo + _READ_BATCH], include=["embeddings", "documents"])
            for article_id, vector, text in zip(got["ids"], got["embeddings"], got["documents"], strict=True):
                out[article_id] = _story_input(article_id, unread[article_id], vector, text)
        return [x for x in out.values() if x is not None]

    @_guarded
    def set_stories(
        self, stories: Sequence[Story], model: str = "", inputs: Sequence[StoryInput] | None = None
    ) -> int:
        """Record each article's story, label and the fingerprint of the `model` that placed it,
        where they changed; returns how many records changed story or label. `inputs`, when given,
        are the records as `story_inputs` just read them, so they are not read again."""
        current = (
            {x.id: (x.story, x.story_label, x.placed_by) for x in inputs}
            if inputs is not None
            else {
                article_id: (meta.get("story", ""), meta.get("story_label", ""), meta.get("story_model", ""))
                for ids, metas, _ in self._scan(self.articles_col, ["metadatas"])
                for article_id, meta in zip(ids, metas, strict=True)
            }
        )
        changed = [
            (member, story.id, story.label)
            for story in stories
            for member in story.members
            if member in current and current[member] != (story.id, story.label, model)
        ]
        step = self._batch()
        for lo in range(0, len(changed), step):
            part = changed[lo : lo + step]
            self.articles_col.update(
                ids=[member for member, _, _ in part],
                metadatas=[
                    {"story": story, "story_label": label, "story_model": model} for _, story, label in part
                ],
            )
        return sum(current[member][:2] != (story, label) for member, story, label in changed)

    @_guarded
    def delete_article(self, article_id: str) -> None:
        """Remove an article: its record first (it vanishes for readers), then its chunks."""
        self.articles_col.delete(ids=[article_id])
        self.chunks.delete(where={"article_id": article_id})

    # --- feeds --------------------------------------------------------------------------------

    @_guarded
    def feeds(self) -> dict[str, FeedSource]:
        """The RSS and Atom feeds articles were taken from, by URL."""
        got = self._feeds().get(include=["metadatas"])
        return {
            url: FeedSource(url, meta.get("title", ""), float(meta.get("read_at", 0.0)))
            for url, meta in zip(got["ids"], got["metadatas"], strict=True)
        }

    @_guarded
    def remember_feeds(self, feeds: Sequence[FeedSource]) -> None:
        """Add feeds, or update their title and the time they were read."""
        if feeds:
            self._feeds().upsert(
                ids=[f.url for f in feeds],
                embeddings=[[1.0] for _ in feeds],  # Chroma wants a vector; feeds are never searched
                metadatas=[{"title": f.title, "read_at": f.read_at} for f in feeds],
            )

    @_guarded
    def forget_feed(self, url: str) -> None:
        """Stop reading a feed; the articles taken from it stay."""
        self._feeds().delete(ids=[url])

    def _feeds(self) -> Any:
        return self.client.get_or_create_collection(self._feeds_name(), embedding_function=None)

    def _feeds_name(self) -> str:
        return f"{self.settings.collection}_feeds"

    # --- chunks -------------------------------------------------------------------------------

    @_guarded
    def vectors_by_text_hash(self, hashes: Iterable[str]) -> dict[str, list[float]]:
        """Stored embeddings of chunks with these text hashes: identical text is embedded once."""
        wanted = sorted(set(hashes))
        found: dict[str, list[float]] = {}
        for lo in range(0, len(wanted), 500):
            got = self.chunks.get(
                where={"text_hash": {"$in": wanted[lo : lo + 500]}}, include=["metadatas", "embeddings"]
            )
            for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True):
                found[meta["text_hash"]] = [float(x) for x in vector]
        return found

    @_guarded
    def all_chunks(self) -> list[Chunk]:
        """Every chunk of every current article (stale or half-written chunks excluded), each with
        its article's story."""
        records = self.records()
        out = []
        for _ids, metas, docs in self._scan(self.chunks, ["metadatas", "documents"]):
            for meta, doc in zip(metas, docs, strict=True):
                record = records.get(meta["article_id"])
                if record is not None and record.source_hash == meta["source_hash"]:
                    out.append(replace(_chunk(meta, doc), story=record.story))
        out.sort(key=lambda c: (c.article_id, c.index))
        return out

    @_guarded
    def search(
        self,
        vector: Sequence[float],
        k: int,
        where: dict[str, Any] | None = None,
        current: dict[str, str] | None = None,
    ) -> list[ScoredChunk]:
        """The k chunks nearest to a query vector, optionally filtered on chunk metadata; `current`
        (article id -> source hash, from `records()`) saves re-reading the article records."""
        count = self.chunks.count()
        if count == 0:
            return []
        got = self.chunks.query(
            query_embeddings=[list(vector)],
            n_results=min(k, count),
            where=where or None,
            include=["metadatas", "documents", "distances"],
        )
        if current is None:
            current = {r.id: r.source_hash for r in self.records().values()}
        out = []
        for meta, doc, dist in zip(
            got["metadatas"][0], got["documents"][0], got["distances"][0], strict=True
        ):
            if current.get(meta["article_id"]) == meta["source_hash"]:
                out.append(ScoredChunk(_chunk(meta, doc), 1.0 - float(dist)))
        return out

    @_guarded
    def generation(self) -> str:
        """Changes whenever articles are written or deleted, so readers know to reload."""
        col = self.client.get_collection(self.articles_col.name)  # fresh metadata, not the handle's
        return str((col.metadata or {}).get("generation", "0"))

    @_guarded
    def touch(self, writing: bool = False) -> None:
        """Mark the store as changed; `writing` stays set while a build is writing, so the next
        build knows whether the last one was interrupted."""
        meta = {
            "embedding_model": self.embedding_model,
            "generation": f"{time.time():.6f}",
            "writing": writing,
        }
        self.articles_col.modify(metadata=meta)

    @_guarded
    def interrupted(self) -> bool:
        """Whether a build stopped while writing (killed or interrupted)."""
        col = self.client.get_collection(self.articles_col.name)
        return bool((col.metadata or {}).get("writing", False))

    @_guarded
    def sweep(self) -> int:
        """Delete chunks that no current article record owns (left by an interrupted build)."""
        current = {r.id: r.source_hash for r in self.records().values()}
        stale = [
            chunk_id
            for ids, metas, _ in self._scan(self.chunks, ["metadatas"])
            for chunk_id, meta in zip(ids, metas, strict=True)
            if current.get(meta["article_id"]) != meta["source_hash"]
        ]
        for lo in range(0, len(stale), self._batch()):
            self.chunks.delete(ids=stale[lo : lo + self._batch()])
        return len(stale)

    @_guarded
    def chunk_count(self) -> int:
        """Number of stored chunk records."""
        return int(self.chunks.count())

    def _batch(self) -> int:
        if self._batch_size is None:  # over HTTP, asking costs a request
            try:
                self._batch_size = min(int(self.client.get_max_batch_size()), 1000)
            except Exception as err:
                if unreachable(err):
                    raise
                self._batch_size = 500
        return self._batch_size

    def _scan(
        self, col: Any, include: list[str], vectors: bool = False
    ) -> Iterator[tuple[list[str], list[Any], list[Any]]]:
        """Batches of (ids, metadatas, documents), or of (ids, metadatas, embeddings) with `vectors`."""
        for got in _pages(col, include):
            metas = got.get("metadatas") or [None] * len(got["ids"])
            third = got.get("embeddings") if vectors else got.get("documents")
            yield got["ids"], metas, list(third) if third is not None else [None] * len(got["ids"])


def _pages(col: Any, include: list[str]) -> Iterator[dict[str, Any]]:
    """The collection's records in batches, as Chroma's `get` returns them."""
    offset = 0
    while True:
        got = col.get(include=include, limit=_READ_BATCH, offset=offset)
        if not got["ids"]:
            return
        yield got
        offset += len(got["ids"])


def _collection_gone(err: Exception) -> bool:
    from chromadb.errors import NotFoundError

    return isinstance(err, NotFoundError)


def _search_as_configured(collection: Any, search_ef: int) -> None:
    """Give a collection made before `search_ef` was set (or with another value) the configured
    search width; Chroma keeps a collection's first configuration otherwise. Called before the
    collection is first searched: an index already loaded in this process keeps its old width."""
    hnsw = (collection.configuration or {}).get("hnsw") or {}
    if hnsw.get("ef_search") == search_ef:
        return
    try:
        collection.modify(configuration={"hnsw": {"ef_search": search_ef}})
    except Exception as err:  # a server that cannot change it still answers, approximately
        log.warning("could not set the search width of %s: %s", collection.name, err)


def _close_quietly(client: Any) -> None:
    try:
        client.close()
    except Exception as err:  # closing a client of a dead server may fail; nothing to do about it
        log.debug("closing a Chroma client failed: %s", err)


def _chunk_key(article: Article, chunk: Chunk) -> str:
    return f"{article.id}::{article.source_hash[:12]}::{chunk.index}"


def _chunk_meta(article: Article, chunk: Chunk, text_hash: str) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "published_day": published_day(article.published),
        "url": article.url,
        "source_hash": article.source_hash,
        "text_hash": text_hash,
    }


def _chunk(meta: dict[str, Any], text: str) -> Chunk:
    return Chunk(
        article_id=meta["article_id"],
        index=int(meta["index"]),
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        title=meta.get("title", ""),
        outlet=meta.get("outlet", ""),
        published=meta.get("published", ""),
        url=meta.get("url", ""),
    )


def _article_vector(write: ArticleWrite) -> list[float]:
    """An article record's vector: its headline and lead, which stories compare, when known;
    else the mean of its chunks'."""
    if write.story_input is not None:
        return list(write.story_input.vector)
    return _mean(write.vectors)


def _story_input(article_id: str, meta: dict[str, Any], vector: Any, text: str | None) -> StoryInput:
    title = meta.get("title", "")
    return StoryInput(
        id=article_id,
        title=title,
        published=meta.get("published", ""),
        vector=tuple(float(x) for x in vector),
        story=meta.get("story", ""),
        story_label=meta.get("story_label", ""),
        text=full_text(title, text or ""),
        placed_by=meta.get("story_model", ""),
    )


def _article_meta(write: ArticleWrite, chunk_count: int) -> dict[str, Any]:
    article = write.article
    dropped = [{"text": d.text, "reason": d.reason} for d in article.dropped]
    return {
        **article.metadata(),
        "story": article.story,
        "story_label": article.story_label,
        "published_day": published_day(article.published),
        "source_hash": article.source_hash,
        "chunks": chunk_count,
        "dropped": json.dumps(dropped),
        "indexed_at": time.time(),
    }


def _record(article_id: str, meta: dict[str, Any]) -> ArticleRecord:
    return ArticleRecord(
        id=article_id,
        title=meta.get("title", ""),
        outlet=meta.get("outlet", ""),
        published=meta.get("published", ""),
        url=meta.get("url", ""),
        source_hash=meta.get("source_hash", ""),
        chunks=int(meta.get("chunks", 0)),
        indexed_at=float(meta.get("indexed_at", 0.0)),
        story=meta.get("story", ""),
        story_label=meta.get("story_label", ""),
    )


def _mean(vectors: Sequence[Sequence[float]]) -> list[float]:
    if not vectors:
        return [0.0]
    dims = len(vectors[0])
    total = [sum(v[i] for v in vectors) for i in range(dims)]
    norm = sum(x * x for x in total) ** 0.5 or 1.0
    return [x / norm for x in total]
