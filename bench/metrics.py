"""Metric functions of the benchmarks: retrieval ranks, set overlap, verbatim quotes, key facts.

Pure functions over plain values, so that they are easy to check on hand-made cases.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence


def _first_k_unique(ranked: Sequence[str], k: int) -> list[str]:
    """The distinct ids among the first `k` ranked items (several passages may share an article)."""
    return list(dict.fromkeys(ranked[:k]))


def recall_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Share of the relevant ids found among the first `k` ranked items; NaN without relevant ids."""
    if not relevant:
        return math.nan
    found = set(_first_k_unique(ranked, k)) & set(relevant)
    return len(found) / len(set(relevant))


def mrr_at_k(ranked: Sequence[str], relevant: Collection[str], k: int) -> float:
    """Reciprocal rank (1-based, counted in items) of the first relevant item in the top `k`, else 0;
    NaN without relevant ids."""
    if not relevant:
        return math.nan
    wanted = set(relevant)
    for rank, item in enumerate(ranked[:k], start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


def precision_recall(predicted: Collection[str], gold: Collection[str]) -> tuple[float, float]:
    """Precision and recall of a predicted set against a gold set (1.0 where the base is empty)."""
    hits = len(set(predicted) & set(gold))
    precision = hits / len(set(predicted)) if predicted else 1.0
    recall = hits / len(set(gold)) if gold else 1.0
    return precision, recall


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean, skipping NaN; NaN when nothing is left."""
    kept = [v for v in values if not math.isnan(v)]
    return sum(kept) / len(kept) if kept else math.nan


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0-1) percentile by linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def is_verbatim(quote: str, text: str, start: int, end: int) -> bool:
    """True when `quote` is exactly `text[start:end]` with valid, non-empty offsets."""
    return 0 <= start < end <= len(text) and text[start:end] == quote


def mentions(alternatives: Iterable[str], texts: Iterable[str]) -> bool:
    """True when any alternative appears (case-insensitive substring) in any of the texts."""
    haystack = [t.casefold() for t in texts]
    return any(alt.casefold() in t for alt in alternatives for t in haystack)


def missing_facts(groups: Sequence[Sequence[str]], texts: Sequence[str]) -> list[list[str]]:
    """The key-fact groups none of whose alternatives appears in the texts."""
    return [list(group) for group in groups if not mentions(group, texts)]


def fact_coverage(groups: Sequence[Sequence[str]], texts: Sequence[str]) -> float:
    """Share of key-fact groups covered by the texts (1.0 when there are none)."""
    if not groups:
        return 1.0
    return 1.0 - len(missing_facts(groups, texts)) / len(groups)
