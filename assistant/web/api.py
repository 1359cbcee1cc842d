"""The REST API: `create_api(assistant)` returns a FastAPI app with the `/api/v1` routes, the
OpenAI-compatible `/v1` routes (`assistant.web.chat_completions`) and `/healthz`.

`assistant.web.server.create_app` mounts the web pages on the same app. Every error is a JSON object
`{"error": {"status", "message"}}` with the status that fits: 400 bad input, 401 missing or wrong
token, 403 read-only, 404 unknown article, 413 body too large, 429 rate limit, 503 store unreachable.
A chat-model backend that fails does not fail the request: the answer falls back to the extractive
one with a note, as in the web chat.
"""

import hmac
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from assistant.answer import Answer
from assistant.core import Assistant, clean_question
from assistant.errors import AssistantError, BackendUnavailable, InvalidInput, InvalidQuestion
from assistant.retrieve import Filters
from assistant.web.bodylimit import BodyLimit
from assistant.web.chat_completions import create_router
from assistant.web.library import Library
from assistant.web.ratelimit import RateLimiter
from assistant.web.schemas import (
    AnswerOut,
    ArticleOut,
    ArticleTextOut,
    AskRequest,
    ConflictOut,
    ErrorOut,
    HealthOut,
    StoryDetailOut,
    StoryOut,
    UploadOut,
)
from index.errors import IndexingError, StoreUnavailable

log = logging.getLogger(__name__)

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        400: "Bad input",
        401: "Missing or wrong API token",
        413: "Request body too large",
        429: "Too many requests from this client",
        503: "The article store is unreachable",
    }.items()
}
_WRITE_ERRORS = {**_ERRORS, 403: {"model": ErrorOut, "description": "The app is read-only"}}
_NOT_FOUND = {**_WRITE_ERRORS, 404: {"model": ErrorOut, "description": "No such article"}}
_NO_STORY = {**_ERRORS, 404: {"model": ErrorOut, "description": "No such story"}}
_UPLOAD_OVERHEAD = 1_000_000  # multipart framing and several file headers


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The JSON error response every route and handler returns."""
    return JSONResponse({"error": {"status": status, "message": message}}, status, headers=headers)


def create_api(assistant: Assistant) -> FastAPI:
    """A FastAPI app answering from `assistant`, configured by `assistant.settings.server`."""
    server = assistant.settings.server
    app = FastAPI(
        title="News assistant API",
        version="1",
        description="Questions answered from the indexed news articles, with verbatim citations and "
        "the passages where sources disagree. Send `Authorization: Bearer TOKEN` when the app has a token.",
    )
    _handle_errors(app)
    library = Library(assistant)
    limiter = RateLimiter(server.rate_limit_per_minute)
    bearer = HTTPBearer(auto_error=False, description="The app's API token, when it has one.")

    def guard(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> None:
        token = server.api_token.get_secret_value()
        given = credentials.credentials if credentials else ""
        if token and not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "A valid API token is required (Authorization: Bearer TOKEN).")
        wait = limiter.admit(request.client.host if request.client else "unknown")
        if wait:
            headers = {"Retry-After": str(wait)}
            raise HTTPException(429, f"Too many requests; try again in {wait} s.", headers=headers)

    def writable() -> None:
        if server.read_only:
            raise HTTPException(403, "This app is read-only: uploads and deletions are turned off.")

    api = APIRouter(prefix="/api/v1", dependencies=[Depends(guard)], responses=_ERRORS)

    @api.post("/ask", response_model=AnswerOut)
    def ask(body: AskRequest) -> dict[str, Any]:
        """Answer a question with citations and the conflicts between sources."""
        question, history, filters = _question(body)
        return assistant.ask(question, history, filters).to_json()

    @api.post(
        "/ask/stream",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"}},
    )
    def ask_stream(body: AskRequest) -> StreamingResponse:
        """Server-sent events: `token` events with the answer text as it is written, then `citations`,
        `conflicts` and `answer` (the whole answer object); `error` if answering fails midway."""
        question, history, filters = _question(body)
        events = _events(assistant, question, history, filters)
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(events, media_type="text/event-stream", headers=headers)

    @api.get("/articles", response_model=list[ArticleOut])
    def articles() -> list[dict[str, Any]]:
        """Every indexed article, newest first."""
        return library.records()

    @api.get("/articles/{article_id:path}", response_model=ArticleTextOut, responses=_NOT_FOUND)
    def article(article_id: str) -> dict[str, Any]:
        """One article with its cleaned text (citation offsets point into this text)."""
        return library.article(article_id)

    @api.post(
        "/articles",
        response_model=UploadOut,
        status_code=201,
        responses=_WRITE_ERRORS,
        dependencies=[Depends(writable)],
    )
    def upload(files: Annotated[list[UploadFile], File(description="Article files")]) -> dict[str, Any]:
        """Upload article files (.txt .md .html .pdf .json .jsonl and sidecars) and index them."""
        return library.upload([(f.filename or "", f.file) for f in files])

    @api.delete("/articles/{article_id:path}", status_code=204, responses=_NOT_FOUND)
    def delete(article_id: str, _: Annotated[None, Depends(writable)]) -> Response:
        """Remove an article (and its uploaded file) from the index."""
        library.delete(article_id)
        return Response(status_code=204)

    @api.get("/conflicts", response_model=list[ConflictOut])
    def conflicts() -> list[dict[str, Any]]:
        """Every disagreement found within the stories of the corpus, sorted by topic."""
        return library.conflicts()

    @api.get("/stories", response_model=list[StoryOut])
    def stories() -> list[dict[str, Any]]:
        """Every story (the articles reporting one event), the most recently published first."""
        return [s.to_json() for s in library.stories()]

    @api.get("/stories/{story_id}", response_model=StoryDetailOut, responses=_NO_STORY)
    def story(story_id: str) -> dict[str, Any]:
        """One story with its articles and the disagreements between them."""
        found = library.story(story_id)
        if found is None:
            raise HTTPException(404, f"No story with id {story_id!r}.")
        return found.to_json(detail=True)

    app.include_router(api)
    app.include_router(create_router(assistant, guard, _ERRORS))
    app.state.guard = guard  # the MCP endpoint, mounted by the server, sits behind the same check
    upload_limit = assistant.settings.index.max_file_bytes + _UPLOAD_OVERHEAD
    app.add_middleware(
        BodyLimit,
        limit=lambda method, path: (
            upload_limit
            if method == "POST" and path == "/api/v1/articles"
            else (server.max_body_bytes if path.startswith(("/api/", "/v1/")) else None)
        ),
    )

    @app.get("/healthz", response_model=HealthOut, responses={503: {"model": ErrorOut}})
    def healthz() -> dict[str, Any]:
        """Whether the app can answer: its store is reachable. No token needed."""
        return {**library.health(), "read_only": server.read_only}

    _document_errors_as_served(app)
    return app


def _document_errors_as_served(app: FastAPI) -> None:
    """Drop FastAPI's automatic 422 from the OpenAPI page: invalid input is answered 400 here."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _question(body: AskRequest) -> tuple[str, list[tuple[str, str]], Filters]:
    filters = body.filters
    if filters and filters.since and filters.until and filters.since > filters.until:
        raise InvalidQuestion("filters.since is after filters.until.")
    return (
        clean_question(body.question),
        [(turn.question, turn.answer) for turn in body.history],
        Filters(tuple(filters.outlets), filters.since, filters.until, tuple(filters.stories))
        if filters
        else Filters(),
    )


def _events(
    assistant: Assistant, question: str, history: list[tuple[str, str]], filters: Filters
) -> Iterator[str]:
    try:
        for event in assistant.stream(question, history, filters):
            if isinstance(event, Answer):
                answer = event.to_json()
                yield _sse("citations", answer["citations"])
                yield _sse("conflicts", answer["conflicts"])
                yield _sse("answer", answer)
            else:
                yield _sse("token", {"text": event})
    except (AssistantError, IndexingError) as err:
        log.warning("streamed question failed: %s", err)
        status = 503 if isinstance(err, StoreUnavailable | BackendUnavailable) else 400
        yield _sse("error", {"status": status, "message": str(err)})
    except Exception:
        log.exception("streamed question failed")
        yield _sse("error", {"status": 500, "message": "Internal error; details are in the server log."})


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _handle_errors(app: FastAPI) -> None:
    """Every failure becomes `{"error": {"status", "message"}}` with a fitting status."""

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 413:
            message = "The request body is too large."
        return error(exc.status_code, message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error(400, _validation_message(exc.errors()))

    @app.exception_handler(InvalidInput)
    async def bad_input(_: Request, exc: InvalidInput) -> JSONResponse:
        return error(400, str(exc))

    @app.exception_handler(StoreUnavailable)
    async def store_down(_: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        return error(503, f"The article store is unreachable: {exc}", {"Retry-After": "5"})

    @app.exception_handler(BackendUnavailable)
    async def backend_down(_: Request, exc: BackendUnavailable) -> JSONResponse:
        return error(503, f"The answer backend is unavailable: {exc}", {"Retry-After": "5"})


def _validation_message(errors: Any) -> str:
    """One line naming the first problem: `history.0.answer: Field required`."""
    if not errors:
        return "The request is not valid."
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "The request body is not valid JSON."
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    if first.get("type") == "extra_forbidden":
        return f"Unknown field: {where}."
    text = str(first.get("msg", "invalid value"))
    return f"{where}: {text}" if where else text
