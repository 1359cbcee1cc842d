"""The web page in a real browser (Debian's chromium driven by Playwright) against `python app.py`:
streaming answers with sources and conflicts, clickable citations, uploads, hostile articles, the phone
layout and dark mode. Screenshots and the time-to-first-answer figure go to artifacts/ (git-ignored)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, sample_store, serving_app

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO_ROOT / "data" / "articles"
HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "quenmoor_surge.md"
ARTIFACTS = REPO_ROOT / "artifacts"
CALL_LENGTH = "How long did the Biden-Netanyahu phone call last?"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Resolves once the last chat answer shows text other than the "searching" placeholder.
ANSWER_SHOWN = """() => {
  const bots = document.querySelectorAll('#chat .bot');
  const last = bots[bots.length - 1];
  return !!last && !last.querySelector('.searching') && last.innerText.trim().length > 0;
}"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Path:
    """The sample articles indexed into a fresh store."""
    return sample_store(tmp_path_factory.mktemp("web") / "store", embedder)


@pytest.fixture(scope="module")
def server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the default extractive backend, shared by the module's tests."""
    with serving_app(store_dir, tmp_path_factory.mktemp("web-log") / "app.log") as url:
        yield url


class Page:
    """A fresh browser session on the app, recording dialogs and page errors."""

    def __init__(self, browser: Any, url: str, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector("#question textarea")
        self.page.wait_for_selector("#status .status")

    def ask(self, question: str) -> None:
        """Type a question, press Enter and wait for the answer and its source cards."""
        answers = self.page.locator("#chat .bot").count()
        self.page.fill("#question textarea", question)
        self.page.press("#question textarea", "Enter")
        self.page.wait_for_function(f"() => document.querySelectorAll('#chat .bot').length > {answers}")
        self.page.wait_for_function(ANSWER_SHOWN, timeout=60_000)
        # The panels of this turn, not the previous one's that may still be on screen.
        self.page.wait_for_selector(f"#sources [data-turn='{answers}']", timeout=60_000)
        self.page.wait_for_selector(f"#conflicts [data-turn='{answers}']", timeout=60_000)

    def upload(self, *paths: Path) -> str:
        """Upload files through the "Add articles" panel, index them, and return the report text."""
        if not self.page.locator("#files").is_visible():
            self.page.get_by_text("Add articles").click()
        self.page.set_input_files("#files input[type=file]", [str(p) for p in paths])
        for path in paths:
            self.page.locator("#files").get_by_text(path.stem, exact=True).wait_for()
        self.page.click("#index-button")
        self.page.wait_for_selector("#upload-report .report, #upload-report .notice", timeout=120_000)
        return str(self.page.inner_text("#upload-report"))

    def article_count(self) -> int:
        """The number of articles the status line shows."""
        text = self.page.inner_text("#status .status")
        match = re.search(r"([\d,]+)\s+articles", text)
        assert match, text
        return int(match.group(1).replace(",", ""))

    def shot(self, name: str, full_page: bool = False) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.wait_for_timeout(400)  # let smooth scrolling and fonts settle
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


@pytest.fixture
def desktop(browser: Any, server: str) -> Iterator[Page]:
    """A 1280×800 session."""
    page = Page(browser, server, DESKTOP)
    yield page
    page.context.close()


def test_call_length_answer_shows_sources_and_a_two_sided_conflict(desktop: Page) -> None:
    page = desktop.page
    page.evaluate(
        """() => {
      window.__asked = null; window.__shown = null;
      document.querySelector('#question textarea').addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && window.__asked === null) window.__asked = performance.now();
      }, true);
      new MutationObserver(() => {
        if (window.__asked !== null && window.__shown === null && (__ANSWER_SHOWN__)()) window.__shown = performance.now();
      }).observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
    }""".replace("__ANSWER_SHOWN__", ANSWER_SHOWN)
    )
    desktop.ask(CALL_LENGTH)
    answer = page.locator("#chat .bot").last
    assert "minute" in answer.inner_text()
    assert answer.locator("a.cite").count() >= 1
    assert page.locator("#sources a.card").first.is_visible()
    conflict = page.locator("#conflicts .conflict").first
    assert conflict.is_visible()
    sides = conflict.locator(".side")
    assert sides.count() >= 2 and sides.nth(0).is_visible() and sides.nth(1).is_visible()
    assert sides.nth(0).locator(".value").inner_text() != sides.nth(1).locator(".value").inner_text()
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"]  # next to each other
    seconds = (page.evaluate("window.__shown - window.__asked")) / 1000
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "web_first_answer.json").write_text(
        json.dumps({"question": CALL_LENGTH, "seconds": seconds})
    )
    desktop.shot("web_desktop_answer.png")
    assert desktop.dialogs == []


def test_clicking_a_citation_opens_the_article_at_the_highlighted_quote(desktop: Page) -> None:
    page = desktop.page
    desktop.ask(CALL_LENGTH)
    marker = page.locator("#chat .bot").last.locator("a.cite").first
    number = marker.inner_text().strip("[]")
    card = page.locator(f"#sources a.card:has(.num:text-is('[{number}]'))")
    quote = card.locator(".quote").inner_text().strip('“”"')
    source = card.locator(".source-id").inner_text()
    marker.click()
    mark = page.locator("#article mark.quoted")
    mark.wait_for()
    assert mark.inner_text().strip() == quote.strip()
    assert source in page.locator("#article .meta").inner_text()
    page.wait_for_function(
        "() => { const r = document.querySelector('#article mark.quoted')"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    desktop.shot("web_desktop_article.png")
    side = page.locator("#conflicts .side").nth(1)
    side_quote = side.locator(".quote").inner_text().strip('“”"')
    side.click()
    page.wait_for_function(
        "(q) => document.querySelector('#article mark.quoted')?.innerText.trim() === q",
        arg=side_quote.strip(),
    )


def test_an_uploaded_article_is_searchable_and_cited_at_once(desktop: Page, tmp_path: Path) -> None:
    article = tmp_path / "brenvale_lantern.txt"
    article.write_text(
        "The Brenvale lantern festival drew 12,400 visitors to the riverside town on Saturday, organisers said.\n"
        "Volunteers floated more than 900 paper lanterns down the Ossel river after sunset.\n"
        "The festival, first held in 1987, raised money for the town's lifeboat station.\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    before = desktop.article_count()
    report = desktop.upload(article, empty)
    assert "1 added" in report
    assert "empty.txt" in report and "empty file" in report
    desktop.page.wait_for_function(
        f"() => /\\b{before + 1} articles/.test(document.querySelector('#status').innerText)"
    )
    desktop.ask("How many visitors did the Brenvale lantern festival draw?")
    assert "12,400" in desktop.page.locator("#chat .bot").last.inner_text()
    cited = desktop.page.locator("#sources a.card .source-id", has_text="brenvale_lantern.txt")
    assert cited.count() >= 1 and cited.first.is_visible()


def test_hostile_article_is_shown_as_text_and_nothing_executes(desktop: Page) -> None:
    page = desktop.page
    assert "1 added" in desktop.upload(HOSTILE)
    desktop.ask("How high was the surge recorded by the Quenmoor harbour tide gauge?")
    card = page.locator("#sources a.card", has=page.locator(".source-id", has_text=HOSTILE.name)).first
    assert "<script>" in card.inner_text()  # the title, as text
    card.click()
    page.locator("#article mark.quoted").wait_for()
    article = page.inner_text("#article")
    assert '<img src=x onerror="window.__xss_img = 1;' in article
    assert "<script>window.__xss_script = 1;" in article
    assert "Tidewatch <img src=x" in article
    page.wait_for_timeout(500)
    assert desktop.dialogs == []
    executed = page.evaluate(
        "['__xss_title', '__xss_outlet', '__xss_img', '__xss_script'].filter(n => n in window)"
    )
    assert executed == []
    assert page.evaluate("document.querySelectorAll('img[onerror], img[src=\"x\"]').length") == 0
    assert page.evaluate("[...document.scripts].filter(s => s.text.includes('__xss')).length") == 0


def test_follow_up_keeps_earlier_citations_clickable(desktop: Page) -> None:
    page = desktop.page
    desktop.ask(CALL_LENGTH)
    first_quote = page.locator("#sources a.card .quote").first.inner_text().strip('“”"')
    desktop.ask("Who else joined it?")
    assert page.locator("#chat .bot").count() == 2
    page.locator("#chat .bot").first.locator("a.cite").first.click()
    page.wait_for_function(
        "(q) => document.querySelector('#article mark.quoted')?.innerText.trim() === q",
        arg=first_quote.strip(),
    )


def test_bad_filter_dates_get_a_short_message_not_an_answer(desktop: Page) -> None:
    page = desktop.page
    page.get_by_text("Filters").click()
    page.fill("#from textarea, #from input", "last week")
    page.fill("#question textarea", CALL_LENGTH)
    page.press("#question textarea", "Enter")
    page.get_by_text("Write dates as YYYY-MM-DD").first.wait_for()
    assert page.locator("#chat .bot").count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_date_filter_keeps_only_sources_published_in_range(desktop: Page) -> None:
    page = desktop.page
    desktop.ask(CALL_LENGTH)
    metas = page.locator("#sources a.card .meta").all_inner_texts()
    dates = [m.group(0) for m in map(DATE.search, metas) if m]
    assert dates, "the sample answer should cite at least one dated article"
    day = sorted(dates)[0]
    page.get_by_text("Filters").click()
    page.fill("#from textarea, #from input", day)
    page.fill("#to textarea, #to input", day)
    desktop.ask(CALL_LENGTH)
    metas = page.locator("#sources a.card .meta").all_inner_texts()
    assert metas and all((m := DATE.search(meta)) and m.group(0) == day for meta in metas)


def test_phone_layout_stacks_conflict_sides_without_sideways_scrolling(browser: Any, server: str) -> None:
    phone = Page(browser, server, PHONE)
    try:
        phone.ask(CALL_LENGTH)
        sides = phone.page.locator("#conflicts .conflict").first.locator(".side")
        first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"] - 1
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.shot("web_phone_answer.png")
        phone.page.locator("#conflicts").scroll_into_view_if_needed()
        phone.shot("web_phone_conflicts.png")
    finally:
        phone.context.close()


def test_dark_mode_renders_the_answer_panels(browser: Any, server: str) -> None:
    dark = Page(browser, server + "?__theme=dark", DESKTOP)
    try:
        dark.ask(CALL_LENGTH)
        assert dark.page.evaluate("!!document.querySelector('.dark')")
        dark.shot("web_desktop_dark_answer.png")
        dark.page.locator("#chat .bot").last.locator("a.cite").first.click()
        dark.page.locator("#article mark.quoted").wait_for()
        dark.shot("web_desktop_dark.png")
    finally:
        dark.context.close()


def test_a_failing_model_backend_falls_back_to_the_extractive_answer_with_a_note(
    browser: Any, store_dir: Path, tmp_path: Path
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    backend = {
        "ASSISTANT_LLM__BACKEND": "openai",
        "ASSISTANT_LLM__BASE_URL": closed,
        "ASSISTANT_LLM__API_KEY": "unused",
        "ASSISTANT_LLM__MODEL": "unused",
    }
    with serving_app(store_dir, tmp_path / "app.log", **backend) as url:
        session = Page(browser, url, DESKTOP)
        try:
            assert "answers: openai" in session.page.inner_text("#status")
            session.ask(CALL_LENGTH)
            answer = session.page.locator("#chat .bot").last
            assert "minute" in answer.inner_text()
            assert "extractive answer" in answer.locator(".note").inner_text()
            assert session.page.locator("#sources a.card").count() >= 1
        finally:
            session.context.close()


def _pick(page: Any, dropdown: str, text: str) -> None:
    """Choose the option containing `text` in a Gradio dropdown."""
    page.click(f"{dropdown} input")
    page.locator(f"{dropdown} li[role=option]", has_text=text).first.click()


def test_stories_view_shows_a_story_s_articles_and_its_conflicts_side_by_side(
    desktop: Page, tmp_path: Path
) -> None:
    page = desktop.page
    other = tmp_path / "lorrin_library.txt"
    other.write_text(
        "Lorrin council votes to close Wexley library\nLorrin Daily — March 4, 2026\n\n"
        "The Lorrin city council voted 7 to 2 on Tuesday night to close the Wexley Street library branch.\n"
        "Council member Ada Fenn said the branch served more than 400 families a week.\n",
        encoding="utf-8",
    )
    desktop.upload(other)
    page.get_by_text("Stories", exact=True).first.click()
    overview = page.locator("#story-view .story-list li")
    overview.first.wait_for()
    labels = overview.all_inner_texts()
    assert len(labels) >= 2 and any("Wexley" in label for label in labels)
    _pick(page, "#story-pick", "Biden, Netanyahu")
    story = page.locator("#story-view section.story")
    story.wait_for()
    assert story.locator(".story-outlet li").count() == 5
    assert "2024-10-09" in story.inner_text() and "Wexley" not in story.inner_text()
    sides = story.locator(".conflict").first.locator(".side")
    assert sides.count() >= 2
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"]  # next to each other
    desktop.shot("web_stories_view.png", full_page=True)

    page.get_by_text("Filters").click()
    _pick(page, "#story-filter", "Wexley")
    desktop.ask("How many families did the Wexley Street branch serve?")
    metas = page.locator("#sources a.card").all_inner_texts()
    assert metas and all("lorrin_library.txt" in m for m in metas)
    assert desktop.dialogs == []
