"""Okapi BM25 over a sparse term-document index: the scores of `rank_bm25.BM25Okapi`, computed only
for the documents that contain a query term.

`rank_bm25` keeps a dict of term counts per document and, for every query term, loops over all
documents in Python: about a second per question at a million chunks. Here the counts live in
compressed columns (one per term: the documents holding it and how often), so a question costs
time in proportion to the postings of its terms. The arithmetic is rank_bm25's, in the same order
(k1 = 1.5, b = 0.75, negative idf floored at 0.25 of the mean idf), so scores and rankings match
it exactly; `tests/test_bm25.py` checks that against `BM25Okapi` itself.
"""

from __future__ import annotations

import bisect
import functools
import math
from array import array
from collections.abc import Callable, Iterable, Sequence

import numpy as np


class SparseBM25:
    """BM25Okapi scores for a fixed, tokenised corpus."""

    def __init__(
        self, corpus: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25
    ) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        # Term ids in order of first appearance, as rank_bm25's dicts keep them: the mean idf is
        # summed in that order, so the floor for common terms is the same to the last bit.
        vocabulary = _Vocabulary()
        ids, lengths = array("q"), array("q")
        for doc in corpus:
            lengths.append(len(doc))
            ids.extend(map(vocabulary.__getitem__, doc))
        self.vocabulary: dict[str, int] = vocabulary
        sizes = np.frombuffer(lengths, dtype=np.int64) if lengths else np.zeros(0, dtype=np.int64)
        self.corpus_size = int(sizes.size)
        self.avgdl = int(sizes.sum()) / self.corpus_size if self.corpus_size else 0.0
        self._norm = k1 * (1 - b + b * sizes / self.avgdl) if self.avgdl else np.ones(self.corpus_size)
        terms = np.frombuffer(ids, dtype=np.int64) if ids else np.zeros(0, dtype=np.int64)
        self._indptr, self._docs, self._freqs = _columns(terms, sizes, len(self.vocabulary))
        self.doc_freq = np.diff(self._indptr)
        self.idf = self._idf()

    def _idf(self) -> np.ndarray:
        """rank_bm25's idf: log((N - n + 0.5) / (n + 0.5)), negatives raised to epsilon x mean."""
        n = self.corpus_size
        idf = [math.log(n - df + 0.5) - math.log(df + 0.5) for df in self.doc_freq.tolist()]
        total = 0.0
        for value in idf:
            total += value
        floor = self.epsilon * (total / len(idf)) if idf else 0.0
        return np.array([floor if value < 0 else value for value in idf], dtype=np.float64)

    def df(self, term: str) -> int:
        """How many documents contain `term`."""
        j = self.vocabulary.get(term)
        return 0 if j is None else int(self.doc_freq[j])

    def starting_with(self, prefix: str) -> list[str]:
        """The terms of the corpus that begin with `prefix` (the term itself among them)."""
        terms = self._sorted_terms
        lo = bisect.bisect_left(terms, prefix)
        hi = bisect.bisect_left(terms, prefix + "\uffff", lo)
        return terms[lo:hi]

    @functools.cached_property
    def _sorted_terms(self) -> list[str]:
        return sorted(self.vocabulary)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """The BM25 score of every document for the query terms (repeated terms count again)."""
        score = np.zeros(self.corpus_size)
        for term in query:
            j = self.vocabulary.get(term)
            if j is None or self.idf[j] == 0:
                continue
            lo, hi = self._indptr[j], self._indptr[j + 1]
            docs, freqs = self._docs[lo:hi], self._freqs[lo:hi]
            score[docs] += self.idf[j] * (freqs * (self.k1 + 1) / (freqs + self._norm[docs]))
        return score

    def top(self, query: Sequence[str], limit: int, admits: Callable[[int], bool] | None = None) -> list[int]:
        """Up to `limit` documents with a positive score that `admits` accepts, best first; ties
        in document order (as a stable sort of all scores gives them)."""
        score = self.scores(query)
        hits = np.flatnonzero(score > 0)
        if limit <= 0 or hits.size == 0:
            return []
        shortlist = hits
        if hits.size > limit:
            cut = np.partition(score[hits], hits.size - limit)[hits.size - limit]
            shortlist = hits[score[hits] >= cut]  # every tie of the last place stays
        found = _take(shortlist[np.argsort(-score[shortlist], kind="stable")], limit, admits)
        if len(found) < limit and shortlist.size < hits.size:  # filters rejected too many
            found = _take(hits[np.argsort(-score[hits], kind="stable")], limit, admits)
        return found


class _Vocabulary(dict[str, int]):
    """Term ids, a new term getting the next id when first looked up."""

    def __missing__(self, term: str) -> int:
        self[term] = len(self)
        return len(self) - 1


def _take(order: np.ndarray, limit: int, admits: Callable[[int], bool] | None) -> list[int]:
    out: list[int] = []
    for i in order.tolist():
        if admits is None or admits(i):
            out.append(i)
            if len(out) == limit:
                break
    return out


def _columns(
    ids: np.ndarray, lengths: np.ndarray, vocabulary: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term-major postings from the flat term ids of every document: column pointers, the
    documents of each term in ascending order, and the term's count in each."""
    n = max(lengths.size, 1)
    docs = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    keys, freqs = np.unique(ids * n + docs, return_counts=True)
    indptr = np.zeros(vocabulary + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys // n, minlength=vocabulary), out=indptr[1:])
    return indptr, (keys % n).astype(np.int32), freqs.astype(np.int32)
