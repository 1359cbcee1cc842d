"""A misbehaving OpenAI-compatible chat server on 127.0.0.1, for fault tests over real HTTP.

`behaviour` says what every request gets: `ok` (a proper reply, streamed as server-sent events when
asked), `slow` (a proper reply after `delay_s`), `trickle` (a stream whose tokens come `delay_s`
apart, for ever), `garbage` (200 with bytes that are not JSON), `malformed` (200 with JSON that is
no chat completion), `error` (500), `echo_key` (401 whose message repeats the Authorization header,
as some proxies do). `refused_url()` is the address of a port nobody listens on.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BEHAVIOURS = ("ok", "slow", "trickle", "garbage", "malformed", "error", "echo_key")


def refused_url() -> str:
    """A base URL on 127.0.0.1 where connections are refused (a port just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def completion(text: str) -> dict[str, Any]:
    """A non-streamed chat completion holding `text`."""
    return {
        "id": "fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
    }


def delta(text: str, finish: str | None = None) -> bytes:
    """One server-sent event of a streamed chat completion."""
    event = {
        "id": "fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "delta": {"content": text} if text else {}, "finish_reason": finish}],
    }
    return f"data: {json.dumps(event)}\n\n".encode()


class FakeLLMServer:
    """The server, started on a free port; use as a context manager."""

    def __init__(self, behaviour: str = "ok", reply: str = "", delay_s: float = 0.0) -> None:
        assert behaviour in BEHAVIOURS, behaviour
        self.behaviour = behaviour
        self.reply = reply
        self.delay_s = delay_s
        self.requests: list[dict[str, Any]] = []
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, as an OpenAI client wants it."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeLLMServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def wait(self, seconds: float) -> bool:
        """Sleep, waking early when the server stops; True when it is stopping."""
        return self.stopping.wait(seconds)


def _handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read `server.requests` instead."""

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {name.lower(): value for name, value in self.headers.items()}
            server.requests.append({"headers": headers, "body": body})
            # The client may have given up, as it should on a slow server.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._respond(bool(body.get("stream")))

        do_GET = do_POST  # a Chroma client starts with GETs (heartbeat, identity)

        def _respond(self, stream: bool) -> None:
            behaviour = server.behaviour
            if behaviour == "slow" and server.wait(server.delay_s):
                return
            if behaviour == "garbage":
                self._send(200, b"\x00\xff<html>this is not JSON {{{", "application/json")
            elif behaviour == "malformed":
                self._send(200, json.dumps({"id": "x", "object": "chat.completion"}).encode())
            elif behaviour == "error":
                self._send(500, json.dumps({"error": {"message": "internal server error"}}).encode())
            elif behaviour == "echo_key":
                sent = self.headers.get("Authorization", "")
                message = {"error": {"message": f"Invalid API key. Received: {sent}", "type": "auth"}}
                self._send(401, json.dumps(message).encode())
            elif stream:
                self._stream()
            else:
                self._send(200, json.dumps(completion(server.reply)).encode())

        def _stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            if server.behaviour == "trickle":
                while not server.wait(server.delay_s):
                    self.wfile.write(delta("more "))
                    self.wfile.flush()
                return
            for word in server.reply.split(" "):
                self.wfile.write(delta(word + " "))
            self.wfile.write(delta("", "stop") + b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def _send(self, status: int, data: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
