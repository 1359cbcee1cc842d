"""The page's handlers without a browser: streaming into the chat, history, errors, upload names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Answer, Citation
from assistant.errors import AssistantError
from assistant.retrieve import Filters
from assistant.web.page import WebChat
from assistant.web.uploads import copy_uploads, safe_name

CITATION = Citation(1, "a.txt", "Title", "Wire", "2024-10-09", "The call lasted 30 minutes.", 0, 27)


class StubAssistant:
    """Answers every question with the given events, or raises the given error; records its calls."""

    def __init__(self, events: list[Any] | None = None, error: Exception | None = None) -> None:
        self.events = events or []
        self.error = error
        self.calls: list[tuple[str, list[tuple[str, str]], Filters | None]] = []

    def stream(self, question: str, history: Any = (), filters: Filters | None = None) -> Iterator[Any]:
        self.calls.append((question, list(history), filters))
        if self.error:
            raise self.error
        yield from self.events


def _run(
    assistant: StubAssistant, question: str = "How long?", answers: list[Answer] | None = None, **kw: Any
):
    chat = WebChat(assistant)  # type: ignore[arg-type]
    args = {"outlets": None, "date_from": "", "date_to": "", "stories": None} | kw
    return list(
        chat.respond(
            question, [], answers or [], args["outlets"], args["date_from"], args["date_to"], args["stories"]
        )
    )


def _last_message(updates: list[tuple[Any, ...]]) -> str:
    return str(updates[-1][1][-1]["content"])


def test_answer_streams_into_the_chat_then_fills_the_panels() -> None:
    final = Answer(
        "How long?", "It lasted 30 minutes [1].", citations=(CITATION,), notes=("Backend failed.",)
    )
    updates = _run(StubAssistant(["It lasted ", "30 minutes [1].", final]))
    assert updates[0][0] == ""  # the question box is cleared at once
    assert "Searching" in _last_message(updates[:1])
    assert "It lasted" in _last_message(updates[:2])
    assert 'href="#cite-0-c-1"' in _last_message(updates)
    assert "Note: Backend failed." in _last_message(updates)
    _, chat, answers, sources, _ = updates[-1]
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert answers == [final]
    assert "The call lasted 30 minutes." in sources


def test_follow_ups_pass_earlier_turns_as_history_and_number_their_turn() -> None:
    earlier = Answer("Who called?", "Biden called [1].", citations=(CITATION,))
    final = Answer("How long?", "30 minutes [1].", citations=(CITATION,))
    stub = StubAssistant([final])
    updates = _run(stub, answers=[earlier])
    assert stub.calls[0][1] == [("Who called?", "Biden called [1].")]
    assert 'href="#cite-1-c-1"' in _last_message(updates)


def test_filters_reach_the_assistant() -> None:
    stub = StubAssistant([Answer("q", "a")])
    _run(stub, outlets=["Wire"], date_from="2024-10-01", date_to="2024-10-31", stories=["story-1"])
    assert stub.calls[0][2] == Filters(("Wire",), "2024-10-01", "2024-10-31", ("story-1",))


@pytest.mark.parametrize(
    ("question", "dates", "message"),
    [
        ("   ", ("", ""), "Please type a question"),
        ("How long?", ("last week", ""), "YYYY-MM-DD"),
        ("How long?", ("2024-10-31", "2024-10-01"), "after the 'to' date"),
    ],
)
def test_invalid_input_gets_a_message_and_asks_nothing(
    question: str, dates: tuple[str, str], message: str
) -> None:
    stub = StubAssistant([Answer("q", "a")])
    with pytest.warns(UserWarning, match=message):  # gr.Warning, shown as a toast in the page
        assert _run(stub, question, date_from=dates[0], date_to=dates[1]) == []
    assert stub.calls == []


def test_assistant_errors_are_shown_as_their_message() -> None:
    updates = _run(StubAssistant(error=AssistantError("the store is not reachable")))
    assert "the store is not reachable" in _last_message(updates)
    assert not any(isinstance(update[2], list) for update in updates)  # no answer recorded


def test_unexpected_errors_show_a_short_message_without_details() -> None:
    updates = _run(StubAssistant(error=RuntimeError("secret internal detail")))
    message = _last_message(updates)
    assert "secret" not in message and "Traceback" not in message
    assert "went wrong" in message


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.txt", "report.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\story.md", "story.md"),
        (".hidden.txt", "hidden.txt"),
        ("a<b>|c.json", "a_b_c.json"),
        ("..", "upload.txt"),
    ],
)
def test_upload_names_keep_only_a_safe_base_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_uploads_are_copied_into_the_folder_and_unsupported_files_refused(tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    files = []
    for name in ("story.txt", "story.txt.meta.json", "virus.exe"):
        (incoming / name).write_text("x", encoding="utf-8")
        files.append(str(incoming / name))
    folder = tmp_path / "store" / "uploads"
    paths, refused = copy_uploads(files, folder)
    assert paths == [folder / "story.txt"]  # the sidecar is copied but is not an article
    assert sorted(p.name for p in folder.iterdir()) == ["story.txt", "story.txt.meta.json"]
    assert refused == [("virus.exe", "unsupported file type .exe")]
