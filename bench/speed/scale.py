"""Query latency against corpus size (`make bench`): 1k to 1M chunks, embedded Chroma and a Chroma
server, retrieval alone and the full extractive `ask`, and how the cost grows.

    python -m bench.speed.scale                          # 1k, 10k, 100k and 1M chunks
    python -m bench.speed.scale --quick                  # 1k and 10k, fewer questions
    python -m bench.speed.scale --sizes 1000 100000 --modes embedded

Corpora above the 2,837 real RAMDocs chunks are RAMDocs repeated with perturbed text and noisy
copies of the real vectors (`bench/speed/scale_corpus.py` says how); they are built once and cached in
`bench/out/`. Each measurement is a child process: it opens the store (directly, or through a
`chroma run` server on the same files), builds the retriever's snapshot (timed, with the memory it
adds), warms up, then times retrieval and `ask` on RAMDocs questions whose documents are in every
corpus, over several repetitions; p50 and p95 are medians over the repetitions. The rank-bm25
rows run the retriever with the BM25 it had before `assistant/bm25.py`, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.corpus import CACHE_DIR, prepare_process
from bench.speed.scale_measure import BM25_CHOICES, questions_needed

SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
MODES = ("embedded", "server")
CHILD_ENV = {"TOKENIZERS_PARALLELISM": "false", "HF_HUB_DISABLE_PROGRESS_BARS": "1"}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, or one child step of it; returns the exit code."""
    args = _parser().parse_args(argv)
    prepare_process()
    if args.build:
        _write(args.result, build(args.build, args.cache))
        return 0
    if args.child:
        _write(args.result, _child(args))
        return 0
    from bench.speed.scale_report import publish

    started = time.perf_counter()
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    reps, per_rep = args.reps or (2 if args.quick else 3), args.per_rep or (10 if args.quick else 20)
    builds = {size: _spawn(["--build", str(size)], args.cache) for size in sizes}
    questions = builds[min(sizes)]["questions"][: questions_needed(reps, per_rep, args.warm)]
    cells = []
    for size in sizes:
        for mode, bm25 in _cells(args.modes, size, args.baseline_max):
            print(f"{size:,} chunks: {mode}, {bm25} ...", file=sys.stderr, flush=True)
            cell = _measure(builds[size], mode, bm25, questions, reps, per_rep, args)
            cells.append({"size": size, "mode": mode, "bm25": bm25, **cell})
    summary = {
        "builds": {size: {k: v for k, v in b.items() if k != "questions"} for size, b in builds.items()},
        "cells": cells,
        "reps": reps,
        "per_rep": per_rep,
        "wall_s": time.perf_counter() - started,
    }
    command = "python -m bench.speed.scale " + " ".join(argv if argv is not None else sys.argv[1:])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2))
    print(publish(summary, command.strip(), write=not args.no_docs, section=args.section))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.speed.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k chunks, 2 x 10 questions")
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes in chunks")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--reps", type=int, default=0, help="repetitions (default 3, quick 2)")
    parser.add_argument("--per-rep", type=int, default=0, help="questions per repetition and measure")
    parser.add_argument("--warm", type=int, default=3, help="warm-up questions per process")
    parser.add_argument(
        "--baseline-max", type=int, default=100_000, help="largest size also run with rank-bm25"
    )
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="where scale stores are kept")
    parser.add_argument("--out", type=Path, default=CACHE_DIR / "scale.json")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument(
        "--section", default="bench-scale", help="BENCHMARKS.md section to write (the plot: only the default)"
    )
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--bm25", choices=BM25_CHOICES, default="sparse", help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return parser


def _cells(modes: Sequence[str], size: int, baseline_max: int) -> list[tuple[str, str]]:
    """The (Chroma mode, BM25) measurements of one size, the baseline next to its comparison."""
    out = []
    for mode in modes:
        out.append((mode, "sparse"))
        if mode == "embedded" and size <= baseline_max:
            out.append((mode, "rank-bm25"))
    return out


def build(size: int, cache: Path) -> dict[str, Any]:
    """Build (or find cached) the scale store of `size` chunks; its build figures and questions."""
    from bench.speed.scale_corpus import load_ramdocs_base, scale_folder, scale_store
    from index.embed import Embedder

    embedder = Embedder()
    base = load_ramdocs_base(embedder, cache)
    folder = scale_folder(cache, base.folder, size)
    cached = (folder / "scale-complete.json").exists()
    settings, info = scale_store(base.articles, size, folder, embedder.name)
    return {
        **info,
        "cached": cached,
        "store": str(settings.store.path),
        "questions": base.covered(size),
    }


def _measure(
    built: dict[str, Any], mode: str, bm25: str, questions: list[str], reps: int, per_rep: int, args: Any
) -> dict[str, Any]:
    """One measurement child, against the store directly or through a Chroma server."""
    from bench.speed.chroma_server import chroma_server

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
        json.dump(questions, out)
    child = ["--child", "--store", built["store"], "--bm25", bm25, "--questions", out.name]
    child += ["--reps", str(reps), "--per-rep", str(per_rep), "--warm", str(args.warm)]
    try:
        if mode == "embedded":
            return _spawn(child, args.cache)
        log = args.cache / f"chroma-server-{built['chunks']}.log"
        with chroma_server(Path(built["store"]), log) as server:
            result = _spawn([*child, "--port", str(server.port)], args.cache)
            result["server_peak_rss_mib"] = server.peak_rss_mib()
        return result
    finally:
        os.unlink(out.name)


def _child(args: Any) -> dict[str, Any]:
    from bench.corpus import store_settings
    from bench.speed.scale_measure import measure

    settings = store_settings(args.store)
    if args.port:
        settings.store.host, settings.store.port = "127.0.0.1", args.port
    questions = json.loads(args.questions.read_text())
    return measure(settings, questions, args.reps, args.per_rep, args.warm, args.bm25)


def _spawn(extra: list[str], cache: Path) -> dict[str, Any]:
    """Run `python -m bench.speed.scale <extra>` in a fresh process; what it measured."""
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        cmd = [
            sys.executable,
            "-m",
            "bench.speed.scale",
            *extra,
            "--cache",
            str(cache),
            "--result",
            result.name,
        ]
        subprocess.run(cmd, check=True, env={**os.environ, **CHILD_ENV})
        found: dict[str, Any] = json.loads(Path(result.name).read_text())
    return found


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data))


if __name__ == "__main__":
    sys.exit(main())
