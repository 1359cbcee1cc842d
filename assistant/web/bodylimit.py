"""Request-body limits that answer with the API's JSON error, whether the client declares the body's
length or streams it."""

from collections.abc import Callable
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MESSAGE = "The request body is too large."


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: bodies longer than `limit(method, path)` bytes get 413 (None: no limit)."""

    def __init__(self, app: ASGIApp, limit: Callable[[str, str], int | None]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = (
            self.limit(scope.get("method", ""), scope.get("path", "")) if scope["type"] == "http" else None
        )
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:
                raise
            await _refuse(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    response: Any = JSONResponse({"error": {"status": 413, "message": MESSAGE}}, 413)
    await response(scope, receive, send)
