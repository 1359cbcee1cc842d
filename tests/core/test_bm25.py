"""The sparse BM25 gives rank_bm25's `BM25Okapi` scores and rankings exactly."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from assistant.bm25 import SparseBM25

WORDS = st.sampled_from(["call", "flour", "ashdod", "minut", "harri", "pari", "40", "50", "offici"])
CORPORA = st.lists(st.lists(WORDS, max_size=12), min_size=1, max_size=25)
QUERIES = st.lists(st.sampled_from(["call", "flour", "minut", "40", "unseen", "call"]), max_size=5)


def reference_top(bm25: BM25Okapi, query: list[str], limit: int, admits=None) -> list[int]:
    """The loop the retriever ran over rank_bm25's scores before the sparse index."""
    scores = bm25.get_scores(query)
    out: list[int] = []
    for i in sorted(range(len(scores)), key=lambda i: -scores[i]):
        if scores[i] <= 0 or len(out) >= limit:
            break
        if admits is None or admits(i):
            out.append(i)
    return out


@settings(max_examples=200, deadline=None)
@given(corpus=CORPORA, query=QUERIES, limit=st.integers(1, 8))
def test_scores_and_ranking_match_rank_bm25(corpus: list[list[str]], query: list[str], limit: int) -> None:
    if not any(corpus):
        return  # BM25Okapi divides by a zero mean length; the retriever never builds one
    reference = BM25Okapi(corpus)
    sparse = SparseBM25(corpus)
    assert np.array_equal(sparse.scores(query), reference.get_scores(query))
    assert sparse.top(query, limit) == reference_top(reference, query, limit)
    odd = lambda i: i % 2 == 1  # noqa: E731 - a filter that rejects half the documents
    assert sparse.top(query, limit, odd) == reference_top(reference, query, limit, odd)


def test_common_terms_get_rank_bm25s_idf_floor() -> None:
    corpus = [["call", "minut"], ["call"], ["call", "flour"], ["pari"]]
    reference, sparse = BM25Okapi(corpus), SparseBM25(corpus)
    for term, j in sparse.vocabulary.items():
        assert sparse.idf[j] == reference.idf[term]
    assert sparse.df("call") == 3
    assert sparse.df("unseen") == 0


@pytest.mark.parametrize("corpus", [[], [[]], [[], []]])
def test_empty_corpora_score_nothing(corpus: list[list[str]]) -> None:
    sparse = SparseBM25(corpus)
    assert sparse.top(["call"], 5) == []
    assert sparse.scores(["call"]).tolist() == [0.0] * len(corpus)


def test_ties_keep_document_order_and_all_ties_of_the_cut() -> None:
    corpus = [["flour"], ["call"], ["flour"], ["flour"], ["call", "flour"]]
    sparse = SparseBM25(corpus)
    assert sparse.top(["flour"], 2) == reference_top(BM25Okapi(corpus), ["flour"], 2)
    assert sparse.top(["flour"], 2, lambda i: i != 0) == reference_top(
        BM25Okapi(corpus), ["flour"], 2, lambda i: i != 0
    )


def test_the_terms_starting_with_a_prefix_are_listed_in_order() -> None:
    sparse = SparseBM25([["bibl", "biblic", "joseph"], ["bible", "iran", "iranian", "bibb"]])
    assert sparse.starting_with("bibl") == ["bibl", "bible", "biblic"]
    assert sparse.starting_with("iran") == ["iran", "iranian"]
    assert sparse.starting_with("zel") == []
