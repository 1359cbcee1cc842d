"""What kind of phrase answers a question, and which of its words a sentence must share to answer it.

"Who wrote the song?" is answered by a name standing as the writer ("X wrote", "written by X");
"Who did John Stamos play?" by the name his playing takes as its object; "When was it founded?" by
a year; "How many episodes are there?" by a count of episodes. "Where ...?" is not read: a place
beside the question's words is too often another place of the story.
The question's verb ("wrote") and its other words ("song") are told apart, because a name right
after a verb is its object ("played Blackie Parrish") while a name right after a noun is that
noun's name ("bassist Jason Newsted").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.conflicts.focus import CLOCK, DAY, focus, rarity_weights
from assistant.conflicts.lexicon import EVENT_VERBS
from assistant.conflicts.subjects import Word, key, words
from assistant.text.terms import STOP_WORDS

NAME, DATE, COUNT = "name", "date", "count"
_AUXILIARIES = frozenset("is are was were has have had did does do will would can could".split())
_OBJECT_AUXILIARIES = frozenset("did does do will would can could".split())
_WH = re.compile(
    r"\s*(?:(?:in|on|at|from|by|to|for) )?"
    r"(who|whom|whose|where|when|what year|which year|what date|what day|which day|what time|how many|"
    r"which|what)\b(?: (\w+))?"
)
_RELEASED = re.compile(r"\b(?:come|comes|came|coming) out\b")
_EVENT_KEYS = {key(word): key(event) for word, event in EVENT_VERBS.items() if word not in ("took", "death")}
# Question words of a "what ..." question that ask for a description, not for a named thing.
_DESCRIPTIVE = frozenset("does do did is are was were happens happened caused causes means".split())


@dataclass(frozen=True)
class Asked:
    """The kind of answer a question wants (NAME, DATE, COUNT, or "" when none is read) and its words."""

    kind: str
    keys: frozenset[str]
    verbs: frozenset[str] = frozenset()  # keys of the question's verb ("write" in "who wrote")
    object_question: bool = False  # "who did X play": the answer is the verb's object
    unit: str = ""  # for counts, the counted noun's key ("episod"); for dates, DAY, CLOCK or ""
    weights: dict[str, float] = field(default_factory=dict)  # rarer words weigh more

    def relevance(self, keys: Iterable[str]) -> float:
        """Weighted share of the question's words among a sentence's keys (1.0: all of them)."""
        pool = {canonical(k) for k in keys}
        total = sum(self.weights.get(k, 1.0) for k in self.keys)
        if not total:
            return 0.0
        found = sum(self.weights.get(k, 1.0) for k in self.keys if any(same_key(k, p) for p in pool))
        return found / total


def asked(question: str, sentences: Iterable[frozenset[str]] = ()) -> Asked:
    """Read what kind of phrase answers the question; `sentences` (content keys of each sentence of
    the sources) weight its words by rarity."""
    q = _RELEASED.sub("released", question.strip().lower())
    match = _WH.match(q)
    wanted = focus(q)
    keys = frozenset(canonical(k) for k in wanted.keys)
    if not match or not keys:
        return Asked("", keys)
    wh, after = match.group(1), match.group(2) or ""
    kind, unit = _kind(wh, after, wanted.unit)
    if unit in (DAY, CLOCK):
        keys -= {key(wh.split()[1])}  # "what time did the gates open": "time" names the answer
    rest = [w for w in words(q[match.end(1) :]) if w.text[0].isalnum()]
    object_question = wh == "whom" or (bool(rest) and rest[0].lower in _OBJECT_AUXILIARIES)
    if object_question and kind == NAME:
        kind = ""  # "who did X play": actors play many parts; the question rarely has one answer
    verbs = _verb(rest, skip_noun=wh in ("which", "what")) & keys if kind == NAME else frozenset()
    return Asked(kind, keys, verbs, object_question, unit, rarity_weights(keys, list(sentences)))


def _kind(wh: str, after: str, unit: str) -> tuple[str, str]:
    if wh in ("when", "what year", "which year", "what date"):
        return DATE, ""
    if wh in ("what day", "which day"):
        return DATE, DAY
    if wh == "what time":
        return DATE, CLOCK
    if wh == "how many":
        return COUNT, unit
    if wh in ("who", "whom", "whose"):
        return NAME, ""
    if wh == "where":
        # A place beside the question's words is too often another place of the story ("the first
        # motte in England" against "the first motte-and-bailey castle, at Vincy"): not read.
        return "", ""
    if after in _DESCRIPTIVE or after in ("kind", "type", "sort"):
        return "", ""  # "what caused ...", "what is the meaning of ..." want a description
    return NAME, ""


def _verb(rest: list[Word], skip_noun: bool) -> frozenset[str]:
    """The key of the question's verb: the first word after the question word and its auxiliaries
    ("who wrote", "who has won", "which team won"); none for "who is the ...", which asks for a name
    standing for the noun that follows."""
    i = 1 if skip_noun and rest and rest[0].lower not in _AUXILIARIES else 0
    while i < len(rest) and rest[i].lower in _AUXILIARIES:
        i += 1
    if i < len(rest) and rest[i].lower not in STOP_WORDS:
        return frozenset({key(rest[i].text)})
    return frozenset()


def canonical(k: str) -> str:
    """One key for the verbs that date one kind of event: "established" and "formed" are
    "founded", "premiered" and "published" are "released"."""
    return _EVENT_KEYS.get(k, k)


def same_key(a: str, b: str) -> bool:
    """Equal keys, or a word and its derivation ("iran"/"iranian", "produc"/"producer")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3
