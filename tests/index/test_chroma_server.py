"""The store on a real Chroma server (`chroma run`) behaves as the embedded one: the same builds,
questions and filters pass on both; several processes share one server; an outage of the server is
a clear error that ends, without a restart, when the server is back."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant.core import Assistant
from assistant.retrieve import Filters, Retriever
from index.article import Article
from index.build import Builder
from index.chunk import chunk_article
from index.embed import Embedder
from index.errors import StoreUnavailable
from index.settings import IndexSettings, RetrievalSettings, Settings, StoreSettings
from index.store import Store
from tests.chroma import ChromaServer, TokenProxy, collection_name, self_signed_certificate
from tests.conftest import SAMPLE_DIR, cli_env
from tests.servers import free_port

pytestmark = pytest.mark.slow

BACKENDS = ["embedded", "server"]
CALL = "How long did the Biden-Netanyahu phone call last?"
SAMPLE_IDS = sorted(p.name for p in SAMPLE_DIR.glob("*.txt"))
REPO_ROOT = Path(__file__).resolve().parents[2]
FAKE = DeterministicFakeEmbedding(size=32)
ARTICLES = {
    "a.md": "---\noutlet: Axios\npublished: 2024-01-19\n---\nThe call lasted about 40 minutes. "
    "Flour shipments via Ashdod were discussed.\n",
    "b.md": "---\noutlet: Reuters\npublished: 2024-10-09\n---\nThe call ended after about 50 minutes. "
    "Harris joined the call.\n",
    "c.md": "---\noutlet: AFP\npublished: 2024-10-10\n---\nThe 30-minute call was productive. "
    "Officials met in Paris.\n",
}


def store_settings(backend: str, folder: Path, request: pytest.FixtureRequest) -> StoreSettings:
    """Settings of a fresh, empty store on either backend."""
    if backend == "embedded":
        return StoreSettings(path=folder / "store")
    server: ChromaServer = request.getfixturevalue("chroma_server")
    return server.settings(path=folder / "store")


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    """A folder holding the given articles."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text)
    return folder


def fake_build(store: Store, folder: Path, add_only: bool = False):  # type: ignore[no-untyped-def]
    """Build with a fast deterministic embedding: what is under test is the store, not the vectors."""
    return Builder(store, FAKE, IndexSettings()).build([folder], add_only=add_only)  # type: ignore[arg-type]


# --- the same behaviour on both backends ----------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def samples(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Assistant:
    """An assistant over the five sample articles, built with the real model on each backend."""
    settings = Settings()
    settings.store = store_settings(request.param, tmp_path_factory.mktemp("samples"), request)
    store = Store(settings.store, embedder.name)
    report = Builder(store, embedder, IndexSettings()).build([SAMPLE_DIR])
    assert sorted(report.added) == SAMPLE_IDS
    return Assistant(settings, embedder=embedder, store=store)


def test_samples_are_indexed_with_their_chunks(samples: Assistant) -> None:
    store = samples.store
    records = store.records()
    assert sorted(records) == SAMPLE_IDS
    chunks = store.all_chunks()
    assert len(chunks) == sum(r.chunks for r in records.values()) == store.chunk_count()
    for chunk in chunks:
        assert store.article(chunk.article_id).text[chunk.start : chunk.end] == chunk.text


def test_call_length_question_quotes_both_durations_and_the_contradiction(samples: Assistant) -> None:
    answer = samples.ask(CALL)
    quotes = " ".join(c.quote for c in answer.citations)
    assert "30-minute" in quotes and "50 minutes" in quotes
    assert any(c.kind == "contradiction" for c in answer.conflicts)
    for c in answer.citations:
        assert samples.article(c.source).text[c.start : c.end] == c.quote


def test_date_filter_keeps_to_dated_articles(samples: Assistant) -> None:
    dated = {r.id: r.published for r in samples.store.records().values() if r.published}
    assert dated, "the samples have a dated article"
    since = min(dated.values())[:10]
    passages = samples.retriever.retrieve(CALL, Filters(date_from=since))
    assert passages and {p.source for p in passages} <= set(dated)
    vector = samples.retriever.query_vector(CALL)
    found = samples.store.search(vector, 10, Filters(date_from=since).where())
    assert found and {s.chunk.article_id for s in found} <= set(dated)


@pytest.mark.parametrize("backend", BACKENDS)
def test_outlet_and_date_filters(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    store = Store(store_settings(backend, tmp_path, request), "fake-32")
    fake_build(store, write_articles(tmp_path / "articles", ARTICLES))
    retriever = Retriever(store, FAKE, RetrievalSettings(top_k=3, per_article=1))
    cases = [
        (Filters(outlets=("Reuters",)), {"b.md"}),
        (Filters(date_from="2024-10-01"), {"b.md", "c.md"}),
        (Filters(date_to="2024-10-09"), {"a.md", "b.md"}),
        (Filters(outlets=("AFP", "Axios"), date_from="2024-10-01"), {"c.md"}),
    ]
    for filters, allowed in cases:
        sources = {p.source for p in retriever.retrieve("call minutes", filters)}
        assert sources and sources <= allowed, filters
        found = store.search(FAKE.embed_query("call minutes"), 10, filters.where())
        assert {s.chunk.article_id for s in found} == allowed, filters


@pytest.mark.parametrize("backend", BACKENDS)
def test_incremental_builds_update_and_delete(
    backend: str, tmp_path: Path, sample_dir: Path, fixture_dir: Path, request: pytest.FixtureRequest
) -> None:
    store = Store(store_settings(backend, tmp_path, request), "fake-32")
    assert sorted(fake_build(store, sample_dir).added) == SAMPLE_IDS
    again = fake_build(store, sample_dir)
    assert sorted(again.unchanged) == SAMPLE_IDS and again.embedded == 0

    changed, removed = SAMPLE_IDS[0], SAMPLE_IDS[1]
    (sample_dir / changed).write_text("The harbour of Zanzibar reopened on Monday after the storm.")
    (sample_dir / removed).unlink()
    report = fake_build(store, sample_dir)
    assert (report.updated, report.removed) == ([changed], [removed])
    assert removed not in store.records()
    chunks = store.all_chunks()
    assert not any(c.article_id == removed for c in chunks)
    assert [c.text for c in chunks if c.article_id == changed] == [
        "The harbour of Zanzibar reopened on Monday after the storm."
    ]
    assert store.chunk_count() == len(chunks)  # the replaced and removed chunks are gone too

    added = fake_build(store, fixture_dir, add_only=True)
    assert added.added and set(SAMPLE_IDS) - {removed} <= set(store.records())


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_store_object_sweeps_what_an_interrupted_build_left(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = store_settings(backend, tmp_path, request)
    folder = write_articles(tmp_path / "articles", {"a.txt": "The harbour reopened on Monday."})
    store = Store(settings, "fake-32")
    fake_build(store, folder)
    clean = store.chunk_count()
    ghost = Article("a.txt", "An older version of the article.", source_hash="0" * 32)
    chunks = chunk_article(ghost)
    store.chunks.add(
        ids=[f"a.txt::ghost::{c.index}" for c in chunks],
        embeddings=[[0.1] * 32 for _ in chunks],
        documents=[c.text for c in chunks],
        metadatas=[
            {"article_id": "a.txt", "source_hash": ghost.source_hash, "index": c.index} for c in chunks
        ],
    )
    store.touch(writing=True)
    assert len(store.all_chunks()) == clean < store.chunk_count()
    store.close()

    later = Store(settings, "fake-32")  # as the next build, in another process, would
    assert later.interrupted()
    assert fake_build(later, folder).unchanged == ["a.txt"]
    assert later.chunk_count() == clean and not later.interrupted()


# --- several processes, one server --------------------------------------------------------------


def test_a_reader_sees_what_another_client_writes(chroma_server: ChromaServer, tmp_path: Path) -> None:
    settings = chroma_server.settings()
    writer, reader = Store(settings, "fake-32"), Store(settings, "fake-32")
    assert writer.client is not reader.client
    retriever = Retriever(reader, FAKE, RetrievalSettings(top_k=3))
    assert retriever.retrieve("harbour") == []

    fake_build(writer, write_articles(tmp_path / "one", ARTICLES))
    assert {p.source for p in retriever.retrieve("call minutes")} == set(ARTICLES)
    extra = write_articles(tmp_path / "two", {"d.txt": "Zanzibar officials confirmed the harbour reopened."})
    fake_build(writer, extra, add_only=True)
    assert retriever.retrieve("Zanzibar harbour")[0].source == "d.txt"
    writer.delete_article("d.txt")
    writer.touch()
    assert "d.txt" not in {p.source for p in retriever.retrieve("Zanzibar harbour")}


def test_a_reset_elsewhere_is_picked_up(chroma_server: ChromaServer, tmp_path: Path) -> None:
    settings = chroma_server.settings()
    writer, reader = Store(settings, "fake-32"), Store(settings, "fake-32")
    fake_build(writer, write_articles(tmp_path / "one", ARTICLES))
    assert sorted(reader.records()) == sorted(ARTICLES)
    writer.reset()  # the reader's collection handles now point at deleted collections
    fake_build(writer, write_articles(tmp_path / "two", {"d.txt": "The harbour reopened."}))
    assert sorted(reader.records()) == ["d.txt"]
    assert [c.article_id for c in reader.all_chunks()] == ["d.txt"]


# --- outages --------------------------------------------------------------------------------


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A server of this test's own, free to be stopped, frozen and restarted."""
    server = ChromaServer(tmp_path / "chroma")
    yield server
    server.stop()


def test_ask_fails_clearly_while_the_server_is_down_and_works_when_it_is_back(
    own_server: ChromaServer, tmp_path: Path, embedder: Embedder
) -> None:
    own_server.start()
    settings = Settings()
    settings.store = own_server.settings(auth_token="s3cret-token")
    assistant = Assistant(settings, embedder=embedder)
    Builder(assistant.store, embedder, IndexSettings()).build([write_articles(tmp_path / "a", ARTICLES)])
    before = assistant.ask("How long did the call last?")
    assert before.citations

    own_server.stop()
    with pytest.raises(StoreUnavailable) as down:
        assistant.ask("How long did the call last?")
    message = str(down.value)
    assert f"127.0.0.1:{own_server.port}" in message and "\n" not in message
    assert "s3cret-token" not in message

    own_server.start()  # same port, same data
    after = assistant.ask("How long did the call last?")
    assert after.answer == before.answer and after.citations == before.citations


def test_a_store_made_before_its_server_starts_connects_when_it_does(own_server: ChromaServer) -> None:
    store = Store(own_server.settings(), "fake-32")
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{own_server.port}"):
        store.records()
    own_server.start()
    assert store.records() == {} and store.generation() == "0"


def test_a_hung_server_times_out_then_recovers(own_server: ChromaServer, tmp_path: Path) -> None:
    own_server.start()
    store = Store(own_server.settings(timeout_s=1.0), "fake-32")
    fake_build(store, write_articles(tmp_path / "a", ARTICLES))
    own_server.pause()
    try:
        with pytest.raises(StoreUnavailable, match="no answer in time"):
            store.generation()
    finally:
        own_server.resume()
    assert sorted(store.records()) == sorted(ARTICLES)


# --- behind a proxy that checks the token and speaks TLS -------------------------------------


def test_the_token_reaches_the_proxy_over_tls(chroma_server: ChromaServer, tmp_path: Path) -> None:
    cert, key = self_signed_certificate(tmp_path)
    with TokenProxy(chroma_server.port, "right-token", cert, key) as proxy:
        secure = dict(port=proxy.port, ssl=True, ca_file=str(cert), collection=collection_name())
        store = Store(StoreSettings(host="127.0.0.1", auth_token="right-token", **secure), "fake-32")
        fake_build(store, write_articles(tmp_path / "a", ARTICLES))
        assert sorted(store.records()) == sorted(ARTICLES)

        wrong = Store(StoreSettings(host="127.0.0.1", auth_token="wrong-token", **secure), "fake-32")
        with pytest.raises(StoreUnavailable, match="credentials") as refused:
            wrong.records()
        assert "wrong-token" not in str(refused.value) and "right-token" not in str(refused.value)

        untrusted = Store(StoreSettings(host="127.0.0.1", port=proxy.port, ssl=True), "fake-32")
        with pytest.raises(StoreUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
            untrusted.records()


def test_a_proxy_whose_chroma_is_down_is_a_clear_error(own_server: ChromaServer, tmp_path: Path) -> None:
    own_server.start()
    with TokenProxy(own_server.port, "token") as proxy:
        store = Store(StoreSettings(host="127.0.0.1", port=proxy.port, auth_token="token"), "fake-32")
        fake_build(store, write_articles(tmp_path / "a", ARTICLES))
        own_server.stop()
        with pytest.raises(StoreUnavailable, match="502"):
            store.records()
        own_server.start()
        assert sorted(store.records()) == sorted(ARTICLES)


# --- the command lines, configured by environment -----------------------------------------------


def test_cli_builds_into_and_answers_from_the_server(chroma_server: ChromaServer, sample_dir: Path) -> None:
    env = {
        **cli_env(),
        "ASSISTANT_STORE__HOST": "127.0.0.1",
        "ASSISTANT_STORE__PORT": str(chroma_server.port),
        "ASSISTANT_STORE__COLLECTION": collection_name(),
    }
    run = _runner(env)
    built = run("index", "build", str(sample_dir))
    assert built.returncode == 0, built.stderr
    assert "5 added" in built.stdout
    asked = run("assistant", "ask", CALL, "--json")
    assert asked.returncode == 0, asked.stderr
    quotes = " ".join(c["quote"] for c in json.loads(asked.stdout)["citations"])
    assert "30-minute" in quotes and "50 minutes" in quotes


def test_cli_reports_a_server_that_is_not_there(tmp_path: Path) -> None:
    port = free_port()
    env = {**cli_env(), "ASSISTANT_STORE__HOST": "127.0.0.1", "ASSISTANT_STORE__PORT": str(port)}
    done = _runner(env)("index", "list")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and f"127.0.0.1:{port}" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def _runner(env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


def test_no_uploads_or_state_files_are_needed_beside_a_server_store(
    chroma_server: ChromaServer, tmp_path: Path
) -> None:
    settings = chroma_server.settings(path=tmp_path / "unused")
    store = Store(settings, "fake-32")
    fake_build(store, write_articles(tmp_path / "a", ARTICLES))
    store.touch(writing=True)
    assert store.interrupted()
    assert not (tmp_path / "unused").exists()  # generation and build flags live in Chroma


def test_the_api_answers_503_while_the_server_is_down_and_resumes_when_it_is_back(
    own_server: ChromaServer, tmp_path: Path, embedder: Embedder
) -> None:
    from fastapi.testclient import TestClient

    from assistant.web.server import create_app

    own_server.start()
    settings = Settings()
    settings.store = own_server.settings(auth_token="s3cret-token")
    assistant = Assistant(settings, embedder=embedder)
    Builder(assistant.store, embedder, IndexSettings()).build([write_articles(tmp_path / "a", ARTICLES)])
    client = TestClient(create_app(assistant, pages=False))
    ask = {"question": "How long did the call last?"}
    before = client.post("/api/v1/ask", json=ask).json()
    assert before["citations"]

    own_server.stop()
    for response in (
        client.get("/healthz"),
        client.post("/api/v1/ask", json=ask),
        client.get("/api/v1/articles"),
    ):
        assert response.status_code == 503, response.text
        message = response.json()["error"]["message"]
        assert "unreachable" in message and f"127.0.0.1:{own_server.port}" in message
        assert "s3cret-token" not in response.text
        assert response.headers["Retry-After"]

    own_server.start()  # same port, same data, same app process
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.post("/api/v1/ask", json=ask).json() == before
