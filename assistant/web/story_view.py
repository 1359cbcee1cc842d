"""HTML of the page's Stories view: the list of stories, and one story's articles by outlet and date
with its conflicts side by side. Pure functions; every piece of article text is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.stories import StorySummary
from assistant.web.render import conflict_sections, esc


def story_choices(stories: Sequence[StorySummary]) -> list[tuple[str, str]]:
    """(shown label, story id) pairs for the story pickers."""
    return [(f"{s.label} ({len(s.articles)})", s.id) for s in stories]


def stories_html(stories: Sequence[StorySummary]) -> str:
    """An overview: each story with its size, outlets, dates and number of disagreements."""
    if not stories:
        return '<p class="empty">No stories yet: index some articles first.</p>'
    rows = "".join(
        f'<li class="story-row" data-story="{esc(s.id)}"><strong>{esc(s.label)}</strong>'
        f'<span class="meta">{_facts(s)}</span></li>'
        for s in stories
    )
    return f'<ul class="story-list">{rows}</ul>'


def story_html(story: StorySummary | None) -> str:
    """One story: its articles grouped by outlet, oldest first, then its conflicts side by side."""
    if story is None:
        return '<p class="empty">That story is no longer in the index.</p>'
    outlets: dict[str, list[str]] = {}
    for a in story.articles:
        title = esc(a.title) if a.title else '<span class="untitled">No headline</span>'
        line = f'<li><span class="day">{esc(a.published or "undated")}</span> {title}'
        line += f' <span class="source-id">{esc(a.id)}</span></li>'
        outlets.setdefault(a.outlet or "Outlet not stated", []).append(line)
    groups = "".join(
        f'<div class="story-outlet"><h4>{esc(outlet)}</h4><ul>{"".join(lines)}</ul></div>'
        for outlet, lines in sorted(outlets.items())
    )
    conflicts = (
        conflict_sections(story.conflicts)
        if story.conflicts
        else '<p class="agree">No disagreement found between these articles.</p>'
    )
    return (
        f'<section class="story" data-story="{esc(story.id)}"><h3 class="panel-title">{esc(story.label)}</h3>'
        f'<p class="meta">{_facts(story)}</p><div class="story-articles">{groups}</div>'
        f'<h4>Where they disagree</h4><div class="story-conflicts">{conflicts}</div></section>'
    )


def _facts(story: StorySummary) -> str:
    dates = " to ".join(dict.fromkeys(d for d in (story.first_published, story.last_published) if d))
    parts = [
        f"{len(story.articles)} article{'s' if len(story.articles) != 1 else ''}",
        ", ".join(story.outlets) or "",
        dates or "undated",
        f"{len(story.conflicts)} disagreement{'s' if len(story.conflicts) != 1 else ''}",
    ]
    return esc(" · ".join(p for p in parts if p))
