"""The generative answer: numbered, fenced passages in, cited prose out, composed with LCEL.

The chain is `prompts/answer.md | chat model | StrOutputParser()`. What the model writes is not
trusted: `assistant.llm.verify` checks every sentence against the passages before anyone sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from assistant.answer import Passage
from assistant.errors import AssistantError, BackendUnavailable
from assistant.llm.prompting import format_passages, load_prompt

log = logging.getLogger(__name__)


def answer_chain(model: BaseChatModel) -> Runnable[dict[str, Any], str]:
    """`prompt | model | StrOutputParser()` for the answer prompt."""
    return load_prompt("answer") | model | StrOutputParser()


def prompt_inputs(question: str, passages: Sequence[Passage]) -> dict[str, str]:
    """The values the answer prompt is filled with."""
    return {"question": " ".join(question.split()), "passages": format_passages(passages)}


def generate(question: str, passages: Sequence[Passage], model: BaseChatModel) -> str:
    """The model's whole answer to `question` from `passages` (unverified)."""
    try:
        text = answer_chain(model).invoke(prompt_inputs(question, passages))
    except AssistantError:
        raise
    except Exception as err:  # any backend failure: network, server, model file
        raise BackendUnavailable(f"the answer model failed: {err}") from err
    return text.strip()


def stream(question: str, passages: Sequence[Passage], model: BaseChatModel) -> Iterator[str]:
    """The model's answer as it is written, chunk by chunk (unverified)."""
    chunks = answer_chain(model).stream(prompt_inputs(question, passages))
    while True:
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        except AssistantError:
            raise
        except Exception as err:  # a failure mid-stream is the backend's, not the caller's
            raise BackendUnavailable(f"the answer model failed: {err}") from err
        if chunk:
            yield chunk
