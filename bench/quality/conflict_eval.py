"""Conflict-detection evaluation (fast, offline, no LLM): does the detector report a contradiction
exactly when the sources disagree?

    python -m bench.quality.conflict_eval                 # seed questions, RAMDocs, ConflictQA
    python -m bench.quality.conflict_eval --part ramdocs --show 5
    python -m bench.quality.conflict_eval --part conflictqa --split dev   # tune rules on train+dev, not test
    python -m bench.quality.conflict_eval --write  # also rewrite the "conflicts" section of BENCHMARKS.md

* Seed questions: every `conflict: true` question must yield a contradiction between the articles in
  `conflict_between`; no other answerable question may report one.
* RAMDocs (test): the question's documents are its articles. Label: the pool holds at least one
  `misinfo` document, i.e. a document stating a wrong answer beside the correct ones. Documents
  about different entities sharing a name (several gold answers) are ambiguity, not conflict.
* ConflictQA / QACC (test split; `--split dev` reads the train and dev rows instead): the snippets
  are the articles (their leading date becomes the publication date). Label: annotators found a
  second supported answer (`secondAnswerExist == "A"`).

Reported: precision and recall of "a contradiction is reported" (and, as a second row, of "any
disagreement is reported", `different-time` included: ConflictQA counts outdated answers as
conflicts), for the detector and for a baseline that flags two question-relevant passages from
different articles stating different numbers. Prints Markdown tables; exits 1 when a development
question is wrong.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Passage
from assistant.conflicts.detect import CONTRADICTION, detect_conflicts
from assistant.text.terms import content_terms
from bench.report import stamp, update_section
from index.article import Article
from index.chunk import chunk_article
from index.load import read_documents
from index.prepare import prepare
from index.sentences import sentence_spans

DATA = Path("/work/shared/data")
SEEDS = Path("/work/shared/eval/seed_questions.jsonl")
ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
_SNIPPET_DATE = re.compile(r"^([A-Z][a-z]{2} \d{1,2}, \d{4}) \.\.\. ")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Case:
    """One question with its pooled articles and whether they disagree."""

    question: str
    articles: dict[str, Article]
    conflict: bool


@dataclass
class Tally:
    """Confusion counts of one detector on one data set."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        """Count one case."""
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        """Share of flagged cases that are conflicts; None when nothing was flagged."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Share of conflicts that were flagged; None when there are none."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def row(self, name: str) -> str:
        """A Markdown table row: precision, recall, F1 and the counts ("–" where undefined)."""
        flagged, actual = self.tp + self.fp, self.tp + self.fn
        p = self.tp / flagged if flagged else None
        r = self.tp / actual if actual else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        shown = " | ".join("–" if x is None else f"{x:.3f}" for x in (p, r, f))
        return f"| {name} | {shown} | {flagged} | {self.tp} | {self.fp} | {self.fn} | {self.tn} |"


def passages_of(articles: dict[str, Article]) -> list[Passage]:
    """All chunks of the articles, numbered: the 'retrieved passages' of a pooled question."""
    chunks = [c for a in articles.values() for c in chunk_article(a)]
    return [Passage(i + 1, c) for i, c in enumerate(chunks)]


def detector(case: Case) -> tuple[bool, bool]:
    """(a contradiction is reported, any disagreement is reported, different-time included)."""
    found = detect_conflicts(case.question, passages_of(case.articles), case.articles)
    return any(c.kind == CONTRADICTION for c in found), bool(found)


def baseline(case: Case) -> bool:
    """Two question-relevant sentences from different articles state disjoint sets of numbers."""
    wanted = set(content_terms(case.question)) - {n for n in content_terms(case.question) if n[0].isdigit()}
    numbers: list[set[str]] = []
    for article in case.articles.values():
        found: set[str] = set()
        for lo, hi in sentence_spans(article.text):
            sentence = article.text[lo:hi]
            if wanted and len(wanted & set(content_terms(sentence))) * 2 >= len(wanted):
                found |= {n.replace(",", "") for n in _NUMBER.findall(sentence)}
        if found:
            numbers.append(found)
    return any(not (a & b) for i, a in enumerate(numbers) for b in numbers[i + 1 :])


def ramdocs(path: Path) -> Iterator[Case]:
    """RAMDocs questions with their documents as articles."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            docs = row["documents"]
            articles = {f"doc{i}": Article(f"doc{i}", d["text"]) for i, d in enumerate(docs)}
            yield Case(row["question"], articles, any(d["type"] == "misinfo" for d in docs))


def conflictqa(path: Path, splits: tuple[str, ...] = ("test",)) -> Iterator[Case]:
    """ConflictQA (QACC) questions of the given splits with their search snippets as articles."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = json.load(handle)
    for row in rows:
        if row.get("split") not in splits:
            continue
        articles = {}
        for i, (text, source) in enumerate(zip(row["contexts"], row["sources"], strict=False)):
            text, published = _snippet(str(text))
            articles[f"ctx{i}"] = Article(f"ctx{i}", text, outlet=str(source), published=published)
        yield Case(row["question"], articles, row.get("secondAnswerExist") == "A")


def _snippet(text: str) -> tuple[str, str]:
    """Split Google's "Nov 17, 2014 ... " prefix off a snippet into an ISO publication date."""
    match = _SNIPPET_DATE.match(text)
    if not match:
        return text, ""
    published = time.strftime("%Y-%m-%d", time.strptime(match.group(1), "%b %d, %Y"))
    return text[match.end() :], published


def seeds(articles_dir: Path, questions: Path) -> tuple[int, int, list[str]]:
    """(questions right, questions, what went wrong) on the development questions."""
    articles = {}
    for path in sorted(articles_dir.iterdir()):
        for doc in read_documents(path, path.name, path.read_bytes()):
            article = prepare(doc)
            articles[article.id] = article
    passages = passages_of(articles)
    right, total, problems = 0, 0, []
    for line in questions.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if q.get("unanswerable"):
            continue
        total += 1
        found = [c for c in detect_conflicts(q["question"], passages, articles) if c.kind == CONTRADICTION]
        pairs = [{s.source for s in c.sides} for c in found]
        wanted = [set(p) for p in q.get("conflict_between", [])]
        ok = all(any(w <= p for p in pairs) for w in wanted) if q["conflict"] else not found
        right += ok
        if not ok:
            problems.append(f"{q['id']}: expected {wanted or 'none'}, got {pairs or 'none'}")
    return right, total, problems


def evaluate(cases: Iterator[Case], show: int) -> tuple[Tally, Tally, Tally, float, list[str]]:
    """Run the detector and the baseline over the cases."""
    ours, anything, base = Tally(), Tally(), Tally()
    examples: list[str] = []
    started = time.perf_counter()
    for case in cases:
        contradiction, disagreement = detector(case)
        ours.add(contradiction, case.conflict)
        anything.add(disagreement, case.conflict)
        base.add(baseline(case), case.conflict)
        if contradiction and not case.conflict and len(examples) < show:
            examples.append(case.question)
    return ours, anything, base, time.perf_counter() - started, examples


def summary(name: str, data: Path = DATA, limit: int | None = None) -> dict[str, Tally]:
    """Confusion counts on one data set ("ramdocs" or "conflictqa", test split), optionally on its
    first `limit` questions: "ours" (contradiction), "ours-any" (any kind) and "baseline"."""
    cases = (
        ramdocs(data / "ramdocs" / "RAMDocs_test.jsonl.gz")
        if name == "ramdocs"
        else conflictqa(data / "qacc-conflictqa" / "ConflictQA_Dataset.json.gz")
    )
    ours, anything, base, _, _ = evaluate(itertools.islice(cases, limit), 0)
    return {"ours": ours, "ours-any": anything, "baseline": base}


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation tables; exit code 1 when a development question is wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("seeds", "ramdocs", "conflictqa", "all"), default="all")
    parser.add_argument(
        "--data", type=Path, default=DATA, help="folder holding ramdocs/ and qacc-conflictqa/"
    )
    parser.add_argument("--show", type=int, default=0, help="print this many false alarms per data set")
    parser.add_argument(
        "--write", action="store_true", help="write the tables into docs/BENCHMARKS.md (all parts, test)"
    )
    parser.add_argument(
        "--split",
        choices=("test", "dev"),
        default="test",
        help="ConflictQA split: test (reported) or dev (its train and dev rows, for tuning rules)",
    )
    args = parser.parse_args(argv)
    lines = ["# Conflict detection", ""]
    status = 0
    if args.part in ("seeds", "all"):
        right, total, problems = seeds(ARTICLES, SEEDS)
        lines += [f"Development questions: {right}/{total} right (contradiction exactly where expected)", ""]
        lines += [f"- {problem}" for problem in problems]
        status = int(bool(problems))
    sets: dict[str, Callable[[], Iterator[Case]]] = {
        "ramdocs": lambda: ramdocs(args.data / "ramdocs" / "RAMDocs_test.jsonl.gz"),
        "conflictqa": lambda: conflictqa(
            args.data / "qacc-conflictqa" / "ConflictQA_Dataset.json.gz",
            ("test",) if args.split == "test" else ("train", "dev"),
        ),
    }
    lines += [
        "| data set | detector | precision | recall | F1 | flagged | TP | FP | FN | TN |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for name, cases in sets.items():
        if args.part not in (name, "all"):
            continue
        ours, anything, base, seconds, examples = evaluate(cases(), args.show)
        lines.append(ours.row(f"{name} | conflicts.py: contradiction"))
        lines.append(anything.row(f"{name} | conflicts.py: any kind"))
        lines.append(base.row(f"{name} | baseline (different numbers)"))
        notes.append(f"{name}: {seconds:.1f} s for both detectors")
        notes += [f"  false alarm: {q}" for q in examples]
    print("\n".join(lines) + "\n\n" + "\n".join(notes))
    if args.write and args.part == "all" and args.split == "test":
        body = [stamp("python -m bench.quality.conflict_eval --write"), "", *lines[2:], "", *notes]
        update_section("conflicts", "\n".join(body))
    return status


if __name__ == "__main__":
    sys.exit(main())
