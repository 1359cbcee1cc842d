"""Stories: grouping by event with the fitted model, incremental placement with stable ids, labels,
and stories as a real build stores and lists them."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from index.build import Builder
from index.store import Store
from index.stories import assign, label
from index.story_pairs import FEATURES, StoryInput, StoryModel, Wording, pair_features, probabilities

MODEL = StoryModel.load()
DIMS = 8


def vector(*weights: float) -> tuple[float, ...]:
    """A unit vector from a few leading weights."""
    padded = [*weights, *([0.0] * (DIMS - len(weights)))]
    norm = math.sqrt(sum(x * x for x in padded))
    return tuple(x / norm for x in padded)


BRIDGE = vector(1.0, 0.05)
BRIDGE_TOO = vector(1.0, 0.0, 0.05)
ORCHARD = vector(0.0, 1.0)
MATCH = vector(0.0, 0.0, 1.0)


def item(id_: str, vec: tuple[float, ...], published: str = "", **kw: str) -> StoryInput:
    return StoryInput(id_, kw.get("title", ""), published, vec, kw.get("story", ""), text=kw.get("text", ""))


BRIDGE_A = item("a", BRIDGE, "2025-06-12", title="Harbor bridge reopens")
BRIDGE_B = item("b", BRIDGE_TOO, "2025-06-13", title="Bridge back open")
ORCHARD_C = item("c", ORCHARD, "2025-04-12", title="Volunteers plant orchard")
MATCH_D = item("d", MATCH, "2025-04-13", title="United win the cup")


def stories_of(items: list[StoryInput], keep: dict[str, str] | None = None) -> dict[str, str]:
    return {member: s.id for s in assign(MODEL, items, keep or {}) for member in s.members}


def test_the_saved_model_is_a_fitted_one() -> None:
    assert len(MODEL.weights) == pair_features([BRIDGE_A], [BRIDGE_B]).shape[-1]
    assert 0.0 < MODEL.threshold < 1.0


def test_reports_of_one_event_share_a_story_and_other_events_do_not() -> None:
    placed = stories_of([BRIDGE_A, BRIDGE_B, ORCHARD_C, MATCH_D])
    assert placed["a"] == placed["b"]
    assert len({placed["a"], placed["c"], placed["d"]}) == 3


def test_pair_probabilities_are_the_fitted_logistic_model_of_the_pair_features() -> None:
    # The probabilities are summed feature by feature in single precision; the fit reads the
    # stacked features.
    items = [BRIDGE_A, BRIDGE_B, ORCHARD_C, MATCH_D]
    logits = pair_features(items, items) @ MODEL.weights + MODEL.intercept
    expected = [1.0 / (1.0 + math.exp(-x)) for x in logits.ravel()]
    assert probabilities(MODEL, items, items).ravel().tolist() == pytest.approx(expected, abs=1e-6)
    assert probabilities(MODEL, items[:1], items[1:]).ravel().tolist() == pytest.approx(
        expected[1:4], abs=1e-6
    )


def test_the_same_words_a_year_apart_are_different_events() -> None:
    later = item("e", BRIDGE, "2026-06-12")
    near = float(probabilities(MODEL, [BRIDGE_A], [BRIDGE_B])[0, 0])
    far = float(probabilities(MODEL, [BRIDGE_A], [later])[0, 0])
    assert far < MODEL.threshold < near


WORDS = FEATURES.index("word_cosine")
FILLER = "The council met on Tuesday and officials said the plan would be reviewed next year."


def test_articles_that_share_rare_words_beyond_their_openings_are_likelier_one_event() -> None:
    # Same openings' vectors and dates: only the words of the whole articles tell the pairs apart.
    a = item("a", BRIDGE, "2025-06-12", text=f"{FILLER} Engineers found a crack in the Kelvaro span.")
    b = item("b", BRIDGE_TOO, "2025-06-12", text=f"{FILLER} The Kelvaro span stays shut after the crack.")
    c = item("c", BRIDGE_TOO, "2025-06-12", text=f"{FILLER} A choir sang at the orchard festival.")
    corpus = Wording([a, b, c])
    features = pair_features([a], [b, c], corpus)
    assert features[0, 0, WORDS] > features[0, 1, WORDS] > 0.0
    near, far = probabilities(MODEL, [a], [b, c], corpus)[0]
    assert near > far


def test_word_vectors_of_the_weighing_corpus_are_its_own_rows() -> None:
    a = item("a", BRIDGE, text=f"{FILLER} Engineers found a crack in the Kelvaro span.")
    b = item("b", BRIDGE_TOO, text=f"{FILLER} The Kelvaro span stays shut after the crack.")
    c = item("c", ORCHARD, text=f"{FILLER} A choir sang at the Kelvaro orchard festival.")
    corpus = Wording([a, b, c])
    # The same texts under ids the corpus does not hold are vectorised afresh: the cosines agree.
    copies = [item(f"{x.id}2", x.vector, text=x.text) for x in (a, b, c)]
    from_rows = corpus.cosine([c, a], [b, c, a])
    afresh = corpus.cosine([copies[2], copies[0]], copies[1:] + copies[:1])
    assert from_rows == pytest.approx(afresh, abs=1e-6)
    assert from_rows[0, 1] == pytest.approx(1.0) and from_rows[1, 0] > from_rows[0, 0] > 0.0
    # A text changed since the corpus was weighed is not read from its old row.
    changed = item("b", BRIDGE_TOO, text=a.text)
    assert corpus.cosine([a], [changed])[0, 0] == pytest.approx(1.0)


def test_word_weights_need_two_articles_and_a_shared_word() -> None:
    alone = item("a", BRIDGE, text="Kelvaro span shut")
    other = item("b", ORCHARD, text="Orchard choir festival")
    assert pair_features([alone], [alone])[0, 0, WORDS] == 0.0
    assert pair_features([alone], [other])[0, 0, WORDS] == 0.0


def test_a_new_article_joins_the_closest_story_and_ids_stay() -> None:
    before = stories_of([BRIDGE_A, ORCHARD_C])
    late = item("b", BRIDGE_TOO, "2025-06-13")
    after = stories_of([BRIDGE_A, ORCHARD_C, late, MATCH_D], keep=before)
    assert after["a"] == after["b"] == before["a"]
    assert after["c"] == before["c"]
    assert after["d"] not in before.values()


def test_removing_an_article_keeps_the_ids_of_every_story() -> None:
    before = stories_of([BRIDGE_A, BRIDGE_B, ORCHARD_C])
    after = stories_of([BRIDGE_B, ORCHARD_C], keep={k: v for k, v in before.items() if k != "a"})
    assert after == {"b": before["b"], "c": before["c"]}


def test_a_changed_article_alone_in_its_story_gets_its_id_back() -> None:
    before = stories_of([BRIDGE_A, ORCHARD_C])
    changed = item("c", ORCHARD, "2025-04-12", story=before["c"])
    after = stories_of([BRIDGE_A, changed], keep={"a": before["a"]})
    assert after == before


def test_ids_do_not_depend_on_the_order_articles_come_in() -> None:
    items = [BRIDGE_A, BRIDGE_B, ORCHARD_C, MATCH_D]
    assert stories_of(items) == stories_of(list(reversed(items)))


def test_labels_are_the_central_headline_or_the_central_opening_sentence() -> None:
    assert label([BRIDGE_A, BRIDGE_B]) in {"Harbor bridge reopens", "Bridge back open"}
    untitled = [  # the central article is not the first
        item("z", ORCHARD, text="A choir sang at the orchard festival."),
        item("x", BRIDGE, text="The Port Elling bridge reopened on Monday. Traffic was light."),
        item("y", BRIDGE_TOO, text="Drivers crossed the harbor again. The repairs took a month."),
    ]
    assert label(untitled) == "The Port Elling bridge reopened on Monday."


def test_two_articles_tie_as_central_and_the_earlier_one_labels_the_story() -> None:
    late = item("a", BRIDGE, "2025-06-13", title="Bridge back open")
    early = item("b", tuple(x * (1 + 1e-9) for x in BRIDGE_TOO), "2025-06-12", title="Harbor bridge reopens")
    assert label([late, early]) == label([early, late]) == "Harbor bridge reopens"
    nudged = item("b", BRIDGE_TOO, "2025-06-12", title="Harbor bridge reopens")
    assert label([late, nudged]) == "Harbor bridge reopens"


LIBRARY = [
    "The Lorrin city council voted 7 to 2 on Tuesday night to close the Wexley Street library branch.",
    "Council member Ada Fenn said the Wexley Street branch served more than 400 families a week.",
]
FERRY = [
    "Coastal Ledger ferries will add night crossings between Port Elling and Skarra from July.",
    "The ferry operator said the night crossings would run until the end of September.",
]


def write(folder: Path, name: str, headline: str, dateline: str, body: list[str]) -> None:
    (folder / name).write_text(f"{headline}\n{dateline}\n\n" + "\n".join(body) + "\n", encoding="utf-8")


def library_reports(tmp_path: Path) -> Path:
    """A folder holding two outlets' reports of one library closure."""
    docs = tmp_path / "docs"
    docs.mkdir()
    write(
        docs,
        "lib1.txt",
        "Lorrin council votes to close Wexley library",
        "Lorrin Daily — March 4, 2026",
        LIBRARY,
    )
    write(
        docs,
        "lib2.txt",
        "Wexley Street library branch to close",
        "Valley Wire — March 4, 2026",
        LIBRARY[::-1],
    )
    return docs


@pytest.mark.slow
def test_a_build_places_articles_in_stories_and_keeps_ids_across_builds(
    tmp_path: Path, builder_for: Callable[..., Builder], run_index: Callable[..., object]
) -> None:
    docs = library_reports(tmp_path)
    write(docs, "ferry.txt", "Night ferry crossings to start in July", "Coastal Ledger — June 2, 2026", FERRY)
    store = tmp_path / "store"
    builder = builder_for(store)
    report = builder.build([docs])
    assert report.stories == 2
    first = {r.id: (r.story, r.story_label) for r in builder.store.records().values()}
    assert first["lib1.txt"][0] == first["lib2.txt"][0] != first["ferry.txt"][0]
    assert "library" in first["lib1.txt"][1].lower()

    write(
        docs,
        "lib3.txt",
        "Library closure vote angers Wexley families",
        "Harbor Post — March 5, 2026",
        LIBRARY,
    )
    (docs / "ferry.txt").unlink()
    builder.build([docs])
    second = {r.id: r.story for r in builder.store.records().values()}
    assert second == {
        "lib1.txt": first["lib1.txt"][0],
        "lib2.txt": first["lib1.txt"][0],
        "lib3.txt": first["lib1.txt"][0],
    }

    texts = {x.id: x.text for x in builder.store.story_inputs()}
    assert texts["lib3.txt"].startswith("Library closure vote angers Wexley families")
    assert LIBRARY[0] in texts["lib3.txt"]

    listed = run_index("list", "--json", "--store", store)
    rows = json.loads(listed.stdout)  # type: ignore[attr-defined]
    assert {row["story"] for row in rows} == {first["lib1.txt"][0]}
    assert all(row["story_label"] for row in rows)


@pytest.mark.slow
def test_removing_an_article_labels_its_story_again_from_those_left(
    tmp_path: Path, builder_for: Callable[..., Builder]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    headlines = {
        "lib1.txt": "Lorrin council votes to close Wexley library",
        "lib2.txt": "Wexley Street library branch to close",
        "lib3.txt": "Library closure vote angers Wexley families",
    }
    for name, headline in headlines.items():
        write(docs, name, headline, "Lorrin Daily — March 4, 2026", LIBRARY)
    builder = builder_for(tmp_path / "store")
    builder.build([docs])
    before = builder.store.records()
    story, label = before["lib1.txt"].story, before["lib1.txt"].story_label
    labelled = next(name for name, headline in headlines.items() if label.startswith(headline[:20]))

    report = builder.remove([labelled, "no-such-article.txt"])

    after = builder.store.records()
    assert report.removed == [labelled] and labelled not in after
    assert {r.story for r in after.values()} == {story}
    assert all(r.story_label and r.story_label != label for r in after.values())


@pytest.mark.slow
def test_placement_reads_what_the_build_wrote_as_the_store_gives_it_back(
    tmp_path: Path, builder_for: Callable[..., Builder], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A build hands placement the inputs it described instead of reading back its own writes.
    docs = library_reports(tmp_path)
    builder = builder_for(tmp_path / "store")
    handed: list[dict[str, StoryInput]] = []
    read = Store.story_inputs
    monkeypatch.setattr(
        Store, "story_inputs", lambda self, written=None: handed.append(written or {}) or read(self, written)
    )
    builder.build([docs])
    monkeypatch.undo()

    def compared(x: StoryInput) -> tuple[str, ...]:
        return x.id, x.title, x.published, x.text

    stored = {x.id: x for x in builder.store.story_inputs()}
    assert sorted(handed[0]) == sorted(stored) == ["lib1.txt", "lib2.txt"]
    for key, stored_input in stored.items():  # Chroma keeps vectors normalised in single precision
        assert compared(handed[0][key]) == compared(stored_input)
        assert handed[0][key].vector == pytest.approx(stored_input.vector, abs=1e-6)

    # Given some articles, the store reads the others back (or all, when they are few), in order.
    write(
        docs,
        "lib3.txt",
        "Library closure vote angers Wexley families",
        "Harbor Post — March 5, 2026",
        LIBRARY,
    )
    builder.build([docs])
    stored_list = builder.store.story_inputs()
    for given in ({}, {"lib1.txt": stored["lib1.txt"]}, dict(list(stored.items())[:2])):
        assert builder.store.story_inputs(given) == stored_list


@pytest.mark.slow
def test_a_new_story_model_places_every_article_again_and_ids_stay(
    tmp_path: Path, builder_for: Callable[..., Builder], monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = library_reports(tmp_path)
    builder = builder_for(tmp_path / "store")
    builder.build([docs])
    first = {r.id: r.story for r in builder.store.records().values()}
    assert first["lib1.txt"] == first["lib2.txt"]

    # A model that joins nothing: an upgrade to it regroups the unchanged articles on the next build.
    apart = StoryModel(MODEL.weights, MODEL.intercept, 1.0)
    monkeypatch.setattr(StoryModel, "load", classmethod(lambda cls, path=None: apart))
    report = builder.build([docs])
    split = {r.id: r.story for r in builder.store.records().values()}
    assert report.stories == 2 and split["lib1.txt"] != split["lib2.txt"]
    assert first["lib1.txt"] in split.values()
    assert {x.placed_by for x in builder.store.story_inputs()} == {apart.fingerprint}

    monkeypatch.setattr(StoryModel, "load", classmethod(lambda cls, path=None: MODEL))
    builder.build([docs])
    assert {r.id: r.story for r in builder.store.records().values()} == first
    assert builder.build([docs]).stories == 1  # placed by the current model: nothing to redo
