"""The real SmolLM2-135M GGUF through llama.cpp: in-process, and over HTTP via llama.cpp's server.

The model is tiny and weak; the point is that the whole generative path runs for real, and that
whatever it writes, `verify` lets through only sentences the passages support.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.language_models import BaseChatModel

from assistant.answer import Passage
from assistant.llm.backends import default_gguf_path, load_llama, make_chat_model
from assistant.llm.generate import generate, stream
from assistant.llm.support import THRESHOLD
from assistant.llm.verify import Verified, parse_citations, verify, verify_stream
from index.article import Chunk
from index.settings import LLMSettings
from tests.servers import wait_until_serving

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
MAX_TOKENS = 96
QUESTION = "When did the Riverside dam open, and how much did it cost?"
TEXTS = [
    ("planet.txt", "Daily Planet", "The Riverside dam opened on Monday after four years of work. "
     "Mayor Lena Ortiz said the project cost $40 million."),
    ("ledger.txt", "Morning Ledger", "The opening of the Riverside dam was delayed twice by floods. "
     "Construction employed 300 workers."),
]  # fmt: skip
PASSAGES = [
    Passage(i + 1, Chunk(aid, 0, 0, len(text), text, title="Dam opens", outlet=outlet))
    for i, (aid, outlet, text) in enumerate(TEXTS)
]
# llama.cpp's own server, started after the same AMX workaround the in-process backend applies.
SERVER = (
    "import runpy, sys\n"
    "from assistant.llm.backends import avoid_amx_kernels\n"
    "avoid_amx_kernels()\n"
    "sys.argv = ['llama_cpp.server', *sys.argv[1:]]\n"
    "runpy.run_module('llama_cpp.server', run_name='__main__', alter_sys=True)\n"
)


@pytest.fixture(scope="module")
def gguf() -> str:
    pytest.importorskip("llama_cpp")
    path = default_gguf_path()
    if not os.path.isfile(path):
        pytest.skip(f"packaged GGUF missing: {path}")
    return path


@pytest.fixture(scope="module")
def in_process(gguf: str) -> BaseChatModel:
    model = make_chat_model(LLMSettings(backend="llamacpp", max_tokens=MAX_TOKENS))
    assert model is not None
    return model


@pytest.fixture(scope="module")
def server(gguf: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a llama.cpp server on a free port; stopped at teardown whatever happened."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    args = [
        "--model",
        gguf,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        "--model_alias",
        "smol",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HF_HUB_OFFLINE": "1"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, *args], stdout=log, stderr=log, env=env, cwd=REPO_ROOT
        )
    try:
        wait_until_serving("llama.cpp server", f"http://127.0.0.1:{port}/v1/models", proc, log_path, 120)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_only_supported(result: Verified) -> None:
    """Whatever the model wrote, every sentence left clears the bar and cites real passages only."""
    texts = {p.number: p.chunk.text for p in PASSAGES}
    assert set(parse_citations(result.text)) <= set(texts)
    for check in result.checks:
        if not check.kept or check.how == "abstention":
            continue
        assert check.score >= THRESHOLD, check
        assert check.cited and set(check.cited) <= set(texts)
        cited_text = " ".join(texts[n] for n in check.cited).replace(",", "")
        for number in re.findall(r"\d[\d,]*", check.sentence):
            assert number.replace(",", "") in cited_text, (number, check)
    assert result.empty or result.text.strip()


def test_in_process_generate_stream_and_verify(in_process: BaseChatModel) -> None:
    answer = generate(QUESTION, PASSAGES, in_process)
    assert answer.strip()
    pieces = list(stream(QUESTION, PASSAGES, in_process))
    assert len(pieces) > 1 and "".join(pieces).strip()
    assert_only_supported(verify(answer, PASSAGES))
    for sentence in verify_stream(iter(pieces), PASSAGES):
        assert_only_supported(sentence)


def test_gguf_is_loaded_once_per_process(gguf: str, in_process: BaseChatModel) -> None:
    generate(QUESTION, PASSAGES[:1], in_process)
    assert load_llama(gguf) is load_llama(gguf)


def test_openai_backend_against_llama_cpp_server(server: str) -> None:
    model = make_chat_model(
        LLMSettings(backend="openai", base_url=server, model="smol", max_tokens=MAX_TOKENS, timeout_s=120)
    )
    assert model is not None
    answer = generate(QUESTION, PASSAGES, model)
    assert answer.strip()
    pieces = list(stream(QUESTION, PASSAGES, model))
    assert len(pieces) > 1 and "".join(pieces).strip()
    assert_only_supported(verify(answer, PASSAGES))
