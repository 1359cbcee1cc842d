"""The values an answer is made of. Citations and conflict sides are data, never formatting."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.article import Chunk

CONTRADICTION = "contradiction"  # two reports of one moment that cannot both be true
DIFFERENT_TIME = "different-time"  # values that differ because the reports describe different moments


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, numbered as it is shown to the answer engine."""

    number: int
    chunk: Chunk
    score: float = 0.0

    @property
    def source(self) -> str:
        """The article id."""
        return self.chunk.article_id


@dataclass(frozen=True)
class Citation:
    """A verbatim quote cut from an article by its offsets; `id` is the `[n]` used in the answer."""

    id: int
    source: str
    title: str
    outlet: str
    published: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class ConflictSide:
    """One article's version of a disputed point."""

    source: str
    outlet: str
    published: str
    quote: str
    start: int
    end: int
    value: str = ""
    when: str = ""  # the moment the report describes, as read from it: "Wednesday 2024-10-09", "2010"


@dataclass(frozen=True)
class Conflict:
    """Articles that disagree on one point; `kind` is `contradiction` or `different-time`, and
    `reason` says in one sentence what the kind was told from."""

    topic: str
    kind: str
    sides: tuple[ConflictSide, ...]
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object of one conflict."""
        sides = [asdict(s) for s in self.sides]
        return {"topic": self.topic, "kind": self.kind, "reason": self.reason, "sides": sides}


@dataclass(frozen=True)
class Answer:
    """What the assistant says, with the evidence behind it."""

    question: str
    answer: str
    abstained: bool = False
    citations: tuple[Citation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[str, ...] = field(default=())
    related: tuple[Citation, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object (CLI `--json`, REST API)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "conflicts": [c.to_json() for c in self.conflicts],
            "notes": list(self.notes),
            "related": [asdict(r) for r in self.related],
        }
