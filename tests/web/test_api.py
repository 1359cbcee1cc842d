"""The REST API through FastAPI's test client, over a real Chroma store of the sample articles:
each endpoint, each error status, auth on and off, read-only mode, rate limiting, CORS and CSP."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.slow

CALL = "How long did the Biden-Netanyahu phone call last?"
TOKEN = "s3cret-token-for-tests"
ARTICLE = (
    "Title: Harbour bridge reopens\n\n"
    "The Veltmark harbour bridge reopened on Friday after a week of repairs to its lifting span. "
    "Engineers replaced 42 steel cables during the closure, the city's transport office said.\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[tuple[Path, Any]]:
    """A store with the five sample articles, and the one `Store` every app here shares."""
    from index.build import Builder
    from index.settings import IndexSettings, StoreSettings
    from index.store import Store

    path = tmp_path_factory.mktemp("api") / "store"
    store = Store(StoreSettings(path=path), embedder.name)
    Builder(store, embedder, IndexSettings()).build([SAMPLE_DIR])
    yield path, store
    store.client.close()


@pytest.fixture
def make_client(built: tuple[Path, Any], embedder: Any) -> Callable[..., Any]:
    """A test client of an API over the shared store, with server settings overridden by keywords."""
    from fastapi.testclient import TestClient

    from assistant.core import Assistant
    from assistant.web.server import create_app
    from index.settings import ServerSettings, Settings, StoreSettings

    path, store = built

    def _client(index_bytes: int | None = None, **server: Any) -> TestClient:
        settings = Settings(store=StoreSettings(path=path), server=ServerSettings(**server))
        if index_bytes is not None:
            settings.index.max_file_bytes = index_bytes
        assistant = Assistant(settings, store=store, embedder=embedder)
        return TestClient(create_app(assistant, pages=False))

    return _client


@pytest.fixture
def client(make_client: Callable[..., Any]) -> Any:
    return make_client()


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    message = body["error"]["message"]
    assert isinstance(message, str) and message and "\n" not in message
    return str(message)


# --- answers ---------------------------------------------------------------------------------------


def test_ask_returns_the_cli_json_object_with_both_conflicting_quotes(client: Any, built: Any) -> None:
    response = client.post("/api/v1/ask", json={"question": CALL})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"question", "answer", "abstained", "citations", "conflicts", "notes", "related"}
    contradiction = next(c for c in body["conflicts"] if c["kind"] == "contradiction")
    quotes = " | ".join(side["quote"] for side in contradiction["sides"])
    assert "30-minute" in quotes and "about 50 minutes" in quotes
    assert len({side["source"] for side in contradiction["sides"]}) >= 2
    _, store = built
    for citation in body["citations"]:
        text = store.article(citation["source"]).text
        assert text[citation["start"] : citation["end"]] == citation["quote"]


def test_ask_answers_as_the_cli_does(client: Any, built: Any, embedder: Any) -> None:
    from assistant.core import Assistant
    from index.settings import Settings, StoreSettings

    path, store = built
    direct = Assistant(Settings(store=StoreSettings(path=path)), store=store, embedder=embedder).ask(CALL)
    assert client.post("/api/v1/ask", json={"question": CALL}).json() == direct.to_json()


def _events(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_streaming_sends_tokens_then_citations_conflicts_and_the_answer(client: Any) -> None:
    with client.stream("POST", "/api/v1/ask/stream", json={"question": CALL}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = _events(response.read().decode())
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "token" and kinds[-3:] == ["citations", "conflicts", "answer"]
    answer = events[-1][1]
    assert "".join(data["text"] for kind, data in events if kind == "token").strip() == answer["answer"]
    assert events[-3][1] == answer["citations"] and events[-2][1] == answer["conflicts"]
    assert any(c["kind"] == "contradiction" for c in answer["conflicts"])


def test_history_and_filters_are_accepted(client: Any) -> None:
    body = {
        "question": "And who else joined it?",
        "history": [{"question": CALL, "answer": "About 30 minutes."}],
        "filters": {"outlets": [], "since": "2024-01-01", "until": "2025-12-31"},
    }
    response = client.post("/api/v1/ask", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["question"] == "And who else joined it?"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"question": ""}, "type a question"),
        ({"question": " \t\n "}, "type a question"),
        ({"question": "x" * 5000}, "limited to"),
        ({"question": "x" * 100_001}, "question"),
        ({"question": 5}, "question"),
        ({}, "question: Field required"),
        ({"question": "Why?", "filtres": {}}, "Unknown field: filtres"),
        ({"question": "Why?", "filters": {"since": "yesterday"}}, "filters.since"),
        ({"question": "Why?", "filters": {"since": "2024-05-01", "until": "2024-01-01"}}, "after"),
        ({"question": "Why?", "history": [{"question": "a"}]}, "history.0.answer"),
    ],
)
def test_bad_questions_get_400_with_a_clear_message(client: Any, body: Any, expected: str) -> None:
    assert expected.lower() in _error(client.post("/api/v1/ask", json=body), 400).lower()


def test_malformed_json_and_wrong_content_get_400(client: Any) -> None:
    headers = {"content-type": "application/json"}
    assert "not valid JSON" in _error(
        client.post("/api/v1/ask", content=b'{"question":', headers=headers), 400
    )
    _error(client.post("/api/v1/ask", content=b"[1, 2]", headers=headers), 400)


def test_oversized_json_body_gets_413(make_client: Callable[..., Any]) -> None:
    client = make_client(max_body_bytes=2_000)
    response = client.post("/api/v1/ask", json={"question": "Why? " + "padding " * 500})
    assert "too large" in _error(response, 413)


# --- articles --------------------------------------------------------------------------------------


def test_articles_are_listed_and_readable(client: Any) -> None:
    listed = client.get("/api/v1/articles").json()
    assert {a["id"] for a in listed} == {p.name for p in SAMPLE_DIR.iterdir()}
    first = listed[0]
    article = client.get(f"/api/v1/articles/{first['id']}").json()
    assert article["id"] == first["id"] and len(article["text"]) > 200
    assert "no-such.txt" in _error(client.get("/api/v1/articles/no-such.txt"), 404)


def test_upload_ask_and_delete_an_article(client: Any, built: Any) -> None:
    path, _ = built
    files = [("files", ("veltmark-bridge.txt", ARTICLE.encode(), "text/plain"))]
    response = client.post("/api/v1/articles", files=files)
    assert response.status_code == 201, response.text
    assert response.json()["added"] == ["veltmark-bridge.txt"]
    article_id = "veltmark-bridge.txt"
    assert (path / "uploads" / article_id).is_file()
    answer = client.post(
        "/api/v1/ask", json={"question": "How many steel cables did engineers replace?"}
    ).json()
    assert article_id in {c["source"] for c in answer["citations"]} and "42" in answer["answer"]

    again = client.post("/api/v1/articles", files=files).json()
    assert again["unchanged"] == [article_id] and not again["added"]

    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 204
    _error(client.get(f"/api/v1/articles/{article_id}"), 404)
    assert not (path / "uploads" / article_id).exists()
    _error(client.delete(f"/api/v1/articles/{article_id}"), 404)


def test_uploads_that_cannot_be_indexed_get_400_and_change_nothing(client: Any, built: Any) -> None:
    path, store = built
    before = store.chunk_count()
    for name, reason in [("notes.exe", "unsupported file type"), ("bundle.zip", "archives")]:
        response = client.post("/api/v1/articles", files=[("files", (name, b"PK\x03\x04", "x/y"))])
        assert reason in _error(response, 400)
    assert store.chunk_count() == before
    assert not any(p.suffix in (".exe", ".zip") for p in (path / "uploads").glob("*"))


def test_upload_names_cannot_escape_the_uploads_folder(client: Any, built: Any) -> None:
    path, _ = built
    for name in ["../../escape.txt", "/tmp/absolute.txt", "..\\..\\win.txt"]:
        response = client.post("/api/v1/articles", files=[("files", (name, ARTICLE.encode(), "text/plain"))])
        assert response.status_code == 201, response.text
        for article_id in response.json()["added"] + response.json()["unchanged"]:
            assert "/" not in article_id and ".." not in article_id
            assert (path / "uploads" / article_id).is_file()
            client.delete(f"/api/v1/articles/{article_id}")
    assert not (path.parent / "escape.txt").exists() and not Path("/tmp/absolute.txt").exists()


def test_oversized_uploads_are_refused(make_client: Callable[..., Any]) -> None:
    client = make_client(index_bytes=1_000)
    big = ("files", ("big.txt", b"word " * 400, "text/plain"))
    assert "larger than" in _error(client.post("/api/v1/articles", files=[big]), 400)
    huge = ("files", ("huge.txt", io.BytesIO(b"x" * 1_100_000), "text/plain"))
    _error(client.post("/api/v1/articles", files=[huge]), 413)


def test_conflict_report_lists_the_call_length_contradiction(client: Any) -> None:
    rows = client.get("/api/v1/conflicts").json()
    quotes = [" | ".join(s["quote"] for s in r["sides"]) for r in rows if r["kind"] == "contradiction"]
    assert any("30-minute" in q and "about 50 minutes" in q for q in quotes)


def test_stories_list_the_articles_of_each_story_and_count_their_conflicts(client: Any) -> None:
    stories = client.get("/api/v1/stories").json()
    assert sorted(a["id"] for s in stories for a in s["articles"]) == sorted(
        p.name for p in SAMPLE_DIR.glob("*.txt")
    )
    first = stories[0]
    assert first["id"] and first["label"] and first["conflict_count"] >= 1
    detail = client.get(f"/api/v1/stories/{first['id']}").json()
    members = {a["id"] for a in detail["articles"]}
    assert len(detail["conflicts"]) == first["conflict_count"]
    assert all(side["source"] in members for c in detail["conflicts"] for side in c["sides"])
    articles = client.get("/api/v1/articles").json()
    assert all(a["story"] in {s["id"] for s in stories} and a["story_label"] for a in articles)
    _error(client.get("/api/v1/stories/no-such-story"), 404)


def test_questions_can_be_limited_to_a_story(client: Any) -> None:
    story = client.get("/api/v1/stories").json()[0]["id"]
    inside = client.post("/api/v1/ask", json={"question": CALL, "filters": {"stories": [story]}}).json()
    assert inside["citations"] and not inside["abstained"]
    outside = client.post(
        "/api/v1/ask", json={"question": CALL, "filters": {"stories": ["story-none"]}}
    ).json()
    assert outside["abstained"] and not outside["citations"]


def test_health_reports_the_corpus(client: Any) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["articles"] >= 5 and body["chunks"] > 0
    assert body["backend"] == "none" and body["read_only"] is False


def test_openapi_page_documents_every_route(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/ask",
        "/api/v1/ask/stream",
        "/api/v1/articles",
        "/api/v1/conflicts",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/healthz",
    } <= set(paths)
    assert "delete" in paths["/api/v1/articles/{article_id}"]
    assert client.get("/docs").status_code == 200


# --- access ----------------------------------------------------------------------------------------


def test_a_token_is_required_on_every_api_route_when_set(make_client: Callable[..., Any]) -> None:
    client = make_client(api_token=TOKEN)
    calls = [
        ("POST", "/api/v1/ask", {"json": {"question": CALL}}),
        ("POST", "/api/v1/ask/stream", {"json": {"question": CALL}}),
        ("GET", "/api/v1/articles", {}),
        ("GET", "/api/v1/conflicts", {}),
        ("GET", "/api/v1/stories", {}),
        ("DELETE", "/api/v1/articles/001.txt", {}),
        ("POST", "/api/v1/articles", {"files": [("files", ("a.txt", b"x", "text/plain"))]}),
    ]
    for method, url, extra in calls:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            message = _error(client.request(method, url, headers=headers, **extra), 401)
            assert TOKEN not in message
    good = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/v1/ask", json={"question": CALL}, headers=good).status_code == 200
    assert client.get("/api/v1/articles", headers=good).status_code == 200
    assert client.get("/healthz").status_code == 200  # health checks need no token


def test_read_only_mode_refuses_uploads_and_deletions(make_client: Callable[..., Any]) -> None:
    client = make_client(read_only=True)
    files = [("files", ("a.txt", ARTICLE.encode(), "text/plain"))]
    assert "read-only" in _error(client.post("/api/v1/articles", files=files), 403)
    listed = client.get("/api/v1/articles").json()
    assert "read-only" in _error(client.delete(f"/api/v1/articles/{listed[0]['id']}"), 403)
    assert len(client.get("/api/v1/articles").json()) == len(listed)
    assert client.post("/api/v1/ask", json={"question": CALL}).status_code == 200
    assert client.get("/healthz").json()["read_only"] is True


def test_rate_limit_answers_429_with_retry_after(make_client: Callable[..., Any]) -> None:
    client = make_client(rate_limit_per_minute=3)
    statuses = [client.get("/api/v1/articles").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.post("/api/v1/ask", json={"question": CALL})
    assert "too many requests" in _error(refused, 429).lower()
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/healthz").status_code == 200


def test_cors_and_frame_ancestors_follow_the_allowed_origins(make_client: Callable[..., Any]) -> None:
    wiki = "https://wiki.example.org"
    client = make_client(allowed_origins=[wiki])
    preflight = {"Origin": wiki, "Access-Control-Request-Method": "POST"}
    allowed = client.options("/api/v1/ask", headers=preflight)
    assert allowed.headers.get("access-control-allow-origin") == wiki
    other = client.options("/api/v1/ask", headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    csp = client.get("/healthz").headers["content-security-policy"]
    assert csp == f"frame-ancestors 'self' {wiki}"
    assert make_client().get("/healthz").headers["content-security-policy"] == "frame-ancestors 'self'"


def test_store_failures_become_503(client: Any, built: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from index.errors import StoreUnavailable

    _, store = built

    def down(*_: Any, **__: Any) -> Any:
        raise StoreUnavailable("cannot reach the Chroma server at 127.0.0.1:1")

    monkeypatch.setattr(store, "records", down)
    monkeypatch.setattr(store, "generation", down)
    assert "unreachable" in _error(client.get("/healthz"), 503)
    assert "unreachable" in _error(client.get("/api/v1/articles"), 503)
    assert "unreachable" in _error(client.post("/api/v1/ask", json={"question": CALL}), 503)


def test_the_embed_script_inserts_an_iframe_of_the_embed_page(client: Any) -> None:
    response = client.get("/embed.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert 'new URL("embed/", script.src)' in response.text and "iframe" in response.text


@pytest.mark.parametrize(
    "article_id", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/hostname", "uploads/../x"]
)
def test_article_paths_never_reach_the_file_system(client: Any, built: Any, article_id: str) -> None:
    path, _ = built
    outside = path.parent / "outside.txt"
    outside.write_text("keep me")
    _error(client.get(f"/api/v1/articles/{article_id}"), 404)
    _error(client.delete(f"/api/v1/articles/{article_id}"), 404)
    _error(client.delete("/api/v1/articles/../outside.txt"), 404)
    assert outside.read_text() == "keep me" and Path("/etc/hostname").exists()
