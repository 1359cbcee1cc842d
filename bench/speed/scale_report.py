"""The Markdown of the scale benchmark: corpus builds, latency per size and setup, fitted growth,
the sparse BM25 against rank-bm25; written to the `bench-scale` section of docs/BENCHMARKS.md."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from bench.report import stamp, update_section
from bench.speed.growth import fit_power_law

SECTION = "bench-scale"
_SETUPS = (("embedded", "sparse"), ("server", "sparse"), ("embedded", "rank-bm25"))
_GROWTH = (
    ("retrieval", "retrieval p50"),
    ("retrieval_cpu", "retrieval CPU p50"),
    ("ask", "`ask` p50"),
    ("ask_cpu", "`ask` CPU p50"),
    ("snapshot_s", "snapshot build"),
)


def publish(summary: dict[str, Any], command: str, write: bool = True, section: str = SECTION) -> str:
    """The section's Markdown; with `write`, also into BENCHMARKS.md (the main section with the
    plot beside it)."""
    lines = [stamp(command), "", *_context(summary), "", *build_table(summary["builds"])]
    lines += ["", *latency_table(summary["cells"]), "", *growth_table(summary["cells"])]
    lines += ["", *parts_table(summary["cells"]), "", *baseline_lines(summary["cells"])]
    if write and section == SECTION:
        from bench.speed.plots import LATENCY_PNG, latency_vs_size

        latency_vs_size(summary["cells"])
        lines += ["", f"![Latency against corpus size]({LATENCY_PNG.name})"]
    text = "\n".join(lines)
    if write:
        update_section(section, text)
    return text


def _context(summary: dict[str, Any]) -> list[str]:
    loads = [x for c in summary["cells"] for x in c["loadavg"]]
    return [
        f"{os.cpu_count()} CPUs; 1-minute load average {min(loads):.1f}-{max(loads):.1f} during the "
        f"measurements; {summary['reps']} repetitions of {summary['per_rep']} questions for retrieval and "
        f"{summary['per_rep']} other questions for `ask` per cell (p50 and p95: medians over the "
        f"repetitions); whole benchmark {summary['wall_s'] / 60:.1f} min."
    ]


def build_table(builds: dict[Any, dict[str, Any]]) -> list[str]:
    """One row per corpus: how long writing it through `Store.write_articles` took."""
    lines = [
        "| chunks | articles | build s | chunks/s | disk MiB | built |",
        "|---|---|---|---|---|---|",
    ]
    for b in sorted(builds.values(), key=lambda b: b["chunks"]):
        built = "cached (earlier run)" if b.get("cached") else "this run"
        lines.append(
            f"| {b['chunks']:,} | {b['articles']:,} | {b['build_s']:.0f} | {b['chunks'] / b['build_s']:.0f} "
            f"| {b['disk_mib']:,.0f} | {built} |"
        )
    return lines


def latency_table(cells: Sequence[dict[str, Any]]) -> list[str]:
    """One row per size and setup: latency, snapshot build, memory."""
    lines = [
        "| chunks | Chroma | BM25 | retrieval p50 ms | retrieval p95 ms | `ask` p50 ms | `ask` p95 ms "
        "| retrieval CPU p50 ms | `ask` CPU p50 ms | snapshot build s | retriever RAM MiB "
        "| client peak RSS MiB | server peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in sorted(cells, key=lambda c: (c["size"], _SETUPS.index((c["mode"], c["bm25"])))):
        server = f"{c['server_peak_rss_mib']:,.0f}" if c.get("server_peak_rss_mib") else "-"
        lines.append(
            f"| {c['chunks']:,} | {c['mode']} | {c['bm25']} | {c['retrieval']['p50']:.0f} "
            f"| {c['retrieval']['p95']:.0f} | {c['ask']['p50']:.0f} | {c['ask']['p95']:.0f} "
            f"| {c['retrieval_cpu']['p50']:.0f} | {c['ask_cpu']['p50']:.0f} | {c['snapshot_s']:.1f} "
            f"| {c['retriever_mib']:,.0f} "
            f"| {c['peak_rss_mib']:,.0f} | {server} |"
        )
    return lines


def growth_table(cells: Sequence[dict[str, Any]]) -> list[str]:
    """The fitted exponent b of latency ~ a * N^b for every setup measured at two or more sizes."""
    lines = [
        "Growth with corpus size N, least squares on log-log axes (b = 1 is linear, b = 0 flat):",
        "",
        "| setup | measure | b | predicted at 1M chunks | sizes |",
        "|---|---|---|---|---|",
    ]
    for mode, bm25 in _SETUPS:
        rows = [c for c in cells if c["mode"] == mode and c["bm25"] == bm25]
        if len({c["size"] for c in rows}) < 2:
            continue
        sizes = [c["chunks"] for c in rows]
        for key, label in _GROWTH:
            values = [c[key]["p50"] if isinstance(c[key], dict) else c[key] for c in rows]
            fit = fit_power_law(sizes, values)
            unit = " s" if key == "snapshot_s" else " ms"
            lines.append(
                f"| {mode}, {bm25} | {label} | {fit.b:.2f} | {fit.at(1_000_000):,.0f}{unit} "
                f"| {', '.join(f'{s:,}' for s in sorted(sizes))} |"
            )
    return lines


def parts_table(cells: Sequence[dict[str, Any]]) -> list[str]:
    """Where retrieval time goes: medians of its parts, timed again on the questions just asked."""
    rows = [c for c in cells if "parts_ms" in c]
    if not rows:
        return []
    lines = [
        "Parts of retrieval (median ms, each timed alone after the run, query vectors cached): "
        "`Store.search` is the dense half, which calls `count()` on every query and then the HNSW "
        "query with metadata and text; the bare HNSW query returns ids only.",
        "",
        "| chunks | Chroma | BM25 | `Store.search` | of which `count()` | bare HNSW query | BM25 top 40 |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in sorted(rows, key=lambda c: (c["size"], _SETUPS.index((c["mode"], c["bm25"])))):
        p = c["parts_ms"]
        lines.append(
            f"| {c['chunks']:,} | {c['mode']} | {c['bm25']} | {p['search']:.1f} | {p['count']:.1f} "
            f"| {p['hnsw']:.1f} | {p['bm25']:.1f} |"
        )
    return lines


def baseline_lines(cells: Sequence[dict[str, Any]]) -> list[str]:
    """The sparse BM25 against rank-bm25 at every size both ran (embedded Chroma, same run)."""
    pairs = []
    for c in cells:
        if c["mode"] == "embedded" and c["bm25"] == "rank-bm25":
            new = next(
                n
                for n in cells
                if n["size"] == c["size"] and n["mode"] == "embedded" and n["bm25"] == "sparse"
            )
            pairs.append((c, new))
    if not pairs:
        return []
    lines = [
        "BM25 in the retriever, `assistant/bm25.py` (sparse postings) against rank-bm25 (a Python loop "
        "over every chunk per query term), embedded Chroma, same run:",
        "",
        "| chunks | retrieval p50 ms rank-bm25 -> sparse | speed-up | `ask` p50 ms | snapshot build s "
        "| retriever RAM MiB |",
        "|---|---|---|---|---|---|",
    ]
    for old, new in sorted(pairs, key=lambda p: p[0]["size"]):
        lines.append(
            f"| {old['chunks']:,} | {old['retrieval']['p50']:.0f} -> {new['retrieval']['p50']:.0f} "
            f"| {old['retrieval']['p50'] / new['retrieval']['p50']:.1f}x "
            f"| {old['ask']['p50']:.0f} -> {new['ask']['p50']:.0f} "
            f"| {old['snapshot_s']:.1f} -> {new['snapshot_s']:.1f} "
            f"| {old['retriever_mib']:,.0f} -> {new['retriever_mib']:,.0f} |"
        )
    return lines
