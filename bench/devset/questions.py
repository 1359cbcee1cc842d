"""The development set's questions and corpus: invented stories bundled in `bench/devset/invented/`,
real multi-outlet coverage materialised from `../shared/data` at evaluation time.

Every question carries the fields of the seed questions plus `story`, `split` (`tune` or `check`, a
seeded hash of the story, so no check story is read while rules are written), `category`, `tags`
and `history` (earlier turns of a follow-up).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.quality.seeds import SeedQuestion

DEVSET = Path(__file__).resolve().parent
INVENTED = DEVSET / "invented"
QUESTION_FILES = ("questions_invented.jsonl", "questions_real.jsonl")
CATEGORIES = ("answerable", "conflict", "trap", "unanswerable", "follow-up")
SPLITS = ("tune", "check")
_SALT = "devset-v1:"
# Off-topic questions: those of two public question-answering sets, which no development article
# answers (`off_topic`): one in `every` of each file's questions, `tune` and `check` taking positions
# half a stride apart, so the two splits share none.
OFF_TOPIC_SETS = (
    ("ramdocs/RAMDocs_test.jsonl.gz", 4),  # encyclopaedic questions with proper names
    ("qacc-conflictqa/ConflictQA_Dataset.json.gz", 8),  # search-engine questions, often lower case
)


def split_of(story: str) -> str:
    """`tune` for about 60% of stories, `check` for the rest, by a seeded hash of the story id."""
    return "tune" if int(hashlib.sha256((_SALT + story).encode()).hexdigest(), 16) % 10 < 6 else "check"


@dataclass(frozen=True)
class DevQuestion:
    """One development question: the seed fields the scorer checks, and where it belongs."""

    seed: SeedQuestion
    story: str
    split: str
    category: str
    tags: tuple[str, ...]
    history: tuple[tuple[str, str], ...]


def _question(r: dict[str, Any]) -> DevQuestion:
    seed = SeedQuestion(
        r["id"],
        r["question"],
        tuple(r.get("evidence", ())),
        tuple(tuple(g) for g in r.get("must_mention", ())),
        bool(r.get("conflict")),
        tuple(tuple(p) for p in r.get("conflict_between", ())),
        bool(r.get("unanswerable")),
    )
    history = tuple((t["question"], t["answer"]) for t in r.get("history") or ())
    return DevQuestion(seed, r["story"], r["split"], r["category"], tuple(r.get("tags", ())), history)


def load(folder: Path = DEVSET, files: Sequence[str] = QUESTION_FILES) -> list[DevQuestion]:
    """Every question of the question files present in `folder`."""
    out = []
    for name in files:
        path = folder / name
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            out += [_question(json.loads(line)) for line in lines if line.strip()]
    return out


def off_topic(shared: Path, split: str) -> list[str]:
    """Questions about things no development article mentions (trivia and search questions of the
    public sets under `shared`), for measuring and fitting how the assistant refuses a question its
    articles are not about; `split` picks a disjoint share of each set."""
    offset = SPLITS.index(split)
    out: list[str] = []
    for name, every in OFF_TOPIC_SETS:
        with gzip.open(shared / name, "rt", encoding="utf-8") as f:
            records = [json.loads(line) for line in f] if name.endswith(".jsonl.gz") else json.load(f)
        out += [" ".join(r["question"].split()) for r in records[offset * every // 2 :: every]]
    return out


def shared_data(repo_root: Path) -> Path:
    """The public data sets beside the repository (`../shared/data`)."""
    return repo_root.parent / "shared" / "data"


def corpus(out_dir: Path, shared: Path, questions: Sequence[DevQuestion]) -> Path:
    """One folder holding every story of `questions` as `<story>/<file>`, so article ids are the ones the
    questions use: invented stories copied, real ones materialised from the public data."""
    from bench.devset.real import REAL_STORIES, materialise

    stories = {q.story for q in questions}
    out_dir.mkdir(parents=True, exist_ok=True)
    for story in sorted(stories):
        source = INVENTED / story
        if source.is_dir() and not (out_dir / story).exists():
            shutil.copytree(source, out_dir / story)
    real = [s for s in REAL_STORIES if s in stories]
    if real:
        materialise(shared, out_dir, real)
    return out_dir
