"""OpenAI-compatible chat: `GET /v1/models` and `POST /v1/chat/completions`, streamed or not.

Chat front ends people already use (Open WebUI, LibreChat, the `openai` client, `llm`) can add the
assistant as one more model. The last user message is the question and earlier user/assistant turns
are the history. The reply's content is the answer with its `[n]` markers, then a "Sources" list
and, when sources disagree, a "Where sources disagree" block quoting each side; the same answer as
structured data travels in the extra `news_assistant` field, which OpenAI clients ignore.

The routes sit behind the same token, rate limit, body limit and CORS settings as `/api/v1`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.answer import Answer, Conflict
from assistant.core import Assistant, clean_question
from assistant.errors import AssistantError, BackendUnavailable, InvalidQuestion
from assistant.retrieve import Filters
from assistant.web.schemas import AskFilters
from index.errors import IndexingError, StoreUnavailable

log = logging.getLogger(__name__)

MODEL_ID = "news-assistant"
SOURCES_HEADING = "**Sources**"
# Characters that would make article text into links, HTML, code or emphasis; an underscore inside a
# word (file names, URLs) does nothing in Markdown and is left alone.
_MARKDOWN = re.compile(r"([\\`*\[\]<>]|(?<!\w)_|_(?!\w))")
_KINDS = {"contradiction": "Contradiction", "different-time": "Different times"}


class ChatMessage(BaseModel):
    """One message of the conversation; content is text or a list of parts (text parts are read)."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """A chat completion request. Sampling fields clients send (`temperature`, `max_tokens`, ...) are
    accepted and have no effect: answers are cut from the articles. `filters` is an extension."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(MODEL_ID, examples=[MODEL_ID])
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    filters: AskFilters | None = Field(None, description="Extension: which articles may answer.")


class ModelOut(BaseModel):
    """The one model this server offers."""

    id: str
    object: str = "model"
    created: int
    owned_by: str


class ModelsOut(BaseModel):
    """The list of models, as `GET /v1/models` answers it."""

    object: str = "list"
    data: list[ModelOut]


def create_router(
    assistant: Assistant, guard: Callable[..., None], errors: dict[int | str, Any]
) -> APIRouter:
    """The `/v1` routes, each behind `guard` (the API's token and rate-limit check)."""
    router = APIRouter(
        prefix="/v1", dependencies=[Depends(guard)], responses=errors, tags=["OpenAI-compatible"]
    )
    started = int(time.time())

    @router.get("/models", response_model=ModelsOut)
    def models() -> dict[str, Any]:
        """The model to name in chat completion requests: `news-assistant`."""
        return {
            "object": "list",
            "data": [{"id": MODEL_ID, "created": started, "owned_by": "news-assistant"}],
        }

    @router.post(
        "/chat/completions",
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "A chat completion, or chunks"}
        },
    )
    def chat_completions(body: ChatRequest) -> Any:
        """Answer the last user message, with earlier turns as history; `stream: true` sends
        `chat.completion.chunk` server-sent events ending with `data: [DONE]`."""
        question, history = conversation(body.messages)
        filters = _filters(body.filters)
        if body.stream:
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            chunks = _chunks(assistant, question, history, filters)
            return StreamingResponse(chunks, media_type="text/event-stream", headers=headers)
        answer = assistant.ask(question, history, filters)
        return completion(answer, answer_content(answer, _urls(assistant, answer)))

    return router


def conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """The question (the last user message) and the (question, answer) turns before it."""
    turns = [(m.role, _text(m.content)) for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1][0] != "user":
        raise InvalidQuestion("The last message must be the user's question.")
    history: list[tuple[str, str]] = []
    asked: str | None = None
    for role, text in turns[:-1]:
        if role == "user":
            asked = text
        elif asked is not None:
            history.append((asked, text.split("\n\n" + SOURCES_HEADING, 1)[0]))
            asked = None
    return clean_question(turns[-1][1]), history[-50:]


def completion(answer: Answer, content: str) -> dict[str, Any]:
    """A `chat.completion` object holding the content, with the structured answer alongside."""
    return {
        **_envelope("chat.completion"),
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "news_assistant": answer.to_json(),
    }


def answer_content(answer: Answer, urls: dict[str, str]) -> str:
    """The answer text followed by its sources and disagreements, as Markdown."""
    return answer.answer + sources_block(answer, urls)


def sources_block(answer: Answer, urls: dict[str, str]) -> str:
    """Notes, the numbered sources with their verbatim quotes, and where sources disagree.

    Article text is untrusted: Markdown and HTML characters in it are escaped, and only http(s)
    URLs become links.
    """
    parts = [f"_{_md(note)}_" for note in answer.notes]
    if answer.citations:
        lines = [SOURCES_HEADING]
        for c in answer.citations:
            where = " · ".join(_md(x) for x in (c.outlet, c.published, c.title) if x)
            link = f" ([link]({urls[c.source]}))" if urls.get(c.source) else ""
            lines.append(f"[{c.id}] {where or _md(c.source)}: “{_md(c.quote)}”{link}")
        parts.append("\n".join(lines))
    if answer.conflicts:
        parts.append("**Where sources disagree**\n" + "\n".join(_conflict(c) for c in answer.conflicts))
    return "".join("\n\n" + part for part in parts)


def _conflict(conflict: Conflict) -> str:
    kind = _KINDS.get(conflict.kind, conflict.kind)
    lines = [f"- {kind}: {_md(conflict.topic)}" + (f" ({_md(conflict.reason)})" if conflict.reason else "")]
    for side in conflict.sides:
        who = ", ".join(_md(x) for x in (side.outlet or side.source, side.published) if x)
        when = f"; describes {_md(side.when)}" if side.when else ""
        value = f" ({_md(side.value)})" if side.value else ""
        lines.append(f"  - {who}{when}: “{_md(side.quote)}”{value}")
    return "\n".join(lines)


def _chunks(
    assistant: Assistant, question: str, history: list[tuple[str, str]], filters: Filters
) -> Iterator[str]:
    """Server-sent `chat.completion.chunk`s: the role, the answer as it is written, then the sources
    block, a last chunk with the structured answer, and `[DONE]`; an error midway is an `error` event."""
    envelope = _envelope("chat.completion.chunk")
    yield _event(envelope, {"role": "assistant", "content": ""})
    try:
        for event in assistant.stream(question, history, filters):
            if isinstance(event, Answer):
                yield _event(envelope, {"content": sources_block(event, _urls(assistant, event))})
                yield _event(envelope, {}, "stop", news_assistant=event.to_json())
            elif event:
                yield _event(envelope, {"content": event})
    except (AssistantError, IndexingError) as err:
        log.warning("streamed chat completion failed: %s", err)
        status = 503 if isinstance(err, StoreUnavailable | BackendUnavailable) else 400
        yield _data({"error": {"message": str(err), "type": "server_error", "code": status}})
    except Exception:
        log.exception("streamed chat completion failed")
        message = "Internal error; details are in the server log."
        yield _data({"error": {"message": message, "type": "server_error", "code": 500}})
    yield "data: [DONE]\n\n"


def _event(envelope: dict[str, Any], delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    return _data({**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra})


def _data(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _envelope(kind: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": kind,
        "created": int(time.time()),
        "model": MODEL_ID,
    }


def _urls(assistant: Assistant, answer: Answer) -> dict[str, str]:
    """Web addresses of the cited articles that have one."""
    out = {}
    for source in {c.source for c in answer.citations}:
        try:
            url = assistant.article(source).url
        except IndexingError:
            continue
        if url.startswith(("http://", "https://")):
            out[source] = url.replace(" ", "%20").replace(")", "%29")
    return out


def _filters(given: AskFilters | None) -> Filters:
    if given is None:
        return Filters()
    if given.since and given.until and given.since > given.until:
        raise InvalidQuestion("filters.since is after filters.until.")
    return Filters(tuple(given.outlets), given.since, given.until)


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if p.get("type") == "text")
    return content or ""


def _md(text: str) -> str:
    """Text shown literally in Markdown: its formatting and HTML characters escaped, on one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))
