"""Metric functions of the benchmarks: retrieval ranks, set overlap, flags, verbatim quotes, key facts
and ALCE-style citation recall and precision.

Pure functions over plain values, so that they are easy to check on hand-made cases.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")
Supports = Callable[[str, Sequence[T]], bool]


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


def share(flags: Iterable[bool]) -> float:
    """Share of true flags; NaN when there are none."""
    values = list(flags)
    return sum(values) / len(values) if values else math.nan


def agreement(predicted: Sequence[bool], actual: Sequence[bool]) -> float:
    """Share of cases where the prediction equals the label (e.g. abstention accuracy)."""
    return share(p == a for p, a in zip(predicted, actual, strict=True))


def binary_precision_recall(predicted: Sequence[bool], actual: Sequence[bool]) -> tuple[float, float]:
    """Precision and recall of flagging the positive cases; NaN where the base is empty
    (nothing flagged, or no positive case)."""
    pairs = list(zip(predicted, actual, strict=True))
    tp = sum(p and a for p, a in pairs)
    flagged = sum(p for p, _ in pairs)
    positive = sum(a for _, a in pairs)
    return (tp / flagged if flagged else math.nan), (tp / positive if positive else math.nan)


def misinformation_stated(wrong: Sequence[str], texts: Sequence[str], conflict_reported: bool) -> bool:
    """A misinformation answer appears in the texts and no conflict is reported beside it."""
    return mentions(wrong, texts) and not conflict_reported


# --- citation quality in the manner of ALCE (Gao et al., 2023) ------------------------------------
# `supports(sentence, cited)` is the entailment judge: True when the cited texts, together, support
# the sentence. ALCE uses an NLI model; the harness hands in the project's lexical support checker.

ALCE_MAX_CITATIONS = 3  # ALCE counts at most the first three citations of a statement


def statement_recall(sentence: str, cited: Sequence[T], supports: Supports[T]) -> float:
    """1.0 when the statement has citations and their concatenation supports it, else 0.0."""
    return 1.0 if cited and supports(sentence, cited) else 0.0


def citation_precisions(sentence: str, cited: Sequence[T], supports: Supports[T]) -> list[float]:
    """One score per citation: 0 when the statement is unsupported or the citation is irrelevant
    (it supports nothing alone and the others support the statement without it), else 1."""
    if not cited:
        return []
    if not supports(sentence, cited):
        return [0.0] * len(cited)
    if len(cited) == 1:
        return [1.0]
    scores = []
    for i, citation in enumerate(cited):
        rest = [*cited[:i], *cited[i + 1 :]]
        irrelevant = not supports(sentence, [citation]) and supports(sentence, rest)
        scores.append(0.0 if irrelevant else 1.0)
    return scores


def alce_response(
    statements: Sequence[tuple[str, Sequence[T]]], supports: Supports[T], at_most: int = ALCE_MAX_CITATIONS
) -> tuple[float, float]:
    """Citation recall (mean over statements) and precision (mean over citations, 0 without any)
    of one response; NaN recall for a response without statements."""
    recalls, precisions = [], []
    for sentence, cited in statements:
        kept = list(cited[:at_most])
        recalls.append(statement_recall(sentence, kept, supports))
        precisions += citation_precisions(sentence, kept, supports)
    recall = sum(recalls) / len(recalls) if recalls else math.nan
    precision = sum(precisions) / len(precisions) if precisions else (0.0 if recalls else math.nan)
    return recall, precision
