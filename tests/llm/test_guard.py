"""The per-question guard around the chat model: one time budget, fail fast after a failure, no
secrets in what it raises. Fakes only; the same faults over real HTTP are in test_faults.py."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.errors import BackendUnavailable
from assistant.llm.backends import make_chat_model
from assistant.llm.generate import stream as generate_stream
from assistant.llm.guard import REDACTED, Guarded, redact, secrets_of
from index.settings import LLMSettings, Settings
from tests.fakes import RecordingChat

SECRET = "sk-relia-7f3b9c1d5e"


class Failing(BaseChatModel):
    """Raises `message` on every call and counts the calls."""

    message: str = "boom"
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "failing"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.calls += 1
        raise ConnectionError(self.message)


class Endless(BaseChatModel):
    """Streams a token every `gap_s` seconds, for ever."""

    gap_s: float = 0.2

    @property
    def _llm_type(self) -> str:
        return "endless"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage("x"))])

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> Iterator[ChatGenerationChunk]:
        for _ in itertools.count():
            time.sleep(self.gap_s)
            yield ChatGenerationChunk(message=AIMessageChunk(content="more "))


def test_replies_pass_through_invoke_and_stream() -> None:
    inner = RecordingChat(reply="The bridge reopened on Saturday [1].")
    guarded = Guarded(inner=inner, timeout_s=5)
    assert guarded.invoke([HumanMessage("q")]).content == "The bridge reopened on Saturday [1]."
    streamed = "".join(str(c.content) for c in guarded.stream([HumanMessage("q")]))
    assert streamed == "The bridge reopened on Saturday [1]."
    assert len(inner.received) == 2


def test_a_failure_is_a_backend_error_and_later_calls_fail_without_asking() -> None:
    inner = Failing(message="connection refused by 127.0.0.1:9")
    guarded = Guarded(inner=inner, timeout_s=5)
    with pytest.raises(BackendUnavailable, match="ConnectionError: connection refused"):
        guarded.invoke([HumanMessage("q")])
    with pytest.raises(BackendUnavailable):
        list(guarded.stream([HumanMessage("q")]))
    assert inner.calls == 1


def test_a_stream_past_the_budget_is_abandoned() -> None:
    guarded = Guarded(inner=Endless(gap_s=0.2), timeout_s=1)
    started = time.monotonic()
    with pytest.raises(BackendUnavailable, match="no answer within 1 s"):
        for _ in guarded.stream([HumanMessage("q")]):
            pass
    assert time.monotonic() - started < 30  # it ends: without the budget it never would


def test_a_spent_budget_fails_the_next_call_at_once() -> None:
    inner = RecordingChat(reply="ok")
    guarded = Guarded(inner=inner, timeout_s=0.5, started=time.monotonic() - 1)
    with pytest.raises(BackendUnavailable, match=r"no answer within 0\.5 s"):
        guarded.invoke([HumanMessage("q")])
    assert inner.received == []


def test_generate_turns_guard_failures_into_the_domain_error_unchanged() -> None:
    guarded = Guarded(inner=Failing(message=f"bad key {SECRET}"), timeout_s=5, secrets=(SECRET,))
    with pytest.raises(BackendUnavailable) as caught:
        list(generate_stream("q", [], guarded))
    assert SECRET not in str(caught.value) and REDACTED in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_secrets_never_appear_in_errors_repr_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    guarded = Guarded(inner=Failing(message=f"Invalid API key {SECRET}"), timeout_s=5, secrets=(SECRET,))
    with pytest.raises(BackendUnavailable) as caught:
        guarded.invoke([HumanMessage("q")])
    assert SECRET not in str(caught.value)
    assert SECRET not in caplog.text
    assert "Invalid API key" in caplog.text


def test_model_objects_do_not_show_the_key() -> None:
    model = make_chat_model(LLMSettings(backend="openai", model="m", api_key=SECRET))  # type: ignore[arg-type]
    assert model is not None
    guarded = Guarded(inner=model, timeout_s=5, secrets=(SECRET,))
    assert SECRET not in repr(model) and SECRET not in repr(guarded) and SECRET not in str(guarded)


def test_secrets_of_reads_every_secret_setting() -> None:
    settings = Settings()
    settings.llm.api_key = "llm-key-1234"  # type: ignore[assignment]
    settings.store.auth_token = "chroma-token-5678"  # type: ignore[assignment]
    assert set(secrets_of(settings)) == {"llm-key-1234", "chroma-token-5678"}
    assert secrets_of(Settings()) == ()


def test_redact_replaces_every_occurrence() -> None:
    assert redact(f"{SECRET} and {SECRET}", (SECRET,)) == f"{REDACTED} and {REDACTED}"
    assert redact("nothing here", ()) == "nothing here"


def test_settings_repr_hides_the_keys() -> None:
    settings = Settings()
    settings.llm.api_key = SECRET  # type: ignore[assignment]
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert settings.llm.api_key.get_secret_value() == SECRET
