"""Latency of extractive `ask` after warm-up, on the five bundled articles and on the pooled RAMDocs
corpus, with retrieval alone and the naive LangChain `similarity_search` for reference.

    python -m bench.speed.latency            # 50 questions per corpus; the full RAMDocs store (cached)
    python -m bench.speed.latency --quick    # the RAMDocs sample store of `bench.quality.eval --quick`

Models load once per process (warm-up first). Each timed `ask` is the first time its assistant sees
the question: caches of question and sentence vectors live in the `Assistant`, so a fresh one is
made for every pass over the questions; repeated questions are reported apart. One call per timing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from bench.corpus import prepare_process
from bench.metrics import mean, percentile
from bench.report import stamp, update_section

QUICK_QUESTIONS = 60
WARM_UP = 3
TARGETS_MS = {"five articles": 150, "RAMDocs pooled": 300}
SECTION = "bench-latency"


Timing = tuple[float, float]  # wall-clock ms, process CPU ms (all threads)


def _ms(call: Callable[[str], Any], question: str) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    call(question)
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def first_calls(
    make: Callable[[], Any], pick: Callable[[Any], Callable[[str], Any]], questions: Sequence[str], runs: int
) -> list[Timing]:
    """Milliseconds of `pick(assistant)` on `runs` questions, each the first its assistant sees: a
    fresh assistant (same store and loaded models, empty per-instance caches) for every pass."""
    out: list[Timing] = []
    while len(out) < runs:
        assistant = make()
        assistant.retriever.snapshot()  # chunk snapshot and BM25 load once per store, not per question
        out += [_ms(pick(assistant), q) for q in questions[: runs - len(out)]]
    return out


def repeat_calls(call: Callable[[str], Any], questions: Sequence[str], runs: int) -> list[Timing]:
    """Milliseconds of `call` on `runs` questions cycled, each asked once before (caches warm)."""
    for question in questions:
        call(question)
    return [_ms(call, q) for q in islice(cycle(questions), runs)]


def warm_up(make: Callable[[], Any], questions: Sequence[str]) -> None:
    """Load the models and the chunk snapshot with a throw-away assistant."""
    assistant = make()
    for question in questions[:WARM_UP]:
        assistant.ask(question)


def row(corpus: str, what: str, timings: Sequence[Timing], target: str = "") -> str:
    """One Markdown table row: wall-clock statistics, and the median CPU time (robust to other load)."""
    ms = [wall for wall, _ in timings]
    cpu = [used for _, used in timings]
    return (
        f"| {corpus} | {what} | {len(ms)} | {percentile(ms, 0.5):.0f} | {percentile(ms, 0.95):.0f} "
        f"| {mean(ms):.0f} | {max(ms):.0f} | {percentile(cpu, 0.5):.0f} | {target} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the latency benchmark; returns the process exit code."""
    args = _parser().parse_args(argv)
    prepare_process(args.torch_threads)
    import torch

    from index.embed import Embedder

    embedder = Embedder()
    command = "python -m bench.speed.latency " + " ".join(argv if argv is not None else sys.argv[1:])
    machine = f"{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}"
    lines = [f"{stamp(command.strip())} {machine}.", "", f"Load average before: {_load()}", ""]
    lines += [
        "| corpus | measured | calls | p50 ms | p95 ms | mean ms | max ms | CPU p50 ms | target p50 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    rows: list[str] = []
    if args.part in ("articles", "all"):
        rows += _articles(args.articles, args.questions, embedder, args.runs)
    if args.part in ("ramdocs", "all"):
        sample = args.sample or (QUICK_QUESTIONS if args.quick else None)
        rows += _ramdocs(sample, args.cache, embedder, args.runs)
    rows.append(f"\nLoad average after: {_load()}")
    print("\n".join(rows))
    if not args.no_docs:
        update_section(SECTION, "\n".join(lines + rows))
    return 0


def _load() -> str:
    """The 1, 5 and 15-minute load averages: other work on a shared machine inflates wall times."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    from bench.corpus import ARTICLES_DIR, CACHE_DIR, SEED_QUESTIONS

    parser = argparse.ArgumentParser(
        prog="python -m bench.speed.latency", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=50, help="timed calls per corpus and measurement")
    parser.add_argument(
        "--quick", action="store_true", help=f"RAMDocs: the {QUICK_QUESTIONS}-question sample"
    )
    parser.add_argument("--sample", type=int, default=0, help="RAMDocs: N evenly spaced questions")
    parser.add_argument(
        "--torch-threads", type=int, default=0, help="torch intra-op threads (default: torch's choice)"
    )
    parser.add_argument("--part", choices=["articles", "ramdocs", "all"], default="all")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR)
    parser.add_argument("--questions", type=Path, default=SEED_QUESTIONS, help="questions for the articles")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="where built RAMDocs stores are kept")
    return parser


def _articles(articles: Path, questions_path: Path, embedder: Any, runs: int) -> list[str]:
    from assistant.core import Assistant
    from bench.corpus import build_store, store_settings
    from bench.quality.seeds import load_questions

    questions = [q.question for q in load_questions(questions_path)]
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        settings = store_settings(Path(tmp) / "store")
        store = build_store(articles, settings, embedder)

        def make() -> Assistant:
            return Assistant(settings, store=store, embedder=embedder)

        warm_up(make, questions)
        asked = first_calls(make, lambda a: a.ask, questions, runs)
        retrieved = first_calls(make, lambda a: a.retriever.retrieve, questions, runs)
        again = repeat_calls(make().ask, questions, runs)
    corpus = "five articles"
    return [
        row(corpus, f"`ask` (extractive), {len(questions)} questions", asked, f"<= {TARGETS_MS[corpus]} ms"),
        row(corpus, "retrieval only", retrieved),
        row(corpus, "`ask`, the same question again", again),
    ]


def _ramdocs(sample: int | None, cache: Path, embedder: Any, runs: int) -> list[str]:
    from assistant.core import Assistant
    from bench.corpus import load_ramdocs, ramdocs_store
    from bench.naive import NaiveRetriever

    pool = load_ramdocs(sample=sample)
    settings, store, folder = ramdocs_store(pool, embedder, cache)
    step = max(1, len(pool) // runs)
    questions = [q.question for q in pool][::step][:runs]
    others = [q.question for q in pool if q.question not in set(questions)] or questions

    def make() -> Assistant:
        return Assistant(settings, store=store, embedder=embedder)

    warm_up(make, others)
    asked = first_calls(make, lambda a: a.ask, questions, runs)
    retrieved = first_calls(make, lambda a: a.retriever.retrieve, questions, runs)
    naive = NaiveRetriever(folder / "naive", embedder.model_path)
    naive.ensure_index([(d.id, d.text) for q in pool for d in q.docs])
    naive.search(others[0], 4)
    searched = [_ms(lambda q: naive.search(q, 4), q) for q in islice(cycle(questions), runs)]
    corpus = "RAMDocs pooled"
    label = f"{corpus} ({sum(len(q.docs) for q in pool)} docs)"
    return [
        row(label, f"`ask` (extractive), {len(questions)} questions", asked, f"<= {TARGETS_MS[corpus]} ms"),
        row(label, "retrieval only", retrieved),
        row(label, "naive `similarity_search` k=4", searched),
    ]


if __name__ == "__main__":
    sys.exit(main())
