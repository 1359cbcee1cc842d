"""Stories as a reader sees them: each story's articles by outlet and date, and where they disagree.

Stories are assigned when the index is built (`index/stories.py`); this module gathers what the
CLI (`python -m assistant stories`, `conflicts`), the REST API (`/api/v1/stories`) and the page's
Stories view show about them. Conflicts come from `conflicts_by_story`, so every conflict listed
under a story has both sides in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from assistant.answer import Conflict
from index.article import Article
from index.store import ArticleRecord

if TYPE_CHECKING:
    from assistant.conflicts.pairing import Embed

UNPLACED = ""  # articles indexed before stories existed, until the next build places them


@dataclass(frozen=True)
class StoryArticle:
    """One article of a story, as listed under it."""

    id: str
    title: str
    outlet: str
    published: str


@dataclass(frozen=True)
class StorySummary:
    """A story: its articles (oldest first), outlets, date range and disagreements."""

    id: str
    label: str
    articles: tuple[StoryArticle, ...]
    outlets: tuple[str, ...]
    first_published: str
    last_published: str
    conflicts: tuple[Conflict, ...]

    def to_json(self, detail: bool = False) -> dict[str, Any]:
        """The documented JSON object; `detail` adds the conflicts themselves to their count."""
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "articles": [asdict(a) for a in self.articles],
            "outlets": list(self.outlets),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "conflict_count": len(self.conflicts),
        }
        if detail:
            out["conflicts"] = [c.to_json() for c in self.conflicts]
        return out


def summarise(
    records: Mapping[str, ArticleRecord], conflicts: Mapping[str, Sequence[Conflict]]
) -> list[StorySummary]:
    """Every story of the records, the most recently published first."""
    members: dict[str, list[ArticleRecord]] = {}
    labels: dict[str, str] = {}
    for record in records.values():
        members.setdefault(record.story, []).append(record)
        labels.setdefault(record.story, record.story_label)
    out = [_summary(s, labels[s], group, conflicts.get(s, ())) for s, group in members.items()]
    return sorted(out, key=lambda s: (s.last_published, s.label, s.id), reverse=True)


def _summary(
    story: str, label: str, records: Sequence[ArticleRecord], conflicts: Sequence[Conflict]
) -> StorySummary:
    ordered = sorted(records, key=lambda r: (r.published or "~", r.outlet, r.id))
    dates = sorted(r.published for r in records if r.published)
    return StorySummary(
        id=story,
        label=label or ("Articles not yet placed in a story" if story == UNPLACED else story),
        articles=tuple(StoryArticle(r.id, r.title, r.outlet, r.published) for r in ordered),
        outlets=tuple(sorted({r.outlet for r in records if r.outlet})),
        first_published=dates[0] if dates else "",
        last_published=dates[-1] if dates else "",
        conflicts=tuple(conflicts),
    )


def story_report(
    records: Mapping[str, ArticleRecord],
    article: Callable[[str], Article],
    embed: Embed | None = None,
) -> list[StorySummary]:
    """Every story with its conflicts, reading each article's text through `article`; `embed`
    (texts to unit vectors) aligns claims by the meaning of their sentences."""
    from assistant.conflicts.detect import conflicts_by_story

    articles = {article_id: article(article_id) for article_id in sorted(records)}
    return summarise(records, conflicts_by_story(articles, embed))
