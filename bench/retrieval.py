"""RAMDocs pooled corpus: retrieval of each question's correct documents, ours against the naive
LangChain baseline, and whether the extractive answer states the gold answers.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer import Answer
from bench.corpus import RamQuestion
from bench.metrics import mean, mentions, mrr_at_k, percentile, recall_at_k

Ranker = Callable[[str, int], list[str]]
CUTOFFS = (4, 5, 10)


@dataclass(frozen=True)
class Ranked:
    """Scores of one system on one question."""

    recall: dict[int, float]
    mrr10: float


def score(ranked_by_k: dict[int, list[str]], relevant: set[str]) -> Ranked:
    """Recall at each cutoff (from the ranking asked for that k) and MRR@10."""
    recall = {k: recall_at_k(ranked_by_k[k], relevant, k) for k in CUTOFFS}
    return Ranked(recall, mrr_at_k(ranked_by_k[10], relevant, 10))


def ours_ranker(retrieve: Callable[..., list]) -> Ranker:  # type: ignore[type-arg]
    """Article ids of our retriever's top-k passages (retrieved once at k=10, cut for smaller k)."""
    cache: dict[str, list[str]] = {}

    def rank(question: str, k: int) -> list[str]:
        if question not in cache:
            cache[question] = [p.source for p in retrieve(question, k=10)]
        return cache[question][:k]

    return rank


def naive_ranker(search: Callable[[str, int], list[str]]) -> Ranker:
    """The naive baseline: `similarity_search` with k=4 (LangChain's default) and k=10, one call each;
    a cutoff of 5 is read from the top-10 list."""
    cache: dict[tuple[str, int], list[str]] = {}

    def rank(question: str, k: int) -> list[str]:
        asked = 4 if k == 4 else 10
        if (question, asked) not in cache:
            cache[(question, asked)] = search(question, asked)
        return cache[(question, asked)][:k]

    return rank


def evaluate(questions: Sequence[RamQuestion], rankers: dict[str, Ranker]) -> dict[str, list[Ranked]]:
    """Per-question scores of every ranker, with each ranker's mean seconds per question on stderr."""
    out: dict[str, list[Ranked]] = {}
    for name, rank in rankers.items():
        started = time.perf_counter()
        out[name] = [score({k: rank(q.question, k) for k in CUTOFFS}, q.correct) for q in questions]
        took = (time.perf_counter() - started) / max(len(questions), 1)
        print(f"{name}: {1000 * took:.0f} ms per question", file=sys.stderr)
    return out


def retrieval_table(scores: dict[str, list[Ranked]]) -> list[str]:
    """Markdown table of mean recall@k and MRR@10 per system."""
    lines = ["| retriever | recall@4 | recall@5 | recall@10 | MRR@10 |", "|---|---|---|---|---|"]
    for name, ranked in scores.items():
        recalls = " | ".join(f"{mean(r.recall[k] for r in ranked):.3f}" for k in CUTOFFS)
        lines.append(f"| {name} | {recalls} | {mean(r.mrr10 for r in ranked):.3f} |")
    return lines


@dataclass(frozen=True)
class Stated:
    """What one extractive answer says about a RAMDocs question."""

    all_gold: bool
    any_gold: bool
    any_wrong: bool
    abstained: bool
    seconds: float
    question: RamQuestion
    answer: str


def answers(questions: Sequence[RamQuestion], ask: Callable[[str], Answer]) -> list[Stated]:
    """Ask every question and check its gold and wrong answers against the answer and its quotes."""
    out = []
    for n, q in enumerate(questions, start=1):
        started = time.perf_counter()
        answer = ask(q.question)
        seconds = time.perf_counter() - started
        texts = [answer.answer, *(c.quote for c in answer.citations)]
        out.append(
            Stated(
                all(mentions([g], texts) for g in q.gold_answers),
                mentions(q.gold_answers, texts),
                mentions(q.wrong_answers, texts),
                answer.abstained,
                seconds,
                q,
                answer.answer,
            )
        )
        if n % 50 == 0:
            print(f"answered {n}/{len(questions)}", file=sys.stderr)
    return out


def answers_table(stated: Sequence[Stated]) -> list[str]:
    """Markdown table of how often the extractive answers state the gold (and wrong) answers."""
    n = len(stated)

    def share(values: Sequence[bool]) -> str:
        return f"{sum(values)}/{n} ({100 * sum(values) / n:.1f}%)" if n else "0/0"

    ms = [1000 * s.seconds for s in stated]
    return [
        "| extractive answer (answer text or its quotes) | questions |",
        "|---|---|",
        f"| states every gold answer | {share([s.all_gold for s in stated])} |",
        f"| states at least one gold answer | {share([s.any_gold for s in stated])} |",
        f"| states a misinformation answer | {share([s.any_wrong for s in stated])} |",
        f"| abstained | {share([s.abstained for s in stated])} |",
        f"| ask latency p50 / p95 (ms) | {percentile(ms, 0.5):.0f} / {percentile(ms, 0.95):.0f} |",
    ]


def misses(stated: Sequence[Stated], count: int) -> list[str]:
    """Markdown list of the first `count` answers that state no gold answer, for tuning."""
    out = []
    for s in [s for s in stated if not s.any_gold][:count]:
        q = s.question
        out += [
            f"- **{q.question}** gold {list(q.gold_answers)}, wrong {list(q.wrong_answers)}",
            f"  - answer: {' '.join(s.answer.split())[:400]}",
        ]
    return out
