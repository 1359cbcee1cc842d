"""The assistant as Model Context Protocol tools, for agents: `ask`, `search`, `article`, `conflicts`,
`stories`.

Built with the official `mcp` SDK's `MCPServer`. The same server runs over stdio
(`python -m assistant mcp`) and over streamable HTTP at `/mcp` on the web app, where it sits behind
the API's token and rate limit. Every tool only reads; tools are plain functions, which the SDK runs
in worker threads, so a slow question does not hold up the web app's event loop.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.security import HTTPAuthorizationCredentials
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.retrieve import Filters
from assistant.web.api import error
from assistant.web.library import Library
from index.errors import IndexingError

log = logging.getLogger(__name__)

NAME = "news-assistant"
INSTRUCTIONS = (
    "Answers questions about a collection of news articles with verbatim, checkable quotes, and shows "
    "where the articles disagree. Use `ask` for a question you want answered, `search` to find passages "
    "yourself, `article` to read one article in full, `conflicts` to list disagreements, and `stories` to "
    "see which articles report the same event."
)
_READ_ONLY = ToolAnnotations(
    readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False
)
_MAX_PASSAGES = 50
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_HOSTS = ["127.0.0.1:*", "localhost:*", "[::1]:*"]


class Turn(BaseModel):
    """An earlier question of the conversation and the answer it got."""

    question: str = Field(max_length=100_000)
    answer: str = Field(max_length=100_000)


def create_server(assistant: Assistant) -> MCPServer:
    """An MCP server whose tools answer from `assistant`'s store."""
    server = MCPServer(NAME, instructions=INSTRUCTIONS, version="1")
    library = Library(assistant)

    @server.tool(annotations=_READ_ONLY)
    def ask(
        question: str,
        history: list[Turn] | None = None,
        outlets: list[str] | None = None,
        since: str = "",
        until: str = "",
        stories: list[str] | None = None,
    ) -> dict[str, Any]:
        """Answer a question about the news articles. Returns the answer text with [n] markers, the
        citations (n, article id, outlet, date, the verbatim quote and its character offsets), and
        `conflicts`: where articles disagree (a contradiction, or figures from different times),
        quoting each side. Pass earlier turns as `history` for a follow-up question; `outlets`,
        `since` and `until` (YYYY-MM-DD) and `stories` (ids from the `stories` tool) limit which
        articles may answer. `abstained` is true when the articles do not answer the question."""
        turns = [(t.question, t.answer) for t in history or []]
        filters = _filters(outlets, since, until, stories)
        return _call(lambda: assistant.ask(question, turns, filters).to_json())

    @server.tool(annotations=_READ_ONLY)
    def search(
        query: str,
        limit: int = 8,
        outlets: list[str] | None = None,
        since: str = "",
        until: str = "",
        stories: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Find the passages of the news articles most relevant to a query, best first, without
        writing an answer. Each passage has its article id, title, outlet, date, URL, the verbatim
        text and its character offsets in the article (`start`, `end`). Use it to gather evidence
        yourself; use `ask` for an answer with citations."""
        count = max(1, min(limit, _MAX_PASSAGES))
        filters = _filters(outlets, since, until, stories)
        passages = _call(lambda: assistant.retriever.retrieve(query, filters, count))
        return [_passage(p.chunk, p.score) for p in passages]

    @server.tool(annotations=_READ_ONLY)
    def article(article_id: str) -> dict[str, Any]:
        """One news article in full: its cleaned text (the text every citation's offsets point
        into) with its title, outlet, publication date and URL. `article_id` is the id a citation,
        passage or conflict side names (for articles from the web, their URL)."""
        found = _call(lambda: assistant.article(article_id))
        return {"id": found.id, **found.metadata(), "text": found.text}

    @server.tool(annotations=_READ_ONLY)
    def conflicts(article_id: str = "") -> list[dict[str, Any]]:
        """Every disagreement found across all the news articles, grouped by topic: which articles
        disagree, each side's verbatim quote and value, and the kind (`contradiction`, or
        `different-time` when the figures describe different moments). Give `article_id` to keep
        only the disagreements that article takes part in."""
        found = _call(library.conflicts)
        if article_id:
            found = [c for c in found if any(s["source"] == article_id for s in c["sides"])]
        return found

    @server.tool(annotations=_READ_ONLY)
    def stories(story_id: str = "") -> list[dict[str, Any]]:
        """The stories of the collection: each event with the articles that report it (id, title,
        outlet, date), the outlets, the date range and how many disagreements its articles have.
        Give `story_id` to get that one story with its disagreements quoted side by side. Story ids
        also narrow `ask` and `search` to one event."""
        if not story_id:
            return [s.to_json() for s in _call(library.stories)]
        chosen = _call(lambda: library.story(story_id))
        if chosen is None:
            raise ToolError(f"There is no story {story_id[:80]!r}; call `stories` to list them.")
        return [chosen.to_json(detail=True)]

    return server


def mount_http(app: FastAPI, server: MCPServer, guard: Callable[..., None], assistant: Assistant) -> None:
    """Serve `server` over streamable HTTP at `/mcp` on `app`, behind `guard` (the API's token and
    rate-limit check), with a session manager running for each run of the app's lifespan (the SDK's
    managers run once, and test clients start an app several times).

    Without a token, requests must name this machine as their Host, which stops a web page on another
    site from reaching a local server through DNS rebinding; with a token, the token guards it.
    """
    settings = assistant.settings.server
    tokenless = not settings.api_token.get_secret_value()
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=tokenless,
        allowed_hosts=_LOCAL_HOSTS,
        allowed_origins=[
            "http://127.0.0.1:*",
            "http://localhost:*",
            "http://[::1]:*",
            *settings.allowed_origins,
        ],
    )
    gate = _Gate(guard)
    app.router.routes.append(Route("/mcp", endpoint=gate, include_in_schema=False))
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(parent: Any) -> AsyncIterator[Any]:
        inner = server.streamable_http_app(
            streamable_http_path="/mcp",
            stateless_http=True,
            transport_security=security,
            max_request_body_size=settings.max_body_bytes,
        )  # makes the server's session manager anew
        gate.app = next(r.app for r in inner.routes if isinstance(r, Route) and r.path == "/mcp")
        try:
            async with server.session_manager.run(), previous(parent) as state:
                yield state
        finally:
            gate.app = None

    app.router.lifespan_context = lifespan


class _Gate:
    """An ASGI wrapper that applies the API's token and rate-limit check before the MCP endpoint."""

    def __init__(self, guard: Callable[..., None]) -> None:
        self.guard = guard
        self.app: ASGIApp | None = None  # set while the app's lifespan runs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        given = token.strip() if scheme.lower() == "bearer" and token.strip() else ""
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=given) if given else None
        try:
            self.guard(request, credentials)
        except HTTPException as err:
            await error(err.status_code, str(err.detail), err.headers)(scope, receive, send)
            return
        if self.app is None:
            await error(503, "The MCP endpoint is not running.")(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _call(work: Any) -> Any:
    """Run a tool's work; the assistant's own errors reach the model as one readable line."""
    try:
        return work()
    except (AssistantError, IndexingError) as err:
        raise ToolError(str(err)) from err


def _filters(outlets: list[str] | None, since: str, until: str, stories: list[str] | None) -> Filters:
    for name, day in (("since", since), ("until", until)):
        if day and not _DAY.fullmatch(day):
            raise ToolError(f"`{name}` must be a date written YYYY-MM-DD, not {day[:40]!r}.")
    if since and until and since > until:
        raise ToolError("`since` is after `until`.")
    return Filters(tuple(outlets or ()), since, until, tuple(stories or ()))


def _passage(chunk: Any, score: float) -> dict[str, Any]:
    return {
        "article_id": chunk.article_id,
        "title": chunk.title,
        "outlet": chunk.outlet,
        "published": chunk.published,
        "url": chunk.url,
        "text": chunk.text,
        "start": chunk.start,
        "end": chunk.end,
        "score": round(score, 4),
    }
