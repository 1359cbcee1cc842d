"""The evaluation harness's glue on hand-made cases: citation statements and the support judge, the
naive "stuff" responder, retrieval scoring, RAMDocs answer checks, ConflictQA pooling, the table."""

from __future__ import annotations

import gzip
import json
import math
import time
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Conflict, ConflictSide
from assistant.compose import WORDS_ONLY
from bench.corpus import RamDoc, RamQuestion, load_conflictqa
from bench.naive import NaiveHit, stuff
from bench.quality import citations
from bench.quality.generative import Budget, answer_all, rows, written_by_model
from bench.quality.ramdocs import check
from bench.quality.retrieval import Query, evaluate
from bench.quality.seeds import SeedQuestion, SeedResult
from bench.rows import Row, cell, render

CALL = "The call lasted 30 minutes."
HARRIS = "Vice President Kamala Harris joined the call."
WEATHER = "It rained in Paris on Tuesday."


def _citation(n: int, quote: str, outlet: str = "", source: str = "a.txt", start: int = 0) -> Citation:
    return Citation(n, source, "", outlet, "", quote, start, start + len(quote))


# --- statements and the judge -------------------------------------------------------------------


def test_each_sentence_cites_what_its_markers_name() -> None:
    answer = Answer(
        "q",
        "The call lasted 30 minutes [1]. Harris joined the call [2][1]. Nothing cited here.",
        citations=(_citation(1, CALL), _citation(2, HARRIS)),
    )
    statements = citations.answer_statements(answer)
    assert [s for s, _ in statements] == [
        "The call lasted 30 minutes.",
        "Harris joined the call.",
        "Nothing cited here.",
    ]
    assert [[c.text for c in cited] for _, cited in statements] == [[CALL], [HARRIS, CALL], []]


def test_a_marker_covers_the_unmarked_sentences_before_it_and_article_brackets_are_text() -> None:
    quote = "The town grew by 13 %. It is the fifth town [ 2 ] in the district."
    text = "The town grew by 13 %. It is the fifth town [ 2 ] in the district [1]. Trailing words."
    answer = Answer("q", text, citations=(_citation(1, quote), _citation(2, CALL)))
    statements = citations.answer_statements(answer)
    assert [(s, [c.text for c in cited]) for s, cited in statements] == [
        ("The town grew by 13 %.", [quote]),
        ("It is the fifth town [ 2 ] in the district.", [quote]),
        ("Trailing words.", []),
    ]


def test_a_marker_after_the_full_stop_stays_with_its_sentence() -> None:
    answer = Answer("q", 'He said it was "long." [1] Harris joined [2].', citations=(
        _citation(1, 'He said it was "long."'), _citation(2, HARRIS)))  # fmt: skip
    statements = citations.answer_statements(answer)
    assert [len(cited) for _, cited in statements] == [1, 1]
    assert statements[1][1][0].text == HARRIS


def test_conflict_sentences_are_left_out_and_counted() -> None:
    sides = (ConflictSide("a.txt", "", "", CALL, 0, 27, "30 minutes"),
             ConflictSide("b.txt", "", "", "It lasted 50 minutes.", 0, 21, "50 minutes"))  # fmt: skip
    text = (
        "Sources differ on the length of the call: one article reports “30 minutes” [1], while another "
        "reports “50 minutes” [2]. The call lasted 30 minutes [1]."
    )
    answer = Answer(
        "q",
        text,
        citations=(_citation(1, CALL), _citation(2, "It lasted 50 minutes.", source="b.txt")),
        conflicts=(Conflict("the length of the call", "contradiction", sides),),
    )
    assert [s for s, _ in citations.answer_statements(answer)] == ["The call lasted 30 minutes."]
    scores = citations.score([answer], citations.answer_statements)
    assert (scores.recall, scores.precision, scores.statements, scores.conflict_sentences) == (1.0, 1.0, 1, 1)


def test_the_judge_uses_the_outlet_header_and_rejects_changed_numbers() -> None:
    cited = citations.cited(_citation(1, CALL, outlet="Axios"))
    assert citations.supports("Axios reports: The call lasted 30 minutes.", [cited])
    assert not citations.supports("The call lasted 50 minutes.", [cited])
    assert not citations.supports(HARRIS, [cited])


def test_alce_scores_on_real_sentences() -> None:
    answer = Answer(
        "q",
        "The call lasted 30 minutes [1][2]. Vice President Kamala Harris joined the call [3]. "
        "It rained in Paris on Tuesday [1].",
        citations=(_citation(1, CALL), _citation(2, WEATHER), _citation(3, HARRIS)),
    )
    scores = citations.score(
        [answer, Answer("q", "The articles do not answer.", True)], citations.answer_statements
    )
    assert scores.answers == 1 and scores.statements == 3
    assert scores.recall == pytest.approx(2 / 3)  # the Paris sentence is not what [1] says
    assert scores.precision == pytest.approx(2 / 4)  # [2] is irrelevant, the Paris citation fails
    assert len(citations.unsupported([answer], citations.answer_statements)) == 1


# --- the naive responder --------------------------------------------------------------------------


def test_stuff_joins_the_chunks_and_cites_each_whole() -> None:
    hits = [NaiveHit("a.txt", CALL, 10), NaiveHit("b.txt", HARRIS + " " + WEATHER, -1)]
    answer = stuff("How long?", hits)
    assert answer.answer == f"{CALL} [1]\n\n{HARRIS} {WEATHER} [2]"
    assert [(c.id, c.source, c.start, c.end) for c in answer.citations] == [
        (1, "a.txt", 10, 37),
        (2, "b.txt", -1, -1 + len(HARRIS) + 1 + len(WEATHER)),
    ]
    statements = citations.passage_statements(answer)
    assert [(s, cited[0].text) for s, cited in statements] == [
        (CALL, CALL),
        (HARRIS, HARRIS + " " + WEATHER),
        (WEATHER, HARRIS + " " + WEATHER),
    ]
    assert not stuff("q", []).citations


# --- retrieval, RAMDocs answers -------------------------------------------------------------------


def test_retrieval_scores_average_over_queries_with_relevant_documents() -> None:
    ranked = {"q1": ["a", "x", "b"], "q2": ["x", "y", "z", "w", "v", "c"], "q3": ["a"]}
    queries = [Query("q1", {"a", "b"}), Query("q2", {"c"}), Query("q3", set())]
    scores = evaluate(queries, lambda q: ranked[q])
    assert scores.queries == 2
    assert scores.recall5 == pytest.approx(0.5)  # q1 1.0, q2 0.0 (its document is sixth)
    assert scores.recall10 == pytest.approx(1.0)
    assert scores.mrr10 == pytest.approx((1.0 + 1 / 6) / 2)


def _ramdocs_question() -> RamQuestion:
    docs = (
        RamDoc("d1.txt", 0, "correct", "1902", "Built in 1902."),
        RamDoc("d2.txt", 0, "misinfo", "1885", "1885."),
    )
    return RamQuestion(0, "When was the courthouse built?", ("1902", "Adel"), ("1885",), docs)


def test_ramdocs_check_reads_the_answer_and_its_quotes() -> None:
    q = _ramdocs_question()
    plain = check(q, Answer(q.question, "It was built in 1885 [1].", citations=(_citation(1, "Adel, 1885"),)))
    assert plain.any_gold and not plain.all_gold and plain.misinformation and plain.has_wrong
    flagged = Answer(
        q.question,
        "Sources differ [1][2].",
        citations=(_citation(1, "built in 1902 in Adel"), _citation(2, "built in 1885")),
        conflicts=(Conflict("when it was built", "contradiction", ()),),
    )
    reported = check(q, flagged)
    assert reported.all_gold and not reported.misinformation  # stated, but beside a conflict


# --- ConflictQA pooling ---------------------------------------------------------------------------


def test_conflictqa_test_snippets_are_pooled_once_by_text(tmp_path: Path) -> None:
    rows = [
        {"question": "Who?", "contexts": ["Same snippet.", "Only one."], "split": "test"},
        {"question": "When?", "contexts": ["Same snippet.", float("nan"), ""], "split": "test"},
        {"question": "Train?", "contexts": ["Training."], "split": "train"},
    ]
    path = tmp_path / "cqa.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(rows, handle)
    questions, snippets = load_conflictqa(path)
    assert [q.question for q in questions] == ["Who?", "When?"]
    assert sorted(s.text for s in snippets) == ["Only one.", "Same snippet."]
    shared = next(s.id for s in snippets if s.text == "Same snippet.")
    assert shared in questions[0].snippets and questions[1].snippets == {shared}
    assert len(load_conflictqa(path, limit=1)[0]) == 1


# --- the table, the budget, key-fact coverage -----------------------------------------------------


def test_table_cells_and_rows() -> None:
    assert [cell(0.5), cell(math.nan), cell(None), cell("12 / 14")] == ["0.500", "–", "–", "12 / 14"]
    table = render([Row("RAMDocs", "recall@5", 0.75, 0.7, "500 questions")])
    assert table.splitlines()[-1] == "| RAMDocs | recall@5 | 0.750 | 0.700 | 500 questions |"


def test_generation_stops_when_the_budget_is_spent() -> None:
    budget = Budget(0.01)
    asked: list[str] = []

    def ask(question: str) -> Answer:
        asked.append(question)
        time.sleep(0.02)
        return Answer(question, "ok")

    answers = answer_all(ask, ["a", "b", "c"], budget)
    assert asked == ["a"] and [a.question for a in answers] == asked  # "a" alone spends it all
    assert budget.spent >= 0.02 and not budget.left()
    assert answer_all(ask, ["e"], Budget(0)) == []
    assert len(answer_all(ask, ["f", "g"], Budget(3600))) == 2


def test_key_fact_coverage_of_a_seed_result() -> None:
    q = SeedQuestion("d", "How long?", ("a.txt",), (("30",), ("50",)), False, (), False)
    result = SeedResult(q, Answer("q", "30 minutes"), 0.0, True, [["50"]], [], 0, [], True)
    assert result.coverage == pytest.approx(0.5)
    unanswerable = SeedQuestion("u", "What?", (), (), False, (), True)
    assert math.isnan(
        SeedResult(unanswerable, Answer("q", "", True), 0.0, False, [], [], 0, [], True).coverage
    )


def test_an_answer_noted_only_for_its_closeness_to_the_question_is_still_the_models() -> None:
    model = Answer("q", "Written [1].")
    noted = Answer("q", "Written [1].", notes=(WORDS_ONLY,))
    fallback = Answer(
        "q", "Extractive [1].", notes=("No sentence survived, so this is the extractive answer.",)
    )
    both = Answer("q", "Extractive [1].", notes=(WORDS_ONLY, "The language model backend failed (timeout)."))
    assert [written_by_model(a) for a in (model, noted, fallback, both)] == [True, True, False, False]
    share = rows("seeds", [model, noted, fallback, both], 4, [])[0]
    assert share.ours == 0.5
