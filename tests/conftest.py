"""Shared fixtures: sample and fixture article folders, a real embedder, real Chroma stores, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from index.build import Builder
    from index.embed import Embedder
    from index.settings import IndexSettings
    from index.store import Store
    from tests.chroma import ChromaServer

pytest_plugins = ["tests.browser"]  # the `browser` fixture

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "data" / "articles"
FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "articles"


def make_pdf(lines: Sequence[str]) -> bytes:
    """A minimal valid one-page PDF showing `lines` in Helvetica (ASCII text, no parentheses)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.fixture
def pdf_bytes() -> Callable[[Sequence[str]], bytes]:
    """Builds a tiny valid PDF from lines of ASCII text."""
    return make_pdf


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A private copy of the five sample articles, free to change."""
    return Path(shutil.copytree(SAMPLE_DIR, tmp_path / "samples"))


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    """A private copy of the fixture articles (every supported format), free to change."""
    return Path(shutil.copytree(FIXTURE_DIR, tmp_path / "fixtures"))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged all-MiniLM-L6-v2 embedder, loaded once per test session."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from index.embed import Embedder

    return Embedder()


@pytest.fixture
def open_store(embedder: Embedder) -> Iterator[Callable[[Path], Store]]:
    """Opens a real embedded Chroma store at a path; each call closes the previous client of that
    path first, so a store written by another process meanwhile is read afresh."""
    from index.settings import StoreSettings
    from index.store import Store

    opened: dict[Path, Store] = {}

    def _open(path: Path) -> Store:
        if path in opened:
            opened.pop(path).client.close()
        store = Store(StoreSettings(path=path), embedder.name)
        opened[path] = store
        return store

    yield _open
    for store in opened.values():
        store.client.close()


@pytest.fixture
def builder_for(
    embedder: Embedder, open_store: Callable[[Path], Store]
) -> Callable[[Path, IndexSettings | None], Builder]:
    """A `Builder` on a store at a path, with default or given index settings."""
    from index.build import Builder
    from index.settings import IndexSettings

    def _builder(path: Path, settings: IndexSettings | None = None) -> Builder:
        return Builder(open_store(path), embedder, settings or IndexSettings())

    return _builder


def cli_env() -> dict[str, str]:
    """Environment for CLI subprocesses: offline, and no settings leaking in from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


def index_command(*args: str | Path) -> list[str]:
    """Argument vector of `python -m index ARGS` with this interpreter."""
    return [sys.executable, "-m", "index", *map(str, args)]


@pytest.fixture(scope="session")
def run_index() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs `python -m index ARGS` in the repository and returns the finished process."""

    def _run(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            index_command(*args),
            cwd=REPO_ROOT,
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return _run


@pytest.fixture
def start_index() -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Starts `python -m index ARGS` in the background (its own process group, output discarded);
    any process still running at the end of the test is killed."""
    started: list[subprocess.Popen[bytes]] = []

    def _start(*args: str | Path) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            index_command(*args),
            cwd=REPO_ROOT,
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield _start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One real `chroma run` server on 127.0.0.1 for the session; tests use collections of their own."""
    from tests.chroma import ChromaServer

    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "data").start()
    yield server
    server.stop()
