"""The whole web app in one FastAPI process: the REST API, the OpenAI-compatible `/v1` routes, the MCP
tools at `/mcp`, the chat page at `/`, the compact page for iframes at `/embed`, and `/embed.js`, the
one-line snippet that inserts that iframe into any page.

Which sites may frame the pages and call the API from a browser is one setting,
`server.allowed_origins`: it becomes the CSP `frame-ancestors` directive of every response and the
CORS allow-list of the API.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from assistant.core import Assistant
from assistant.web.api import create_api
from assistant.web.mcp_server import create_server, mount_http
from assistant.web.page import build_page, launch_options

# Chat sessions whose answers a page keeps in memory (Gradio's default, 10,000, lets a busy page grow
# by about a gigabyte: 70-130 KiB a session was measured by `python -m bench.load.run`).
_SESSIONS = 1000

EMBED_SCRIPT = """\
(function () {
  var script = document.currentScript;
  var frame = document.createElement("iframe");
  frame.src = new URL("embed/", script.src).href;
  frame.title = script.getAttribute("data-title") || "News assistant";
  frame.style.width = "100%";
  frame.style.height = (parseInt(script.getAttribute("data-height"), 10) || 640) + "px";
  frame.style.border = "1px solid #d0d7de";
  frame.style.borderRadius = "8px";
  frame.setAttribute("loading", "lazy");
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
"""


def frame_ancestors(origins: list[str]) -> str:
    """The CSP directive naming who may put these pages in a frame: this site and `origins`."""
    allowed = ["*"] if "*" in origins else ["'self'", *(o.rstrip("/") for o in origins)]
    return "frame-ancestors " + " ".join(allowed)


def create_app(assistant: Assistant, pages: bool = True) -> FastAPI:
    """The API with the chat pages mounted (`pages=False` leaves them out, for API-only tests)."""
    server = assistant.settings.server
    app = create_api(assistant)
    mount_http(app, create_server(assistant), app.state.guard, assistant)
    csp = frame_ancestors(server.allowed_origins)

    async def security_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response

    app.add_middleware(BaseHTTPMiddleware, dispatch=security_headers)
    if server.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o.rstrip("/") for o in server.allowed_origins],
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Mcp-Protocol-Version", "Mcp-Session-Id"],
            expose_headers=["Mcp-Session-Id"],
            max_age=600,
        )

    @app.get("/embed.js", include_in_schema=False)
    def embed_script() -> Response:
        return Response(EMBED_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "max-age=300"})

    if pages:
        options: dict[str, Any] = launch_options(assistant)
        workers = server.workers
        embed = build_page(assistant, compact=True).queue(default_concurrency_limit=workers)
        chat = build_page(assistant).queue(default_concurrency_limit=workers)
        for page in (embed, chat):  # each chat session's answers stay in memory until pushed out
            page.state_session_capacity = _SESSIONS
        app = gr.mount_gradio_app(app, embed, path="/embed", **options)
        app = gr.mount_gradio_app(app, chat, path="", **options)
    return app
