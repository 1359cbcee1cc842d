"""Content words shared by BM25 and sentence scoring."""

import pytest

from assistant.text.terms import content_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The calls lasted", ["call", "last"]),
        ("after Iran’s Oct. 1 attack", ["iran", "octob", "1", "attack"]),
        ("October 1", ["octob", "1"]),
        ("killed at least 42,000 Palestinians", ["kill", "least", "42000", "palestinian"]),
        ("What did the articles say?", []),
        ("Who took part in the call?", ["join", "call"]),
        ("She participated in talks", ["join", "talk"]),
    ],
)
def test_content_terms(text: str, expected: list[str]) -> None:
    assert content_terms(text) == expected
