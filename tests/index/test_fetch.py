"""Fetching pages and feeds from a news site on 127.0.0.1: extraction, feeds, limits, reasons."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from index.errors import SkipFile
from index.feeds import parse_feed
from index.fetch import Fetcher, page_document
from index.remote import harvest
from index.settings import FetchSettings
from tests.news_site import NewsSite, rss_item


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(slow_s=3.0) as served:
        yield served


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    got = Fetcher(FetchSettings(timeout_s=1.0, max_bytes=1_000_000, max_redirects=3))
    yield got
    got.close()


def test_a_page_keeps_its_article_and_loses_the_site_around_it(site: NewsSite, fetcher: Fetcher) -> None:
    url = site.url("/news/storm.html")
    doc = page_document(fetcher.get(url), url)
    assert doc.id == url
    assert "About 40 metres of railing were torn away." in doc.text
    assert "Gusts of 78 miles per hour were recorded at the harbour" in doc.text
    for chrome in (
        "We use cookies",
        "Accept all cookies",
        "Subscribe",
        "Related stories",
        "Most read",
        "Flood defences approved",
        "All rights reserved",
        "newsletter",
    ):
        assert chrome not in doc.text, chrome
    assert doc.meta["title"] == "Storm closes Harlow coast road for two days"
    assert doc.meta["outlet"] == "Harlow Gazette"
    assert doc.meta["published"] == "2026-03-04"
    assert doc.meta["url"] == url


def test_requests_name_the_product_and_read_robots_txt_once(site: NewsSite, fetcher: Fetcher) -> None:
    fetcher.get(site.url("/news/storm.html"))
    fetcher.get(site.url("/local/bridge.html"))
    assert [path for path, _ in site.requests] == ["/robots.txt", "/news/storm.html", "/local/bridge.html"]
    assert all(agent.startswith("news-assistant/") for _, agent in site.requests)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/news/missing.html", "HTTP 404 Not Found"),
        ("/news/slow.html", "timed out after 1 s"),
        ("/news/trickle.html", "timed out after 1 s"),
        ("/news/huge.html", "over the 1,000,000-byte limit"),
        ("/news/loop", "more than 3 redirects"),
        ("/private/minutes.html", "disallowed by the site's robots.txt"),
    ],
)
def test_a_page_that_cannot_be_had_says_why_in_one_line(
    site: NewsSite, fetcher: Fetcher, path: str, reason: str
) -> None:
    started = time.monotonic()
    with pytest.raises(SkipFile) as caught:
        fetcher.get(site.url(path))
    assert str(caught.value) == reason
    assert time.monotonic() - started < 2.5  # the 1 s deadline holds for the whole page
    if "robots" in reason:
        assert site.asked(path) == 0


def test_refused_connection_and_other_schemes(fetcher: Fetcher) -> None:
    from tests.servers import free_port

    with pytest.raises(SkipFile, match="connection refused"):
        fetcher.get(f"http://127.0.0.1:{free_port()}/news.html")
    with pytest.raises(SkipFile, match="only http"):
        fetcher.get("file:///etc/passwd")


def test_redirects_are_followed_and_the_card_links_where_the_page_was_found(
    site: NewsSite, fetcher: Fetcher
) -> None:
    url = site.url("/news/moved")
    page = fetcher.get(url)
    assert page.final_url == site.url("/local/council.html")
    doc = page_document(page, url)
    assert doc.id == url and doc.meta["url"] == site.url("/local/council.html")
    assert "Parking charges in the harbour car park will rise" in doc.text


def test_private_addresses_are_refused_when_not_allowed(site: NewsSite) -> None:
    guarded = Fetcher(FetchSettings(), allow_private=False)
    with pytest.raises(SkipFile, match="private or local address"):
        guarded.get(site.url("/news/storm.html"))
    assert site.requests == []


def test_rss_and_atom_feeds_list_their_items(site: NewsSite, fetcher: Fetcher) -> None:
    rss = parse_feed(fetcher.get(site.url("/feed.rss")))
    atom = parse_feed(fetcher.get(site.url("/feed.atom")))
    assert rss is not None and atom is not None
    assert rss.title == "Harlow Gazette - News"
    assert [i.link for i in rss.items] == [
        site.url(p) for p in ("/news/storm.html", "/news/moved", "/news/missing.html")
    ]
    assert rss.items[0].published == "2026-03-04"
    assert atom.title == "The Penmarrow Post"
    assert atom.items[0].link == site.url("/local/bridge.html")  # relative link made absolute
    assert atom.items[0].published == "2026-03-05"
    assert parse_feed(fetcher.get(site.url("/news/storm.html"))) is None


def test_harvest_indexes_what_it_can_and_gives_a_reason_for_the_rest(
    site: NewsSite, fetcher: Fetcher
) -> None:
    got = harvest([site.url("/feed.rss"), site.url("/feed.atom"), site.url("/news/slow.html")], fetcher)
    assert sorted(d.id for d in got.documents) == sorted(
        site.url(p) for p in ("/news/storm.html", "/news/moved", "/local/bridge.html")
    )
    assert dict(got.skipped) == {
        site.url("/news/missing.html"): "HTTP 404 Not Found",
        site.url("/private/minutes.html"): "disallowed by the site's robots.txt",
        site.url("/news/slow.html"): "timed out after 1 s",
    }
    assert [f.url for f in got.feeds] == [site.url("/feed.rss"), site.url("/feed.atom")]
    bridge = next(d for d in got.documents if d.id.endswith("/local/bridge.html"))
    # The page states no outlet or date (trafilatura guesses 2026-01-01 from its copyright line);
    # the feed states both, and the item's headline.
    assert bridge.meta["outlet"] == "The Penmarrow Post"
    assert bridge.meta["published"] == "2026-03-05"
    assert bridge.meta["title"] == "Penmarrow bridge repairs to take until summer"


def test_harvest_skips_feed_items_already_indexed(site: NewsSite, fetcher: Fetcher) -> None:
    site.rss_items.append(
        rss_item(site.base, "/local/bridge.html", "Bridge", "Thu, 05 Mar 2026 09:00:00 GMT")
    )
    known = {site.url("/news/storm.html"), site.url("/news/moved"), site.url("/news/missing.html")}
    got = harvest([site.url("/feed.rss")], fetcher, have=known.__contains__)
    assert [d.id for d in got.documents] == [site.url("/local/bridge.html")]
    assert site.asked("/news/storm.html") == 0
