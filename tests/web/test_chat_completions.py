"""The OpenAI-compatible layer's pure parts: reading a conversation, writing sources as Markdown."""

from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation, Conflict, ConflictSide
from assistant.errors import InvalidQuestion
from assistant.web.chat_completions import ChatMessage, answer_content, conversation


def messages(*pairs: tuple[str, str]) -> list[ChatMessage]:
    return [ChatMessage(role=role, content=content) for role, content in pairs]  # type: ignore[arg-type]


def test_the_last_user_message_is_the_question_and_earlier_turns_the_history() -> None:
    question, history = conversation(
        messages(
            ("system", "You are helpful."),
            ("user", "Who closed the road?"),
            ("assistant", "The council closed it [1].\n\n**Sources**\n[1] Gazette: “quote”"),
            ("user", "  For how   long? "),
        )
    )
    assert question == "For how long?"
    assert history == [("Who closed the road?", "The council closed it [1].")]


def test_text_parts_of_a_message_are_read() -> None:
    parts = [
        {"type": "text", "text": "How long"},
        {"type": "image_url", "image_url": {}},
        {"type": "text", "text": "was the call?"},
    ]
    question, _ = conversation([ChatMessage(role="user", content=parts)])
    assert question == "How long was the call?"


@pytest.mark.parametrize(
    "pairs",
    [
        (("system", "Only a system prompt."),),
        (("user", "A question"), ("assistant", "An answer")),
        (("user", "   "),),
    ],
)
def test_a_conversation_without_a_last_question_is_refused(pairs: tuple[tuple[str, str], ...]) -> None:
    with pytest.raises(InvalidQuestion):
        conversation(messages(*pairs))


def test_sources_and_disagreements_follow_the_answer_with_article_text_escaped() -> None:
    answer = Answer(
        question="How long was the call?",
        answer="The call lasted 30 minutes [1].",
        citations=(
            Citation(
                1, "a.txt", "Call <b>held</b>", "Daily *Post*", "2024-10-09", "It lasted [30] minutes.", 0, 10
            ),
        ),
        conflicts=(
            Conflict(
                "call length",
                "contradiction",
                (
                    ConflictSide("a.txt", "Daily Post", "2024-10-09", "30 minutes", 0, 10, "30 minutes"),
                    ConflictSide(
                        "b.txt", "Wire", "2024-10-10", "about 50 minutes", 5, 20, "50 minutes", "Wednesday"
                    ),
                ),
                "both describe the same call",
            ),
        ),
    )
    text = answer_content(answer, {"a.txt": "https://example.org/call"})
    assert text.startswith("The call lasted 30 minutes [1].\n\n**Sources**\n")
    assert (
        "[1] Daily \\*Post\\* · 2024-10-09 · Call \\<b\\>held\\</b\\>: “It lasted \\[30\\] minutes.” ([link](https://example.org/call))"
        in text
    )
    assert "**Where sources disagree**\n- Contradiction: call length (both describe the same call)" in text
    assert "  - Wire, 2024-10-10; describes Wednesday: “about 50 minutes” (50 minutes)" in text
    assert "<b>" not in text
