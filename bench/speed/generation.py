"""Generative mode speed (`make bench`): time to first token and tokens/s of the packaged SmolLM2
run in-process by llama.cpp, on prompts built exactly as answers build them.

    python -m bench.speed.generation             # 6 RAMDocs questions x 3 repetitions
    python -m bench.speed.generation --quick     # 3 questions x 2 repetitions

Each prompt is `prompts/answer.md` filled with a RAMDocs question and the passages the extractive
retriever finds for it in the pooled RAMDocs store, streamed through the product's own chain
(`assistant.llm.generate.answer_chain`: prompt | `LlamaCppChat` | parser) at the default settings
(temperature 0, at most 400 new tokens). The model is loaded and warmed up before timing. The
prompts run in turn, so consecutive prompts differ: llama.cpp reuses only their common prefix
(the system message), as it does for consecutive questions in the app.

Time to first token is from the call to the first non-empty piece of text (prompt evaluation
included); decode tokens/s counts the tokens after the first over the time after it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

from bench.corpus import CACHE_DIR, prepare_process
from bench.metrics import percentile
from bench.report import stamp, update_section
from bench.speed.growth import spread_order

SECTION = "bench-generation"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    args = _parser().parse_args(argv)
    prepare_process()
    prompts, reps = args.prompts or (3 if args.quick else 6), args.reps or (2 if args.quick else 3)
    started = time.perf_counter()
    runs, info = measure(prompts, reps)
    command = "python -m bench.speed.generation " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(runs, info | {"wall_s": time.perf_counter() - started}, reps, command.strip())
    print(text)
    if not args.no_docs:
        update_section(SECTION, text)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.speed.generation", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="3 questions x 2 repetitions")
    parser.add_argument("--prompts", type=int, default=0, help="distinct questions (default 6)")
    parser.add_argument("--reps", type=int, default=0, help="repetitions over the questions (default 3)")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/ alone")
    return parser


def measure(prompts: int, reps: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Stream every prompt `reps` times; one record per generation, plus what was run."""
    from assistant.core import Assistant
    from assistant.llm.backends import default_gguf_path, load_llama, make_chat_model
    from assistant.llm.generate import answer_chain, prompt_inputs
    from bench.corpus import load_ramdocs, ramdocs_store
    from index.embed import Embedder
    from index.settings import LLMSettings

    embedder = Embedder()
    pool = load_ramdocs()
    settings, store, _ = ramdocs_store(pool, embedder, CACHE_DIR)
    retriever = Assistant(settings, store=store, embedder=embedder).retriever
    questions = [pool[i].question for i in spread_order(len(pool))[: prompts + 1]]
    inputs = [prompt_inputs(q, retriever.retrieve(q)) for q in questions]
    llm = LLMSettings(backend="llamacpp")
    chain = answer_chain(make_chat_model(llm))  # type: ignore[arg-type]
    started = time.perf_counter()
    llama = load_llama(default_gguf_path())
    _generate(chain, llama, inputs[-1])  # warm-up on a question not timed
    load_s = time.perf_counter() - started
    runs = []
    for rep in range(reps):
        for n, filled in enumerate(inputs[:-1]):
            runs.append({"rep": rep, "prompt": n, **_generate(chain, llama, filled)})
    info = {
        "model": os.path.basename(default_gguf_path()),
        "threads": f"{llama.n_threads} (batch {llama.n_threads_batch})",
        "n_ctx": llama.n_ctx(),
        "max_tokens": llm.max_tokens,
        "load_s": load_s,
        "loadavg": os.getloadavg()[0],
    }
    return runs, info


def _generate(chain: Any, llama: Any, filled: dict[str, str]) -> dict[str, Any]:
    """Stream one answer; time to first token, token counts and rates."""
    started = time.perf_counter()
    first = 0.0
    pieces = []
    for piece in chain.stream(filled):
        if piece and not first:
            first = time.perf_counter()
        pieces.append(piece)
    ended = time.perf_counter()
    text = "".join(pieces)
    tokens = len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=True)) if text else 0
    decode_s = ended - first if first else 0.0
    return {
        "ttft_s": (first or ended) - started,
        "total_s": ended - started,
        "tokens": tokens,
        "prompt_tokens": max(int(llama.n_tokens) - tokens, 0),
        "decode_tps": (tokens - 1) / decode_s if tokens > 1 and decode_s > 0 else 0.0,
        "overall_tps": tokens / (ended - started),
    }


def summarise(runs: list[dict[str, Any]], reps: int) -> dict[str, float]:
    """Medians over repetitions of each repetition's median (and p95 of time to first token)."""
    by_rep = [[r for r in runs if r["rep"] == rep] for rep in range(reps)]
    by_rep = [rep for rep in by_rep if rep]

    def med(key: str, share: float = 0.5) -> float:
        return statistics.median(percentile([r[key] for r in rep], share) for rep in by_rep)

    return {
        "ttft_p50_s": med("ttft_s"),
        "ttft_p95_s": med("ttft_s", 0.95),
        "decode_tps": med("decode_tps"),
        "overall_tps": med("overall_tps"),
        "total_s": med("total_s"),
        "tokens": med("tokens"),
        "prompt_tokens": med("prompt_tokens"),
    }


def report(runs: list[dict[str, Any]], info: dict[str, Any], reps: int, command: str) -> str:
    """The section's Markdown: one summary row, then one row per prompt."""
    s = summarise(runs, reps)
    prompts = sorted({r["prompt"] for r in runs})
    lines = [
        stamp(command),
        "",
        f"{info['model']} in-process (llama-cpp-python), {info['threads']} llama.cpp thread(s), context "
        f"{info['n_ctx']}, at most {info['max_tokens']} new tokens, temperature 0; {os.cpu_count()} CPUs, "
        f"load average {info['loadavg']:.1f} at the end. {len(prompts)} prompts x {reps} repetitions; "
        f"model load and warm-up {info['load_s']:.1f} s; whole benchmark {info['wall_s'] / 60:.1f} min.",
        "",
        "| time to first token p50 s | p95 s | decode tokens/s | end-to-end tokens/s | answer s "
        "| answer tokens | prompt tokens |",
        "|---|---|---|---|---|---|---|",
        f"| {s['ttft_p50_s']:.2f} | {s['ttft_p95_s']:.2f} | {s['decode_tps']:.1f} | {s['overall_tps']:.1f} "
        f"| {s['total_s']:.1f} | {s['tokens']:.0f} | {s['prompt_tokens']:.0f} |",
        "",
        "| prompt | prompt tokens | answer tokens | time to first token s (each repetition) "
        "| decode tokens/s (each repetition) |",
        "|---|---|---|---|---|",
    ]
    for n in prompts:
        mine = [r for r in runs if r["prompt"] == n]
        ttft = ", ".join(f"{r['ttft_s']:.2f}" for r in mine)
        rate = ", ".join(f"{r['decode_tps']:.0f}" for r in mine)
        lines.append(f"| {n + 1} | {mine[0]['prompt_tokens']} | {mine[0]['tokens']} | {ttft} | {rate} |")
    lines.append("\nMedians: of each repetition's median over the prompts, then over the repetitions.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
