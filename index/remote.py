"""Articles from the web: page URLs and feed URLs turned into raw documents for a build.

A URL names either a page (one article, whose id is the URL) or an RSS/Atom feed (each item's page
is fetched; the feed itself is remembered so `python -m index refresh` can read it again). Each URL
that fails gives one line of reason and the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from index.errors import SkipFile
from index.feeds import Feed, item_meta, looks_like_feed, parse_feed
from index.fetch import Fetcher, clean_url, page_document
from index.load import Document

log = logging.getLogger(__name__)


@dataclass
class Harvest:
    """What reading some URLs gave: documents, one reason per URL that failed, the feeds found."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)


def harvest(urls: Sequence[str], fetcher: Fetcher, have: Callable[[str], bool] = lambda _: False) -> Harvest:
    """Fetch every URL; a feed's items are fetched too, except those `have` says are indexed already.

    Page URLs given directly are always fetched again (a build updates changed articles); feed
    items already in the store are not, which is what makes a refresh cheap.
    """
    out = Harvest()
    taken: set[str] = set()
    for raw in urls:
        url = clean_url(raw)
        if url in taken:
            continue
        taken.add(url)
        try:
            page = fetcher.get(url)
            feed = parse_feed(page) if looks_like_feed(page) else None
            if feed is None:
                out.documents.append(page_document(page, url))
                continue
        except SkipFile as err:
            out.skipped.append((url, str(err)))
            continue
        out.feeds.append(feed)
        if not feed.items:
            log.info("feed %s has no items", url)
        _read_items(feed, fetcher, lambda link: link in taken or have(link), out, taken)
    return out


def _read_items(
    feed: Feed, fetcher: Fetcher, skip: Callable[[str], bool], out: Harvest, taken: set[str]
) -> None:
    for item in feed.items:
        if skip(item.link):
            continue
        taken.add(item.link)
        try:
            page = fetcher.get(item.link)
            out.documents.append(page_document(page, item.link, item_meta(feed, item)))
        except SkipFile as err:
            out.skipped.append((item.link, str(err)))
