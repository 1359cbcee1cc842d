"""A real Chroma server (`chroma run`) on a store folder, for the duration of a measurement."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.serving import wait_until_serving
from bench.speed.scale_measure import process_memory_mib

log = logging.getLogger(__name__)

START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class RunningServer:
    """A started `chroma run` process and the port it listens on."""

    process: subprocess.Popen[bytes]
    port: int

    def peak_rss_mib(self) -> float:
        """The server's peak resident memory so far."""
        return process_memory_mib(self.process.pid)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chroma_binary() -> str:
    """The `chroma` command installed next to this Python (the virtualenv's)."""
    return str(Path(sys.executable).parent / "chroma")


@contextmanager
def chroma_server(path: Path, log_path: Path) -> Iterator[RunningServer]:
    """Start `chroma run --path <path>` on a free local port, wait until it answers, stop it after."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            [chroma_binary(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_serving(
            "chroma run", f"http://127.0.0.1:{port}/api/v2/heartbeat", process, log_path, START_TIMEOUT_S
        )
        yield RunningServer(process, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
