"""Chunk size and overlap by measurement: dense retrieval quality and embedding cost per setting.

    .venv/bin/python bench/quality/chunk_size.py              # all of RAMDocs (several minutes)
    .venv/bin/python bench/quality/chunk_size.py --quick      # 60 evenly spaced RAMDocs questions

Two corpora, each cut with `index.chunk.chunk_article` at every setting and embedded with the
product's `Embedder` (identical chunk texts are embedded once across settings):

* the sample articles with the seed questions: share of the evidence articles among the top-k
  chunks' articles, and share of the key facts (`must_mention`) found in the top-k chunks' text,
  at k = 3 and 5 and at an equal context budget of about 2,100 characters (3 chunks of 700);
* pooled RAMDocs: recall@10 of each question's `correct` documents among the top-10 chunks.

Cost: chunks, tokens to embed (MiniLM reads at most 256 tokens; longer chunks are truncated, so
their tails are invisible to dense retrieval), and characters handed on per retrieved chunk.
Search is exact (dot products of normalised vectors), so the numbers are the embedding's own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

QUICK_QUESTIONS = 60
BUDGET_CHARS = 2100
MAX_TOKENS = 256


@dataclass(frozen=True)
class Setting:
    """One chunking setting."""

    chars: int
    overlap: int

    @property
    def label(self) -> str:
        """How the setting is named in the table."""
        return f"{self.chars} / {self.overlap}"


def main(argv: list[str] | None = None) -> int:
    """Measure every setting and print a Markdown table."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bench.corpus import ARTICLES_DIR, SEED_QUESTIONS, load_ramdocs
    from bench.quality.seeds import load_questions

    settings = [Setting(size, 1) for size in args.sizes]
    settings += [
        Setting(args.overlap_size, n) for n in args.overlaps if Setting(args.overlap_size, n) not in settings
    ]
    seeds = [q for q in load_questions(SEED_QUESTIONS) if q.evidence]
    ramdocs = load_ramdocs(sample=args.sample or (QUICK_QUESTIONS if args.quick else None))
    seed_articles = _seed_articles(ARTICLES_DIR)
    ram_articles = _ram_articles(ramdocs)
    cut = {s: (_chunks(seed_articles, s), _chunks(ram_articles, s)) for s in settings}
    space = _VectorSpace([c.text for pair in cut.values() for part in pair for c in part])
    space.embed_all([q.question for q in seeds] + [q.question for q in ramdocs])

    command = "python bench/quality/chunk_size.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"`{command.strip()}` on {date.today().isoformat()}:", end=" ")
    print(f"{len(seeds)} seed questions over {len(seed_articles)} articles;", end=" ")
    print(f"{len(ramdocs)} RAMDocs questions over {len(ram_articles)} documents.\n")
    print(
        "| chars / overlap | seed chunks | evidence@3 | evidence@5 | facts@3 | facts@5 | facts@budget (k) "
        "| RAMDocs chunks | recall@10 | chars per chunk | over 256 tokens | tokens to embed |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    base_tokens = space.tokens([c.text for c in cut[Setting(700, 1)][1]]) if Setting(700, 1) in cut else 0
    for setting in settings:
        seed_chunks, ram_chunks = cut[setting]
        seed = _seed_scores(seeds, seed_chunks, space, setting.chars)
        recall = _ramdocs_recall(ramdocs, ram_chunks, space)
        texts = [c.text for c in ram_chunks]
        tokens = space.tokens(texts)
        over = sum(space.length(t) > MAX_TOKENS for t in texts) / len(texts)
        relative = f" ({tokens / base_tokens:.2f}x)" if base_tokens else ""
        print(
            f"| {setting.label} | {len(seed_chunks)} | {seed['evidence@3']:.2f} | {seed['evidence@5']:.2f} "
            f"| {seed['facts@3']:.2f} | {seed['facts@5']:.2f} | {seed['facts@budget']:.2f} ({seed['k']}) "
            f"| {len(ram_chunks)} | {recall:.3f} | {sum(map(len, texts)) / len(texts):.0f} | {over:.1%} "
            f"| {tokens:,}{relative} |"
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bench/quality/chunk_size.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 500, 700, 1000, 1500])
    parser.add_argument("--overlaps", type=int, nargs="+", default=[0, 1, 2], help="sentences of overlap")
    parser.add_argument("--overlap-size", type=int, default=700, help="chunk size the overlaps are tried at")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_QUESTIONS} RAMDocs questions")
    parser.add_argument("--sample", type=int, default=0, help="only N evenly spaced RAMDocs questions")
    return parser


def _seed_articles(folder: Path) -> list[Any]:
    from index.load import read_documents
    from index.prepare import prepare

    paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return [prepare(doc) for p in paths for doc in read_documents(p, p.name, p.read_bytes())]


def _ram_articles(questions: Sequence[Any]) -> list[Any]:
    from index.load import Document
    from index.prepare import prepare

    articles = [prepare(Document(d.id, d.text)) for q in questions for d in q.docs]
    return [a for a in articles if a.text.strip()]


def _chunks(articles: Sequence[Any], setting: Setting) -> list[Any]:
    from index.chunk import chunk_article

    return [c for a in articles for c in chunk_article(a, setting.chars, setting.overlap)]


def _seed_scores(
    questions: Sequence[Any], chunks: Sequence[Any], space: _VectorSpace, chars: int
) -> dict[str, Any]:
    """Evidence-article recall and key-fact coverage of the top-k chunks, averaged over questions."""
    from bench.metrics import fact_coverage, mean, recall_at_k

    budget_k = max(1, round(BUDGET_CHARS / chars))
    out: dict[str, Any] = {"k": budget_k}
    matrix = space.matrix([c.text for c in chunks])
    ranked = [space.top(q.question, matrix, max(5, budget_k)) for q in questions]
    for name, k in (("3", 3), ("5", 5), ("budget", budget_k)):
        tops = [[chunks[i] for i in order[:k]] for order in ranked]
        out[f"evidence@{name}"] = mean(
            recall_at_k([c.article_id for c in top], q.evidence, k)
            for q, top in zip(questions, tops, strict=True)
        )
        out[f"facts@{name}"] = mean(
            fact_coverage(q.must_mention, [c.text for c in top])
            for q, top in zip(questions, tops, strict=True)
        )
    return out


def _ramdocs_recall(questions: Sequence[Any], chunks: Sequence[Any], space: _VectorSpace) -> float:
    from bench.metrics import mean, recall_at_k

    matrix = space.matrix([c.text for c in chunks])
    return mean(
        recall_at_k([chunks[i].article_id for i in space.top(q.question, matrix, 10)], q.correct, 10)
        for q in questions
    )


class _VectorSpace:
    """Vectors of every text the run needs, embedded once, in one length-sorted call."""

    def __init__(self, texts: Sequence[str]) -> None:
        from index.embed import Embedder, load_model

        self.embedder = Embedder()
        self.tokenizer = load_model(self.embedder.model_path, self.embedder.precision).tokenizer
        self.vectors: dict[str, Any] = {}
        self._lengths: dict[str, int] = {}
        self.embed_all(texts)

    def embed_all(self, texts: Sequence[str]) -> None:
        """Embed the texts not seen yet."""
        import numpy as np

        todo = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if todo:
            print(f"embedding {len(todo)} distinct texts ...", file=sys.stderr, flush=True)
            vectors = np.asarray(self.embedder.embed_documents(todo), dtype=np.float32)
            self.vectors.update(zip(todo, vectors, strict=True))

    def matrix(self, texts: Sequence[str]) -> Any:
        """The texts' vectors as rows of one array."""
        import numpy as np

        return np.stack([self.vectors[t] for t in texts])

    def top(self, query: str, matrix: Any, k: int) -> list[int]:
        """Row numbers of the k rows nearest to the query, best first."""
        import numpy as np

        scores = matrix @ self.vectors[query]
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]

    def length(self, text: str) -> int:
        """Tokens of a text with the special tokens, before truncation."""
        if text not in self._lengths:
            self._lengths[text] = len(self.tokenizer(text, add_special_tokens=True)["input_ids"])
        return self._lengths[text]

    def tokens(self, texts: Sequence[str]) -> int:
        """Tokens the model actually reads for these texts (each truncated at its maximum)."""
        return sum(min(self.length(t), MAX_TOKENS) for t in texts)


if __name__ == "__main__":
    sys.exit(main())
