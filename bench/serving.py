"""Waiting for a server a benchmark started on 127.0.0.1."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path


def wait_until_serving(
    name: str, url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float
) -> None:
    """Return once `url` answers 200; raise with the log's path if the server exits or never answers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{name} did not answer {url} within {timeout_s:.0f} s; see {log_path}")
