"""Embedding in a real browser, and the API over real HTTP: `python app.py` serves on one loopback
port; a "wiki" page on another port uses the snippets of docs/EMBEDDING.md; a page on a third port,
not an allowed origin, is refused by the browser."""

from __future__ import annotations

import http.client
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.servers import REPO_ROOT, free_port, sample_store, serving_app

pytestmark = pytest.mark.slow

CALL = "How long did the Biden-Netanyahu phone call last?"
DOCS_HOST = "https://assistant.example.org"
TOKEN = "embed-test-token-7f3a"
WIKI_PORT = free_port()
APP_LOGS: dict[str, Path] = {}


def snippet(kind: str) -> str:
    """The first HTML snippet of docs/EMBEDDING.md holding a `<script` or an `<iframe` tag."""
    text = (REPO_ROOT / "docs" / "EMBEDDING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```html\n(.*?)```", text, flags=re.S)
    found = [b.strip() for b in blocks if b.lstrip().startswith(f"<{kind}")]
    assert found, f"docs/EMBEDDING.md has no {kind} snippet"
    return found[0]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[str]:
    """The app over the sample articles, allowing the wiki origin and requiring an API token."""
    store = sample_store(tmp_path_factory.mktemp("embed") / "store", embedder)
    env = {
        "ASSISTANT_SERVER__ALLOWED_ORIGINS": json.dumps([f"http://127.0.0.1:{WIKI_PORT}"]),
        "ASSISTANT_SERVER__API_TOKEN": TOKEN,
        "ASSISTANT_SERVER__READ_ONLY": "true",
    }
    log = tmp_path_factory.mktemp("embed-log") / "app.log"
    with serving_app(store, log, **env) as url:
        APP_LOGS[url] = log
        yield url


@pytest.fixture
def site() -> Iterator[Callable[[str, int], str]]:
    """Serves one HTML page on a loopback port; returns its URL. Stopped after the test."""
    servers: list[ThreadingHTTPServer] = []

    def _serve(body: str, port: int) -> str:
        page = f"<!doctype html><html><body><h1>Team wiki</h1>{body}</body></html>".encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *_: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{port}/page.html"

    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _embed(body: str, app_url: str) -> str:
    return body.replace(DOCS_HOST + "/", app_url)


def test_the_script_snippet_embeds_a_working_chat_with_citations_and_conflicts(
    browser: Any, app_url: str, site: Callable[[str, int], str]
) -> None:
    url = site(_embed(snippet("script"), app_url), WIKI_PORT)
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        frame = page.frame_locator("iframe")
        frame.locator("#question textarea").wait_for(timeout=60_000)
        frame.locator("#status .status").wait_for(timeout=60_000)  # the page's load event has run
        assert not frame.locator("#upload-panel").is_visible()
        frame.locator("#question textarea").fill(CALL)
        frame.locator("#question textarea").press("Enter")
        try:
            frame.locator("#sources [data-turn='0']").wait_for(timeout=120_000)
            frame.locator("#conflicts [data-turn='0']").wait_for(timeout=60_000)
        except Exception:
            log = APP_LOGS[app_url].read_text(encoding="utf-8", errors="replace")
            pytest.fail("no answer in the embedded chat; the app's log ends:\n" + log[-3000:])
        answer = frame.locator("#chat .bot").last.inner_text()
        assert re.search(r"\[\d+\]", answer), answer
        conflicts = frame.locator("#conflicts").inner_text()
        assert "30-minute" in conflicts and "about 50 minutes" in conflicts
    finally:
        context.close()


def test_the_iframe_snippet_shows_the_compact_page(
    browser: Any, app_url: str, site: Callable[[str, int], str]
) -> None:
    url = site(_embed(snippet("iframe"), app_url), WIKI_PORT)
    context = browser.new_context(viewport={"width": 420, "height": 900})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        frame = page.frame_locator("iframe")
        frame.locator("#question textarea").wait_for(timeout=60_000)
        frame.locator("#conflicts").wait_for()
        frame.locator("#sources").wait_for()
    finally:
        context.close()


def test_a_site_that_is_not_allowed_cannot_frame_the_chat(
    browser: Any, app_url: str, site: Callable[[str, int], str]
) -> None:
    url = site(_embed(snippet("script"), app_url), free_port())
    context = browser.new_context()
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(url, wait_until="load")
        page.wait_for_function("() => !!document.querySelector('iframe')")
        page.wait_for_timeout(3000)
        refused = [m for m in console if "frame-ancestors" in m]
        assert refused, console
        assert all(frame.locator("#question").count() == 0 for frame in page.frames)
    finally:
        context.close()


# --- the API over real HTTP -----------------------------------------------------------------------


def _call(url: str, body: dict[str, Any] | None = None, token: str = "") -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_live_api_answers_the_call_length_question_with_both_quotes(app_url: str) -> None:
    status, body = _call(app_url + "api/v1/ask", {"question": CALL}, TOKEN)
    assert status == 200, body
    sides = [s for c in body["conflicts"] if c["kind"] == "contradiction" for s in c["sides"]]
    quotes = " | ".join(s["quote"] for s in sides)
    assert "30-minute" in quotes and "about 50 minutes" in quotes


def test_live_api_refuses_calls_without_the_token_and_writes_in_read_only_mode(app_url: str) -> None:
    status, body = _call(app_url + "api/v1/ask", {"question": CALL})
    assert status == 401 and TOKEN not in json.dumps(body)
    request = urllib.request.Request(app_url + "api/v1/articles/001.txt", method="DELETE")
    request.add_header("Authorization", f"Bearer {TOKEN}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 403
    assert _call(app_url + "healthz")[0] == 200


def test_live_api_streams_server_sent_events(app_url: str) -> None:
    host, port = app_url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    connection.request("POST", "/api/v1/ask/stream", json.dumps({"question": CALL}), headers)
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/event-stream")
    events = re.findall(r"^event: (\w+)$", response.read().decode(), flags=re.M)
    connection.close()
    assert events[0] == "token" and events[-3:] == ["citations", "conflicts", "answer"]


def test_the_docs_snippets_point_at_the_embed_page() -> None:
    assert Path(REPO_ROOT / "docs" / "EMBEDDING.md").exists()
    assert f'src="{DOCS_HOST}/embed.js"' in snippet("script")
    assert f'src="{DOCS_HOST}/embed/"' in snippet("iframe")
