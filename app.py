"""The web app: `python app.py [--store DIR] [--port N] [--host ADDR]`.

Serves the chat page at `/`, the compact embeddable page at `/embed` (inserted by `/embed.js`), the
REST API under `/api/v1` (OpenAPI page at `/docs`), the OpenAI-compatible `/v1/chat/completions`, the
MCP tools over streamable HTTP at `/mcp`, and `/healthz`, all from one process.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from assistant.errors import AssistantError
from index.errors import IndexingError
from index.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Build the assistant over a store and serve the web page; returns the exit code."""
    parser = argparse.ArgumentParser(description="Serve the news assistant's web chat.")
    parser.add_argument("--store", type=Path, help="store directory (default .assistant/ in the repository)")
    parser.add_argument("--port", type=int, default=7860, help="port to listen on (default 7860)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings()
    if args.store:
        settings.store.path = args.store
    import uvicorn

    from assistant.core import Assistant
    from assistant.web.page import warm_up
    from assistant.web.server import create_app

    try:
        assistant = Assistant(settings)
    except (AssistantError, IndexingError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    warm_up(assistant)
    app = create_app(assistant)
    print(f"Serving on http://{args.host}:{args.port}/ (API docs at /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
