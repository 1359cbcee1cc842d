"""The names a question asks about, and whether the articles mention them in some form.

A question about a name no article mentions ("What did Biden and Netanyahu agree about Ukraine?")
has no answer in the articles, however close its other words come. The names are the question's
named entities as spaCy reads them, so a capitalised word that names nothing ("OK to drink") is no
name. A name is mentioned when an article holds its words or its adjective or noun ("the Bible" /
"the biblical Joseph", "Iran" / "Iranian"), or when the passages retrieved for the question hold
the words an acronym stands for ("the IMF" / "the International Monetary Fund", "RSV" /
"respiratory syncytial virus"), read from the initials of each clause's meaningful words, so
"Food and Drug Administration" spells "FDA".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.text.terms import STOP_WORDS, content_terms
from index.nlp import NAMED, spans

_CAPITALISED = re.compile(r"[A-Z][\w'’-]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”]+")
_ENDING = 4  # letters a derived form may add to a name's stem ("bibl" -> "biblical")
_SHORTEST_STEM = 4  # shorter stems begin too many unrelated words
_SHORTEST_ACRONYM = 3  # two letters begin too many pairs of words by chance


def unknown_names(
    question: str, known: Callable[[str], bool], derived: Callable[[str, int], bool], passages: str = ""
) -> list[str]:
    """Words of the question's names that no article mentions: `known(term)` tells whether an
    article holds a stemmed term, `derived(stem, letters)` whether one holds a term that is the stem
    with at most that many letters more; `passages`, the text retrieved for the question, is where
    the words of an acronym are looked for."""
    out: list[str] = []
    for label, start, end in spans(question):
        if label not in NAMED:
            continue
        for word in _CAPITALISED.findall(question[start:end]):
            terms = content_terms(word)
            if (
                terms
                and not any(known(t) for t in terms)
                and not _another_form(word, terms, derived, passages)
            ):
                out.append(word)
    return list(dict.fromkeys(out))


def _another_form(word: str, terms: list[str], derived: Callable[[str, int], bool], passages: str) -> bool:
    """Whether an article holds the word's adjective or noun, or the passages spell out its acronym."""
    if len(terms) == 1 and len(terms[0]) >= _SHORTEST_STEM and derived(terms[0], _ENDING):
        return True
    letters = word.replace(".", "")
    if len(letters) < _SHORTEST_ACRONYM or not (letters.isupper() and letters.isalpha()):
        return False
    return any(letters.lower() in initials for initials in _initials(passages))


def _initials(text: str) -> list[str]:
    """The initials of the meaningful words of each clause of the text, in lower case ("the
    International Monetary Fund said" -> "imfs"; "a respiratory syncytial virus vaccine" -> "rsvv")."""
    return [
        "".join(w[0] for w in _WORD.findall(clause) if w.lower() not in STOP_WORDS).lower()
        for clause in _CLAUSE.split(text)
    ]
