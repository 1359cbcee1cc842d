"""Indexing speed (`make bench`): our build against the naive LangChain pipeline on pooled RAMDocs.

    .venv/bin/python bench/speed/index_bench.py                 # all 2,766 documents, 2 rounds
    .venv/bin/python bench/speed/index_bench.py --quick         # 60 evenly spaced questions' documents
    .venv/bin/python bench/speed/index_bench.py --pipelines ours naive ours-fp32   # + float32 in round 1
    .venv/bin/python bench/speed/index_bench.py --out FILE.json --repeats 3

Every run is a child process with a fresh temporary Chroma store: the model is loaded and warmed
before the clock starts, the clock covers reading the files to the last chunk stored, and peak
memory is the child's `ru_maxrss` (whole process: model, Chroma, and the recall queries after the
build). Rounds interleave the pipelines so machine load hits them alike; ratios are per round.
CPU seconds (all threads of the child) are reported too: on a shared machine they move much less
with other people's load than wall time does.
Retrieval quality: recall@10 of each question's `correct` documents, querying the pooled index.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script, `python bench/speed/index_bench.py`
    sys.path.insert(0, str(ROOT))

PIPELINES = ("ours", "naive", "ours-fp32")
SECTION = "bench-indexing"
QUICK_QUESTIONS = 60
K = 10
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one pipeline); returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.update({k: os.environ.get(k, v) for k, v in OFFLINE_ENV.items()})
    sample = args.sample or (QUICK_QUESTIONS if args.quick else None)
    if args.child:
        result = run_child(args.child, sample)
        Path(args.result).write_text(json.dumps(result))
        return 0
    started = time.perf_counter()
    runs = []
    for round_no in range(args.repeats):
        for pipeline in args.pipelines:
            if pipeline == "ours-fp32" and round_no >= args.fp32_repeats:
                continue
            print(f"round {round_no + 1}/{args.repeats}: {pipeline} ...", file=sys.stderr, flush=True)
            runs.append({"round": round_no, **_spawn(pipeline, sample)})
    command = "python bench/speed/index_bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    summary = summarise(runs) | {"wall_s": time.perf_counter() - started}
    lines = report(summary, command.strip())
    print("\n".join(lines))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"command": command, "date": date.today().isoformat(), **summary}, indent=2)
    )
    if not args.no_docs:
        from bench.report import update_section
        from bench.speed.plots import THROUGHPUT_PNG, throughput_vs_baseline

        throughput_vs_baseline(summary)
        lines += ["", f"![Indexing throughput and peak memory]({THROUGHPUT_PNG.name})"]
        update_section(SECTION, "\n".join(lines))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bench/speed/index_bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_QUESTIONS} questions' documents")
    parser.add_argument("--sample", type=int, default=0, help="only N evenly spaced questions' documents")
    parser.add_argument("--repeats", type=int, default=2, help="rounds of every pipeline (median reported)")
    parser.add_argument("--fp32-repeats", type=int, default=1, help="of those, rounds with ours-fp32")
    parser.add_argument("--pipelines", nargs="+", choices=PIPELINES, default=["ours", "naive"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "index_bench.json")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument("--child", choices=PIPELINES, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser


def _spawn(pipeline: str, sample: int | None) -> dict[str, Any]:
    """Run one pipeline in a fresh child process and return what it measured."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, __file__, "--child", pipeline, "--result", out.name]
        if sample:
            cmd += ["--sample", str(sample)]
        subprocess.run(cmd, check=True, env={**os.environ, **OFFLINE_ENV})
        result: dict[str, Any] = json.loads(Path(out.name).read_text())
    return result


def run_child(pipeline: str, sample: int | None) -> dict[str, Any]:
    """Index the pooled documents with one pipeline in a temp folder; measure speed and recall."""
    from bench.corpus import load_ramdocs, write_docs

    questions = load_ramdocs(sample=sample)
    with tempfile.TemporaryDirectory(prefix="index-bench-") as tmp:
        work = Path(tmp)
        write_docs([d for q in questions for d in q.docs], work / "docs")
        if pipeline == "naive":
            result, search = _naive(work)
        else:
            result, search = _ours(work, "float32" if pipeline == "ours-fp32" else "")
        started = time.perf_counter()
        found = [search(q.question) for q in questions]
        result["recall_s"] = time.perf_counter() - started
        result["recall"] = recall_at_k(found, [q.correct for q in questions])
    result["pipeline"] = pipeline
    result["docs"] = sum(len(q.docs) for q in questions)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["loadavg"] = os.getloadavg()[0]
    return result


def _ours(work: Path, precision: str) -> tuple[dict[str, Any], Any]:
    """Our build (`index.build.Builder` into `index.store.Store`), then an unchanged rebuild."""
    import torch

    from index.build import Builder
    from index.embed import Embedder
    from index.settings import Settings
    from index.store import Store

    settings = Settings()
    settings.store.path = work / "store"
    started = time.perf_counter()
    embed = settings.embedding
    embedder = Embedder(embed.model_path, embed.batch_size, precision or embed.precision)
    embedder.embed_query("warm up")
    load_s = time.perf_counter() - started
    store = Store(settings.store, embedder.name)
    builder = Builder(store, embedder, settings.index)
    cpu = _cpu_seconds()
    built = builder.build([work / "docs"])
    cpu = _cpu_seconds() - cpu
    rebuilt = builder.build([work / "docs"])
    if rebuilt.embedded or rebuilt.added or rebuilt.updated:
        raise RuntimeError(f"an unchanged rebuild did work: {rebuilt.summary()}")

    current = {r.id: r.source_hash for r in store.records().values()}  # as the retriever snapshots it

    def search(question: str) -> list[str]:
        return [s.chunk.article_id for s in store.search(embedder.embed_query(question), K, current=current)]

    measured = {
        "index_s": built.seconds,
        "cpu_s": cpu,
        "rebuild_s": rebuilt.seconds,
        "load_s": load_s,
        "chunks": built.chunks,
        "embedded": built.embedded,
        "skipped": len(built.skipped),
        "precision": embedder.precision,
        "threads": torch.get_num_threads(),
    }
    return measured, search


def _naive(work: Path) -> tuple[dict[str, Any], Any]:
    """The LangChain tutorial pipeline: split 1000/200, HuggingFaceEmbeddings, Chroma.from_documents."""
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from index.embed import default_model_path

    started = time.perf_counter()
    embeddings = HuggingFaceEmbeddings(model_name=default_model_path())
    embeddings.embed_query("warm up")
    load_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), _cpu_seconds()
    docs = [
        Document(page_content=path.read_text(encoding="utf-8"), metadata={"source": path.name})
        for path in sorted((work / "docs").iterdir())
    ]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(docs)
    db = Chroma.from_documents(
        chunks,
        embeddings,
        persist_directory=str(work / "naive"),
        collection_metadata={"hnsw:space": "cosine"},
        client_settings=ChromaSettings(anonymized_telemetry=False),
    )
    index_s, cpu = time.perf_counter() - started, _cpu_seconds() - cpu

    def search(question: str) -> list[str]:
        return [d.metadata["source"] for d in db.similarity_search(question, k=K)]

    measured = {"index_s": index_s, "cpu_s": cpu, "rebuild_s": None, "load_s": load_s, "chunks": len(chunks)}
    return measured, search


def _cpu_seconds() -> float:
    """CPU time of this process, all threads: what the build costs, whatever else the machine runs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def recall_at_k(found: Sequence[Sequence[str]], wanted: Sequence[set[str]]) -> float:
    """Mean over questions (with any wanted documents) of the share of them among the found ids."""
    shares = [len(set(ids) & want) / len(want) for ids, want in zip(found, wanted, strict=True) if want]
    return sum(shares) / len(shares) if shares else 0.0


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians per pipeline and the per-round speed ratio of ours to naive."""
    by_pipeline: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        run["docs_per_s"] = run["docs"] / run["index_s"]
        run["docs_per_cpu_s"] = run["docs"] / run["cpu_s"]
        by_pipeline.setdefault(run["pipeline"], []).append(run)
    medians = {
        name: {
            key: statistics.median(r[key] for r in group)
            for key in (
                "docs_per_s",
                "docs_per_cpu_s",
                "index_s",
                "cpu_s",
                "load_s",
                "peak_rss_mib",
                "recall",
            )
        }
        | {"runs": len(group), "rebuild_s": _median_or_none([r.get("rebuild_s") for r in group])}
        for name, group in by_pipeline.items()
    }
    ratios: dict[str, list[float]] = {"docs_per_s": [], "docs_per_cpu_s": []}
    for round_no in sorted({r["round"] for r in runs}):
        pair = {r["pipeline"]: r for r in runs if r["round"] == round_no}
        if "ours" in pair and "naive" in pair:
            for key, found in ratios.items():
                found.append(pair["ours"][key] / pair["naive"][key])
    return {"runs": runs, "medians": medians, "round_ratios": ratios}


def _median_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def report(summary: dict[str, Any], command: str) -> list[str]:
    """Markdown lines: one row per pipeline, then the speed ratios."""
    from bench.report import stamp

    lines = [
        f"{stamp(command)} {os.cpu_count()} CPUs.\n",
        "| pipeline | runs | docs | chunks | docs/s | docs/s each run | docs per CPU-s | index s | CPU s "
        "| model load s | peak RSS MiB | recall@10 | unchanged rebuild s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in summary["medians"].items():
        runs = [r for r in summary["runs"] if r["pipeline"] == name]
        cells = [name, m["runs"], runs[0]["docs"], runs[0]["chunks"], f"{m['docs_per_s']:.1f}"]
        cells.append(", ".join(f"{r['docs_per_s']:.1f}" for r in runs))
        cells += [f"{m[key]:.1f}" for key in ("docs_per_cpu_s", "index_s", "cpu_s", "load_s", "peak_rss_mib")]
        cells.append(f"{m['recall']:.3f}")
        cells.append("-" if m["rebuild_s"] is None else f"{m['rebuild_s']:.2f}")
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    loads = [r["loadavg"] for r in summary["runs"]]
    lines.append(
        f"\nWhole benchmark: {summary['wall_s'] / 60:.1f} min of wall time; 1-minute load average "
        f"after each run {min(loads):.1f}-{max(loads):.1f}. Medians over runs."
    )
    medians = summary["medians"]
    if "ours" in medians and "naive" in medians:
        ours, naive = medians["ours"]["peak_rss_mib"], medians["naive"]["peak_rss_mib"]
        lines.append(f"\nPeak RSS ours / naive: {ours / naive:.2f}x ({ours:,.0f} against {naive:,.0f} MiB)")
    for key, label in (("docs_per_s", "documents/s"), ("docs_per_cpu_s", "documents per CPU-second")):
        found = summary["round_ratios"][key]
        if found:
            each = ", ".join(f"{r:.2f}x" for r in found)
            lines.append(
                f"\nours / naive {label}: median {statistics.median(found):.2f}x (per round: {each})"
            )
    return lines


if __name__ == "__main__":
    sys.exit(main())
