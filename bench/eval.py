"""Answer-quality evaluation (`make eval`): the seed questions over the bundled articles, then
retrieval and answers on the pooled RAMDocs corpus against the naive LangChain baseline.

    python -m bench.eval            # everything; the first run embeds RAMDocs twice (~15 min on 2 cores)
    python -m bench.eval --quick    # RAMDocs limited to 60 evenly spaced questions' documents
    python -m bench.eval --part seeds

Prints Markdown tables; exits 1 with `--strict` when the seed questions miss the quality bar.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.corpus import prepare_process

QUICK_QUESTIONS = 60


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; returns the process exit code."""
    args = _parser().parse_args(argv)
    prepare_process(args.torch_threads)
    command = "python -m bench.eval " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"# Answer evaluation\n\n`{command.strip()}` on {date.today().isoformat()}\n")
    ok = True
    if args.part in ("seeds", "all"):
        ok = _seeds(args.articles, args.questions)
    if args.part in ("ramdocs", "all"):
        limit = args.sample or (QUICK_QUESTIONS if args.quick else None)
        _ramdocs(limit, args.cache, answer=not args.no_answers, show=args.show)
    return 1 if args.strict and not ok else 0


def _parser() -> argparse.ArgumentParser:
    from bench.corpus import ARTICLES_DIR, CACHE_DIR, SEED_QUESTIONS

    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"RAMDocs: {QUICK_QUESTIONS} questions")
    parser.add_argument("--sample", type=int, default=0, help="RAMDocs: N evenly spaced questions")
    parser.add_argument("--part", choices=["seeds", "ramdocs", "all"], default="all")
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR, help="articles of the seed questions")
    parser.add_argument("--questions", type=Path, default=SEED_QUESTIONS, help="seed questions (JSONL)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="where built RAMDocs stores are kept")
    parser.add_argument("--no-answers", action="store_true", help="RAMDocs: retrieval only")
    parser.add_argument("--show", type=int, default=0, help="RAMDocs: list N answers missing every gold")
    parser.add_argument(
        "--torch-threads", type=int, default=0, help="torch intra-op threads (default: torch's choice)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when the seed quality bar is missed")
    return parser


def _seeds(articles: Path, questions_path: Path) -> bool:
    """Seed questions over a fresh store of `articles`; True when the quality bar is met."""
    from assistant.core import Assistant
    from bench import seeds
    from bench.corpus import build_store, store_settings
    from index.embed import Embedder

    questions = seeds.load_questions(questions_path)
    with tempfile.TemporaryDirectory(prefix="bench-seeds-") as tmp:
        settings = store_settings(Path(tmp) / "store")
        embedder = Embedder(settings.embedding.model_path, settings.embedding.batch_size)
        store = build_store(articles, settings, embedder)
        assistant = Assistant(settings, store=store, embedder=embedder)
        assistant.ask(questions[0].question)  # warm-up: model load and BM25 snapshot
        results = seeds.run(questions, assistant.ask, assistant.article)
        del assistant, store
    print(f"## Seed questions ({questions_path.name}, {len(questions)} questions, extractive)\n")
    print("\n".join(seeds.report(results)) + "\n")
    answerable = [r for r in results if not r.question.unanswerable]
    passed = sum(r.passed for r in answerable) >= 0.9 * len(answerable)
    clean = all(not r.failures for r in results if r.question.unanswerable or r.question.conflict)
    quotes = all(not r.bad_quotes for r in results)
    return passed and clean and quotes and not any(r.answer.abstained for r in answerable)


def _ramdocs(limit: int | None, cache: Path, answer: bool, show: int = 0) -> None:
    """Retrieval of the pooled RAMDocs corpus, ours against naive, and the extractive answers."""
    from assistant.core import Assistant
    from bench import retrieval
    from bench.corpus import load_ramdocs, ramdocs_store
    from bench.naive import NaiveRetriever
    from index.embed import Embedder

    questions = load_ramdocs(sample=limit)
    docs = [d for q in questions for d in q.docs]
    print(f"building/opening the stores of {len(docs)} documents...", file=sys.stderr)
    embedder = Embedder()
    settings, store, folder = ramdocs_store(questions, embedder, cache)
    naive = NaiveRetriever(folder / "naive", embedder.model_path)
    naive_chunks = naive.ensure_index([(d.id, d.text) for d in docs])
    assistant = Assistant(settings, store=store, embedder=embedder)
    rankers = {
        "ours (hybrid, top_k=10)": retrieval.ours_ranker(assistant.retriever.retrieve),
        "naive LangChain (1000/200 splitter, Chroma)": retrieval.naive_ranker(naive.search),
    }
    scores = retrieval.evaluate(questions, rankers)
    correct = sum(len(q.correct) for q in questions)
    print(
        f"## RAMDocs pooled corpus ({len(questions)} questions, {len(docs)} documents, "
        f"{correct} correct; our chunks {store.chunk_count()}, naive chunks {naive_chunks})\n"
    )
    print("Retrieval of each question's `correct` documents (mean over questions):\n")
    print("\n".join(retrieval.retrieval_table(scores)) + "\n")
    if answer:
        stated = retrieval.answers(questions, assistant.ask)
        print("Gold answers in the extractive answer (case-insensitive substring):\n")
        print("\n".join(retrieval.answers_table(stated)) + "\n")
        if show:
            print(f"Answers that state no gold answer (first {show}):\n")
            print("\n".join(retrieval.misses(stated, show)) + "\n")


if __name__ == "__main__":
    sys.exit(main())
