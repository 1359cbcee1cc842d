"""A real `chroma run` server on 127.0.0.1 for tests, and the token-checking TLS proxy a deployment
puts in front of one (Chroma's own server checks no tokens)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.servers import free_port, wait_until_serving

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def collection_name() -> str:
    """A collection prefix no other test uses, so tests can share one server."""
    return f"t{uuid.uuid4().hex[:12]}"


def chroma_command() -> list[str]:
    """The `chroma` command installed next to this interpreter."""
    found = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if found is None:
        pytest.skip("the `chroma` command (package chromadb) is not installed")
    return [found]


class ChromaServer:
    """`chroma run --path PATH --host 127.0.0.1 --port PORT`, which tests may stop, pause and restart."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.log = path.with_name(f"{path.name}-chroma.log")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        """Start the server and wait for its heartbeat."""
        command = [*chroma_command(), "run", "--path", str(self.path)]
        command += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
        wait_until_serving("chroma run", url, self.process, self.log, timeout_s=60)
        return self

    def stop(self) -> None:
        """Stop the server (its data stays in `path`)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.resume()
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.process = None

    def pause(self) -> None:
        """Freeze the server: it accepts connections but answers nothing, like a hung host."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Unfreeze a paused server."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)

    def settings(self, **fields: Any) -> Any:
        """Store settings for this server, with a collection prefix of its own unless given."""
        from index.settings import StoreSettings

        fields.setdefault("collection", collection_name())
        return StoreSettings(host="127.0.0.1", port=self.port, **fields)


class TokenProxy:
    """A reverse proxy on 127.0.0.1 that wants `Authorization: Bearer TOKEN`, over TLS when given a
    certificate: what nginx or Caddy does in front of a Chroma server. 502 when Chroma is down."""

    def __init__(self, upstream_port: int, token: str, cert: Path | None = None, key: Path | None = None):
        handler = _handler(upstream_port, f"Bearer {token}")
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        if cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TokenProxy:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the `openssl` command (skips without it)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert)),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _handler(upstream_port: int, expected: str) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._forward()

        do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            if self.headers.get("Authorization") != expected:
                self._reply(401, [], b"missing or wrong token")
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
            except OSError:
                self._reply(502, [], b"bad gateway")
                return
            finally:
                upstream.close()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP]
            self._reply(answer.status, kept, data)

        def _reply(self, status: int, headers: list[tuple[str, str]], data: bytes) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            pass

    return Forward
