"""Waiting for a server a test started on 127.0.0.1."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest


def wait_until_serving(
    name: str, url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float
) -> None:
    """Return once `url` answers 200; fail with the server's log if it exits or never answers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{name} did not serve {url} within {timeout_s} s:\n{log_path.read_text()[-3000:]}")
