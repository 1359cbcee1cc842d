"""Fakes shared by the tests: a chat model that records the prompts it receives."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class RecordingChat(BaseChatModel):
    """Keeps every prompt it receives; answers with `replies` in turn, else with `reply`."""

    reply: str = ""
    replies: list[str] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "recording"

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.received.append(messages)
        turn = len(self.received) - 1
        text = self.replies[turn] if turn < len(self.replies) else self.reply
        return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])
