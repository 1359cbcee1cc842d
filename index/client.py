"""Opening a Chroma client, embedded or a server, and telling an unreachable server from other errors.

A server client gets a timeout (Chroma's own has none, so a hung server would hang every caller)
and turns proxy answers such as 502 or 401 into errors that say what happened. Messages name the
server as host:port and never carry the auth token.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import httpx

from index.errors import StoreUnavailable
from index.settings import StoreSettings

log = logging.getLogger(__name__)

# Answers that mean "the server is not there or will not serve us", usually from a proxy in front.
_UNAVAILABLE_STATUS = {401, 403, 407, 502, 503, 504}


class ServerStatusError(Exception):
    """An HTTP status from the server (or its proxy) that makes it unusable."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status


def where(settings: StoreSettings) -> str:
    """Where the store is, for messages: host:port of a server or the embedded store's folder."""
    return f"{settings.host}:{settings.port}" if settings.host else str(settings.path)


def open_client(settings: StoreSettings) -> Any:
    """A Chroma client: embedded at `settings.path`, or a server when `settings.host` is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        if not settings.host:
            settings.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(
                path=str(settings.path), settings=ChromaSettings(anonymized_telemetry=False)
            )
        _heartbeat(settings)
        with warnings.catch_warnings():  # chromadb hands httpx the CA file as a string, now deprecated
            warnings.filterwarnings("ignore", "`verify=<str>` is deprecated", DeprecationWarning)
            client = chromadb.HttpClient(
                host=settings.host,
                port=settings.port,
                ssl=settings.ssl,
                headers=_headers(settings),
                settings=ChromaSettings(
                    anonymized_telemetry=False, chroma_server_ssl_verify=settings.ca_file or None
                ),
            )
    except StoreUnavailable:
        raise
    except Exception as err:  # Chroma raises many types for one cause: the store is not usable
        raise StoreUnavailable(f"cannot open the Chroma store at {where(settings)}: {describe(err)}") from err
    _tune(client, settings)
    return client


def unreachable(err: BaseException) -> bool:
    """Whether an error means the server could not be reached or would not serve (not a bad request)."""
    return isinstance(err, httpx.TransportError | ServerStatusError)


def unavailable(settings: StoreSettings, err: BaseException) -> StoreUnavailable:
    """The one-line error for a server that cannot be reached or will not serve."""
    return StoreUnavailable(f"the Chroma server at {where(settings)} is unavailable: {describe(err)}")


def describe(err: BaseException) -> str:
    """One line saying what went wrong, without Chroma's or httpx's multi-line detail."""
    if isinstance(err, ServerStatusError) and err.status in (401, 403, 407):
        return f"it refused our credentials ({err}); check the store's auth token"
    if isinstance(err, httpx.TimeoutException):
        return f"no answer in time ({type(err).__name__})"
    if isinstance(err, httpx.ConnectError):
        return f"cannot connect ({_first_line(err) or 'connection failed'})"
    return _first_line(err) or type(err).__name__


def _headers(settings: StoreSettings) -> dict[str, str] | None:
    # Chroma's own token client sends the same header; a proxy in front of the server checks it.
    token = settings.auth_token.get_secret_value()
    return {"Authorization": f"Bearer {token}"} if token else None


def _heartbeat(settings: StoreSettings) -> None:
    """Fail fast, within the timeout: Chroma's client makes its first requests with none."""
    scheme = "https" if settings.ssl else "http"
    url = f"{scheme}://{settings.host}:{settings.port}/api/v2/heartbeat"
    verify: Any = settings.ca_file or True
    if isinstance(verify, str):
        import ssl

        verify = ssl.create_default_context(cafile=verify)
    try:
        response = httpx.get(url, headers=_headers(settings), timeout=_timeout(settings), verify=verify)
    except httpx.TransportError as err:
        raise unavailable(settings, err) from err
    if response.status_code != 200:
        raise unavailable(settings, ServerStatusError(response.status_code, response.reason_phrase))


def _timeout(settings: StoreSettings) -> httpx.Timeout:
    return httpx.Timeout(settings.timeout_s, connect=min(settings.timeout_s, 5.0))


def _tune(client: Any, settings: StoreSettings) -> None:
    """Give the client's HTTP session a timeout and a check on proxy answers."""
    # chromadb 1.5 keeps its httpx session at `client._server._session` and offers no setting for
    # either; without them a hung server blocks callers forever and a 502 page becomes a bare
    # Exception carrying HTML.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        log.warning("this chromadb version hides its HTTP session: no timeout on Chroma server calls")
        return
    session.timeout = _timeout(settings)
    hooks = session.event_hooks
    session.event_hooks = {**hooks, "response": [*hooks.get("response", []), _check_status]}


def _check_status(response: httpx.Response) -> None:
    if response.status_code in _UNAVAILABLE_STATUS:
        response.close()
        raise ServerStatusError(response.status_code, response.reason_phrase)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else ""
