"""Pure helpers of the speed and scale benchmarks: growth fits, repetition summaries, the
perturbed copies that make the large corpora, and the tables. No timing is asserted anywhere."""

import math
import re

import numpy as np
import pytest

from bench.speed.generation import summarise
from bench.speed.growth import fit_power_law, spread, spread_order
from bench.speed.scale_corpus import BaseArticle, copy_id, copy_token, copy_write, perturb, plan
from bench.speed.scale_report import publish
from index.article import Article
from index.chunk import chunk_article
from index.sentences import sentence_spans

TEXT = (
    "The call lasted about forty minutes and covered flour shipments via the port. "
    "Officials said the talks were productive and would continue next week. "
    "A second round is planned in Paris, according to two people briefed on the plans."
)


@pytest.mark.parametrize("b", [0.0, 0.25, 0.5, 1.0, 1.3])
def test_power_law_fit_recovers_the_exponent(b: float) -> None:
    sizes = [1_000, 10_000, 100_000, 1_000_000]
    fit = fit_power_law(sizes, [3.0 * n**b for n in sizes])
    assert fit.b == pytest.approx(b)
    assert fit.a == pytest.approx(3.0)
    assert fit.at(50_000) == pytest.approx(3.0 * 50_000**b)


def test_power_law_fit_skips_unusable_points_and_needs_two_sizes() -> None:
    fit = fit_power_law([10, 100, 1000, 10_000], [1.0, 10.0, math.nan, 0.0])
    assert fit.points == 2
    assert fit.b == pytest.approx(1.0)
    with pytest.raises(ValueError):
        fit_power_law([10, 10], [1.0, 2.0])


def test_spread_is_the_median_over_repetitions_of_each_percentile() -> None:
    reps = [[10.0, 20.0, 30.0], [11.0, 21.0, 31.0], [100.0, 200.0, 300.0]]
    result = spread(reps)
    assert result.p50 == 21.0  # repetition p50s 20, 21, 200
    assert result.p95 == pytest.approx(30.0)  # repetition p95s 29, 30, 290
    assert (result.reps, result.calls) == (3, 9)
    assert math.isnan(spread([[], []]).p50)


def test_spread_order_is_a_permutation_whose_head_covers_the_range() -> None:
    order = spread_order(500)
    assert sorted(order) == list(range(500))
    head = order[:10]
    assert min(head) < 100 and max(head) > 400
    assert spread_order(2) == [0, 1]


@pytest.mark.parametrize("copy", [1, 2, 35, 36, 350, 99_999])
def test_perturbed_text_keeps_length_sentences_and_chunks(copy: int) -> None:
    text = perturb(TEXT, copy, np.random.default_rng([0, copy]))
    assert text != TEXT
    assert len(text) == len(TEXT)
    assert list(sentence_spans(text)) == list(sentence_spans(TEXT))
    original = chunk_article(Article("a.txt", TEXT), 120)
    copied = chunk_article(Article("a.txt", text), 120)
    assert [(c.start, c.end) for c in copied] == [(c.start, c.end) for c in original]


def test_perturbation_is_reproducible_and_names_its_copy() -> None:
    first = perturb(TEXT, 7, np.random.default_rng([0, 7]))
    assert first == perturb(TEXT, 7, np.random.default_rng([0, 7]))
    assert re.search(r"\bq0+7\b", first)
    assert len(copy_token(12345, 9)) == 9
    with pytest.raises(ValueError):
        copy_token(36**4, 4)


def test_copies_have_unique_ids_and_exact_chunks_near_the_original_vectors() -> None:
    articles = [Article(f"doc{i}.txt", TEXT, source_hash=f"h{i}") for i in range(3)]
    bases = []
    for article in articles:
        chunks = tuple(chunk_article(article, 120))
        vectors = np.random.default_rng(1).normal(size=(len(chunks), 8))
        bases.append(BaseArticle(article, chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)))
    counts = [len(b.chunks) for b in bases]
    pairs = plan(counts, 10 * sum(counts))
    assert len(pairs) == 30
    writes = [copy_write(bases[i], copy, np.random.default_rng([copy, i])) for i, copy in pairs]
    ids = [w.article.id for w in writes]
    assert len(set(ids)) == len(ids)
    assert ids[3] == copy_id("doc0.txt", 1)
    chunk_keys = [(w.article.id, c.index) for w in writes for c in w.chunks]
    assert len(set(chunk_keys)) == len(chunk_keys)
    for write, (i, copy) in zip(writes, pairs, strict=True):
        assert all(c.text == write.article.text[c.start : c.end] for c in write.chunks)
        assert all(c.article_id == write.article.id for c in write.chunks)
        vectors = np.array(write.vectors)
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        cosine = (vectors * bases[i].vectors).sum(axis=1)
        assert (cosine > 0.9).all() and (copy == 0 or (cosine < 1.0).all())


def test_plan_stops_at_the_first_article_that_reaches_the_size() -> None:
    assert plan([2, 3, 1], 4) == [(0, 0), (1, 0)]
    assert plan([2, 3, 1], 6) == [(0, 0), (1, 0), (2, 0)]
    assert plan([2, 3, 1], 7) == [(0, 0), (1, 0), (2, 0), (0, 1)]
    assert plan([2, 3], 0) == []


def _cell(size: int, mode: str, bm25: str, ms: float) -> dict:
    timing = {"p50": ms, "p95": 2 * ms, "reps": 3, "calls": 60}
    return {
        "size": size,
        "chunks": size,
        "mode": mode,
        "bm25": bm25,
        "retrieval": timing,
        "ask": {**timing, "p50": 10 * ms},
        "ask_cpu": timing,
        "retrieval_cpu": timing,
        "snapshot_s": size / 1000,
        "retriever_mib": size / 100,
        "peak_rss_mib": 700.0,
        "loadavg": [1.0, 2.0],
    }


def test_scale_report_states_the_exponent_and_the_baseline_ratio() -> None:
    cells = [_cell(n, "embedded", "sparse", 0.1 * n**0.5) for n in (1_000, 100_000)]
    cells += [_cell(n, "embedded", "rank-bm25", 0.01 * n) for n in (1_000, 100_000)]
    builds = {
        n: {"chunks": n, "articles": n, "build_s": n / 300, "disk_mib": n / 80} for n in (1_000, 100_000)
    }
    summary = {"builds": builds, "cells": cells, "reps": 3, "per_rep": 20, "wall_s": 600.0}
    cells[1]["parts_ms"] = {"search": 12.0, "count": 5.5, "hnsw": 1.4, "bm25": 3.25}
    text = publish(summary, "python -m bench.speed.scale", write=False)
    assert "| 100,000 | embedded | sparse | 12.0 | 5.5 | 1.4 | 3.2 |" in text
    assert "| embedded, sparse | retrieval p50 | 0.50 |" in text
    assert "| embedded, rank-bm25 | retrieval p50 | 1.00 |" in text
    assert "| 100,000 | 1000 -> 32 | 31.6x |" in text


def test_generation_summary_takes_medians_over_repetitions() -> None:
    runs = [
        {"rep": rep, "prompt": p, "ttft_s": t, "decode_tps": 50.0 + rep, "overall_tps": 10.0, "total_s": 2.0}
        | {"tokens": 40, "prompt_tokens": 900}
        for rep, ttfts in enumerate([[1.0, 3.0], [2.0, 4.0], [10.0, 12.0]])
        for p, t in enumerate(ttfts)
    ]
    summary = summarise(runs, 3)
    assert summary["ttft_p50_s"] == 3.0  # repetition medians 2, 3, 11
    assert summary["decode_tps"] == 51.0
