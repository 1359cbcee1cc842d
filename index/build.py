"""Build or update the index from files and folders: read, clean, chunk, embed, store, then place
new and changed articles in stories (`index/stories.py`).

A build is incremental. Unchanged files are recognised by their content hash and not even parsed;
chunks whose exact text is already stored reuse its vector, so identical content under two names
is embedded once. By default the store is synchronised with the given paths: articles whose file
is gone lose their chunks (`add_only` keeps them, as uploads do). Articles from web pages and feeds
(`urls`) are added or updated, and never removed by a synchronisation with paths.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.article import Article, Chunk, FeedSource
from index.chunk import chunk_article
from index.embed import Embedder
from index.errors import IndexingError, SkipFile
from index.fetch import Fetcher, is_url
from index.load import ARCHIVE_REASON, ARCHIVES, SUPPORTED, Document, content_hash, is_sidecar, read_documents
from index.prepare import PIPELINE_VERSION, prepare
from index.settings import IndexSettings
from index.store import ArticleRecord, ArticleWrite, Store
from index.stories import assign
from index.story_pairs import StoryInput, StoryModel, describe

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
_EMBED_BATCH = 256


@dataclass
class BuildReport:
    """What a build did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    stories: int = 0  # stories in the store after the build
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed, {len(self.skipped)} skipped; {self.chunks} chunks written "
            f"({self.embedded} embedded); {self.stories} stories; in {self.seconds:.2f}s"
        )


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and the id its article gets: its path relative to the ingested folder."""

    path: Path
    article_id: str


def discover(paths: Sequence[Path]) -> Iterator[SourceFile]:
    """Files under the given paths, in a stable order; hidden files and sidecars left out."""
    for root in paths:
        if not root.exists():
            raise IndexingError(f"no such file or folder: {root}")
        if root.is_file():
            yield SourceFile(root, article_id(root.name))
            continue
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if (
                path.is_file()
                and not any(part.startswith(".") for part in rel.parts)
                and not is_sidecar(path)
            ):
                yield SourceFile(path, article_id(rel.as_posix()))


def article_id(name: str) -> str:
    """The id of a file's article: its relative path, with bytes that are not UTF-8 (which Linux
    allows in names and Chroma refuses in ids) written as `\\xNN` escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def version_hash(data: bytes, settings: IndexSettings, sidecar: bytes = b"") -> str:
    """Hash of a file together with everything that shapes its chunks."""
    recipe = f"{PIPELINE_VERSION}|{settings.chunk_chars}|{settings.overlap_sentences}".encode()
    return content_hash(recipe + b"\0" + sidecar + b"\0" + data)


def text_hash(text: str) -> str:
    """Key of the embedding cache."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Builder:
    """Runs builds against one store with one embedder."""

    def __init__(self, store: Store, embedder: Embedder, settings: IndexSettings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings

    def build(
        self,
        paths: Sequence[Path],
        add_only: bool = False,
        progress: Progress | None = None,
        urls: Sequence[str] = (),
        fetcher: Fetcher | None = None,
        refresh: bool = False,
    ) -> BuildReport:
        """Bring the store in line with the files under `paths`, and add the pages and feed items at
        `urls` (with `refresh`, only feed items not indexed yet are fetched)."""
        started = time.perf_counter()
        report = BuildReport()
        known = self.store.records()
        seen: set[str] = set()
        taken: set[str] = set()
        pending: list[tuple[Article, bool]] = []
        for source in discover(paths):
            if source.article_id in taken:  # the same relative path under two of the given folders
                report.skipped.append((source.article_id, f"{source.path}: another file has this id"))
                continue
            taken.add(source.article_id)
            for doc, is_new in self._changed_documents(source, known, report, seen):
                self._queue(doc, is_new, report, pending)
        if urls:
            for doc, is_new in self._web_documents(urls, fetcher, known, report, seen, refresh):
                self._queue(doc, is_new, report, pending)
        gone = sorted(k for k in set(known) - seen if not is_url(k)) if paths and not add_only else []
        swept = self.store.interrupted()
        if pending or gone:
            self.store.touch(writing=True)
        written = self._write(pending, report, progress)
        self._delete(gone, report)
        if swept:
            log.info("the last build was interrupted; removed %d stale chunks", self.store.sweep())
        placed = self._place_stories(known, report, written)
        if pending or gone or swept or placed:
            self.store.touch(writing=False)
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, article_ids: Sequence[str]) -> BuildReport:
        """Remove articles from the store; the stories they leave behind are labelled again from
        the articles that remain (ids stay)."""
        started = time.perf_counter()
        report = BuildReport()
        known = self.store.records()
        gone = [a for a in dict.fromkeys(article_ids) if a in known]
        if gone:
            self.store.touch(writing=True)
            self._delete(gone, report)
            self._place_stories(known, report)
            self.store.touch(writing=False)
        report.seconds = time.perf_counter() - started
        return report

    def _delete(self, article_ids: Sequence[str], report: BuildReport) -> None:
        for article_id in article_ids:
            self.store.delete_article(article_id)
            report.removed.append(article_id)

    def _queue(
        self, doc: Document, is_new: bool, report: BuildReport, pending: list[tuple[Article, bool]]
    ) -> None:
        article = prepare(doc)
        if not article.text.strip():
            report.skipped.append((doc.id, "nothing left after removing non-article text"))
        else:
            pending.append((article, is_new))

    def _web_documents(
        self,
        urls: Sequence[str],
        fetcher: Fetcher | None,
        known: dict,
        report: BuildReport,
        seen: set[str],
        refresh: bool,
    ) -> Iterator[tuple[Document, bool]]:
        """Documents of pages and feed items that are new or changed; feeds read are remembered."""
        from index.remote import harvest

        if fetcher is None:
            raise IndexingError("fetching URLs needs a Fetcher")
        got = harvest(urls, fetcher, (lambda link: link in known) if refresh else (lambda _: False))
        report.skipped.extend(got.skipped)
        now = time.time()
        self.store.remember_feeds([FeedSource(f.url, f.title, now) for f in got.feeds])
        report.feeds.extend(f.url for f in got.feeds)
        for doc in got.documents:
            # Pages change bytes on every visit (ads, timestamps): the extracted article decides.
            stated = "\0".join(f"{k}={v}" for k, v in sorted(doc.meta.items()))
            digest = version_hash(f"{stated}\0{doc.text}".encode(), self.settings)
            seen.add(doc.id)
            previous = known.get(doc.id)
            if previous is not None and previous.source_hash == digest:
                report.unchanged.append(doc.id)
            else:
                yield Document(doc.id, doc.text, doc.meta, digest), previous is None

    def _place_stories(
        self,
        known: dict[str, ArticleRecord],
        report: BuildReport,
        written: Mapping[str, StoryInput] | None = None,
    ) -> int:
        """Put new, changed and not yet placed articles in stories; the rest keep theirs.
        `written` holds what was described of the articles this build wrote. Returns how many
        article records changed story or label."""
        stored = self.store.story_inputs(written)  # as the records hold them: recording compares with these
        inputs = stored
        model = StoryModel.load()
        changed = set(report.added) | set(report.updated)
        # Articles placed by another model (before an upgrade) are placed again; ids stay where the
        # grouping did not change.
        keep = {
            x.id: x.story
            for x in inputs
            if x.story and x.id not in changed and x.placed_by == model.fingerprint
        }
        if len(keep) == len(inputs) and not report.removed:
            report.stories = len(set(keep.values()))
            return 0
        # A changed article was rewritten without its story: hand assignment the one it had.
        inputs = [
            replace(x, story=known[x.id].story) if x.id in changed and x.id in known else x for x in inputs
        ]
        stories = assign(model, inputs, keep)
        report.stories = len(stories)
        return self.store.set_stories(stories, model.fingerprint, stored)

    def _changed_documents(
        self, source: SourceFile, known: dict, report: BuildReport, seen: set[str]
    ) -> Iterator[tuple[Document, bool]]:
        """Documents of a file that are new or changed; unchanged ones are only counted."""
        suffix = source.path.suffix.lower()
        if suffix in ARCHIVES:
            report.skipped.append((source.article_id, ARCHIVE_REASON))
            return
        if suffix not in SUPPORTED:
            report.skipped.append((source.article_id, f"unsupported file type {suffix or '(none)'}"))
            return
        try:
            size = source.path.stat().st_size
            if size == 0:
                raise SkipFile("empty file")
            if size > self.settings.max_file_bytes:
                raise SkipFile(
                    f"file is {size:,} bytes, over the {self.settings.max_file_bytes:,}-byte limit"
                )
            data = source.path.read_bytes()
            digest = version_hash(data, self.settings, _sidecar_bytes(source.path))
            previous = known.get(source.article_id)
            if previous is not None and previous.source_hash == digest:
                seen.add(source.article_id)
                report.unchanged.append(source.article_id)
                return
            docs = read_documents(source.path, source.article_id, data)
        except SkipFile as err:
            report.skipped.append((source.article_id, str(err)))
            # A previously indexed version stays: a bad file loses nothing already there.
            seen.update(k for k in known if k == source.article_id or k.startswith(source.article_id + "#"))
            return
        except OSError as err:
            report.skipped.append((source.article_id, f"unreadable ({err.strerror or err})"))
            seen.update(k for k in known if k == source.article_id or k.startswith(source.article_id + "#"))
            return
        for doc in docs:
            doc_hash = (
                digest
                if doc.id == source.article_id
                else version_hash(doc.source_hash.encode(), self.settings)
            )
            doc = Document(doc.id, doc.text, doc.meta, doc_hash)
            seen.add(doc.id)
            previous = known.get(doc.id)
            if previous is not None and previous.source_hash == doc.source_hash:
                report.unchanged.append(doc.id)
            else:
                yield doc, previous is None

    def _write(
        self, pending: list[tuple[Article, bool]], report: BuildReport, progress: Progress | None
    ) -> dict[str, StoryInput]:
        """Chunk and embed pending articles in batches, writing each article once its vectors exist;
        returns what story assignment compares of each article written."""
        planned = [
            (a, new, chunk_article(a, self.settings.chunk_chars, self.settings.overlap_sentences))
            for a, new in pending
        ]
        total = sum(len(chunks) for _, _, chunks in planned)
        bar = _progress_bar(total)
        done = 0
        cache: dict[str, list[float]] = {}
        written: dict[str, StoryInput] = {}
        for batch in _batches(planned, _EMBED_BATCH):
            hashes = [[text_hash(c.text) for c in chunks] for _, _, chunks in batch]
            self._fill_cache(
                cache, [c for _, _, chunks in batch for c in chunks], [h for hs in hashes for h in hs], report
            )
            openings = [chunks[0].text if chunks else article.text for article, _, chunks in batch]
            known = {
                c.text: cache[h]
                for (_, _, chunks), hs in zip(batch, hashes, strict=True)
                for c, h in zip(chunks, hs, strict=True)
            }
            described = describe(self.embedder, [article for article, _, _ in batch], openings, known)
            writes = [
                ArticleWrite(article, chunks, [cache[h] for h in article_hashes], article_hashes, story)
                for (article, _, chunks), article_hashes, story in zip(batch, hashes, described, strict=True)
            ]
            self.store.write_articles(writes)  # one Chroma call per step for the whole batch
            written.update((x.id, x) for x in described)
            for article, is_new, chunks in batch:
                (report.added if is_new else report.updated).append(article.id)
                report.chunks += len(chunks)
                done += len(chunks)
                bar.update(len(chunks))
                if progress:
                    progress(done, total)
            self.store.touch(writing=True)
        bar.close()
        return written

    def _fill_cache(
        self, cache: dict[str, list[float]], chunks: list[Chunk], hashes: list[str], report: BuildReport
    ) -> None:
        missing = {h for h in hashes if h not in cache}
        cache.update(self.store.vectors_by_text_hash(missing))
        todo: dict[str, str] = {}
        for chunk, h in zip(chunks, hashes, strict=True):
            if h not in cache:
                todo.setdefault(h, chunk.text)
        if todo:
            vectors = self.embedder.embed_documents(list(todo.values()))
            cache.update(zip(todo.keys(), vectors, strict=True))
            report.embedded += len(todo)


def _sidecar_bytes(path: Path) -> bytes:
    from index.load import SIDECAR_SUFFIXES

    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.name + suffix)
        if candidate.is_file():
            return candidate.read_bytes()
    return b""


def _batches(
    planned: list[tuple[Article, bool, list[Chunk]]], size: int
) -> Iterator[list[tuple[Article, bool, list[Chunk]]]]:
    batch: list[tuple[Article, bool, list[Chunk]]] = []
    count = 0
    for item in planned:
        batch.append(item)
        count += len(item[2])
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


def _progress_bar(total: int):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    # Shown on a terminal for builds long enough to need one; silent in logs and tests.
    return tqdm(
        total=total, unit="chunk", desc="embedding", disable=None if total > 200 else True, leave=False
    )
