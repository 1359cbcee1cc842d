"""`python -m index build URL` and `refresh` against a news site on 127.0.0.1, with the real
embedder and Chroma: pages and feed items indexed under their URLs, failures reported one per line."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index.fetch import Fetcher
from index.settings import FetchSettings
from tests.conftest import REPO_ROOT, SAMPLE_DIR, cli_env, index_command
from tests.news_site import NewsSite, rss_item

pytestmark = pytest.mark.slow


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(slow_s=3.0) as served:
        yield served


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = cli_env() | {"ASSISTANT_FETCH__TIMEOUT_S": "1", "ASSISTANT_FETCH__MAX_BYTES": "1000000"}
    return subprocess.run(
        index_command(*args), cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_build_from_feeds_and_pages_then_refresh(site: NewsSite, tmp_path: Path) -> None:
    store = tmp_path / "store"
    urls = [site.url(p) for p in ("/feed.rss", "/feed.atom", "/news/slow.html", "/news/huge.html")]
    done = run("build", *urls, "--store", store)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("3 added, 0 updated, 0 unchanged, 0 removed, 4 skipped")
    skipped = done.stderr.splitlines()
    for path, reason in [
        ("/news/missing.html", "HTTP 404 Not Found"),
        ("/private/minutes.html", "disallowed by the site's robots.txt"),
        ("/news/slow.html", "timed out after 1 s"),
        ("/news/huge.html", "over the 1,000,000-byte limit"),
    ]:
        assert f"skipped {site.url(path)}: {reason}" in skipped
    rows = {row["id"]: row for row in json.loads(run("list", "--json", "--store", store).stdout)}
    assert sorted(rows) == sorted(
        site.url(p) for p in ("/news/storm.html", "/news/moved", "/local/bridge.html")
    )
    assert rows[site.url("/news/moved")]["url"] == site.url("/local/council.html")
    assert rows[site.url("/news/storm.html")]["outlet"] == "Harlow Gazette"
    shown = json.loads(run("show", site.url("/news/storm.html"), "--json", "--store", store).stdout)
    assert "About 40 metres of railing were torn away." in shown["text"]
    assert "cookies" not in shown["text"]

    site.rss_items.append(
        rss_item(site.base, "/local/council.html", "Council budget", "Fri, 06 Mar 2026 21:00:00 GMT")
    )
    storm_visits = site.asked("/news/storm.html")
    again = run("refresh", "--store", store)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().startswith("1 added, 0 updated")
    assert site.asked("/news/storm.html") == storm_visits  # items already indexed are not fetched
    assert site.asked("/feed.atom") == 2  # every remembered feed is read again


def test_a_folder_build_keeps_articles_from_the_web(
    site: NewsSite, tmp_path: Path, builder_for: Callable
) -> None:
    builder = builder_for(tmp_path / "store")
    fetcher = Fetcher(FetchSettings(timeout_s=2.0))
    page = site.url("/news/storm.html")
    first = builder.build([SAMPLE_DIR], urls=[page], fetcher=fetcher)
    assert page in first.added and len(first.added) == 6
    second = builder.build([SAMPLE_DIR])
    assert second.removed == []
    assert page in builder.store.records()
    third = builder.build([], urls=[page], fetcher=fetcher)
    assert third.unchanged == [page] and third.added == third.updated == []
