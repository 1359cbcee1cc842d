"""Assemble an `Answer`: the text with `[n]` markers and the citations those markers point to.

Citations are numbered in the order the answer first uses them; a quote cited twice keeps its
number. Disagreements come first, stated without picking a side, then the supporting sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer import Answer, Citation, Conflict, ConflictSide, Passage
from assistant.extractive import Selection, Sentence, attribution
from index.article import Chunk

NO_ANSWER = "The articles do not answer this question."
# Said beside an answer whose sentences share the question's words but none its meaning
# (`Selection.in_words_only`).
WORDS_ONLY = "No passage is close to the question in meaning; these share its words and may not answer it."


class CitationBook:
    """Hands out citation numbers for article spans, reusing the number of a span already cited."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int, int], int] = {}

    def cite(self, chunk: Chunk, start: int, end: int, quote: str) -> int:
        """Number of the citation for article span [start, end) of the chunk's article."""
        key = (chunk.article_id, start, end)
        if key not in self._numbers:
            number = len(self.citations) + 1
            self._numbers[key] = number
            self.citations.append(
                Citation(
                    number, chunk.article_id, chunk.title, chunk.outlet, chunk.published, quote, start, end
                )
            )
        return self._numbers[key]

    def cite_side(self, side: ConflictSide, title: str = "") -> int:
        """Number of the citation for one side of a conflict."""
        chunk = Chunk(side.source, -1, side.start, side.end, side.quote, title, side.outlet, side.published)
        return self.cite(chunk, side.start, side.end, side.quote)


# Reference marks inside article text ("[39]", "[ 2 ]", "[citation needed]"), which would read as
# this answer's own citation markers.
_REFERENCE_MARK = re.compile(r"\s?\[\s*(?:\d+(?:\s*,\s*\d+)*|citation needed)\s*\]")


def with_marker(text: str, numbers: Sequence[int]) -> str:
    """A sentence followed by its citation markers, before its final full stop when it has one."""
    markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    if text.endswith(".") and not text.endswith(".."):
        return f"{text[:-1]} {markers}."
    return f"{text} {markers}"


def _who(side: ConflictSide, first: bool, moments: bool) -> str:
    """The side's outlet, with the moment its report describes where moments tell the sides apart
    (different-time), else with its publication date."""
    who = side.outlet or ("one article" if first else "another")
    if moments and side.when:
        return f"{who} (for {side.when})"
    return f"{who} (published {side.published})" if side.published else who


def conflict_sentence(conflict: Conflict, numbers: Sequence[int]) -> str:
    """The sentence that states a disagreement, each side with its citation."""
    moments = conflict.kind != "contradiction"
    parts = [
        f"{_who(side, i == 0, moments)} reports “{side.value}” [{n}]"
        if side.value
        else f"{_who(side, i == 0, moments)} differs [{n}]"
        for i, (side, n) in enumerate(zip(conflict.sides, numbers, strict=True))
    ]
    listed = ", ".join(parts[:-1]) + (", while " if len(parts) == 2 else ", and ") + parts[-1]
    if conflict.kind == "contradiction":
        return f"Sources differ on {conflict.topic}: {listed}."
    return f"Reports on {conflict.topic} differ across times or events (not a contradiction): {listed}."


def sentence_line(group: Sequence[Sentence], book: CitationBook) -> str:
    """One answer sentence, attributed to the outlets that report it, with their markers."""
    numbers = [book.cite(s.passage.chunk, s.start, s.end, s.text) for s in group]
    lead = attribution([s.passage.chunk.outlet for s in group])
    text = _REFERENCE_MARK.sub("", group[0].text)  # the quote keeps them; the answer's [n] are ours
    return with_marker(f"{lead}: {text}" if lead else text, numbers)


def compose(
    question: str, selection: Selection, conflicts: Sequence[Conflict], passages: Sequence[Passage]
) -> Answer:
    """The extractive answer: conflicts stated first, then the best sentences, all cited."""
    if not selection.answerable and not conflicts:
        return abstain(question, passages)
    book = CitationBook()
    titles = {p.chunk.article_id: p.chunk.title for p in passages}
    lines = []
    side_spans: set[tuple[str, int, int]] = set()
    for conflict in sorted(conflicts, key=lambda c: c.kind != "contradiction"):
        numbers = [book.cite_side(side, titles.get(side.source, "")) for side in conflict.sides]
        lines.append(conflict_sentence(conflict, numbers))
        side_spans.update((s.source, s.start, s.end) for s in conflict.sides)
    for group in selection.groups:
        if any((s.passage.source, s.start, s.end) in side_spans for s in group):
            continue
        lines.append(sentence_line(group, book))
    notes = (WORDS_ONLY,) if selection.in_words_only and not conflicts else ()
    return Answer(
        question=question,
        answer=" ".join(lines),
        citations=tuple(book.citations),
        conflicts=tuple(conflicts),
        notes=notes,
    )


def abstain(question: str, passages: Sequence[Passage], note: str = "") -> Answer:
    """Say plainly that the articles do not answer; list the closest passages as related reading."""
    related = tuple(
        Citation(
            0,
            p.chunk.article_id,
            p.chunk.title,
            p.chunk.outlet,
            p.chunk.published,
            p.chunk.text,
            p.chunk.start,
            p.chunk.end,
        )
        for p in passages[:3]
    )
    notes = (note,) if note else ()
    return Answer(question=question, answer=NO_ANSWER, abstained=True, related=related, notes=notes)
