"""RSS and Atom feeds: recognise a fetched feed and list its items (feedparser, from bytes only)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from urllib.parse import urljoin

from index.fetch import Page, clean_url, is_url

# Media types a feed may be served as; many servers send plain XML types, so bytes are sniffed too.
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
_SNIFF = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: the article's link and what the feed says about it."""

    link: str
    title: str = ""
    published: str = ""


@dataclass(frozen=True)
class Feed:
    """A parsed feed: where it was asked for, its own title, and its items in feed order."""

    url: str
    title: str
    items: tuple[FeedItem, ...]


def looks_like_feed(page: Page) -> bool:
    """Whether a fetched resource is worth parsing as a feed: a feed media type, or XML that starts
    like one (an HTML page never does)."""
    if page.kind in _FEED_TYPES:
        return True
    head = page.data[:512].lstrip().lower()
    return page.kind not in ("text/html", "application/xhtml+xml") and head.startswith(_SNIFF)


def parse_feed(page: Page) -> Feed | None:
    """The feed in a fetched resource, or None when it is not an RSS or Atom feed.

    Always parses the bytes already fetched: handed a string, feedparser would fetch it itself,
    past every limit the fetcher keeps.
    """
    import feedparser

    parsed = feedparser.parse(
        page.data,
        response_headers={"content-location": page.final_url, "content-type": page.content_type},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version"):
        return None
    title = str(parsed.feed.get("title", "")).strip()
    items = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _link(entry, page.final_url)
        if link and link not in seen:
            seen.add(link)
            items.append(FeedItem(link, str(entry.get("title", "")).strip(), _published(entry)))
    return Feed(page.url, title, tuple(items))


def item_meta(feed: Feed, item: FeedItem) -> dict[str, str]:
    """Metadata the feed gives an item, used where its page states none."""
    meta = {"title": item.title, "outlet": feed.title, "published": item.published}
    return {k: v for k, v in meta.items() if v}


def _link(entry: dict, base: str) -> str:
    """The item's web address, made absolute; items without an http(s) link are left out."""
    link = str(entry.get("link") or "")
    if not link:
        link = next((str(x.get("href", "")) for x in entry.get("links", []) if x.get("href")), "")
    link = clean_url(urljoin(base, link)) if link else ""
    return link if is_url(link) else ""


def _published(entry: dict) -> str:
    stamp: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return ""
    return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday).isoformat()
