"""The development set (`bench/devset/`): ours and the naive pipeline on every question, scored per
split and per category, and the corpus-wide conflict report on the multi-story corpus.

    python -m bench.quality.devset                     # both splits; writes the `devset` section
    python -m bench.quality.devset --quick             # the check split only (< 3 min once built)
    python -m bench.quality.devset --split tune --details   # failures of tune questions, no write

Rules are written while reading `tune` questions only; `check` is the figure that predicts unseen
articles. Answers are scored by the seed questions' checks (`bench.quality.seeds.check`). Each split
is also asked its share of off-topic questions (`bench.devset.questions.off_topic`: the public sets'
trivia and search questions, which no development article answers), scored by whether they are
refused.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer import CONTRADICTION, Answer, Conflict
from assistant.compose import WORDS_ONLY
from bench.devset.questions import CATEGORIES, SPLITS, DevQuestion, corpus, load, off_topic, shared_data
from bench.quality.seeds import SeedResult, check
from bench.report import REPO_ROOT
from bench.rows import Row, cell
from index.article import Article

if TYPE_CHECKING:
    from assistant.core import Assistant
    from index.embed import Embedder

DATASET = "development set"
OWN_HISTORY = "follow-up, the assistant's own answers as history"
OFF_TOPIC = "off-topic refused"
OFF_TOPIC_NOTED = "off-topic answered, noted as words only"
OffTopic = dict[str, list[Answer]]  # by split: the answer to each off-topic question


@dataclass(frozen=True)
class Scored:
    """One question answered by ours and by the naive responder (with its baseline conflict flag)."""

    question: DevQuestion
    ours: SeedResult
    naive: SeedResult
    naive_flag: bool
    # A follow-up asked again after the assistant answered its earlier turns itself: the history the
    # chat and the API pass back, where `ours` reads the reference answers of the question file.
    own_history: SeedResult | None = None


@dataclass(frozen=True)
class CorpusReport:
    """The corpus-wide report over one split's stories."""

    reported: int
    cross_story: int
    planted: int
    planted_found: int
    planted_stated: int = 0  # of those, listed with sides quoting two different key facts


def story_of(source: str) -> str:
    """The story an article id belongs to: its first path component."""
    return source.split("/", 1)[0]


# --- measures -------------------------------------------------------------------------------------


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def answers_right(rs: Sequence[SeedResult]) -> float | None:
    """Answerable questions with evidence cited and every key fact present."""
    return _share([r.passed for r in rs if not r.question.unanswerable])


def conflicts_found(rs: Sequence[SeedResult]) -> float | None:
    """Conflict questions whose contradiction was reported between the expected articles."""
    return _share([r.conflict_ok for r in rs if r.question.conflict])


def false_contradictions(rs: Sequence[SeedResult]) -> float | None:
    """Answerable questions without a conflict that got a contradiction all the same."""
    return _share(
        [bool(r.contradictions) for r in rs if not r.question.conflict and not r.question.unanswerable]
    )


def refused(rs: Sequence[SeedResult]) -> float | None:
    """Unanswerable questions the answer declined."""
    return _share([r.answer.abstained for r in rs if r.question.unanswerable])


def wrongly_refused(rs: Sequence[SeedResult]) -> float | None:
    """Answerable questions the answer declined."""
    return _share([r.answer.abstained for r in rs if not r.question.unanswerable])


def noted(rs: Sequence[SeedResult]) -> float | None:
    """Answered answerable questions whose answer says its sentences share only the question's words
    (`compose.WORDS_ONLY`)."""
    return words_only([r.answer for r in rs if not r.question.unanswerable])


def off_topic_refused(answers: Sequence[Answer]) -> float | None:
    """Off-topic questions that the answer declined."""
    return _share([a.abstained for a in answers])


def words_only(answers: Sequence[Answer]) -> float | None:
    """Of the questions answered, those whose answer says its sentences share only their words."""
    return _share([WORDS_ONLY in a.notes for a in answers if not a.abstained])


def verbatim(rs: Sequence[SeedResult]) -> float | None:
    """Quotes (citations and conflict sides) cut exactly from their article."""
    quotes = sum(r.quotes for r in rs)
    return (quotes - sum(len(r.bad_quotes) for r in rs)) / quotes if quotes else None


MEASURES: tuple[tuple[str, Callable[[Sequence[SeedResult]], float | None], str], ...] = (
    ("answers right", answers_right, ">= 0.85"),
    ("conflicts found", conflicts_found, ">= 0.80"),
    ("false contradictions", false_contradictions, "<= 0.05"),
    ("unanswerable refused", refused, ">= 0.85"),
    ("answerable wrongly refused", wrongly_refused, "<= 0.05"),
    ("quotes verbatim", verbatim, "1.000"),
    ("answerable answered, noted as words only", noted, "–"),
)


def naive_results(scored: Sequence[Scored]) -> list[SeedResult]:
    """The naive responder's results with its baseline flag standing in for reported contradictions."""
    out = []
    for s in scored:
        flagged = (("baseline",),) if s.naive_flag else ()
        r = s.naive
        ok = s.naive_flag if r.question.conflict else not s.naive_flag
        out.append(
            SeedResult(
                r.question,
                r.answer,
                r.seconds,
                r.evidence_hit,
                r.missing,
                r.bad_quotes,
                r.quotes,
                list(flagged),
                ok,
                r.failures,
            )
        )
    return out


def corpus_report(found: Sequence[Conflict], questions: Sequence[DevQuestion]) -> CorpusReport:
    """How the corpus-wide conflicts compare with the planted ones of `questions`."""
    stories = {q.story for q in questions}
    mine = [c for c in found if {story_of(s.source) for s in c.sides} & stories]
    contradictions = [{s.source for s in c.sides} for c in mine if c.kind == CONTRADICTION]
    facts: dict[frozenset[str], list[Sequence[Sequence[str]]]] = {}
    for q in questions:
        for p in q.seed.conflict_between if q.seed.conflict else ():
            facts.setdefault(frozenset(p), []).append(q.seed.must_mention)
    hit = sum(any(pair <= sides for sides in contradictions) for pair in facts)
    stated = sum(
        any(_quotes_apart(c, pair, groups) for c in mine if c.kind == CONTRADICTION for groups in facts[pair])
        for pair in facts
    )
    cross = sum(len({story_of(s.source) for s in c.sides}) > 1 for c in mine)
    return CorpusReport(len(mine), cross, len(facts), hit, stated)


def _quotes_apart(conflict: Conflict, pair: frozenset[str], groups: Sequence[Sequence[str]]) -> bool:
    """Whether the conflict quotes the two articles of `pair` stating two different key facts (a
    conflict listed between them about something else does not show the planted disagreement)."""
    stated: dict[str, set[int]] = {source: set() for source in pair}
    for side in conflict.sides:
        if side.source in stated:
            quote = side.quote.lower()
            stated[side.source] |= {n for n, g in enumerate(groups) if any(alt.lower() in quote for alt in g)}
    first, second = stated.values()
    return any(x != y for x in first for y in second)


# --- running --------------------------------------------------------------------------------------


def build(
    questions: Sequence[DevQuestion], embedder: Embedder, cache: Path
) -> tuple[Assistant, dict[str, str]]:
    """The assistant over the corpus of `questions` (built incrementally under `cache`), and the
    cleaned text of every article for the naive responder."""
    from assistant.core import Assistant
    from bench.corpus import build_store, store_settings

    stories = sorted({q.story for q in questions})
    home = cache / f"devset-{hashlib.sha256(' '.join(stories).encode()).hexdigest()[:12]}"
    folder = home / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    corpus(folder, shared_data(REPO_ROOT), questions)
    settings = store_settings(home / "store")
    store = build_store(folder, settings, embedder)
    assistant = Assistant(settings, store=store, embedder=embedder)
    texts = {source: assistant.article(source).text for source in sorted(store.records())}
    return assistant, texts


def answer_all(
    questions: Sequence[DevQuestion], assistant: Assistant, texts: dict[str, str], cache: Path
) -> list[Scored]:
    """Ask every question of ours (with its history) and of the naive responder, and check both."""
    from bench.corpus import corpus_key
    from bench.quality.conflict_eval import Case, baseline
    from bench.quality.parts import cited_articles, naive_index, stuffer
    from index.embed import Embedder

    if not isinstance(assistant.embedder, Embedder):
        raise TypeError("the naive pipeline reads the packaged model: build with an index.embed.Embedder")
    docs = sorted(texts.items())
    naive = naive_index(cache / f"devset-naive-{corpus_key(docs)}", docs, assistant.embedder)
    stuff = stuffer(naive)
    assistant.ask(questions[0].seed.question)  # warm-up: models and the BM25 snapshot
    out = []
    for q in questions:
        began = time.perf_counter()
        answer = assistant.ask(q.seed.question, history=q.history)
        ours = check(q.seed, answer, time.perf_counter() - began, assistant.article)
        theirs_answer = stuff(q.seed.question)
        theirs = check(q.seed, theirs_answer, 0.0, lambda s: Article(s, texts[s]))
        flag = baseline(Case(q.seed.question, cited_articles(theirs_answer), False))
        own = None
        if q.history:
            history = own_history(assistant, [asked for asked, _ in q.history])
            own = check(q.seed, assistant.ask(q.seed.question, history=history), 0.0, assistant.article)
        out.append(Scored(q, ours, theirs, flag, own))
    return out


def ask_off_topic(assistant: Assistant, splits: Sequence[str]) -> OffTopic:
    """Each split's off-topic questions answered, without history."""
    shared = shared_data(REPO_ROOT)
    return {split: [assistant.ask(q) for q in off_topic(shared, split)] for split in splits}


def own_history(assistant: Assistant, questions: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The turns of a conversation in which the assistant answered each of `questions` in turn."""
    turns: list[tuple[str, str]] = []
    for asked in questions:
        turns.append((asked, assistant.ask(asked, history=tuple(turns)).answer))
    return tuple(turns)


def corpus_conflicts(assistant: Assistant, texts: dict[str, str]) -> list[Conflict]:
    """The corpus-wide report over every article of the development set."""
    from assistant.conflicts.detect import corpus_conflicts as detect

    return detect({source: assistant.article(source) for source in texts}, assistant.sentence_vectors)


# --- tables ---------------------------------------------------------------------------------------


def rows(scored: Sequence[Scored], split: str, off_topic_answers: OffTopic | None = None) -> list[Row]:
    """Rows for the main evaluation table: each measure, ours beside the naive responder (which
    refuses nothing), and the off-topic questions refused where they were asked."""
    mine = [s for s in scored if s.question.split == split]
    ours, theirs = [s.ours for s in mine], naive_results(mine)
    label = f"{len(mine)} questions, {len({s.question.story for s in mine})} stories"
    out = [Row(f"{DATASET} ({split})", name, f(ours), f(theirs), label) for name, f, _ in MEASURES]
    asked = (off_topic_answers or {}).get(split, [])
    if asked:
        n = f"{len(asked)} public-set questions"
        out.append(Row(f"{DATASET} ({split})", OFF_TOPIC, off_topic_refused(asked), 0.0, n))
        out.append(Row(f"{DATASET} ({split})", OFF_TOPIC_NOTED, words_only(asked), 0.0, n))
    return out


def summary_table(scored: Sequence[Scored], off_topic_answers: OffTopic | None = None) -> list[str]:
    """Each measure per split, ours and the naive responder, with the target; then the off-topic
    questions refused, where they were asked."""
    head = "| measure | " + " | ".join(f"{s}: ours | {s}: naive" for s in SPLITS) + " | target |"
    lines = [head, "|---|" + "---|---|" * len(SPLITS) + "---|"]
    by_split = {sp: [s for s in scored if s.question.split == sp] for sp in SPLITS}
    for name, f, target in MEASURES:
        cells = [
            f"{cell(f([s.ours for s in by_split[sp]]))} | {cell(f(naive_results(by_split[sp])))}"
            for sp in SPLITS
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    if off_topic_answers:
        # The naive pipeline refuses nothing and notes nothing.
        naive = {sp: cell(0.0 if off_topic_answers.get(sp) else None) for sp in SPLITS}
        for label, share in ((OFF_TOPIC, off_topic_refused), (OFF_TOPIC_NOTED, words_only)):
            shown = [f"{cell(share(off_topic_answers.get(sp, [])))} | {naive[sp]}" for sp in SPLITS]
            lines.append(f"| {label} | " + " | ".join(shown) + " | – |")
    counts = [
        f"{len(by_split[sp])} questions, {len({s.question.story for s in by_split[sp]})} stories"
        for sp in SPLITS
    ]
    lines.append("| questions | " + " | ".join(f"{c} | " for c in counts) + " |")
    if off_topic_answers:
        shown = [f"{len(off_topic_answers.get(sp, []))} public-set questions | " for sp in SPLITS]
        lines.append("| off-topic questions | " + " | ".join(shown) + " |")
    return lines


def category_table(scored: Sequence[Scored]) -> list[str]:
    """Ours per split and category: how many, answers right, conflicts found, false contradictions,
    refusals."""
    lines = [
        "| split | category | n | answers right | conflicts found | false contradictions | refused |",
        "|---|---|---|---|---|---|---|",
    ]
    for split in SPLITS:
        for category in CATEGORIES:
            rs = [s.ours for s in scored if s.question.split == split and s.question.category == category]
            if not rs:
                continue
            lines.append(_category_row(split, category, rs))
        own = [s.own_history for s in scored if s.question.split == split and s.own_history is not None]
        if own:
            lines.append(_category_row(split, OWN_HISTORY, own))
    return lines


def _category_row(split: str, category: str, rs: Sequence[SeedResult]) -> str:
    refusals = refused(rs) if category == "unanswerable" else wrongly_refused(rs)
    shown = [answers_right(rs), conflicts_found(rs), false_contradictions(rs), refusals]
    return f"| {split} | {category} | {len(rs)} | " + " | ".join(cell(v) for v in shown) + " |"


def corpus_table(found: Sequence[Conflict], questions: Sequence[DevQuestion]) -> list[str]:
    """The corpus-wide report per split."""
    lines = [
        "| split | conflicts reported | sides from different stories | planted conflicts listed "
        "| listed quoting the planted key facts |",
        "|---|---|---|---|---|",
    ]
    for split in SPLITS:
        report = corpus_report(found, [q for q in questions if q.split == split])
        share = cell(report.planted_found / report.planted) if report.planted else "–"
        stated = cell(report.planted_stated / report.planted) if report.planted else "–"
        lines.append(
            f"| {split} | {report.reported} | {report.cross_story} "
            f"| {report.planted_found}/{report.planted} ({share}) "
            f"| {report.planted_stated}/{report.planted} ({stated}) |"
        )
    return lines


def details(scored: Sequence[Scored]) -> list[str]:
    """Every failing question of ours with its reasons."""
    out = []
    for s in scored:
        if s.ours.failures:
            out.append(f"- {s.question.seed.id} [{s.question.category}] {s.question.seed.question}")
            out += [f"    - {f}" for f in s.ours.failures]
    return out


def section(
    scored: Sequence[Scored],
    found: Sequence[Conflict],
    questions: Sequence[DevQuestion],
    off_topic_answers: OffTopic | None = None,
) -> str:
    """The Markdown of the `devset` section."""
    parts = [
        "Per split, ours beside the naive pipeline (top-4 chunks stuffed; its conflicts from the baseline "
        "detector). Off-topic questions are the public sets' trivia and search questions (RAMDocs, QACC), "
        "which no development article answers; each split asks its own share of them:",
        "",
        *summary_table(scored, off_topic_answers),
        "",
        "Ours per category. Follow-ups read the reference answers of the question file as their history; "
        f"the row “{OWN_HISTORY}” asks them again after the assistant answered the earlier turns itself, "
        "as in the chat and the API:",
        "",
        *category_table(scored),
        "",
        "Corpus-wide report (`corpus_conflicts`) over the multi-story corpus of all stories:",
        "",
        *corpus_table(found, questions),
    ]
    return "\n".join(parts)


# --- command line ---------------------------------------------------------------------------------


def evaluate(
    questions: Sequence[DevQuestion], embedder: Embedder, cache: Path
) -> tuple[list[Scored], list[Conflict], OffTopic]:
    """Answer and score `questions`, run the corpus-wide report over their stories, and ask each of
    their splits its off-topic questions."""
    assistant, texts = build(questions, embedder, cache)
    scored = answer_all(questions, assistant, texts, cache)
    splits = [sp for sp in SPLITS if any(q.split == sp for q in questions)]
    return scored, corpus_conflicts(assistant, texts), ask_off_topic(assistant, splits)


def main(argv: list[str] | None = None) -> int:
    """Run the development set; returns the process exit code."""
    from bench.corpus import CACHE_DIR, prepare_process
    from bench.report import stamp, update_section
    from index.embed import Embedder
    from index.settings import Settings

    parser = argparse.ArgumentParser(
        prog="python -m bench.quality.devset", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="the check split only")
    parser.add_argument("--split", choices=SPLITS, help="one split only (no write)")
    parser.add_argument("--details", action="store_true", help="list every failing question (no write)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="where the built store is kept")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    prepare_process()
    split = "check" if args.quick and not args.split else args.split
    questions = [q for q in load() if split is None or q.split == split]
    began = time.perf_counter()
    embedder = Embedder.from_settings(Settings().embedding)
    scored, found, off_topic_answers = evaluate(questions, embedder, args.cache)
    body = section(scored, found, questions, off_topic_answers)
    command = " ".join(["python -m bench.quality.devset", *(argv if argv is not None else sys.argv[1:])])
    print(f"\n`{command}`: {(time.perf_counter() - began) / 60:.1f} min\n\n{body}")
    if args.details:
        print("\n" + "\n".join(details(scored)))
    if not (args.details or args.no_write or args.split):
        update_section("devset-quick" if args.quick else "devset", f"{stamp(command)}\n\n{body}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
