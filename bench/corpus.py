"""The benchmark corpora: the bundled articles, and RAMDocs and ConflictQA pooled into one corpus
each, built into stores.

RAMDocs ships a handful of documents per question; here all of them become one corpus of articles,
each remembering the question and type (correct, misinfo, noise) it came from. ConflictQA ships
6-10 search snippets per question; pooled the same way, a snippet's id comes from its text, so a
snippet shared by two questions is one document. Built stores are cached under a folder keyed by a
hash of the corpus, so re-runs only check file hashes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from index.embed import Embedder
from index.settings import REPO_ROOT, Settings
from index.store import Store

log = logging.getLogger(__name__)

ARTICLES_DIR = REPO_ROOT / "data" / "articles"
SEED_QUESTIONS = Path("/work/shared/eval/seed_questions.jsonl")
RAMDOCS = Path("/work/shared/data/ramdocs/RAMDocs_test.jsonl.gz")
CONFLICTQA = Path("/work/shared/data/qacc-conflictqa/ConflictQA_Dataset.json.gz")
CACHE_DIR = REPO_ROOT / "bench" / "out"


class Doc(Protocol):
    """A document of a pooled corpus: a file name and its text."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Snippet:
    """One ConflictQA search snippet as a document of the pooled corpus."""

    id: str
    text: str


@dataclass(frozen=True)
class SnippetQuestion:
    """One ConflictQA question and the ids of its snippets."""

    question: str
    snippets: frozenset[str]


@dataclass(frozen=True)
class RamDoc:
    """One RAMDocs document as an article of the pooled corpus."""

    id: str
    question: int
    type: str
    answer: str
    text: str


@dataclass(frozen=True)
class RamQuestion:
    """One RAMDocs question and the ids of the documents that came with it."""

    index: int
    question: str
    gold_answers: tuple[str, ...]
    wrong_answers: tuple[str, ...]
    docs: tuple[RamDoc, ...]

    @property
    def correct(self) -> set[str]:
        """Ids of its documents of type `correct`."""
        return {d.id for d in self.docs if d.type == "correct"}


def load_ramdocs(path: Path = RAMDOCS, sample: int | None = None) -> list[RamQuestion]:
    """The RAMDocs questions with globally unique document ids; `sample` keeps that many, evenly
    spaced (the file is ordered by the number of gold answers, so its head is not representative)."""
    questions: list[RamQuestion] = []
    serial = 0
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            record = json.loads(line)
            docs = []
            for doc in record["documents"]:
                serial += 1
                docs.append(RamDoc(f"doc{serial:05d}.txt", n, doc["type"], doc["answer"], doc["text"]))
            questions.append(
                RamQuestion(
                    n,
                    record["question"],
                    tuple(record["gold_answers"]),
                    tuple(record.get("wrong_answers") or ()),
                    tuple(docs),
                )
            )
    if sample is None or sample >= len(questions):
        return questions
    return [questions[i * len(questions) // sample] for i in range(sample)]


def load_conflictqa(
    path: Path = CONFLICTQA, limit: int | None = None
) -> tuple[list[SnippetQuestion], list[Snippet]]:
    """The first `limit` ConflictQA test-split questions and their pooled, de-duplicated snippets."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [r for r in json.load(handle) if r.get("split") == "test"][:limit]
    questions, snippets = [], {}
    for row in rows:
        ids = set()
        for context in row["contexts"]:
            text = str(context).strip()
            if text and text != "nan":
                doc = Snippet(f"cqa-{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt", text)
                snippets[doc.id] = doc
                ids.add(doc.id)
        questions.append(SnippetQuestion(row["question"], frozenset(ids)))
    return questions, list(snippets.values())


def corpus_key(texts: Sequence[tuple[str, str]]) -> str:
    """Short hash of (id, text) pairs: names the cache folder of a corpus."""
    digest = hashlib.sha256()
    for doc_id, text in texts:
        digest.update(doc_id.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:16]


def write_docs(docs: Sequence[Doc], folder: Path) -> None:
    """Write each document as `<id>` in `folder`, leaving files that already hold the same text."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        path = folder / doc.id
        data = doc.text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


def store_settings(store_dir: Path) -> Settings:
    """Default settings with the store at `store_dir` and the extractive (no model) backend."""
    settings = Settings()
    settings.store.path = store_dir
    settings.llm.backend = "none"
    return settings


def build_store(folder: Path, settings: Settings, embedder: Embedder) -> Store:
    """Build (or bring up to date) the store of `settings` from the files in `folder`."""
    from index.build import Builder

    store = Store(settings.store, embedder.name)
    report = Builder(store, embedder, settings.index).build([folder])
    log.info("store %s: %s", settings.store.path, report.summary())
    return store


def ramdocs_store(
    questions: Sequence[RamQuestion], embedder: Embedder, cache: Path = CACHE_DIR
) -> tuple[Settings, Store, Path]:
    """The cached store of the pooled documents of `questions`, and the cache folder it lives in."""
    return pooled_store("ramdocs", [d for q in questions for d in q.docs], embedder, cache)


def pooled_store(
    name: str, docs: Sequence[Doc], embedder: Embedder, cache: Path = CACHE_DIR
) -> tuple[Settings, Store, Path]:
    """The cached store of a pooled corpus, and the cache folder (`<name>-<hash>`) it lives in."""
    folder = cache / f"{name}-{corpus_key([(d.id, d.text) for d in docs])}"
    write_docs(docs, folder / "docs")
    settings = store_settings(folder / "store")
    return settings, build_store(folder / "docs", settings, embedder), folder


def prepare_process(torch_threads: int = 0) -> None:
    """Offline, quiet set-up every benchmark process starts with; `torch_threads` pins torch's pool."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if torch_threads:
        import torch

        torch.set_num_threads(torch_threads)
