"""How far precision can go on ConflictQA by ranking: the questions where sources answer differently
(disputes.py, with a looser relevance floor so that more questions are ranked), ordered by two
confidence scores, and the precision of the top k.

    python -m bench.quality.conflict_curve                # test split
    python -m bench.quality.conflict_curve --split dev    # train and dev rows
    python -m bench.quality.conflict_curve --write        # also the "conflict-curve" section of BENCHMARKS.md

Scores of a question (the best disagreeing pair of answers, the weaker side of the pair):
* lexical: the share of the question's rarity-weighted words the answering sentence restates;
* MiniLM: cosine similarity of the question and the answering sentence under the packaged
  all-MiniLM-L6-v2, which was trained on question/answer pairs (Natural Questions among them, the
  source of ConflictQA's questions).
If no k with at least a handful of flags reaches precision 0.8, no threshold on these scores can.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.conflicts.disputes import disputes
from bench.quality.conflict_eval import DATA, conflictqa
from bench.report import stamp, update_section
from index.embed import Embedder

LEAST = 0.4  # relevance floor for ranking (the detector's own floors are in assistant/conflicts/floors.json)
TOP = (1, 2, 3, 5, 10, 15, 20, 30)


@dataclass(frozen=True)
class Ranked:
    """One question that disputes.py finds answered differently, with its scores and its label."""

    question: str
    lexical: float
    minilm: float
    conflict: bool


def ranked(split: str, embed: Callable[[list[str]], list[list[float]]]) -> tuple[list[Ranked], int, int]:
    """(the ranked questions, questions, labelled conflicts) of a ConflictQA split."""
    splits = ("test",) if split == "test" else ("train", "dev")
    out, total, positives = [], 0, 0
    for case in conflictqa(DATA / "qacc-conflictqa" / "ConflictQA_Dataset.json.gz", splits):
        total += 1
        positives += case.conflict
        spans = {s: [(0, len(a.text))] for s, a in case.articles.items()}
        found = disputes(case.question, spans, case.articles, least=LEAST)
        if not found:
            continue
        dispute = found[0]
        texts = [case.articles[c.source].text[c.sentence[0] : c.sentence[1]] for c in dispute.sides]
        q, *vs = (np.asarray(v) for v in embed([case.question, *texts]))
        sims = [float(np.dot(q, v)) for v in vs]
        minilm = max(min(sims[i], sims[j]) for i, j in dispute.pairs)
        out.append(Ranked(case.question, dispute.score, minilm, case.conflict))
    return out, total, positives


def top_precision(rows: Sequence[Ranked], score: Callable[[Ranked], float], k: int) -> str:
    """Precision of the k best-scored questions, with its counts: "0.400 (2/5)"; "–" past the end."""
    if k > len(rows):
        return "–"
    best = sorted(rows, key=score, reverse=True)[:k]
    hits = sum(r.conflict for r in best)
    return f"{hits / k:.3f} ({hits}/{k})"


def main(argv: list[str] | None = None) -> int:
    """Print the precision-at-k table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--write", action="store_true", help="write the table into docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    embedder = Embedder()
    rows, total, positives = ranked(args.split, embedder.embed_documents)
    lines = [
        f"ConflictQA {args.split}: {total} questions, {positives} labelled conflicts "
        f"(base rate {positives / total:.3f}); {len(rows)} ranked (answers differ at relevance >= {LEAST}), "
        f"{sum(r.conflict for r in rows)} of them labelled conflicts.",
        "",
        "| top k | precision by lexical relevance | precision by MiniLM similarity |",
        "|---|---|---|",
    ]
    for k in TOP:
        lexical = top_precision(rows, lambda r: r.lexical, k)
        minilm = top_precision(rows, lambda r: r.minilm, k)
        lines.append(f"| {k} | {lexical} | {minilm} |")
    print("\n".join(lines))
    if args.write:
        command = "python -m bench.quality.conflict_curve" + (" --split dev" if args.split == "dev" else "")
        update_section(f"conflict-curve-{args.split}", "\n".join([stamp(command), "", *lines]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
