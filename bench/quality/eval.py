"""Answer quality (`make eval`): one table, every row ours beside the naive LangChain baseline
measured in the same run, printed and written to docs/BENCHMARKS.md with the date and commit.

    python -m bench.quality.eval            # everything (the first run also builds the cached stores)
    python -m bench.quality.eval --generative 3 --generative-minutes 2   # fewer SmolLM2 answers
    python -m bench.quality.eval --quick    # RAMDocs 60, ConflictQA 100, devset check split, no SmolLM2
    python -m bench.quality.eval --part seeds --details   # one data set, per-question details, no write

Data sets: the bundled articles with the seed questions, the pooled RAMDocs corpus, the pooled
ConflictQA test split, the development set (bench/devset/: invented stories and real coverage,
scored per split and category in a `devset` section of its own), and story assignment on held-out
BASIL and AllSides (details in a `stories` section). docs/BENCHMARKS.md says what every metric
means. Exits 1 with `--strict` when the seed questions miss the quality bar.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bench.corpus import prepare_process
from bench.rows import Row, render

if TYPE_CHECKING:
    from index.embed import Embedder

log = logging.getLogger(__name__)

PARTS = ("seeds", "ramdocs", "conflictqa", "devset", "stories")
SEED_SHARE = 0.6  # of the generation time, at most, for the seed questions


@dataclass(frozen=True)
class Plan:
    """How much of each data set a run covers."""

    ramdocs: int | None  # RAMDocs questions, evenly spaced (None: all 500)
    first: int | None  # the first questions of RAMDocs and ConflictQA for conflicts and ConflictQA
    generative_seeds: int  # seed questions also answered by SmolLM2 (the first ones)
    generative_ramdocs: int  # RAMDocs questions (evenly spaced) also answered by SmolLM2
    generative_minutes: float  # time for all SmolLM2 answers together; the rest are skipped


FULL = Plan(ramdocs=None, first=None, generative_seeds=100, generative_ramdocs=6, generative_minutes=7)
QUICK = Plan(ramdocs=60, first=100, generative_seeds=0, generative_ramdocs=0, generative_minutes=0)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; returns the process exit code."""
    args = _parser().parse_args(argv)
    prepare_process(args.torch_threads)
    plan = _plan(args)
    command = " ".join(["python -m bench.quality.eval", *(argv if argv is not None else sys.argv[1:])])
    started = time.perf_counter()
    rows: list[Row] = []
    ok = True
    from bench.quality import parts as eval_parts
    from bench.quality.generative import Budget
    from index.embed import Embedder
    from index.settings import Settings

    embedder = Embedder.from_settings(Settings().embedding)
    # The seed questions may take most of the generation time; RAMDocs gets what they leave.
    seed_budget = Budget(60 * plan.generative_minutes * SEED_SHARE)
    parts = PARTS if args.part == "all" else (args.part,)
    for part in parts:
        began = time.perf_counter()
        if part == "seeds":
            found, ok = eval_parts.seeds(
                plan, args.articles, args.questions, embedder, seed_budget, args.details
            )
        elif part == "ramdocs":
            budget = Budget(60 * plan.generative_minutes - seed_budget.spent)
            found = eval_parts.ramdocs(plan, args.cache, embedder, budget, args.details)
        elif part == "stories":
            found = _stories(embedder, write=args.part == "all" and not args.no_write)
        elif part == "conflictqa":
            found = eval_parts.conflictqa(plan, args.cache, embedder)
        else:
            found = _devset(args, embedder, write=args.part == "all" and not args.no_write)
        rows += found
        print(f"{part}: {time.perf_counter() - began:.0f} s", file=sys.stderr)
    minutes = (time.perf_counter() - started) / 60
    table = render(rows)
    print(f"\n`{command}`: {minutes:.1f} min\n\n{table}")
    if args.part == "all" and not args.no_write:
        _write(command, table, minutes, quick=args.quick)
    return 1 if args.strict and not ok else 0


def _devset(args: argparse.Namespace, embedder: Embedder, write: bool) -> list[Row]:
    """The development set: its rows of the main table, and its own `devset` section (per split,
    per category, the corpus-wide report); `--quick` runs the check split only."""
    from bench.devset.questions import load
    from bench.quality import devset
    from bench.report import stamp, update_section

    questions = [q for q in load() if not args.quick or q.split == "check"]
    scored, found, off_topic_answers = devset.evaluate(questions, embedder, args.cache)
    body = devset.section(scored, found, questions, off_topic_answers)
    if args.details:
        print("\n".join(devset.details(scored)) + "\n")
    if write:
        command = "python -m bench.quality.eval" + (" --quick" if args.quick else "")
        update_section("devset-quick" if args.quick else "devset", f"{stamp(command)}\n\n{body}")
    rows = [row for split in ("tune", "check") for row in devset.rows(scored, split, off_topic_answers)]
    return [row for row in rows if row.n[0] != "0"]


def _stories(embedder: Embedder, write: bool) -> list[Row]:
    """Story assignment on held-out BASIL and AllSides; its own detailed section is written too."""
    from bench.quality import stories

    results, threshold = stories.measure(embedder)
    if write:
        stories.write(stories.table(results, threshold), "python -m bench.quality.eval (stories)")
    return stories.rows(results)


def _plan(args: argparse.Namespace) -> Plan:
    plan = QUICK if args.quick else FULL
    if args.generative is not None:
        plan = replace(plan, generative_seeds=args.generative, generative_ramdocs=args.generative)
    if args.generative_minutes is not None:
        plan = replace(plan, generative_minutes=args.generative_minutes)
    if (plan.generative_seeds or plan.generative_ramdocs) and not plan.generative_minutes:
        plan = replace(plan, generative_minutes=FULL.generative_minutes)
    return plan


def _write(command: str, table: str, minutes: float, quick: bool) -> None:
    from bench.report import stamp, update_section

    machine = _machine()
    body = f"{stamp(command)} {machine}; the run took {minutes:.1f} min.\n\n{table}"
    update_section("eval-quick" if quick else "eval", body)


def _machine() -> str:
    import os

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} CPUs, load average {load:.1f} at the end"


def _parser() -> argparse.ArgumentParser:
    from bench.corpus import ARTICLES_DIR, CACHE_DIR, SEED_QUESTIONS

    parser = argparse.ArgumentParser(prog="python -m bench.quality.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subsets, no generative answers (< 2 min)")
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all", help="one data set (no write)")
    parser.add_argument(
        "--generative",
        type=int,
        help="questions per data set answered by SmolLM2 (default: seeds all, RAMDocs 6)",
    )
    parser.add_argument(
        "--generative-minutes", type=float, help="time for all SmolLM2 answers (default 7; the rest skipped)"
    )
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR, help="articles of the seed questions")
    parser.add_argument("--questions", type=Path, default=SEED_QUESTIONS, help="seed questions (JSONL)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="where built stores are kept")
    parser.add_argument("--details", action="store_true", help="per-question seed table, RAMDocs misses")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md")
    parser.add_argument(
        "--torch-threads", type=int, default=0, help="torch intra-op threads (default: torch's choice)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when the seed quality bar is missed")
    return parser


if __name__ == "__main__":
    sys.exit(main())
