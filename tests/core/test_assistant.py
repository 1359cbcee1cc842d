"""The Assistant end to end on the bundled articles: real model, real Chroma, fakes only for the LLM."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.answer import Answer
from assistant.compose import WORDS_ONLY
from assistant.core import Assistant, clean_question
from assistant.errors import InvalidQuestion
from index.build import Builder
from index.embed import Embedder
from index.settings import IndexSettings, Settings, StoreSettings
from index.store import Store

REPO = Path(__file__).resolve().parents[2]
CALL = "How long did the Biden-Netanyahu phone call last?"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    path = tmp_path_factory.mktemp("store")
    store = Store(StoreSettings(path=path), embedder.name)
    Builder(store, embedder, IndexSettings()).build([REPO / "data" / "articles"])
    store.client.close()
    return path


@pytest.fixture(scope="module")
def settings(store_dir: Path) -> Settings:
    settings = Settings()
    settings.store.path = store_dir
    return settings


@pytest.fixture(scope="module")
def assistant(settings: Settings, embedder: Embedder) -> Iterator[Assistant]:
    assistant = Assistant(settings, embedder=embedder)
    yield assistant


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs `python -m assistant ARGS` offline in the repository."""
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _verbatim(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        assert assistant.article(c.source).text[c.start : c.end] == c.quote
    for conflict in answer.conflicts:
        for side in conflict.sides:
            assert assistant.article(side.source).text[side.start : side.end] == side.quote


@pytest.mark.parametrize("question", ["", "   ", "\x00\x01", "x" * 100_000])
def test_bad_questions_are_refused_with_a_message(question: str) -> None:
    with pytest.raises(InvalidQuestion):
        clean_question(question)


def test_control_characters_are_removed() -> None:
    assert clean_question("How\x00 long\u200b did\n it last?") == "How long did it last?"


@pytest.mark.slow
def test_call_length_cites_both_durations_and_states_the_conflict(assistant: Assistant) -> None:
    answer = assistant.ask(CALL)
    cited = {c.source for c in answer.citations}
    assert {"001_7ca6027d49f55e8b.txt", "002_ede3a99fe171a0a6.txt"} <= cited
    quotes = " ".join(c.quote for c in answer.citations)
    assert "30-minute" in quotes and "50 minutes" in quotes
    assert any(c.kind == "contradiction" for c in answer.conflicts)
    assert "differ" in answer.answer
    _verbatim(assistant, answer)


@pytest.mark.slow
def test_markers_match_citations(assistant: Assistant) -> None:
    import re

    answer = assistant.ask("What did John Kirby say about flour deliveries to Gaza?")
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers == {c.id for c in answer.citations}
    assert "Ashdod" in answer.answer
    _verbatim(assistant, answer)


@pytest.mark.slow
def test_unanswerable_question_abstains(assistant: Assistant) -> None:
    answer = assistant.ask("What did Biden and Netanyahu agree about Ukraine?")
    assert answer.abstained
    assert answer.citations == ()
    assert "do not answer" in answer.answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    ["What is the boiling point of water at sea level?", "Which team won the 1998 World Cup final?"],
)
def test_a_question_about_nothing_the_articles_say_abstains(assistant: Assistant, question: str) -> None:
    assert assistant.ask(question).abstained


@pytest.mark.slow
def test_an_answer_resting_on_the_questions_words_alone_is_noted_and_a_close_one_is_not(
    assistant: Assistant,
) -> None:
    words_only = assistant.ask("Which house is white?")  # "White House", but nothing about houses
    assert not words_only.abstained and WORDS_ONLY in words_only.notes
    assert WORDS_ONLY not in assistant.ask(CALL).notes


@pytest.mark.slow
def test_a_name_no_article_mentions_is_refused_but_a_capitalised_function_word_is_no_name(
    assistant: Assistant,
) -> None:
    assert assistant._unknown_names("Did Biden call Zelvorian Prime Minister Qarthos?") == [
        "Zelvorian",
        "Qarthos",
    ]
    assert assistant._unknown_names("How long did The call between Biden and Netanyahu last Now?") == []
    assert assistant._unknown_names("Was the call OK?") == []  # "OK" names nothing
    assert assistant.ask("How long did Biden talk to Qarthos?").abstained


@pytest.mark.slow
def test_stream_yields_text_then_the_answer(assistant: Assistant) -> None:
    events = list(assistant.stream(CALL))
    assert isinstance(events[-1], Answer)
    text = "".join(e for e in events[:-1] if isinstance(e, str))
    assert text == events[-1].answer


@pytest.mark.slow
def test_follow_up_uses_the_history(assistant: Assistant) -> None:
    first = assistant.ask("What did John Kirby say about flour deliveries to Gaza?")
    follow = assistant.ask("Which port did he mention?", history=[(first.question, first.answer)])
    assert "Ashdod" in follow.answer


def test_the_answer_reads_the_whole_of_each_retrieved_article(tmp_path: Path, embedder: Embedder) -> None:
    # Retrieval keeps one passage, the opening that repeats the question's words; the sentence that
    # answers it sits in a later chunk of the same article, and the answer quotes it from there.
    folder = tmp_path / "articles"
    folder.mkdir()
    lead = (
        "Inspectors boarded the ferry at Dunmore on Monday for a safety inspection. "
        "The Dunmore ferry inspection followed complaints from passengers. "
    )
    filler = " ".join(
        f"Harbour trade figures for quarter {n} were published by the port authority." for n in range(8)
    )
    (folder / "ferry.txt").write_text(lead + filler + " The ferry inspection at Dunmore took four hours.")
    store = Store(StoreSettings(path=tmp_path / "store"), embedder.name)
    Builder(store, embedder, IndexSettings()).build([folder])
    store.client.close()
    settings = Settings()
    settings.store.path = tmp_path / "store"
    settings.retrieval.top_k, settings.retrieval.per_article = 1, 1
    one = Assistant(settings, embedder=embedder)
    question = "How long did the ferry inspection at Dunmore last?"
    _, passages, articles = one.passages(question)
    assert len(passages) == 1 and "four hours" not in passages[0].chunk.text

    answer = one.ask(question)
    (cited,) = [c for c in answer.citations if "four hours" in c.quote]
    assert articles["ferry.txt"].text[cited.start : cited.end] == cited.quote
    assert not answer.abstained


@pytest.mark.slow
def test_failing_backend_falls_back_with_a_note(settings: Settings, embedder: Embedder) -> None:
    class Broken(GenericFakeChatModel):
        def _generate(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionError("server at 127.0.0.1:9 refused the connection")

        def _stream(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionError("server at 127.0.0.1:9 refused the connection")

    broken = Broken(messages=iter([]))
    answer = Assistant(settings, chat_model=broken, embedder=embedder).ask(CALL)
    assert any("failed" in n for n in answer.notes)
    assert answer.citations and not answer.abstained


@pytest.mark.slow
def test_unsupported_model_claims_never_reach_the_user(settings: Settings, embedder: Embedder) -> None:
    liar = FakeListChatModel(responses=["The call lasted 9 hours and ended with a peace treaty on Mars [1]."])
    answer = Assistant(settings, chat_model=liar, embedder=embedder).ask(CALL)
    assert "Mars" not in answer.answer
    assert "9 hours" not in answer.answer
    assert answer.notes  # the user is told the extractive answer replaced the model's


@pytest.mark.slow
def test_supported_model_sentence_is_kept_with_verbatim_citation(
    settings: Settings, embedder: Embedder
) -> None:
    assistant = Assistant(settings, chat_model=None, embedder=embedder)
    passages = assistant.retriever.retrieve("What did John Kirby say about flour deliveries to Gaza?")
    ashdod = next(p for p in passages if "Ashdod" in p.chunk.text)
    reply = f"Kirby said Biden welcomed the decision to allow the transfer of flour to Gaza from the port of Ashdod [{ashdod.number}]."
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    answer = Assistant(settings, chat_model=model, embedder=embedder).ask(
        "What did John Kirby say about flour deliveries to Gaza?"
    )
    assert "Ashdod" in answer.answer
    assert not answer.notes
    assert any(c.source == ashdod.source for c in answer.citations)
    _verbatim(assistant, answer)


@pytest.mark.slow
def test_cli_json_shape(store_dir: Path) -> None:
    done = _cli("ask", CALL, "--json", "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"question", "answer", "abstained", "citations", "conflicts", "notes", "related"}
    assert set(data["citations"][0]) == {
        "id",
        "source",
        "title",
        "outlet",
        "published",
        "quote",
        "start",
        "end",
    }
    assert {"topic", "kind", "sides"} <= set(data["conflicts"][0])


@pytest.mark.slow
def test_cli_questions_file_answers_each_line(store_dir: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"question": CALL}) + "\n" + json.dumps({"question": "Who joined the call?"}) + "\n"
    )
    done = _cli("ask", "--questions", str(questions), "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["question"] for line in lines] == [CALL, "Who joined the call?"]


@pytest.mark.slow
def test_cli_conflicts_report_lists_both_disagreements(store_dir: Path) -> None:
    done = _cli("conflicts", "--json", "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    stories = json.loads(done.stdout)
    assert all(set(s) == {"story", "story_label", "conflicts"} and s["story"] for s in stories)
    found = [c for s in stories for c in s["conflicts"]]
    quotes = [" ".join(s["quote"] for s in c["sides"]) for c in found if c["kind"] == "contradiction"]
    assert any("30-minute" in q and "50 minutes" in q for q in quotes)
    assert any("no casualties" in q and "lone Palestinian" in q for q in quotes)


@pytest.mark.slow
def test_cli_stories_lists_each_story_with_its_articles_and_conflicts(store_dir: Path) -> None:
    done = _cli("stories", "--json", "--store", str(store_dir))
    assert done.returncode == 0, done.stderr
    stories = json.loads(done.stdout)
    listed = sorted(a["id"] for s in stories for a in s["articles"])
    assert listed == sorted(p.name for p in (REPO / "data" / "articles").glob("*.txt"))
    for story in stories:
        assert story["id"].startswith("story-") and story["label"]
        assert {"outlets", "first_published", "last_published", "conflict_count"} <= set(story)
    assert sum(s["conflict_count"] for s in stories) >= 2
    text = _cli("stories", "--store", str(store_dir))
    assert text.returncode == 0 and stories[0]["label"] in text.stdout


def test_the_story_report_is_computed_once_per_store_generation_for_the_pages_and_the_api(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from assistant import stories
    from assistant.web.library import Library
    from assistant.web.page import WebChat

    computed: list[int] = []
    report = stories.story_report

    def counted(*args: object, **kwargs: object) -> list[stories.StorySummary]:
        computed.append(1)
        return report(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stories, "story_report", counted)
    assistant.store.touch()  # a new generation: whatever an earlier test computed is stale
    library, chat, compact = Library(assistant), WebChat(assistant), WebChat(assistant)
    with ThreadPoolExecutor(4) as pool:  # a page load and API calls arriving together
        first, *others = pool.map(lambda f: f(), [library.stories, chat._story_report, compact._story_report])
    assert len(computed) == 1 and all(other is first for other in others)
    assert sum(len(s.conflicts) for s in first) >= 2
    assistant.store.touch()
    again = library.stories()
    assert len(computed) == 2 and again is not first and chat._story_report() is again
    assert [s.to_json() for s in again] == [s.to_json() for s in first]


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Did Iran's October 1 attack kill anyone?",
        "Did Iran's October 1 attack on Israel kill anyone?",
        "Was anyone killed in Iran's October 1 missile attack?",
        "Did the Iranian attack on October 1 cause casualties?",
    ],
)
def test_casualty_questions_in_other_words_quote_both_sides(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    quotes = [" ".join(s.quote for s in c.sides) for c in answer.conflicts if c.kind == "contradiction"]
    assert any("no casualties" in q and "lone Palestinian" in q for q in quotes), answer.answer
