"""What a question asks about: the kind of claim that answers it and the words that must be present.

"How long did the call last?" is answered by the length of something; "How many missiles ...?" by a
count of missiles; "Did the attack kill anyone?" by whether there were casualties. A claim of
another kind in the same passages ("two months since the last call") does not answer it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from assistant.conflicts.claims import LENGTH, Claim
from assistant.conflicts.lexicon import CASUALTY_WORDS
from assistant.conflicts.subjects import content_keys, key, words
from index.nlp import parse

# A date in a question ("Iran's October 1 attack"): which event is meant, seldom repeated by reports.
_MONTH_NAME = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|Mar|April|Apr|May|June|Jun|July|Jul|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DAY_OF_MONTH = re.compile(rf"\b{_MONTH_NAME}(?:\s+{_DAY}\b)?|\b{_DAY}\s+(?:of\s+)?{_MONTH_NAME}")
# Words of a question that say what kind of answer is wanted, not what it is about.
_FRAME_WORDS = frozenset(
    """long many much often far old last happen happened take took part say said report reported
    according article articles source sources know tell describe anyone anybody someone else besides
    exactly total number amount day date year time""".split()
)
DAY, CLOCK = "day", "clock"  # what a date question asks for: a day ("which day"), a time of day
_PEOPLE = frozenset({key(w) for w in ("people", "persons", "residents", "inhabitants", "population")})


@dataclass(frozen=True)
class Focus:
    """The question's topic words and, when it has one, the attribute family of its answer."""

    keys: frozenset[str]
    family: str = ""  # "duration", "count", "money", "percent", "length", "date", "harm", "margin" (a
    # difference in any unit), "tally" (a vote or a score: "6-5") or "" (any)
    unit: str = ""  # for counts: the counted noun's key ("missil"); "age" for a duration that is one;
    # for dates, DAY or CLOCK when the question asks for a day or a time of day
    yes_no: bool = False
    weights: Mapping[str, float] = field(default_factory=dict)  # rarer words weigh more
    asks: str = ""  # "name" for who/whom/whose questions, "place" for where, "" otherwise
    noun: frozenset[str] = frozenset()  # keys of the noun "what" or "which" asks for ("pay rise")

    def admits(self, claim: Claim) -> bool:
        """True when the claim is of the kind that answers the question."""
        if claim.kind == "restated":
            return self._admits_restated(claim)
        if not self.family:
            # "Who joined the call?" is not answered by the call's length; "Was it postponed?" may be;
            # "What pay rise ...?" by a figure said of a pay rise.
            measured = claim.kind == "quantity" and bool(self.noun & claim.subject)
            return measured or claim.kind in ("stance", "polarity")
        family, _, detail = claim.attribute.partition(":")
        if self.family == "tally" or claim.kind == "tally":
            return self.family == "tally" and claim.kind == "tally"
        if self.family == "margin":
            return claim.kind == "quantity" and (family != "duration" or detail in ("length", ""))
        if family == "count" and self.family == "duration" and not self.unit:
            # "How long is the paper?": a "14-page paper" measures the thing the question names.
            noun = claim.quantity.noun if claim.quantity else ""
            return bool(noun) and key(noun) in self.keys
        if family != self.family:
            return False
        if family == "date" and self.unit:
            # "On which day did they vote?" is not answered by the time the count began.
            return (detail == "time") == (self.unit == CLOCK)
        if family == "duration":
            return detail == self.unit if self.unit else detail in ("length", "")
        if family == "count" and self.unit:
            return detail == self.unit or (detail in _PEOPLE and self.unit in _PEOPLE)
        return True

    def as_asked(self, claim: Claim) -> Claim:
        """The claim with what the question asks filling what its sentence leaves unclear: a
        duration whose role nothing around it gives ("finished 17 seconds inside the record") is
        the length a "how long" or "by how much" question asks for, and is compared with lengths."""
        if claim.attribute == "duration:" and self.family in ("duration", "margin") and not self.unit:
            return replace(claim, attribute=LENGTH)
        return claim

    def _admits_restated(self, claim: Claim) -> bool:
        """A value by which two near-identical sentences differ (see restatements.py) answers the
        question when it is of the asked kind: a name for "who", a place after "in" or "at" for
        "where", a date or year for "when", a figure for "how many" where its sentence names it."""
        _, kind, context = claim.attribute.split(":", 2)
        if self.family == "harm":
            return False
        if self.family == "date":
            return kind not in ("name", "word")
        if self.family:
            return kind == "number" and bool(self._names_thing & claim.subject)
        if self.asks == "place":
            before = context.partition("…")[0].split()
            return kind == "name" and bool(before) and before[-1] in _PLACE_WORDS
        return kind == "name" or self.asks != "name"

    @property
    def _names_thing(self) -> frozenset[str]:
        """Words that name what a figure counts: the question's own, its unit, and for people,
        population words."""
        unit = {self.unit} if self.unit else set()
        return self.keys | unit | (_PEOPLE if self.unit in _PEOPLE else frozenset())


# "How did the board vote?", "How split were the councillors?", "By what score did they win?"
_TALLY = re.compile(
    r"\bhow did\b.*\bvote\b|\bhow (?:split|divided)\b|\bby what (?:score|margin)\b"
    r"|\b(?:what|which) (?:was |is )?(?:the )?(?:final )?(?:score|tally|vote)\b"
)
_TALLY_WORDS = frozenset("vote voted split divided score tally margin final".split())
_PLACE_WORDS = frozenset("in at near from on of (".split())


def focus(question: str, sentences: Iterable[frozenset[str]] = ()) -> Focus:
    """Read what the question asks; `sentences` (content keys of each) weight its words by rarity."""
    q = question.lower()
    toks = words(question)
    keys = frozenset(content_keys(toks) - {key(w) for w in _FRAME_WORDS})
    family, unit = _family(q)
    if family == "count" and unit:
        unit = _counted(question) or unit
    if family == "harm":  # "kill" says what kind of answer, not what it is about
        keys = keys - {key(w) for w in CASUALTY_WORDS}
    if family == "tally":  # "how split were they": "split" says what kind of answer
        keys = keys - {key(w) for w in _TALLY_WORDS}
    yes_no = bool(re.match(r"\s*(?:did|does|do|was|were|is|are|has|have|had|will|can)\b", q))
    asked = re.match(r"\s*(?:(?:in|on|at|from|by|to) )?(who|whom|whose|where)\b", q)
    asks = {"where": "place"}.get(asked.group(1), "name") if asked else ""
    weights = rarity_weights(keys, list(sentences))
    for k in _date_keys(question) & keys:  # a date names the event; reports rarely repeat it
        weights[k] = min(weights[k], 1.0)
    noun = _asked_noun(question) if not family else frozenset()
    return Focus(keys, family, unit, yes_no, weights, asks, noun)


def _asked_noun(question: str) -> frozenset[str]:
    """Keys of the noun a question's "what" or "which" determines, with its compounds: "pay rise"
    in "What pay rise has the district offered?"."""
    if not re.search(r"\b(?:what|which)\b", question, re.IGNORECASE):
        return frozenset()  # nothing to read: spare the parse
    for token in parse(question):
        if token.lower_ in ("what", "which") and token.dep_ == "det" and token.head.pos_ == "NOUN":
            head = token.head
            return frozenset(key(t.text) for t in (*head.children, head) if t is head or t.dep_ == "compound")
    return frozenset()


def _counted(question: str) -> str:
    """The key of the noun "how many" counts, from the question's parse: "theatres" in "how many
    operating theatres", "fish" in "how many of the fish"."""
    for token in parse(question):
        if token.lower_ != "many" or token.i == 0 or token.nbor(-1).lower_ != "how":
            continue
        if token.dep_ == "amod" and token.head.pos_ in ("NOUN", "PROPN"):
            return key(token.head.text)
        of = next((c for c in token.children if c.lower_ == "of"), None)
        counted = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        return key(counted.text) if counted is not None else ""
    return ""


def _date_keys(question: str) -> set[str]:
    """Keys of the month names in the question and of the day numbers written next to them."""
    found: set[str] = set()
    for match in _DAY_OF_MONTH.finditer(question):
        found |= content_keys(words(match.group(0)))
    return found


def rarity_weights(keys: frozenset[str], sentences: list[frozenset[str]]) -> dict[str, float]:
    """Inverse sentence frequency: a word in every sentence says little about which one is meant."""
    n = len(sentences)
    return {k: math.log(1 + (n + 1) / (1 + sum(1 for s in sentences if k in s))) for k in keys}


def _family(q: str) -> tuple[str, str]:
    if _TALLY.search(q):
        return "tally", ""
    many = re.search(r"\bhow many (?:of (?:the|these|those|its|their|his|her) )?(\w+)", q)
    if re.search(r"\bhow long\b|\bhow many (?:minutes|hours|days|weeks|months|years)\b", q):
        return "duration", ""
    if many:
        return "count", key(many.group(1))
    if "population" in q:
        return "count", key("people")
    if re.search(r"\bwhat (?:percentage|percent|share|proportion)\b", q):
        return "percent", ""
    if re.search(r"\bhow old\b", q):
        return "duration", "age"
    if re.search(r"\bhow (?:late|early)\b", q):
        return "duration", ""
    if re.search(r"\bhow (?:high|tall|deep|far)\b", q):
        return "length", ""
    if re.search(r"\bby how much\b", q):
        return "margin", ""  # "By how much did he win?": in seconds, votes, points or money
    if re.search(r"\bhow much\b(?!(?: \w+)? (?:time|longer|later|earlier)\b)", q):
        return "money", ""
    asked = re.match(
        r"\s*(?:on |in |at |since |until |from |by )?"
        r"(when|what year|which year|what date|what day|which day|what time)\b",
        q,
    )
    if asked:
        return "date", {"what day": DAY, "which day": DAY, "what time": CLOCK}.get(asked.group(1), "")
    yes_no = re.match(r"\s*(?:did|does|do|was|were|is|are|has|have|had)\b", q)
    if yes_no and any(w in CASUALTY_WORDS for w in re.findall(r"[a-z]+", q)):
        return "harm", ""
    return "", ""
