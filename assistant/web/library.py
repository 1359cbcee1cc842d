"""The corpus as the API sees it: list, read, upload, add from URLs, delete, its stories, and the
conflict report.

Uploads are written into the store's `uploads/` folder under a cleaned base name (never a path the
client chose) and indexed with `--add` semantics; writes are serialised by the assistant's write lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from starlette.exceptions import HTTPException

from assistant.answer import CONTRADICTION
from assistant.core import Assistant
from assistant.errors import InvalidInput
from assistant.stories import StorySummary
from assistant.web.uploads import receive, refusal, safe_name
from index.errors import StoreUnavailable
from index.load import is_sidecar

log = logging.getLogger(__name__)

MAX_URLS = 20


class Library:
    """Reads and changes the articles of one assistant's store."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.folder = assistant.settings.store.path / "uploads"

    def health(self) -> dict[str, Any]:
        """Article and chunk counts; raises `StoreUnavailable` when the store cannot be read."""
        store = self.assistant.store
        try:
            articles, chunks = len(store.records()), store.chunk_count()
        except StoreUnavailable:
            raise
        except Exception as err:  # Chroma raises many types for one cause
            raise StoreUnavailable(_first_line(err)) from err
        return {"status": "ok", "articles": articles, "chunks": chunks, "backend": self.assistant.backend}

    def records(self) -> list[dict[str, Any]]:
        """Every article's record, newest first."""
        records = sorted(self._records().values(), key=lambda r: (-r.indexed_at, r.id))
        return [{k: v for k, v in asdict(r).items() if k != "source_hash"} for r in records]

    def article(self, article_id: str) -> dict[str, Any]:
        """One article's record and cleaned text; 404 when there is none."""
        record = self._record(article_id)
        text = self.assistant.article(article_id).text
        return {**{k: v for k, v in asdict(record).items() if k != "source_hash"}, "text": text}

    def upload(self, files: Sequence[tuple[str, IO[bytes]]]) -> dict[str, Any]:
        """Save and index uploaded files; refused files are reported, not fatal, unless all are."""
        from index.build import Builder

        limit = self.assistant.settings.index.max_file_bytes
        paths: list[Path] = []
        skipped: list[dict[str, str]] = []
        with self.assistant.write_lock:
            for raw_name, stream in files:
                name = safe_name(raw_name)
                target, reason = (
                    (None, refusal(name)) if refusal(name) else receive(name, stream, self.folder, limit)
                )
                if target is None:
                    skipped.append({"name": name, "reason": reason})
                elif not is_sidecar(target):
                    paths.append(target)
            if not paths:
                problems = "; ".join(f"{s['name']}: {s['reason']}" for s in skipped) or "no files"
                raise InvalidInput(f"Nothing to index ({problems}).")
            builder = Builder(self.assistant.store, self.assistant.embedder, self.assistant.settings.index)  # type: ignore[arg-type]
            report = builder.build(paths, add_only=True)
        skipped += [{"name": name, "reason": why} for name, why in report.skipped]
        return {
            "added": report.added,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": skipped,
            "chunks": report.chunks,
        }

    def add_urls(self, urls: Sequence[str], progress: Callable[[int, int], None] | None = None) -> Any:
        """Fetch web pages and RSS/Atom feeds and index their articles (`--add` semantics); feeds are
        remembered for `python -m index refresh`. Returns the build report, a reason for each page
        that failed. Addresses on this machine or its private network are refused unless
        `fetch.allow_private_hosts` is set: the app must not become a way into them."""
        from index.build import Builder
        from index.fetch import Fetcher, is_url

        wanted = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
        if not wanted:
            raise InvalidInput("Paste the address of a web page or an RSS/Atom feed.")
        bad = next((u for u in wanted if not is_url(u)), None)
        if bad is not None:
            raise InvalidInput(f"Not a web address: {bad[:100]!r}; give http:// or https:// addresses.")
        if len(wanted) > MAX_URLS:
            raise InvalidInput(f"At most {MAX_URLS} addresses at a time; got {len(wanted)}.")
        settings = self.assistant.settings
        fetcher = Fetcher(settings.fetch, allow_private=settings.fetch.allow_private_hosts)
        builder = Builder(self.assistant.store, self.assistant.embedder, settings.index)  # type: ignore[arg-type]
        try:
            with self.assistant.write_lock:
                return builder.build([], add_only=True, progress=progress, urls=wanted, fetcher=fetcher)
        finally:
            fetcher.close()

    def delete(self, article_id: str) -> None:
        """Remove an article from the index, and its uploaded file once none of its articles remain."""
        from index.build import Builder

        self._record(article_id)
        store = self.assistant.store
        builder = Builder(store, self.assistant.embedder, self.assistant.settings.index)  # type: ignore[arg-type]
        with self.assistant.write_lock:
            builder.remove([article_id])  # and relabels the story it leaves
            file_name = article_id.split("#", 1)[0]
            path = self.folder / file_name
            others = [r for r in store.records() if r.split("#", 1)[0] == file_name]
            if not others and _inside(path, self.folder) and path.is_file():
                path.unlink()

    def conflicts(self) -> list[dict[str, Any]]:
        """Every disagreement within the corpus's stories, sorted by topic."""
        found = [c for story in self.stories() for c in story.conflicts]
        return [c.to_json() for c in sorted(found, key=lambda c: (c.topic, c.kind != CONTRADICTION))]

    def stories(self) -> list[StorySummary]:
        """Every story with its articles and conflicts, computed once per store generation."""
        return self.assistant.stories()

    def story(self, story_id: str) -> StorySummary | None:
        """One story with its articles and conflicts, or None when no story has that id."""
        return next((s for s in self.stories() if s.id == story_id), None)

    # --- helpers --------------------------------------------------------------------------------

    def _records(self) -> dict[str, Any]:
        try:
            return self.assistant.store.records()
        except StoreUnavailable:
            raise
        except Exception as err:
            raise StoreUnavailable(_first_line(err)) from err

    def _record(self, article_id: str) -> Any:
        record = self._records().get(article_id)
        if record is None:
            raise HTTPException(404, f"No article with id {article_id!r}.")
        return record


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


def _first_line(err: Exception) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:200]
