"""The corpus report's alignment by meaning (pairing.py), with the packaged embedding model: two
reports of one figure or one time worded apart are compared, two different figures of one story are
not, dates of saying and opposing terms keep the word rule, and without sentence vectors the word
rule decides as before."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant.answer import CONTRADICTION
from assistant.conflicts import pairing
from assistant.conflicts.alignment import statements
from assistant.conflicts.claims import claims_in
from assistant.conflicts.detect import corpus_conflicts
from assistant.conflicts.pairing import FEATURES, FILE, GROUPS, Aligner, PairModel, group_of, saved
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
GATES = "Police said Saturday's crush happened shortly after the gates opened at 6 p.m."
DOORS = (
    "On Saturday the gates opened at 5:30 p.m., and the trouble began soon afterwards at the entrance, "
    "where the longest queues had formed."
)
# Two undated reports of one cost: no publication day, no year or month, and neither restates the other.
ENGINEERS = "Fixing the Millrace Bridge girder will cost £2.4 million."
BILL = (
    "The Millrace Bridge repair bill is put at £3.1 million by the county's engineers, who found the crack."
)
FESTIVAL = (
    "The Castlebrook summer fair returns next month. The fair raised £450,000 for local charities "
    "last year, the organisers said on Tuesday."
)


def _articles(*texts: str, published: str = "2026-03-04") -> dict[str, Article]:
    ids = [f"bridge/{n}.txt" for n in range(len(texts))]
    return {i: Article(i, t, published=published, story="bridge") for i, t in zip(ids, texts, strict=True)}


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


@pytest.mark.slow
def test_two_reports_of_one_time_of_day_worded_apart_are_compared_by_meaning(embedder: Embedder) -> None:
    articles = _articles(GATES, DOORS)
    times = [c for c in corpus_conflicts(articles) if c.kind == CONTRADICTION]
    assert times == []  # the word rule: no name shared
    found = corpus_conflicts(articles, lambda texts: embedder.embed_documents(list(texts)))
    assert [{s.value for s in c.sides} for c in found if c.kind == CONTRADICTION] == [{"6 p.m.", "5:30 p.m."}]


@pytest.mark.slow
def test_two_undated_reports_of_one_cost_contradict_when_the_model_is_sure_they_are_one_point(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _articles(ENGINEERS, BILL, published="")
    embed = lambda texts: embedder.embed_documents(list(texts))  # noqa: E731
    assert _money(corpus_conflicts(articles)) == []  # the word rule: not aligned
    assert _money(corpus_conflicts(articles, embed)) == [{"£2.4 million", "£3.1 million"}]
    # With the undated floor out of reach, the rule's test decides: neither sentence restates the
    # other and a cost is no length, so nothing places the two claims at one point.
    unreachable = {name: replace(model, undated=1.0) for name, model in saved().items()}
    monkeypatch.setattr(pairing, "saved", lambda: unreachable)
    assert _money(corpus_conflicts(articles, embed)) == []


def test_the_undated_floor_is_read_only_for_pairs_a_model_decides() -> None:
    articles = _articles(
        "The talks planned for Monday have been postponed.", "The talks planned for Monday were cancelled."
    )
    found = [f for a in articles.values() for f in statements(a, [(0, len(a.text))])]
    stances = [f for f in found if f.claim.kind == "stance"]
    assert len(stances) == 2
    assert Aligner(found, articles, None).undated(*stances) is None  # no vectors: the word rule
    assert Aligner(found, articles, lambda texts: [[1.0] for _ in texts]).undated(*stances) is None


@pytest.mark.parametrize(
    ("sentence", "kind", "group"),
    [
        ("Repairing the girder will cost £2.4 million.", "quantity", "figures"),
        ("The gates opened at 6 p.m. on Saturday.", "date", "others"),
        ("The council said on Wednesday that the bridge would stay shut.", "date", None),  # when said
        ("The talks have been postponed.", "stance", None),  # an opposing term
    ],
)
def test_each_claim_is_read_by_its_group_s_model_or_by_the_word_rule(
    sentence: str, kind: str, group: str | None
) -> None:
    claims = [c for c in claims_in(sentence, 0, len(sentence)) if c.kind == kind]
    assert claims and {group_of(c) for c in claims} == {group}


def test_the_saved_models_read_the_features_the_product_computes() -> None:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    assert set(data) == set(GROUPS)
    for name, (_, readings) in GROUPS.items():
        assert set(data[name]["weights"]) == set(readings) <= set(FEATURES)
    figures, others = saved()["figures"], saved()["others"]
    assert 0.0 < figures.floor < 1.0 and 0.0 < others.floor < 1.0
    # Closer in meaning aligns more readily; figures further apart less.
    near, far = {"meaning": 0.9, "shared": 1.0, "ratio": 0.1}, {"meaning": 0.3, "shared": 1.0, "ratio": 0.1}
    assert figures.probability(near) > figures.probability(far)
    assert others.probability(near) > others.probability(far)
    assert figures.probability({**near, "ratio": 2.0}) < figures.probability(near)


def test_a_model_reads_its_weights_by_name() -> None:
    model = PairModel({"meaning": 1.0, "shared": 0.0}, 0.0, 0.5, 0.8)
    assert model.probability({"meaning": 0.0, "shared": 5.0, "ratio": 3.0}) == pytest.approx(0.5)


def test_sentences_are_embedded_when_a_model_first_reads_a_pair_and_only_then() -> None:
    calls: list[list[str]] = []

    def embed(texts: Sequence[str]) -> list[list[float]]:
        calls.append(list(texts))
        return [[1.0] for _ in texts]

    articles = _articles(ENGINEERS, BILL, published="")
    found = [f for a in articles.values() for f in statements(a, [(0, len(a.text))])]
    costs = [f for f in found if f.claim.attribute.startswith("money")]
    unsure = {name: replace(model, undated=1.0) for name, model in saved().items()}
    aligner = Aligner(found, articles, embed, unsure)
    assert calls == []  # nothing is embedded before a model reads a pair
    assert aligner.undated(*costs) is False and aligner(*costs) is True
    assert len(calls) == 1 and len(calls[0]) == 2
