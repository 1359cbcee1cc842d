"""The development set's scorer on hand-made answers: each measure counts what it says, the corpus
report tells planted conflicts from cross-story ones, and the question files load with valid splits."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

from assistant.answer import CONTRADICTION, DIFFERENT_TIME, Answer, Citation, Conflict, ConflictSide
from assistant.compose import WORDS_ONLY
from bench.devset.questions import CATEGORIES, OFF_TOPIC_SETS, SPLITS, DevQuestion, load, off_topic, split_of
from bench.quality import devset
from bench.quality.seeds import SeedQuestion, check
from index.article import Article

TEXTS = {
    "fire/a.txt": "The blaze destroyed 12 homes on Monday.",
    "fire/b.txt": "Firefighters said 15 homes burned on Monday.",
    "vote/a.txt": "The council approved the budget 7-4.",
}


def _article(source: str) -> Article:
    return Article(source, TEXTS[source])


def _question(
    qid: str, *, conflict: bool = False, unanswerable: bool = False, story: str = "fire"
) -> DevQuestion:
    seed = SeedQuestion(
        qid,
        "How many homes burned?",
        () if unanswerable else ("fire/a.txt",),
        () if unanswerable else (("12",),),
        conflict,
        (("fire/a.txt", "fire/b.txt"),) if conflict else (),
        unanswerable,
    )
    category = "conflict" if conflict else "unanswerable" if unanswerable else "answerable"
    return DevQuestion(seed, story, split_of(story), category, (), ())


def _side(source: str, value: str) -> ConflictSide:
    text = TEXTS[source]
    return ConflictSide(source, "", "", text, 0, len(text), value)


def _cite(source: str) -> Citation:
    text = TEXTS[source]
    return Citation(1, source, "", "", "", text, 0, len(text))


def _answer(text: str, *, cites: tuple[str, ...] = (), conflicts: tuple[Conflict, ...] = ()) -> Answer:
    return Answer("q", text, not cites, tuple(_cite(s) for s in cites), conflicts=conflicts)


FIRE_CONFLICT = Conflict("homes", CONTRADICTION, (_side("fire/a.txt", "12"), _side("fire/b.txt", "15")))


def test_a_right_answer_cites_evidence_and_every_key_fact() -> None:
    q = _question("right")
    good = check(q.seed, _answer("12 homes [1]", cites=("fire/a.txt",)), 0.0, _article)
    missing = check(q.seed, _answer("Some homes [1]", cites=("fire/b.txt",)), 0.0, _article)
    assert devset.answers_right([good, missing]) == 0.5


def test_conflicts_found_needs_a_contradiction_between_the_planted_pair() -> None:
    q = _question("c", conflict=True)
    found = check(
        q.seed, _answer("12 or 15 [1]", cites=("fire/a.txt",), conflicts=(FIRE_CONFLICT,)), 0.0, _article
    )
    timed = Conflict("homes", DIFFERENT_TIME, FIRE_CONFLICT.sides)
    other_kind = check(q.seed, _answer("12 [1]", cites=("fire/a.txt",), conflicts=(timed,)), 0.0, _article)
    assert devset.conflicts_found([found, other_kind]) == 0.5


def test_false_contradictions_and_refusals_count_only_their_own_questions() -> None:
    plain, none = _question("plain"), _question("none", unanswerable=True)
    flagged = check(
        plain.seed, _answer("12 [1]", cites=("fire/a.txt",), conflicts=(FIRE_CONFLICT,)), 0.0, _article
    )
    refused_answerable = check(plain.seed, _answer("No source says."), 0.0, _article)
    refused_unanswerable = check(none.seed, _answer("No source says."), 0.0, _article)
    results = [flagged, refused_answerable, refused_unanswerable]
    assert devset.false_contradictions(results) == 0.5
    assert devset.wrongly_refused(results) == 0.5
    assert devset.refused(results) == 1.0


def test_a_quote_not_cut_from_its_article_is_not_verbatim() -> None:
    q = _question("v")
    bad = Citation(1, "fire/a.txt", "", "", "", "The blaze destroyed 13 homes", 0, 28)
    answer = Answer("q", "13 homes [1]", False, (bad,))
    assert devset.verbatim([check(q.seed, answer, 0.0, _article)]) == 0.0


def test_follow_ups_asked_with_the_assistants_own_answers_get_a_row_of_their_own() -> None:
    q = replace(_question("f"), category="follow-up", history=(("What burned?", "Homes."),))
    right = check(q.seed, _answer("12 homes [1]", cites=("fire/a.txt",)), 0.0, _article)
    refused = check(q.seed, _answer("No source says."), 0.0, _article)
    table = devset.category_table([devset.Scored(q, right, right, False, own_history=refused)])
    own = [line for line in table if devset.OWN_HISTORY in line]
    assert own == [f"| {q.split} | {devset.OWN_HISTORY} | 1 | 0.000 | – | 0.000 | 1.000 |"]
    assert any(f"| {q.split} | follow-up | 1 | 1.000 |" in line for line in table)


def _off(refused: bool, noted: bool = False) -> Answer:
    """An answer to an off-topic question: declined, or answered with or without the words-only note."""
    return Answer("q", "No." if refused else "Something [1].", refused, notes=(WORDS_ONLY,) if noted else ())


def test_off_topic_answers_get_rows_per_split_beside_a_naive_pipeline_that_refuses_none() -> None:
    q = _question("a")
    right = check(q.seed, _answer("12 homes [1]", cites=("fire/a.txt",)), 0.0, _article)
    scored = [devset.Scored(q, right, right, False)]
    off_topic_answers = {
        "tune": [_off(True), _off(False, noted=True), _off(True), _off(False)],
        "check": [_off(False)],
    }
    table = devset.summary_table(scored, off_topic_answers)
    assert f"| {devset.OFF_TOPIC} | 0.500 | 0.000 | 0.000 | 0.000 | – |" in table
    assert f"| {devset.OFF_TOPIC_NOTED} | 0.500 | 0.000 | 0.000 | 0.000 | – |" in table  # of those answered
    assert "| off-topic questions | 4 public-set questions |  | 1 public-set questions |  |" in table
    assert not any(devset.OFF_TOPIC in line for line in devset.summary_table(scored))
    rows = {r.metric: r for r in devset.rows(scored, "tune", off_topic_answers)}
    assert (rows[devset.OFF_TOPIC].ours, rows[devset.OFF_TOPIC].naive) == (0.5, 0.0)
    assert rows[devset.OFF_TOPIC].n == "4 public-set questions"
    assert all(r.metric != devset.OFF_TOPIC for r in devset.rows(scored, "tune", {"check": [_off(True)]}))


def test_answerable_answers_noted_as_words_only_are_counted_among_those_answered() -> None:
    q = _question("a")
    plain = check(q.seed, _answer("12 homes [1]", cites=("fire/a.txt",)), 0.0, _article)
    noted = replace(plain, answer=replace(plain.answer, notes=(WORDS_ONLY,)))
    declined = check(q.seed, _answer("No source says."), 0.0, _article)
    assert devset.noted([plain, noted, declined]) == 0.5
    unanswerable = check(_question("u", unanswerable=True).seed, noted.answer, 0.0, _article)
    assert devset.noted([plain, unanswerable]) == 0.0  # only answerable questions count


def _public_sets(root: Path, count: int) -> None:
    """Files shaped like the two public sets, each holding `count` numbered questions."""
    for name, _ in OFF_TOPIC_SETS:
        path = root / name
        path.parent.mkdir(parents=True)
        records = [{"question": f"{path.parent.name}  question {n}?"} for n in range(count)]
        text = "\n".join(map(json.dumps, records)) if name.endswith(".jsonl.gz") else json.dumps(records)
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(text)


def test_off_topic_questions_of_the_two_splits_are_disjoint_shares_of_each_set(tmp_path: Path) -> None:
    _public_sets(tmp_path, 40)
    tune, check_ = off_topic(tmp_path, "tune"), off_topic(tmp_path, "check")
    strides = dict(OFF_TOPIC_SETS)
    assert len(tune) == len(check_) == sum(40 // every for every in strides.values())
    assert not set(tune) & set(check_)
    assert "ramdocs question 0?" in tune and "ramdocs question 2?" in check_  # spaces made single
    assert {q.split()[0] for q in tune} == {"ramdocs", "qacc-conflictqa"}
    assert off_topic(tmp_path, "tune") == tune


class _Recording:
    """An assistant that answers each question with its number and records the histories it saw."""

    def __init__(self) -> None:
        self.seen: list[tuple[tuple[str, str], ...]] = []

    def ask(self, question: str, history: tuple[tuple[str, str], ...] = ()) -> Answer:
        self.seen.append(history)
        return Answer(question, f"answer {len(self.seen)}", False)


def test_off_topic_questions_are_asked_without_history_and_scored_by_refusal(monkeypatch) -> None:
    monkeypatch.setattr(devset, "off_topic", lambda shared, split: [f"{split} one?", f"{split} two?"])
    assistant = _Recording()
    answers = devset.ask_off_topic(assistant, ["check"])  # type: ignore[arg-type]
    assert [(a.question, a.abstained) for a in answers["check"]] == [
        ("check one?", False),
        ("check two?", False),
    ]
    assert assistant.seen == [(), ()]


def test_own_history_feeds_each_answer_to_the_next_turn() -> None:
    assistant = _Recording()
    turns = devset.own_history(assistant, ["first?", "second?"])  # type: ignore[arg-type]
    assert turns == (("first?", "answer 1"), ("second?", "answer 2"))
    assert assistant.seen == [(), (("first?", "answer 1"),)]


def test_corpus_report_counts_cross_story_sides_and_planted_pairs() -> None:
    cross = Conflict("count", CONTRADICTION, (_side("fire/a.txt", "12"), _side("vote/a.txt", "7")))
    questions = [_question("c", conflict=True)]
    report = devset.corpus_report([FIRE_CONFLICT, cross], questions)
    assert (report.reported, report.cross_story, report.planted, report.planted_found) == (2, 1, 1, 1)
    assert devset.corpus_report([cross], questions).planted_found == 0


def test_a_planted_pair_listed_about_something_else_does_not_show_its_key_facts() -> None:
    q = _question("c", conflict=True)
    planted = DevQuestion(
        replace(q.seed, must_mention=(("12",), ("15",))), q.story, q.split, q.category, (), ()
    )
    report = devset.corpus_report([FIRE_CONFLICT], [planted])
    assert (report.planted_found, report.planted_stated) == (1, 1)
    elsewhere = Conflict("day", CONTRADICTION, (_quoted("fire/a.txt", 0, 16), _quoted("fire/b.txt", 0, 19)))
    assert devset.corpus_report([elsewhere], [planted]).planted_found == 1
    assert devset.corpus_report([elsewhere], [planted]).planted_stated == 0


def _quoted(source: str, start: int, end: int) -> ConflictSide:
    text = TEXTS[source]
    return ConflictSide(source, "", "", text[start:end], start, end, "")


def test_the_question_files_load_with_splits_by_story() -> None:
    questions = load()
    assert len(questions) >= 250
    assert len({q.story for q in questions}) >= 40
    assert {q.split for q in questions} == set(SPLITS)
    assert {q.category for q in questions} == set(CATEGORIES)
    assert all(q.split == split_of(q.story) for q in questions)
    assert all(q.history for q in questions if q.category == "follow-up")
