"""RAMDocs answers: do they state the gold answers, and do they state a misinformation document's
answer as fact, with no conflict reported beside it?
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer import Answer
from bench.corpus import RamQuestion
from bench.metrics import mentions, misinformation_stated, share
from bench.rows import Row


@dataclass(frozen=True)
class Stated:
    """What one answer says about a RAMDocs question (its text and its quotes are read together)."""

    question: RamQuestion
    answer: Answer
    all_gold: bool
    any_gold: bool
    misinformation: bool  # a wrong answer stated and no conflict reported

    @property
    def has_wrong(self) -> bool:
        """The question has misinformation answers to state."""
        return bool(self.question.wrong_answers)


def check(question: RamQuestion, answer: Answer) -> Stated:
    """Check one answer against the question's gold and wrong answers (case-insensitive substring)."""
    texts = [answer.answer, *(c.quote for c in answer.citations)]
    return Stated(
        question,
        answer,
        all(mentions([g], texts) for g in question.gold_answers),
        mentions(question.gold_answers, texts),
        misinformation_stated(question.wrong_answers, texts, bool(answer.conflicts)),
    )


def misses(stated: Sequence[Stated], count: int) -> list[str]:
    """Markdown list of the first `count` answers that state no gold answer, for tuning."""
    out = []
    for s in [s for s in stated if not s.any_gold][:count]:
        q = s.question
        out += [
            f"- **{q.question}** gold {list(q.gold_answers)}, wrong {list(q.wrong_answers)}",
            f"  - answer: {' '.join(s.answer.answer.split())[:400]}",
        ]
    return out


def rows(dataset: str, ours: Sequence[Stated], naive: Sequence[Stated]) -> list[Row]:
    """The table rows of the answers: ours against the naive responder, same questions."""
    n = f"{len(ours)} questions"
    wrong = [i for i, s in enumerate(ours) if s.has_wrong]
    return [
        Row(
            dataset,
            "every gold answer stated",
            share(s.all_gold for s in ours),
            share(s.all_gold for s in naive),
            n,
        ),
        Row(
            dataset,
            "at least one gold answer stated",
            share(s.any_gold for s in ours),
            share(s.any_gold for s in naive),
            n,
        ),
        Row(
            dataset,
            "misinformation stated as fact without a conflict",
            share(ours[i].misinformation for i in wrong),
            share(naive[i].misinformation for i in wrong),
            f"{len(wrong)} questions with a misinformation answer",
        ),
        Row(
            dataset,
            "abstained",
            share(s.answer.abstained for s in ours),
            share(s.answer.abstained for s in naive),
            n,
        ),
    ]
