"""A chat model held to one question's time budget, whose failures never carry a secret.

Every model call of a question (rewriting a follow-up, confirming conflicts, writing the answer)
goes through one `Guarded` wrapper made for that question. Together they get `timeout_s` seconds:
a stream still running past the budget is abandoned, and after the first failure the remaining
calls fail at once, so a dead or stalled backend costs a question one timeout, not one per call.
Failures are re-raised as `BackendUnavailable` with every configured secret cut out, because their
messages reach logs and the user's note (some servers echo the key they were sent).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field, SecretStr

from assistant.errors import BackendUnavailable
from index.settings import Settings

log = logging.getLogger(__name__)

REDACTED = "[redacted]"


def secrets_of(settings: Settings) -> tuple[str, ...]:
    """The secret values in the settings (LLM key, store token, API token), to keep out of messages."""
    server = getattr(settings, "server", None)
    values = (settings.llm.api_key, settings.store.auth_token, getattr(server, "api_token", ""))
    plain = (v.get_secret_value() if isinstance(v, SecretStr) else str(v or "") for v in values)
    return tuple(v for v in plain if v.strip())


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """The text with every secret replaced by a marker."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class Guarded(BaseChatModel):
    """Delegates to `inner` within a shared time budget; raises only `BackendUnavailable`."""

    inner: BaseChatModel
    timeout_s: float
    secrets: tuple[str, ...] = Field(default=(), repr=False, exclude=True)
    started: float = Field(default_factory=time.monotonic)
    failure: str = ""

    @property
    def _llm_type(self) -> str:
        return f"guarded-{self.inner._llm_type}"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self._check()
        try:
            message = self.inner.invoke(messages, stop=stop, **kwargs)
        except Exception as err:
            raise self._failed(err) from None  # the cause's message may hold a secret
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self._check()
        try:
            for chunk in self.inner.stream(messages, stop=stop, **kwargs):
                if self._elapsed() > self.timeout_s:
                    raise TimeoutError("stream ran past the budget")
                if not isinstance(chunk, AIMessageChunk):  # a model without streaming yields its AIMessage
                    chunk = AIMessageChunk(content=chunk.content)
                piece = ChatGenerationChunk(message=chunk)
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=piece)
                yield piece
        except Exception as err:
            raise self._failed(err) from None

    def _elapsed(self) -> float:
        return time.monotonic() - self.started

    def _check(self) -> None:
        """Fail at once when an earlier call failed or the budget is spent."""
        if not self.failure and self._elapsed() > self.timeout_s:
            self.failure = f"no answer within {self.timeout_s:g} s"
        if self.failure:
            raise BackendUnavailable(self.failure)

    def _failed(self, err: Exception) -> BackendUnavailable:
        """The error to raise for a backend failure, remembered so later calls fail fast."""
        if isinstance(err, TimeoutError) or "timeout" in type(err).__name__.lower():
            reason = f"no answer within {self.timeout_s:g} s"
        elif isinstance(err, BackendUnavailable):
            reason = str(err)
        else:
            reason = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
        self.failure = " ".join(redact(reason, self.secrets).split())[:300]
        log.warning("language model call failed: %s", self.failure)
        return BackendUnavailable(self.failure)
