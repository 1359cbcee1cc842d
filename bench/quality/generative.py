"""SmolLM2 answers for the evaluation: an assistant on the same store whose answers the packaged
GGUF model writes in-process, within a time budget shared by the data sets so that `make eval`
stays bounded on a slow or busy machine (the rows say how many questions were answered).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer import Answer
from assistant.compose import WORDS_ONLY
from bench.metrics import share
from bench.quality import citations
from bench.rows import Row

if TYPE_CHECKING:
    from assistant.core import Assistant
    from index.embed import Embedder
    from index.settings import Settings
    from index.store import Store

log = logging.getLogger(__name__)

MODEL = "generative (SmolLM2-135M)"
# The product gives a question 60 s; a busy 2-core machine can need more for one answer, and the
# evaluation measures what the model writes, not how fast: a timeout would only add fallbacks.
TIMEOUT_S = 240.0
_BACKEND_FAILED = "backend failed"  # in the note of an answer whose model call failed


@dataclass
class Budget:
    """Seconds of generation allowed, and spent so far."""

    seconds: float
    spent: float = 0.0

    def left(self) -> bool:
        """True while time is left."""
        return self.spent < self.seconds


def generator(settings: Settings, store: Store, embedder: Embedder) -> Assistant:
    """An assistant on the same store whose answers SmolLM2 writes (llama.cpp in-process)."""
    from assistant.core import Assistant

    generative = settings.model_copy(deep=True)
    generative.llm.backend = "llamacpp"
    generative.llm.timeout_s = TIMEOUT_S
    return Assistant(generative, store=store, embedder=embedder)


def answer_all(ask: Callable[[str], Answer], questions: Sequence[str], budget: Budget) -> list[Answer]:
    """Answers to the questions in order, stopping when the budget is spent."""
    out = []
    for n, question in enumerate(questions, start=1):
        if not budget.left():
            print(f"  generation budget spent after {n - 1} of {len(questions)}", file=sys.stderr)
            break
        started = time.perf_counter()
        out.append(ask(question))
        seconds = time.perf_counter() - started
        budget.spent += seconds
        print(f"  generated {n}/{len(questions)} in {seconds:.0f} s", file=sys.stderr)
    return out


def written_by_model(answer: Answer) -> bool:
    """Whether the model wrote the answer: any note but the words-only one (which says how close the
    passages are, whoever writes) means the extractive fallback."""
    return not set(answer.notes) - {WORDS_ONLY}


def rows(dataset: str, answers: Sequence[Answer], asked: int, extra: Sequence[Row]) -> list[Row]:
    """How often SmolLM2's answer survives verification, and its citation quality when it does."""
    answered = [a for a in answers if not a.abstained]
    failed = sum(any(_BACKEND_FAILED in note for note in a.notes) for a in answered)
    written = [a for a in answered if written_by_model(a)]
    scores = citations.score(written, citations.answer_statements)
    n = f"{scores.answers} answers, {scores.statements} sentences"
    count = (
        f"{len(answered)} answers ({len(answers)} of {asked} questions in budget, {failed} backend failures)"
    )
    return [
        Row(
            dataset,
            f"{MODEL}: answers written by the model",
            share(written_by_model(a) for a in answered),
            None,
            count,
        ),
        *extra,
        Row(dataset, f"{MODEL}: citation recall (ALCE)", scores.recall, None, n),
        Row(dataset, f"{MODEL}: citation precision (ALCE)", scores.precision, None, n),
    ]
