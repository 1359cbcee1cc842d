"""A small news site on 127.0.0.1 for fetching tests: realistic pages, RSS and Atom feeds, and the
ways pages fail (a redirect chain, a redirect loop, a 404, a slow page, a page that trickles, an
oversized page, a path robots.txt disallows). Nothing leaves the machine.

Pages are the files in `tests/fixtures/site/` with `{base}` replaced by the server's address.
`requests` records each path asked for with its User-Agent; `rss_items` adds items to the RSS feed.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent / "fixtures" / "site"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
OVERSIZED_BYTES = 3_000_000

PAGES = {
    "/news/storm.html": ("storm.html", "text/html; charset=utf-8"),
    "/local/bridge.html": ("bridge.html", "text/html; charset=utf-8"),
    "/local/council.html": ("council.html", "text/html; charset=utf-8"),
    "/private/minutes.html": ("council.html", "text/html; charset=utf-8"),
    "/feed.rss": ("feed.rss", "application/rss+xml; charset=utf-8"),
    "/feed.atom": ("feed.atom", "application/atom+xml"),
}
REDIRECTS = {
    "/news/moved": "/archive/council",
    "/archive/council": "/local/council.html",
    "/news/loop": "/news/loop",
}


def rss_item(base: str, path: str, title: str, date: str) -> str:
    """One RSS `<item>` linking to a page of the site."""
    return f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"


class NewsSite:
    """The site, on a free port; use as a context manager."""

    def __init__(self, slow_s: float = 3.0) -> None:
        self.slow_s = slow_s
        self.requests: list[tuple[str, str]] = []
        self.rss_items: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """The site's address, `http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        """The address of a path on the site."""
        return self.base + path

    def asked(self, path: str) -> int:
        """How many times a path was requested."""
        return sum(1 for p, _ in self.requests if p == path)

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def body(self, name: str) -> bytes:
        text = (SITE_DIR / name).read_text(encoding="utf-8")
        text = text.replace("{extra_items}", "\n".join(self.rss_items)).replace("{base}", self.base)
        return text.encode()


def _handler(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            if self.path == "/robots.txt":
                self._send(200, "text/plain", ROBOTS.encode())
            elif self.path in PAGES:
                name, kind = PAGES[self.path]
                self._send(200, kind, site.body(name))
            elif self.path in REDIRECTS:
                self.send_response(301 if self.path == "/news/moved" else 302)
                self.send_header("Location", REDIRECTS[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/news/slow.html":
                time.sleep(site.slow_s)
                self._send(200, "text/html", site.body("storm.html"))
            elif self.path == "/news/huge.html":
                self._oversized()
            elif self.path == "/news/trickle.html":
                self._trickle()
            else:
                self._send(404, "text/html", b"<html><body><h1>Page not found</h1></body></html>")

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)  # the client may have given up (the slow page), as it should

        def _trickle(self) -> None:
            """A page that sends a few bytes every 0.2 s, so no single read ever times out."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.close_connection = True
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(100):
                    self.wfile.write(b"<p>Still loading.</p>\n")
                    self.wfile.flush()
                    time.sleep(0.2)

        def _oversized(self) -> None:
            """A page with no Content-Length that goes on past any sensible limit."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            para = b"<p>" + b"The same sentence about the harbour, again and again. " * 20 + b"</p>\n"
            try:
                for _ in range(OVERSIZED_BYTES // len(para) + 1):
                    self.wfile.write(para)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
