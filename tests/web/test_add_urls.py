"""Adding articles from URLs and feeds in the web app, against a news site on 127.0.0.1: the page's
handler, the library behind it, the guard against fetching private addresses, and source cards that
link to the page an article came from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Answer, Citation
from assistant.errors import InvalidInput
from assistant.web import render
from tests.news_site import NewsSite

pytestmark = pytest.mark.slow


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(slow_s=3.0) as served:
        yield served


def make_assistant(path: Path, embedder: Any, private: bool) -> Any:
    from assistant.core import Assistant
    from index.settings import FetchSettings, Settings, StoreSettings

    settings = Settings(
        store=StoreSettings(path=path), fetch=FetchSettings(timeout_s=1.0, allow_private_hosts=private)
    )
    return Assistant(settings, embedder=embedder)


def test_the_page_adds_a_feed_and_a_page_and_the_answer_links_to_the_original(
    site: NewsSite, tmp_path: Path, embedder: Any
) -> None:
    from assistant.web.page import WebChat

    assistant = make_assistant(tmp_path / "store", embedder, private=True)
    storm = site.url("/news/storm.html")
    text = f"{site.url('/feed.atom')}\n  {storm}\n"
    shown, *_refreshed, cleared = WebChat(assistant).add_urls(text, progress=lambda *a, **k: None)
    assert "2 added, 0 updated, 0 unchanged" in shown
    assert f"<b>{site.url('/private/minutes.html')}</b>: disallowed by the site&#x27;s robots.txt" in shown
    assert cleared == ""
    assert set(assistant.store.records()) == {storm, site.url("/local/bridge.html")}
    assert list(assistant.store.feeds()) == [site.url("/feed.atom")]

    answer = assistant.ask("How many metres of railing were torn away by the storm?")
    assert answer.citations and answer.citations[0].source == storm
    cards = render.sources_html(answer, 0)
    assert f'<a class="card-link" href="{storm}" target="_blank" rel="noopener noreferrer"' in cards


def test_private_addresses_are_refused_unless_allowed(site: NewsSite, tmp_path: Path, embedder: Any) -> None:
    from assistant.web.library import Library

    assistant = make_assistant(tmp_path / "store", embedder, private=False)
    report = Library(assistant).add_urls([site.url("/news/storm.html")])
    assert report.added == []
    assert report.skipped == [
        (site.url("/news/storm.html"), "127.0.0.1 is a private or local address; fetching it is turned off")
    ]
    assert site.requests == []


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([], "Paste the address"),
        (["   "], "Paste the address"),
        (["file:///etc/passwd"], "Not a web address: 'file:///etc/passwd'"),
        (["ftp://example.org/feed"], "Not a web address"),
        ([f"https://example.org/{n}" for n in range(21)], "At most 20 addresses at a time; got 21."),
    ],
)
def test_what_is_not_a_web_address_is_refused_before_fetching(
    tmp_path: Path, embedder: Any, given: list[str], message: str
) -> None:
    from assistant.web.library import Library

    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(".", r"\.")):
        Library(make_assistant(tmp_path / "store", embedder, private=True)).add_urls(given)


@pytest.mark.parametrize(
    ("source", "linked"),
    [("https://example.org/a", True), ("a.txt", False), ("javascript:alert(1)", False)],
)
def test_cards_link_only_web_sources(source: str, linked: bool) -> None:
    answer = Answer("q", "a [1].", citations=(Citation(1, source, "T", "O", "2024-01-01", "Quote.", 0, 6),))
    assert ('class="card-link"' in render.sources_html(answer, 0)) is linked
