"""Entities read by spaCy's packaged English pipeline (the real model, offline)."""

from assistant.conflicts.subjects import key
from index.nlp import irregular_verbs, spans


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


def test_irregular_verb_forms_come_from_the_lemmatizer_s_exceptions() -> None:
    verbs = irregular_verbs()
    assert verbs["broke"] == "break" and verbs["spoken"] == "speak" and verbs["fought"] == "fight"
    assert "walked" not in verbs  # regular forms are left to the stemmer
    # A claim's subject reads them: "broke out" answers "break out", "fought" matches "fights".
    assert key("broke") == key("break") and key("fought") == key("fights") and key("walked") == key("walk")
