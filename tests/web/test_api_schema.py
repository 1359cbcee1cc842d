"""Schemathesis over the REST API's own OpenAPI document: for every operation, generated valid and
invalid requests must never get a server error, and every answer must match the documented status
codes, content types and response schemas.

Reads and writes run against different apps and stores: generated uploads add articles and
generated deletions may remove them, so the write operations get a private copy of the sample store
while the read operations see the five sample articles unchanged. Generated ids and file names
almost never exist, so the success answers of the one-article operations are also checked with real
ones. A test fails if the document gains an operation that no test here covers.

The cases come from `operation.as_strategy()` under Hypothesis' own `@given`: schemathesis'
`@schema.parametrize()` pytest integration (4.32.5) reads `Function._nodeid`, which pytest 9.2 no
longer has.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_pdf
from tests.servers import sample_store

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
WRITES = {("POST", "/api/v1/articles"), ("DELETE", "/api/v1/articles/{article_id}")}
BOUNDED = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _api_schema(store_dir: Path, embedder: Any) -> Iterator[Any]:
    """The OpenAPI schema of an API-only app over `store_dir`, its requests sent to that app."""
    from assistant.core import Assistant
    from assistant.web.server import create_app
    from index.settings import ServerSettings, Settings, StoreSettings
    from index.store import Store

    store = Store(StoreSettings(path=store_dir), embedder.name)
    # No rate limit: hundreds of generated requests come from one client in a few seconds.
    server = ServerSettings(rate_limit_per_minute=0)
    settings_ = Settings(store=StoreSettings(path=store_dir), server=server)
    settings_.llm.backend = "none"
    app = create_app(Assistant(settings_, store=store, embedder=embedder), pages=False)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.client.close()


@pytest.fixture(scope="module")
def read_schema(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Any]:
    """The schema of an app over the five sample articles, for the operations that change nothing."""
    store_dir = sample_store(tmp_path_factory.mktemp("schema-read") / "store", embedder)
    yield from _api_schema(store_dir, embedder)


@pytest.fixture(scope="module")
def write_schema(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Any]:
    """The schema of an app over its own copy of the sample store, for uploads and deletions."""
    store_dir = sample_store(tmp_path_factory.mktemp("schema-write") / "store", embedder)
    yield from _api_schema(store_dir, embedder)


READS = [
    ("POST", "/api/v1/ask"),
    ("POST", "/api/v1/ask/stream"),
    ("GET", "/api/v1/articles"),
    ("GET", "/api/v1/articles/{article_id}"),
    ("GET", "/api/v1/conflicts"),
    ("GET", "/api/v1/stories"),
    ("GET", "/api/v1/stories/{story_id}"),
    ("GET", "/healthz"),
    ("GET", "/v1/models"),
    ("POST", "/v1/chat/completions"),
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


def _run(schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    """Send generated requests of one kind to one operation and check every response."""
    operation = schema[path][method]

    @BOUNDED
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


@pytest.mark.parametrize(
    ("method", "path", "mode"),
    [
        (method, path, mode)
        for method, path in READS
        for mode in MODES
        # /healthz and /v1/models take no parameters, headers or body: no invalid request to make.
        if not (path in ("/healthz", "/v1/models") and mode == GenerationMode.NEGATIVE)
    ],
)
def test_read_operations_conform_and_never_fail(
    read_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    _run(read_schema, method, path, mode)


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
@pytest.mark.parametrize(("method", "path"), sorted(WRITES))
def test_write_operations_conform_and_never_fail(
    write_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    _run(write_schema, method, path, mode)


def test_documented_success_responses_conform(read_schema: Any, write_schema: Any) -> None:
    """Generated ids and file names almost never exist, so the success answers of the operations on
    one article are checked with real ones: each sample article, then an upload, read and delete."""
    listed = read_schema["/api/v1/articles"]["GET"].Case().call_and_validate(checks=CHECKS).json()
    assert len(listed) == 5
    read_one = read_schema["/api/v1/articles/{article_id}"]["GET"]
    for record in listed:
        case = read_one.Case(path_parameters={"article_id": record["id"]})
        assert case.call_and_validate(checks=CHECKS).json()["text"]
    stories = read_schema["/api/v1/stories"]["GET"].Case().call_and_validate(checks=CHECKS).json()
    read_story = read_schema["/api/v1/stories/{story_id}"]["GET"]
    for story in stories:
        case = read_story.Case(path_parameters={"story_id": story["id"]})
        assert case.call_and_validate(checks=CHECKS).json()["articles"]

    # schemathesis names a file part after its field plus the format its bytes show: `files.pdf`
    pdf = make_pdf(["Harbour bridge reopens", "The Veltmark bridge reopened on Friday after repairs."])
    upload = write_schema["/api/v1/articles"]["POST"].Case(
        body={"files": [pdf]}, media_type="multipart/form-data"
    )
    response = upload.call_and_validate(checks=CHECKS)
    assert response.status_code == 201, response.text
    (added,) = response.json()["added"] + response.json()["updated"]
    path = {"article_id": added}
    assert (
        write_schema["/api/v1/articles/{article_id}"]["GET"]
        .Case(path_parameters=path)
        .call_and_validate(checks=CHECKS)
        .json()["text"]
    )
    deleted = write_schema["/api/v1/articles/{article_id}"]["DELETE"].Case(path_parameters=path)
    assert deleted.call_and_validate(checks=CHECKS).status_code == 204


def test_the_tests_cover_every_operation(read_schema: Any) -> None:
    operations = {(op.ok().method.upper(), op.ok().path) for op in read_schema.get_all_operations()}
    assert operations == WRITES | set(READS)
