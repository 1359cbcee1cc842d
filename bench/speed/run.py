"""`make bench`: speed, memory and scale, every part in its own process, in order.

    python -m bench.speed.run                            # everything (about 1-2 h once stores are cached)
    python -m bench.speed.run --quick                    # small versions of every part (about 15 min)
    python -m bench.speed.run --parts scale generation   # some parts only

Parts: `indexing` (bench/speed/index_bench.py: documents/s and peak memory against the naive LangChain
pipeline), `latency` (bench/speed/latency.py: `ask` on the bundled articles and pooled RAMDocs), `scale`
(bench/speed/scale.py: retrieval and `ask` latency from 1k to 1M chunks, embedded and server Chroma),
`generation` (bench/speed/generation.py: SmolLM2 time to first token and tokens/s). Each part prints its
tables and rewrites its own section of docs/BENCHMARKS.md (and its plot in docs/); this command
adds the `bench-run` section: what ran, how long each part took, and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench.report import REPO_ROOT, stamp, update_section

PARTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    # part: (command, extra arguments of a full run, extra arguments of a quick run)
    "indexing": (["bench/speed/index_bench.py"], ["--repeats", "3"], ["--quick"]),
    "latency": (["-m", "bench.speed.latency"], [], ["--quick", "--runs", "20"]),
    "scale": (["-m", "bench.speed.scale"], [], ["--quick"]),
    "generation": (["-m", "bench.speed.generation"], [], ["--quick"]),
}
SECTION = "bench-run"
QUIET_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # no model-loading bars between the tables
}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen parts; returns the first failing part's exit code, else 0."""
    parser = argparse.ArgumentParser(prog="python -m bench.speed.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small version of every part")
    parser.add_argument("--parts", nargs="+", choices=list(PARTS), default=list(PARTS))
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/ alone")
    args = parser.parse_args(argv)
    env = {**os.environ, **QUIET_ENV}
    rows = []
    started = time.perf_counter()
    for name in args.parts:
        command, full, quick = PARTS[name]
        extra = (quick if args.quick else full) + (["--no-docs"] if args.no_docs else [])
        shown = "python " + " ".join([*command, *extra])
        print(f"\n## {name}: {shown}\n", flush=True)
        began, load = time.perf_counter(), os.getloadavg()[0]
        code = subprocess.run([sys.executable, *command, *extra], cwd=REPO_ROOT, env=env).returncode
        rows.append(
            f"| {name} | `{shown}` | {(time.perf_counter() - began) / 60:.1f} | {load:.1f} | {code} |"
        )
        if code:
            print(f"part {name} failed with exit code {code}", file=sys.stderr)
            return code
    invoked = "python -m bench.speed.run " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = [
        f"{stamp(invoked.strip())} Total {(time.perf_counter() - started) / 60:.1f} min on "
        f"{os.cpu_count()} CPUs.",
        "",
        "| part | command | minutes | load average at start | exit |",
        "|---|---|---|---|---|",
        *rows,
    ]
    print("\n" + "\n".join(lines))
    if not args.no_docs:
        update_section(SECTION, "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
