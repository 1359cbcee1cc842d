"""The words an answer uses to name a disputed point: "the length of the call", "the number of
missiles", "whether the attack caused casualties", "the name in “an airline based in …”"."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.conflicts.alignment import Found
from assistant.conflicts.lexicon import EVENT_CLASSES

_EVENTS = frozenset(EVENT_CLASSES.values())

_DATE_TOPICS = {
    "born": "the date of birth", "died": "the date of death", "founded": "when it was founded",
    "built": "when it was built", "opened": "when it opened", "released": "when it was released",
    "launched": "when it was launched", "elected": "when the election took place",
    "spoke": "when they spoke", "met": "when they met", "held": "when it took place",
    "started": "when it started", "voted": "when the vote took place", "renamed": "when it was renamed",
    "passed": "when it was passed",
}  # fmt: skip


def topic(sides: Sequence[Found]) -> str:
    """A short noun phrase naming the disputed point: "the length of the call"."""
    claim = sides[0].claim
    family, _, detail = claim.attribute.partition(":")
    thing = _shared_event(sides)
    if family == "duration":
        return {
            "length": f"the length of the {thing or 'event'}",
            "gap": f"the time since the previous {thing or 'event'}",
            "age": "the age",
        }.get(detail, "the time involved")
    if family == "count":
        noun = claim.value.split()[-1] if claim.quantity else detail
        return f"the number of {noun}"
    if family == "harm":
        return f"whether the {thing or 'event'} caused casualties"
    if family == "date":
        return _DATE_TOPICS.get(detail, f"when it {detail}")
    if family == "restated":
        kind, _, context = detail.partition(":")
        return f"the {_RESTATED_NOUNS.get(kind, kind)} in “{context}”"
    if family == "stance":
        answers = " or ".join(dict.fromkeys(f.claim.state for f in sides))
        what = f"the {thing}" if thing else "it"
        return _STANCE_TOPICS.get(detail.partition(":")[0], "whether {what} was {answers}").format(
            what=what, answers=answers
        )
    return {"money": "the amount of money", "percent": "the percentage"}.get(family, f"the {family}")


_RESTATED_NOUNS = {"name": "name", "number": "figure", "date": "date"}
_STANCE_TOPICS = {
    "result": "the result",
    "direction": "the direction of the change",
    "verdict": "the verdict",
}


def _shared_event(sides: Sequence[Found]) -> str:
    """The event word every side's sentence uses ("call", "attack"), if any."""
    found = [(f.claim.subject | f.statement.keys) & _EVENTS for f in sides]
    common = set.intersection(*map(set, found)) if found else set()
    nouns = {f.claim.quantity.noun for f in sides if f.claim.quantity and f.claim.quantity.noun}
    return sorted(common)[0] if common else (nouns.pop() if len(nouns) == 1 else "")
