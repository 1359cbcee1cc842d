"""The data sets of `python -m bench.quality.eval`: each opens (or builds) its stores, answers or ranks its
questions with ours and with the naive baseline in the same process, and returns its table rows.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer import Answer
from bench.metrics import mean, share
from bench.quality import citations, generative
from bench.quality.generative import MODEL
from bench.rows import Row
from index.article import Article

if TYPE_CHECKING:
    from assistant.core import Assistant
    from bench.naive import NaiveRetriever
    from bench.quality.conflict_eval import Tally
    from bench.quality.eval import Plan
    from bench.quality.generative import Budget
    from bench.quality.retrieval import Query
    from bench.quality.seeds import SeedResult
    from index.embed import Embedder

log = logging.getLogger(__name__)


class _Laps:
    """Prints the seconds each step of a part took, on stderr."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        print(f"  {self.part}: {step} {now - self.last:.0f} s", file=sys.stderr)
        self.last = now


SEEDS = "bundled articles"
RAMDOCS = "RAMDocs pooled"
CONFLICTQA = "ConflictQA test"


def seeds(
    plan: Plan, articles: Path, questions_path: Path, embedder: Embedder, budget: Budget, details: bool
) -> tuple[list[Row], bool]:
    """Seed questions over a fresh store of `articles`; also True when the quality bar is met."""
    from assistant.core import Assistant
    from bench.corpus import build_store, store_settings
    from bench.naive import NaiveRetriever
    from bench.quality import seeds as checks
    from bench.quality.conflict_eval import Case, baseline

    questions = checks.load_questions(questions_path)
    texts = _documents(articles)
    with tempfile.TemporaryDirectory(prefix="bench-seeds-") as tmp:
        settings = store_settings(Path(tmp) / "store")
        store = build_store(articles, settings, embedder)
        assistant = Assistant(settings, store=store, embedder=embedder)
        naive = NaiveRetriever(Path(tmp) / "naive", embedder.model_path)
        naive.ensure_index(list(texts.items()))
        assistant.ask(questions[0].question)  # warm-up: model load and BM25 snapshot
        ours = checks.run(questions, assistant.ask, assistant.article)
        theirs = checks.run(questions, stuffer(naive), lambda source: Article(source, texts[source]))
        asked = questions[: plan.generative_seeds]
        generated = []
        if asked:
            model = generative.generator(settings, store, embedder)
            written = generative.answer_all(model.ask, [q.question for q in asked], budget)
            generated = [checks.check(q, a, 0.0, model.article) for q, a in zip(asked, written, strict=False)]
        del assistant, store, naive
    flags = [baseline(Case(r.question.question, cited_articles(r.answer), False)) for r in theirs]
    rows = checks.rows(f"{SEEDS} ({questions_path.name})", ours, theirs, flags)
    rows += _citation_rows(rows[0].dataset, [r.answer for r in ours], [r.answer for r in theirs])
    if asked:
        answerable = [r for r in generated if not r.question.unanswerable]
        coverage = Row(
            rows[0].dataset,
            f"{MODEL}: key-fact coverage (as shown)",
            mean(r.coverage for r in answerable),
            None,
            f"{len(answerable)} answerable questions",
        )
        rows += generative.rows(rows[0].dataset, [r.answer for r in generated], len(asked), [coverage])
    if details:
        print("\n".join(checks.report(ours)) + "\n")
        _print_unsupported([r.answer for r in ours], [r.answer for r in generated])
    return rows, _quality_bar(ours)


def ramdocs(plan: Plan, cache: Path, embedder: Embedder, budget: Budget, details: bool) -> list[Row]:
    """The pooled RAMDocs corpus: retrieval, answers, conflicts and citations."""
    from assistant.core import Assistant
    from bench.corpus import load_ramdocs, ramdocs_store
    from bench.quality import ramdocs as checks
    from bench.quality.conflict_eval import summary
    from bench.quality.retrieval import Query

    laps = _Laps("ramdocs")
    questions = load_ramdocs(sample=plan.ramdocs)
    docs = [d for q in questions for d in q.docs]
    settings, store, folder = ramdocs_store(questions, embedder, cache)
    naive = naive_index(folder, [(d.id, d.text) for d in docs], embedder)
    assistant = Assistant(settings, store=store, embedder=embedder)
    laps.lap("stores")
    label = f"{len(questions)} questions, {len(docs)} documents"
    queries = [Query(q.question, q.correct) for q in questions]
    rows = _retrieval_rows(RAMDOCS, queries, assistant, naive, label)
    laps.lap("retrieval")
    answers = _answers(assistant.ask, [q.question for q in questions])
    ours = [checks.check(q, a) for q, a in zip(questions, answers, strict=True)]
    laps.lap("our answers")
    theirs = [checks.check(q, stuffer(naive)(q.question)) for q in questions]
    rows += checks.rows(RAMDOCS, ours, theirs)
    laps.lap("naive answers")
    rows += _conflict_rows(RAMDOCS, summary("ramdocs", limit=plan.first))
    laps.lap("conflicts")
    rows += _citation_rows(RAMDOCS, [s.answer for s in ours], [s.answer for s in theirs])
    laps.lap("citations")
    generated = []
    if plan.generative_ramdocs:
        n = min(plan.generative_ramdocs, len(questions))
        sample = [questions[i * len(questions) // n] for i in range(n)]
        model = generative.generator(settings, store, embedder)
        written = generative.answer_all(model.ask, [q.question for q in sample], budget)
        generated = [checks.check(q, a) for q, a in zip(sample, written, strict=False)]
        gold = Row(
            RAMDOCS,
            f"{MODEL}: at least one gold answer stated",
            share(s.any_gold for s in generated),
            None,
            f"{len(generated)} questions (evenly spaced)",
        )
        rows += generative.rows(RAMDOCS, [s.answer for s in generated], n, [gold])
    if details:
        print("\n".join(checks.misses(ours, 15)) + "\n")
        _print_unsupported([s.answer for s in ours], [s.answer for s in generated])
    return rows


def conflictqa(plan: Plan, cache: Path, embedder: Embedder) -> list[Row]:
    """The pooled ConflictQA test split: retrieval of each question's snippets, and conflicts."""
    from assistant.core import Assistant
    from bench.corpus import load_conflictqa, pooled_store
    from bench.quality.conflict_eval import summary
    from bench.quality.retrieval import Query

    laps = _Laps("conflictqa")
    questions, snippets = load_conflictqa(limit=plan.first)
    settings, store, folder = pooled_store("conflictqa", snippets, embedder, cache)
    naive = naive_index(folder, [(s.id, s.text) for s in snippets], embedder)
    assistant = Assistant(settings, store=store, embedder=embedder)
    laps.lap("stores")
    queries = [Query(q.question, q.snippets) for q in questions]
    label = f"{len(questions)} questions, {len(snippets)} snippets"
    rows = _retrieval_rows(CONFLICTQA, queries, assistant, naive, label)
    laps.lap("retrieval")
    rows += _conflict_rows(CONFLICTQA, summary("conflictqa", limit=plan.first))
    laps.lap("conflicts")
    return rows


# --- shared steps -----------------------------------------------------------------------------


def naive_index(folder: Path, docs: list[tuple[str, str]], embedder: Embedder) -> NaiveRetriever:
    """The naive pipeline's index of `docs` under `folder`, built on first use and kept."""
    from bench.naive import NaiveRetriever

    naive = NaiveRetriever(folder / "naive", embedder.model_path)
    naive.ensure_index(docs)
    return naive


def stuffer(naive: NaiveRetriever) -> Callable[[str], Answer]:
    """The naive responder: the top-4 chunks stuffed into the answer."""
    from bench.naive import STUFFED, stuff

    return lambda question: stuff(question, naive.hits(question, STUFFED))


def _answers(ask: Callable[[str], Answer], questions: Sequence[str]) -> list[Answer]:
    out = []
    for n, question in enumerate(questions, start=1):
        out.append(ask(question))
        if n % 100 == 0:
            print(f"  answered {n}/{len(questions)}", file=sys.stderr)
    return out


def _retrieval_rows(
    dataset: str, queries: Sequence[Query], assistant: Assistant, naive: NaiveRetriever, label: str
) -> list[Row]:
    from bench.quality.retrieval import evaluate, naive_ranker, ours_ranker

    ours = evaluate(queries, ours_ranker(assistant.retriever.retrieve))
    theirs = evaluate(queries, naive_ranker(naive.search))
    print(
        f"  retrieval ms per query: ours {ours.ms_per_query:.0f}, naive {theirs.ms_per_query:.0f}",
        file=sys.stderr,
    )
    n = f"{ours.queries} of {label}"
    return [
        Row(dataset, "retrieval recall@5 (the question's own documents)", ours.recall5, theirs.recall5, n),
        Row(dataset, "retrieval recall@10", ours.recall10, theirs.recall10, n),
        Row(dataset, "retrieval MRR@10", ours.mrr10, theirs.mrr10, n),
    ]


def _conflict_rows(dataset: str, tallies: dict[str, Tally]) -> list[Row]:
    """Conflict precision and recall of our detector (contradictions; any kind) and the baseline."""
    ours, any_kind, base = tallies["ours"], tallies["ours-any"], tallies["baseline"]
    n = f"{ours.tp + ours.fp + ours.fn + ours.tn} questions, {ours.tp + ours.fn} with a conflict"
    return [
        Row(dataset, "conflict precision (contradiction)", ours.precision, base.precision, n),
        Row(dataset, "conflict recall (contradiction)", ours.recall, base.recall, n),
        Row(dataset, "conflict precision (any kind)", any_kind.precision, base.precision, n),
        Row(dataset, "conflict recall (any kind)", any_kind.recall, base.recall, n),
    ]


def _citation_rows(dataset: str, ours: Sequence[Answer], naive: Sequence[Answer]) -> list[Row]:
    mine = citations.score(ours, citations.answer_statements)
    theirs = citations.score(naive, citations.passage_statements)
    n = (
        f"{mine.answers} / {theirs.answers} answers, {mine.statements} / {theirs.statements} sentences"
        f" (+{mine.conflict_sentences} conflict sentences)"
    )
    return [
        Row(dataset, "citation recall (ALCE, extractive)", mine.recall, theirs.recall, n),
        Row(dataset, "citation precision (ALCE, extractive)", mine.precision, theirs.precision, n),
    ]


def _print_unsupported(extractive: Sequence[Answer], written: Sequence[Answer]) -> None:
    by_model = [a for a in written if generative.written_by_model(a)]
    for mode, answers in (("extractive", extractive), ("generative", by_model)):
        found = citations.unsupported(answers, citations.answer_statements)
        print(f"Unsupported {mode} sentences ({len(found)}):\n\n" + "\n".join(found[:30]) + "\n")


def _documents(folder: Path) -> dict[str, str]:
    """The text of every article file, as the loader reads it: what the naive pipeline indexes."""
    from index.errors import SkipFile
    from index.load import SUPPORTED, is_sidecar, read_documents

    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUPPORTED and not is_sidecar(path):
            try:
                docs = read_documents(path, path.relative_to(folder).as_posix(), path.read_bytes())
            except SkipFile:
                continue
            out.update((d.id, d.text) for d in docs)
    return out


def cited_articles(answer: Answer) -> dict[str, Article]:
    """The cited quotes grouped by article: what the naive responder shows of each."""
    quotes: dict[str, list[str]] = {}
    for c in answer.citations:
        quotes.setdefault(c.source, []).append(c.quote)
    return {source: Article(source, "\n\n".join(q)) for source, q in quotes.items()}


def _quality_bar(rs: Sequence[SeedResult]) -> bool:
    """The seed questions' bar: 90% of answerable questions pass, no wrong abstention or conflict
    flag, every quote verbatim."""
    answerable = [r for r in rs if not r.question.unanswerable]
    passed = sum(r.passed for r in answerable) >= 0.9 * len(answerable)
    clean = all(not r.failures for r in rs if r.question.unanswerable or r.question.conflict)
    quotes = all(not r.bad_quotes for r in rs)
    return passed and clean and quotes and not any(r.answer.abstained for r in answerable)
