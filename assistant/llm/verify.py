"""Check a generated answer sentence by sentence against the passages it cites; drop what fails.

Citation markers (`[1]`, `[1, 2]`, `[1][2]`, `[1-3]`) are parsed and numbers that match no passage
are removed. Every sentence then gets a support score against its cited passages (`support.py`
explains the score); a sentence without a citation is checked against all passages and gets the
best one attached when it clears the bar, and a cited sentence that fails is re-checked against all
passages the same way (weak models misnumber). Sentences that still fail are dropped, never shown:
`Verified.dropped` lists them so the caller can say that something was removed, and
`Verified.empty` says that nothing survived and the caller must fall back to the extractive answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from assistant.answer import Passage
from assistant.llm.support import EMBED_THRESHOLD, THRESHOLD, Embed, Support, Unit, assess, passage_units
from assistant.llm.support import support_score as support_score
from index.sentences import sentence_spans

_NUMBERS = r"\d+(?:\s*(?:,|;|–|-|and)\s*\d+)*"
MARKER = re.compile(rf"\[\s*(?:(?:passage|source|doc(?:ument)?)\s*)?({_NUMBERS})\s*\]", re.IGNORECASE)
_MARKERS = rf"(?:\s*{MARKER.pattern})+"
# "...minutes. [1] Next" splits as "...minutes." + "[1] Next": move markers before the stop first.
_AFTER_STOP = re.compile(rf"([.!?]+[\"'”’)]*)({_MARKERS})", re.IGNORECASE)
_FINISHED = re.compile(r"(?:[.!?…][\"'”’)]*|\])\s*$")
_END_PUNCT = re.compile(r"[.!?]+[\"'”’)]*$")
_ABSTENTION = re.compile(
    r"\b(?:articles?|passages?|sources?|texts?|context|reports?)\b[^.]*?\b(?:do|does|did)\s*(?:not\b|n't)\s*"
    r"(?:say|mention|state|specify|answer|contain|provide|include|report|address|discuss|give|indicate)"
    r"|^\s*(?:there (?:is|was) |there's )?no (?:information|mention|details?)\b"
    r"|^\s*(?:i|we) (?:cannot|can't|could not|couldn't|am unable to|are unable to)"
    r" (?:answer|find|determine|tell)\b",
    re.IGNORECASE,
)
_ABSTENTION_BLOCKERS = re.compile(r"\d|\b(?:but|however|although|though|yet|while)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """An article span that supports a sentence: offsets into the article's text."""

    passage: int
    source: str
    start: int
    end: int


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of the answer and what the check found."""

    sentence: str
    cited: tuple[int, ...]
    score: float
    kept: bool
    how: str  # cited | recited | attached | abstention | unsupported | repeated | unfinished
    reason: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Verified:
    """The answer with only supported sentences left, and the record of every check."""

    text: str
    cited: tuple[int, ...]
    dropped: tuple[str, ...]
    checks: tuple[SentenceCheck, ...]
    removed_citations: tuple[int, ...] = ()
    threshold: float = THRESHOLD

    @property
    def empty(self) -> bool:
        """Nothing survived: the caller falls back to the extractive answer."""
        return not self.text

    @property
    def abstained(self) -> bool:
        """Every surviving sentence says the passages do not answer."""
        kept = [c for c in self.checks if c.kept]
        return bool(kept) and all(c.how == "abstention" for c in kept)

    @property
    def scores(self) -> tuple[float, ...]:
        """Support score of every sentence, in answer order."""
        return tuple(c.score for c in self.checks)


def parse_citations(text: str) -> tuple[int, ...]:
    """Citation numbers in order of first use: `[1]`, `[1, 2]`, `[1][2]`, `[1-3]`, `[Passage 2]`."""
    numbers: dict[int, None] = {}
    for match in MARKER.finditer(text):
        numbers.update(dict.fromkeys(_numbers(match.group(1))))
    return tuple(numbers)


def strip_citations(text: str) -> str:
    """The text without citation markers, spacing tidied."""
    return _tidy(MARKER.sub("", text))


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def verify(
    answer: str, passages: Sequence[Passage], threshold: float | None = None, embed: Embed | None = None
) -> Verified:
    """Keep the sentences of `answer` that its passages support, with corrected citations.

    The bar is `THRESHOLD`, or `EMBED_THRESHOLD` when `embed` blends in sentence embeddings.
    Repeated sentences and a last sentence cut off mid-way (the model ran out of tokens) are left
    out silently; `dropped` lists the unsupported claims only.
    """
    bar = threshold if threshold is not None else (EMBED_THRESHOLD if embed else THRESHOLD)
    by_number = {p.number: p for p in passages}
    units = {p.number: passage_units(_header(p), p.chunk.text, p.number) for p in passages}
    text = _AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", answer.strip())
    removed = tuple(n for n in parse_citations(text) if n not in by_number)
    spans = list(sentence_spans(text))
    checks: list[SentenceCheck] = []
    lines: list[tuple[str, bool]] = []
    seen: set[str] = set()
    previous_end = 0
    for i, (start, end) in enumerate(spans):
        raw = text[start:end]
        sentence = strip_citations(raw)
        key = " ".join(sentence.lower().split())
        if 0 < i == len(spans) - 1 and not _FINISHED.search(raw):
            check = SentenceCheck(sentence, (), 0.0, False, "unfinished")
        elif key in seen:
            check = SentenceCheck(sentence, (), 0.0, False, "repeated")
        else:
            check = _check(raw, units, by_number, bar, embed)
        checks.append(check)
        if check.kept:
            seen.add(key)
            lines.append((_render(raw, check, by_number), "\n" in text[previous_end:start]))
        previous_end = end
    body = "".join(("\n" if newline else " ") + line for line, newline in lines).strip()
    cited = tuple(sorted({n for c in checks if c.kept for n in c.cited}))
    dropped = tuple(c.sentence for c in checks if c.how == "unsupported")
    return Verified(body, cited, dropped, tuple(checks), removed, bar)


def verify_stream(
    chunks: Iterable[str],
    passages: Sequence[Passage],
    threshold: float | None = None,
    embed: Embed | None = None,
) -> Iterator[Verified]:
    """Verify a streamed answer one sentence at a time, as each sentence is complete.

    Yields one `Verified` per sentence (empty when it is dropped), so nothing unchecked is ever
    shown. Repeats of an earlier sentence and a cut-off last sentence are dropped as in `verify`.
    """
    pending, count = "", 0
    seen: set[str] = set()
    for chunk in chunks:
        pending += chunk
        done, pending = _complete_sentences(pending)
        for sentence in done:
            count += 1
            yield _verify_once(sentence, passages, threshold, embed, seen)
    if pending.strip():
        if count and not _FINISHED.search(pending.strip()):
            tail = strip_citations(pending)
            yield Verified("", (), (), (SentenceCheck(tail, (), 0.0, False, "unfinished"),))
        else:
            yield _verify_once(pending, passages, threshold, embed, seen)


def _complete_sentences(text: str) -> tuple[list[str], str]:
    """Finished sentences of a growing text (more text follows them) and the unfinished rest."""
    text = _AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    spans = list(sentence_spans(text))
    if len(spans) < 2 or (text[spans[-1][0]] == "[" and "]" not in text[spans[-1][0] :]):
        return [], text  # nothing finished yet, or a marker after the stop is still arriving
    return [text[a:b] for a, b in spans[:-1]], text[spans[-1][0] :]


def _verify_once(
    sentence: str, passages: Sequence[Passage], threshold: float | None, embed: Embed | None, seen: set[str]
) -> Verified:
    key = " ".join(strip_citations(sentence).lower().split())
    if key in seen:
        return Verified("", (), (), (SentenceCheck(strip_citations(sentence), (), 0.0, False, "repeated"),))
    result = verify(sentence, passages, threshold, embed)
    if not result.empty:
        seen.add(key)
    return result


def _check(
    raw: str,
    units: dict[int, tuple[Unit, ...]],
    by_number: dict[int, Passage],
    threshold: float,
    embed: Embed | None,
) -> SentenceCheck:
    sentence = strip_citations(raw)
    claimed = tuple(n for n in parse_citations(raw) if n in by_number)
    if _is_abstention(sentence):
        return SentenceCheck(sentence, (), 1.0, True, "abstention")
    support: Support | None = None
    if claimed:
        support = assess(sentence, [u for n in claimed for u in units[n]], embed)
        if support.score >= threshold:
            return _kept(sentence, support, "cited", by_number)
    # Without a usable citation, one passage must support the sentence on its own.
    everywhere = max(
        (assess(sentence, group, embed) for group in units.values()),
        key=lambda s: s.score,
        default=Support(0.0, (), "no passages"),
    )
    if everywhere.score >= threshold:
        return _kept(sentence, everywhere, "recited" if claimed else "attached", by_number)
    best = support or everywhere
    return SentenceCheck(sentence, claimed, best.score, False, "unsupported", best.reason)


def _kept(sentence: str, support: Support, how: str, by_number: dict[int, Passage]) -> SentenceCheck:
    evidence = tuple(
        Evidence(u.passage, by_number[u.passage].source, *_article_span(by_number[u.passage], u))
        for u in support.units
    )
    cited = tuple(sorted({u.passage for u in support.units}))
    return SentenceCheck(sentence, cited, support.score, True, how, support.reason, evidence)


def _article_span(passage: Passage, unit: Unit) -> tuple[int, int]:
    return passage.chunk.start + unit.start, passage.chunk.start + unit.end


def _render(raw: str, check: SentenceCheck, by_number: dict[int, Passage]) -> str:
    """The sentence as shown: the model's own markers when they were right, else ours at the end."""
    if check.how == "abstention":
        return check.sentence
    valid = tuple(n for n in parse_citations(raw) if n in by_number)
    if check.how == "cited" and set(valid) == set(check.cited):
        return _tidy(MARKER.sub(lambda m: _only_valid(m, by_number), raw))
    markers = "".join(f"[{n}]" for n in check.cited)
    text = check.sentence
    end = _END_PUNCT.search(text)
    if end:
        return f"{text[: end.start()]} {markers}{text[end.start() :]}"
    return f"{text} {markers}"


def _only_valid(match: re.Match[str], by_number: dict[int, Passage]) -> str:
    return "".join(f"[{n}]" for n in _numbers(match.group(1)) if n in by_number)


def _numbers(group: str) -> list[int]:
    """Numbers of one marker; `1-3` is a range when it is short and ascending."""
    out: list[int] = []
    for part in re.split(r"\s*(?:,|;|and)\s*", group):
        bounds = [int(b) for b in re.split(r"\s*[–-]\s*", part) if b.strip()]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= 10:
            out.extend(range(bounds[0], bounds[1] + 1))
        else:
            out.extend(bounds)
    return out


def _header(passage: Passage) -> str:
    """Outlet and date: an answer may name them ("CNN reported on October 9"); not the title,
    whose topical words would lend every sentence of the passage support it does not give."""
    chunk = passage.chunk
    return " ".join(part for part in (chunk.outlet, chunk.published) if part)


def _is_abstention(sentence: str) -> bool:
    return bool(_ABSTENTION.search(sentence)) and not _ABSTENTION_BLOCKERS.search(sentence)
