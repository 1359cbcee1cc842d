"""Servers that tests start on 127.0.0.1: free ports, waiting until they answer, and `python app.py`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench import serving


def wait_until_serving(
    name: str, url: str, process: subprocess.Popen[bytes], log_path: Path, timeout_s: float
) -> None:
    """Return once `url` answers 200; fail with the server's log if it exits or never answers."""
    try:
        serving.wait_until_serving(name, url, process, log_path, timeout_s)
    except RuntimeError as err:
        pytest.fail(f"{err}:\n{log_path.read_text()[-3000:]}")


REPO_ROOT = Path(__file__).resolve().parent.parent


def sample_store(path: Path, embedder: Any) -> Path:
    """The five sample articles indexed into a fresh store at `path`, its client closed again."""
    from index.build import Builder
    from index.settings import IndexSettings, StoreSettings
    from index.store import Store

    store = Store(StoreSettings(path=path), embedder.name)
    Builder(store, embedder, IndexSettings()).build([REPO_ROOT / "data" / "articles"])
    store.client.close()
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(**extra: str) -> dict[str, str]:
    """Environment for `python app.py`: offline, no settings leaking in from the caller, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
    )
    return env | extra


@contextmanager
def serving_app(store_dir: Path, log_path: Path, **env: str) -> Iterator[str]:
    """`python app.py` on a free port over the store, with `ASSISTANT_*` settings in `env`; yields its
    base URL and stops it (with its process group) on exit."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "app.py", "--store", str(store_dir), "--port", str(port)],
            cwd=REPO_ROOT,
            env=app_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_serving("app.py", url + "healthz", process, log_path, 300)
            yield url
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server started in its own session, killing it if it does not stop."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
