"""The values that move through indexing: an article, the lines cleaning removed, its chunks."""

from __future__ import annotations

from dataclasses import dataclass, field

METADATA_FIELDS = ("title", "outlet", "published", "url")


@dataclass(frozen=True)
class Dropped:
    """A line cleaning removed from an article, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    """A cleaned article; `text` is what every chunk's and citation's offsets point into."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    source_hash: str = ""
    dropped: tuple[Dropped, ...] = field(default=())
    story: str = ""  # the story (event) the article reports, assigned at build time; see index/stories.py
    story_label: str = ""

    def metadata(self) -> dict[str, str]:
        """The article's descriptive fields, as shown next to its quotes."""
        return {name: getattr(self, name) for name in METADATA_FIELDS}


@dataclass(frozen=True)
class Chunk:
    """A span of an article's text: `text == article.text[start:end]` always."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""
    story: str = ""  # the article's story, filled from its record when chunks are read

    @property
    def id(self) -> str:
        """Stable identifier of this chunk within the store."""
        return f"{self.article_id}::{self.index}"


@dataclass(frozen=True)
class FeedSource:
    """A feed the store remembers, so a refresh can read it again: its URL, its title, when last read."""

    url: str
    title: str = ""
    read_at: float = 0.0
