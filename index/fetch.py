"""Fetch web pages politely and within limits, and turn a fetched page into a raw document.

Every request carries a User-Agent naming the product, respects the site's `robots.txt`
(RFC 9309: a missing file allows everything, an unreachable one allows nothing), follows at most a
few redirects, stops at a byte limit and at a deadline for the whole page (a server that trickles
bytes never trips a per-read timeout). A page that cannot be had raises `SkipFile` with a one-line
reason, so a build reports it and goes on with the rest.

Fetching is done with urllib3 rather than trafilatura's own downloader: that one keeps its first
settings for the process, retries server errors with long back-offs, turns off certificate checks
after a TLS error and logs failures instead of saying why. Extraction is trafilatura's, as for
saved HTML files.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import urllib3

from index.errors import SkipFile
from index.load import Document, html_document, read_documents
from index.settings import FetchSettings

log = logging.getLogger(__name__)

_REDIRECTS = (301, 302, 303, 307, 308)
_STREAM_CHUNK = 65536
# Content types read as a file of the matching suffix would be.
_SUFFIX_BY_TYPE = {"application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md"}


def is_url(text: str) -> bool:
    """Whether a command-line argument names a web address rather than a file."""
    return text.lower().startswith(("http://", "https://"))


def clean_url(url: str) -> str:
    """The URL without its fragment (`#comments` is the same article) and surrounding blanks."""
    return urldefrag(url.strip())[0]


@dataclass(frozen=True)
class Page:
    """A fetched resource: the URL asked for, where it was found after redirects, and its bytes."""

    url: str
    final_url: str
    data: bytes
    content_type: str

    @property
    def kind(self) -> str:
        """The media type without parameters (`text/html`)."""
        return self.content_type.split(";")[0].strip().lower()


class Fetcher:
    """Fetches URLs with one connection pool and one `robots.txt` cache; not for sharing across threads."""

    def __init__(self, settings: FetchSettings, allow_private: bool = True) -> None:
        self.settings = settings
        self.allow_private = allow_private
        self._pool = urllib3.PoolManager(num_pools=20, headers={"User-Agent": settings.user_agent})
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def close(self) -> None:
        """Close pooled connections."""
        self._pool.clear()

    def get(self, url: str) -> Page:
        """The page at `url`, after redirects; raises `SkipFile` saying why it cannot be had."""
        current = clean_url(url)
        deadline = time.monotonic() + self.settings.timeout_s
        for _ in range(self.settings.max_redirects + 1):
            self._check_allowed(current, deadline)
            response = self._request(current, deadline)
            if response.status not in _REDIRECTS:
                return Page(url, current, self._body(response, deadline), _content_type(response))
            location = response.headers.get("Location", "")
            response.drain_conn()
            if not location:
                raise SkipFile(f"HTTP {response.status} redirect without a Location")
            current = clean_url(urljoin(current, location))
        raise SkipFile(f"more than {self.settings.max_redirects} redirects")

    def _check_allowed(self, url: str, deadline: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SkipFile(f"only http(s) URLs can be fetched, not {url[:80]!r}")
        if not self.allow_private and not _public(parts.hostname, parts.port or 0):
            raise SkipFile(f"{parts.hostname} is a private or local address; fetching it is turned off")
        if self.settings.respect_robots and not self._robots_allow(url, deadline):
            raise SkipFile("disallowed by the site's robots.txt")

    def _robots_allow(self, url: str, deadline: float) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin + "/robots.txt", deadline)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise SkipFile(rules)
        return rules.can_fetch(self.settings.user_agent, url)

    def _read_robots(self, url: str, deadline: float) -> urllib.robotparser.RobotFileParser | str:
        """The parsed rules, or why the site cannot be fetched (RFC 9309 treats an unreachable
        robots.txt as "disallow"); kept for the fetcher's life, so a dead site fails fast."""
        rules = urllib.robotparser.RobotFileParser(url)
        try:
            response = self._request(url, deadline, refuse_errors=False)
            status = response.status
            body = self._body(response, deadline) if status == 200 else b""
            response.release_conn()
        except SkipFile as err:
            return str(err)  # the site itself cannot be reached; say so, not "robots.txt"
        if 400 <= status < 500 or status in _REDIRECTS:
            rules.allow_all = True  # type: ignore[attr-defined]  # no robots.txt: all allowed
        elif status >= 500:
            return f"robots.txt answered HTTP {status}, so the site is not fetched"
        rules.parse(body.decode("utf-8", "replace").splitlines())
        return rules

    def _request(self, url: str, deadline: float, refuse_errors: bool = True) -> urllib3.BaseHTTPResponse:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SkipFile(_timed_out(self.settings))
        try:
            response = self._pool.request(
                "GET",
                url,
                redirect=False,
                retries=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=left, read=left),
            )
        except urllib3.exceptions.HTTPError as err:
            raise SkipFile(_network_reason(err, self.settings)) from err
        if response.status >= 400 and refuse_errors:
            response.drain_conn()
            raise SkipFile(f"HTTP {response.status} {response.reason or ''}".rstrip())
        return response

    def _body(self, response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.release_conn()
            raise SkipFile(f"{int(declared):,} bytes, over the {limit:,}-byte limit")
        data = bytearray()
        try:
            # read1 returns what one socket read gives: `stream()` would wait for a whole chunk, and
            # a server that trickles bytes would hold it far past the deadline.
            while chunk := response.read1(_STREAM_CHUNK):
                data.extend(chunk)
                if len(data) > limit:
                    raise SkipFile(f"over the {limit:,}-byte limit")
                if time.monotonic() > deadline:
                    raise SkipFile(_timed_out(self.settings))
        except urllib3.exceptions.HTTPError as err:
            raise SkipFile(_network_reason(err, self.settings)) from err
        finally:
            response.release_conn()
        return bytes(data)


def page_document(page: Page, article_id: str, meta: dict[str, str] | None = None) -> Document:
    """The raw document of a fetched page, with `meta` (what a feed says of the item) over what the
    page states: a feed states an item's headline and date outright, while a page's date may be a
    guess (trafilatura reads "© 2026" as 2026-01-01). The page's site name beats a feed's title.

    The id is the URL asked for; the `url` field is where the page says it lives (its canonical
    link) or else where it was found, and is what source cards link to.
    """
    suffix = _SUFFIX_BY_TYPE.get(page.kind)
    if suffix:
        doc = read_documents(Path("page" + suffix), article_id, page.data)[0]
    elif page.kind in ("text/html", "application/xhtml+xml", "") or page.kind.endswith("+xml"):
        doc = html_document(article_id, page.data, {}, "")
    else:
        raise SkipFile(f"not a web page or feed (content type {page.kind})")
    merged = {k: v for k, v in doc.meta.items() if v}
    for name, value in (meta or {}).items():
        if name != "outlet" or not merged.get("outlet"):
            merged[name] = value
    merged.setdefault("url", page.final_url)
    return Document(article_id, doc.text, merged, doc.source_hash)


def _content_type(response: urllib3.BaseHTTPResponse) -> str:
    return str(response.headers.get("Content-Type", ""))


def _public(host: str, port: int) -> bool:
    """Whether every address the host resolves to is a public one (no loopback, private, link-local)."""
    try:
        infos = socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)
    except OSError:
        return True  # unresolvable: the request itself fails with a clearer reason
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_global for info in infos)


def _timed_out(settings: FetchSettings) -> str:
    return f"timed out after {settings.timeout_s:g} s"


def _network_reason(err: Exception, settings: FetchSettings) -> str:
    """One line for a failed connection, without urllib3's object reprs."""
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2, so it is asked about first.
    if isinstance(err, urllib3.exceptions.NameResolutionError):
        return "host not found"
    if isinstance(err, urllib3.exceptions.NewConnectionError):
        return "connection refused or host unreachable"
    if isinstance(err, urllib3.exceptions.TimeoutError):
        return _timed_out(settings)
    if isinstance(err, urllib3.exceptions.SSLError):
        return "TLS certificate or handshake failed"
    if isinstance(err, urllib3.exceptions.ProtocolError):
        return "connection broken while reading"
    return f"network error ({type(err).__name__})"
