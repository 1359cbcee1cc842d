"""Query-focused sentence selection of the extractive engine."""

import pytest

from assistant.answer import Passage
from assistant.extractive import FEATURES, attribution, candidates, select, whole_articles
from index.article import Article, Chunk


def _passage(number: int, article: str, text: str, outlet: str = "", story: str = "") -> Passage:
    return Passage(number, Chunk(article, 0, 100, 100 + len(text), text, outlet=outlet, story=story))


def _flat_idf(term: str) -> float:
    return 1.0


ENTITY = FEATURES.index("entity")
ASKS = FEATURES.index("asks_type")
COSINE = FEATURES.index("cosine")


def _entity(question: str, text: str) -> float:
    (sentence,) = candidates(question, [_passage(1, "a.txt", text)], _flat_idf)
    return sentence.features[ENTITY]


@pytest.mark.parametrize(
    ("question", "text", "holds"),
    [
        ("How long did the call last?", "The 30-minute call was billed as a direct dialogue.", True),
        ("How long did the call last?", "The call ended after about 50 minutes.", True),
        ("How long did the call last?", "The call was billed as a direct dialogue.", False),
        ("How many workers were hired?", "Twelve workers were hired on Monday.", True),
        (
            "How many of the 40 workers were hired?",
            "All 40 workers were there.",
            False,
        ),  # named by the question
        ("How much will the repairs cost?", "Repairs will cost $2.4 million, the council said.", True),
        ("When did the plant close?", "The plant closed on March 3, 2019.", True),
        ("Who joined the call?", "Vice President Kamala Harris joined the call.", True),
        ("Who joined the call?", "The call was short.", False),
        ("How strong did the wind get?", "Gusts reached 140 km/h on the coast.", True),
        ("How strong did the wind get?", "The wind was strong on the coast.", False),
    ],
)
def test_a_sentence_holding_a_value_of_the_asked_kind(question: str, text: str, holds: bool) -> None:
    # spaCy's entity recogniser reads the value: a span of time, a count, an amount, a date, a name.
    assert _entity(question, text) == float(holds)


def test_a_question_asking_for_no_kind_of_value_reads_none() -> None:
    (sentence,) = candidates(
        "Why did the plant close?", [_passage(1, "a.txt", "It closed in 2019.")], _flat_idf
    )
    assert sentence.features[ENTITY] == 0.0 and sentence.features[ASKS] == 0.0


def test_every_sentence_is_compared_in_meaning_when_asked() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(20))
    compared: list[str] = []

    def similarity(texts: list[str]) -> list[float]:
        compared.extend(texts)
        return [0.5 + 0.01 * n for n in range(len(texts))]

    ranked = candidates("Which sentence?", [_passage(1, "a.txt", text)], _flat_idf, similarity, rerank=None)
    assert len(compared) == len(ranked) == 20
    compared.clear()
    candidates("Which sentence?", [_passage(1, "a.txt", text)], _flat_idf, similarity)
    assert len(compared) == 20  # by default too, below the cost bound
    compared.clear()
    ranked = candidates("Which sentence?", [_passage(1, "a.txt", text)], _flat_idf, similarity, rerank=5)
    cosines = [s.features[COSINE] for s in ranked]
    assert len(compared) == 5 and cosines.count(0.5) == 16  # the 15 not compared read as the farthest


def test_abstention_reads_the_sentences_the_answer_states() -> None:
    passages = [
        _passage(1, "a.txt", "Repairs to the Millrace Bridge will cost $2.4 million."),
        _passage(2, "b.txt", "Drivers faced delays on Monday."),
    ]
    selection = select("How much will repairs to the Millrace Bridge cost?", passages, _flat_idf)
    stated = [s for group in selection.groups for s in group]
    assert selection.answerable
    assert selection.best_coverage == max(s.coverage for s in stated) == 1.0


def test_the_words_of_a_stated_sentence_below_the_top_three_count() -> None:
    # Three sentences close in meaning but sharing no word of the question outrank the one that
    # holds its words; the answer still states that one, so its words are what the answer covers.
    close = ["The girder gave way last week.", "Engineers were called in.", "Traffic was diverted."]
    passages = [
        _passage(1, "a.txt", " ".join(close)),
        _passage(2, "b.txt", "Millrace Bridge repairs will cost $2 million."),
    ]

    def similarity(texts: list[str]) -> list[float]:
        return [1.0 if t in close else 0.0 for t in texts]

    selection = select("How much will Millrace Bridge repairs cost?", passages, _flat_idf, similarity)
    ranked = candidates("How much will Millrace Bridge repairs cost?", passages, _flat_idf, similarity)
    stated = [s.text for group in selection.groups for s in group]
    assert [s.text for s in ranked[:3]] == close and "Millrace Bridge repairs will cost $2 million." in stated
    assert selection.best_coverage == 1.0


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
    own = {s.passage.source: s.features[FEATURES.index("own")] for s in ranked}
    # "take part" (read as "join") and "call" are asked; the names after "besides" are not, so the
    # sentence naming them covers only "call".
    assert own == {"a.txt": 0.5, "b.txt": 1.0}


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


def test_whole_articles_reads_the_leading_storys_articles_in_full() -> None:
    texts = {
        "a.txt": "The ferry inspection began on Monday. It took four hours.",
        "b.txt": "Ferry fares rise in May. The operator blamed fuel costs.",
        "c.txt": "The harbour inspection began on Monday. It took two days.",
    }
    articles = {name: Article(name, text) for name, text in texts.items()}
    cut = {name: [(0, text.index(".") + 1), (text.index(".") + 2, len(text))] for name, text in texts.items()}
    story = {"a.txt": "ferry", "b.txt": "fares", "c.txt": "ferry"}

    def chunks(article: str) -> list[Chunk]:
        text = articles[article].text
        return [
            Chunk(article, n, lo, hi, text[lo:hi], story=story[article])
            for n, (lo, hi) in enumerate(cut[article])
        ]

    def chunks_of(names: list[str]) -> dict[str, list[Chunk]]:
        return {name: chunks(name) for name in names}

    passages = [Passage(n, chunks(name)[0]) for n, name in enumerate(("a.txt", "b.txt", "c.txt"), start=1)]
    whole = whole_articles(passages, chunks_of, articles)

    assert whole[:3] == passages and [p.number for p in whole] == [1, 2, 3, 4, 5]
    assert [(p.source, p.chunk.index) for p in whole[3:]] == [("a.txt", 1), ("c.txt", 1)]  # not story "fares"
    # A chunk of another version of the article (a build ran meanwhile) is left out.
    changed = {**articles, "c.txt": Article("c.txt", texts["c.txt"].replace("two days", "six days"))}
    assert [(p.source, p.chunk.index) for p in whole_articles(passages, chunks_of, changed)[3:]] == [
        ("a.txt", 1)
    ]
