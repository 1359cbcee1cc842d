"""The benchmark plots in `docs/`: latency against corpus size, indexing throughput against the
naive pipeline. matplotlib with the Agg backend (no display); imported only when plotting."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.report import REPO_ROOT

DOCS = REPO_ROOT / "docs"
LATENCY_PNG = DOCS / "bench_latency_vs_size.png"
THROUGHPUT_PNG = DOCS / "bench_indexing_throughput.png"
_STYLES = {
    ("embedded", "sparse"): ("tab:blue", "o", "embedded Chroma"),
    ("server", "sparse"): ("tab:orange", "s", "Chroma server"),
    ("embedded", "rank-bm25"): ("tab:gray", "^", "embedded, old rank-bm25 BM25"),
}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def latency_vs_size(cells: Sequence[dict[str, Any]], path: Path = LATENCY_PNG) -> Path:
    """Two log-log panels, retrieval and extractive `ask`: p50 (solid) and p95 (dashed) per setup."""
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    fig, axes = plt.subplots(1, 2, figsize=(11, 5), sharey=True)
    for ax, measure, title in zip(
        axes, ("retrieval", "ask"), ("Retrieval only", "Extractive ask"), strict=True
    ):
        for (mode, bm25), (color, marker, label) in _STYLES.items():
            rows = sorted(
                (c for c in cells if c["mode"] == mode and c["bm25"] == bm25), key=lambda c: c["size"]
            )
            if not rows:
                continue
            sizes = [c["chunks"] for c in rows]
            ax.plot(
                sizes, [c[measure]["p50"] for c in rows], color=color, marker=marker, label=f"{label} p50"
            )
            ax.plot(
                sizes,
                [c[measure]["p95"] for c in rows],
                color=color,
                ls="--",
                alpha=0.6,
                label=f"{label} p95",
            )
        ax.set(xscale="log", yscale="log", title=title, xlabel="corpus size (chunks)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _short(v)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}" if str(v)[0] in "25" else ""))
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("latency per question (ms)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle("Query latency against corpus size (RAMDocs repeated with perturbed text)")
    return _save(fig, path, bottom=0.12)


def throughput_vs_baseline(summary: dict[str, Any], path: Path = THROUGHPUT_PNG) -> Path:
    """Documents/s per pipeline (bars: medians, dots: runs) and peak memory, ours against naive."""
    plt = _pyplot()
    medians = summary["medians"]
    names = list(medians)
    fig, (speed, memory) = plt.subplots(1, 2, figsize=(10, 4))
    colors = ["tab:blue" if n.startswith("ours") else "tab:gray" for n in names]
    speed.bar(names, [medians[n]["docs_per_s"] for n in names], color=colors, alpha=0.8)
    memory.bar(names, [medians[n]["peak_rss_mib"] for n in names], color=colors, alpha=0.8)
    for i, name in enumerate(names):
        runs = [r for r in summary["runs"] if r["pipeline"] == name]
        for ax, key, fmt in ((speed, "docs_per_s", "{:.1f}"), (memory, "peak_rss_mib", "{:,.0f}")):
            ax.scatter([i] * len(runs), [r[key] for r in runs], color="black", s=12, zorder=3, label=None)
            value = medians[name][key]
            ax.text(i, value / 2, fmt.format(value), ha="center", va="center", color="white")
    docs = summary["runs"][0]["docs"]
    ratios = summary["round_ratios"]["docs_per_s"]
    ratio = f" (ours / naive {statistics.median(ratios):.2f}x)" if ratios else ""
    speed.set(title=f"Indexing {docs:,} RAMDocs documents{ratio}", ylabel="documents per second")
    memory.set(title="Peak memory of the indexing process", ylabel="peak RSS (MiB)")
    for ax in (speed, memory):
        ax.grid(True, axis="y", alpha=0.3)
    fig.text(0.5, 0.01, "bars: medians; dots: each run", ha="center", fontsize=8)
    return _save(fig, path)


def _short(n: float) -> str:
    """1000 -> 1k, 1000000 -> 1M."""
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if n >= scale:
            return f"{n / scale:g}{unit}"
    return f"{n:g}"


def _save(fig: Any, path: Path, bottom: float = 0.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout(rect=(0.0, bottom, 1.0, 1.0))
    fig.savefig(path, dpi=110)
    _pyplot().close(fig)
    return path
