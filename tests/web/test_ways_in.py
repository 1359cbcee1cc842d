"""The assistant as other tools reach it, over real HTTP and stdio: the official `openai` client
against `/v1` (streamed and not, a conflict question, a wrong token), and the official `mcp`
client against `python -m assistant mcp` (stdio) and `/mcp` on the running app."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.servers import REPO_ROOT, app_env, sample_store, serving_app

pytestmark = pytest.mark.slow

TOKEN = "s3cret-token-for-tests"
CALL = "How long did the Biden-Netanyahu phone call last?"
DATED = "002_ede3a99fe171a0a6.txt"
TOOLS = {"ask", "search", "article", "conflicts", "stories"}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Path:
    return sample_store(tmp_path_factory.mktemp("ways-in") / "store", embedder)


@pytest.fixture(scope="module")
def app_url(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("ways-in-log") / "app.log"
    with serving_app(store_dir, log, ASSISTANT_SERVER__API_TOKEN=TOKEN) as url:
        yield url


def client(app_url: str, key: str = TOKEN) -> Any:
    import openai

    return openai.OpenAI(base_url=app_url + "v1", api_key=key, max_retries=0, timeout=120)


# --- OpenAI-compatible -----------------------------------------------------------------------


def test_models_lists_the_assistant(app_url: str) -> None:
    assert [m.id for m in client(app_url).models.list()] == ["news-assistant"]


def test_a_conflict_question_quotes_both_sides(app_url: str) -> None:
    reply = client(app_url).chat.completions.create(
        model="news-assistant", messages=[{"role": "user", "content": CALL}]
    )
    content = reply.choices[0].message.content
    assert reply.choices[0].finish_reason == "stop"
    assert "[1]" in content and "\n\n**Sources**\n[1] " in content
    assert "**Where sources disagree**\n- Contradiction:" in content
    extra = reply.model_extra["news_assistant"]
    assert extra["conflicts"] and extra["conflicts"][0]["kind"] == "contradiction"
    sides = extra["conflicts"][0]["sides"]
    assert len({s["source"] for s in sides}) >= 2
    for side in sides:  # each side's verbatim quote is in the content
        assert side["quote"].split()[0] in content
    assert [c["id"] for c in extra["citations"]] == list(range(1, len(extra["citations"]) + 1))


def test_streamed_chunks_add_up_to_the_same_reply(app_url: str) -> None:
    messages = [{"role": "user", "content": CALL}]
    whole = client(app_url).chat.completions.create(model="news-assistant", messages=messages)
    stream = client(app_url).chat.completions.create(model="news-assistant", messages=messages, stream=True)
    chunks = list(stream)
    assert len(chunks) >= 4
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == whole.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["news_assistant"]["conflicts"]


def test_a_follow_up_uses_the_earlier_turns(app_url: str) -> None:
    first = client(app_url).chat.completions.create(
        model="news-assistant", messages=[{"role": "user", "content": CALL}]
    )
    follow = client(app_url).chat.completions.create(
        model="news-assistant",
        messages=[
            {"role": "user", "content": CALL},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": "Who was on the call?"},
        ],
    )
    assert follow.model_extra["news_assistant"]["question"] == "Who was on the call?"
    assert not follow.model_extra["news_assistant"]["abstained"]


def test_a_wrong_token_is_refused(app_url: str) -> None:
    import openai

    with pytest.raises(openai.AuthenticationError) as caught:
        client(app_url, key="wrong").chat.completions.create(
            model="news-assistant", messages=[{"role": "user", "content": CALL}]
        )
    assert "token" in str(caught.value)
    with pytest.raises(openai.AuthenticationError):
        client(app_url, key="wrong").models.list()


def test_a_conversation_without_a_question_is_a_bad_request(app_url: str) -> None:
    import openai

    with pytest.raises(openai.BadRequestError, match="last message must be the user's question"):
        client(app_url).chat.completions.create(
            model="news-assistant", messages=[{"role": "assistant", "content": "Hello"}]
        )


def test_the_routes_are_in_the_openapi_spec(app_url: str) -> None:
    import httpx

    paths = httpx.get(app_url + "openapi.json", timeout=30).json()["paths"]
    assert {"/v1/models", "/v1/chat/completions"} <= set(paths)


# --- MCP ---------------------------------------------------------------------------------------


async def use_tools(server: Any) -> dict[str, Any]:
    """List the tools and call each once through the SDK's own client."""
    from mcp import Client

    async with Client(server) as mcp:
        listed = await mcp.list_tools()
        asked = await mcp.call_tool("ask", {"question": CALL})
        found = await mcp.call_tool("search", {"query": "phone call minutes", "limit": 3})
        article = await mcp.call_tool("article", {"article_id": DATED})
        missing = await mcp.call_tool("article", {"article_id": "no-such-article"})
        disputes = await mcp.call_tool("conflicts", {})
        listed_stories = await mcp.call_tool("stories", {})
        story_id = listed_stories.structured_content["result"][0]["id"]
        one_story = await mcp.call_tool("stories", {"story_id": story_id})
        no_story = await mcp.call_tool("stories", {"story_id": "no-such-story"})
        in_story = await mcp.call_tool("ask", {"question": CALL, "stories": ["no-such-story"]})
    return {
        "tools": {t.name: t for t in listed.tools},
        "ask": asked,
        "search": found,
        "article": article,
        "missing": missing,
        "conflicts": disputes,
        "stories": listed_stories,
        "story": one_story,
        "no_story": no_story,
        "in_story": in_story,
    }


def check_tools(got: dict[str, Any]) -> None:
    assert set(got["tools"]) == TOOLS
    assert all(t.annotations.read_only_hint for t in got["tools"].values())
    assert "disagree" in got["tools"]["ask"].description
    asked = got["ask"].structured_content
    assert not got["ask"].is_error and asked["conflicts"][0]["kind"] == "contradiction"
    passages = got["search"].structured_content["result"]
    assert len(passages) == 3 and all(p["text"] for p in passages)
    article = got["article"].structured_content
    assert article["id"] == DATED and article["published"] == "2024-10-09"
    for p in passages:
        if p["article_id"] == DATED:
            assert article["text"][p["start"] : p["end"]] == p["text"]
    assert got["missing"].is_error and "no-such-article" in got["missing"].content[0].text
    assert got["conflicts"].structured_content["result"]
    listed = got["stories"].structured_content["result"]
    assert DATED in {a["id"] for s in listed for a in s["articles"]}
    story = got["story"].structured_content["result"][0]
    assert story["conflict_count"] == len(story["conflicts"])
    assert got["no_story"].is_error and "no-such-story" in got["no_story"].content[0].text
    assert got["in_story"].structured_content["abstained"]


def test_mcp_over_stdio(store_dir: Path) -> None:
    from mcp.client.stdio import StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "assistant", "mcp", "--store", str(store_dir)],
        env=app_env(),
        cwd=str(REPO_ROOT),
    )
    check_tools(anyio.run(use_tools, params))


def test_mcp_over_http(app_url: str) -> None:
    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    async def run() -> dict[str, Any]:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as http:
            return await use_tools(streamable_http_client(app_url + "mcp", http_client=http))

    check_tools(anyio.run(run))


def test_mcp_over_http_needs_the_token(app_url: str) -> None:
    import httpx

    reply = httpx.post(
        app_url + "mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={"Authorization": "Bearer wrong", "Accept": "application/json, text/event-stream"},
        timeout=30,
    )
    assert reply.status_code == 401
    assert "token" in reply.json()["error"]["message"]
