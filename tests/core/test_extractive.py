"""Query-focused sentence selection of the extractive engine."""

import pytest

from assistant.answer import Passage
from assistant.extractive import _ANSWER_TYPES, FEATURES, _holds, attribution, candidates, select
from index.article import Chunk


def _passage(number: int, article: str, text: str, outlet: str = "", story: str = "") -> Passage:
    return Passage(number, Chunk(article, 0, 100, 100 + len(text), text, outlet=outlet, story=story))


def _flat_idf(term: str) -> float:
    return 1.0


DURATION = _ANSWER_TYPES[0][1]


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("The 30-minute call was billed as a direct dialogue.", True),
        ("The call ended after about 50 minutes.", True),
        ("They spoke for an hour.", True),
        ("It was the first call in nearly two months.", False),
        ("They met three years ago.", False),
        ("a year-long military campaign", False),
        ("No numbers here.", False),
    ],
)
def test_duration_answers(text: str, holds: bool) -> None:
    assert _holds(DURATION, text, "How long did the call last?") is holds


def test_sentence_answering_the_question_ranks_first() -> None:
    passages = [
        _passage(1, "a.txt", "The leaders spoke on Wednesday. The 30-minute call was productive."),
        _passage(2, "b.txt", "The call covered Gaza and Lebanon in detail."),
    ]
    ranked = candidates("How long did the call last?", passages, _flat_idf)
    assert ranked[0].text == "The 30-minute call was productive."
    assert passages[0].chunk.text[ranked[0].start - 100 : ranked[0].end - 100] == ranked[0].text


def test_offsets_point_into_the_article() -> None:
    passage = _passage(1, "a.txt", "First sentence here. Second sentence about flour.")
    for sentence in candidates("flour", [passage], _flat_idf):
        local = passage.chunk.text[sentence.start - passage.chunk.start : sentence.end - passage.chunk.start]
        assert local == sentence.text


def test_near_duplicates_across_articles_are_merged() -> None:
    passages = [
        _passage(1, "a.txt", "Vice President Kamala Harris joined the call, the White House said.", "Axios"),
        _passage(2, "b.txt", "Vice President Kamala Harris joined the call, officials said.", "Reuters"),
    ]
    selection = select("Who joined the call?", passages, _flat_idf)
    assert len(selection.groups) == 1
    assert {s.passage.source for s in selection.groups[0]} == {"a.txt", "b.txt"}


def test_unrelated_passages_are_not_answerable() -> None:
    passages = [_passage(1, "a.txt", "The weather was mild in Paris.")]
    assert not select("How many missiles did Iran fire?", passages, _flat_idf).answerable


@pytest.mark.parametrize(
    ("outlets", "expected"),
    [
        ([], ""),
        (["", ""], ""),
        (["Axios"], "Axios reports"),
        (["Axios", "AFP", "Axios"], "Axios and AFP report"),
    ],
)
def test_attribution(outlets: list[str], expected: str) -> None:
    assert attribution(outlets) == expected


def test_names_after_besides_are_not_what_is_asked() -> None:
    passages = [
        _passage(1, "a.txt", "The Biden-Netanyahu call took place after a book by Bob Woodward appeared."),
        _passage(2, "b.txt", "Vice President Kamala Harris joined the call, the White House said."),
    ]
    ranked = candidates("Who else took part in the call besides Biden and Netanyahu?", passages, _flat_idf)
    assert ranked[0].passage.source == "b.txt"


def test_the_saved_sentence_model_reads_every_feature() -> None:
    from assistant.extractive import _FITTED, FEATURES, FLOOR

    assert set(_FITTED["weights"]) == set(FEATURES)
    assert "tune" in _FITTED["fitted_on"] and 0.0 < FLOOR < 1.0


def test_a_sentence_close_in_meaning_outranks_shared_words() -> None:
    passages = [
        _passage(1, "a.txt", "The call itself was long. Vice President Kamala Harris listened in."),
    ]
    meaning = {"Vice President Kamala Harris listened in.": 0.8}

    def similarity(texts: list[str]) -> list[float]:
        return [meaning.get(t, 0.1) for t in texts]

    ranked = candidates("Who else took part in the call?", passages, _flat_idf, similarity)
    assert ranked[0].text == "Vice President Kamala Harris listened in."


def test_a_sentence_of_the_story_most_retrieved_outranks_a_like_one_of_another_story() -> None:
    # Both sentences hold the question's words alike; the question's event is the story of most
    # passages retrieved (the repair, not the other town's bridge).
    passages = [
        _passage(1, "bridge/a.txt", "The council voted on Monday.", story="repair"),
        _passage(2, "other/b.txt", "Repairs to the bridge will cost $2 million.", story="other"),
        _passage(3, "bridge/c.txt", "Repairs to the bridge will cost $3 million.", story="repair"),
        _passage(4, "bridge/d.txt", "The road stays shut.", story="repair"),
    ]
    ranked = candidates("How much will bridge repairs cost?", passages, _flat_idf)
    story = FEATURES.index("story")
    by_source = {s.passage.source: s for s in ranked}
    assert by_source["bridge/c.txt"].features[story] == pytest.approx(
        (1 + 1 / 3 + 1 / 4) / (1 + 1 / 2 + 1 / 3 + 1 / 4)
    )
    assert by_source["bridge/c.txt"].score > by_source["other/b.txt"].score


def test_articles_of_no_known_story_are_each_a_story_of_their_own() -> None:
    passages = [_passage(1, "a.txt", "One thing happened."), _passage(2, "b.txt", "Another thing happened.")]
    story = FEATURES.index("story")
    shares = {s.passage.source: s.features[story] for s in candidates("What happened?", passages, _flat_idf)}
    assert shares == pytest.approx({"a.txt": 1 / 1.5, "b.txt": 0.5 / 1.5})
