"""One cell of the scale benchmark, run in its own process: open a store (embedded or through a
Chroma server), build the retriever's snapshot, then time retrieval and the extractive `ask`.

Every timed question is new to the process: the warm-up, the retrieval timings and the `ask`
timings of every repetition use disjoint questions, so no per-question cache (query vectors) is
hit, while the chunk snapshot and the BM25 index are built once, as in the running app.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from bench.speed.growth import spread
from index.settings import Settings

BM25_CHOICES = ("sparse", "rank-bm25")


def questions_needed(reps: int, per_rep: int, warm: int) -> int:
    """How many distinct questions a measurement with these counts uses."""
    return warm + 2 * reps * per_rep


def measure(
    settings: Settings, questions: Sequence[str], reps: int, per_rep: int, warm: int, bm25: str = "sparse"
) -> dict[str, Any]:
    """Snapshot build time and memory, then retrieval and `ask` timings, one repetition at a time."""
    from assistant.core import Assistant
    from index.embed import Embedder

    if len(questions) < questions_needed(reps, per_rep, warm):
        raise ValueError(f"{len(questions)} questions; {questions_needed(reps, per_rep, warm)} needed")
    if bm25 == "rank-bm25":
        use_rank_bm25()
    embedder = Embedder.from_settings(settings.embedding)
    embedder.embed_query("warm up")
    assistant = Assistant(settings, embedder=embedder)
    before = rss_mib()
    started = time.perf_counter()
    snapshot = assistant.retriever.snapshot()
    snapshot_s = time.perf_counter() - started
    retriever_mib = rss_mib() - before
    for question in questions[:warm]:
        assistant.ask(question)
    load_before = os.getloadavg()[0]
    timed: dict[str, list[list[float]]] = {"retrieval": [], "retrieval_cpu": [], "ask": [], "ask_cpu": []}
    for rep in range(reps):
        lo = warm + 2 * rep * per_rep
        for name, call, chosen in (
            ("retrieval", assistant.retriever.retrieve, _retrieval_questions(questions, rep, per_rep, warm)),
            ("ask", assistant.ask, questions[lo + per_rep : lo + 2 * per_rep]),
        ):
            timings = [_ms(call, q) for q in chosen]
            timed[name].append([wall for wall, _ in timings])
            timed[name + "_cpu"].append([used for _, used in timings])
    parts = breakdown(
        assistant, [q for rep in range(reps) for q in _retrieval_questions(questions, rep, per_rep, warm)]
    )
    assistant.store.close()
    return {
        "parts_ms": parts,
        "chunks": len(snapshot.chunks),
        "snapshot_s": snapshot_s,
        "retriever_mib": retriever_mib,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **{name: vars(spread(reps_ms)) for name, reps_ms in timed.items()},
        "reps_ms": timed,
        "loadavg": [load_before, os.getloadavg()[0]],
    }


def _retrieval_questions(questions: Sequence[str], rep: int, per_rep: int, warm: int) -> Sequence[str]:
    lo = warm + 2 * rep * per_rep
    return questions[lo : lo + per_rep]


def breakdown(assistant: Any, questions: Sequence[str]) -> dict[str, float]:
    """Median milliseconds of the parts of retrieval, on questions already asked (their vectors
    cached): the dense search through `Store.search`, the `count()` it makes on every call, the
    bare HNSW query (ids only), and the BM25 candidates."""
    from assistant.text.terms import content_terms

    retriever = assistant.retriever
    snapshot = retriever.snapshot()
    vectors = [retriever.query_vector(q) for q in questions]
    k = retriever.settings.candidates
    chunks = retriever.store.chunks
    timings: dict[str, list[float]] = {"search": [], "count": [], "hnsw": [], "bm25": []}
    for question, vector in zip(questions, vectors, strict=True):
        calls = {
            "search": partial(retriever.store.search, vector, k, None, current=snapshot.current),
            "count": retriever.store.chunk_count,
            "hnsw": partial(chunks.query, query_embeddings=[vector], n_results=k, include=[]),
            "bm25": partial(snapshot.bm25.top, content_terms(question), k),
        }
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            timings[name].append(1000 * (time.perf_counter() - started))
    return {name: statistics.median(ms) for name, ms in timings.items() if ms}


def _ms(call: Callable[[str], Any], question: str) -> tuple[float, float]:
    """Wall-clock and process CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    call(question)
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def rss_mib() -> float:
    """Resident memory of this process now, MiB (Linux; 0 where /proc is missing)."""
    return process_memory_mib(os.getpid(), "VmRSS")


def process_memory_mib(pid: int, field: str = "VmHWM") -> float:
    """A memory field of a Linux process's status (VmHWM: peak resident), MiB; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RankBM25:
    """The retriever's BM25 before `assistant.bm25`: rank_bm25's `BM25Okapi`, a Python loop over
    every document per query term, and a sort of all scores; the baseline of the sparse index."""

    def __init__(self, corpus: Iterable[Sequence[str]]) -> None:
        from rank_bm25 import BM25Okapi

        tokens = [list(doc) for doc in corpus]
        self._doc_freq: Counter[str] = Counter()
        for doc in tokens:
            self._doc_freq.update(set(doc))
        self._bm25 = BM25Okapi(tokens) if tokens and any(tokens) else None

    def df(self, term: str) -> int:
        """How many documents contain `term`."""
        return self._doc_freq.get(term, 0)

    def top(self, query: Sequence[str], limit: int, admits: Callable[[int], bool] | None = None) -> list[int]:
        """The old `_sparse` loop: all scores sorted, positive ones taken in order."""
        if self._bm25 is None:
            return []
        scores = self._bm25.get_scores(list(query))
        out: list[int] = []
        for i in sorted(range(len(scores)), key=lambda i: -scores[i]):
            if scores[i] <= 0 or len(out) >= limit:
                break
            if admits is None or admits(i):
                out.append(i)
        return out


def use_rank_bm25() -> None:
    """Make retrievers built after this call in this process use `RankBM25` (benchmark baseline)."""
    import assistant.retrieve

    assistant.retrieve.SparseBM25 = RankBM25  # type: ignore[misc,assignment]
