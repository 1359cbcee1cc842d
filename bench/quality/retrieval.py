"""Retrieval over a pooled corpus, ours against the naive LangChain baseline: does a question's own
documents come back (recall@5, recall@10) and how high is the first one (MRR@10)?
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from assistant.answer import Passage
from bench.metrics import mean, mrr_at_k, recall_at_k

log = logging.getLogger(__name__)

Ranker = Callable[[str], list[str]]  # question -> document ids of its top-10 results, best first
DEPTH = 10


@dataclass(frozen=True)
class Query:
    """A question and the ids of the documents that should be retrieved for it."""

    question: str
    relevant: Collection[str]


@dataclass(frozen=True)
class RetrievalScores:
    """Mean recall@5, recall@10 and MRR@10 of one system over the queries with relevant documents."""

    recall5: float
    recall10: float
    mrr10: float
    queries: int
    ms_per_query: float


def ours_ranker(retrieve: Callable[..., list[Passage]]) -> Ranker:
    """Article ids of our retriever's top-10 passages (at most `per_article` from one article)."""
    return lambda question: [p.source for p in retrieve(question, k=DEPTH)]


def naive_ranker(search: Callable[[str, int], list[str]]) -> Ranker:
    """Document ids of the naive `similarity_search` top-10 chunks (one id per chunk)."""
    return lambda question: search(question, DEPTH)


def evaluate(queries: Sequence[Query], rank: Ranker) -> RetrievalScores:
    """Rank every query once and average its recall@5, recall@10 and MRR@10."""
    started = time.perf_counter()
    recall5, recall10, mrr10 = [], [], []
    for query in queries:
        ranked = rank(query.question)
        recall5.append(recall_at_k(ranked, query.relevant, 5))
        recall10.append(recall_at_k(ranked, query.relevant, 10))
        mrr10.append(mrr_at_k(ranked, query.relevant, 10))
    seconds = time.perf_counter() - started
    counted = sum(bool(q.relevant) for q in queries)
    return RetrievalScores(
        mean(recall5), mean(recall10), mean(mrr10), counted, 1000 * seconds / max(len(queries), 1)
    )
