"""The corpus report's alignment by meaning (pairing.py), with the packaged embedding model: two
reports of one figure worded apart are compared, two different figures of one story are not, and
without sentence vectors the word rule decides as before."""

from __future__ import annotations

import json

import pytest

from assistant.answer import CONTRADICTION
from assistant.conflicts.detect import corpus_conflicts
from assistant.conflicts.pairing import FEATURES, FILE, PairModel, saved
from index.article import Article
from index.embed import Embedder

COUNCIL = (
    "Repairing the cracked girder on the Millrace Bridge is expected to cost £2.4 million, Wend County "
    "Council said on Tuesday. The bridge will stay closed to traffic while the work is done."
)
RADIO = (
    'Drivers face weeks of detours in Castlebrook. "The repair will cost 3.1 million pounds, and it will '
    'come out of our capital budget," a spokesperson told the station on Tuesday.'
)
FESTIVAL = (
    "The Castlebrook summer fair returns next month. The fair raised £450,000 for local charities "
    "last year, the organisers said on Tuesday."
)


def _articles(*texts: str) -> dict[str, Article]:
    ids = [f"bridge/{n}.txt" for n in range(len(texts))]
    return {i: Article(i, t, published="2026-03-04", story="bridge") for i, t in zip(ids, texts, strict=True)}


def _money(conflicts: list) -> list[set[str]]:
    return [{s.value for s in c.sides} for c in conflicts if c.kind == CONTRADICTION and "money" in c.topic]


@pytest.mark.slow
def test_two_reports_of_one_cost_worded_apart_are_compared_by_meaning(embedder: Embedder) -> None:
    articles = _articles(COUNCIL, RADIO)
    assert _money(corpus_conflicts(articles)) == []  # the word rule: no name shared
    found = _money(corpus_conflicts(articles, lambda texts: embedder.embed_documents(list(texts))))
    assert found == [{"£2.4 million", "£3.1 million"}]


@pytest.mark.slow
def test_two_sums_of_one_story_far_apart_in_meaning_and_size_are_not_compared(embedder: Embedder) -> None:
    articles = _articles(COUNCIL, FESTIVAL)
    assert _money(corpus_conflicts(articles, lambda texts: embedder.embed_documents(list(texts)))) == []


def test_the_saved_model_reads_the_features_the_product_computes() -> None:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    model = saved()
    assert 0.0 < model.floor < 1.0
    # Closer in meaning aligns more readily; figures further apart less.
    assert model.probability((0.9, 1.0, 0.1)) > model.probability((0.3, 1.0, 0.1))
    assert model.probability((0.7, 1.0, 0.1)) > model.probability((0.7, 1.0, 2.0))


def test_a_model_reads_its_weights_by_name() -> None:
    model = PairModel({"meaning": 1.0, "shared": 0.0, "ratio": 0.0}, 0.0, 0.5)
    assert model.probability((0.0, 5.0, 3.0)) == pytest.approx(0.5)
