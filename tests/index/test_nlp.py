"""Entities read by spaCy's packaged English pipeline (the real model, offline)."""

from index.nlp import spans


def test_entity_spans_point_at_their_text_with_their_kind() -> None:
    text = "Kamala Harris spoke for 30 minutes on Monday about the $2.4 million repair."
    found = {(label, text[a:b]) for label, a, b in spans(text)}
    assert ("PERSON", "Kamala Harris") in found
    assert ("TIME", "30 minutes") in found
    assert ("DATE", "Monday") in found
    assert ("MONEY", "$2.4 million") in found


def test_a_text_is_read_once() -> None:
    text = "Reuters reported the vote on Tuesday."
    assert spans(text) is spans(text)
    assert spans("") == ()
