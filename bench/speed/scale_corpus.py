"""Scale corpora for the latency benchmark: RAMDocs repeated with perturbed text, up to 1M chunks.

Embedding a million chunks on a 2-core CPU would take days (about 100 chunks/s), so the larger
corpora are made from the embedded RAMDocs store instead:

* copy 0 is the real RAMDocs articles, chunks and vectors (a subset of whole questions below the
  full 2,837 chunks);
* copy c >= 1 of an article gets the id `copy<c>/<id>` and text perturbed in place: two pairs of
  adjacent lower-case words swapped, one word replaced by another of the same length from the same
  article, and one by a copy-number token of the same length (`q0000a7`). Lengths and sentence
  boundaries stay, so the original chunk offsets hold and `chunk.text == article.text[start:end]`;
* each copied chunk's vector is the original chunk's real embedding plus Gaussian noise
  (sigma 0.0125 a dimension, cosine about 0.97 to the original), re-normalised.

Everything is written through `index.store.Store.write_articles`, so chunks and article records
carry exactly the metadata a real build writes, and the app's own retriever is what gets measured.
Built stores are cached under `bench/out/scale-<chunks>-<key>/`, complete once a marker file is
written.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench.corpus import RamQuestion
from index.article import Article, Chunk
from index.embed import Embedder
from index.settings import Settings
from index.store import ArticleWrite, Store

log = logging.getLogger(__name__)

SIGMA = 0.0125
FORMAT = "1"  # bump when the perturbation or the layout changes, so cached stores are rebuilt
_DONE = "scale-complete.json"
_WRITE_ARTICLES = 1000
_LOWER_PAIR = re.compile(r"(?<!\S)([a-z]+) ([a-z]+)(?!\S)")
_LOWER_WORD = re.compile(r"(?<!\S)[a-z]+(?!\S)")


@dataclass(frozen=True)
class BaseArticle:
    """A real article of the RAMDocs store with its chunks and their embeddings, in chunk order."""

    article: Article
    chunks: tuple[Chunk, ...]
    vectors: Any  # numpy array, one row per chunk


def copy_token(copy: int, length: int) -> str:
    """A lower-case word of exactly `length` characters that names copy number `copy`."""
    digits = _base36(copy)
    if length < len(digits) + 1:
        raise ValueError(f"a {length}-character word cannot hold copy {copy}")
    return "q" + digits.rjust(length - 1, "0")


def _base36(n: int) -> str:
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = chars[r] + out
        if n == 0:
            return out


def perturb(text: str, copy: int, rng: Any) -> str:
    """`text` with a few lower-case words swapped or replaced; same length, same sentence breaks."""
    chars = list(text)
    pairs = [m for m in _LOWER_PAIR.finditer(text) if m.group(1) != m.group(2)]
    for match in _pick(pairs, 2, rng):
        a, b = match.group(1), match.group(2)
        chars[match.start() : match.end()] = f"{b} {a}"
    words = list(_LOWER_WORD.finditer("".join(chars)))
    by_length: dict[int, list[str]] = {}
    for m in words:
        by_length.setdefault(len(m.group()), []).append(m.group())
    for m in _pick(words, 1, rng):
        others = [w for w in by_length[len(m.group())] if w != m.group()]
        if others:
            chars[m.start() : m.end()] = others[int(rng.integers(len(others)))]
    long_words = [m for m in words if len(m.group()) > len(_base36(copy))]
    for m in _pick(long_words, 1, rng):
        chars[m.start() : m.end()] = copy_token(copy, len(m.group()))
    return "".join(chars)


def _pick(items: Sequence[Any], n: int, rng: Any) -> list[Any]:
    """Up to `n` of `items` at random, in text order, none overlapping the one before."""
    if not items:
        return []
    chosen = sorted(rng.choice(len(items), size=min(n, len(items)), replace=False).tolist())
    out: list[Any] = []
    for i in chosen:
        if not out or items[i].start() > out[-1].end():
            out.append(items[i])
    return out


def noisy(vectors: Any, rng: Any, sigma: float = SIGMA) -> Any:
    """Unit vectors near `vectors`: Gaussian noise of `sigma` a dimension, re-normalised."""
    import numpy as np

    moved = vectors + rng.normal(0.0, sigma, size=vectors.shape)
    return (moved / np.linalg.norm(moved, axis=1, keepdims=True)).astype(np.float32)


def copy_id(article_id: str, copy: int) -> str:
    """The article id of copy `copy` (0 is the original)."""
    return article_id if copy == 0 else f"copy{copy:06d}/{article_id}"


def copy_write(base: BaseArticle, copy: int, rng: Any) -> ArticleWrite:
    """Copy `copy` of a base article, perturbed, as a store write with its chunks and vectors."""
    from index.build import text_hash

    source = base.article
    if copy == 0:
        article, vectors = source, base.vectors
    else:
        text = perturb(source.text, copy, rng)
        new_id = copy_id(source.id, copy)
        article = Article(
            id=new_id,
            text=text,
            title=source.title,
            outlet=source.outlet,
            published=source.published,
            url=source.url,
            source_hash=text_hash(f"{new_id}\0{text}"),
            dropped=source.dropped,
        )
        vectors = noisy(base.vectors, rng)
    chunks = [
        Chunk(article.id, c.index, c.start, c.end, article.text[c.start : c.end], *_chunk_meta(article))
        for c in base.chunks
    ]
    return ArticleWrite(article, chunks, vectors.tolist(), [text_hash(c.text) for c in chunks])


def _chunk_meta(article: Article) -> tuple[str, str, str, str]:
    return article.title, article.outlet, article.published, article.url


def plan(chunk_counts: Sequence[int], size: int) -> list[tuple[int, int]]:
    """(base article index, copy) pairs whose chunks add up to at least `size`: whole copies of
    the base corpus in order, the last one cut at the first article that reaches `size`."""
    if size <= 0 or not chunk_counts or sum(chunk_counts) == 0:
        return []
    out: list[tuple[int, int]] = []
    total, copy = 0, 0
    while True:
        for i, count in enumerate(chunk_counts):
            out.append((i, copy))
            total += count
            if total >= size:
                return out
        copy += 1


def generate(base: Sequence[BaseArticle], size: int, seed: int = 0) -> Iterator[ArticleWrite]:
    """The store writes of a corpus of about `size` chunks, reproducible from `seed`."""
    import numpy as np

    for i, copy in plan([len(b.chunks) for b in base], size):
        rng = np.random.default_rng([seed, copy, i])
        yield copy_write(base[i], copy, rng)


@dataclass(frozen=True)
class Base:
    """The RAMDocs corpus the scale stores are made from: its questions in spread order (so the
    head of the corpus samples every part of the file), and its articles in that order."""

    questions: list[RamQuestion]
    articles: list[BaseArticle]
    folder: Path

    def covered(self, size: int) -> list[str]:
        """Questions all of whose (indexed) documents are in the real part of a `size`-chunk corpus."""
        real = {self.articles[i].article.id for i, copy in plan(self.chunk_counts(), size) if copy == 0}
        indexed = {b.article.id for b in self.articles}
        return [q.question for q in self.questions if all(d.id in real for d in q.docs if d.id in indexed)]

    def chunk_counts(self) -> list[int]:
        """Chunks of each base article, in order."""
        return [len(b.chunks) for b in self.articles]


def load_ramdocs_base(embedder: Embedder, cache: Path) -> Base:
    """The pooled RAMDocs store (built and cached by `bench.corpus`), read back as the base."""
    from bench.corpus import load_ramdocs, ramdocs_store
    from bench.speed.growth import spread_order

    questions = load_ramdocs()
    ordered = [questions[i] for i in spread_order(len(questions))]
    _, store, folder = ramdocs_store(questions, embedder, cache)
    articles = load_base(store, [d.id for q in ordered for d in q.docs])
    store.close()
    return Base(ordered, articles, folder)


def load_base(store: Store, order: Sequence[str]) -> list[BaseArticle]:
    """The articles of a built store in the given id order, with their chunks and vectors."""
    import numpy as np

    from index.build import text_hash

    by_article: dict[str, list[Chunk]] = {}
    for chunk in store.all_chunks():
        by_article.setdefault(chunk.article_id, []).append(chunk)
    hashes = {text_hash(c.text) for chunks in by_article.values() for c in chunks}
    vectors = store.vectors_by_text_hash(hashes)
    out = []
    for article_id in order:
        chunks = by_article.get(article_id)
        if not chunks:
            continue
        rows = np.array([vectors[text_hash(c.text)] for c in chunks], dtype=np.float64)
        out.append(BaseArticle(store.article(article_id), tuple(chunks), rows))
    return out


def scale_folder(cache: Path, base_folder: Path, size: int) -> Path:
    """Where the scale store of `size` chunks made from the base store in `base_folder` is kept."""
    return cache / f"scale-{size}-f{FORMAT}-{base_folder.name.rsplit('-', 1)[-1]}"


def scale_store(
    base: Sequence[BaseArticle], size: int, folder: Path, model_name: str
) -> tuple[Settings, dict[str, Any]]:
    """The settings of a cached scale store of about `size` chunks, building it when missing;
    also what its build took (chunks, articles, seconds, disk)."""
    import json

    from bench.corpus import store_settings

    settings = store_settings(folder / "store")
    marker = folder / _DONE
    if marker.exists():
        return settings, json.loads(marker.read_text())
    lock = folder.parent / f"{folder.name}.building"
    if lock.exists() and _alive(int(lock.read_text() or 0)):
        raise RuntimeError(f"process {lock.read_text()} is building {folder}; wait for it")
    if folder.exists():
        import shutil

        shutil.rmtree(folder)  # a half-built store from an interrupted run
    folder.mkdir(parents=True)
    lock.write_text(str(os.getpid()))
    try:
        store = Store(settings.store, model_name)
        info = write_corpus(store, generate(base, size))
        store.close()
        info["disk_mib"] = _disk_mib(folder)
        info["date"] = date.today().isoformat()
        marker.write_text(json.dumps(info))
    finally:
        lock.unlink(missing_ok=True)
    return settings, info


def _alive(pid: int) -> bool:
    """Whether a process with this id is running (a build holding a store's lock file)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_corpus(store: Store, writes: Iterator[ArticleWrite]) -> dict[str, Any]:
    """Write articles to the store in batches; returns counts and seconds."""
    started = time.perf_counter()
    articles = chunks = 0
    batch: list[ArticleWrite] = []
    store.touch(writing=True)
    for write in writes:
        batch.append(write)
        if len(batch) == _WRITE_ARTICLES:
            store.write_articles(batch)
            articles += len(batch)
            chunks += sum(len(w.chunks) for w in batch)
            batch = []
            log.info("scale store: %d chunks in %.0f s", chunks, time.perf_counter() - started)
    store.write_articles(batch)
    articles += len(batch)
    chunks += sum(len(w.chunks) for w in batch)
    store.touch(writing=False)
    return {"chunks": chunks, "articles": articles, "build_s": time.perf_counter() - started}


def _disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
